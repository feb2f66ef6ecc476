//! Saving records: create, update and delete, with their campaign links, hand-outs (stock
//! moves in the same transaction) and audit rows.

use super::fields::{self, Column, Written, COUNTS};
use super::*;
use crate::audit;
use crate::db::{insert_rows, Db};
use crate::domain::UserRole;
use crate::inventory;
use crate::town::require_town;
use crate::{new_id, now};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, OptionalExtension};

fn write(tx: &Connection, id: &str, c: &Checked, insert: bool, confirm: bool) -> Result<()> {
    let row = if insert {
        RowWrite::New(ReviewColumns::WAITING)
    } else {
        RowWrite::Existing
    };
    write_row(tx, id, c, row, &now())?;
    write_links(tx, id, c)?;
    // Hand-outs come from the village's store when it has one, else the town's.
    inventory::remove_handouts(tx, id)?;
    let store = village_or_town_store(tx, &c.unit_id)?;
    for (m, q) in &c.materials {
        inventory::hand_out(
            tx,
            m,
            *q,
            &store,
            &c.date.to_string(),
            id,
            confirm,
            "materials",
        )?;
    }
    mark_held(tx, c.activity_id.as_deref())
}

/// A record's review columns.
pub(crate) struct ReviewColumns<'a> {
    pub(crate) status: ReviewStatus,
    pub(crate) comment: &'a str,
    pub(crate) by: Option<&'a str>,
    pub(crate) at: Option<&'a str>,
}

impl ReviewColumns<'_> {
    /// Not reviewed yet: how a record is saved unless a batch approves it as it saves it.
    pub(crate) const WAITING: ReviewColumns<'static> = ReviewColumns {
        status: ReviewStatus::Pending,
        comment: "",
        by: None,
        at: None,
    };
}

/// How a record's row is written: a new one with its review columns, or over an existing one
/// (whose review columns stay).
enum RowWrite<'a> {
    New(ReviewColumns<'a>),
    Existing,
}

/// A record row's values, written `at`, column by column of [`fields::columns`]: all of them
/// for a new row (`review` given), else those a save writes (the form's and `updated_at`).
pub(crate) fn row_values(
    id: &str,
    c: &Checked,
    at: &str,
    review: Option<&ReviewColumns>,
) -> Vec<(&'static Column, SqlValue)> {
    let text = |s: &str| SqlValue::Text(s.to_string());
    let optional = |s: Option<&str>| s.map_or(SqlValue::Null, text);
    let counts = c.counts.values();
    fields::columns()
        .iter()
        .filter(|col| review.is_some() || col.written != Written::New)
        .map(|col| {
            let review = || review.expect("only a new row has review columns");
            let value = match col.name {
                "id" => text(id),
                "activity_id" => optional(c.activity_id.as_deref()),
                "title" => text(&c.title),
                "date" => SqlValue::Text(c.date.to_string()),
                "start_time" => optional(c.start_time.as_deref()),
                "end_time" => optional(c.end_time.as_deref()),
                "unit_id" => text(&c.unit_id),
                "venue_type" => optional(c.venue_type),
                "venue" => text(&c.venue),
                "formats" => text(&c.formats),
                "audiences" => text(&c.audiences),
                "laws" => text(&c.laws),
                "nodes" => text(&c.nodes),
                "speakers" => text(&c.speakers),
                "partners" => text(&c.partners),
                "participants" => SqlValue::Integer(c.participants),
                "reach" => SqlValue::Integer(c.reach),
                "reach_by_audience" => text(&c.reach_by_audience),
                "narrative" => text(&c.narrative),
                "quiz" => optional(c.quiz.as_deref()),
                "recorder" => text(&c.recorder),
                "updated_at" | "created_at" => text(at),
                "review_status" => text(review().status.code()),
                "review_comment" => text(review().comment),
                "reviewed_by" => optional(review().by),
                "reviewed_at" => optional(review().at),
                other => {
                    let i = COUNTS
                        .iter()
                        .position(|f| f.column == other)
                        .unwrap_or_else(|| panic!("record column {other} has no value"));
                    SqlValue::Integer(counts[i])
                }
            };
            (col, value)
        })
        .collect()
}

/// The column names of a new record row, in [`row_values`] order.
pub(crate) fn insert_columns() -> Vec<&'static str> {
    fields::columns().iter().map(|c| c.name).collect()
}

/// `UPDATE record SET … WHERE id = ?1` of the columns a save writes, in [`row_values`] order.
fn update_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let set: Vec<String> = fields::columns()
            .iter()
            .filter(|c| c.written != Written::New)
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", c.name, i + 2))
            .collect();
        format!("UPDATE record SET {} WHERE id = ?1", set.join(", "))
    })
}

/// The record's own row, written `at`.
fn write_row(tx: &Connection, id: &str, c: &Checked, row: RowWrite, at: &str) -> Result<()> {
    match row {
        RowWrite::New(review) => {
            let values = row_values(id, c, at, Some(&review));
            let values: Vec<SqlValue> = values.into_iter().map(|(_, v)| v).collect();
            insert_rows(tx, "record", &insert_columns(), &[values])
        }
        RowWrite::Existing => {
            let values = row_values(id, c, at, None).into_iter().map(|(_, v)| v);
            let params = std::iter::once(SqlValue::Text(id.to_string())).chain(values);
            tx.prepare_cached(update_sql())?
                .execute(rusqlite::params_from_iter(params))?;
            Ok(())
        }
    }
}

