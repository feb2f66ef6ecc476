//! Where a generated activity goes. Each unit gets a slot spread over the campaign's days;
//! when the slot is no day for it — a weekend or statutory holiday (调休 working days count
//! as working days), for a school also a day of the winter or summer break — the activity
//! moves to the nearest day that is, preferring a day the unit has nothing else on. 集中宣传
//! in a village with a market goes to the nearest free market day (赶集日) on a working day,
//! else the nearest free working day; only when the campaign's days hold no free working day
//! is a weekend market day kept, as a flagged exception.
//! When no day of the campaign will do, the nearest one within a week outside it is taken
//! (the campaign is widened), and failing that the slot stays, flagged, with the reason.

use crate::domain::UnitKind;
use crate::error::Result;
use crate::market::MarketCycle;
use crate::unit::Unit;
use crate::workdays::{weekday_name, DayOff, WorkCalendar};
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

/// How far outside the campaign's days an activity may be moved when none of them will do.
const REACH_OUTSIDE: i64 = 7;

/// Where one activity was placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    pub date: NaiveDate,
    /// The slot was a day off for the unit and the activity moved off it.
    pub moved: bool,
    /// Left on a day off, with the reason (a weekend market day, no working day near).
    pub exception: Option<String>,
}

/// Places activities, remembering the days each unit is busy.
pub(crate) struct Placer<'c> {
    conn: &'c Connection,
    pub calendar: WorkCalendar<'c>,
    busy: HashMap<String, HashSet<NaiveDate>>,
}

/// The slot of the `i`-th of `n` activities spread evenly over `from..=to`.
pub(crate) fn slot(from: NaiveDate, to: NaiveDate, i: usize, n: usize) -> NaiveDate {
    let days = (to - from).num_days().max(0) as usize + 1;
    from + Duration::days((i * days / n.max(1)) as i64)
}

/// Days from `from` to `to` by their distance from `p` (the earlier first on a tie).
fn by_distance(p: NaiveDate, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut d = from;
    while d <= to {
        days.push(d);
        d += Duration::days(1);
    }
    days.sort_by_key(|d| ((*d - p).num_days().abs(), *d));
    days
}

impl<'c> Placer<'c> {
    pub fn new(conn: &'c Connection) -> Self {
        Placer {
            conn,
            calendar: WorkCalendar::new(conn),
            busy: HashMap::new(),
        }
    }

    fn busy_days(&mut self, unit_id: &str) -> Result<&mut HashSet<NaiveDate>> {
        if !self.busy.contains_key(unit_id) {
            let mut stmt = self.conn.prepare_cached(
                "SELECT date FROM activity
                 WHERE unit_id = ?1 AND status NOT IN ('cancelled', 'postponed')",
            )?;
            let days = stmt
                .query_map([unit_id], |r| r.get::<_, String>(0))?
                .filter_map(|d| d.ok()?.parse().ok())
                .collect();
            self.busy.insert(unit_id.to_string(), days);
        }
        Ok(self.busy.get_mut(unit_id).expect("just loaded"))
    }

