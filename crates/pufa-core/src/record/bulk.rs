//! Many new records in one transaction (the Excel import): for each, what [`create_in`] writes —
//! the record, its campaign links and hand-outs, the coordinator's approval with its sync
//! stamp, the same audit rows — without what made 10,000 of them take ten seconds:
//!
//! - each record is checked as it comes, but written with the others in chunks of [`CHUNK`],
//!   many rows to a statement ([`insert_rows`]) — in chunks, not all at the end, so that what
//!   waits to be written (records, hand-outs, audit bodies: some 10 KB a record) does not grow
//!   with the sheet: a 20,000-row import held 250 MB of it;
//! - the tallies and the stock balances are counted in memory and added once, instead of by
//!   triggers at every write (an approved record was counted in, out as pending and in again
//!   as approved);
//! - a coordinator's record is approved as it is written, not updated afterwards;
//! - the audit rows' bodies are made from the checked input instead of reading the record (and
//!   each hand-out) back — on a second thread, while the next chunk is read and checked — and
//!   the user, stores and village names are looked up once.

use super::*;
use crate::audit;
use crate::db::{insert_rows, suspend_triggers, SuspendedTriggers};
use crate::domain::UserRole;
use crate::inventory::{self, HandoutBatch, Movement, NewHandout, Store};
use crate::reports::tally::{self, NewRecordTallies, TalliedRecord};
use crate::sync;
use crate::town::UserProfile;
use crate::{new_id, now};
use rusqlite::types::Value as SqlValue;
use rusqlite::OptionalExtension;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use std::thread::JoinHandle;

/// How many checked records wait before they are written.
const CHUNK: usize = 250;

/// New records checked one by one as they come ([`NewRecords::create`]), written a chunk at a
/// time in the caller's transaction, the last chunk and the tallies by [`NewRecords::write`].
pub(crate) struct NewRecords {
    /// Records kept before a chunk is written.
    chunk: usize,
    /// Records written by earlier chunks.
    flushed: usize,
    /// The record tally triggers, the sync triggers of links and hand-outs and the stock
    /// balance trigger, dropped, and the foreign keys checked at the commit (from the first
    /// chunk written until [`NewRecords::before_edit`] or [`NewRecords::write`] adds the
    /// tallies and balances and puts them back).
    suspended: Option<SuspendedTriggers>,
    /// The user of this computer: the audit rows' author and the reviewer.
    user: Option<UserProfile>,
    /// The coordinator's own records are approved as they are saved.
    approve: bool,
    places: Places,
    handouts: HandoutBatch,
    /// The records' rows, in `insert_columns` order.
    rows: Vec<Vec<SqlValue>>,
    /// What is written after each record's row: its id and the planned activity it fulfils.
    written: Vec<(String, Option<String>)>,
    /// (record, campaign).
    links: Vec<Vec<SqlValue>>,
    /// What the audit rows are made from, in the order the records write them one at a time:
    /// each one's hand-outs, its creation, its approval.
    audit: Vec<Audited>,
    /// The tallies of the records written, counted as their audit rows are made (while a
    /// chunk's are made, the thread making them has them).
    tallies: NewRecordTallies,
    /// The audit rows of the chunk written last, being made on a thread of their own while the
    /// next chunk is read and checked; inserted when that one is written ([`NewRecords::made`]).
    /// Made beside the chunk's own inserts instead, they were waited for: as long to make.
    making: Option<JoinHandle<(Vec<Vec<SqlValue>>, NewRecordTallies)>>,
}

/// What an audit row of the batch is made from ([`audit_rows`]).
enum Audited {
    /// A hand-out, as `movement` reads it back, with its summary.
    Handout(Box<Movement>, String),
    /// A new record, checked: its audit rows are made from it as `get` would read it back (an
    /// approval follows when it is approved on entry), and its tallies counted.
    Record {
        id: String,
        checked: Box<Checked>,
        unit_name: Option<String>,
        at: String,
        approve: bool,
    },
}

impl NewRecords {
    /// A batch by the user of this computer.
    pub(crate) fn start(tx: &Connection) -> Result<NewRecords> {
        let user = current_user(tx)?;
        Ok(NewRecords {
            chunk: CHUNK,
            flushed: 0,
            suspended: None,
            approve: user
                .as_ref()
                .is_some_and(|u| u.role == UserRole::Coordinator),
            user,
            places: Places::default(),
            handouts: HandoutBatch::default(),
            rows: Vec::new(),
            written: Vec::new(),
            links: Vec::new(),
            audit: Vec::new(),
            tallies: NewRecordTallies::default(),
            making: None,
        })
    }

