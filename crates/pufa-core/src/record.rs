//! What was held (活动记录 / 台账): an activity record, from a planned activity or ad hoc, with
//! reach, materials handed out (stock moves in the same transaction) and review:
//! 待审核 → 已通过 (locked) or 已退回 → fixed and resubmitted; re-opening is explicit.

use crate::audit;
use crate::db::{insert_rows, Db};
use crate::domain::{ActivityFormat, Audience, PersonRole, UserRole, VenueType};
use crate::error::{AppError, ErrorCode, Result};
use crate::inventory;
use crate::town::{current_user, require_town};
use crate::{new_id, now, validate};
use chrono::NaiveDate;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

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
    pub(crate) fn parse(s: &str) -> ReviewStatus {
        match s {
            "approved" => ReviewStatus::Approved,
            "returned" => ReviewStatus::Returned,
            _ => ReviewStatus::Pending,
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
    #[ts(type = "number")]
    pub consultations: i64,
    #[ts(type = "number")]
    pub banners: i64,
    #[ts(type = "number")]
    pub boards: i64,
    #[ts(type = "number")]
    pub vehicles: i64,
    #[ts(type = "number")]
    pub online_posts: i64,
    #[ts(type = "number")]
    pub online_views: i64,
    #[ts(type = "number")]
    pub disputes: i64,
    #[ts(type = "number")]
    pub legal_aid_cases: i64,
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
#[derive(Debug, Clone, Default, Deserialize, TS)]
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
    #[serde(default)]
    pub consultations: Option<f64>,
    #[serde(default)]
    pub banners: Option<f64>,
    #[serde(default)]
    pub boards: Option<f64>,
    #[serde(default)]
    pub vehicles: Option<f64>,
    #[serde(default)]
    pub online_posts: Option<f64>,
    #[serde(default)]
    pub online_views: Option<f64>,
    #[serde(default)]
    pub disputes: Option<f64>,
    #[serde(default)]
    pub legal_aid_cases: Option<f64>,
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

fn count(field: &str, v: Option<f64>) -> Result<i64> {
    let v = v.unwrap_or(0.0);
    let label = validate::label(field);
    if v.fract() != 0.0 || !v.is_finite() {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!("{label}应为整数（填写了 {v}）"),
        ));
    }
    if v < 0.0 {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!("{label}不能为负数"),
        ));
    }
    if v > MAX_COUNT as f64 {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!("{label} {v} 过大，请核对（最多 {MAX_COUNT}）"),
        ));
    }
    Ok(v as i64)
}

struct Checked {
    activity_id: Option<String>,
    title: String,
    date: NaiveDate,
    start_time: Option<String>,
    end_time: Option<String>,
    unit_id: String,
    venue_type: Option<&'static str>,
    venue: String,
    formats: String,
    audiences: String,
    laws: String,
    campaign_ids: Vec<String>,
    nodes: String,
    speakers: String,
    partners: String,
    counts: [i64; 11],
    reach_by_audience: String,
    narrative: String,
    materials: Vec<(inventory::Material, i64)>,
    quiz: Option<String>,
    recorder: String,
}

fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}

