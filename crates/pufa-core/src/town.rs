//! The town this computer works for, its first-run set-up, who uses the computer, and settings.

use crate::db::{Db, SCHEMA_VERSION};
use crate::domain::{UnitKind, UserRole};
use crate::error::{AppError, ErrorCode, Result};
pub use crate::session::{
    current_user, get_town, require_town, set_setting, setting, Town, UserProfile,
};
use crate::unit::insert_unit;
use crate::{new_id, now, validate};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The first-run set-up form.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct SetupInput {
    pub town: String,
    #[serde(default)]
    pub county: Option<String>,
    /// 村/社区 names; a name ending in 社区 becomes a community.
    #[serde(default)]
    pub villages: Vec<String>,
    #[serde(default)]
    pub schools: Vec<String>,
    /// Enterprises and other sites (集市, 广场, 党群服务中心 …).
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub user: Option<UserInput>,
    /// A county's roll-up (县级汇总): the towns' data packages are imported into it, each town's
    /// villages and campaigns under the town's name; it needs no villages of its own.
    #[serde(default)]
    pub county_rollup: bool,
}

/// The setting that marks a county's roll-up.
pub const COUNTY_ROLLUP: &str = "county_rollup";

/// Whether this database is a county's roll-up of towns' packages.
pub fn is_county_rollup(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(setting(conn, COUNTY_ROLLUP)?.as_deref() == Some("1"))
}

/// Who is using this computer.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct UserInput {
    pub name: String,
    pub role: String,
    /// For a village cadre: the name of their village.
    #[serde(default)]
    pub village: Option<String>,
}

/// What the window needs at start: set up or not, whose computer, where the data lives.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub initialized: bool,
    pub town: Option<Town>,
    /// A county's roll-up of towns' packages (then `town` is the county).
    pub county_rollup: bool,
    pub user: Option<UserProfile>,
    pub locale: String,
    pub data_dir: Option<String>,
    pub device_id: String,
    pub schema_version: i32,
    pub version: String,
}

pub const SUPPORTED_LOCALES: &[&str] = &["zh-CN", "en"];

pub fn app_info(db: &Db) -> Result<AppInfo> {
    let town = get_town(&db.conn)?;
    Ok(AppInfo {
        initialized: town.is_some(),
        town,
        county_rollup: is_county_rollup(&db.conn)?,
        user: current_user(&db.conn)?,
        locale: setting(&db.conn, "locale")?.unwrap_or_else(|| "zh-CN".into()),
        data_dir: db.data_dir.as_ref().map(|p| p.display().to_string()),
        device_id: setting(&db.conn, "device_id")?.unwrap_or_default(),
        schema_version: SCHEMA_VERSION as i32,
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

pub fn set_locale(db: &Db, locale: &str) -> Result<()> {
    if !SUPPORTED_LOCALES.contains(&locale) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "locale",
            format!(
                "不支持的界面语言“{}”，可选：zh-CN、en",
                validate::clip(locale)
            ),
        ));
    }
    set_setting(&db.conn, "locale", locale)?;
    crate::audit::note(
        &db.conn,
        "setting",
        "locale",
        "update",
        &format!("界面语言改为 {locale}"),
    )
}

/// A town row from a package or a backup: as the set-up checks its name and county.
pub(crate) fn check_stored(s: &crate::stored::Stored) -> Result<()> {
    s.same("name", validate::name("town", s.text("name")?, 50)?)?;
    s.same(
        "county",
        validate::optional_line("county", Some(s.text("county")?), 50)?,
    )
}

/// Validated set-up, checked completely before anything is written.
struct CheckedSetup {
    town: String,
    county_rollup: bool,
    county: String,
    units: Vec<(UnitKind, String)>,
    user: Option<(String, UserRole, Option<String>)>,
}

