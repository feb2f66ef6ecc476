//! A county-scale demo: the demo town plus more towns' villages (as after a roll-up), the
//! national campaigns of every year, and N activities over the years — those already past
//! held, with a record each (most approved), materials handed out from the town store and the
//! receipts that cover them. Written by SQL with the columns and JSON the API writes, in the
//! demo's one transaction, so a cancelled or failed run leaves nothing.

use super::{fill_year, Rng, CAMPAIGNS, VILLAGES};
use crate::campaign::{self, CampaignInput};
use crate::domain::UnitKind;
use crate::error::{AppError, ErrorCode, Result};
use crate::unit::insert_unit;
use crate::{new_id, now};
use rusqlite::{params, Transaction};
use serde::Deserialize;
use std::collections::HashMap;
use ts_rs::TS;

/// More than enough for a county over a decade (the benchmarks use 1,000,000).
pub const MAX_ACTIVITIES: u64 = 5_000_000;

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ScaleInput {
    /// Activities in all (planned and held).
    #[ts(type = "number")]
    pub activities: u64,
    /// Towns whose villages the database holds (1 = the demo town only).
    #[serde(default = "one")]
    pub towns: u32,
    /// Years, ending with the demo year.
    #[serde(default = "one")]
    pub years: u32,
}

fn one() -> u32 {
    1
}

const TOWNS: [&str; 12] = [
    "龙溪镇",
    "福田镇",
    "骡坪镇",
    "笃坪乡",
    "大昌镇",
    "庙宇镇",
    "官渡镇",
    "铜鼓镇",
    "抱龙镇",
    "建坪乡",
    "两坪乡",
    "曲尺乡",
];
const FORMATS: [&str; 8] = [
    "street_campaign",
    "courtyard_meeting",
    "lecture",
    "case_explained",
    "quiz",
    "door_to_door",
    "consultation",
    "law_class",
];
const AUDIENCES: [&str; 6] = [
    "residents",
    "students",
    "migrant_workers",
    "elderly",
    "village_committee",
    "business",
];
const LAWS: [&str; 8] = [
    "宪法",
    "民法典",
    "国家安全法",
    "反电信网络诈骗法",
    "禁毒法",
    "保障农民工工资支付条例",
    "未成年人保护法",
    "安全生产法",
];
const TITLES: [&str; 6] = [
    "法治宣传进村",
    "院坝普法宣讲",
    "以案释法讲座",
    "赶集日法律咨询",
    "有奖问答活动",
    "送法入户",
];

struct CampaignWindow {
    id: String,
    start: String,
    end: String,
    nodes: String,
}

