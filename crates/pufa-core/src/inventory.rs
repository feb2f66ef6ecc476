//! The materials ledger: a catalogue (name, category, unit), stores (the town's and each
//! village's), and movements — receipts (入库), hand-outs through activity records (出库)
//! and transfers. A balance is always computed from the movements; a hand-out that would
//! go below zero needs an explicit confirmation and stays flagged in the ledger.

use crate::audit;
use crate::db::{insert_rows, Db};
use crate::error::{AppError, ErrorCode, Result};
use crate::town::{require_town, UserProfile};
use crate::{new_id, now, validate};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Units materials are counted in.
pub const UNITS: &[&str] = &[
    "份", "册", "本", "张", "个", "件", "条", "块", "套", "盒", "袋", "瓶",
];

pub const TOWN_STORE: &str = "镇普法资料库";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub category: String,
    pub unit: String,
    /// Warn when the overall balance is at or below this.
    #[ts(type = "number")]
    pub low_stock: i64,
    pub archived: bool,
    /// Overall balance across stores.
    #[ts(type = "number")]
    pub balance: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct MaterialInput {
    pub name: String,
    #[serde(default)]
    pub category: Option<String>,
    pub unit: String,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub low_stock: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Store {
    pub id: String,
    pub name: String,
    /// The village of a village store; None for the town store.
    pub unit_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MovementKind {
    Receipt,
    Handout,
    Transfer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Movement {
    pub id: String,
    pub material_id: String,
    pub material_name: String,
    pub unit: String,
    pub kind: MovementKind,
    #[ts(type = "number")]
    pub quantity: i64,
    pub from_store: Option<String>,
    pub to_store: Option<String>,
    pub date: String,
    pub source: String,
    pub record_id: Option<String>,
    /// A confirmed hand-out that took the store below zero.
    pub below_zero: bool,
    pub note: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Balance {
    pub material_id: String,
    pub material_name: String,
    pub unit: String,
    pub store_id: String,
    pub store_name: String,
    #[ts(type = "number")]
    pub balance: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockReport {
    /// Per material and store (stores with any movement).
    pub balances: Vec<Balance>,
    /// Per material overall, with the low-stock warning.
    pub materials: Vec<Material>,
    /// Materials at or below their threshold.
    pub low: Vec<String>,
}

/// The overall balance is the sum over stores of the running balances (`stock_balance`, kept
/// by triggers on `stock_movement`): receipts − hand-outs, transfers cancelling out.
const MATERIAL_SELECT: &str = "SELECT m.id, m.name, m.category, m.unit, m.low_stock, m.archived,
        coalesce((SELECT sum(b.balance) FROM stock_balance b WHERE b.material_id = m.id), 0),
        m.created_at, m.updated_at
    FROM material m";

fn material_row(r: &Row) -> rusqlite::Result<Material> {
    Ok(Material {
        id: r.get(0)?,
        name: r.get(1)?,
        category: r.get(2)?,
        unit: r.get(3)?,
        low_stock: r.get(4)?,
        archived: r.get(5)?,
        balance: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

pub fn materials(conn: &Connection, include_archived: bool) -> Result<Vec<Material>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{MATERIAL_SELECT} WHERE (?1 OR m.archived = 0) ORDER BY m.category, m.name"
    ))?;
    let rows = stmt.query_map([include_archived], material_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn material(conn: &Connection, id: &str) -> Result<Material> {
    conn.prepare_cached(&format!("{MATERIAL_SELECT} WHERE m.id = ?1"))?
        .query_row([id], material_row)
        .optional()?
        .ok_or_else(|| AppError::not_found("宣传资料", id))
}

/// A material named or given by id (records and the CLI use names).
pub fn resolve_material(conn: &Connection, id_or_name: &str, field: &str) -> Result<Material> {
    let v = id_or_name.trim();
    let id: Option<String> = conn
        .prepare_cached("SELECT id FROM material WHERE id = ?1 OR name = ?1")?
        .query_row([v], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => material(conn, &id),
        None => Err(AppError::field(
            ErrorCode::NotFound,
            field,
            format!(
                "资料目录中没有“{}”，请先在“宣传资料”中添加",
                validate::clip(v)
            ),
        )),
    }
}

pub fn check_unit(field: &str, unit: &str) -> Result<String> {
    let unit = unit.trim();
    if unit.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            field,
            "请填写计量单位（份、册、本……）",
        ));
    }
    if !UNITS.contains(&unit) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!(
                "计量单位“{}”无效，可选：{}",
                validate::clip(unit),
                UNITS.join("、")
            ),
        ));
    }
    Ok(unit.to_string())
}

fn check_material(input: &MaterialInput) -> Result<(String, String, String, i64)> {
    let name = validate::name("name", &input.name, 50)?;
    let category = validate::optional_line("category", input.category.as_deref(), 20)?;
    let unit = check_unit("unit", &input.unit)?;
    let low = input.low_stock.unwrap_or(0);
    if !(0..=1_000_000).contains(&low) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "low_stock",
            "预警数量应为 0—1000000",
        ));
    }
    Ok((name, category, unit, low))
}

