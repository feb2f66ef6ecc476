//! Working days (工作日): where a planned village or school activity belongs by default.
//! Saturdays and Sundays are off unless the year's holiday arrangement makes them make-up
//! working days (调休上班); statutory holidays (法定节假日) are off; schools are also closed in
//! the winter and summer breaks of the county's school calendar.

use crate::error::Result;
use crate::holidays;
use crate::school_calendar::{self, SchoolBreak, SchoolCalendar};
use chrono::{Datelike, NaiveDate, Weekday};
use rusqlite::Connection;
use std::collections::HashMap;

/// Why a day is no day for an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOff {
    Weekend(Weekday),
    /// A statutory holiday, by name (春节, 国庆节 …).
    Holiday(String),
    /// A school break (schools only).
    SchoolBreak(SchoolBreak),
}

pub const WEEKDAY_NAMES: [&str; 7] = [
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
];

pub fn weekday_name(date: NaiveDate) -> &'static str {
    WEEKDAY_NAMES[date.weekday().num_days_from_monday() as usize]
}

impl DayOff {
    /// The reason in Chinese: "星期六，周末", "春节假期", "学校放寒假（1月23日至2月21日，估计）".
    pub fn reason(&self) -> String {
        match self {
            DayOff::Weekend(w) => {
                format!("{}，周末", WEEKDAY_NAMES[w.num_days_from_monday() as usize])
            }
            DayOff::Holiday(name) => format!("{name}假期"),
            DayOff::SchoolBreak(b) => format!("学校放{}", b.describe()),
        }
    }
}

struct Year {
    /// The arrangement's days: name and whether it is a make-up working day.
    days: HashMap<NaiveDate, (String, bool)>,
    school: SchoolCalendar,
}

/// The working days of the years asked about, read once per year.
pub struct WorkCalendar<'c> {
    conn: &'c Connection,
    years: HashMap<i32, Year>,
}

impl<'c> WorkCalendar<'c> {
    pub fn new(conn: &'c Connection) -> Self {
        WorkCalendar {
            conn,
            years: HashMap::new(),
        }
    }

    fn year(&mut self, year: i32) -> Result<&Year> {
        if !self.years.contains_key(&year) {
            let days = holidays::year(self.conn, year)?
                .days
                .into_iter()
                .filter_map(|d| Some((d.date.parse().ok()?, (d.name, d.work))))
                .collect();
            let school = school_calendar::year(self.conn, year)?;
            self.years.insert(year, Year { days, school });
        }
        Ok(&self.years[&year])
    }

    /// The school calendar of a year.
    pub fn school(&mut self, year: i32) -> Result<SchoolCalendar> {
        Ok(self.year(year)?.school.clone())
    }

    /// Why `date` is no day for an activity (of a school when `school`), or None on a working
    /// day. A holiday is named before a school break, a school break before a weekend.
    pub fn day_off(&mut self, date: NaiveDate, school: bool) -> Result<Option<DayOff>> {
        let y = self.year(date.year())?;
        let listed = y.days.get(&date);
        if let Some((name, false)) = listed {
            return Ok(Some(DayOff::Holiday(name.clone())));
        }
        if school {
            if let Some(b) = y.school.break_on(date) {
                return Ok(Some(DayOff::SchoolBreak(b)));
            }
        }
        let make_up = matches!(listed, Some((_, true)));
        let weekday = date.weekday();
        if matches!(weekday, Weekday::Sat | Weekday::Sun) && !make_up {
            return Ok(Some(DayOff::Weekend(weekday)));
        }
        Ok(None)
    }

    /// Whether `date` is a statutory holiday (not a make-up working day): its name.
    pub fn holiday(&mut self, date: NaiveDate) -> Result<Option<String>> {
        Ok(match self.year(date.year())?.days.get(&date) {
            Some((name, false)) => Some(name.clone()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekends_holidays_make_up_days_and_school_breaks() {
        let db = crate::Db::open_in_memory().unwrap();
        let mut cal = WorkCalendar::new(&db.conn);
        // 2026: 春节 2月15日–23日 off, 2月14日 (Saturday) and 2月28日 (Saturday) make-up days.
        assert_eq!(
            cal.day_off(d("2026-02-17"), false).unwrap(),
            Some(DayOff::Holiday("春节".into()))
        );
        assert_eq!(
            cal.day_off(d("2026-02-14"), false).unwrap(),
            None,
            "调休上班"
        );
        assert_eq!(
            cal.day_off(d("2026-03-07"), false).unwrap(),
            Some(DayOff::Weekend(Weekday::Sat))
        );
        assert_eq!(cal.day_off(d("2026-03-09"), false).unwrap(), None);
        // A make-up Saturday inside the estimated winter break: a working day, but no school.
        match cal.day_off(d("2026-02-14"), true).unwrap() {
            Some(DayOff::SchoolBreak(b)) => assert_eq!(b.name, "寒假"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            DayOff::Weekend(Weekday::Sun).reason(),
            "星期日，周末".to_string()
        );
        assert_eq!(
            cal.holiday(d("2026-10-01")).unwrap().as_deref(),
            Some("国庆节")
        );
        assert_eq!(weekday_name(d("2027-12-04")), "星期六");
    }
}
