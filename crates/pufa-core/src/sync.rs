//! Change tracking for exchange between laptops (`exchange::package`): a hybrid logical clock
//! (HLC) stamps every local change of an exchanged row, deletions leave tombstones.
//!
//! An HLC is `"{ms:013}-{counter:04}-{device_id}"`: it sorts as text, never goes backwards on
//! one device (the last one is kept in `sync_clock`, and clocks seen in imported packages move
//! it forward), and ties between devices break by device id. Each exchanged row has `hlc` (its
//! version), `base_hlc` (the version last sent to or received from a peer) and `sync_seq` (the
//! local order of changes and arrivals, for "changed since the last export").
//!
//! Stamping is done by SQLite triggers, so every write path — the services, the demo, raw SQL
//! in tests — is covered without each remembering to. A row created locally keeps a NULL `hlc`
//! until it is first exported (or edited): bulk loads of new rows then cost no stamping, and
//! a NULL version can only be a row no one else has seen.

use crate::error::{AppError, ErrorCode, Result};
use rusqlite::{Connection, OptionalExtension};

/// The exchanged tables, parents before children (the order an import writes them in).
pub const TABLES: [&str; 11] = [
    "town",
    "unit",
    "person",
    "material",
    "store",
    // Receipts and transfers; hand-outs travel as part of their record.
    "stock_movement",
    "campaign",
    "activity_series",
    "activity",
    "record",
    "attachment",
];

/// The physical clock in ms, as SQLite sees it.
const NOW_MS: &str = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/// How far ahead of this laptop's clock a version may be: a day (time zones, a clock a few
/// hours off). A version stamped years ahead would win every conflict and, seen here, move this
/// clock ahead too, so that every later edit here carries a stamp others refuse.
pub const MAX_AHEAD_MS: i64 = 24 * 3600 * 1000;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// How many days `hlc` is ahead of this laptop's clock beyond [`MAX_AHEAD_MS`]: None when it
/// is not (or cannot be read).
pub fn ahead_of_now(hlc: &str) -> Option<i64> {
    let (ms, _) = parse(hlc)?;
    let ahead = ms - now_ms();
    (ahead > MAX_AHEAD_MS).then(|| (ahead / (24 * 3600 * 1000)).max(1))
}

/// The local time of a version, for messages ("2031-05-01 08:00").
pub fn hlc_time(hlc: &str) -> String {
    parse(hlc)
        .and_then(|(ms, _)| chrono::DateTime::from_timestamp_millis(ms))
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| crate::validate::clip(hlc))
}

/// The clock one tick on from (`ms`, `counter`) at physical time `now`: (ms, counter). The
/// counter has four digits: past 9999 in one millisecond the logical time moves on by a
/// millisecond (allowed by the HLC; it catches up).
fn next_clock(now: &str) -> (String, String) {
    (
        format!("CASE WHEN {now} > ms THEN {now} WHEN counter >= 9999 THEN ms + 1 ELSE ms END"),
        format!("CASE WHEN {now} > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END"),
    )
}

/// Advances the clock by one tick.
fn tick_sql() -> String {
    let (ms, counter) = next_clock(NOW_MS);
    format!("UPDATE sync_clock SET ms = {ms}, counter = {counter}, seq = seq + 1")
}

/// The HLC of clock reading (`ms`, `counter`) on this device.
fn hlc_of(ms: &str, counter: &str) -> String {
    format!(
        "printf('%013d-%04d-%s', {ms}, {counter},
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), ''))"
    )
}

/// The clock's current HLC as text (after a tick).
fn current() -> String {
    format!("(SELECT {} FROM sync_clock)", hlc_of("ms", "counter"))
}
const SEQ: &str = "(SELECT seq FROM sync_clock)";
const LOCAL: &str = "(SELECT applying FROM sync_clock) = 0";

