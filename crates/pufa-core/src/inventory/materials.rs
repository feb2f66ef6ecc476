//! The materials: their rows, checks, and the coordinator's edits.
use super::*;

/// The overall balance is the sum over stores of the running balances (`stock_balance`, kept
/// by triggers on `stock_movement`): receipts − hand-outs, transfers cancelling out.
pub(super) const MATERIAL_SELECT: &str =
    "SELECT m.id, m.name, m.category, m.unit, m.low_stock, m.archived,
        coalesce((SELECT sum(b.balance) FROM stock_balance b WHERE b.material_id = m.id), 0),
        m.created_at, m.updated_at
    FROM material m";

pub(super) fn material_row(r: &Row) -> rusqlite::Result<Material> {
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
    // One query, not the id and then the row: every hand-out line of an import resolves one.
    let found = conn
        .prepare_cached(&format!("{MATERIAL_SELECT} WHERE m.id = ?1 OR m.name = ?1"))?
        .query_row([v], material_row)
        .optional()?;
    match found {
        Some(m) => Ok(m),
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

pub(super) fn check_material(input: &MaterialInput) -> Result<(String, String, String, i64)> {
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

pub(super) fn duplicate_name(e: rusqlite::Error, name: &str) -> AppError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::field(
            ErrorCode::Duplicate,
            "name",
            format!("资料目录中已有“{name}”"),
        )
        .with("value", name)
        .with("clash", "exists"),
        _ => e.into(),
    }
}

pub fn create_material(db: &mut Db, input: &MaterialInput) -> Result<Material> {
    let id = db.with_tx(|tx| insert_material(tx, input))?;
    material(&db.conn, &id)
}

/// Adds a material to the catalogue inside the caller's transaction (the form's save, or an
/// import that needs one), audited; its id.
pub(crate) fn insert_material(tx: &Connection, input: &MaterialInput) -> Result<String> {
    let (name, category, unit, low) = check_material(input)?;
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
