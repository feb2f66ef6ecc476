//! The school calendar (校历) of the county's primary and middle schools: the winter break
//! (寒假) around 春节 and the summer break (暑假) of each year. The county's education bureau
//! publishes them each term; until the coordinator enters the notice, the app estimates them
//! from 春节 and the usual July–August break and marks them 估计. School activities are placed
//! only in term time, and 春季/秋季开学第一课 and the 寒假前/暑假前 safety lessons follow it.

use crate::db::Db;
use crate::error::{AppError, ErrorCode, Result};
use crate::lunar::{check_year, lunar_to_solar};
use crate::town::{get_town, set_setting, setting};
use crate::validate;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One year's breaks of the county's schools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SchoolCalendar {
    pub year: i32,
    /// The county the calendar is for (the town's county; empty when not set).
    pub county: String,
    /// ISO dates, both inclusive: the first and the last day without school.
    pub winter_start: String,
    pub winter_end: String,
    pub summer_start: String,
    pub summer_end: String,
    /// Estimated from 春节 and the usual summer break; false once the notice is entered.
    pub estimated: bool,
    /// The notice the dates come from (文件名或文号), as entered.
    pub notice: String,
}

/// What the coordinator enters from the education bureau's notice.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct SchoolCalendarInput {
    pub year: i32,
    pub winter_start: String,
    pub winter_end: String,
    pub summer_start: String,
    pub summer_end: String,
    #[serde(default)]
    pub notice: Option<String>,
}

/// A break of the school calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchoolBreak {
    /// "寒假" or "暑假".
    pub name: &'static str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub estimated: bool,
}

impl SchoolBreak {
    /// "寒假（1月23日至2月21日，估计）".
    pub fn describe(&self) -> String {
        let estimated = if self.estimated { "，估计" } else { "" };
        format!(
            "{}（{}月{}日至{}月{}日{estimated}）",
            self.name,
            self.start.month(),
            self.start.day(),
            self.end.month(),
            self.end.day()
        )
    }
}

const SETTING_PREFIX: &str = "school_calendar.";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("the school calendar holds ISO dates")
}

/// The first `weekday` on or after `d`.
fn on_or_after(d: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
    d + Duration::days(ahead as i64)
}

impl SchoolCalendar {
    pub fn winter(&self) -> SchoolBreak {
        SchoolBreak {
            name: "寒假",
            start: day(&self.winter_start),
            end: day(&self.winter_end),
            estimated: self.estimated,
        }
    }

    pub fn summer(&self) -> SchoolBreak {
        SchoolBreak {
            name: "暑假",
            start: day(&self.summer_start),
            end: day(&self.summer_end),
            estimated: self.estimated,
        }
    }

    /// The break `date` falls in, if any.
    pub fn break_on(&self, date: NaiveDate) -> Option<SchoolBreak> {
        [self.winter(), self.summer()]
            .into_iter()
            .find(|b| b.start <= date && date <= b.end)
    }

    /// The first day of the spring term (the day after the winter break).
    pub fn spring_term_start(&self) -> NaiveDate {
        self.winter().end + Duration::days(1)
    }

    /// The first day of the autumn term (the day after the summer break).
    pub fn autumn_term_start(&self) -> NaiveDate {
        self.summer().end + Duration::days(1)
    }
}

/// The usual calendar of a year: the spring term starts on the first Monday from the day
/// before 元宵 (2024: 2月26日, 2025: 2月17日, 2026: 3月2日) after a break of 30 days; the summer break runs
/// from the first Saturday on or after 7月3日 to the eve of the autumn term, which starts on
/// 9月1日 (the Monday after, when that is a weekend).
pub fn estimate(year: i32) -> SchoolCalendar {
    let lantern = lunar_to_solar(year, 1, 15, false).expect("every lunar year has 正月十五");
    let spring = on_or_after(lantern - Duration::days(1), Weekday::Mon);
    let sept1 = NaiveDate::from_ymd_opt(year, 9, 1).expect("valid date");
    let autumn = match sept1.weekday() {
        Weekday::Sat | Weekday::Sun => on_or_after(sept1, Weekday::Mon),
        _ => sept1,
    };
    let summer_start = on_or_after(
        NaiveDate::from_ymd_opt(year, 7, 3).expect("valid date"),
        Weekday::Sat,
    );
    SchoolCalendar {
        year,
        county: String::new(),
        winter_start: (spring - Duration::days(30)).to_string(),
        winter_end: (spring - Duration::days(1)).to_string(),
        summer_start: summer_start.to_string(),
        summer_end: (autumn - Duration::days(1)).to_string(),
        estimated: true,
        notice: String::new(),
    }
}

