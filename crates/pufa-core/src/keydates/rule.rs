//! Date rules of 普法 key dates: how a node's day or range is found in a given year.
//! Lunar dates and solar terms come from tyme4rs (寿星天文历 algorithms, maintained).

use crate::error::{AppError, ErrorCode, Result};
pub use crate::lunar::{
    check_year, lunar_day_of, lunar_to_solar, solar_term_day, FIRST_YEAR, LAST_YEAR, SOLAR_TERMS,
};
use crate::school_calendar::{self, SchoolCalendar};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
const LUNAR_MONTHS: [&str; 12] = [
    "正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊",
];

/// A day of the county's school calendar (校历).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SchoolEvent {
    /// The first day of the spring term (春季开学).
    SpringTerm,
    /// The first day of the autumn term (秋季开学).
    AutumnTerm,
    /// The first day of the winter break (寒假).
    WinterBreak,
    /// The first day of the summer break (暑假).
    SummerBreak,
}

impl SchoolEvent {
    pub fn label(self) -> &'static str {
        match self {
            SchoolEvent::SpringTerm => "春季开学日",
            SchoolEvent::AutumnTerm => "秋季开学日",
            SchoolEvent::WinterBreak => "寒假首日",
            SchoolEvent::SummerBreak => "暑假首日",
        }
    }

    fn day(self, c: &SchoolCalendar) -> NaiveDate {
        match self {
            SchoolEvent::SpringTerm => c.spring_term_start(),
            SchoolEvent::AutumnTerm => c.autumn_term_start(),
            SchoolEvent::WinterBreak => c.winter().start,
            SchoolEvent::SummerBreak => c.summer().start,
        }
    }
}

/// What a school-calendar rule's description ends with.
pub const BY_SCHOOL_CALENDAR: &str = "（按校历）";

/// The school calendar of a year, as a rule sees it: the entered one or the estimate.
pub type SchoolCalendars<'a> = &'a dyn Fn(i32) -> SchoolCalendar;

/// One day of the year by rule. Weekdays count from Monday = 1 to Sunday = 7 (Chinese usage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DateRule {
    /// 4月15日.
    Fixed { month: u32, day: u32 },
    /// 9月第三个星期六.
    NthWeekday { month: u32, n: u32, weekday: u32 },
    /// 3月最后一个星期一.
    LastWeekday { month: u32, weekday: u32 },
    /// The whole month (5月): as a start, the 1st; as an end, the last day.
    Month { month: u32 },
    /// 农历九月初九; `leap` for a leap month (闰月).
    Lunar {
        month: u32,
        day: u32,
        #[serde(default)]
        leap: bool,
    },
    /// A solar term (节气) by name: 秋分.
    SolarTerm { term: String },
    /// The Monday of the Monday–Sunday week holding this day (宪法宣传周 2020/2021 style).
    WeekOf { month: u32, day: u32 },
    /// A day of the school calendar, `offset` days later (negative: earlier): 春季开学日,
    /// 寒假首日前14天.
    School {
        event: SchoolEvent,
        #[serde(default)]
        offset: i32,
    },
}

fn rule_error(field: &str, message: String) -> AppError {
    AppError::field(ErrorCode::InvalidValue, field, message)
}

fn weekday(n: u32) -> Option<Weekday> {
    (1..=7)
        .contains(&n)
        .then(|| Weekday::try_from((n - 1) as u8).expect("0..7 is a weekday"))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.expect("valid month")
        .pred_opt()
        .expect("has a previous day")
        .day()
}

