//! The demo town: 双龙镇 with 21 villages, schools, sites, people and a year of plausible
//! campaigns, so a newcomer can explore at once. Deterministic for a given seed and year.

use crate::activity::{self, ActivityInput};
use crate::campaign::{self, CampaignInput};
use crate::db::Db;
use crate::domain::{PersonRole, UnitKind, UserRole};
use crate::error::{AppError, ErrorCode, Result};
use crate::plan;
use crate::town::{self, get_town, AppInfo};
use crate::unit::{insert_unit, insert_unit_with_market};
use crate::{new_id, now};
use rusqlite::{params, OptionalExtension};
use serde::Deserialize;
use ts_rs::TS;

mod scale;
pub use scale::{ScaleInput, MAX_ACTIVITIES};

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct DemoInput {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub seed: Option<u64>,
    /// The year the campaigns are laid out in; default: this year.
    #[serde(default)]
    pub year: Option<i32>,
    /// A county-scale database on top of the demo town (benchmarks, trying the app at size).
    #[serde(default)]
    pub scale: Option<ScaleInput>,
}

pub const TOWN: &str = "双龙镇";
pub const COUNTY: &str = "巫山县";
pub const VILLAGES: [&str; 21] = [
    "双龙社区",
    "安静村",
    "石院村",
    "龙飞村",
    "方坪村",
    "青坪村",
    "凉水村",
    "坪上村",
    "新华村",
    "茶园村",
    "桃花村",
    "杨柳村",
    "金竹村",
    "龙泉村",
    "枣园村",
    "水口村",
    "白鹤村",
    "红岩村",
    "大湾村",
    "黄柏村",
    "松树村",
];
const SCHOOLS: [&str; 4] = [
    "双龙镇中心小学",
    "双龙镇初级中学",
    "龙飞小学",
    "双龙镇中心幼儿园",
];
const ENTERPRISES: [&str; 2] = ["双龙建筑工程项目部", "龙泉农产品加工厂"];
const SITES: [&str; 3] = ["双龙镇党群服务中心", "双龙场镇集市", "双龙文化广场"];

/// Market days: the 场镇 and the villages near it go to 双龙场 (农历逢一、四、七); the villages
/// up the valley to 龙泉场 (逢三、六、九); two hill villages to the neighbouring town's market
/// (公历逢二、五、八); the rest keep none on file.
fn market_days(village: &str) -> &'static str {
    match village {
        "双龙社区" | "安静村" | "石院村" | "龙飞村" | "方坪村" | "青坪村" | "坪上村" | "新华村" => {
            "农历1/4/7"
        }
        "龙泉村" | "枣园村" | "水口村" | "白鹤村" | "金竹村" => "农历3/6/9",
        "红岩村" | "大湾村" => "公历2/5/8",
        _ => "",
    }
}

const SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '胡', '朱', '郭',
    '何', '罗', '谭', '向', '冉', '邓', '彭', '唐',
];
const GIVEN: &[char] = &[
    '明', '华', '军', '平', '勇', '英', '芳', '丽', '强', '敏', '静', '涛', '燕', '红', '林', '波',
    '霞', '磊', '建', '国', '春', '兰', '志', '文', '秀', '海', '云', '德', '福', '琴',
];

/// SplitMix64: a tiny, stable generator so a seed gives the same town on every platform.
pub(crate) struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn name(&mut self) -> String {
        let mut s = String::new();
        s.push(SURNAMES[self.below(SURNAMES.len())]);
        s.push(GIVEN[self.below(GIVEN.len())]);
        if self.below(3) > 0 {
            s.push(GIVEN[self.below(GIVEN.len())]);
        }
        s
    }
    fn phone(&mut self) -> String {
        let prefix = ["138", "139", "152", "158", "177", "183", "189"][self.below(7)];
        format!("{prefix}{:08}", self.next() % 100_000_000)
    }
}

/// Campaigns not made from a template: (name, kind, start, end, audiences, themes, lead unit,
/// nodes). `Y` is the year, `N` the next year, `P` the previous one.
pub(crate) type CampaignSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
);