/// The rows of `t` that are versioned on their own (`row` = NEW or OLD).
pub(crate) fn own_rows(t: &str, row: &str) -> String {
    match t {
        "stock_movement" => format!("{row}.kind <> 'handout'"),
        _ => "1".into(),
    }
}

/// `n` ticks of the clock at once, as the sync triggers take them for `n` rows edited one
/// after another: the versions handed out with their change numbers, in order. For a batch
/// that writes rows with their versions instead of updating them afterwards (record::bulk
/// approves new records as it saves them). The ticks are taken at one instant, as within one
/// statement. None while a package is being applied: the triggers version nothing then.
pub(crate) fn ticks(conn: &Connection, n: usize) -> Result<Option<Vec<(String, i64)>>> {
    let local: bool = conn.query_row(&format!("SELECT {LOCAL}"), [], |r| r.get(0))?;
    if !local {
        return Ok(None);
    }
    if n == 0 {
        return Ok(Some(Vec::new()));
    }
    let now: i64 = conn.query_row(&format!("SELECT {NOW_MS}"), [], |r| r.get(0))?;
    // Tick k (1…?2) of the clock from where it stands, at ?1.
    let (ms, counter) = next_clock("?1");
    let ticks = format!(
        "WITH RECURSIVE tick (k, ms, counter) AS (
             SELECT 0, ms, counter FROM sync_clock
             UNION ALL
             SELECT k + 1, {ms}, {counter} FROM tick WHERE k < ?2)"
    );
    // Prepared once an import: a batch of records takes its versions a chunk at a time.
    let versions = conn
        .prepare_cached(&format!(
            "{ticks} SELECT {hlc}, {SEQ} + k FROM tick WHERE k > 0 ORDER BY k",
            hlc = hlc_of("ms", "counter")
        ))?
        .query_map(rusqlite::params![now, n], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    conn.prepare_cached(&format!(
        "{ticks}
         UPDATE sync_clock SET (ms, counter) = (SELECT ms, counter FROM tick WHERE k = ?2),
             seq = seq + ?2"
    ))?
    .execute(rusqlite::params![now, n])?;
    Ok(Some(versions))
}