pub(super) fn generate(
    tx: &Transaction,
    input: &ScaleInput,
    year: i32,
    rng: &mut Rng,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    let field = |f: &str, m: String| Err(AppError::field(ErrorCode::InvalidValue, f, m));
    if input.activities == 0 || input.activities > MAX_ACTIVITIES {
        return field("activities", format!("活动数须在1—{MAX_ACTIVITIES}之间"));
    }
    if !(1..=TOWNS.len() as u32 + 1).contains(&input.towns) {
        return field("towns", format!("乡镇数须在1—{}之间", TOWNS.len() + 1));
    }
    let first_year = year - input.years as i32 + 1;
    if input.years == 0 || input.years > 30 || first_year < 2000 {
        return field("years", "年数须在1—30之间，且不早于2000年".into());
    }
    let ts = now();

    // More towns' villages, after the demo town's units.
    let mut order: i64 =
        tx.query_row("SELECT coalesce(max(sort_order), 0) FROM unit", [], |r| {
            r.get(0)
        })?;
    for town in TOWNS.iter().take(input.towns as usize - 1) {
        for v in VILLAGES.iter().skip(1) {
            order += 1;
            insert_unit(tx, UnitKind::Village, &format!("{town}{v}"), "", "", order)?;
        }
    }
    let villages: Vec<String> = tx
        .prepare("SELECT id FROM unit WHERE kind IN ('village', 'community') ORDER BY sort_order")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;

    // The national campaigns of the earlier years (the demo year has them already).
    for y in first_year..year {
        for (name, kind, start, end, audiences, themes, lead, nodes) in CAMPAIGNS {
            let input = CampaignInput {
                name: fill_year(name, y),
                kind: (*kind).into(),
                start_date: fill_year(start, y),
                end_date: fill_year(end, y),
                audiences: audiences.iter().map(|a| a.to_string()).collect(),
                themes: themes.iter().map(|t| t.to_string()).collect(),
                lead_unit: Some((*lead).into()),
                notes: None,
                nodes: nodes.iter().map(|n| n.to_string()).collect(),
                report_deadline: None,
            };
            campaign::insert(tx, &campaign::check(tx, &input)?)?;
        }
    }
    let mut by_year: HashMap<i32, Vec<CampaignWindow>> = HashMap::new();
    for c in tx
        .prepare("SELECT id, start_date, end_date, nodes FROM campaign ORDER BY start_date")?
        .query_map([], |r| {
            Ok(CampaignWindow {
                id: r.get(0)?,
                start: r.get(1)?,
                end: r.get(2)?,
                nodes: r.get(3)?,
            })
        })?
    {
        let c = c?;
        let (a, b) = (year_of(&c.start), year_of(&c.end));
        for y in a..=b {
            by_year.entry(y).or_default().push(CampaignWindow {
                id: c.id.clone(),
                start: c.start.clone(),
                end: c.end.clone(),
                nodes: c.nodes.clone(),
            });
        }
    }
    let materials: Vec<(String, String)> = tx
        .prepare("SELECT id, unit FROM material ORDER BY rowid")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let town_store = crate::inventory::town_store(tx)?;
    let recorder: String = tx.query_row(
        "SELECT name FROM user_profile ORDER BY rowid LIMIT 1",
        [],
        |r| r.get(0),
    )?;

    let mut activity = tx.prepare(
        "INSERT INTO activity (id, title, date, start_time, end_time, unit_id, venue_type, venue,
             formats, audiences, laws, nodes, partners, materials, expected_audience, status,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'courtyard', '村委会院坝', ?7, ?8, ?9, ?10, '[]', '[]',
             ?11, ?12, ?13, ?13)",
    )?;
    let mut activity_campaign =
        tx.prepare("INSERT INTO activity_campaign (activity_id, campaign_id) VALUES (?1, ?2)")?;
    let mut record = tx.prepare(
        "INSERT INTO record (id, activity_id, title, date, start_time, end_time, unit_id,
             venue_type, venue, formats, audiences, laws, nodes, participants, reach,
             consultations, banners, boards, narrative, recorder, review_status, review_comment,
             reviewed_by, reviewed_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'courtyard', '村委会院坝', ?8, ?9, ?10, ?11, ?12,
             ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23)",
    )?;
    let mut record_campaign =
        tx.prepare("INSERT INTO record_campaign (record_id, campaign_id) VALUES (?1, ?2)")?;
    let mut handout = tx.prepare(
        "INSERT INTO stock_movement (id, material_id, kind, quantity, from_store_id, date,
             record_id, created_at, updated_at)
         VALUES (?1, ?2, 'handout', ?3, ?4, ?5, ?6, ?7, ?7)",
    )?;

    let today = chrono::Local::now().date_naive().to_string();
    let first = chrono::NaiveDate::from_ymd_opt(first_year, 1, 1).expect("a valid year");
    let last = chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year");
    let days = (last - first).num_days() as u64 + 1;
    let total = input.activities;
    // Hand-outs per (material, year): the receipts written at the end cover them.
    let mut handed: HashMap<(usize, i32), i64> = HashMap::new();
    let slots = [("09:00", "11:00"), ("14:30", "16:30"), ("10:00", "11:30")];
    for i in 0..total {
        if i % 20_000 == 0 && !progress(i, total) {
            return Err(AppError::new(
                ErrorCode::Cancelled,
                "已取消，没有写入任何数据",
            ));
        }
        let date = (first + chrono::Duration::days((i * days / total) as i64)).to_string();
        let y = year_of(&date);
        let unit = &villages[rng.below(villages.len())];
        let (start, end) = slots[rng.below(slots.len())];
        let formats = json_pick(rng, &FORMATS, 2);
        let audiences = json_pick(rng, &AUDIENCES, 2);
        let laws = json_pick(rng, &LAWS, 2);
        let campaign = by_year
            .get(&y)
            .and_then(|cs| cs.iter().find(|c| c.start <= date && date <= c.end));
        let nodes = campaign.map_or("[]", |c| c.nodes.as_str());
        let title = format!("{}{}", TITLES[rng.below(TITLES.len())], i % 1000);
        let held = date <= today;
        let expected = 30 + rng.below(150) as i64;
        let activity_id = new_id();
        activity.execute(params![
            activity_id,
            title,
            date,
            start,
            end,
            unit,
            formats,
            audiences,
            laws,
            nodes,
            expected,
            if held { "held" } else { "planned" },
            ts
        ])?;
        if let Some(c) = campaign {
            activity_campaign.execute(params![activity_id, c.id])?;
        }
        if !held {
            continue;
        }
        let participants = expected * (70 + rng.below(60) as i64) / 100;
        // Most records are approved; a few wait for review or came back.
        let (status, comment, reviewed) = match rng.below(50) {
            0..=2 => ("pending", "", false),
            3 => ("returned", "请补充签到表", true),
            _ => ("approved", "", true),
        };
        let record_id = new_id();
        record.execute(params![
            record_id,
            activity_id,
            title,
            date,
            start,
            end,
            unit,
            formats,
            audiences,
            laws,
            nodes,
            participants,
            participants + participants / 3,
            participants / 8,
            1,
            rng.below(3) as i64,
            format!("{title}，群众参与积极。"),
            recorder,
            status,
            comment,
            reviewed.then_some(recorder.as_str()),
            reviewed.then_some(ts.as_str()),
            ts
        ])?;
        if let Some(c) = campaign {
            record_campaign.execute(params![record_id, c.id])?;
        }
        for _ in 0..rng.below(3) {
            let m = rng.below(materials.len());
            let quantity = 10 + rng.below(190) as i64;
            *handed.entry((m, y)).or_default() += quantity;
            handout.execute(params![
                new_id(),
                materials[m].0,
                quantity,
                town_store,
                date,
                record_id,
                ts
            ])?;
        }
    }
    let mut receipt = tx.prepare(
        "INSERT INTO stock_movement (id, material_id, kind, quantity, to_store_id, date, source,
             created_at, updated_at)
         VALUES (?1, ?2, 'receipt', ?3, ?4, ?5, '县司法局配发', ?6, ?6)",
    )?;
    let mut covered: Vec<_> = handed.into_iter().collect();
    covered.sort();
    for ((m, y), quantity) in covered {
        receipt.execute(params![
            new_id(),
            materials[m].0,
            quantity + quantity / 10,
            town_store,
            format!("{y}-01-10"),
            ts
        ])?;
    }
    crate::audit::note(
        tx,
        "town",
        "demo",
        "create",
        &format!(
            "生成规模数据：{} 个乡镇，{} 年，{} 场活动",
            input.towns, input.years, total
        ),
    )?;
    progress(total, total);
    Ok(())
}