fn check_setup(input: &SetupInput) -> Result<CheckedSetup> {
    let town = validate::name("town", &input.town, 50)?;
    let county = validate::optional_line("county", input.county.as_deref(), 50)?;
    let mut units: Vec<(UnitKind, String)> = Vec::new();
    let groups: [(&str, &Vec<String>); 3] = [
        ("villages", &input.villages),
        ("schools", &input.schools),
        ("sites", &input.sites),
    ];
    for (field, names) in groups {
        for raw in names.iter().flat_map(|n| validate::split_list(n)) {
            let name = validate::name(field, &raw, 50)?;
            if units.iter().any(|(_, n)| *n == name) {
                return Err(AppError::field(
                    ErrorCode::Duplicate,
                    field,
                    format!("“{name}”重复出现，每个村/社区、学校或场所只能填一次"),
                )
                .with("value", name.as_str())
                .with("clash", "repeated"));
            }
            let kind = match field {
                "villages" => UnitKind::guess_from_village_name(&name),
                "schools" => UnitKind::School,
                _ => UnitKind::Site,
            };
            units.push((kind, name));
        }
    }
    if !input.county_rollup && !units.iter().any(|(k, _)| k.is_village_level()) {
        return Err(AppError::field(
            ErrorCode::Required,
            "villages",
            "请至少填写一个村或社区",
        ));
    }
    let user = match &input.user {
        None => None,
        Some(u) => {
            let name = validate::name("user_name", &u.name, 30)?;
            let role = UserRole::parse("role", &u.role)?;
            let village = match cadre_village(role, u.village.as_deref())? {
                Some(v) if !units.iter().any(|(k, n)| k.is_village_level() && n == v) => {
                    return Err(AppError::field(
                        ErrorCode::InvalidValue,
                        "unit_id",
                        format!("村干部所在的村“{}”不在村/社区名单中", validate::clip(v)),
                    ));
                }
                v => v.map(str::to_string),
            };
            Some((name, role, village))
        }
    };
    Ok(CheckedSetup {
        town,
        county_rollup: input.county_rollup,
        county,
        units,
        user,
    })
}

/// First-run set-up: the town, its units and the user of this computer, in one transaction.
pub fn setup(db: &mut Db, input: &SetupInput) -> Result<AppInfo> {
    let checked = check_setup(input)?;
    db.with_tx(|tx| {
        if get_town(tx)?.is_some() {
            return Err(AppError::new(
                ErrorCode::AlreadyInitialized,
                "这台电脑已经设置过乡镇，数据未改动；如需重新开始，请换一个数据文件夹",
            ));
        }
        let ts = now();
        let town_id = new_id();
        tx.execute(
            "INSERT INTO town (id, name, county, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![town_id, checked.town, checked.county, ts],
        )?;
        if checked.county_rollup {
            set_setting(tx, COUNTY_ROLLUP, "1")?;
        }
        // The user first, so the set-up's trail is theirs (a cadre's village must exist first).
        if let Some((name, role, None)) = &checked.user {
            insert_user(tx, name, *role, None)?;
        }
        crate::audit::changed(tx, "town", &town_id, "create", None, get_town(tx)?.as_ref())?;
        for (i, (kind, name)) in checked.units.iter().enumerate() {
            insert_unit(tx, *kind, name, "", "", i as i64)?;
        }
        if let Some((name, role, Some(village))) = &checked.user {
            insert_user(tx, name, *role, Some(village.as_str()))?;
        }
        Ok(())
    })?;
    app_info(db)
}