/// A material row from a package or a backup: exactly what the catalogue's check makes of it.
pub(crate) fn check_stored_material(s: &crate::stored::Stored) -> Result<()> {
    let (name, category, unit, low) = check_material(&MaterialInput {
        name: s.text("name")?.to_string(),
        category: Some(s.text("category")?.to_string()),
        unit: s.text("unit")?.to_string(),
        low_stock: Some(s.int("low_stock")?),
    })?;
    s.same("name", name)?;
    s.same("category", category)?;
    s.same("unit", unit)?;
    s.same("low_stock", low)?;
    s.flag("archived")?;
    Ok(())
}

/// A store row from a package or a backup (stores are named by the app: "安静村资料点").
pub(crate) fn check_stored_store(s: &crate::stored::Stored) -> Result<()> {
    s.same("name", validate::name("name", s.text("name")?, 50)?)?;
    s.opt_text("unit_id")?;
    Ok(())
}

/// A receipt or transfer from a package or a backup, checked as [`receive`] and [`transfer`]
/// check them (hand-outs travel inside their record and are checked with it).
pub(crate) fn check_stored_movement(s: &crate::stored::Stored) -> Result<()> {
    let kind = s.text("kind")?;
    let (from, to) = (s.opt_text("from_store_id")?, s.opt_text("to_store_id")?);
    let shape_ok = match kind {
        "receipt" => from.is_none() && to.is_some(),
        "transfer" => from.is_some() && to.is_some() && from != to,
        _ => false,
    };
    if !shape_ok {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "kind",
            format!("库存记录的类型“{}”与调出、调入不符", validate::clip(kind)),
        ));
    }
    quantity("quantity", s.int("quantity")?)?;
    s.same("date", validate::date("date", s.text("date")?)?.to_string())?;
    s.same(
        "source",
        validate::optional_line("source", Some(s.text("source")?), 50)?,
    )?;
    s.same(
        "note",
        validate::notes("notes", Some(s.text("note")?), 500)?,
    )?;
    s.same("record_id", serde_json::Value::Null)?;
    s.flag("below_zero")?;
    Ok(())
}

/// A record's hand-out line from a package or a backup, beside what the record's check made of
/// its materials: a hand-out from a store, on the record's date, nothing else.
pub(crate) fn check_stored_handout(
    s: &crate::stored::Stored,
    record_id: &str,
    date: &str,
) -> Result<()> {
    let ok = s.text("kind")? == "handout"
        && s.opt_text("from_store_id")?.is_some()
        && s.opt_text("to_store_id")?.is_none()
        && s.opt_text("record_id")? == Some(record_id);
    if !ok {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "materials",
            "发放资料的记录格式不对（应从资料库发出、属于这条活动记录）",
        ));
    }
    s.same("date", date)?;
    s.same("source", "")?;
    s.same("note", "")?;
    s.flag("below_zero")?;
    s.timestamp("created_at")?;
    s.timestamp("updated_at")?;
    Ok(())
}

fn duplicate_name(e: rusqlite::Error, name: &str) -> AppError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::field(
            ErrorCode::Duplicate,
            "name",
            format!("资料目录中已有“{name}”"),
        ),
        _ => e.into(),
    }
}

pub fn create_material(db: &mut Db, input: &MaterialInput) -> Result<Material> {
    let (name, category, unit, low) = check_material(input)?;
    let id = db.with_tx(|tx| {
        require_town(tx)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO material (id, name, category, unit, low_stock, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![id, name, category, unit, low, now()],
        )
        .map_err(|e| duplicate_name(e, &name))?;
        audit::changed(
            tx,
            "material",
            &id,
            "create",
            None,
            Some(&material(tx, &id)?),
        )?;
        Ok(id)
    })?;
    material(&db.conn, &id)
}