fn check(conn: &Connection, input: &RecordInput) -> Result<Checked> {
    // The planned activity's fields are re-checked through the activity rules.
    let known = |id: &str| -> Result<bool> {
        Ok(conn
            .prepare_cached("SELECT 1 FROM unit WHERE id = ?1 OR name = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    };
    let unit = match (input.unit_id.as_deref(), input.unit_name.as_deref()) {
        (Some(id), Some(name)) if !known(id)? => Some(name.to_string()),
        (None, Some(name)) => Some(name.to_string()),
        (id, _) => id.map(str::to_string),
    };
    let as_activity = crate::activity::ActivityInput {
        title: input.title.clone(),
        date: input.date.clone(),
        start_time: input.start_time.clone(),
        end_time: input.end_time.clone(),
        unit_id: unit,
        venue_type: input.venue_type.clone(),
        venue: input.venue.clone(),
        formats: input.formats.clone(),
        audiences: input.audiences.clone(),
        laws: input.laws.clone(),
        campaign_ids: input.campaign_ids.clone(),
        nodes: input.nodes.clone(),
        partners: input.partners.clone(),
        ..Default::default()
    };
    let a = crate::activity::check(conn, &as_activity)?;
    let today = chrono::Local::now().date_naive();
    if a.date > today {
        return Err(AppError::field(
            ErrorCode::InvalidDate,
            "date",
            format!("活动日期 {} 在今天之后；已开展的活动请填写实际日期", a.date),
        ));
    }
    let Some(unit_id) = a.unit_id.clone() else {
        return Err(AppError::field(
            ErrorCode::Required,
            "unit_id",
            "请选择活动所在的村/单位",
        ));
    };
    if input.formats.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            "formats",
            "请选择活动形式",
        ));
    }
    let recorder = validate::name("recorder", &input.recorder, 30)?;
    let participants = count("participants", Some(input.participants))?;
    let reach = count("reach", input.reach)?.max(participants);
    let mut by_audience = BTreeMap::new();
    for (k, v) in &input.reach_by_audience {
        let a = Audience::parse("reach_by_audience", k)?;
        by_audience.insert(a.code().to_string(), count("reach_by_audience", Some(*v))?);
    }
    let by_sum: i64 = by_audience.values().sum();
    if by_sum > reach {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "reach_by_audience",
            format!("分对象人次合计 {by_sum} 超过受众总人次 {reach}"),
        ));
    }
    let counts = [
        participants,
        reach,
        count("consultations", input.consultations)?,
        count("banners", input.banners)?,
        count("boards", input.boards)?,
        count("vehicles", input.vehicles)?,
        count("online_posts", input.online_posts)?,
        count("online_views", input.online_views)?,
        count("disputes", input.disputes)?,
        count("legal_aid_cases", input.legal_aid_cases)?,
        0,
    ];
    let narrative = validate::notes("narrative", input.narrative.as_deref(), 300)?;
    let mut speakers = Vec::new();
    for s in &input.speakers {
        speakers.push(Speaker {
            name: validate::name("speakers", &s.name, 30)?,
            role: s.role,
        });
    }
    let mut materials: Vec<(inventory::Material, i64)> = Vec::new();
    for line in &input.materials {
        let by_id = match line.material_id.as_deref() {
            Some(id) => inventory::resolve_material(conn, id, "materials").ok(),
            None => None,
        };
        let m = match (by_id, line.material_name.as_deref()) {
            (Some(m), _) => m,
            (None, Some(name)) => inventory::resolve_material(conn, name, "materials")?,
            (None, None) => inventory::resolve_material(
                conn,
                line.material_id.as_deref().unwrap_or(""),
                "materials",
            )?,
        };
        let unit = match line
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(u) => inventory::check_unit("materials", u)?,
            None => {
                return Err(AppError::field(
                    ErrorCode::Required,
                    "materials",
                    format!("“{}”的数量没有填写单位（{}）", m.name, m.unit),
                ))
            }
        };
        if unit != m.unit {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "materials",
                format!("“{}”以“{}”计，不是“{unit}”", m.name, m.unit),
            ));
        }
        let q = count("materials", Some(line.quantity))?;
        if q == 0 {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "materials",
                format!("“{}”的发放数量应大于0", m.name),
            ));
        }
        match materials.iter_mut().find(|(x, _)| x.id == m.id) {
            Some((_, total)) => *total += q,
            None => materials.push((m, q)),
        }
    }
    let quiz = match &input.quiz {
        Some(q) => {
            for (field, v) in [
                ("quiz", q.questions),
                ("quiz", q.participants),
                ("quiz", q.winners),
            ] {
                count(field, Some(v as f64))?;
            }
            if q.winners > q.participants {
                return Err(AppError::field(
                    ErrorCode::InvalidValue,
                    "quiz",
                    "获奖人数多于答题人数",
                ));
            }
            Some(json(q))
        }
        None => None,
    };
    let activity_id = match input
        .activity_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) => Some(crate::activity::get(conn, id)?.id),
        None => None,
    };
    Ok(Checked {
        activity_id,
        title: a.title,
        date: a.date,
        start_time: a.start_time,
        end_time: a.end_time,
        unit_id,
        venue_type: a.venue_type,
        venue: a.venue,
        formats: a.formats,
        audiences: a.audiences,
        laws: a.laws,
        campaign_ids: a.campaign_ids,
        nodes: a.nodes,
        speakers: json(&speakers),
        partners: a.partners,
        counts,
        reach_by_audience: json(&by_audience),
        narrative,
        materials,
        quiz,
        recorder,
    })
}

