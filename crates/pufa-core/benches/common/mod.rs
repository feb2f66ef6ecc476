//! The busy town the `reports` and `ledger` benches share: 30 villages, 8 national campaigns a
//! year, 12 materials, and a number of approved records a year (three in four linked to a
//! campaign and held on its first day, the rest 日常普法 spread over the year; one to three
//! material hand-outs each), in a database file, reopened as the app opens it.

#[allow(dead_code)] // the ledger and import benches measure memory; the others do not
pub mod memory;

use pufa_core::campaign::{self, CampaignInput};
use pufa_core::inventory::{self, MaterialInput, ReceiptInput};
use pufa_core::town::{self, SetupInput, UserInput};
use pufa_core::{new_id, now, Db};
use rusqlite::params;
use std::time::Instant;

const VILLAGES: usize = 30;
/// Every fourth record belongs to no campaign (日常普法).
const EVERYDAY_EVERY: usize = 4;

const CAMPAIGNS: &[(&str, &str, &str, &str)] = &[
    ("春风行动·返岗务工送法", "spring_breeze", "02-20", "03-31"),
    (
        "4·15全民国家安全教育日宣传活动",
        "national_security_day",
        "04-08",
        "04-22",
    ),
    ("民法典宣传月活动", "civil_code_month", "05-01", "05-31"),
    ("全民禁毒宣传月活动", "anti_drug_month", "06-01", "06-30"),
    (
        "秋季开学法治第一课",
        "first_lesson_autumn",
        "09-01",
        "09-10",
    ),
    ("敬老月防范养老诈骗宣传", "elderly_month", "10-01", "10-31"),
    ("消防宣传月活动", "fire_safety_month", "11-01", "11-30"),
    ("宪法宣传周活动", "constitution_week", "12-01", "12-07"),
];

const MATERIALS: &[(&str, &str)] = &[
    ("宪法读本", "册"),
    ("民法典宣传手册", "份"),
    ("国家安全教育宣传册", "册"),
    ("反诈宣传折页", "份"),
    ("禁毒宣传单", "份"),
    ("未成年人保护法读本", "本"),
    ("法律明白纸", "张"),
    ("普法挂历", "本"),
    ("法治环保袋", "个"),
    ("有奖问答笔记本", "个"),
    ("普法围裙", "件"),
    ("法治扇子", "个"),
];

pub struct Town {
    _dir: tempfile::TempDir,
    pub db: Db,
}

