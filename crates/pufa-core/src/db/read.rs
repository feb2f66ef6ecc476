//! Reading stored values that have a shape: a JSON column, a code of a closed list. What this
//! build cannot read (a value written by hand or by a newer version, a broken JSON text) is an
//! error naming the row and column, never a default that would hide it and be saved back.

use crate::error::Result;
use crate::validate::clip;
use rusqlite::types::Type;
use rusqlite::Row;
use serde::de::DeserializeOwned;

/// The error for column `i` of `r` holding `value` that cannot be read; `what` names the row's
/// kind ("活动"), its id is column 0.
fn unreadable(r: &Row, i: usize, what: &str, value: &str) -> rusqlite::Error {
    let id: String = r.get(0).unwrap_or_default();
    let column = r.as_ref().column_name(i).unwrap_or("?").to_string();
    rusqlite::Error::FromSqlConversionFailure(
        i,
        Type::Text,
        format!(
            "{what}（编号 {}）的“{column}”存有无法识别的值“{}”",
            clip(&id),
            clip(value)
        )
        .into(),
    )
}

/// Column `i` of `r` as JSON.
pub(crate) fn json_column<T: DeserializeOwned>(
    r: &Row,
    i: usize,
    what: &str,
) -> rusqlite::Result<T> {
    let text = r.get_ref(i)?.as_str()?;
    serde_json::from_str(text).map_err(|_| unreadable(r, i, what, text))
}

/// Column `i` of `r` read by `parse` (a closed list's code).
pub(crate) fn parsed_column<T>(
    r: &Row,
    i: usize,
    what: &str,
    parse: impl FnOnce(&str) -> Result<T>,
) -> rusqlite::Result<T> {
    let text = r.get_ref(i)?.as_str()?;
    parse(text).map_err(|_| unreadable(r, i, what, text))
}