/// A record row from a package or a backup, with its campaign links and hand-outs: exactly
/// what [`check`] makes of its fields (the row a typed entry would have saved), and review
/// columns as the review writes them.
pub(crate) fn check_stored(conn: &Connection, s: &crate::stored::Stored) -> Result<()> {
    let id = s.text("id")?;
    let handouts = s.objects(crate::stored::HANDOUTS)?;
    let mut materials = Vec::with_capacity(handouts.len());
    for h in &handouts {
        let h = crate::stored::Stored(h);
        let material = inventory::resolve_material(conn, h.text("material_id")?, "materials")?;
        materials.push(MaterialLineInput {
            material_id: Some(material.id),
            material_name: None,
            quantity: h.int("quantity")? as f64,
            unit: Some(material.unit),
        });
    }
    let a = crate::activity::stored_input(conn, s)?;
    let input = RecordInput {
        activity_id: s.opt_text("activity_id")?.map(str::to_string),
        title: a.title,
        date: a.date,
        start_time: a.start_time,
        end_time: a.end_time,
        unit_id: a.unit_id,
        unit_name: None,
        venue_type: a.venue_type,
        venue: a.venue,
        formats: a.formats,
        audiences: a.audiences,
        laws: a.laws,
        campaign_ids: a.campaign_ids,
        nodes: a.nodes,
        speakers: s.json("speakers")?,
        partners: a.partners,
        participants: s.int("participants")? as f64,
        reach: Some(s.int("reach")? as f64),
        reach_by_audience: s.json("reach_by_audience")?,
        consultations: Some(s.int("consultations")? as f64),
        banners: Some(s.int("banners")? as f64),
        boards: Some(s.int("boards")? as f64),
        vehicles: Some(s.int("vehicles")? as f64),
        online_posts: Some(s.int("online_posts")? as f64),
        online_views: Some(s.int("online_views")? as f64),
        disputes: Some(s.int("disputes")? as f64),
        legal_aid_cases: Some(s.int("legal_aid_cases")? as f64),
        narrative: Some(s.text("narrative")?.to_string()),
        materials,
        quiz: s.opt_json("quiz")?,
        recorder: s.text("recorder")?.to_string(),
        // Hand-outs that took a store below zero were confirmed where they were entered.
        confirm_below_zero: true,
    };
    let c = check(conn, &input)?;
    // The columns a save writes from the form (not id, nodes — checked above — or updated_at).
    let values = row_values(id, &c, "", None);
    for (column, value) in RECORD_COLUMNS.iter().zip(&values) {
        if !matches!(*column, "id" | "nodes" | "updated_at") {
            s.same_sql(column, value)?;
        }
    }
    let mut links = c.campaign_ids.clone();
    links.sort();
    s.same(crate::stored::CAMPAIGNS, links)?;
    // The hand-outs add up, material by material, to what the check makes of them (a save
    // writes one line per material; a bulk load may have written two of one material).
    let mut lines: BTreeMap<String, i64> = BTreeMap::new();
    for h in &handouts {
        let h = crate::stored::Stored(h);
        inventory::check_stored_handout(&h, id, s.text("date")?)?;
        *lines.entry(h.text("material_id")?.to_string()).or_default() += h.int("quantity")?;
    }
    let checked: BTreeMap<String, i64> = c
        .materials
        .iter()
        .map(|(m, q)| (m.id.clone(), *q))
        .collect();
    if lines != checked {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "materials",
            "发放资料的数量与记录不符",
        ));
    }
    let status = s.text("review_status")?;
    if !["pending", "returned", "approved"].contains(&status) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "review_status",
            format!("审核状态“{}”无效", validate::clip(status)),
        ));
    }
    s.same(
        "review_comment",
        validate::notes("review_comment", Some(s.text("review_comment")?), 300)?,
    )?;
    if let Some(by) = s.opt_text("reviewed_by")? {
        s.same("reviewed_by", validate::name("reviewed_by", by, 30)?)?;
    }
    s.opt_timestamp("reviewed_at")?;
    Ok(())
}

/// The checks of [`create`] without writing (the Excel import's preview).
pub(crate) fn check_input(conn: &Connection, input: &RecordInput) -> Result<()> {
    check(conn, input).map(|_| ())
}