/// The record's campaign links, as the checked input names them.
fn write_links(tx: &Connection, id: &str, c: &Checked) -> Result<()> {
    tx.prepare_cached("DELETE FROM record_campaign WHERE record_id = ?1")?
        .execute([id])?;
    for campaign in &c.campaign_ids {
        tx.prepare_cached("INSERT INTO record_campaign (record_id, campaign_id) VALUES (?1, ?2)")?
            .execute(params![id, campaign])?;
    }
    Ok(())
}

/// The planned activity a record fulfils is held.
pub(crate) fn mark_held(tx: &Connection, activity_id: Option<&str>) -> Result<()> {
    if let Some(activity) = activity_id {
        tx.prepare_cached(
            "UPDATE activity SET status = 'held', updated_at = ?2 WHERE id = ?1 AND status <> 'held'",
        )?
        .execute(params![activity, now()])?;
    }
    Ok(())
}

pub(crate) fn village_or_town_store(conn: &Connection, unit_id: &str) -> Result<String> {
    let village: Option<String> = conn
        .prepare_cached("SELECT id FROM store WHERE unit_id = ?1")?
        .query_row([unit_id], |r| r.get(0))
        .optional()?;
    match village {
        Some(s) => Ok(s),
        None => inventory::town_store(conn),
    }
}

pub(crate) fn is_coordinator(conn: &Connection) -> Result<bool> {
    Ok(current_user(conn)?.is_some_and(|u| u.role == UserRole::Coordinator))
}

/// The review comment of a coordinator's own record, approved as it is saved.
pub(crate) const APPROVED_ON_ENTRY: &str = "录入即审核";

/// Saves a new record. The coordinator's own records are approved at once; a cadre's wait.
pub fn create(db: &mut Db, input: &RecordInput) -> Result<Record> {
    let id = db.with_tx(|tx| {
        require_town(tx)?;
        create_in(tx, input)
    })?;
    get(&db.conn, &id)
}

/// The writes of `create` inside the caller's transaction (also used by the demo town).
pub(crate) fn create_in(tx: &Connection, input: &RecordInput) -> Result<String> {
    let c = check(tx, input)?;
    check_deadline(tx, &c.campaign_ids)?;
    let id = new_id();
    write(tx, &id, &c, true, input.confirm_below_zero)?;
    audit::changed(tx, "record", &id, "create", None, Some(&get(tx, &id)?))?;
    if is_coordinator(tx)? {
        set_review(tx, &id, ReviewStatus::Approved, APPROVED_ON_ENTRY)?;
    }
    Ok(id)
}

/// Edits a pending or returned record; a returned one goes back to 待审核 (resubmitted).
pub fn update(db: &mut Db, id: &str, input: &RecordInput) -> Result<Record> {
    let c = check(&db.conn, input)?;
    db.with_tx(|tx| update_checked(tx, id, &c, input.confirm_below_zero, false))?;
    get(&db.conn, id)
}

/// The writes of `update` inside the caller's transaction (a corrected Excel re-import).
/// `approved_too`: the coordinator's import corrects an approved record, which stays approved
/// (the preview showed each change old → new and the coordinator confirmed them).
pub(crate) fn update_in(
    tx: &Connection,
    id: &str,
    input: &RecordInput,
    approved_too: bool,
) -> Result<()> {
    let c = check(tx, input)?;
    update_checked(tx, id, &c, input.confirm_below_zero, approved_too)
}

fn update_checked(
    tx: &Connection,
    id: &str,
    c: &Checked,
    confirm: bool,
    approved_too: bool,
) -> Result<()> {
    let before = get(tx, id)?;
    if before.review_status == ReviewStatus::Approved && !approved_too {
        return Err(AppError::new(
            ErrorCode::Locked,
            "该记录已审核通过并锁定；如需修改，请协调员先“重新打开”",
        ));
    }
    check_deadline(tx, &before.campaign_ids)?;
    check_deadline(tx, &c.campaign_ids)?;
    write(tx, id, c, false, confirm)?;
    audit::changed(
        tx,
        "record",
        id,
        "update",
        Some(&before),
        Some(&get(tx, id)?),
    )?;
    if before.review_status == ReviewStatus::Returned {
        set_review(tx, id, ReviewStatus::Pending, "修改后重新提交")?;
    }
    Ok(())
}

/// Deletes a record that is not approved; its hand-outs go back into stock.
pub fn delete(db: &mut Db, id: &str) -> Result<()> {
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        if before.review_status == ReviewStatus::Approved {
            return Err(AppError::new(ErrorCode::Locked, "已审核通过的记录不能删除"));
        }
        check_deadline(tx, &before.campaign_ids)?;
        inventory::remove_handouts(tx, id)?;
        tx.execute("DELETE FROM record WHERE id = ?1", [id])?;
        audit::changed(tx, "record", id, "delete", Some(&before), None)
    })
}
