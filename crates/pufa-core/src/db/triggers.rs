//! Triggers dropped for the length of a bulk write and put back exactly as they were.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// Triggers dropped in the caller's transaction, as `sqlite_master` defined them.
#[must_use = "the triggers must be put back in the same transaction"]
pub(crate) struct SuspendedTriggers(Vec<String>);

/// Drops the triggers `names` (those that exist); [`SuspendedTriggers::resume`] must follow in
/// the same transaction.
pub(crate) fn suspend_triggers<'a>(
    conn: &Connection,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<SuspendedTriggers> {
    let mut kept = Vec::new();
    for name in names {
        let sql: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sql) = sql {
            conn.execute_batch(&format!("DROP TRIGGER {name};"))?;
            kept.push(sql);
        }
    }
    Ok(SuspendedTriggers(kept))
}

impl SuspendedTriggers {
    /// Puts the triggers back exactly as they were.
    pub(crate) fn resume(self, conn: &Connection) -> Result<()> {
        for sql in self.0 {
            conn.execute_batch(&sql)?;
        }
        Ok(())
    }
}
