//! Units: 村/社区, 学校, 企业, 场所 — the places activities are held and counted for.

use crate::audit;
use crate::db::{parsed_column, Db};
use crate::domain::UnitKind;
use crate::error::{AppError, ErrorCode, Result};
use crate::market::MarketCycle;
use crate::session::require_town;
use crate::{new_id, now, validate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Unit {
    pub id: String,
    pub kind: UnitKind,
    pub name: String,
    pub address: String,
    pub notes: String,
    /// The village's market days (赶集日), if it has a market.
    pub market_days: Option<MarketCycle>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct UnitInput {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// "农历1/4/7", "公历2/5/8" …; empty = no market.
    #[serde(default)]
    pub market_days: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct UnitFilter {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub include_archived: bool,
}

const COLUMNS: &str =
    "id, kind, name, address, notes, archived, created_at, updated_at, market_days";

fn from_row(r: &Row) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        kind: parsed_column(r, 1, "村/社区或单位", |s| UnitKind::parse("kind", s))?,
        name: r.get(2)?,
        address: r.get(3)?,
        notes: r.get(4)?,
        archived: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        market_days: parsed_column(r, 8, "村/社区或单位", |s| {
            MarketCycle::parse("market_days", s)
        })?,
    })
}

pub fn list(conn: &Connection, filter: &UnitFilter) -> Result<Vec<Unit>> {
    let kind = match filter.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(UnitKind::parse("kind", k)?.code()),
        None => None,
    };
    let search = filter.search.as_deref().map(str::trim).unwrap_or("");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM unit
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 = '' OR instr(name, ?2) > 0) AND (?3 OR archived = 0)
         ORDER BY CASE kind WHEN 'village' THEN 0 WHEN 'community' THEN 0 WHEN 'school' THEN 1
                  WHEN 'enterprise' THEN 2 ELSE 3 END, sort_order, name"
    ))?;
    let rows = stmt.query_map(params![kind, search, filter.include_archived], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Unit> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM unit WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("单位", id))
}

struct Checked {
    kind: UnitKind,
    name: String,
    address: String,
    notes: String,
    market_days: String,
}

fn check(input: &UnitInput) -> Result<Checked> {
    let market_days = validate::optional_line("market_days", input.market_days.as_deref(), 30)?;
    Ok(Checked {
        kind: UnitKind::parse("kind", &input.kind)?,
        name: validate::name("name", &input.name, 50)?,
        address: validate::optional_line("address", input.address.as_deref(), 100)?,
        notes: validate::notes("notes", input.notes.as_deref(), 1000)?,
        market_days: MarketCycle::parse("market_days", &market_days)?
            .map(|c| c.to_text())
            .unwrap_or_default(),
    })
}

/// A unit row from a package or a backup: exactly what [`check`] makes of its fields.
pub(crate) fn check_stored(s: &crate::stored::Stored) -> Result<()> {
    let c = check(&UnitInput {
        kind: s.text("kind")?.to_string(),
        name: s.text("name")?.to_string(),
        address: Some(s.text("address")?.to_string()),
        notes: Some(s.text("notes")?.to_string()),
        // A package made before market days (migration 0013) has no such column.
        market_days: s.opt_text("market_days")?.map(str::to_string),
    })?;
    s.same("kind", c.kind.code())?;
    s.same("name", c.name)?;
    s.same("address", c.address)?;
    s.same("notes", c.notes)?;
    if s.opt_text("market_days")?.is_some() {
        s.same("market_days", c.market_days)?;
    }
    s.flag("archived")?;
    s.int("sort_order")?;
    Ok(())
}

fn ensure_unique_name(conn: &Connection, name: &str, except_id: Option<&str>) -> Result<()> {
    let clash: Option<String> = conn
        .query_row(
            "SELECT id FROM unit WHERE name = ?1 AND id IS NOT ?2",
            params![name, except_id],
            |r| r.get(0),
        )
        .optional()?;
    if clash.is_some() {
        return Err(AppError::field(
            ErrorCode::Duplicate,
            "name",
            format!("已有名为“{name}”的村/社区或单位，名称不能重复"),
        )
        .with("value", name)
        .with("clash", "exists"));
    }
    Ok(())
}

pub(crate) fn insert_unit(
    conn: &Connection,
    kind: UnitKind,
    name: &str,
    address: &str,
    notes: &str,
    sort_order: i64,
) -> Result<String> {
    insert_unit_with_market(conn, kind, name, address, notes, "", sort_order)
}

/// `insert_unit` for a unit with market days (the stored form, "农历1/4/7", or '').
pub(crate) fn insert_unit_with_market(
    conn: &Connection,
    kind: UnitKind,
    name: &str,
    address: &str,
    notes: &str,
    market_days: &str,
    sort_order: i64,
) -> Result<String> {
    ensure_unique_name(conn, name, None)?;
    let id = new_id();
    let ts = now();
    conn.execute(
        "INSERT INTO unit (id, kind, name, address, notes, sort_order, market_days, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            id,
            kind.code(),
            name,
            address,
            notes,
            sort_order,
            market_days,
            ts
        ],
    )?;
    audit::changed(conn, "unit", &id, "create", None, Some(&get(conn, &id)?))?;
    Ok(id)
}