pub(crate) fn insert_user(
    tx: &Transaction,
    name: &str,
    role: UserRole,
    village: Option<&str>,
) -> Result<String> {
    let unit_id: Option<String> = match village {
        Some(v) => tx
            .query_row("SELECT id FROM unit WHERE name = ?1", [v], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let id = new_id();
    let ts = now();
    tx.execute(
        "INSERT INTO user_profile (id, name, role, unit_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![id, name, role.code(), unit_id, ts],
    )?;
    set_setting(tx, "current_user_id", &id)?;
    crate::audit::changed(tx, "user", &id, "create", None, current_user(tx)?.as_ref())?;
    Ok(id)
}

/// A user form checked against the database: the name, the role and a cadre's village.
fn check_user(tx: &Transaction, input: &UserInput) -> Result<(String, UserRole, Option<String>)> {
    let name = validate::name("user_name", &input.name, 30)?;
    let role = UserRole::parse("role", &input.role)?;
    require_town(tx)?;
    let unit_id: Option<String> = match cadre_village(role, input.village.as_deref())? {
        Some(v) => Some(
            tx.query_row(
                "SELECT id FROM unit WHERE (name = ?1 OR id = ?1) AND kind IN ('village','community')",
                [v],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                AppError::field(ErrorCode::InvalidValue, "unit_id", "所选村/社区不存在")
            })?,
        ),
        None => None,
    };
    Ok((name, role, unit_id))
}

/// The rule both the set-up and the user form keep: a 村干部 names his village (trimmed), the
/// other roles none. Whether that village exists is the caller's to check against its list.
fn cadre_village(role: UserRole, village: Option<&str>) -> Result<Option<&str>> {
    match (role, village.map(str::trim)) {
        (UserRole::VillageCadre, Some(v)) if !v.is_empty() => Ok(Some(v)),
        (UserRole::VillageCadre, _) => Err(AppError::field(
            ErrorCode::Required,
            "unit_id",
            "村干部请选择所在的村/社区",
        )),
        _ => Ok(None),
    }
}

/// Changes who uses this computer (name, role, village).
pub fn update_user(db: &mut Db, input: &UserInput) -> Result<AppInfo> {
    db.with_tx(|tx| {
        let (name, role, unit_id) = check_user(tx, input)?;
        let before = current_user(tx)?;
        match setting(tx, "current_user_id")? {
            Some(id) => {
                tx.execute(
                    "UPDATE user_profile SET name = ?2, role = ?3, unit_id = ?4, updated_at = ?5 WHERE id = ?1",
                    params![id, name, role.code(), unit_id, now()],
                )?;
            }
            None => {
                let id = insert_user(tx, &name, role, None)?;
                tx.execute("UPDATE user_profile SET unit_id = ?2 WHERE id = ?1", params![id, unit_id])?;
            }
        }
        let after = current_user(tx)?;
        let id = after.as_ref().map(|u| u.id.clone()).unwrap_or_default();
        crate::audit::changed(tx, "user", &id, "update", before.as_ref(), after.as_ref())?;
        Ok(())
    })?;
    app_info(db)
}

/// The people who use this data folder (one laptop, several people: a coordinator, a leader,
/// cadres), in the order they were added (rowid breaks a tie of two in the same millisecond).
/// Roles shape the window; they are not a security boundary.
pub fn list_users(conn: &rusqlite::Connection) -> Result<Vec<UserProfile>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, p.role, p.unit_id, u.name
             FROM user_profile p LEFT JOIN unit u ON u.id = p.unit_id
             ORDER BY p.created_at, p.rowid",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    // A role this build does not know is left out of the switcher rather than guessed.
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, role, unit_id, unit_name)| {
            let role = UserRole::parse("role", &role).ok()?;
            Some(UserProfile {
                id,
                name,
                role,
                unit_id,
                unit_name,
            })
        })
        .collect())
}

/// Adds a person to this data folder and makes them its current user.
pub fn add_user(db: &mut Db, input: &UserInput) -> Result<AppInfo> {
    db.with_tx(|tx| {
        let (name, role, unit_id) = check_user(tx, input)?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM user_profile WHERE name = ?1)",
            [&name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(AppError::field(
                ErrorCode::Duplicate,
                "user_name",
                format!("已有名为“{}”的使用人", validate::clip(&name)),
            ));
        }
        let id = insert_user(tx, &name, role, None)?;
        tx.execute(
            "UPDATE user_profile SET unit_id = ?2 WHERE id = ?1",
            params![id, unit_id],
        )?;
        Ok(())
    })?;
    app_info(db)
}