const SELECT: &str = "SELECT r.id, r.activity_id, r.title, r.date, r.start_time, r.end_time,
        r.unit_id, u.name, r.venue_type, r.venue, r.formats, r.audiences, r.laws,
        (SELECT json_group_array(campaign_id) FROM record_campaign c WHERE c.record_id = r.id),
        r.nodes, r.speakers, r.partners, r.participants, r.reach, r.reach_by_audience,
        r.consultations, r.banners, r.boards, r.vehicles, r.online_posts, r.online_views,
        r.disputes, r.legal_aid_cases, r.narrative,
        (SELECT json_group_array(json_object('material_id', s.material_id, 'material_name', m.name,
                 'quantity', s.quantity, 'unit', m.unit))
           FROM stock_movement s JOIN material m ON m.id = s.material_id
          WHERE s.record_id = r.id AND s.kind = 'handout'),
        r.quiz, r.recorder, r.review_status, r.review_comment, r.reviewed_by, r.reviewed_at,
        r.created_at, r.updated_at
    FROM record r LEFT JOIN unit u ON u.id = r.unit_id";

fn from_row(r: &Row) -> rusqlite::Result<Record> {
    fn j<T: for<'de> Deserialize<'de> + Default>(r: &Row, i: usize) -> rusqlite::Result<T> {
        let text: Option<String> = r.get(i)?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }
    let venue_type: Option<String> = r.get(8)?;
    let status: String = r.get(32)?;
    let quiz: Option<String> = r.get(30)?;
    let mut campaign_ids: Vec<String> = j(r, 13)?;
    campaign_ids.sort();
    Ok(Record {
        id: r.get(0)?,
        activity_id: r.get(1)?,
        title: r.get(2)?,
        date: r.get(3)?,
        start_time: r.get(4)?,
        end_time: r.get(5)?,
        unit_id: r.get(6)?,
        unit_name: r.get(7)?,
        venue_type: venue_type.and_then(|v| VenueType::parse("venue_type", &v).ok()),
        venue: r.get(9)?,
        formats: j(r, 10)?,
        audiences: j(r, 11)?,
        laws: j(r, 12)?,
        campaign_ids,
        nodes: j(r, 14)?,
        speakers: j(r, 15)?,
        partners: j(r, 16)?,
        participants: r.get(17)?,
        reach: r.get(18)?,
        reach_by_audience: j(r, 19)?,
        consultations: r.get(20)?,
        banners: r.get(21)?,
        boards: r.get(22)?,
        vehicles: r.get(23)?,
        online_posts: r.get(24)?,
        online_views: r.get(25)?,
        disputes: r.get(26)?,
        legal_aid_cases: r.get(27)?,
        narrative: r.get(28)?,
        materials: j(r, 29)?,
        quiz: quiz.and_then(|q| serde_json::from_str(&q).ok()),
        recorder: r.get(31)?,
        review_status: ReviewStatus::parse(&status),
        review_comment: r.get(33)?,
        reviewed_by: r.get(34)?,
        reviewed_at: r.get(35)?,
        created_at: r.get(36)?,
        updated_at: r.get(37)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Record> {
    // Cached: a save reads the record back four times, and preparing this statement costs more
    // than running it.
    conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| AppError::not_found("活动记录", id))
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct RecordFilter {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// The statuses listed: approved | with_pending | pending | returned | all (see
    /// [`crate::reports::Basis`]). Unset, a list shows every status, while an output (台账
    /// workbook, CSV, photos) takes the counting basis, approved records.
    #[serde(default)]
    pub review_status: Option<String>,
    #[serde(default)]
    pub search: Option<String>,
}

impl RecordFilter {
    /// The statuses an output (a file or a report) of this filter holds: as asked, else the
    /// counting basis (approved records).
    pub fn output_basis(&self) -> Result<crate::reports::Basis> {
        match self.review_status.as_deref().map(str::trim) {
            None | Some("") => Ok(crate::reports::Basis::Approved),
            Some(s) => crate::reports::Basis::parse("review_status", s),
        }
    }

    /// The same filter with the statuses spelled out (an output's, see [`Self::output_basis`]).
    pub fn with_basis(&self, basis: crate::reports::Basis) -> RecordFilter {
        RecordFilter {
            review_status: Some(basis.code().to_string()),
            ..self.clone()
        }
    }

    /// The same filter with its village and campaign as ids (the command line names a village
    /// by its name): an unknown one is an error naming the field, never an empty 台账.
    pub fn resolved(&self, conn: &Connection) -> Result<RecordFilter> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(RecordFilter {
            unit_id: given(&self.unit_id)
                .map(|v| crate::unit::resolve(conn, &v, "unit_id").map(|u| u.id))
                .transpose()?,
            campaign_id: given(&self.campaign_id)
                .map(|c| crate::campaign::get(conn, &c).map(|c| c.id))
                .transpose()?,
            ..self.clone()
        })
    }

    /// The summary of the same records: period, village, campaign, statuses and search.
    pub fn summary_filter(&self) -> Result<crate::reports::SummaryFilter> {
        let basis = self.output_basis()?;
        Ok(crate::reports::SummaryFilter {
            from: self.from.clone().unwrap_or_else(|| ALL_FROM.into()),
            to: self.to.clone().unwrap_or_else(|| ALL_TO.into()),
            village: self.unit_id.clone(),
            campaign_id: self.campaign_id.clone(),
            include_pending: basis.takes("pending"),
            basis: Some(basis),
            search: self.search.clone(),
        })
    }
}

/// The widest period, for filters without dates.
pub const ALL_FROM: &str = "1900-01-01";
pub const ALL_TO: &str = "2200-12-31";

/// Words found in a record's title, its narrative or its village's name (`r` a record, `p`
/// the parameter holding the words): the one search of the 台账, its outputs and the 统计.
pub(crate) fn search_sql(p: &str) -> String {
    format!(
        "(instr(r.title, {p}) > 0 OR instr(r.narrative, {p}) > 0
          OR instr(coalesce((SELECT name FROM unit WHERE id = r.unit_id), ''), {p}) > 0)"
    )
}

pub fn list(conn: &Connection, f: &RecordFilter) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    for_each(conn, f, |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// A [`RecordFilter`] as SQL (`r` a record, `u` its unit): only the conditions it sets, so
/// SQLite can pick the index that fits (by date, by village, by review status) — a condition
/// written as `?n IS NULL OR …` makes it read every record of a county instead.
struct FilterSql {
    sql: String,
    params: Vec<String>,
}

fn filter_sql(f: &RecordFilter) -> Result<FilterSql> {
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let date = |field: &str, v: &Option<String>| -> Result<Option<String>> {
        opt(v)
            .map(|s| validate::date(field, &s).map(|d| d.to_string()))
            .transpose()
    };
    let from = date("start_date", &f.from)?;
    let to = date("end_date", &f.to)?;
    if let (Some(a), Some(b)) = (&from, &to) {
        validate::date_range(a.parse().expect("ISO"), b.parse().expect("ISO"))?;
    }
    let mut out = FilterSql {
        sql: String::from("1"),
        params: Vec::new(),
    };
    let mut add = |value: Option<String>, condition: &str| {
        if let Some(v) = value {
            out.params.push(v);
            let n = format!("?{}", out.params.len());
            out.sql += " AND ";
            out.sql += &condition.replace("?", &n);
        }
    };
    add(from, "r.date >= ?");
    add(to, "r.date <= ?");
    add(opt(&f.unit_id), "r.unit_id = ?");
    add(
        opt(&f.campaign_id),
        "EXISTS (SELECT 1 FROM record_campaign c WHERE c.record_id = r.id AND c.campaign_id = ?)",
    );
    let status = opt(&f.review_status)
        .map(|s| crate::reports::Basis::parse("review_status", &s).map(|b| (s, b)))
        .transpose()?;
    if let Some((code, b)) = &status {
        // One status: an equality SQLite can use the review index for.
        if b.statuses().len() == 1 {
            add(Some(code.clone()), "r.review_status = ?");
        }
    }
    add(opt(&f.search), &search_sql("?"));
    if let Some((_, b)) = status {
        if b.statuses().len() > 1 && b != crate::reports::Basis::All {
            out.sql += " AND ";
            out.sql += &b.sql("r.review_status");
        }
    }
    Ok(out)
}

/// Streams the records of a filter one at a time (exports of 100,000 rows stay small).
pub fn for_each(
    conn: &Connection,
    f: &RecordFilter,
    each: impl FnMut(Record) -> Result<()>,
) -> Result<()> {
    for_each_row(conn, f, SELECT, from_row, each)
}

/// The records of a filter in date order, each read by `select` (columns of `record r LEFT
/// JOIN unit u ON u.id = r.unit_id`, the filter's WHERE and the order are added) and `map`:
/// an export reads only the columns it writes.
pub(crate) fn for_each_row<T>(
    conn: &Connection,
    f: &RecordFilter,
    select: &str,
    map: impl FnMut(&Row) -> rusqlite::Result<T>,
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let w = filter_sql(f)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{select} WHERE {} ORDER BY r.date, r.start_time, u.sort_order, r.title",
        w.sql
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&w.params), map)?;
    for row in rows {
        each(row?)?;
    }
    Ok(())
}