fn year_of(date: &str) -> i32 {
    date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

/// One or two distinct codes as the JSON array the API stores.
fn json_pick(rng: &mut Rng, from: &[&str], most: usize) -> String {
    let first = rng.below(from.len());
    let mut picked = vec![from[first]];
    if most > 1 && rng.below(2) == 1 {
        let second = (first + 1 + rng.below(from.len() - 1)) % from.len();
        picked.push(from[second]);
    }
    serde_json::to_string(&picked).expect("strings serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{load, load_with_progress, DemoInput};
    use crate::reports::{summary, SummaryFilter};

    fn scaled(activities: u64, towns: u32, years: u32) -> DemoInput {
        DemoInput {
            seed: Some(7),
            year: Some(2025),
            scale: Some(ScaleInput {
                activities,
                towns,
                years,
            }),
        }
    }

    #[test]
    fn a_scaled_demo_holds_what_was_asked_and_adds_up() {
        let mut db = crate::Db::open_in_memory().unwrap();
        load(&mut db, &scaled(5_000, 3, 2)).unwrap();
        let count = |sql: &str| -> i64 { db.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        // The demo town's own year plan plus the generated ones.
        assert!(count("SELECT count(*) FROM activity") >= 5_000);
        assert_eq!(
            count("SELECT count(*) FROM unit WHERE kind IN ('village', 'community')"),
            21 + 2 * 20
        );
        assert_eq!(
            count(
                "SELECT count(DISTINCT substr(date, 1, 4)) FROM record WHERE date < '2025-01-01'"
            ),
            1,
            "2024 has records too"
        );
        // Every hand-out is covered by the receipts: no store below zero.
        assert_eq!(
            count("SELECT count(*) FROM stock_balance WHERE balance < 0"),
            0
        );
        let s = summary(
            &db.conn,
            &SummaryFilter {
                from: "2024-01-01".into(),
                to: "2025-12-31".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            s.activities,
            count("SELECT count(*) FROM record WHERE review_status = 'approved'")
        );
        assert_eq!(
            s.by_village.iter().map(|b| b.activities).sum::<i64>(),
            s.activities
        );
        // Deterministic for a seed: the same input gives the same numbers.
        let mut again = crate::Db::open_in_memory().unwrap();
        load(&mut again, &scaled(5_000, 3, 2)).unwrap();
        let again_sum: i64 = again
            .conn
            .query_row("SELECT sum(participants) FROM record", [], |r| r.get(0))
            .unwrap();
        assert_eq!(again_sum, count("SELECT sum(participants) FROM record"));
    }

    #[test]
    fn a_cancelled_or_bad_scale_writes_nothing() {
        let mut db = crate::Db::open_in_memory().unwrap();
        let mut calls = 0;
        let e = load_with_progress(&mut db, &scaled(50_000, 1, 1), &mut |done, _| {
            calls += 1;
            done < 20_000
        })
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Cancelled);
        assert!(calls >= 2);
        let towns: i64 = db
            .conn
            .query_row("SELECT count(*) FROM town", [], |r| r.get(0))
            .unwrap();
        assert_eq!(towns, 0, "nothing kept, not even the demo town");
        for (bad, field) in [
            (scaled(0, 1, 1), "activities"),
            (scaled(10, 99, 1), "towns"),
            (scaled(10, 1, 0), "years"),
        ] {
            let e = load(&mut db, &bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field));
            assert_ne!(
                crate::validate::label(field),
                "字段",
                "{field} has a Chinese label"
            );
        }
        // And the database is still empty, so the demo can load.
        load(&mut db, &DemoInput::default()).unwrap();
    }
}