pub fn update_material(db: &mut Db, id: &str, input: &MaterialInput) -> Result<Material> {
    let (name, category, unit, low) = check_material(input)?;
    db.with_tx(|tx| {
        let before = material(tx, id)?;
        if before.unit != unit {
            let moved: i64 = tx.query_row(
                "SELECT count(*) FROM stock_movement WHERE material_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            if moved > 0 {
                return Err(AppError::field(
                    ErrorCode::InvalidValue,
                    "unit",
                    format!(
                        "“{}”已有 {moved} 笔入库、调拨或发放按“{}”记账，计量单位不能再改；\
                         如需按“{unit}”发放，请另建一种资料",
                        before.name, before.unit
                    ),
                ));
            }
        }
        tx.execute(
            "UPDATE material SET name = ?2, category = ?3, unit = ?4, low_stock = ?5, updated_at = ?6
             WHERE id = ?1",
            params![id, name, category, unit, low, now()],
        )
        .map_err(|e| duplicate_name(e, &name))?;
        audit::changed(tx, "material", id, "update", Some(&before), Some(&material(tx, id)?))
    })?;
    material(&db.conn, id)
}

pub fn set_material_archived(db: &mut Db, id: &str, archived: bool) -> Result<Material> {
    db.with_tx(|tx| {
        let before = material(tx, id)?;
        tx.execute(
            "UPDATE material SET archived = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, archived, now()],
        )?;
        let action = if archived { "archive" } else { "unarchive" };
        audit::changed(
            tx,
            "material",
            id,
            action,
            Some(&before),
            Some(&material(tx, id)?),
        )
    })?;
    material(&db.conn, id)
}

/// The town store, created on first use.
pub(crate) fn town_store(conn: &Connection) -> Result<String> {
    store_for(conn, None)
}

/// A village's store (or the town's for None), created on first use.
pub(crate) fn store_for(conn: &Connection, unit_id: Option<&str>) -> Result<String> {
    let found: Option<String> = conn
        .prepare_cached("SELECT id FROM store WHERE unit_id IS ?1")?
        .query_row([unit_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let name = match unit_id {
        None => TOWN_STORE.to_string(),
        Some(u) => format!("{}资料点", crate::unit::get(conn, u)?.name),
    };
    let id = new_id();
    conn.execute(
        "INSERT INTO store (id, name, unit_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![id, name, unit_id, now()],
    )?;
    Ok(id)
}

pub fn stores(conn: &Connection) -> Result<Vec<Store>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.name, s.unit_id FROM store s LEFT JOIN unit u ON u.id = s.unit_id
         ORDER BY s.unit_id IS NOT NULL, u.sort_order",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Store {
            id: r.get(0)?,
            name: r.get(1)?,
            unit_id: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The balance of one material in one store (its running balance).
pub fn store_balance(conn: &Connection, material_id: &str, store_id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT balance FROM stock_balance WHERE material_id = ?1 AND store_id = ?2",
        )?
        .query_row(params![material_id, store_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

fn quantity(field: &str, q: i64) -> Result<i64> {
    if q <= 0 {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!("数量 {q} 无效，应大于0"),
        ));
    }
    if q > 1_000_000 {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!("数量 {q} 过大"),
        ));
    }
    Ok(q)
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptInput {
    /// Material id or name.
    pub material: String,
    #[ts(type = "number")]
    pub quantity: i64,
    pub date: String,
    /// Where it came from: 县司法局配发, 自印 …
    #[serde(default)]
    pub source: Option<String>,
    /// A village (unit id or name) receiving directly; default the town store.
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct TransferInput {
    pub material: String,
    #[ts(type = "number")]
    pub quantity: i64,
    pub date: String,
    /// From this village's store (unit id or name); default the town store.
    #[serde(default)]
    pub from_unit_id: Option<String>,
    /// To this village's store (unit id or name); default the town store.
    #[serde(default)]
    pub to_unit_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The user confirmed a transfer that takes the source below zero.
    #[serde(default)]
    pub confirm_below_zero: bool,
}

fn unit_store(conn: &Connection, unit: Option<&str>, field: &str) -> Result<String> {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => {
            let unit = crate::unit::resolve(conn, u, field)?;
            store_for(conn, Some(&unit.id))
        }
        None => town_store(conn),
    }
}

struct NewMovement<'a> {
    material: &'a Material,
    kind: MovementKind,
    quantity: i64,
    from: Option<&'a str>,
    to: Option<&'a str>,
    date: &'a str,
    source: &'a str,
    record_id: Option<&'a str>,
    note: &'a str,
    confirm_below_zero: bool,
    field: &'a str,
}

