//! Dates as the documents write them in Chinese ("2026年11月27日", "12月1日—12月7日", "周二"),
//! and the ISO dates the core stores read back. Used by the reports and the exports alike.

use chrono::{Datelike, NaiveDate, Weekday};

/// "周二".
pub(crate) fn weekday_cn(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// "12月1日".
pub(crate) fn month_day_cn(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// "2026年11月27日".
pub(crate) fn full_date_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A date range in Chinese: "12月1日—12月7日", one day as "5月12日", with the years when the
/// range leaves `year` ("2026年11月15日—2027年2月10日").
pub(crate) fn range_cn(start: NaiveDate, end: NaiveDate, year: i32) -> String {
    let show = |d: NaiveDate| {
        if start.year() == year && end.year() == year {
            month_day_cn(d)
        } else {
            full_date_cn(d)
        }
    };
    if start == end {
        show(start)
    } else {
        format!("{}—{}", show(start), show(end))
    }
}

/// Parses the ISO dates the core stores.
pub(crate) fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