/// `per_year` approved records in each of the `years` years from `first_year`. The town, its
/// campaigns and materials go through the public API; the records by raw SQL in one
/// transaction, with the columns and JSON `record::create` writes (approved, linked to their
/// campaign, hand-outs from the town store). `bench` names the bench in the set-up line.
pub fn busy_town(bench: &str, first_year: i32, years: i32, per_year: usize) -> Town {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = Db::open_dir(dir.path()).expect("open");
    let villages: Vec<String> = (1..=VILLAGES).map(|i| format!("第{i}村")).collect();
    town::setup(
        &mut db,
        &SetupInput {
            town: "双龙镇".into(),
            county: Some("巫山县".into()),
            villages: villages.clone(),
            schools: vec!["双龙镇中心小学".into(), "双龙初级中学".into()],
            user: Some(UserInput {
                name: "王芳".into(),
                role: "coordinator".into(),
                village: None,
            }),
            ..Default::default()
        },
    )
    .expect("setup");
    let year_list: Vec<i32> = (first_year..first_year + years).collect();
    // Per year: (campaign id, node, first day).
    let campaigns: Vec<Vec<(String, String, String)>> = year_list
        .iter()
        .map(|year| {
            CAMPAIGNS
                .iter()
                .map(|(name, node, from, to)| {
                    let c = campaign::create(
                        &mut db,
                        &CampaignInput {
                            name: format!("{year}年{name}"),
                            kind: "national".into(),
                            start_date: format!("{year}-{from}"),
                            end_date: format!("{year}-{to}"),
                            nodes: vec![node.to_string()],
                            ..Default::default()
                        },
                    )
                    .expect("campaign");
                    (c.id, node.to_string(), c.start_date)
                })
                .collect()
        })
        .collect();
    let materials: Vec<String> = MATERIALS
        .iter()
        .map(|(name, unit)| {
            inventory::create_material(
                &mut db,
                &MaterialInput {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    ..Default::default()
                },
            )
            .expect("material")
            .id
        })
        .collect();
    // The county's delivery each January: the town store has the stock the year hands out.
    for year in &year_list {
        for id in &materials {
            inventory::receive(
                &mut db,
                &ReceiptInput {
                    material: id.clone(),
                    quantity: 200_000,
                    date: format!("{year}-01-05"),
                    source: Some("县司法局配发".into()),
                    ..Default::default()
                },
            )
            .expect("receipt");
        }
    }
    let unit_ids: Vec<String> = villages
        .iter()
        .map(|v| {
            db.conn
                .query_row("SELECT id FROM unit WHERE name = ?1", [v], |r| r.get(0))
                .expect("village")
        })
        .collect();
    let store: String = db
        .conn
        .query_row("SELECT id FROM store WHERE unit_id IS NULL", [], |r| {
            r.get(0)
        })
        .expect("town store");
    let formats = [
        r#"["street_campaign"]"#,
        r#"["lecture","case_explained"]"#,
        r#"["courtyard_meeting"]"#,
        r#"["quiz","street_campaign"]"#,
        r#"["law_class"]"#,
    ];
    let audiences = [
        r#"["residents"]"#,
        r#"["migrant_workers"]"#,
        r#"["students"]"#,
        r#"["elderly","residents"]"#,
    ];
    db.with_tx(|tx| {
        let mut rec = tx.prepare(
            "INSERT INTO record (id, title, date, unit_id, venue, formats, audiences, laws, nodes,
             participants, reach, consultations, banners, boards, vehicles, online_posts,
             online_views, narrative, recorder, review_status, reviewed_by, reviewed_at,
             created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, '村委会院坝', ?5, ?6, '[\"宪法\",\"民法典\"]', ?7, ?8, ?9,
             ?10, ?11, ?12, ?13, ?14, ?15, '', '王芳', 'approved', '王芳', ?16, ?16, ?16)",
        )?;
        let mut link =
            tx.prepare("INSERT INTO record_campaign (record_id, campaign_id) VALUES (?1, ?2)")?;
        let mut handout = tx.prepare(
            "INSERT INTO stock_movement (id, material_id, kind, quantity, from_store_id, date,
             record_id, below_zero, created_at, updated_at)
             VALUES (?1, ?2, 'handout', ?3, ?4, ?5, ?6, 0, ?7, ?7)",
        )?;
        let stamp = now();
        for (y, year) in year_list.iter().enumerate() {
            let first = chrono::NaiveDate::from_ymd_opt(*year, 1, 1).unwrap();
            let campaigns = &campaigns[y];
            for i in 0..per_year {
                // `i` places the record in its year; `n` numbers it across the years.
                let n = y * per_year + i;
                let id = new_id();
                let campaign = (i % EVERYDAY_EVERY != 0).then(|| &campaigns[i % campaigns.len()]);
                let date = match campaign {
                    Some((_, _, from)) => from.clone(),
                    None => {
                        (first + chrono::Duration::days((i * 365 / per_year) as i64)).to_string()
                    }
                };
                let nodes = campaign
                    .map(|(_, node, _)| format!("[\"{node}\"]"))
                    .unwrap_or_else(|| "[]".into());
                let v = i % VILLAGES;
                let participants = 20 + (i * 37 % 180) as i64;
                rec.execute(params![
                    id,
                    format!("{}普法宣传活动（{n}）", villages[v]),
                    date,
                    unit_ids[v],
                    formats[i % formats.len()],
                    audiences[i % audiences.len()],
                    nodes,
                    participants,
                    participants * 4 / 3,
                    (i % 23) as i64,
                    (i % 3) as i64,
                    (i % 5) as i64,
                    (i % 17 == 0) as i64,
                    (i % 11 == 0) as i64,
                    if i % 11 == 0 {
                        300 + (i % 900) as i64
                    } else {
                        0
                    },
                    stamp,
                ])?;
                if let Some((campaign_id, _, _)) = campaign {
                    link.execute(params![id, campaign_id])?;
                }
                for k in 0..1 + i % 3 {
                    handout.execute(params![
                        new_id(),
                        materials[(i * 7 + k * 5) % materials.len()],
                        5 + (i * 31 + k * 17) as i64 % 56,
                        store,
                        date,
                        id,
                        stamp,
                    ])?;
                }
            }
        }
        Ok(())
    })
    .expect("records");
    // Reopened as the app opens it: a fresh connection, with no statement or page cache warm.
    drop(db);
    let db = Db::open_dir(dir.path()).expect("reopen");
    let span = match years {
        1 => first_year.to_string(),
        _ => format!("{first_year}–{}", first_year + years - 1),
    };
    eprintln!(
        "{bench} bench: {} records in {span} set up in {:.1} s",
        per_year * years as usize,
        started.elapsed().as_secs_f64()
    );
    Town { _dir: dir, db }
}

/// Copies the database file `from` into the folder `to` and flushes it to disk: a user's
/// database is not 100 MB of unwritten pages that a timed import's checkpoint would wait for.
#[allow(dead_code)] // the import and package benches copy; the others do not
pub fn copy_database(from: &std::path::Path, to: &std::path::Path) {
    let copy = to.join(pufa_core::db::DB_FILE);
    std::fs::copy(from, &copy).expect("copy the database");
    std::fs::File::open(&copy)
        .and_then(|f| f.sync_all())
        .expect("sync the copy");
}