fn kind_code(k: MovementKind) -> &'static str {
    match k {
        MovementKind::Receipt => "receipt",
        MovementKind::Handout => "handout",
        MovementKind::Transfer => "transfer",
    }
}

/// Writes one movement (with its audit row); a withdrawal below zero needs the confirmation.
fn insert_movement(conn: &Connection, m: NewMovement) -> Result<String> {
    let below_zero = match m.from {
        Some(from) => overdraws(conn, &m, store_balance(conn, &m.material.id, from)?)?,
        None => false,
    };
    let id = new_id();
    let row = movement_values(&id, &m, below_zero, &now());
    insert_rows(conn, "stock_movement", &MOVEMENT_COLUMNS, &[row])?;
    let after = movement(conn, &id)?;
    audit::log(
        conn,
        "stock",
        &id,
        "create",
        &movement_summary(&m, below_zero),
        None::<&()>,
        Some(&after),
    )?;
    Ok(id)
}

/// Whether a withdrawal takes its store, which holds `left`, below zero; refused unless the
/// user confirmed it.
fn overdraws(conn: &Connection, m: &NewMovement, left: i64) -> Result<bool> {
    if left - m.quantity >= 0 {
        return Ok(false);
    }
    if !m.confirm_below_zero {
        let store: String = conn.query_row(
            "SELECT name FROM store WHERE id = ?1",
            [m.from.unwrap_or_default()],
            |r| r.get(0),
        )?;
        return Err(AppError::field(
            ErrorCode::StockNegative,
            m.field,
            format!(
                "“{}”在{store}只剩 {left} {unit}，发出 {} {unit} 后将为负数；如确已发放，请确认后保存，台账会标记为超发",
                m.material.name,
                m.quantity,
                unit = m.material.unit
            ),
        ));
    }
    Ok(true)
}

/// The columns of a movement row, in the order [`movement_values`] gives them.
const MOVEMENT_COLUMNS: [&str; 13] = [
    "id",
    "material_id",
    "kind",
    "quantity",
    "from_store_id",
    "to_store_id",
    "date",
    "source",
    "record_id",
    "below_zero",
    "note",
    "created_at",
    "updated_at",
];

fn movement_values(id: &str, m: &NewMovement, below_zero: bool, at: &str) -> Vec<Value> {
    let text = |s: &str| Value::Text(s.to_string());
    let optional = |s: Option<&str>| s.map_or(Value::Null, text);
    vec![
        text(id),
        text(&m.material.id),
        text(kind_code(m.kind)),
        Value::Integer(m.quantity),
        optional(m.from),
        optional(m.to),
        text(m.date),
        text(m.source),
        optional(m.record_id),
        Value::Integer(below_zero.into()),
        text(m.note),
        text(at),
        text(at),
    ]
}

/// The audit summary of a movement: "发放“宪法读本”20 册（超发）".
fn movement_summary(m: &NewMovement, below_zero: bool) -> String {
    format!(
        "{}“{}”{} {}{}",
        match m.kind {
            MovementKind::Receipt => "入库",
            MovementKind::Handout => "发放",
            MovementKind::Transfer => "调拨",
        },
        m.material.name,
        m.quantity,
        m.material.unit,
        if below_zero { "（超发）" } else { "" }
    )
}

pub fn receive(db: &mut Db, input: &ReceiptInput) -> Result<Movement> {
    let q = quantity("quantity", input.quantity)?;
    let date = validate::date("date", &input.date)?.to_string();
    let source = validate::optional_line("source", input.source.as_deref(), 50)?;
    let note = validate::notes("notes", input.note.as_deref(), 500)?;
    let id = db.with_tx(|tx| {
        require_town(tx)?;
        let material = resolve_material(tx, &input.material, "material")?;
        let store = unit_store(tx, input.unit_id.as_deref(), "unit_id")?;
        insert_movement(
            tx,
            NewMovement {
                material: &material,
                kind: MovementKind::Receipt,
                quantity: q,
                from: None,
                to: Some(&store),
                date: &date,
                source: &source,
                record_id: None,
                note: &note,
                confirm_below_zero: false,
                field: "quantity",
            },
        )
    })?;
    movement(&db.conn, &id)
}

