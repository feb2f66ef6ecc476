//! Market days (赶集日 / 赶场): a village's market follows a cycle of the month — "逢一、四、七"
//! is the 1st, 4th, 7th, 11th, 14th, 17th, 21st, 24th and 27th — counted in the lunar month in
//! most of the countryside, in the solar month in some places. 集中宣传 goes where people are:
//! the plan prefers a village's market days for it.

use crate::error::{AppError, ErrorCode, Result};
use crate::lunar::lunar_day_of;
use crate::validate;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A market cycle: the last digits of the market days' day of the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarketCycle {
    /// Counted in the lunar month (农历) rather than the solar one (公历).
    pub lunar: bool,
    /// 1–9, and 0 for the 10th, 20th and 30th; sorted, no repeats.
    pub digits: Vec<u8>,
}

const NUMERALS: [char; 10] = ['十', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

impl MarketCycle {
    /// Reads what a cadre types: "农历1/4/7", "公历 2、5、8", "逢三六九", "3,6,9" (lunar unless
    /// 公历/阳历 is said). Empty text = no market.
    pub fn parse(field: &str, text: &str) -> Result<Option<MarketCycle>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let bad = || {
            AppError::field(
                ErrorCode::InvalidValue,
                field,
                format!(
                    "{}“{}”无法识别，请写成“农历1/4/7”或“公历2/5/8”（逢几赶集）",
                    validate::label(field),
                    validate::clip(text)
                ),
            )
        };
        let mut rest = text;
        let mut lunar = true;
        for (prefix, is_lunar) in [
            ("农历", true),
            ("阴历", true),
            ("旧历", true),
            ("公历", false),
            ("阳历", false),
            ("新历", false),
        ] {
            if let Some(r) = rest.strip_prefix(prefix) {
                lunar = is_lunar;
                rest = r;
                break;
            }
        }
        let mut digits: Vec<u8> = Vec::new();
        for c in rest.chars() {
            let digit = match c {
                '0'..='9' => c.to_digit(10).map(|d| d as u8),
                _ => NUMERALS.iter().position(|n| *n == c).map(|d| d as u8),
            };
            match digit {
                Some(d) => digits.push(d),
                None if "每月逢日号、，,/ 和及;；".contains(c) => {}
                None => return Err(bad()),
            }
        }
        digits.sort_unstable();
        digits.dedup();
        if digits.is_empty() {
            return Err(bad());
        }
        Ok(Some(MarketCycle { lunar, digits }))
    }

    /// The stored form, which `parse` reads back: "农历1/4/7".
    pub fn to_text(&self) -> String {
        let digits: Vec<String> = self.digits.iter().map(u8::to_string).collect();
        format!("{}{}", self.calendar(), digits.join("/"))
    }

    /// "农历逢一、四、七".
    pub fn describe(&self) -> String {
        let names: Vec<String> = self
            .digits
            .iter()
            .map(|d| NUMERALS[*d as usize % 10].to_string())
            .collect();
        format!("{}逢{}", self.calendar(), names.join("、"))
    }

    fn calendar(&self) -> &'static str {
        if self.lunar {
            "农历"
        } else {
            "公历"
        }
    }

    /// Whether `date` is a market day of this cycle.
    pub fn is_market_day(&self, date: NaiveDate) -> bool {
        let day = if self.lunar {
            lunar_day_of(date)
        } else {
            date.day()
        };
        self.digits.contains(&((day % 10) as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cycles_are_read_as_cadres_write_them() {
        let c = MarketCycle::parse("market_days", "农历1/4/7")
            .unwrap()
            .unwrap();
        assert_eq!((c.lunar, c.digits.clone()), (true, vec![1, 4, 7]));
        assert_eq!(c.to_text(), "农历1/4/7");
        assert_eq!(c.describe(), "农历逢一、四、七");
        for (text, lunar, digits) in [
            ("逢三六九", true, vec![3, 6, 9]),
            ("公历 2、5、8", false, vec![2, 5, 8]),
            ("阳历每月逢五、十", false, vec![0, 5]),
            ("3,6,9", true, vec![3, 6, 9]),
            ("农历逢1、4、7日", true, vec![1, 4, 7]),
        ] {
            let c = MarketCycle::parse("market_days", text).unwrap().unwrap();
            assert_eq!((c.lunar, c.digits), (lunar, digits), "{text}");
        }
        assert_eq!(MarketCycle::parse("market_days", "  ").unwrap(), None);
        for bad in ["每周二", "农历", "赶集"] {
            let err = MarketCycle::parse("market_days", bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("market_days"), "{bad}");
            assert!(err.message.contains("赶集日"), "{}", err.message);
        }
    }

    #[test]
    fn market_days_fall_on_the_cycle_of_the_right_month() {
        let solar = MarketCycle::parse("m", "公历1/4/7").unwrap().unwrap();
        assert!(solar.is_market_day(d("2027-03-04")));
        assert!(solar.is_market_day(d("2027-03-21")));
        assert!(solar.is_market_day(d("2027-03-31")), "逢一 takes the 31st");
        assert!(!solar.is_market_day(d("2027-03-05")));
        // 2027-02-06 is 正月初一, so 2027-02-09 is 初四 and 2027-02-16 十一.
        let lunar = MarketCycle::parse("m", "农历1/4/7").unwrap().unwrap();
        assert!(lunar.is_market_day(d("2027-02-06")));
        assert!(lunar.is_market_day(d("2027-02-09")));
        assert!(lunar.is_market_day(d("2027-02-16")));
        assert!(!lunar.is_market_day(d("2027-02-10")));
        let tens = MarketCycle::parse("m", "农历5/0").unwrap().unwrap();
        // 2027-02-15 is 初十.
        assert!(tens.is_market_day(d("2027-02-15")));
    }
}
