//! A corrected sheet imported again. Each imported record remembers its source (sheet, Excel
//! row) and a fingerprint of the row's values as imported (`import_source`, migration 0015).
//! A row of a later import is the same activity as an imported record when
//! - it has the same distinct key (date, village, name, place and time: [`Key`]), or
//! - it sits on the same sheet and row, on the same date and village, and its name is a
//!   rewording of the old one (most of the name's character pairs shared, or nothing but the
//!   name changed) — a reworded title is not a second activity.
//!
//! Its fingerprint the same: a duplicate (an edit made in the app since is not undone by
//! importing the same sheet again). Different: 已修改, with each change old → new; importing
//! applies it through the record's update rules (audited, a returned record back to 待审核).
//! An approved record is corrected only by the coordinator's import (the preview showed the
//! changes; it stays approved); a cadre's import leaves it and says why, as a row error.
//! Records entered in the app (no import source) are never changed by an import.
use super::*;
use crate::record::Record;

/// One change of a corrected row: the column (as the sheet names it), old and new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportChange")]
pub struct Change {
    pub column: String,
    pub old: String,
    pub new: String,
}

/// Where an imported record came from, to be remembered once the import is written.
pub(super) struct Source {
    pub(super) record_id: Option<String>,
    pub(super) sheet: String,
    pub(super) row: u32,
    pub(super) fingerprint: String,
}

/// What an earlier import says about a row.
pub(super) enum Earlier {
    /// Not imported before (or a record entered in the app: `recorded` decides).
    New,
    /// Imported before with these very values, or recorded in the app: a duplicate.
    Same,
    /// Imported before from a row that said something else.
    Changed(Box<Record>),
}