/// The school calendar of `year`: the one entered, else the estimate.
pub fn year(conn: &Connection, year: i32) -> Result<SchoolCalendar> {
    check_year(year)?;
    let county = get_town(conn)?.map(|t| t.county).unwrap_or_default();
    let Some(text) = setting(conn, &format!("{SETTING_PREFIX}{year}"))? else {
        return Ok(SchoolCalendar {
            county,
            ..estimate(year)
        });
    };
    let stored: SchoolCalendar = serde_json::from_str(&text).map_err(|_| {
        AppError::new(
            ErrorCode::Database,
            format!("{year}年校历设置已损坏，请重新录入"),
        )
    })?;
    Ok(SchoolCalendar { county, ..stored })
}

fn check(input: &SchoolCalendarInput) -> Result<SchoolCalendar> {
    let year = input.year;
    check_year(year)?;
    let date = |field: &str, value: &str| -> Result<NaiveDate> {
        let d = validate::date(field, value)?;
        if d.year() != year {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                field,
                format!("{}{d} 不在 {year} 年", validate::label(field)),
            ));
        }
        Ok(d)
    };
    let winter_start = date("winter_start", &input.winter_start)?;
    let winter_end = date("winter_end", &input.winter_end)?;
    let summer_start = date("summer_start", &input.summer_start)?;
    let summer_end = date("summer_end", &input.summer_end)?;
    let order =
        |field: &str, message: String| Err(AppError::field(ErrorCode::DateOrder, field, message));
    if winter_end < winter_start {
        return order("winter_end", "寒假结束日期早于开始日期".into());
    }
    if summer_end < summer_start {
        return order("summer_end", "暑假结束日期早于开始日期".into());
    }
    if summer_start <= winter_end {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "summer_start",
            format!("暑假开始日期 {summer_start} 应在寒假结束（{winter_end}）之后"),
        ));
    }
    let too_long = |field: &str, name: &str, days: i64, max: i64| {
        if days > max {
            Err(AppError::field(
                ErrorCode::InvalidValue,
                field,
                format!("{name}共 {days} 天，超过 {max} 天，请核对日期"),
            ))
        } else {
            Ok(())
        }
    };
    too_long(
        "winter_end",
        "寒假",
        (winter_end - winter_start).num_days() + 1,
        60,
    )?;
    too_long(
        "summer_end",
        "暑假",
        (summer_end - summer_start).num_days() + 1,
        80,
    )?;
    if winter_start.month() > 3 {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "winter_start",
            format!("寒假开始日期 {winter_start} 不在1—3月，请核对"),
        ));
    }
    if !(6..=9).contains(&summer_start.month()) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "summer_start",
            format!("暑假开始日期 {summer_start} 不在6—9月，请核对"),
        ));
    }
    Ok(SchoolCalendar {
        year,
        county: String::new(),
        winter_start: winter_start.to_string(),
        winter_end: winter_end.to_string(),
        summer_start: summer_start.to_string(),
        summer_end: summer_end.to_string(),
        estimated: false,
        notice: validate::optional_line("notice", input.notice.as_deref(), 100)?,
    })
}

/// Saves a year's calendar from the education bureau's notice (no longer 估计).
pub fn set_year(db: &mut Db, input: &SchoolCalendarInput) -> Result<SchoolCalendar> {
    let checked = check(input)?;
    let year = checked.year;
    db.with_tx(|tx| {
        let before = setting(tx, &format!("{SETTING_PREFIX}{year}"))?
            .and_then(|t| serde_json::from_str::<SchoolCalendar>(&t).ok());
        set_setting(
            tx,
            &format!("{SETTING_PREFIX}{year}"),
            &serde_json::to_string(&checked).expect("serialises"),
        )?;
        let summary = format!("录入{year}年校历（寒假、暑假）");
        crate::audit::log(
            tx,
            "school_calendar",
            &year.to_string(),
            "update",
            &summary,
            before.as_ref(),
            Some(&checked),
        )
    })?;
    self::year(&db.conn, year)
}

