//! The review of records: 待审核 → 已通过 (locked) or 已退回 → fixed and resubmitted;
//! re-opening an approved record is explicit and needs a reason.

use super::*;
use crate::audit;
use crate::db::Db;
use crate::{now, validate};
use rusqlite::params;

pub(crate) fn set_review(tx: &Connection, id: &str, to: ReviewStatus, comment: &str) -> Result<()> {
    let before = get(tx, id)?;
    let user = current_user(tx)?.map(|u| u.name);
    write_review(tx, id, to, comment, user.as_deref(), &now())?;
    let action = match (before.review_status, to) {
        (_, ReviewStatus::Approved) => "approve",
        (_, ReviewStatus::Returned) => "return",
        (ReviewStatus::Approved, ReviewStatus::Pending) => "reopen",
        _ => "submit",
    };
    audit::changed(tx, "record", id, action, Some(&before), Some(&get(tx, id)?))
}

/// The review columns of a record: its status, the comment, who and when.
fn write_review(
    tx: &Connection,
    id: &str,
    to: ReviewStatus,
    comment: &str,
    reviewer: Option<&str>,
    at: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE record SET review_status = ?2, review_comment = ?3, reviewed_by = ?4,
             reviewed_at = ?5, updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![id, to.code(), comment, reviewer, at])?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReviewAction {
    Approve,
    Return,
    Reopen,
    Submit,
}

/// The review state machine. Approve/return: a pending record, by the coordinator. Reopen:
/// an approved one, by the coordinator, with a reason. Submit: a returned one, by anyone.
pub fn review(
    db: &mut Db,
    id: &str,
    action: ReviewAction,
    comment: Option<&str>,
) -> Result<Record> {
    let comment = validate::notes("review_comment", comment, 300)?;
    db.with_tx(|tx| {
        let r = get(tx, id)?;
        let needs_coordinator = !matches!(action, ReviewAction::Submit);
        if needs_coordinator && !is_coordinator(tx)? {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "只有普法协调员可以审核活动记录",
            ));
        }
        use ReviewAction::*;
        use ReviewStatus::*;
        let to = match (action, r.review_status) {
            (Approve, Pending) => Approved,
            (Return, Pending) => {
                if comment.is_empty() {
                    return Err(AppError::field(
                        ErrorCode::Required,
                        "review_comment",
                        "退回时请写明需要修改的地方",
                    ));
                }
                Returned
            }
            (Reopen, Approved) => {
                if comment.is_empty() {
                    return Err(AppError::field(
                        ErrorCode::Required,
                        "review_comment",
                        "重新打开已通过的记录，请写明原因",
                    ));
                }
                Pending
            }
            (Submit, Returned) => Pending,
            (_, from) => {
                let verb = match action {
                    Approve => "审核通过",
                    Return => "退回",
                    Reopen => "重新打开",
                    Submit => "提交",
                };
                return Err(AppError::field(
                    ErrorCode::InvalidValue,
                    "review_status",
                    format!("“{}”的记录不能{verb}", from.label()),
                ));
            }
        };
        set_review(tx, id, to, &comment)
    })?;
    get(&db.conn, id)
}