/// A stable hash (FNV-1a, 64 bits) of a row's values as imported, and of the same without the
/// name: "<all>/<without name>". Who recorded it is left out (it may be the user importing).
/// The values are hashed as their JSON, written straight into the hash (a 20,000-row import
/// spent a tenth of its time formatting them with `Debug` into strings).
pub(super) fn fingerprint(input: &RecordInput) -> String {
    struct Fnv(u64);
    impl std::io::Write for Fnv {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            for b in bytes {
                self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let hash = |values: &RecordInput| {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        serde_json::to_writer(&mut h, values).expect("a record input serialises");
        h.0
    };
    let mut values = input.clone();
    values.recorder = String::new();
    let all = hash(&values);
    values.title = String::new();
    let rest = hash(&values);
    format!("{all:016x}/{rest:016x}")
}

/// How alike two names are: the share of character pairs they have in common (Dice), 0 … 1.
fn likeness(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| {
        let c: Vec<char> = s.chars().collect();
        let mut p: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
        p.sort_unstable();
        p
    };
    let (pa, pb) = (pairs(a), pairs(b));
    if pa.is_empty() || pb.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut rest = pb.clone();
    let mut shared = 0;
    for p in &pa {
        if let Some(i) = rest.iter().position(|q| q == p) {
            rest.swap_remove(i);
            shared += 1;
        }
    }
    2.0 * shared as f64 / (pa.len() + pb.len()) as f64
}

/// The rows of `sheet` that an earlier import took records from, read once a sheet: only these
/// can be a record reworded since ([`Importer::earlier`]), and a query for each new row (most
/// rows, and all of them the first time a sheet is imported) was a twentieth of an import.
pub(super) fn sourced_rows(conn: &Connection, sheet: &str) -> Result<HashSet<u32>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT row FROM import_source WHERE sheet = ?1")?;
    let rows = stmt
        .query_map([sheet], |r| r.get::<_, u32>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A reworded name shares at least this much with the old one (宪法宣传进村 → 宪法宣传进村入户活动
/// 0.71; 民法典宣传 → 反诈宣传 0.29).
const REWORDED: f64 = 0.5;

impl Importer<'_> {
    /// What an earlier import says about this row (`recorded`: the record the key matches).
    pub(super) fn earlier(
        &self,
        key: &Key,
        recorded: Option<&str>,
        row: u32,
        print: &str,
    ) -> Result<Earlier> {
        let source = |id: &str| -> Result<Option<String>> {
            Ok(self
                .conn
                .prepare_cached("SELECT fingerprint FROM import_source WHERE record_id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?)
        };
        if let Some(id) = recorded {
            if self.carry.claimed.contains(id) {
                return Ok(Earlier::Same);
            }
            return Ok(match source(id)? {
                Some(old) if old != print => {
                    Earlier::Changed(Box::new(record::get(self.conn, id)?))
                }
                _ => Earlier::Same,
            });
        }
        // Same sheet and row, date and village: the name reworded?
        if !self.sourced_rows.contains(&row) {
            return Ok(Earlier::New);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.record_id, s.fingerprint, r.title FROM import_source s
             JOIN record r ON r.id = s.record_id
             WHERE s.sheet = ?1 AND s.row = ?2 AND r.unit_id = ?3 AND r.date = ?4",
        )?;
        let found: Vec<(String, String, String)> = stmt
            .query_map(
                rusqlite::params![self.out.sheet, row, key.unit, key.date.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        for (id, old, title) in found {
            if self.carry.claimed.contains(&id) {
                continue;
            }
            let same_rest = old.split('/').nth(1) == print.split('/').nth(1);
            if same_rest || likeness(&title_key(&title), &key.title) >= REWORDED {
                return Ok(Earlier::Changed(Box::new(record::get(self.conn, &id)?)));
            }
        }
        Ok(Earlier::New)
    }

    /// A row imported before that now says something else: its changes, checked (previewing)
    /// or applied (importing). `None`: nothing a person would see changed (a duplicate).
    pub(super) fn correct(
        &mut self,
        read: &mut RowRead,
        before: &Record,
        input: RecordInput,
        print: &str,
    ) -> Result<Option<RowStatus>> {
        let changes = self.changes(before, &input);
        if changes.is_empty() {
            return Ok(None);
        }
        // What the sheet has no column for stays as the record has it.
        let input = RecordInput {
            activity_id: before.activity_id.clone(),
            campaign_ids: before.campaign_ids.clone(),
            nodes: before.nodes.clone(),
            partners: before.partners.clone(),
            quiz: before.quiz.clone(),
            reach_by_audience: before
                .reach_by_audience
                .iter()
                .map(|(k, v)| (k.clone(), *v as f64))
                .collect(),
            venue_type: before.venue_type.map(|v| v.code().to_string()),
            recorder: before.recorder.clone(),
            ..input
        };
        let said = changes
            .iter()
            .map(|c| format!("{}：{} → {}", c.column, c.old, c.new))
            .collect::<Vec<_>>()
            .join("；");
        if before.review_status == record::ReviewStatus::Approved && !self.lookups.coordinator {
            let zh = format!(
                "这项活动已审核通过并锁定，表中的改动（{said}）没有导入；请协调员导入，\
                 或先“重新打开”这条记录"
            );
            let locked = Said::new(Problem::Locked, zh).with("changes", said.as_str());
            self.error(read, Field::Title, locked);
            return Ok(Some(RowStatus::Error));
        }
        let checked = match self.mode {
            Mode::Preview => record::check_input(self.conn, &input),
            Mode::Import(ref mut batch) => {
                let conn = self.conn;
                let coordinator = self.lookups.coordinator;
                // The new rows' tallies so far are added first: the update is counted by the
                // triggers, which the batch has dropped while it writes new records.
                batch.before_edit(conn)?;
                written(conn, read.row, "更正", || {
                    record::update_in(conn, &before.id, &input, coordinator)
                })?
            }
        };
        if let Err(e) = checked {
            self.refused(read, &e);
            return Ok(Some(RowStatus::Error));
        }
        if self.mode.importing() {
            // Its name, place or day may have changed: the records are read again.
            self.carry.recorded.clear();
        }
        // Named by its row, and filed under the first column that changed (not the name's).
        let row = read.row;
        let corrected = Said::new(Problem::Corrected, format!("第{row}行已修改：{said}"))
            .with("changes", said.as_str());
        self.out
            .corrected
            .push(corrected.at(row, changes[0].column.clone()));
        self.carry.claimed.insert(before.id.clone());
        self.out.sources.push(Source {
            record_id: Some(before.id.clone()),
            sheet: self.out.sheet.clone(),
            row: read.row,
            fingerprint: print.to_string(),
        });
        read.changes = changes;
        Ok(Some(RowStatus::Updated))
    }

    /// What a person sees changed between a record and a row read again.
    fn changes(&self, before: &Record, input: &RecordInput) -> Vec<Change> {
        let mut out = Vec::new();
        let mut add = |f: Field, old: String, new: String| {
            if old != new {
                out.push(Change {
                    column: self.column(f),
                    old: if old.is_empty() {
                        "（空）".into()
                    } else {
                        old
                    },
                    new: if new.is_empty() {
                        "（空）".into()
                    } else {
                        new
                    },
                });
            }
        };
        add(Field::Title, before.title.clone(), input.title.clone());
        let time = |s: &Option<String>, e: &Option<String>| match (s, e) {
            (Some(s), Some(e)) => format!("{s}—{e}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        };
        add(
            Field::StartTime,
            time(&before.start_time, &before.end_time),
            time(&input.start_time, &input.end_time),
        );
        add(
            Field::Venue,
            before.venue.clone(),
            input.venue.clone().unwrap_or_default(),
        );
        let formats_before: Vec<&str> = before.formats.iter().map(|f| f.label()).collect();
        let formats_after: Vec<&str> = input
            .formats
            .iter()
            .filter_map(|c| ActivityFormat::parse("formats", c).ok())
            .map(|f| f.label())
            .collect();
        add(
            Field::Formats,
            formats_before.join("、"),
            formats_after.join("、"),
        );
        let participants = input.participants as i64;
        add(
            Field::Participants,
            before.participants.to_string(),
            participants.to_string(),
        );
        let reach = input
            .reach
            .map_or(participants, |r| (r as i64).max(participants));
        add(Field::Reach, before.reach.to_string(), reach.to_string());
        let counts_after = input.counts.values();
        for ((f, old), new) in record::COUNTS
            .iter()
            .zip(before.counts.values())
            .zip(counts_after)
        {
            add(
                Field::Count(f.column),
                old.to_string(),
                (new.unwrap_or(0.0) as i64).to_string(),
            );
        }
        let materials_before: Vec<String> = before
            .materials
            .iter()
            .map(|m| format!("{}{}{}", m.material_name, m.quantity, m.unit))
            .collect();
        let materials_after: Vec<String> = input
            .materials
            .iter()
            .map(|m| {
                let id = m.material_id.as_deref().unwrap_or_default();
                let name = self
                    .lookups
                    .materials
                    .values()
                    .chain(self.generic.as_ref())
                    .find(|x| x.id == id)
                    .map_or(id, |x| x.name.as_str());
                format!(
                    "{name}{}{}",
                    m.quantity as i64,
                    m.unit.as_deref().unwrap_or("")
                )
            })
            .collect();
        add(
            Field::Material(1),
            materials_before.join("、"),
            materials_after.join("、"),
        );
        add(
            Field::Narrative,
            before.narrative.clone(),
            input.narrative.clone().unwrap_or_default(),
        );
        out
    }
}

/// Remembers where the imported and corrected records came from (after the batch is written).
pub(super) fn remember(tx: &Connection, sources: &[Source]) -> Result<()> {
    let at = crate::now();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO import_source (record_id, sheet, row, fingerprint, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (record_id) DO UPDATE SET sheet = ?2, row = ?3, fingerprint = ?4,
             imported_at = ?5",
    )?;
    for s in sources {
        if let Some(id) = &s.record_id {
            stmt.execute(rusqlite::params![id, s.sheet, s.row, s.fingerprint, at])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reworded_names_are_told_from_other_activities() {
        assert!(likeness("宪法宣传进村", "宪法宣传进村入户活动") >= REWORDED);
        assert!(likeness("民法典进万家宣传", "民法典进万家") >= REWORDED);
        assert!(likeness("民法典宣传", "反诈宣传") < REWORDED);
        assert!(likeness("国家安全教育日宣传", "防范电信诈骗讲座") < REWORDED);
        assert_eq!(likeness("普法", "普法"), 1.0);
    }
}
