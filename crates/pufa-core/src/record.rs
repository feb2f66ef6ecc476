//! What was held (活动记录 / 台账): an activity record, from a planned activity or ad hoc, with
//! reach, materials handed out (stock moves in the same transaction) and review:
//! 待审核 → 已通过 (locked) or 已退回 → fixed and resubmitted; re-opening is explicit.
//!
//! This module holds the model; its parts: [`fields`] (every column declared once, in
//! `record_fields.rs` below `validate`, whose messages label the counts by it),
//! `checks` (the rules every door goes through), `queries` (reading and filtering), `writes`
//! (saving and deleting) and `review` (the review state machine).

use crate::domain::{ActivityFormat, Audience, PersonRole, VenueType};
use crate::error::{AppError, ErrorCode, Result};
use crate::town::current_user;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

pub use crate::record_fields as fields;
pub use fields::{RecordCounts, RecordCountsInput, COUNTS, N_COUNTS};

mod checks;
mod queries;
mod review;
mod writes;
pub(crate) use checks::*;
pub use queries::*;
pub use review::*;
pub use writes::*;

/// Counts above this are refused as typing mistakes.
pub const MAX_COUNT: i64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReviewStatus {
    /// 待审核.
    Pending,
    /// 已退回: to be fixed and resubmitted.
    Returned,
    /// 已通过: locked.
    Approved,
}

