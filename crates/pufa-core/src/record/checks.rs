//! The record's rules, the same at every door (form, sheet import, package, restore, CLI).

use super::fields::{self, COUNTS, N_COUNTS};
use super::*;
use crate::inventory;
use crate::validate;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;

pub(crate) fn count(field: &str, v: Option<f64>) -> Result<i64> {
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

/// A record as its checks make it, ready to be written.
pub(crate) struct Checked {
    pub(super) activity_id: Option<String>,
    pub(super) title: String,
    pub(super) date: NaiveDate,
    pub(super) start_time: Option<String>,
    pub(super) end_time: Option<String>,
    pub(super) unit_id: String,
    pub(super) venue_type: Option<&'static str>,
    pub(super) venue: String,
    pub(super) formats: String,
    pub(super) audiences: String,
    pub(super) laws: String,
    pub(super) campaign_ids: Vec<String>,
    pub(super) nodes: String,
    pub(super) speakers: String,
    pub(super) partners: String,
    pub(super) participants: i64,
    pub(super) reach: i64,
    pub(super) counts: RecordCounts,
    pub(super) reach_by_audience: String,
    pub(super) narrative: String,
    pub(super) materials: Vec<(inventory::Material, i64)>,
    pub(super) quiz: Option<String>,
    pub(super) recorder: String,
}

pub(super) fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}

pub(super) fn check(conn: &Connection, input: &RecordInput) -> Result<Checked> {
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
    let mut counts = [0i64; N_COUNTS];
    for ((value, given), field) in counts.iter_mut().zip(input.counts.values()).zip(COUNTS) {
        *value = count(field.column, given)?;
    }
    let counts = RecordCounts::from_values(counts);
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
        participants,
        reach,
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
        counts: RecordCountsInput::from_values(stored_counts(s)?.map(|n| Some(n as f64))),
        narrative: Some(s.text("narrative")?.to_string()),
        materials,
        quiz: s.opt_json("quiz")?,
        recorder: s.text("recorder")?.to_string(),
        // Hand-outs that took a store below zero were confirmed where they were entered.
        confirm_below_zero: true,
    };
    let c = check(conn, &input)?;
    // The columns a save writes from the form (not nodes — checked above); a count a row of an
    // older version does not have is 0, as the migration adding it made it.
    for (column, value) in row_values(id, &c, "", None) {
        let absent_count =
            fields::count_field(column.name).is_some() && s.0.get(column.name).is_none();
        if column.written == fields::Written::Form && column.name != "nodes" && !absent_count {
            s.same_sql(column.name, &value)?;
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

/// A stored row's optional counts: each must be a whole number; one a row of an older version
/// does not have is 0.
fn stored_counts(s: &crate::stored::Stored) -> Result<[i64; N_COUNTS]> {
    let mut out = [0i64; N_COUNTS];
    for (value, field) in out.iter_mut().zip(COUNTS) {
        if s.0.get(field.column).is_some() {
            *value = s.int(field.column)?;
        }
    }
    Ok(out)
}

/// The checks of [`create`] without writing (the Excel import's preview).
pub(crate) fn check_input(conn: &Connection, input: &RecordInput) -> Result<()> {
    check(conn, input).map(|_| ())
}

/// Refuses changes to a record whose campaign's reporting deadline has passed.
pub(super) fn check_deadline(conn: &Connection, campaign_ids: &[String]) -> Result<()> {
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