    /// The same batch writing every `n` records (tests: chunks smaller than a test's records).
    #[cfg(test)]
    pub(crate) fn in_chunks_of(self, n: usize) -> NewRecords {
        NewRecords { chunk: n, ..self }
    }

    /// Checks one new record as [`create_in`] does, with the same errors, and keeps it to be
    /// written; a record with an error is not kept.
    pub(crate) fn create(&mut self, tx: &Connection, input: &RecordInput) -> Result<String> {
        let c = check(tx, input)?;
        check_deadline(tx, &c.campaign_ids)?;
        let id = new_id();
        let at = now();
        let date = c.date.to_string();
        let unit_name = self.places.unit_name(tx, &c.unit_id)?;
        let store = self.places.store(tx, &c.unit_id)?;
        let lines: Vec<NewHandout> = c
            .materials
            .iter()
            .map(|(m, q)| NewHandout {
                material: m,
                quantity: *q,
                store,
                date: &date,
                record_id: &id,
            })
            .collect();
        // The only check left, before anything of the record is kept.
        let confirm = input.confirm_below_zero;
        let handed_out = self.handouts.add(tx, &lines, confirm)?;
        self.audit.extend(
            handed_out
                .into_iter()
                .map(|(m, summary)| Audited::Handout(Box::new(m), summary)),
        );

        let reviewer = self.user.as_ref().map(|u| u.name.as_str());
        let review = if self.approve {
            ReviewColumns {
                status: ReviewStatus::Approved,
                comment: APPROVED_ON_ENTRY,
                by: reviewer,
                at: Some(&at),
            }
        } else {
            ReviewColumns::WAITING
        };
        let row = row_values(&id, &c, &at, Some(&review));
        self.rows.push(row.into_iter().map(|(_, v)| v).collect());
        self.written.push((id.clone(), c.activity_id.clone()));
        for campaign in &c.campaign_ids {
            let link = [&id, campaign].map(|s| SqlValue::Text(s.to_string()));
            self.links.push(link.into());
        }

        drop(lines);
        self.audit.push(Audited::Record {
            id: id.clone(),
            checked: Box::new(c),
            unit_name,
            at,
            approve: self.approve,
        });
        if self.rows.len() >= self.chunk {
            self.flush(tx)?;
        }
        Ok(id)
    }

    /// Writes the records kept so far and what is left: the last audit rows, the tallies and
    /// stock balances of all of them, and the suspended triggers put back. Should it fail, or
    /// not be called after a chunk was written, the caller's transaction must roll back.
    pub(crate) fn write(mut self, tx: &Connection) -> Result<()> {
        self.before_edit(tx)
    }

    /// Writes the records kept so far with their audit rows, adds the tallies and stock
    /// balances of those written and puts the suspended triggers back: what must come before an
    /// existing record is changed in the same transaction (a corrected row of the import),
    /// which the triggers count. The next chunk drops them again; the stock balances are read
    /// again after the edit.
    pub(crate) fn before_edit(&mut self, tx: &Connection) -> Result<()> {
        self.flush(tx)?;
        let last = self.made();
        insert_rows(tx, "audit_log", &audit::COLUMNS, &last)?;
        self.handouts.forget_balances();
        if let Some(triggers) = self.suspended.take() {
            std::mem::take(&mut self.tallies).write(tx)?;
            self.handouts.write_balances(tx)?;
            triggers.resume(tx)?;
            tx.pragma_update(None, "defer_foreign_keys", false)?;
        }
        Ok(())
    }