/// [`for_each_row`] with the reading on a second thread and connection, a few hundred records
/// ahead: a 100,000-row export then writes its sheet while SQLite reads the next records
/// instead of taking turns (on a database file; in memory it reads in turn). `map` runs on the
/// reading thread too, so what turns a record into a row (names looked up, text joined) does
/// not hold up the writer.
pub(crate) fn for_each_read_ahead<T: Send>(
    conn: &Connection,
    f: &RecordFilter,
    select: &str,
    map: impl FnMut(&Row) -> rusqlite::Result<T> + Send,
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let Some(path) = conn.path().filter(|p| !p.is_empty()).map(str::to_string) else {
        return for_each_row(conn, f, select, map, each);
    };
    // Checked here, so a bad filter is refused before the thread starts.
    filter_sql(f)?;
    crate::read_ahead::read_ahead(
        move |sink| {
            let reader = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            for_each_row(&reader, f, select, map, |r| sink.push(r))
        },
        // The reader went away before the end (it panicked; the scope carries that on).
        || AppError::new(ErrorCode::Cancelled, "已停止"),
        |records| {
            while let Some(r) = records.next_item()? {
                each(r)?;
            }
            Ok(())
        },
    )
}

/// The totals of every record a filter selects (not only of the page shown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RecordTotals {
    #[ts(type = "number")]
    pub count: i64,
    /// Villages and other units with at least one record.
    #[ts(type = "number")]
    pub units: i64,
    #[ts(type = "number")]
    pub participants: i64,
    #[ts(type = "number")]
    pub reach: i64,
    #[ts(type = "number")]
    pub consultations: i64,
    #[ts(type = "number")]
    pub banners: i64,
    #[ts(type = "number")]
    pub boards: i64,
    #[ts(type = "number")]
    pub vehicles: i64,
    #[ts(type = "number")]
    pub online_posts: i64,
    #[ts(type = "number")]
    pub online_views: i64,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
    #[ts(type = "number")]
    pub approved: i64,
}