pub fn transfer(db: &mut Db, input: &TransferInput) -> Result<Movement> {
    let q = quantity("quantity", input.quantity)?;
    let date = validate::date("date", &input.date)?.to_string();
    let note = validate::notes("notes", input.note.as_deref(), 500)?;
    let id = db.with_tx(|tx| {
        require_town(tx)?;
        let material = resolve_material(tx, &input.material, "material")?;
        let from = unit_store(tx, input.from_unit_id.as_deref(), "from_unit_id")?;
        let to = unit_store(tx, input.to_unit_id.as_deref(), "to_unit_id")?;
        if from == to {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "to_unit_id",
                "调出和调入不能是同一处",
            ));
        }
        insert_movement(
            tx,
            NewMovement {
                material: &material,
                kind: MovementKind::Transfer,
                quantity: q,
                from: Some(&from),
                to: Some(&to),
                date: &date,
                source: "",
                record_id: None,
                note: &note,
                confirm_below_zero: input.confirm_below_zero,
                field: "quantity",
            },
        )
    })?;
    movement(&db.conn, &id)
}

/// A hand-out line of an activity record, inside the record's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn hand_out(
    tx: &Connection,
    material: &Material,
    quantity: i64,
    store_id: &str,
    date: &str,
    record_id: &str,
    confirm_below_zero: bool,
    field: &str,
) -> Result<()> {
    insert_movement(
        tx,
        NewMovement {
            material,
            kind: MovementKind::Handout,
            quantity,
            from: Some(store_id),
            to: None,
            date,
            source: "",
            record_id: Some(record_id),
            note: "",
            confirm_below_zero,
            field,
        },
    )?;
    Ok(())
}

/// The hand-outs of a batch of new records (record::bulk): checked against the stock as the
/// batch's earlier hand-outs leave it, and made into the rows [`hand_out`] writes — the
/// movement and its audit row — to be inserted with the rest of the batch.
#[derive(Default)]
pub(crate) struct HandoutBatch {
    /// Store balances by (material, store): read once, then taken down by each hand-out.
    balances: HashMap<(String, String), i64>,
    movements: Vec<Vec<Value>>,
}

/// A hand-out line of a new record, for [`HandoutBatch`].
pub(crate) struct NewHandout<'a> {
    pub material: &'a Material,
    pub quantity: i64,
    pub store: &'a Store,
    pub date: &'a str,
    pub record_id: &'a str,
}

impl HandoutBatch {
    /// Checks a record's hand-outs (at most one line per material) and, when none is refused,
    /// adds their movements here and their audit rows, by `user`, to `audit`.
    pub(crate) fn add(
        &mut self,
        conn: &Connection,
        lines: &[NewHandout],
        confirm_below_zero: bool,
        user: Option<&UserProfile>,
        audit: &mut Vec<Vec<Value>>,
    ) -> Result<()> {
        let mut checked = Vec::with_capacity(lines.len());
        for line in lines {
            let m = line.movement(confirm_below_zero);
            let key = (line.material.id.clone(), line.store.id.clone());
            let left = match self.balances.get(&key) {
                Some(b) => *b,
                None => store_balance(conn, &key.0, &key.1)?,
            };
            checked.push((key, left, overdraws(conn, &m, left)?));
        }
        // Nothing refused: the lines are written.
        for (line, (key, left, below_zero)) in lines.iter().zip(checked) {
            let m = line.movement(confirm_below_zero);
            let id = new_id();
            let at = now();
            self.movements
                .push(movement_values(&id, &m, below_zero, &at));
            self.balances.insert(key, left - line.quantity);
            // The movement as `movement` reads it back.
            let written = Movement {
                id: id.clone(),
                material_id: line.material.id.clone(),
                material_name: line.material.name.clone(),
                unit: line.material.unit.clone(),
                kind: MovementKind::Handout,
                quantity: line.quantity,
                from_store: Some(line.store.name.clone()),
                to_store: None,
                date: line.date.to_string(),
                source: String::new(),
                record_id: Some(line.record_id.to_string()),
                below_zero,
                note: String::new(),
                created_at: at,
            };
            let body = serde_json::to_value(&written).expect("movements serialise");
            let summary = movement_summary(&m, below_zero);
            audit.push(audit::row(
                user,
                "stock",
                &id,
                "create",
                &summary,
                None,
                Some(&body),
            ));
        }
        Ok(())
    }

