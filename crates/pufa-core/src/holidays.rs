//! Chinese statutory holidays (法定节假日) and make-up working days (调休上班).
//! Source per year, in order: the coordinator's entries for that year (the State Council
//! notice is published each November, after this build shipped); the official arrangements
//! bundled in tyme4rs; otherwise the statutory days themselves by rule, marked as estimated.

use crate::db::Db;
use crate::error::{AppError, ErrorCode, Result};
use crate::lunar::{check_year, lunar_to_solar, solar_term_day};
use crate::town::{set_setting, setting};
use crate::validate;
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HolidaySource {
    /// Entered by the coordinator from the year's notice.
    Custom,
    /// The published arrangement bundled with the app.
    Official,
    /// Only the statutory days by rule (the arrangement is not known yet).
    Estimated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HolidayDay {
    /// ISO date.
    pub date: String,
    pub name: String,
    /// A make-up working day (调休上班) rather than a day off.
    #[serde(default)]
    pub work: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HolidayYear {
    pub year: i32,
    pub source: HolidaySource,
    pub days: Vec<HolidayDay>,
}

const SETTING_PREFIX: &str = "holidays.";

fn official(year: i32) -> Vec<HolidayDay> {
    static CACHE: OnceLock<Mutex<HashMap<i32, Vec<HolidayDay>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(days) = cache.lock().expect("holiday cache").get(&year) {
        return days.clone();
    }
    use tyme4rs::tyme::holiday::LegalHoliday;
    use tyme4rs::tyme::Culture;
    let mut days = Vec::new();
    let mut d = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    while d.year() == year {
        if let Some(h) = LegalHoliday::from_ymd(year as isize, d.month() as usize, d.day() as usize)
        {
            days.push(HolidayDay {
                date: d.to_string(),
                name: h.get_name(),
                work: h.is_work(),
            });
        }
        d += Duration::days(1);
    }
    cache
        .lock()
        .expect("holiday cache")
        .insert(year, days.clone());
    days
}

/// The statutory days off by rule (全国年节及纪念日放假办法, 2025 revision).
fn estimated(year: i32) -> Vec<HolidayDay> {
    let mut days = BTreeMap::new();
    let mut add = |d: Option<NaiveDate>, name: &str| {
        if let Some(d) = d.filter(|d| d.year() == year) {
            days.insert(d, name.to_string());
        }
    };
    add(NaiveDate::from_ymd_opt(year, 1, 1), "元旦");
    if let Some(new_year) = lunar_to_solar(year, 1, 1, false) {
        for offset in -1..=2 {
            add(Some(new_year + Duration::days(offset)), "春节");
        }
    }
    add(solar_term_day(year, "清明"), "清明节");
    add(NaiveDate::from_ymd_opt(year, 5, 1), "劳动节");
    add(NaiveDate::from_ymd_opt(year, 5, 2), "劳动节");
    add(lunar_to_solar(year, 5, 5, false), "端午节");
    add(lunar_to_solar(year, 8, 15, false), "中秋节");
    for day in 1..=3 {
        add(NaiveDate::from_ymd_opt(year, 10, day), "国庆节");
    }
    days.into_iter()
        .map(|(d, name)| HolidayDay {
            date: d.to_string(),
            name,
            work: false,
        })
        .collect()
}

/// The year's holidays and make-up working days, from the best source available.
pub fn year(conn: &Connection, year: i32) -> Result<HolidayYear> {
    check_year(year)?;
    if let Some(text) = setting(conn, &format!("{SETTING_PREFIX}{year}"))? {
        let days: Vec<HolidayDay> = serde_json::from_str(&text).map_err(|_| {
            AppError::new(
                ErrorCode::Database,
                format!("{year}年节假日设置已损坏，请重新导入"),
            )
        })?;
        return Ok(HolidayYear {
            year,
            source: HolidaySource::Custom,
            days,
        });
    }
    let days = official(year);
    if !days.is_empty() {
        return Ok(HolidayYear {
            year,
            source: HolidaySource::Official,
            days,
        });
    }
    Ok(HolidayYear {
        year,
        source: HolidaySource::Estimated,
        days: estimated(year),
    })
}

/// Replaces a year's arrangement with the coordinator's (from the State Council notice);
/// an empty list goes back to the bundled or estimated one.
pub fn set_year(db: &mut Db, year: i32, days: &[HolidayDay]) -> Result<HolidayYear> {
    check_year(year)?;
    let mut checked: Vec<HolidayDay> = Vec::with_capacity(days.len());
    for (i, d) in days.iter().enumerate() {
        let date = validate::date("date", &d.date).map_err(|e| AppError {
            message: format!("第{}行：{}", i + 1, e.message),
            ..e
        })?;
        if date.year() != year {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "date",
                format!("第{}行：{date} 不在 {year} 年", i + 1),
            ));
        }
        let name = validate::name("name", &d.name, 20)?;
        if checked.iter().any(|c| c.date == date.to_string()) {
            return Err(AppError::field(
                ErrorCode::Duplicate,
                "date",
                format!("第{}行：{date} 重复", i + 1),
            )
            .with("value", date.to_string())
            .with("clash", "repeated"));
        }
        checked.push(HolidayDay {
            date: date.to_string(),
            name,
            work: d.work,
        });
    }
    checked.sort_by(|a, b| a.date.cmp(&b.date));
    db.with_tx(|tx| {
        let key = format!("{SETTING_PREFIX}{year}");
        if checked.is_empty() {
            tx.execute("DELETE FROM settings WHERE key = ?1", [&key])?;
        } else {
            set_setting(
                tx,
                &key,
                &serde_json::to_string(&checked).expect("serialises"),
            )?;
        }
        let summary = format!("录入{year}年节假日安排（{}天）", checked.len());
        crate::audit::log(
            tx,
            "holiday",
            &year.to_string(),
            "update",
            &summary,
            None::<&()>,
            Some(&checked),
        )?;
        Ok(())
    })?;
    self::year(&db.conn, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_on(h: &HolidayYear, date: &str) -> Option<(String, bool)> {
        h.days
            .iter()
            .find(|d| d.date == date)
            .map(|d| (d.name.clone(), d.work))
    }

    #[test]
    fn official_arrangements_include_make_up_days() {
        let db = Db::open_in_memory().unwrap();
        let y2026 = year(&db.conn, 2026).unwrap();
        assert_eq!(y2026.source, HolidaySource::Official);
        assert_eq!(names_on(&y2026, "2026-02-17"), Some(("春节".into(), false)));
        assert_eq!(
            names_on(&y2026, "2026-02-14"),
            Some(("春节".into(), true)),
            "调休上班"
        );
        assert_eq!(
            names_on(&y2026, "2026-10-07"),
            Some(("国庆节".into(), false))
        );
        assert_eq!(names_on(&y2026, "2026-12-04"), None);
        let mut calendar = crate::workdays::WorkCalendar::new(&db.conn);
        let off = calendar.holiday("2025-10-08".parse().unwrap()).unwrap();
        assert_eq!(off.as_deref(), Some("国庆中秋"));
    }

    #[test]
    fn years_without_an_arrangement_get_the_statutory_days() {
        let db = Db::open_in_memory().unwrap();
        let y = year(&db.conn, 2030).unwrap();
        assert_eq!(y.source, HolidaySource::Estimated);
        // 2030: 春节 is 2月3日, so 除夕 2月2日 … 初三 2月5日.
        for d in [
            "2030-01-01",
            "2030-02-02",
            "2030-02-05",
            "2030-05-02",
            "2030-10-03",
        ] {
            assert!(names_on(&y, d).is_some(), "{d}");
        }
        assert!(names_on(&y, "2030-10-04").is_none());
    }

    #[test]
    fn a_coordinator_enters_next_years_arrangement() {
        let mut db = Db::open_in_memory().unwrap();
        let days = vec![
            HolidayDay {
                date: "2027-01-01".into(),
                name: "元旦".into(),
                work: false,
            },
            HolidayDay {
                date: "2027年2月6日".into(),
                name: "春节".into(),
                work: false,
            },
            HolidayDay {
                date: "2027-02-20".into(),
                name: "春节".into(),
                work: true,
            },
        ];
        let y = set_year(&mut db, 2027, &days).unwrap();
        assert_eq!(y.source, HolidaySource::Custom);
        assert_eq!(y.days.len(), 3);
        let make_up = "2027-02-20".parse().unwrap();
        let mut calendar = crate::workdays::WorkCalendar::new(&db.conn);
        assert_eq!(calendar.holiday(make_up).unwrap(), None);
        assert_eq!(calendar.day_off(make_up, false).unwrap(), None, "调休上班");

        let wrong_year = vec![HolidayDay {
            date: "2028-01-01".into(),
            name: "元旦".into(),
            work: false,
        }];
        let err = set_year(&mut db, 2027, &wrong_year).unwrap_err();
        assert!(err.message.contains("第1行"), "{}", err.message);
        assert_eq!(
            year(&db.conn, 2027).unwrap().days.len(),
            3,
            "nothing changed"
        );

        set_year(&mut db, 2027, &[]).unwrap();
        assert_ne!(year(&db.conn, 2027).unwrap().source, HolidaySource::Custom);
    }
}