    /// Places an activity of `unit` (at the market when `street` and the unit has market
    /// days) near `preferred`, within `from..=to` if any day there will do.
    pub fn place(
        &mut self,
        unit: &Unit,
        street: bool,
        preferred: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Placed> {
        let school = unit.kind == UnitKind::School;
        let market: Option<MarketCycle> = unit.market_days.clone().filter(|_| street);
        let busy = self.busy_days(&unit.id)?.clone();
        let inside = by_distance(preferred, from, to);
        let outside: Vec<NaiveDate> = by_distance(
            preferred,
            from - Duration::days(REACH_OUTSIDE),
            to + Duration::days(REACH_OUTSIDE),
        )
        .into_iter()
        .filter(|d| *d < from || *d > to)
        .collect();
        let mut off: HashMap<NaiveDate, Option<DayOff>> = HashMap::new();
        for d in inside.iter().chain(&outside) {
            off.insert(*d, self.calendar.day_off(*d, school)?);
        }
        let free = |d: &NaiveDate| !busy.contains(d);
        let working = |d: &NaiveDate| off[d].is_none();
        let is_market = |d: &NaiveDate| market.as_ref().is_some_and(|m| m.is_market_day(*d));
        let weekend_only = |d: &NaiveDate| matches!(off[d], Some(DayOff::Weekend(_)));
        let pick = |days: &[NaiveDate], test: &dyn Fn(&NaiveDate) -> bool| {
            days.iter().copied().find(|d| test(d))
        };
        let preferred_off = off
            .get(&preferred)
            .cloned()
            .unwrap_or(self.calendar.day_off(preferred, school)?);
        let mut exception = None;
        // In order: a free working market day (集中宣传 only); a free working day; a free
        // weekend market day, kept as a flagged exception (集中宣传 only); a working day the
        // unit already has something on; the same a week either side of the campaign.
        let market_day = pick(&inside, &|d| working(d) && is_market(d) && free(d));
        let mut chosen = market_day.or_else(|| pick(&inside, &|d| working(d) && free(d)));
        if chosen.is_none() && market.is_some() {
            chosen = pick(&inside, &|d| weekend_only(d) && is_market(d) && free(d));
            if let Some(d) = chosen {
                let cycle = market
                    .as_ref()
                    .map(MarketCycle::describe)
                    .unwrap_or_default();
                exception = Some(format!(
                    "{d}（{}，周末）是{}的赶集日（{cycle}），集中宣传安排在集日",
                    weekday_name(d),
                    unit.name
                ));
            }
        }
        let chosen = chosen
            .or_else(|| pick(&inside, &|d| working(d)))
            .or_else(|| pick(&outside, &|d| working(d) && free(d)))
            .or_else(|| pick(&outside, &|d| working(d)));
        let date = match chosen {
            Some(d) => d,
            None => {
                let reason = preferred_off
                    .as_ref()
                    .map(DayOff::reason)
                    .unwrap_or_default();
                exception = Some(format!(
                    "{preferred}（{reason}）：前后一周内没有可安排的工作日，请人工调整"
                ));
                preferred
            }
        };
        self.busy_days(&unit.id)?.insert(date);
        Ok(Placed {
            date,
            moved: preferred_off.is_some() && date != preferred,
            exception,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn unit(db: &crate::Db, name: &str) -> Unit {
        crate::unit::resolve(&db.conn, name, "units").unwrap()
    }

    #[test]
    fn slots_spread_over_the_days() {
        let (from, to) = (d("2027-12-01"), d("2027-12-07"));
        let slots: Vec<NaiveDate> = (0..3).map(|i| slot(from, to, i, 3)).collect();
        assert_eq!(slots, [d("2027-12-01"), d("2027-12-03"), d("2027-12-05")]);
        assert_eq!(slot(from, from, 2, 4), from);
    }

    #[test]
    fn weekends_holidays_and_school_breaks_are_left_for_the_nearest_day() {
        let db = crate::testing::town(&["安静村"], &["双龙镇中心小学"]);
        let village = unit(&db, "安静村");
        let school = unit(&db, "双龙镇中心小学");
        let mut p = Placer::new(&db.conn);
        // 12·4 2027 is a Saturday: 宪法晨读 goes to Friday the 3rd, even though the
        // campaign is that one day (it is widened).
        let sat = d("2027-12-04");
        let placed = p.place(&school, false, sat, sat, sat).unwrap();
        assert_eq!(placed.date, d("2027-12-03"));
        assert!(placed.moved && placed.exception.is_none());
        // A Sunday slot goes to Monday (nearer than Friday).
        let placed = p
            .place(
                &village,
                false,
                d("2027-12-05"),
                d("2027-12-01"),
                d("2027-12-07"),
            )
            .unwrap();
        assert_eq!(placed.date, d("2027-12-06"));
        // 国庆: 10月1日 off; a school lesson in the winter break moves to term time.
        let placed = p
            .place(
                &school,
                false,
                d("2027-02-15"),
                d("2027-02-10"),
                d("2027-03-10"),
            )
            .unwrap();
        assert_eq!(
            placed.date,
            d("2027-02-22"),
            "the first school day of the term"
        );
        // A busy day is avoided when another will do.
        let placed = p
            .place(
                &village,
                false,
                d("2027-12-06"),
                d("2027-12-01"),
                d("2027-12-07"),
            )
            .unwrap();
        assert_ne!(placed.date, d("2027-12-06"));
        assert!(!placed.moved, "moved off a busy day, not off a day off");
    }

    #[test]
    fn street_campaigns_go_to_market_days_and_a_weekend_market_is_a_flagged_exception() {
        let mut db = crate::testing::town(&["安静村"], &[]);
        let id = unit(&db, "安静村").id;
        crate::unit::update(
            &mut db,
            &id,
            &crate::unit::UnitInput {
                kind: "village".into(),
                name: "安静村".into(),
                market_days: Some("公历3/6/9".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let village = unit(&db, "安静村");
        let mut p = Placer::new(&db.conn);
        // 2027-03-01 (Mon) … 03-07 (Sun): market days 3 (Wed) and 6 (Sat): Wednesday.
        let placed = p
            .place(
                &village,
                true,
                d("2027-03-01"),
                d("2027-03-01"),
                d("2027-03-07"),
            )
            .unwrap();
        assert_eq!(placed.date, d("2027-03-03"));
        // A campaign of one weekend (3月6日–7日): the Saturday market day, flagged.
        let placed = p
            .place(
                &village,
                true,
                d("2027-03-07"),
                d("2027-03-06"),
                d("2027-03-07"),
            )
            .unwrap();
        assert_eq!(placed.date, d("2027-03-06"));
        let why = placed.exception.unwrap();
        assert!(why.contains("星期六") && why.contains("赶集"), "{why}");
        // The market day taken, the next 集中宣传 goes to a free working day instead of the
        // same morning twice (3月9日 is the next market day, 3月8日 is nearer).
        let placed = p
            .place(
                &village,
                true,
                d("2027-03-08"),
                d("2027-03-08"),
                d("2027-03-09"),
            )
            .unwrap();
        assert_eq!(placed.date, d("2027-03-09"), "the free market day first");
        let placed = p
            .place(
                &village,
                true,
                d("2027-03-09"),
                d("2027-03-08"),
                d("2027-03-09"),
            )
            .unwrap();
        assert_eq!(
            placed.date,
            d("2027-03-08"),
            "then a free working day, not the busy market"
        );
        // Not a street campaign: the working day it was given, market or not.
        let placed = p
            .place(
                &village,
                false,
                d("2027-03-04"),
                d("2027-03-04"),
                d("2027-03-06"),
            )
            .unwrap();
        assert_eq!((placed.date, placed.moved), (d("2027-03-04"), false));
    }
}
