//! The materials ledger: a catalogue (name, category, unit), stores (the town's and each
//! village's), and movements — receipts (入库), hand-outs through activity records (出库)
//! and transfers. A balance is always computed from the movements; a hand-out that would
//! go below zero needs an explicit confirmation and stays flagged in the ledger.

use crate::audit;
use crate::db::{insert_rows, Db};
use crate::error::{AppError, ErrorCode, Result};
use crate::town::require_town;
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

const MOVEMENT_SELECT: &str = "SELECT s.id, s.material_id, m.name, m.unit, s.kind, s.quantity,
        f.name, t.name, s.date, s.source, s.record_id, s.below_zero, s.note, s.created_at
    FROM stock_movement s JOIN material m ON m.id = s.material_id
    LEFT JOIN store f ON f.id = s.from_store_id LEFT JOIN store t ON t.id = s.to_store_id";

fn movement_row(r: &Row) -> rusqlite::Result<Movement> {
    Ok(Movement {
        id: r.get(0)?,
        material_id: r.get(1)?,
        material_name: r.get(2)?,
        unit: r.get(3)?,
        kind: crate::db::parsed_column(r, 4, "出入库记录", |s| match s {
            "receipt" => Ok(MovementKind::Receipt),
            "handout" => Ok(MovementKind::Handout),
            "transfer" => Ok(MovementKind::Transfer),
            _ => Err(AppError::new(ErrorCode::InvalidValue, s)),
        })?,
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

// The stock along its seams: the materials (`materials`), and the stores with what moves
// between them — receipts, transfers, hand-outs (`movements`); the ledger and balances below.
mod materials;
mod movements;
pub use materials::*;
pub use movements::*;

#[cfg(test)]
mod tests;