/// Advances the clock; returns the new HLC and change number.
pub fn tick(conn: &Connection) -> Result<(String, i64)> {
    conn.execute_batch(&tick_sql())?;
    let current = current();
    Ok(
        conn.query_row(&format!("SELECT {current}, {SEQ}"), [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
    )
}

/// The last HLC handed out (without advancing).
pub fn last(conn: &Connection) -> Result<String> {
    let current = current();
    Ok(conn.query_row(&format!("SELECT {current}"), [], |r| r.get(0))?)
}

/// Moves the clock past an HLC seen elsewhere, so a later local edit sorts after it — never
/// more than [`MAX_AHEAD_MS`] ahead of the physical clock, whatever was seen.
pub fn observe(conn: &Connection, hlc: &str) -> Result<()> {
    let Some((ms, counter)) = parse(hlc) else {
        return Ok(());
    };
    if ms > now_ms() + MAX_AHEAD_MS {
        return Ok(());
    }
    conn.execute(
        "UPDATE sync_clock SET ms = ?1, counter = ?2 WHERE ms < ?1 OR (ms = ?1 AND counter < ?2)",
        (ms, counter),
    )?;
    Ok(())
}

/// (ms, counter) of a well-formed HLC; None for anything else.
pub fn parse(hlc: &str) -> Option<(i64, i64)> {
    let b = hlc.as_bytes();
    if b.len() < 20 || b.len() > 13 + 1 + 4 + 1 + 64 || b[13] != b'-' || b[18] != b'-' {
        return None;
    }
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let device = &b[19..];
    if !digits(&b[..13])
        || !digits(&b[14..18])
        || !device
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
    {
        return None;
    }
    Some((hlc[..13].parse().ok()?, hlc[14..18].parse().ok()?))
}

/// Repairs a laptop whose clock was dragged ahead by a version from the future (an earlier
/// version took such packages): the clock goes back to the physical time, and every row and
/// deletion stamped ahead of it gets a new version now, as a local edit — so it travels on as
/// an update of the bad version (the others hold it as theirs) and no longer wins every
/// conflict. Returns how many versions were renewed; called when the database is opened.
pub(crate) fn repair_clock(conn: &Connection) -> Result<u64> {
    let limit = now_ms() + MAX_AHEAD_MS;
    let clock: i64 = conn.query_row("SELECT ms FROM sync_clock", [], |r| r.get(0))?;
    if clock <= limit {
        return Ok(0);
    }
    // Versions sort as text: anything from beyond the limit sorts after this.
    let beyond = format!("{limit:013}-9999-~");
    conn.execute("UPDATE sync_clock SET ms = ?1, counter = 0", [now_ms()])?;
    let (hlc, seq) = tick(conn)?;
    let mut renewed = 0u64;
    for t in TABLES {
        renewed += conn.execute(
            &format!("UPDATE {t} SET hlc = ?2, sync_seq = ?3 WHERE hlc > ?1"),
            rusqlite::params![beyond, hlc, seq],
        )? as u64;
    }
    renewed += conn.execute(
        "UPDATE sync_tombstone SET hlc = ?2, sync_seq = ?3 WHERE hlc > ?1",
        rusqlite::params![beyond, hlc, seq],
    )? as u64;
    crate::audit::note(
        conn,
        "sync",
        "clock",
        "update",
        &format!(
            "本机的版本时钟曾被来自未来的版本号带快（到 {}），已拨回当前时间，{renewed} 条数据换了新版本号",
            hlc_time(&format!("{clock:013}-0000-x"))
        ),
    )?;
    Ok(renewed)
}

/// Marks the start (true) or end of an import's writes: triggers leave its rows alone.
pub(crate) fn set_applying(conn: &Connection, on: bool) -> Result<()> {
    conn.execute("UPDATE sync_clock SET applying = ?1", [on])?;
    Ok(())
}

/// Gives every row created locally and never stamped its first version (before an export).
pub(crate) fn stamp_new(conn: &Connection) -> Result<()> {
    let current = current();
    let mut ticked = false;
    for t in TABLES {
        let own = own_rows(t, t);
        let any: Option<i64> = conn
            .query_row(
                &format!("SELECT 1 FROM {t} WHERE hlc IS NULL AND {own} LIMIT 1"),
                [],
                |r| r.get(0),
            )
            .optional()?;
        if any.is_some() {
            if !ticked {
                conn.execute_batch(&tick_sql())?;
                ticked = true;
            }
            // One version for all: versions are compared per row, so they may be shared.
            conn.execute_batch(&format!(
                "UPDATE {t} SET hlc = {current}, sync_seq = {SEQ} WHERE hlc IS NULL AND {own}"
            ))?;
        }
    }
    Ok(())
}

/// A new local version of one row (a conflict resolved: the choice travels on).
pub(crate) fn touch(conn: &Connection, table: &str, id: &str) -> Result<()> {
    if !TABLES.contains(&table) {
        return Err(AppError::new(ErrorCode::InvalidValue, "不能同步的数据类型"));
    }
    let (hlc, seq) = tick(conn)?;
    conn.execute(
        &format!("UPDATE {table} SET hlc = ?2, sync_seq = ?3 WHERE id = ?1"),
        rusqlite::params![id, hlc, seq],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;

/// The triggers that give a record a new version when a link or hand-out of it is added: they
/// act only where the record already has a version, so a batch writing new records, their
/// links and hand-outs first (record::bulk), never sets them off — only pays for their look-up
/// at each row. The batch drops them while it writes.
pub(crate) const CHILD_OF_RECORD_IN: [&str; 2] =
    ["record_campaign_sync_in", "stock_movement_sync_in"];
