//! The stores and what moves between them: receipts, transfers and a record's hand-outs.
use super::*;

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

pub(super) fn quantity(field: &str, q: i64) -> Result<i64> {
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

pub(super) fn unit_store(conn: &Connection, unit: Option<&str>, field: &str) -> Result<String> {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => {
            let unit = crate::unit::resolve(conn, u, field)?;
            store_for(conn, Some(&unit.id))
        }
        None => town_store(conn),
    }
}

pub(super) struct NewMovement<'a> {
    pub(super) material: &'a Material,
    pub(super) kind: MovementKind,
    pub(super) quantity: i64,
    pub(super) from: Option<&'a str>,
    pub(super) to: Option<&'a str>,
    pub(super) date: &'a str,
    pub(super) source: &'a str,
    pub(super) record_id: Option<&'a str>,
    pub(super) note: &'a str,
    pub(super) confirm_below_zero: bool,
    pub(super) field: &'a str,
}

pub(super) fn kind_code(k: MovementKind) -> &'static str {
    match k {
        MovementKind::Receipt => "receipt",
        MovementKind::Handout => "handout",
        MovementKind::Transfer => "transfer",
    }
}

/// Writes one movement (with its audit row); a withdrawal below zero needs the confirmation.
pub(super) fn insert_movement(conn: &Connection, m: NewMovement) -> Result<String> {
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
pub(super) fn overdraws(conn: &Connection, m: &NewMovement, left: i64) -> Result<bool> {
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
pub(super) const MOVEMENT_COLUMNS: [&str; 13] = [
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

pub(super) fn movement_values(id: &str, m: &NewMovement, below_zero: bool, at: &str) -> Vec<Value> {
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
pub(super) fn movement_summary(m: &NewMovement, below_zero: bool) -> String {
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

/// The trigger that adds each movement inserted to `stock_balance`. A batch of hand-outs
/// suspends it while it writes, and adds what they take once per store and material
/// ([`HandoutBatch::write_balances`]): the upsert a hand-out was a third of writing it.
pub(crate) const BALANCE_IN_TRIGGER: &str = "stock_movement_in";

/// The hand-outs of a batch of new records (record::bulk): checked against the stock as the
/// batch's earlier hand-outs leave it, and made into the rows [`hand_out`] writes — the
/// movement and its audit row — to be inserted with the rest of the batch.
#[derive(Default)]
pub(crate) struct HandoutBatch {
    /// Store balances by (material, store): read once, then taken down by each hand-out.
    pub(super) balances: HashMap<(String, String), i64>,
    pub(super) movements: Vec<Vec<Value>>,
    /// What the hand-outs added take from each (material, store) — quantity and movements —
    /// and `stock_balance` does not count yet ([`BALANCE_IN_TRIGGER`] suspended).
    pub(super) owed: HashMap<(String, String), (i64, i64)>,
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
    /// adds their movements here and returns them as `movement` reads them back, with their
    /// audit summaries (the audit rows are made by the caller).
    pub(crate) fn add(
        &mut self,
        conn: &Connection,
        lines: &[NewHandout],
        confirm_below_zero: bool,
    ) -> Result<Vec<(Movement, String)>> {
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
        let mut added = Vec::with_capacity(lines.len());
        for (line, (key, left, below_zero)) in lines.iter().zip(checked) {
            let m = line.movement(confirm_below_zero);
            let id = new_id();
            let at = now();
            self.movements
                .push(movement_values(&id, &m, below_zero, &at));
            let owed = self.owed.entry(key.clone()).or_default();
            owed.0 += line.quantity;
            owed.1 += 1;
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
            added.push((written, movement_summary(&m, below_zero)));
        }
        Ok(added)
    }

    /// Forgets the balances read so far, after the stock changed outside the batch (once its
    /// movements are written): the next hand-outs read them again.
    pub(crate) fn forget_balances(&mut self) {
        debug_assert!(self.movements.is_empty(), "written first");
        self.balances.clear();
    }

    /// Adds to `stock_balance` what the hand-outs written so far take, as [`BALANCE_IN_TRIGGER`]
    /// adds each one: for a batch that suspended it from before its first hand-out was
    /// written until after this.
    pub(crate) fn write_balances(&mut self, conn: &Connection) -> Result<()> {
        debug_assert!(self.movements.is_empty(), "written first");
        let mut stmt = conn.prepare_cached(
            "INSERT INTO stock_balance (material_id, store_id, balance, movements)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (material_id, store_id) DO UPDATE
                 SET balance = balance + excluded.balance,
                     movements = movements + excluded.movements",
        )?;
        for ((material, store), (quantity, movements)) in self.owed.drain() {
            stmt.execute(params![material, store, -quantity, movements])?;
        }
        Ok(())
    }

    /// Inserts the movements added so far and forgets them (the balances stay).
    pub(crate) fn write(&mut self, conn: &Connection) -> Result<()> {
        insert_rows(
            conn,
            "stock_movement",
            &MOVEMENT_COLUMNS,
            &std::mem::take(&mut self.movements),
        )
    }
}

impl NewHandout<'_> {
    pub(super) fn movement(&self, confirm_below_zero: bool) -> NewMovement<'_> {
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