impl ReviewStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Returned => "returned",
            ReviewStatus::Approved => "approved",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "待审核",
            ReviewStatus::Returned => "已退回",
            ReviewStatus::Approved => "已通过",
        }
    }
    /// A stored status; anything else is an error naming the record (never 待审核 by default).
    pub(crate) fn parse_stored(s: &str, record: &str) -> Result<ReviewStatus> {
        match s {
            "approved" => Ok(ReviewStatus::Approved),
            "returned" => Ok(ReviewStatus::Returned),
            "pending" => Ok(ReviewStatus::Pending),
            other => Err(AppError::field(
                ErrorCode::InvalidValue,
                "review_status",
                format!(
                    "活动记录{record}的审核状态“{}”无效",
                    crate::validate::clip(other)
                ),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Speaker {
    pub name: String,
    /// A person role code (legal_adviser, vice_principal, police, judge …).
    pub role: PersonRole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialLine {
    pub material_id: String,
    pub material_name: String,
    #[ts(type = "number")]
    pub quantity: i64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Quiz {
    #[ts(type = "number")]
    pub questions: i64,
    #[ts(type = "number")]
    pub participants: i64,
    #[ts(type = "number")]
    pub winners: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ActivityRecord")]
pub struct Record {
    pub id: String,
    /// The planned activity this record fulfils, if any.
    pub activity_id: Option<String>,
    pub title: String,
    pub date: String,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub venue_type: Option<VenueType>,
    pub venue: String,
    pub formats: Vec<ActivityFormat>,
    pub audiences: Vec<Audience>,
    pub laws: Vec<String>,
    pub campaign_ids: Vec<String>,
    pub nodes: Vec<String>,
    pub speakers: Vec<Speaker>,
    pub partners: Vec<String>,
    /// 参加人数.
    #[ts(type = "number")]
    pub participants: i64,
    /// 受众人次.
    #[ts(type = "number")]
    pub reach: i64,
    #[ts(type = "Record<string, number>")]
    pub reach_by_audience: BTreeMap<String, i64>,
    /// 咨询人次, 横幅 … 志愿者人次 (see [`fields::COUNTS`]).
    #[serde(flatten)]
    pub counts: RecordCounts,
    pub narrative: String,
    pub materials: Vec<MaterialLine>,
    pub quiz: Option<Quiz>,
    pub recorder: String,
    pub review_status: ReviewStatus,
    pub review_comment: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A material line as entered: a catalogue item by id or name, a quantity, its unit.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
pub struct MaterialLineInput {
    /// Catalogue id or name.
    #[serde(default)]
    pub material_id: Option<String>,
    /// Used when the id is unknown here (a record copied from another laptop).
    #[serde(default)]
    pub material_name: Option<String>,
    pub quantity: f64,
    #[serde(default)]
    pub unit: Option<String>,
}

/// What a cadre enters. At most six fields are required: title, date, village, formats,
/// participants, recorder.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordInput {
    #[serde(default)]
    pub activity_id: Option<String>,
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub unit_id: Option<String>,
    /// Used when the unit id is unknown here (a record copied from another laptop).
    #[serde(default)]
    pub unit_name: Option<String>,
    #[serde(default)]
    pub venue_type: Option<String>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub formats: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub campaign_ids: Vec<String>,
    #[serde(default)]
    pub nodes: Vec<String>,
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    #[serde(default)]
    pub partners: Vec<String>,
    /// Numbers arrive as JSON numbers; fractions are refused, not rounded.
    pub participants: f64,
    #[serde(default)]
    pub reach: Option<f64>,
    #[serde(default)]
    #[ts(type = "Record<string, number>")]
    pub reach_by_audience: BTreeMap<String, f64>,
    /// 咨询人次, 横幅 … 志愿者人次 (see [`fields::COUNTS`]).
    #[serde(flatten)]
    pub counts: RecordCountsInput,
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default)]
    pub materials: Vec<MaterialLineInput>,
    #[serde(default)]
    pub quiz: Option<Quiz>,
    pub recorder: String,
    /// The user confirmed hand-outs that take a store below zero.
    #[serde(default)]
    pub confirm_below_zero: bool,
}

/// A planned activity as the starting point of its record (the form's pre-fill).
pub fn prefill(conn: &Connection, activity_id: &str) -> Result<Record> {
    let a = crate::activity::get(conn, activity_id)?;
    Ok(Record {
        id: String::new(),
        activity_id: Some(a.id),
        title: a.title,
        date: a.date,
        start_time: a.start_time,
        end_time: a.end_time,
        unit_id: a.unit_id,
        unit_name: a.unit_name,
        venue_type: a.venue_type,
        venue: a.venue,
        formats: a.formats,
        audiences: a.audiences,
        laws: a.laws,
        campaign_ids: a.campaign_ids,
        nodes: a.nodes,
        speakers: Vec::new(),
        partners: a.partners,
        participants: a.expected_audience.map(i64::from).unwrap_or(0),
        reach: a.expected_audience.map(i64::from).unwrap_or(0),
        reach_by_audience: BTreeMap::new(),
        counts: RecordCounts::default(),
        narrative: String::new(),
        materials: Vec::new(),
        quiz: None,
        recorder: current_user(conn)?.map(|u| u.name).unwrap_or_default(),
        review_status: ReviewStatus::Pending,
        review_comment: String::new(),
        reviewed_by: None,
        reviewed_at: None,
        created_at: String::new(),
        updated_at: String::new(),
    })
}

/// One line of the 台账 list: a planned activity or a held record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum LedgerEntry {
    Planned(crate::activity::Activity),
    Record(Record),
}

impl LedgerEntry {
    fn sort_key(&self) -> (String, String) {
        match self {
            LedgerEntry::Planned(a) => (a.date.clone(), a.start_time.clone().unwrap_or_default()),
            LedgerEntry::Record(r) => (r.date.clone(), r.start_time.clone().unwrap_or_default()),
        }
    }
}

/// Planned activities and held records of a period, by date — what `activity list` prints.
pub fn ledger(conn: &Connection, f: &crate::activity::ActivityFilter) -> Result<Vec<LedgerEntry>> {
    let planned = crate::activity::list(conn, f)?;
    let records = list(
        conn,
        &RecordFilter {
            from: f.from.clone(),
            to: f.to.clone(),
            unit_id: f.unit_id.clone(),
            campaign_id: f.campaign_id.clone(),
            search: f.search.clone(),
            review_status: None,
            recorder: None,
        },
    )?;
    let mut out: Vec<LedgerEntry> = planned.into_iter().map(LedgerEntry::Planned).collect();
    out.extend(records.into_iter().map(LedgerEntry::Record));
    out.sort_by_key(|e| e.sort_key());
    Ok(out)
}

pub(crate) mod bulk;

#[cfg(test)]
mod tests;