/// Makes another of this data folder's people its current user (who records, who reviews).
pub fn switch_user(db: &mut Db, id: &str) -> Result<AppInfo> {
    db.with_tx(|tx| {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM user_profile WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "user_id",
                "该使用人不存在",
            ));
        }
        set_setting(tx, "current_user_id", id)?;
        crate::audit::note(tx, "user", id, "switch", "切换当前使用人")
    })?;
    app_info(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SetupInput {
        SetupInput {
            town: "双龙镇".into(),
            county: Some("巫山县".into()),
            villages: vec!["安静村\n双龙社区".into(), "石院村".into()],
            schools: vec!["双龙镇中心小学".into()],
            sites: vec![],
            user: Some(UserInput {
                name: "李明".into(),
                role: "coordinator".into(),
                village: None,
            }),
            county_rollup: false,
        }
    }

    #[test]
    fn setup_creates_town_units_and_user() {
        let mut db = Db::open_in_memory().unwrap();
        let info = setup(&mut db, &input()).unwrap();
        assert!(info.initialized);
        assert_eq!(info.town.unwrap().name, "双龙镇");
        assert_eq!(info.user.unwrap().role, UserRole::Coordinator);
        let kinds: Vec<(String, String)> = db
            .conn
            .prepare("SELECT name, kind FROM unit ORDER BY sort_order")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(
            kinds,
            [
                ("安静村".to_string(), "village".to_string()),
                ("双龙社区".into(), "community".into()),
                ("石院村".into(), "village".into()),
                ("双龙镇中心小学".into(), "school".into())
            ]
        );
    }

    #[test]
    fn setup_refuses_bad_input_and_writes_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let cases: Vec<(SetupInput, ErrorCode, &str)> = vec![
            (
                SetupInput {
                    town: "  ".into(),
                    ..input()
                },
                ErrorCode::Required,
                "town",
            ),
            (
                SetupInput {
                    villages: vec!["甲村,甲村".into()],
                    ..input()
                },
                ErrorCode::Duplicate,
                "villages",
            ),
            (
                SetupInput {
                    villages: vec![],
                    ..input()
                },
                ErrorCode::Required,
                "villages",
            ),
            (
                SetupInput {
                    town: "镇".repeat(10_000),
                    ..input()
                },
                ErrorCode::TooLong,
                "town",
            ),
            (
                SetupInput {
                    user: Some(UserInput {
                        name: "王".into(),
                        role: "king".into(),
                        village: None,
                    }),
                    ..input()
                },
                ErrorCode::InvalidValue,
                "role",
            ),
            (
                SetupInput {
                    user: Some(UserInput {
                        name: "王".into(),
                        role: "village_cadre".into(),
                        village: Some("不存在村".into()),
                    }),
                    ..input()
                },
                ErrorCode::InvalidValue,
                "unit_id",
            ),
        ];
        for (case, code, field) in cases {
            let e = setup(&mut db, &case).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (code, Some(field)),
                "{}",
                e.message
            );
        }
        let n: i64 = db
            .conn
            .query_row("SELECT count(*) FROM unit", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        assert!(get_town(&db.conn).unwrap().is_none());
    }

    #[test]
    fn second_setup_is_refused() {
        let mut db = Db::open_in_memory().unwrap();
        setup(&mut db, &input()).unwrap();
        let e = setup(
            &mut db,
            &SetupInput {
                town: "别的镇".into(),
                ..input()
            },
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::AlreadyInitialized);
        assert_eq!(get_town(&db.conn).unwrap().unwrap().name, "双龙镇");
    }

    #[test]
    fn locale_is_checked() {
        let db = Db::open_in_memory().unwrap();
        set_locale(&db, "en").unwrap();
        assert_eq!(app_info(&db).unwrap().locale, "en");
        assert_eq!(
            set_locale(&db, "fr").unwrap_err().code,
            ErrorCode::InvalidValue
        );
    }

    #[test]
    fn people_of_a_data_folder_are_listed_added_and_switched() {
        let mut db = Db::open_in_memory().unwrap();
        setup(&mut db, &input()).unwrap();
        let info = add_user(
            &mut db,
            &UserInput {
                name: "张村干".into(),
                role: "village_cadre".into(),
                village: Some("石院村".into()),
            },
        )
        .unwrap();
        let cadre = info.user.unwrap();
        assert_eq!(
            (cadre.role, cadre.unit_name.as_deref()),
            (UserRole::VillageCadre, Some("石院村"))
        );
        let people = list_users(&db.conn).unwrap();
        let names: Vec<&str> = people.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["李明", "张村干"]);
        let li = people[0].id.clone();
        assert_eq!(
            switch_user(&mut db, &li).unwrap().user.unwrap().name,
            "李明"
        );
        let e = switch_user(&mut db, "nobody").unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let e = add_user(
            &mut db,
            &UserInput {
                name: "李明".into(),
                role: "leader".into(),
                village: None,
            },
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Duplicate);
        // A cadre names his village, and it must be one of the town's.
        for (village, code) in [
            (None, ErrorCode::Required),
            (Some("  "), ErrorCode::Required),
            (Some("没有这个村"), ErrorCode::InvalidValue),
        ] {
            let e = add_user(
                &mut db,
                &UserInput {
                    name: "王村干".into(),
                    role: "village_cadre".into(),
                    village: village.map(str::to_string),
                },
            )
            .unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (code, Some("unit_id")));
        }
        assert_eq!(list_users(&db.conn).unwrap().len(), 2);
        assert_eq!(current_user(&db.conn).unwrap().unwrap().name, "李明");
    }
}