    /// Writes the records kept so far with their links and hand-outs, and the audit rows of the
    /// chunk before; starts making theirs; forgets them (the stock balances and the tallies are
    /// kept for the records still to come). The record tally triggers are dropped at the first
    /// chunk: the tallies are added once, by [`NewRecords::write`]; between chunks only reads
    /// happen.
    ///
    /// The links and hand-outs go in before their records: after a record with a version they
    /// would give it a new one, as they did not when it had none yet. So their references are
    /// checked when the transaction commits — switched on once, not around each chunk: setting
    /// the pragma expires every prepared statement, and re-preparing them after each chunk
    /// (the inserts of 64 rows most of all) was a tenth of an import.
    fn flush(&mut self, tx: &Connection) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        self.flushed += self.rows.len();
        if self.suspended.is_none() {
            let names = tally::record_trigger_names();
            let dropped = names
                .into_iter()
                .chain(sync::CHILD_OF_RECORD_IN)
                .chain([inventory::BALANCE_IN_TRIGGER]);
            self.suspended = Some(suspend_triggers(tx, dropped)?);
            tx.pragma_update(None, "defer_foreign_keys", true)?;
        }
        for (_, activity_id) in &self.written {
            mark_held(tx, activity_id.as_deref())?;
        }
        // Approving a record one at a time is an edit, which the sync trigger gives a version;
        // these are written with theirs.
        let versions = match self.approve {
            true => sync::ticks(tx, self.rows.len())?,
            false => None,
        };
        // This chunk's audit rows are made and its tallies counted while the next one is read
        // and checked; the chunk before's are ready by now.
        let earlier = self.made();
        let user = self.user.clone();
        let audited = std::mem::take(&mut self.audit);
        let mut tallies = std::mem::take(&mut self.tallies);
        self.making = Some(std::thread::spawn(move || {
            let rows = audit_rows(user.as_ref(), audited, &mut tallies);
            (rows, tallies)
        }));
        let mut rows = std::mem::take(&mut self.rows);
        for (i, row) in rows.iter_mut().enumerate() {
            row.extend(match &versions {
                Some(v) => [SqlValue::Text(v[i].0.clone()), SqlValue::Integer(v[i].1)],
                None => [SqlValue::Null, SqlValue::Integer(0)],
            });
        }
        insert_rows(
            tx,
            "record_campaign",
            &["record_id", "campaign_id"],
            &std::mem::take(&mut self.links),
        )?;
        self.handouts.write(tx)?;
        let mut columns = insert_columns();
        columns.extend(["hlc", "sync_seq"]);
        insert_rows(tx, "record", &columns, &rows)?;
        insert_rows(tx, "audit_log", &audit::COLUMNS, &earlier)?;
        self.written.clear();
        Ok(())
    }

    /// The audit rows being made, once they are (none when none are), with the tallies back.
    fn made(&mut self) -> Vec<Vec<SqlValue>> {
        let Some(making) = self.making.take() else {
            return Vec::new();
        };
        let (rows, tallies) = making.join().expect("the audit rows are made");
        self.tallies = tallies;
        rows
    }
}

/// The villages' names and stores, looked up once each.
#[derive(Default)]
struct Places {
    /// The store each village's hand-outs come from, by unit id.
    stores: HashMap<String, Store>,
    unit_names: HashMap<String, Option<String>>,
}

impl Places {
    /// The village's store, else the town's (created on first use, as for one record).
    fn store(&mut self, tx: &Connection, unit_id: &str) -> Result<&Store> {
        if !self.stores.contains_key(unit_id) {
            let id = village_or_town_store(tx, unit_id)?;
            let store = tx
                .prepare_cached("SELECT name, unit_id FROM store WHERE id = ?1")?
                .query_row([&id], |r| {
                    Ok(Store {
                        id: id.clone(),
                        name: r.get(0)?,
                        unit_id: r.get(1)?,
                    })
                })?;
            self.stores.insert(unit_id.to_string(), store);
        }
        Ok(&self.stores[unit_id])
    }

    fn unit_name(&mut self, tx: &Connection, unit_id: &str) -> Result<Option<String>> {
        if let Some(name) = self.unit_names.get(unit_id) {
            return Ok(name.clone());
        }
        let name: Option<String> = tx
            .prepare_cached("SELECT name FROM unit WHERE id = ?1")?
            .query_row([unit_id], |r| r.get(0))
            .optional()?;
        self.unit_names.insert(unit_id.to_string(), name.clone());
        Ok(name)
    }
}

fn to_json(record: &Record) -> Value {
    serde_json::to_value(record).expect("records serialise")
}