pub fn create(db: &mut Db, input: &UnitInput) -> Result<Unit> {
    let c = check(input)?;
    let id = db.with_tx(|tx| {
        require_town(tx)?;
        let order: i64 = tx.query_row(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM unit",
            [],
            |r| r.get(0),
        )?;
        insert_unit_with_market(
            tx,
            c.kind,
            &c.name,
            &c.address,
            &c.notes,
            &c.market_days,
            order,
        )
    })?;
    get(&db.conn, &id)
}

pub fn update(db: &mut Db, id: &str, input: &UnitInput) -> Result<Unit> {
    let c = check(input)?;
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        ensure_unique_name(tx, &c.name, Some(id))?;
        tx.execute(
            "UPDATE unit SET kind = ?2, name = ?3, address = ?4, notes = ?5, market_days = ?6,
                 updated_at = ?7
             WHERE id = ?1",
            params![
                id,
                c.kind.code(),
                c.name,
                c.address,
                c.notes,
                c.market_days,
                now()
            ],
        )?;
        audit::changed(tx, "unit", id, "update", Some(&before), Some(&get(tx, id)?))?;
        Ok(())
    })?;
    get(&db.conn, id)
}

/// Sets a unit's market days (赶集日) alone: "农历1/4/7"; empty for none.
pub fn set_market_days(db: &mut Db, unit: &str, market_days: &str) -> Result<Unit> {
    let u = resolve(&db.conn, unit, "unit_id")?;
    update(
        db,
        &u.id,
        &UnitInput {
            kind: u.kind.code().to_string(),
            name: u.name.clone(),
            address: Some(u.address.clone()),
            notes: Some(u.notes.clone()),
            market_days: Some(market_days.to_string()),
        },
    )
}

pub fn set_archived(db: &mut Db, id: &str, archived: bool) -> Result<Unit> {
    audit::set_archived(db, "unit", id, archived, get)
}

/// Deletes a unit; people who belonged to it keep their record without a unit.
pub fn delete(db: &mut Db, id: &str) -> Result<()> {
    audit::delete(db, "unit", id, get)
}

/// Resolves a unit given by name or id (CLI users type names).
pub fn resolve(conn: &Connection, name_or_id: &str, field: &str) -> Result<Unit> {
    let v = name_or_id.trim();
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM unit WHERE id = ?1 OR name = ?1"
    ))?
    .query_row([v], from_row)
    .optional()?
    .ok_or_else(|| {
        AppError::field(
            ErrorCode::NotFound,
            field,
            format!("找不到名为“{}”的村/社区或单位", validate::clip(v)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::town::{setup, SetupInput};

    fn db() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        setup(
            &mut db,
            &SetupInput {
                town: "双龙镇".into(),
                villages: vec!["安静村".into()],
                ..Default::default()
            },
        )
        .unwrap();
        db
    }

    fn input(kind: &str, name: &str) -> UnitInput {
        UnitInput {
            kind: kind.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn create_update_archive_delete() {
        let mut db = db();
        let u = create(&mut db, &input("school", "龙飞小学")).unwrap();
        assert_eq!(u.kind, UnitKind::School);
        let u = update(&mut db, &u.id, &input("school", "龙飞完全小学")).unwrap();
        assert_eq!(u.name, "龙飞完全小学");
        set_archived(&mut db, &u.id, true).unwrap();
        assert_eq!(list(&db.conn, &UnitFilter::default()).unwrap().len(), 1);
        let all = list(
            &db.conn,
            &UnitFilter {
                include_archived: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(all.len(), 2);
        delete(&mut db, &u.id).unwrap();
        assert_eq!(get(&db.conn, &u.id).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn duplicate_names_are_refused() {
        let mut db = db();
        let e = create(&mut db, &input("village", " 安静村 ")).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Duplicate, Some("name"))
        );
        let other = create(&mut db, &input("village", "石院村")).unwrap();
        let e = update(&mut db, &other.id, &input("village", "安静村")).unwrap_err();
        assert_eq!(e.code, ErrorCode::Duplicate);
        // The specifics for the window's English text.
        assert_eq!(e.params["value"], "安静村");
        assert_eq!(e.params["clash"], "exists");
    }

    #[test]
    fn filters_by_kind_and_search() {
        let mut db = db();
        create(&mut db, &input("school", "双龙中学")).unwrap();
        let f = UnitFilter {
            kind: Some("school".into()),
            ..Default::default()
        };
        assert_eq!(list(&db.conn, &f).unwrap().len(), 1);
        let f = UnitFilter {
            search: Some("安静".into()),
            ..Default::default()
        };
        assert_eq!(list(&db.conn, &f).unwrap()[0].name, "安静村");
    }
}