pub(crate) const CAMPAIGNS: &[CampaignSeed] = &[
    (
        "P—Y年度岁末年初农民工法律服务",
        "targeted",
        "P-12-20",
        "Y-02-10",
        &["migrant_workers"],
        &["保障农民工工资支付条例", "劳动合同法", "法律援助法"],
        "双龙镇司法所",
        &["migrant_winter_service"],
    ),
    (
        "Y年“3·15”消费者权益日",
        "national",
        "Y-03-10",
        "Y-03-15",
        &["residents"],
        &["消费者权益保护法", "食品安全法"],
        "双龙市场监管所",
        &["consumer_day"],
    ),
    (
        "Y年安全生产月",
        "national",
        "Y-06-01",
        "Y-06-30",
        &["business", "migrant_workers"],
        &["安全生产法"],
        "双龙镇应急办",
        &["work_safety_month"],
    ),
    (
        "Y年全民禁毒宣传月",
        "national",
        "Y-06-01",
        "Y-06-30",
        &["students", "residents"],
        &["禁毒法"],
        "双龙派出所",
        &["anti_drug_month"],
    ),
    (
        "Y年国家网络安全宣传周",
        "national",
        "Y-09-14",
        "Y-09-20",
        &["students", "elderly"],
        &["网络安全法", "反电信网络诈骗法"],
        "双龙镇党政办",
        &["cyber_security_week"],
    ),
    (
        "Y年敬老月·防范养老诈骗",
        "national",
        "Y-10-01",
        "Y-10-31",
        &["elderly"],
        &["老年人权益保障法", "反电信网络诈骗法"],
        "双龙镇民政办",
        &["elderly_month", "double_ninth"],
    ),
    (
        "Y—N年度根治欠薪冬季专项行动",
        "targeted",
        "Y-11-15",
        "N-02-10",
        &["migrant_workers", "business"],
        &["保障农民工工资支付条例", "劳动合同法"],
        "双龙镇司法所",
        &["wage_arrears_winter"],
    ),
    (
        "Y年法律明白人培训",
        "local",
        "Y-07-06",
        "Y-07-10",
        &["legal_understanders", "village_committee"],
        &["民法典", "人民调解法"],
        "双龙镇司法所",
        &[],
    ),
];

/// The templates the demo year is laid out with: (template key, for schools rather than villages).
const TEMPLATES: &[(&str, bool)] = &[
    ("spring_breeze", false),
    ("first_lesson_spring", true),
    ("school_safety_day", true),
    ("national_security_day", false),
    ("civil_code_month", false),
    ("first_lesson_autumn", true),
    ("constitution_week", false),
    ("constitution_morning_reading", true),
];

pub(crate) fn fill_year(template: &str, year: i32) -> String {
    template
        .replace('P', &(year - 1).to_string())
        .replace('N', &(year + 1).to_string())
        .replace('Y', &year.to_string())
}

/// Loads the demo town into an empty database, in one transaction.
/// The demo town of `seed`, its campaigns in `year`, loaded into `db` (tests' common start).
#[cfg(test)]
pub(crate) fn load_town(db: &mut Db, seed: u64, year: i32) {
    load(
        db,
        &DemoInput {
            seed: Some(seed),
            year: Some(year),
            scale: None,
        },
    )
    .expect("the demo town loads");
}

pub fn load(db: &mut Db, input: &DemoInput) -> Result<AppInfo> {
    load_with_progress(db, input, &mut |_, _| true)
}