/// One page of the 台账, newest first, with the totals of all it selects.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RecordPage {
    pub rows: Vec<Record>,
    /// Asked for with `with_totals` (the 台账 shows them; the 审核 tabs do not).
    pub totals: Option<RecordTotals>,
}

/// Which page: rows `offset..offset + limit`, newest first unless `oldest_first` (the 审核
/// queue: first come, first reviewed); the totals of everything selected `with_totals`.
#[derive(Debug, Clone, Copy, Default, Deserialize, TS)]
#[ts(export)]
pub struct PageRequest {
    #[serde(default)]
    pub offset: u32,
    pub limit: u32,
    #[serde(default)]
    pub with_totals: bool,
    #[serde(default)]
    pub oldest_first: bool,
}

/// The most rows a page may hold: a table of more is no longer quick to show.
pub const MAX_PAGE: u32 = 500;

/// A page of the records a filter selects, newest first: a county's year (100,000 records)
/// is shown 50 at a time instead of all at once.
pub fn page(conn: &Connection, f: &RecordFilter, p: &PageRequest) -> Result<RecordPage> {
    let PageRequest {
        offset,
        limit,
        with_totals,
        oldest_first,
    } = *p;
    if limit == 0 || limit > MAX_PAGE {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "limit",
            format!("每页条数须在1—{MAX_PAGE}之间"),
        ));
    }
    let w = filter_sql(f)?;
    let totals = if with_totals {
        Some(
            conn.prepare_cached(&format!(
                "SELECT count(*), count(DISTINCT r.unit_id),
                        coalesce(sum(r.participants), 0), coalesce(sum(r.reach), 0),
                        coalesce(sum(r.consultations), 0), coalesce(sum(r.banners), 0),
                        coalesce(sum(r.boards), 0), coalesce(sum(r.vehicles), 0),
                        coalesce(sum(r.online_posts), 0), coalesce(sum(r.online_views), 0),
                        coalesce(sum(r.review_status = 'pending'), 0),
                        coalesce(sum(r.review_status = 'returned'), 0),
                        coalesce(sum(r.review_status = 'approved'), 0)
                 FROM record r LEFT JOIN unit u ON u.id = r.unit_id WHERE {}",
                w.sql
            ))?
            .query_row(rusqlite::params_from_iter(&w.params), |r| {
                Ok(RecordTotals {
                    count: r.get(0)?,
                    units: r.get(1)?,
                    participants: r.get(2)?,
                    reach: r.get(3)?,
                    consultations: r.get(4)?,
                    banners: r.get(5)?,
                    boards: r.get(6)?,
                    vehicles: r.get(7)?,
                    online_posts: r.get(8)?,
                    online_views: r.get(9)?,
                    pending: r.get(10)?,
                    returned: r.get(11)?,
                    approved: r.get(12)?,
                })
            })?,
        )
    } else {
        None
    };
    // The page's ids first (narrow rows, sorted and cut), then those records in full: the
    // materials and campaigns of a record are read for the rows shown, not for every match.
    let n = w.params.len();
    let order = if oldest_first {
        "r.date, r.start_time, u.sort_order, r.title, r.id"
    } else {
        "r.date DESC, r.start_time DESC, u.sort_order, r.title, r.id"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "WITH page AS (
             SELECT r.id, row_number() OVER (ORDER BY {order}) AS n
             FROM record r LEFT JOIN unit u ON u.id = r.unit_id WHERE {}
             ORDER BY {order} LIMIT ?{} OFFSET ?{})
         {SELECT} JOIN page ON page.id = r.id ORDER BY page.n",
        w.sql,
        n + 1,
        n + 2
    ))?;
    let mut args = w.params;
    args.push(limit.to_string());
    args.push(offset.to_string());
    let rows = stmt
        .query_map(rusqlite::params_from_iter(&args), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(RecordPage { rows, totals })
}