/// Forgets the entered calendar of a year: the estimate applies again.
pub fn clear_year(db: &mut Db, year: i32) -> Result<SchoolCalendar> {
    check_year(year)?;
    db.with_tx(|tx| {
        tx.execute(
            "DELETE FROM settings WHERE key = ?1",
            [format!("{SETTING_PREFIX}{year}")],
        )?;
        crate::audit::note(
            tx,
            "school_calendar",
            &year.to_string(),
            "delete",
            &format!("恢复{year}年校历为估计值"),
        )
    })?;
    self::year(&db.conn, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn estimates_follow_spring_festival_and_the_summer() {
        // 春节 2027-02-06, 元宵 2027-02-20 (Saturday): term from Monday 2月22日.
        let c = estimate(2027);
        assert_eq!(
            (c.winter_start.as_str(), c.winter_end.as_str()),
            ("2027-01-23", "2027-02-21")
        );
        assert_eq!(c.spring_term_start(), d("2027-02-22"));
        assert_eq!(
            (c.summer_start.as_str(), c.summer_end.as_str()),
            ("2027-07-03", "2027-08-31")
        );
        assert_eq!(c.autumn_term_start(), d("2027-09-01"));
        assert!(c.estimated);
        // 2024, 2025 and 2026: term from 2月26日, 2月17日 and 3月2日.
        assert_eq!(estimate(2024).spring_term_start(), d("2024-02-26"));
        assert_eq!(estimate(2025).spring_term_start(), d("2025-02-17"));
        assert_eq!(estimate(2025).winter_start, "2025-01-18");
        assert_eq!(estimate(2026).spring_term_start(), d("2026-03-02"));
        // 9月1日 2029 is a Saturday: school starts on Monday 9月3日.
        assert_eq!(estimate(2029).autumn_term_start(), d("2029-09-03"));
        for year in 2000..=2100 {
            let c = estimate(year);
            let spring_festival = lunar_to_solar(year, 1, 1, false).unwrap();
            let w = c.winter();
            assert!(
                w.start < spring_festival && spring_festival < w.end,
                "{year}"
            );
            assert!(c.spring_term_start().weekday() == Weekday::Mon, "{year}");
            assert!(c.summer().start.weekday() == Weekday::Sat, "{year}");
        }
        assert_eq!(c.break_on(d("2027-02-14")).unwrap().name, "寒假");
        assert_eq!(
            c.break_on(d("2027-02-14")).unwrap().describe(),
            "寒假（1月23日至2月21日，估计）"
        );
        assert_eq!(c.break_on(d("2027-08-01")).unwrap().name, "暑假");
        assert!(c.break_on(d("2027-02-22")).is_none());
    }

    #[test]
    fn the_notice_replaces_the_estimate_and_bad_dates_are_refused() {
        let mut db = crate::testing::town(&["安静村"], &["双龙镇中心小学"]);
        let input = SchoolCalendarInput {
            year: 2027,
            winter_start: "2027年1月30日".into(),
            winter_end: "2027-02-28".into(),
            summer_start: "2027-07-10".into(),
            summer_end: "2027-08-31".into(),
            notice: Some("巫教发〔2026〕12号".into()),
        };
        let c = set_year(&mut db, &input).unwrap();
        assert!(!c.estimated);
        assert_eq!(c.winter_start, "2027-01-30");
        assert_eq!(year(&db.conn, 2027).unwrap().notice, "巫教发〔2026〕12号");
        assert!(
            year(&db.conn, 2028).unwrap().estimated,
            "other years stay estimated"
        );
        for (change, field) in [
            (
                SchoolCalendarInput {
                    winter_end: "2027-01-01".into(),
                    ..input.clone()
                },
                "winter_end",
            ),
            (
                SchoolCalendarInput {
                    summer_start: "2028-07-10".into(),
                    ..input.clone()
                },
                "summer_start",
            ),
            (
                SchoolCalendarInput {
                    summer_start: "2027-02-10".into(),
                    ..input.clone()
                },
                "summer_start",
            ),
            (
                SchoolCalendarInput {
                    winter_end: "2027-03-31".into(),
                    ..input.clone()
                },
                "winter_end",
            ),
            (
                SchoolCalendarInput {
                    winter_start: "二月".into(),
                    ..input.clone()
                },
                "winter_start",
            ),
        ] {
            let err = set_year(&mut db, &change).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
        }
        assert_eq!(year(&db.conn, 2027).unwrap().winter_start, "2027-01-30");
        let back = clear_year(&mut db, 2027).unwrap();
        assert!(back.estimated);
        assert_eq!(back, year(&db.conn, 2027).unwrap());
    }
}