/// The audit rows of the batch's records and hand-outs, by `user`, as one record written at a
/// time logs them; the records are counted in `tallies`.
fn audit_rows(
    user: Option<&UserProfile>,
    audited: Vec<Audited>,
    tallies: &mut NewRecordTallies,
) -> Vec<Vec<SqlValue>> {
    let mut rows = Vec::with_capacity(audited.len() + audited.len() / 2);
    for a in audited {
        match a {
            Audited::Handout(m, summary) => {
                let body = serde_json::to_value(&m).expect("movements serialise");
                rows.push(audit::row(
                    user,
                    "stock",
                    &m.id,
                    "create",
                    &summary,
                    None,
                    Some(&body),
                ));
            }
            Audited::Record {
                id,
                checked: c,
                unit_name,
                at,
                approve,
            } => {
                let status = match approve {
                    true => ReviewStatus::Approved,
                    false => ReviewStatus::Pending,
                };
                let date = c.date.to_string();
                tallies.add(&TalliedRecord {
                    unit_id: &c.unit_id,
                    date: &date,
                    review_status: status.code(),
                    sums: tally::record_sums_of(c.participants, c.reach, &c.counts),
                    lists: [&c.nodes, &c.formats, &c.audiences, &c.laws].map(|l| parsed(l)),
                    campaign_ids: &c.campaign_ids,
                    handouts: c
                        .materials
                        .iter()
                        .map(|(m, q)| (m.id.as_str(), *q))
                        .collect(),
                });
                let mut record = as_written(&id, &c, unit_name, &at);
                let created = to_json(&record);
                rows.push(audit::changed_row(
                    user,
                    "record",
                    &id,
                    "create",
                    None,
                    Some(&created),
                ));
                if approve {
                    // What approving changes, as `set_review` logs it: the other fields are
                    // the same before and after, so they are left out of both sides instead of
                    // compared.
                    let before = review_fields(&record);
                    record.review_status = ReviewStatus::Approved;
                    record.review_comment = APPROVED_ON_ENTRY.to_string();
                    record.reviewed_by = user.map(|u| u.name.clone());
                    record.reviewed_at = Some(record.created_at.clone());
                    let after = review_fields(&record);
                    rows.push(audit::changed_row(
                        user,
                        "record",
                        &id,
                        "approve",
                        Some(&before),
                        Some(&after),
                    ));
                }
            }
        }
    }
    rows
}

/// The fields a review changes, with the title the audit summary names.
fn review_fields(r: &Record) -> Value {
    serde_json::json!({
        "title": r.title,
        "review_status": r.review_status,
        "review_comment": r.review_comment,
        "reviewed_by": r.reviewed_by,
        "reviewed_at": r.reviewed_at,
    })
}

/// A JSON column as [`get`] reads it: anything unreadable as the default.
fn parsed<T: DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

/// The record as [`get`] reads it back just after it is written (waiting for review), made
/// from the checked input instead.
fn as_written(id: &str, c: &Checked, unit_name: Option<String>, at: &str) -> Record {
    let mut campaign_ids = c.campaign_ids.clone();
    campaign_ids.sort();
    Record {
        id: id.to_string(),
        activity_id: c.activity_id.clone(),
        title: c.title.clone(),
        date: c.date.to_string(),
        start_time: c.start_time.clone(),
        end_time: c.end_time.clone(),
        unit_id: Some(c.unit_id.clone()),
        unit_name,
        venue_type: c
            .venue_type
            .and_then(|v| VenueType::parse("venue_type", v).ok()),
        venue: c.venue.clone(),
        formats: parsed(&c.formats),
        audiences: parsed(&c.audiences),
        laws: parsed(&c.laws),
        campaign_ids,
        nodes: parsed(&c.nodes),
        speakers: parsed(&c.speakers),
        partners: parsed(&c.partners),
        participants: c.participants,
        reach: c.reach,
        reach_by_audience: parsed(&c.reach_by_audience),
        counts: c.counts,
        narrative: c.narrative.clone(),
        materials: c
            .materials
            .iter()
            .map(|(m, q)| MaterialLine {
                material_id: m.id.clone(),
                material_name: m.name.clone(),
                quantity: *q,
                unit: m.unit.clone(),
            })
            .collect(),
        quiz: c.quiz.as_deref().and_then(|q| serde_json::from_str(q).ok()),
        recorder: c.recorder.clone(),
        review_status: ReviewStatus::Pending,
        review_comment: String::new(),
        reviewed_by: None,
        reviewed_at: None,
        created_at: at.to_string(),
        updated_at: at.to_string(),
    }
}

#[cfg(test)]
mod tests;