/// Records by review status (of one village, or all): the 审核 screen's tab counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StatusCounts {
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
    #[ts(type = "number")]
    pub approved: i64,
}

pub fn status_counts(conn: &Connection, unit_id: Option<&str>) -> Result<StatusCounts> {
    let mut stmt = conn.prepare_cached(if unit_id.is_some() {
        "SELECT review_status, count(*) FROM record WHERE unit_id = ?1 GROUP BY review_status"
    } else {
        "SELECT review_status, count(*) FROM record WHERE ?1 IS NULL GROUP BY review_status"
    })?;
    let mut out = StatusCounts::default();
    let mut rows = stmt.query([unit_id])?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(1)?;
        match r.get::<_, String>(0)?.as_str() {
            "pending" => out.pending = n,
            "returned" => out.returned = n,
            _ => out.approved = n,
        }
    }
    Ok(out)
}

/// Refuses changes to a record whose campaign's reporting deadline has passed.
fn check_deadline(conn: &Connection, campaign_ids: &[String]) -> Result<()> {
    let today = chrono::Local::now().date_naive().to_string();
    for id in campaign_ids {
        let row: Option<(String, Option<String>)> = conn
            .prepare_cached("SELECT name, report_deadline FROM campaign WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((name, Some(deadline))) = row {
            if today > deadline {
                return Err(AppError::field(
                    ErrorCode::Locked,
                    "campaign_ids",
                    format!("“{name}”的报送截止日期（{deadline}）已过，记录已锁定；如需补报请联系协调员"),
                ));
            }
        }
    }
    Ok(())
}

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
struct ReviewColumns<'a> {
    status: ReviewStatus,
    comment: &'a str,
    by: Option<&'a str>,
    at: Option<&'a str>,
}

impl ReviewColumns<'_> {
    /// Not reviewed yet: how a record is saved unless a batch approves it as it saves it.
    const WAITING: ReviewColumns<'static> = ReviewColumns {
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

/// The columns of a record row, in the order [`row_values`] gives their values. An update
/// sets the first 30 (the form's fields, then updated_at); a new row has all of them.
const RECORD_COLUMNS: [&str; 35] = [
    "id",
    "activity_id",
    "title",
    "date",
    "start_time",
    "end_time",
    "unit_id",
    "venue_type",
    "venue",
    "formats",
    "audiences",
    "laws",
    "nodes",
    "speakers",
    "partners",
    "participants",
    "reach",
    "reach_by_audience",
    "consultations",
    "banners",
    "boards",
    "vehicles",
    "online_posts",
    "online_views",
    "disputes",
    "legal_aid_cases",
    "narrative",
    "quiz",
    "recorder",
    "updated_at",
    "created_at",
    "review_status",
    "review_comment",
    "reviewed_by",
    "reviewed_at",
];