/// `load`, telling `progress(done, total)` how far a scaled generation is; when it returns
/// false the job stops and the transaction is rolled back: nothing of it is kept.
pub fn load_with_progress(
    db: &mut Db,
    input: &DemoInput,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<AppInfo> {
    let today = chrono::Local::now().date_naive().to_string();
    load_on(db, input, &today, progress)
}

/// `load_with_progress` as if today were `today` (ISO): the planned activities up to it have
/// been held and recorded. The same town on every day (the UI tests' fixtures).
pub(crate) fn load_on(
    db: &mut Db,
    input: &DemoInput,
    today: &str,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<AppInfo> {
    use chrono::Datelike;
    let year = input.year.unwrap_or_else(|| chrono::Local::now().year());
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "year",
            "年份须在2000—2100之间",
        ));
    }
    let mut rng = Rng(input.seed.unwrap_or(2026));
    db.with_tx(|tx| {
        if get_town(tx)?.is_some() {
            return Err(AppError::new(
                ErrorCode::AlreadyInitialized,
                "这台电脑已经设置过乡镇，不能再载入示例乡镇；请换一个空的数据文件夹",
            ));
        }
        // Counted once at the end instead of record by record.
        crate::reports::tally::suspend(tx)?;
        let ts = now();
        tx.execute(
            "INSERT INTO town (id, name, county, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![new_id(), TOWN, COUNTY, ts],
        )?;
        let mut order = 0;
        let mut village_ids = Vec::new();
        for name in VILLAGES {
            order += 1;
            let kind = UnitKind::guess_from_village_name(name);
            village_ids.push(insert_unit_with_market(tx, kind, name, "", "", market_days(name), order)?);
        }
        let mut school_ids = Vec::new();
        for name in SCHOOLS {
            order += 1;
            school_ids.push(insert_unit(tx, UnitKind::School, name, "", "", order)?);
        }
        for name in ENTERPRISES {
            order += 1;
            insert_unit(tx, UnitKind::Enterprise, name, "", "", order)?;
        }
        for name in SITES {
            order += 1;
            let market = if name.ends_with("集市") { "农历1/4/7" } else { "" };
            insert_unit_with_market(tx, UnitKind::Site, name, "", "", market, order)?;
        }
        let mut person = |role: PersonRole, unit: Option<&str>, notes: &str| -> Result<()> {
            tx.execute(
                "INSERT INTO person (id, name, role, phone, unit_id, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![new_id(), rng.name(), role.code(), rng.phone(), unit, notes, ts],
            )?;
            Ok(())
        };
        for (i, v) in village_ids.iter().enumerate() {
            person(PersonRole::VillageCadre, Some(v), "综治专干、法治建设联络员")?;
            person(PersonRole::LegalUnderstander, Some(v), "")?;
            if i % 3 == 0 {
                person(PersonRole::LegalUnderstander, Some(v), "")?;
            }
            // One lawyer serves as 法律顾问 for three villages.
            if i % 3 == 0 {
                person(PersonRole::LegalAdviser, Some(v), "村(居)法律顾问，联系本村及相邻两村")?;
            }
        }
        for s in &school_ids[..3] {
            person(PersonRole::VicePrincipal, Some(s), "双龙派出所民警兼任")?;
        }
        person(PersonRole::Police, None, "双龙派出所社区民警")?;
        person(PersonRole::Police, None, "双龙派出所社区民警")?;
        person(PersonRole::Judge, None, "县法院双龙法庭")?;
        person(PersonRole::Staff, None, "双龙镇司法所")?;
        for _ in 0..4 {
            person(PersonRole::Volunteer, None, "普法志愿者")?;
        }
        town::insert_user(tx, "李明", UserRole::Coordinator, None)?;
        for (name, kind, start, end, audiences, themes, lead, nodes) in CAMPAIGNS {
            let input = CampaignInput {
                name: fill_year(name, year),
                kind: (*kind).into(),
                start_date: fill_year(start, year),
                end_date: fill_year(end, year),
                audiences: audiences.iter().map(|a| a.to_string()).collect(),
                themes: themes.iter().map(|t| t.to_string()).collect(),
                lead_unit: Some((*lead).into()),
                notes: None,
                nodes: nodes.iter().map(|n| n.to_string()).collect(),
                report_deadline: None,
            };
            campaign::insert(tx, &campaign::check(tx, &input)?)?;
        }
        lay_out_year(tx, year, today)?;
        crate::audit::note(tx, "town", "demo", "create", "载入示例乡镇")?;
        if let Some(scale) = &input.scale {
            scale::generate(tx, scale, year, &mut rng, progress)?;
        }
        crate::reports::tally::resume(tx)?;
        Ok(())
    })?;
    town::app_info(db)
}

