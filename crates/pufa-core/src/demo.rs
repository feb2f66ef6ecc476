//! The demo town: 双龙镇 with 21 villages, schools, sites, people and a year of plausible
//! campaigns, so a newcomer can explore at once. Deterministic for a given seed and year.

use crate::campaign::{self, CampaignInput};
use crate::db::Db;
use crate::domain::{PersonRole, UnitKind, UserRole};
use crate::error::{AppError, ErrorCode, Result};
use crate::town::{self, get_town, AppInfo};
use crate::unit::insert_unit;
use crate::{new_id, now};
use rusqlite::params;
use serde::Deserialize;
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct DemoInput {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub seed: Option<u64>,
    /// The year the campaigns are laid out in; default: this year.
    #[serde(default)]
    pub year: Option<i32>,
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

const SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '胡', '朱', '郭',
    '何', '罗', '谭', '向', '冉', '邓', '彭', '唐',
];
const GIVEN: &[char] = &[
    '明', '华', '军', '平', '勇', '英', '芳', '丽', '强', '敏', '静', '涛', '燕', '红', '林', '波',
    '霞', '磊', '建', '国', '春', '兰', '志', '文', '秀', '海', '云', '德', '福', '琴',
];

/// SplitMix64: a tiny, stable generator so a seed gives the same town on every platform.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
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

/// The year's campaigns: (name, kind, start, end, audiences, themes, lead unit). `Y` is the
/// year, `N` the next year, `P` the previous one.
type CampaignSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
);

const CAMPAIGNS: &[CampaignSeed] = &[
    (
        "P-Y岁末年初农民工法律服务",
        "targeted",
        "P-12-20",
        "Y-02-10",
        &["migrant_workers"],
        &["保障农民工工资支付条例", "劳动合同法", "法律援助法"],
        "双龙镇司法所",
    ),
    (
        "Y年春风行动·返岗务工送法",
        "targeted",
        "Y-02-16",
        "Y-03-20",
        &["migrant_workers"],
        &["劳动法", "保障农民工工资支付条例"],
        "双龙镇人力社保服务所",
    ),
    (
        "Y年春季开学第一课",
        "targeted",
        "Y-02-23",
        "Y-03-13",
        &["students", "teachers_parents"],
        &["未成年人保护法", "预防未成年人犯罪法"],
        "双龙派出所",
    ),
    (
        "Y年“3·15”消费者权益日",
        "national",
        "Y-03-10",
        "Y-03-15",
        &["residents"],
        &["消费者权益保护法", "食品安全法"],
        "双龙市场监管所",
    ),
    (
        "Y年“4·15”全民国家安全教育日",
        "national",
        "Y-04-08",
        "Y-04-20",
        &["residents", "students", "civil_servants"],
        &["国家安全法", "反间谍法"],
        "双龙镇平安建设办",
    ),
    (
        "Y年民法典宣传月",
        "national",
        "Y-05-01",
        "Y-05-31",
        &["residents", "business"],
        &["民法典"],
        "双龙镇司法所",
    ),
    (
        "Y年安全生产月",
        "national",
        "Y-06-01",
        "Y-06-30",
        &["business", "migrant_workers"],
        &["安全生产法"],
        "双龙镇应急办",
    ),
    (
        "Y年全民禁毒宣传月",
        "national",
        "Y-06-01",
        "Y-06-30",
        &["students", "residents"],
        &["禁毒法"],
        "双龙派出所",
    ),
    (
        "Y年国家网络安全宣传周",
        "national",
        "Y-09-14",
        "Y-09-20",
        &["students", "elderly"],
        &["网络安全法", "反电信网络诈骗法"],
        "双龙镇党政办",
    ),
    (
        "Y年秋季开学第一课",
        "targeted",
        "Y-09-01",
        "Y-09-18",
        &["students", "teachers_parents"],
        &["未成年人保护法", "家庭教育促进法"],
        "双龙派出所",
    ),
    (
        "Y年敬老月·防范养老诈骗",
        "national",
        "Y-10-01",
        "Y-10-31",
        &["elderly"],
        &["老年人权益保障法", "反电信网络诈骗法"],
        "双龙镇民政办",
    ),
    (
        "Y-N根治欠薪冬季专项行动",
        "targeted",
        "Y-11-15",
        "N-02-10",
        &["migrant_workers", "business"],
        &["保障农民工工资支付条例", "劳动合同法"],
        "双龙镇司法所",
    ),
    (
        "Y年“12·4”国家宪法日暨宪法宣传周",
        "national",
        "Y-11-25",
        "Y-12-20",
        &[
            "residents",
            "students",
            "civil_servants",
            "village_committee",
        ],
        &["宪法", "法治宣传教育法"],
        "双龙镇司法所",
    ),
    (
        "Y年法律明白人培训",
        "local",
        "Y-07-06",
        "Y-07-10",
        &["legal_understanders", "village_committee"],
        &["民法典", "人民调解法"],
        "双龙镇司法所",
    ),
];

fn fill_year(template: &str, year: i32) -> String {
    template
        .replace('P', &(year - 1).to_string())
        .replace('N', &(year + 1).to_string())
        .replace('Y', &year.to_string())
}

/// Loads the demo town into an empty database, in one transaction.
pub fn load(db: &mut Db, input: &DemoInput) -> Result<AppInfo> {
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
        let ts = now();
        tx.execute(
            "INSERT INTO town (id, name, county, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![new_id(), TOWN, COUNTY, ts],
        )?;
        let mut order = 0;
        let mut village_ids = Vec::new();
        for name in VILLAGES {
            order += 1;
            village_ids.push(insert_unit(tx, UnitKind::guess_from_village_name(name), name, "", "", order)?);
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
            insert_unit(tx, UnitKind::Site, name, "", "", order)?;
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
        for (name, kind, start, end, audiences, themes, lead) in CAMPAIGNS {
            let input = CampaignInput {
                name: fill_year(name, year),
                kind: (*kind).into(),
                start_date: fill_year(start, year),
                end_date: fill_year(end, year),
                audiences: audiences.iter().map(|a| a.to_string()).collect(),
                themes: themes.iter().map(|t| t.to_string()).collect(),
                lead_unit: Some((*lead).into()),
                notes: None,
                nodes: vec![],
            };
            campaign::insert(tx, &campaign::check(tx, &input)?)?;
        }
        town::insert_user(tx, "李明", UserRole::Coordinator, None)?;
        Ok(())
    })?;
    town::app_info(db)
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
        assert_eq!(campaigns.len(), CAMPAIGNS.len());
        let week = campaigns
            .iter()
            .find(|c| c.name.contains("宪法宣传周"))
            .unwrap();
        assert_eq!(
            (week.start_date.as_str(), week.end_date.as_str()),
            ("2026-11-25", "2026-12-20")
        );
        assert!(campaigns
            .iter()
            .any(|c| c.name == "2025-2026岁末年初农民工法律服务"));

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
