//! The conflicts imports found, and settling them.
use super::*;

pub(super) fn conflict_from(r: &rusqlite::Row) -> rusqlite::Result<SyncConflict> {
    // A side not kept is NULL; a side that cannot be read is an error naming the conflict.
    let parse = |i: usize| -> rusqlite::Result<Value> {
        Ok(match r.get_ref(i)?.as_str_or_null()? {
            None => Value::Null,
            Some(_) => crate::db::json_column(r, i, "同步冲突")?,
        })
    };
    let entity: String = r.get(1)?;
    let local = parse(3)?;
    let incoming = parse(4)?;
    let deleted = |v: &Value| v.get(DELETED).and_then(Value::as_bool).unwrap_or(false);
    let title = [&local, &incoming]
        .iter()
        .filter_map(|v| v.as_object())
        .map(title_of)
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    // Which side: NULL for none (not settled yet), else "local" or "incoming".
    let side = |s: &str| match s {
        "local" => Ok(Keep::Local),
        "incoming" => Ok(Keep::Incoming),
        _ => Err(AppError::new(ErrorCode::InvalidValue, s)),
    };
    let keep = |i: usize| -> rusqlite::Result<Option<Keep>> {
        Ok(match r.get_ref(i)?.as_str_or_null()? {
            None => None,
            Some(_) => Some(crate::db::parsed_column(r, i, "同步冲突", side)?),
        })
    };
    Ok(SyncConflict {
        id: r.get(0)?,
        entity_label: label(&entity).into(),
        entity,
        entity_id: r.get(2)?,
        title,
        local_deleted: deleted(&local),
        incoming_deleted: deleted(&incoming),
        local,
        incoming,
        winner: crate::db::parsed_column(r, 5, "同步冲突", side)?,
        created_at: r.get(6)?,
        resolved_at: r.get(7)?,
        kept: keep(8)?,
        reason: r.get(9)?,
        lines: Vec::new(),
    })
}

/// The conflict with the fields its two versions differ in, in words.
fn with_lines(conn: &Connection, mut c: SyncConflict) -> Result<SyncConflict> {
    c.lines = crate::trail::conflict_lines(
        conn,
        &c.entity,
        &c.local,
        &c.incoming,
        c.local_deleted,
        c.incoming_deleted,
    )?;
    Ok(c)
}

pub(super) const CONFLICT_SELECT: &str =
    "SELECT id, entity, entity_id, local_json, incoming_json, winner,
        created_at, resolved_at, kept, reason FROM sync_conflict";

/// The conflicts imports found: open ones first, newest first.
pub fn conflicts(conn: &Connection) -> Result<Vec<SyncConflict>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CONFLICT_SELECT} ORDER BY resolved_at IS NOT NULL, created_at DESC, rowid DESC"
    ))?;
    let rows = stmt.query_map([], conflict_from)?;
    rows.map(|c| with_lines(conn, c?)).collect()
}

/// Settles a conflict with the version the user chose. Choosing the version not applied
/// writes it as a new local edit (so it travels on with the next package).
pub fn resolve(db: &mut Db, conflict_id: &str, keep: Keep) -> Result<SyncConflict> {
    db.with_tx(|tx| {
        let c = tx
            .query_row(
                &format!("{CONFLICT_SELECT} WHERE id = ?1"),
                [conflict_id],
                conflict_from,
            )
            .optional()?
            .ok_or_else(|| AppError::not_found("同步冲突", conflict_id))?;
        if c.resolved_at.is_some() {
            return Err(AppError::new(
                ErrorCode::InvalidValue,
                "这个冲突已经处理过了",
            ));
        }
        let Some(table) = TABLES.iter().find(|t| **t == c.entity).copied() else {
            return Err(AppError::new(ErrorCode::InvalidValue, "不能同步的数据类型"));
        };
        let version = |v: &Value| {
            v.get("hlc")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        // What the other side holds now: the winner there too.
        let shared = version(&c.local).max(version(&c.incoming));
        if keep != c.winner {
            let (chosen, chosen_deleted) = match keep {
                Keep::Local => (&c.local, c.local_deleted),
                Keep::Incoming => (&c.incoming, c.incoming_deleted),
            };
            if chosen_deleted {
                // Deleting as a local edit leaves a tombstone that travels.
                tx.execute(
                    &format!("DELETE FROM {table} WHERE id = ?1"),
                    [&c.entity_id],
                )
                .map_err(|e| match e.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::new(
                        ErrorCode::Locked,
                        format!("{}“{}”仍被其他数据使用，不能删除", label(table), c.title),
                    ),
                    _ => e.into(),
                })?;
            } else {
                let row = chosen.as_object().cloned().unwrap_or_default();
                sync::set_applying(tx, true)?;
                let mut im = Importer::new(tx, Path::new(""), None);
                let exists = im.exists(table, &c.entity_id)?;
                // The version chosen passes the checks typed input gets, as on import.
                crate::inbound::check(tx, table, &row).map_err(|e| AppError {
                    message: format!(
                        "{}“{}”的这个版本不能保存：{}",
                        label(table),
                        c.title,
                        e.message
                    ),
                    ..e
                })?;
                im.check_refs(table, &row).map_err(|_| {
                    AppError::new(
                        ErrorCode::NotFound,
                        format!(
                            "{}“{}”用到的数据已被删除，不能恢复这个版本",
                            label(table),
                            c.title
                        ),
                    )
                })?;
                im.write(table, &row, !exists)?;
                sync::set_applying(tx, false)?;
                sync::touch(tx, table, &c.entity_id)?;
                tx.execute(
                    &format!("UPDATE {table} SET base_hlc = ?2 WHERE id = ?1"),
                    params![c.entity_id, shared],
                )?;
                tx.execute(
                    "DELETE FROM sync_tombstone WHERE entity = ?1 AND id = ?2",
                    params![table, c.entity_id],
                )?;
            }
        }
        tx.execute(
            "UPDATE sync_conflict SET resolved_at = ?2, kept = ?3 WHERE id = ?1",
            params![conflict_id, crate::now(), keep.code()],
        )?;
        audit::note(
            tx,
            table,
            &c.entity_id,
            "resolve",
            &format!(
                "处理同步冲突：{}“{}”保留{}",
                label(table),
                c.title,
                match keep {
                    Keep::Local => "本机的版本",
                    Keep::Incoming => "数据包中的版本",
                }
            ),
        )?;
        Ok(())
    })?;
    let c = db.conn.query_row(
        &format!("{CONFLICT_SELECT} WHERE id = ?1"),
        [conflict_id],
        conflict_from,
    )?;
    with_lines(&db.conn, c)
}