    /// Inserts the movements (after their records).
    pub(crate) fn write(&self, conn: &Connection) -> Result<()> {
        insert_rows(conn, "stock_movement", &MOVEMENT_COLUMNS, &self.movements)
    }
}

impl NewHandout<'_> {
    fn movement(&self, confirm_below_zero: bool) -> NewMovement<'_> {
        NewMovement {
            material: self.material,
            kind: MovementKind::Handout,
            quantity: self.quantity,
            from: Some(&self.store.id),
            to: None,
            date: self.date,
            source: "",
            record_id: Some(self.record_id),
            note: "",
            confirm_below_zero,
            field: "materials",
        }
    }
}

/// Removes a record's hand-outs (before re-writing them on an edit, or on delete).
pub(crate) fn remove_handouts(tx: &Connection, record_id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM stock_movement WHERE record_id = ?1")?
        .execute([record_id])?;
    Ok(())
}

const MOVEMENT_SELECT: &str = "SELECT s.id, s.material_id, m.name, m.unit, s.kind, s.quantity,
        f.name, t.name, s.date, s.source, s.record_id, s.below_zero, s.note, s.created_at
    FROM stock_movement s JOIN material m ON m.id = s.material_id
    LEFT JOIN store f ON f.id = s.from_store_id LEFT JOIN store t ON t.id = s.to_store_id";

fn movement_row(r: &Row) -> rusqlite::Result<Movement> {
    let kind: String = r.get(4)?;
    Ok(Movement {
        id: r.get(0)?,
        material_id: r.get(1)?,
        material_name: r.get(2)?,
        unit: r.get(3)?,
        kind: match kind.as_str() {
            "receipt" => MovementKind::Receipt,
            "handout" => MovementKind::Handout,
            _ => MovementKind::Transfer,
        },
        quantity: r.get(5)?,
        from_store: r.get(6)?,
        to_store: r.get(7)?,
        date: r.get(8)?,
        source: r.get(9)?,
        record_id: r.get(10)?,
        below_zero: r.get(11)?,
        note: r.get(12)?,
        created_at: r.get(13)?,
    })
}

pub fn movement(conn: &Connection, id: &str) -> Result<Movement> {
    conn.prepare_cached(&format!("{MOVEMENT_SELECT} WHERE s.id = ?1"))?
        .query_row([id], movement_row)
        .optional()?
        .ok_or_else(|| AppError::not_found("出入库记录", id))
}

/// The ledger of one material (or all), newest first.
pub fn movements(conn: &Connection, material_id: Option<&str>) -> Result<Vec<Movement>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{MOVEMENT_SELECT} WHERE (?1 IS NULL OR s.material_id = ?1)
         ORDER BY s.date DESC, s.created_at DESC"
    ))?;
    let rows = stmt.query_map([material_id], movement_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Balances per material and store, overall per material, and the low-stock list.
pub fn report(conn: &Connection) -> Result<StockReport> {
    // The running balances: one row per item and store, whatever the size of the ledger.
    let mut stmt = conn.prepare_cached(
        "SELECT b.material_id, m.name, m.unit, b.store_id, s.name, b.balance
         FROM stock_balance b JOIN material m ON m.id = b.material_id
         JOIN store s ON s.id = b.store_id
         WHERE b.movements > 0
         ORDER BY m.category, m.name, s.unit_id IS NOT NULL, s.name",
    )?;
    let balances = stmt
        .query_map([], |r| {
            Ok(Balance {
                material_id: r.get(0)?,
                material_name: r.get(1)?,
                unit: r.get(2)?,
                store_id: r.get(3)?,
                store_name: r.get(4)?,
                balance: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let materials = materials(conn, false)?;
    let low = materials
        .iter()
        .filter(|m| m.low_stock > 0 && m.balance <= m.low_stock)
        .map(|m| m.name.clone())
        .collect();
    Ok(StockReport {
        balances,
        materials,
        low,
    })
}

#[cfg(test)]
mod tests;