/// A record row's values for [`RECORD_COLUMNS`], written `at`: all of them for a new row
/// (`review` given), else the first 30.
fn row_values(id: &str, c: &Checked, at: &str, review: Option<&ReviewColumns>) -> Vec<SqlValue> {
    let text = |s: &str| SqlValue::Text(s.to_string());
    let optional = |s: Option<&str>| s.map_or(SqlValue::Null, text);
    let mut values = vec![
        text(id),
        optional(c.activity_id.as_deref()),
        text(&c.title),
        SqlValue::Text(c.date.to_string()),
        optional(c.start_time.as_deref()),
        optional(c.end_time.as_deref()),
        text(&c.unit_id),
        optional(c.venue_type),
        text(&c.venue),
        text(&c.formats),
        text(&c.audiences),
        text(&c.laws),
        text(&c.nodes),
        text(&c.speakers),
        text(&c.partners),
    ];
    let [participants, reach, consultations, banners, boards, vehicles, posts, views, disputes, aid, _] =
        c.counts;
    values.extend([participants, reach].map(SqlValue::Integer));
    values.push(text(&c.reach_by_audience));
    values.extend(
        [
            consultations,
            banners,
            boards,
            vehicles,
            posts,
            views,
            disputes,
            aid,
        ]
        .map(SqlValue::Integer),
    );
    values.extend([
        text(&c.narrative),
        optional(c.quiz.as_deref()),
        text(&c.recorder),
        text(at),
    ]);
    if let Some(review) = review {
        values.extend([
            text(at),
            text(review.status.code()),
            text(review.comment),
            optional(review.by),
            optional(review.at),
        ]);
    }
    values
}

/// The record's own row, written `at`.
fn write_row(tx: &Connection, id: &str, c: &Checked, row: RowWrite, at: &str) -> Result<()> {
    match row {
        RowWrite::New(review) => {
            let values = row_values(id, c, at, Some(&review));
            insert_rows(tx, "record", &RECORD_COLUMNS, &[values])
        }
        RowWrite::Existing => {
            tx.prepare_cached(
                "UPDATE record SET activity_id = ?2, title = ?3, date = ?4, start_time = ?5,
                     end_time = ?6, unit_id = ?7, venue_type = ?8, venue = ?9, formats = ?10,
                     audiences = ?11, laws = ?12, nodes = ?13, speakers = ?14, partners = ?15,
                     participants = ?16, reach = ?17, reach_by_audience = ?18,
                     consultations = ?19, banners = ?20, boards = ?21, vehicles = ?22,
                     online_posts = ?23, online_views = ?24, disputes = ?25,
                     legal_aid_cases = ?26, narrative = ?27, quiz = ?28, recorder = ?29,
                     updated_at = ?30
                 WHERE id = ?1",
            )?
            .execute(rusqlite::params_from_iter(row_values(id, c, at, None)))?;
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
fn mark_held(tx: &Connection, activity_id: Option<&str>) -> Result<()> {
    if let Some(activity) = activity_id {
        tx.prepare_cached(
            "UPDATE activity SET status = 'held', updated_at = ?2 WHERE id = ?1 AND status <> 'held'",
        )?
        .execute(params![activity, now()])?;
    }
    Ok(())
}

fn village_or_town_store(conn: &Connection, unit_id: &str) -> Result<String> {
    let village: Option<String> = conn
        .prepare_cached("SELECT id FROM store WHERE unit_id = ?1")?
        .query_row([unit_id], |r| r.get(0))
        .optional()?;
    match village {
        Some(s) => Ok(s),
        None => inventory::town_store(conn),
    }
}

fn is_coordinator(conn: &Connection) -> Result<bool> {
    Ok(current_user(conn)?.is_some_and(|u| u.role == UserRole::Coordinator))
}

/// The review comment of a coordinator's own record, approved as it is saved.
const APPROVED_ON_ENTRY: &str = "录入即审核";

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
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        if before.review_status == ReviewStatus::Approved {
            return Err(AppError::new(
                ErrorCode::Locked,
                "该记录已审核通过并锁定；如需修改，请协调员先“重新打开”",
            ));
        }
        check_deadline(tx, &before.campaign_ids)?;
        check_deadline(tx, &c.campaign_ids)?;
        write(tx, id, &c, false, input.confirm_below_zero)?;
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
    })?;
    get(&db.conn, id)
}

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
        consultations: 0,
        banners: 0,
        boards: 0,
        vehicles: 0,
        online_posts: 0,
        online_views: 0,
        disputes: 0,
        legal_aid_cases: 0,
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
