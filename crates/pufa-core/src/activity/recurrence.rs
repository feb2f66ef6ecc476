//! The dates of a recurrence.
use super::*;

/// The dates of a recurrence starting on `first` (which is the first occurrence).
pub fn expand(first: NaiveDate, r: &Recurrence) -> Result<Vec<NaiveDate>> {
    const MAX_OCCURRENCES: u32 = 1000;
    let last_allowed = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("valid date");
    let interval = r.interval.unwrap_or(1);
    if !(1..=52).contains(&interval) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "interval",
            format!("重复间隔 {interval} 无效，应为 1—52"),
        ));
    }
    let until = match non_empty(r.until.as_deref()) {
        Some(u) => {
            let u = validate::date("until", u)?;
            if u < first {
                return Err(AppError::field(
                    ErrorCode::DateOrder,
                    "until",
                    format!("重复截止日期（{u}）早于第一次活动（{first}）"),
                ));
            }
            if u > last_allowed {
                return Err(AppError::field(
                    ErrorCode::InvalidValue,
                    "until",
                    format!("重复截止日期（{u}）超出 {LAST_YEAR} 年，请改早一些"),
                ));
            }
            Some(u)
        }
        None => None,
    };
    let count = match (until, r.count) {
        (None, None) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "until",
                "重复活动没有结束：请填写截止日期或重复次数",
            ))
        }
        (_, Some(0)) => {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "count",
                "重复次数至少为1",
            ))
        }
        (_, Some(n)) if n > MAX_OCCURRENCES => {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "count",
                format!("重复次数 {n} 过多，最多 {MAX_OCCURRENCES} 次"),
            ))
        }
        (_, n) => n.unwrap_or(MAX_OCCURRENCES),
    };
    let nth = (first.day() - 1) / 7 + 1;
    let mut out = Vec::new();
    let mut step: u32 = 0;
    while (out.len() as u32) < count {
        let candidate = match r.freq {
            RecurrenceFreq::Weekly => Some(first + Duration::weeks((step * interval) as i64)),
            RecurrenceFreq::MonthlyDay => first
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(step * interval)))
                .and_then(|d| d.with_day(first.day())),
            RecurrenceFreq::MonthlyNthWeekday => first
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(step * interval)))
                .and_then(|m| {
                    let wd = first.weekday();
                    NaiveDate::from_weekday_of_month_opt(m.year(), m.month(), wd, nth as u8)
                        .or_else(|| {
                            // A 5th weekday that a month lacks becomes that month's last one.
                            NaiveDate::from_weekday_of_month_opt(m.year(), m.month(), wd, 4)
                        })
                }),
        };
        step += 1;
        let Some(d) = candidate else {
            if step > 12 * 100 + 1 {
                break;
            }
            continue;
        };
        if until.is_some_and(|u| d > u) {
            break;
        }
        if d > last_allowed {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                if r.count.is_some() { "count" } else { "until" },
                format!("重复活动会排到 {LAST_YEAR} 年以后，请减少次数或提前截止日期"),
            ));
        }
        out.push(d);
        if until.is_some() && r.count.is_none() && out.len() as u32 >= MAX_OCCURRENCES {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "until",
                format!("重复活动超过 {MAX_OCCURRENCES} 次，请提前截止日期"),
            ));
        }
    }
    Ok(out)
}
