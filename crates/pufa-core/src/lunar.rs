//! The Chinese calendar's arithmetic: lunar dates, solar terms and the years the engine
//! answers for (through tyme4rs). Below the key dates, market days, holidays and school
//! calendars, which all count with it.

use crate::error::{AppError, ErrorCode, Result};
use chrono::{Datelike, Duration, NaiveDate};

/// Years the engine answers for.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

pub const SOLAR_TERMS: [&str; 24] = [
    "小寒", "大寒", "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至",
    "小暑", "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "冬至",
];

pub fn check_year(year: i32) -> Result<()> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "year",
            format!("年份 {year} 超出范围，请输入 {FIRST_YEAR}—{LAST_YEAR} 之间的年份"),
        ));
    }
    Ok(())
}

/// The Gregorian day of a lunar date in lunar year `year`, or None when that lunar month
/// has no such day (a 29-day month asked for 三十, a missing leap month).
pub fn lunar_to_solar(year: i32, month: u32, day: u32, leap: bool) -> Option<NaiveDate> {
    use tyme4rs::tyme::lunar::{LunarMonth, LunarYear};
    let lunar_month = if leap {
        -(month as isize)
    } else {
        month as isize
    };
    let months = LunarYear::from_year(year as isize).get_months();
    let m: &LunarMonth = months
        .iter()
        .find(|m| m.get_month_with_leap() == lunar_month)?;
    if day as usize > m.get_day_count() {
        return None;
    }
    let first = naive(m.get_first_julian_day().get_solar_day())?;
    Some(first + Duration::days(day as i64 - 1))
}

/// The day of the lunar month (1–30) a Gregorian date falls on.
pub fn lunar_day_of(date: NaiveDate) -> u32 {
    use tyme4rs::tyme::solar::SolarDay;
    SolarDay::from_ymd(
        date.year() as isize,
        date.month() as usize,
        date.day() as usize,
    )
    .get_lunar_day()
    .get_day() as u32
}

/// The day of a solar term in Gregorian year `year` (each term falls once a year).
pub fn solar_term_day(year: i32, term: &str) -> Option<NaiveDate> {
    use tyme4rs::tyme::solar::SolarTerm;
    let index = SOLAR_TERMS.iter().position(|t| *t == term)?;
    // tyme counts a year's terms from the previous 冬至: index 0 = 冬至 of year − 1, so
    // 小寒 (index 0 here) is tyme's index 1.
    let day = SolarTerm::from_index(year as isize, index as isize + 1)
        .get_julian_day()
        .get_solar_day();
    naive(day).filter(|d| d.year() == year)
}

fn naive(day: tyme4rs::tyme::solar::SolarDay) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        day.get_solar_month().get_year() as i32,
        day.get_month() as u32,
        day.get_day() as u32,
    )
}