/// The year from templates across the villages and schools, each village activity led by
/// its cadre — and a few conflicts for a newcomer to find.
fn lay_out_year(tx: &rusqlite::Transaction, year: i32, today: &str) -> Result<()> {
    use crate::unit::{self, UnitFilter};
    let units = unit::list(tx, &UnitFilter::default())?;
    let villages: Vec<_> = units
        .iter()
        .filter(|u| u.kind.is_village_level())
        .cloned()
        .collect();
    let schools: Vec<_> = units
        .iter()
        .filter(|u| u.kind == UnitKind::School)
        .cloned()
        .collect();
    let mut campaigns = std::collections::HashMap::new();
    let mut placer = plan::Placer::new(tx);
    for (key, for_schools) in TEMPLATES {
        let t = plan::find_template(tx, key)?;
        let chosen = if *for_schools { &schools } else { &villages };
        let applied = plan::apply_in(tx, &t, year, chosen, &mut placer)?;
        campaigns.insert(*key, applied.campaign_id);
    }
    // Village activities are led by the village's cadre (the first person of the village).
    tx.execute(
        "UPDATE activity SET lead_person_id = (
             SELECT p.id FROM person p WHERE p.unit_id = activity.unit_id AND p.role = 'village_cadre'
             ORDER BY p.rowid LIMIT 1)
         WHERE unit_id IN (SELECT id FROM unit WHERE kind IN ('village', 'community'))",
        [],
    )?;
    let week = &campaigns["constitution_week"];
    let first_two: Vec<(String, String, String)> = tx
        .prepare(
            "SELECT a.id, a.date, a.unit_id FROM activity a
             JOIN activity_campaign c ON c.activity_id = a.id AND c.campaign_id = ?1
             ORDER BY a.date, a.rowid LIMIT 3",
        )?
        .query_map([week], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let adviser: Option<String> = tx
        .query_row(
            "SELECT id FROM person WHERE role = 'legal_adviser' ORDER BY rowid LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let extra =
        |title: &str, date: &str, time: (&str, &str), unit: &str, campaign: Option<&String>| {
            let input = ActivityInput {
                title: title.into(),
                date: date.into(),
                start_time: Some(time.0.into()),
                end_time: Some(time.1.into()),
                unit_id: Some(unit.into()),
                formats: vec!["lecture".into()],
                audiences: vec!["residents".into()],
                campaign_ids: campaign.into_iter().cloned().collect(),
                expected_audience: Some(40),
                ..Default::default()
            };
            let checked = activity::check(tx, &input)?;
            activity::insert(tx, &checked, checked.date, None)
        };
    if let (Some(adviser), [first, second, ..]) = (adviser, first_two.as_slice()) {
        // 1. The legal adviser booked in two villages at once.
        tx.execute(
            "UPDATE activity SET lead_person_id = ?1 WHERE id = ?2",
            params![adviser, first.0],
        )?;
        let id = extra(
            "法律顾问宪法专题讲座",
            &first.1,
            ("09:30", "11:00"),
            &second.2,
            Some(week),
        )?;
        tx.execute(
            "UPDATE activity SET lead_person_id = ?1 WHERE id = ?2",
            params![adviser, id],
        )?;
        // 2. A second morning activity in the same village.
        extra(
            "《安全生产法》宣传周进村",
            &first.1,
            ("10:00", "11:30"),
            &first.2,
            Some(week),
        )?;
    }
    keep_records(tx, year, today)?;
    // 3. On a statutory holiday; 4. outside its campaign's window.
    if let Some(v) = villages.get(5) {
        extra(
            "国庆法治文艺演出",
            &format!("{year}-10-02"),
            ("19:00", "21:00"),
            &v.id,
            None,
        )?;
    }
    if let Some(v) = villages.get(8) {
        let month = campaigns.get("civil_code_month");
        extra(
            "民法典进企业宣讲",
            &format!("{year}-06-05"),
            ("14:30", "16:00"),
            &v.id,
            month,
        )?;
    }
    Ok(())
}

/// Materials: a catalogue, receipts from the county, a transfer to each village, and a held
/// record for every planned activity already past — most approved, a few pending or returned.
fn keep_records(tx: &rusqlite::Transaction, year: i32, today: &str) -> Result<()> {
    use crate::inventory;
    use crate::record::{self, MaterialLineInput, RecordInput, ReviewStatus};
    let catalogue = [
        ("宪法读本", "读本", "册", 500, 50),
        ("宪法宣传折页", "折页", "份", 3000, 300),
        ("民法典读本", "读本", "册", 400, 40),
        ("民法典宣传手册", "手册", "份", 2000, 200),
        ("国家安全教育宣传册", "手册", "册", 1200, 100),
        ("有奖问答奖品", "奖品", "个", 300, 30),
        ("农民工维权手册", "手册", "册", 800, 80),
        ("青少年法治教育读本", "读本", "本", 600, 60),
        ("安全教育宣传单", "折页", "份", 1500, 100),
        ("宪法（宣誓本）", "读本", "本", 60, 10),
    ];
    let town_store = inventory::town_store(tx)?;
    for (name, category, unit, received, low) in catalogue {
        let id = new_id();
        tx.execute(
            "INSERT INTO material (id, name, category, unit, low_stock, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![id, name, category, unit, low, now()],
        )?;
        tx.execute(
            "INSERT INTO stock_movement (id, material_id, kind, quantity, to_store_id, date, source,
                 created_at, updated_at)
             VALUES (?1, ?2, 'receipt', ?3, ?4, ?5, '县司法局配发', ?6, ?6)",
            params![new_id(), id, received, town_store, format!("{year}-01-15"), now()],
        )?;
    }
    let planned: Vec<(String, String)> = tx
        .prepare(
            "SELECT id, date FROM activity WHERE date <= ?1 AND status = 'planned'
             ORDER BY date, rowid",
        )?
        .query_map([today], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (i, (activity_id, _)) in planned.iter().enumerate() {
        let pre = record::prefill(tx, activity_id)?;
        let expected = pre.participants.max(30);
        // Turn-out varies around the plan; a fifth of the events were bigger than planned.
        let participants = expected * (70 + (i as i64 * 37) % 60) / 100;
        let materials = pre_materials(tx, activity_id)?
            .into_iter()
            .map(|(item, quantity, unit)| MaterialLineInput {
                material_id: None,
                material_name: Some(item),
                quantity: (quantity as f64 * 0.8).round().max(1.0),
                unit: Some(unit),
            })
            .collect();
        let input = RecordInput {
            activity_id: Some(activity_id.clone()),
            title: pre.title.clone(),
            date: pre.date.clone(),
            start_time: pre.start_time.clone(),
            end_time: pre.end_time.clone(),
            unit_id: pre.unit_id.clone(),
            formats: pre.formats.iter().map(|f| f.code().to_string()).collect(),
            audiences: pre.audiences.iter().map(|a| a.code().to_string()).collect(),
            laws: pre.laws.clone(),
            campaign_ids: pre.campaign_ids.clone(),
            nodes: pre.nodes.clone(),
            partners: pre.partners.clone(),
            participants: participants as f64,
            reach: Some((participants + participants / 3) as f64),
            counts: crate::record::RecordCountsInput {
                consultations: Some((participants / 8) as f64),
                banners: Some(1.0),
                boards: Some((i % 3) as f64),
                ..Default::default()
            },
            narrative: Some(format!("{}，群众参与积极，现场解答法律咨询。", pre.title)),
            materials,
            recorder: "李明".into(),
            confirm_below_zero: true,
            ..Default::default()
        };
        let id = record::create_in(tx, &input)?;
        // Most records are approved; every ninth waits, every thirteenth was returned.
        if i % 9 == 4 {
            record::set_review(tx, &id, ReviewStatus::Pending, "")?;
        } else if i % 13 == 6 {
            record::set_review(tx, &id, ReviewStatus::Returned, "请补充现场照片和签到表")?;
        }
    }
    Ok(())
}

fn pre_materials(
    tx: &rusqlite::Connection,
    activity_id: &str,
) -> Result<Vec<(String, u32, String)>> {
    let a = crate::activity::get(tx, activity_id)?;
    Ok(a.materials
        .into_iter()
        .filter(|m| {
            tx.query_row("SELECT 1 FROM material WHERE name = ?1", [&m.item], |_| {
                Ok(())
            })
            .optional()
            .ok()
            .flatten()
            .is_some()
        })
        .map(|m| (m.item, m.quantity, m.unit))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::CampaignFilter;

    #[test]
    fn demo_town_is_complete_and_deterministic() {
        let mut a = Db::open_in_memory().unwrap();
        load(
            &mut a,
            &DemoInput {
                seed: Some(7),
                year: Some(2026),
                scale: None,
            },
        )
        .unwrap();
        let villages: i64 = a
            .conn
            .query_row(
                "SELECT count(*) FROM unit WHERE kind IN ('village','community')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(villages, 21);
        let campaigns = campaign::list(&a.conn, &CampaignFilter::default()).unwrap();
        assert_eq!(campaigns.len(), CAMPAIGNS.len() + TEMPLATES.len());
        let week = campaigns
            .iter()
            .find(|c| c.name.contains("宪法宣传周"))
            .unwrap();
        assert_eq!(
            (week.start_date.as_str(), week.end_date.as_str()),
            ("2026-12-01", "2026-12-07")
        );
        // Every village has its constitution-week activity.
        let cov = crate::conflicts::coverage(&a.conn, &week.id).unwrap();
        assert_eq!((cov.covered.len(), cov.missing.len()), (21, 0));
        // A few conflicts of each kind to find.
        let found = crate::conflicts::for_year(&a.conn, 2026).unwrap();
        let count =
            |k: crate::conflicts::ConflictKind| found.iter().filter(|c| c.kind == k).count();
        use crate::conflicts::ConflictKind::*;
        assert!(count(PersonDouble) >= 1, "{found:?}");
        assert!(count(VillageHalfDay) >= 1);
        assert!(count(Holiday) >= 1);
        assert!(count(OutsideCampaign) >= 1);
        assert!(found.len() <= 12, "a few, not a flood: {}", found.len());
        // Held records up to today, most approved, some pending and returned; stock moved.
        let records = crate::record::list(&a.conn, &Default::default()).unwrap();
        let status = |s: crate::record::ReviewStatus| {
            records.iter().filter(|r| r.review_status == s).count()
        };
        use crate::record::ReviewStatus::*;
        assert!(records.len() > 40, "{}", records.len());
        assert!(status(Approved) > status(Pending) + status(Returned));
        assert!(status(Pending) >= 1 && status(Returned) >= 1);
        let stock = crate::inventory::report(&a.conn).unwrap();
        let book = stock
            .materials
            .iter()
            .find(|m| m.name == "民法典读本")
            .unwrap();
        assert!(
            book.balance < 400,
            "hand-outs left the store: {}",
            book.balance
        );
        let trail = crate::audit::list(&a.conn, &Default::default()).unwrap();
        assert!(trail.iter().any(|e| e.action == "approve"));
        assert!(campaigns
            .iter()
            .any(|c| c.name == "2025—2026年度岁末年初农民工法律服务"));

        let names = |db: &Db| -> Vec<String> {
            let mut s = db
                .conn
                .prepare("SELECT name FROM person ORDER BY rowid")
                .unwrap();
            s.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        let mut b = Db::open_in_memory().unwrap();
        load(
            &mut b,
            &DemoInput {
                seed: Some(7),
                year: Some(2026),
                scale: None,
            },
        )
        .unwrap();
        assert_eq!(names(&a), names(&b));
        assert!(crate::check::run(&a).unwrap().ok);
    }

    #[test]
    fn demo_refuses_an_initialised_database() {
        let mut db = Db::open_in_memory().unwrap();
        load(&mut db, &DemoInput::default()).unwrap();
        let e = load(&mut db, &DemoInput::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::AlreadyInitialized);
    }
}