impl DateRule {
    /// Checks the rule's own numbers (month 1–12, weekday 1–7, a known solar term …).
    pub fn validate(&self, field: &str) -> Result<()> {
        let month_ok = |m: u32| {
            if (1..=12).contains(&m) {
                Ok(())
            } else {
                Err(rule_error(field, format!("月份 {m} 无效，应为 1—12")))
            }
        };
        let weekday_ok = |w: u32| {
            weekday(w).map(|_| ()).ok_or_else(|| {
                rule_error(
                    field,
                    format!("星期 {w} 无效，应为 1（星期一）—7（星期日）"),
                )
            })
        };
        match self {
            DateRule::Fixed { month, day } | DateRule::WeekOf { month, day } => {
                month_ok(*month)?;
                // Must exist every year: 2月29日 would vanish in three years of four.
                if *day == 0 || *day > days_in_month(2001, *month) {
                    return Err(rule_error(
                        field,
                        format!("{month}月{day}日 不是每年都有的日期，请改用其他日期"),
                    ));
                }
            }
            DateRule::NthWeekday { month, n, weekday } => {
                month_ok(*month)?;
                weekday_ok(*weekday)?;
                if !(1..=5).contains(n) {
                    return Err(rule_error(field, format!("第 {n} 个无效，应为 1—5")));
                }
            }
            DateRule::LastWeekday { month, weekday } => {
                month_ok(*month)?;
                weekday_ok(*weekday)?;
            }
            DateRule::Month { month } => month_ok(*month)?,
            DateRule::Lunar { month, day, .. } => {
                if !(1..=12).contains(month) || !(1..=30).contains(day) {
                    return Err(rule_error(field, format!("农历 {month}月{day}日 无效")));
                }
            }
            DateRule::SolarTerm { term } => {
                if !SOLAR_TERMS.contains(&term.as_str()) {
                    return Err(rule_error(field, format!("“{term}”不是二十四节气之一")));
                }
            }
            DateRule::School { offset, .. } => {
                if offset.abs() > 60 {
                    return Err(rule_error(
                        field,
                        format!("相差 {offset} 天过多，应在前后60天以内"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The day this rule gives in `year` (as a start: the first day of a month rule); school
    /// days from the estimated school calendar.
    pub fn first_day(&self, year: i32, field: &str) -> Result<NaiveDate> {
        self.day_with(year, false, field, &school_calendar::estimate)
    }

    /// As a range end: a month rule gives its last day.
    pub fn last_day(&self, year: i32, field: &str) -> Result<NaiveDate> {
        self.day_with(year, true, field, &school_calendar::estimate)
    }

    /// `first_day` (or `last_day` when `end`) with the county's school calendars.
    pub fn day_with(
        &self,
        year: i32,
        end: bool,
        field: &str,
        schools: SchoolCalendars,
    ) -> Result<NaiveDate> {
        self.validate(field)?;
        let none = || {
            rule_error(
                field,
                format!("规则“{}”在 {year} 年得不到日期", self.describe()),
            )
        };
        match self {
            DateRule::Fixed { month, day } => {
                NaiveDate::from_ymd_opt(year, *month, *day).ok_or_else(none)
            }
            DateRule::WeekOf { month, day } => {
                let d = NaiveDate::from_ymd_opt(year, *month, *day).ok_or_else(none)?;
                let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
                Ok(if end {
                    monday + Duration::days(6)
                } else {
                    monday
                })
            }
            DateRule::NthWeekday {
                month,
                n,
                weekday: w,
            } => {
                let wd = weekday(*w).ok_or_else(none)?;
                NaiveDate::from_weekday_of_month_opt(year, *month, wd, *n as u8).ok_or_else(|| {
                    rule_error(
                        field,
                        format!(
                            "{year}年{month}月没有第{}个星期{}，请改用“最后一个星期{}”",
                            n,
                            WEEKDAYS[(*w - 1) as usize],
                            WEEKDAYS[(*w - 1) as usize]
                        ),
                    )
                })
            }
            DateRule::LastWeekday { month, weekday: w } => {
                let wd = weekday(*w).ok_or_else(none)?;
                let last = NaiveDate::from_ymd_opt(year, *month, days_in_month(year, *month))
                    .ok_or_else(none)?;
                let back =
                    (7 + last.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
                Ok(last - Duration::days(back as i64))
            }
            DateRule::Month { month } => {
                let day = if end { days_in_month(year, *month) } else { 1 };
                NaiveDate::from_ymd_opt(year, *month, day).ok_or_else(none)
            }
            DateRule::Lunar { month, day, leap } => lunar_to_solar(year, *month, *day, *leap)
                .ok_or_else(|| {
                    let leap = if *leap { "闰" } else { "" };
                    rule_error(
                        field,
                        format!(
                            "农历{year}年没有{leap}{}月{}",
                            LUNAR_MONTHS[(*month - 1) as usize],
                            lunar_day_name(*day)
                        ),
                    )
                }),
            DateRule::SolarTerm { term } => solar_term_day(year, term).ok_or_else(none),
            DateRule::School { event, offset } => {
                Ok(event.day(&schools(year)) + Duration::days(*offset as i64))
            }
        }
    }

    /// Chinese description: "4月15日", "9月第三个星期六", "农历九月初九", "秋分".
    pub fn describe(&self) -> String {
        let wd = |w: u32| {
            WEEKDAYS
                .get((w.max(1) - 1) as usize)
                .copied()
                .unwrap_or("?")
        };
        match self {
            DateRule::Fixed { month, day } => format!("{month}月{day}日"),
            DateRule::WeekOf { month, day } => format!("含{month}月{day}日的一周（周一至周日）"),
            DateRule::NthWeekday { month, n, weekday } => {
                let nth = ["一", "二", "三", "四", "五"]
                    .get((n.max(&1) - 1) as usize)
                    .copied();
                format!("{month}月第{}个星期{}", nth.unwrap_or("?"), wd(*weekday))
            }
            DateRule::LastWeekday { month, weekday } => {
                format!("{month}月最后一个星期{}", wd(*weekday))
            }
            DateRule::Month { month } => format!("{month}月"),
            DateRule::Lunar { month, day, leap } => format!(
                "农历{}{}月{}",
                if *leap { "闰" } else { "" },
                LUNAR_MONTHS
                    .get((month.max(&1) - 1) as usize)
                    .copied()
                    .unwrap_or("?"),
                lunar_day_name(*day)
            ),
            DateRule::SolarTerm { term } => term.clone(),
            DateRule::School { event, offset } => match offset {
                0 => format!("{}{BY_SCHOOL_CALENDAR}", event.label()),
                n if *n < 0 => format!("{}前{}天{BY_SCHOOL_CALENDAR}", event.label(), -n),
                n => format!("{}后{n}天{BY_SCHOOL_CALENDAR}", event.label()),
            },
        }
    }

    /// The code of the rule kind in the domain reference (F, NW, LW, M, LUN, ST).
    pub fn kind_code(&self) -> &'static str {
        match self {
            DateRule::Fixed { .. } | DateRule::WeekOf { .. } => "F",
            DateRule::NthWeekday { .. } => "NW",
            DateRule::LastWeekday { .. } => "LW",
            DateRule::Month { .. } => "M",
            DateRule::Lunar { .. } => "LUN",
            DateRule::SolarTerm { .. } => "ST",
            DateRule::School { .. } => "SCH",
        }
    }
}

fn lunar_day_name(day: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match day {
        1..=10 => format!(
            "初{}",
            if day == 10 {
                "十"
            } else {
                DIGITS[day as usize]
            }
        ),
        11..=19 => format!("十{}", DIGITS[(day - 10) as usize]),
        20 => "二十".to_string(),
        21..=29 => format!("廿{}", DIGITS[(day - 20) as usize]),
        30 => "三十".to_string(),
        _ => format!("{day}日"),
    }
}
