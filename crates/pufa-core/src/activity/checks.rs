//! The checks of an activity: a typed input, and a row that arrives whole.
use super::*;

/// An input after validation, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub title: String,
    pub date: NaiveDate,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub unit_id: Option<String>,
    pub venue_type: Option<&'static str>,
    pub venue: String,
    pub formats: String,
    pub audiences: String,
    pub laws: String,
    pub campaign_ids: Vec<String>,
    pub nodes: String,
    pub lead_person_id: Option<String>,
    pub partners: String,
    pub materials: String,
    pub expected_audience: Option<u32>,
    pub notes: String,
}

pub(super) fn non_empty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn check(conn: &Connection, input: &ActivityInput) -> Result<Checked> {
    let title = validate::name("title", &input.title, 100)?;
    let date = validate::date("date", &input.date)?;
    let start_time = non_empty(input.start_time.as_deref())
        .map(|t| validate::time("start_time", t))
        .transpose()?;
    let end_time = non_empty(input.end_time.as_deref())
        .map(|t| validate::time("end_time", t))
        .transpose()?;
    match (&start_time, &end_time) {
        (None, Some(_)) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "start_time",
                "填写了结束时间，请同时填写开始时间",
            ))
        }
        (Some(s), Some(e)) if e < s => {
            return Err(AppError::field(
                ErrorCode::DateOrder,
                "end_time",
                format!("结束时间（{e}）早于开始时间（{s}）"),
            ))
        }
        _ => {}
    }
    let unit_id = match non_empty(input.unit_id.as_deref()) {
        Some(u) => Some(crate::unit::resolve(conn, u, "unit_id")?.id),
        None => None,
    };
    let venue_type = non_empty(input.venue_type.as_deref())
        .map(|v| VenueType::parse("venue_type", v).map(|v| v.code()))
        .transpose()?;
    let formats = validate::code_list(&input.formats, |f| ActivityFormat::parse("formats", f))?;
    let audiences = validate::code_list(&input.audiences, |a| Audience::parse("audiences", a))?;
    let laws = validate::text_list("laws", &input.laws, 50, 30)?;
    let partners = validate::text_list("partners", &input.partners, 50, 20)?;
    let mut campaign_ids: Vec<String> = Vec::new();
    for id in input
        .campaign_ids
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        let found: Option<String> = conn
            .prepare_cached("SELECT id FROM campaign WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(found) = found else {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "campaign_ids",
                format!("活动专项“{}”不存在", validate::clip(id)),
            ));
        };
        if !campaign_ids.contains(&found) {
            campaign_ids.push(found);
        }
    }
    let mut nodes: Vec<&str> = Vec::new();
    for code in &input.nodes {
        if !crate::keydates::node_exists(conn, code)? {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "nodes",
                format!("普法节点“{}”不存在", validate::clip(code)),
            ));
        }
        if !nodes.contains(&code.as_str()) {
            nodes.push(code);
        }
    }
    let lead_person_id = match non_empty(input.lead_person_id.as_deref()) {
        Some(p) => Some(resolve_person(conn, p)?),
        None => None,
    };
    let mut materials = Vec::with_capacity(input.materials.len());
    for m in &input.materials {
        let item = validate::name("materials", &m.item, 50)?;
        let unit = validate::name("materials", &m.unit, 4)?;
        if m.quantity > 1_000_000 {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "materials",
                format!("“{item}”数量 {} 过大", m.quantity),
            ));
        }
        materials.push(PlannedMaterial {
            item,
            quantity: m.quantity,
            unit,
        });
    }
    if materials.len() > 50 {
        return Err(AppError::field(
            ErrorCode::TooLong,
            "materials",
            "计划发放资料最多50项",
        ));
    }
    let expected_audience = match input.expected_audience {
        None => None,
        Some(n) if (0..=1_000_000).contains(&n) => Some(n as u32),
        Some(n) => {
            return Err(AppError::field(
                ErrorCode::InvalidValue,
                "expected_audience",
                format!("预计受众人数 {n} 无效，应为 0—1000000"),
            ))
        }
    };
    Ok(Checked {
        title,
        date,
        start_time,
        end_time,
        unit_id,
        venue_type,
        venue: validate::optional_line("venue", input.venue.as_deref(), 100)?,
        formats: to_json(&formats),
        audiences: to_json(&audiences),
        laws: to_json(&laws),
        campaign_ids,
        nodes: to_json(&nodes),
        lead_person_id,
        partners: to_json(&partners),
        materials: to_json(&materials),
        expected_audience,
        notes: validate::notes("notes", input.notes.as_deref(), 2000)?,
    })
}

/// An activity row from a package or a backup: exactly what [`check`] makes of its fields,
/// with a status and series as the app writes them.
pub(crate) fn check_stored(conn: &Connection, s: &crate::stored::Stored) -> Result<()> {
    let mut input = stored_input(conn, s)?;
    input.lead_person_id = s.opt_text("lead_person_id")?.map(str::to_string);
    input.materials = s.json("materials")?;
    input.expected_audience = s.opt_int("expected_audience")?;
    input.notes = Some(s.text("notes")?.to_string());
    let c = check(conn, &input)?;
    s.same("title", c.title)?;
    s.same("date", c.date.to_string())?;
    s.same("start_time", c.start_time)?;
    s.same("end_time", c.end_time)?;
    s.same("unit_id", c.unit_id)?;
    s.same("venue_type", c.venue_type)?;
    s.same("venue", c.venue)?;
    s.same("formats", c.formats)?;
    s.same("audiences", c.audiences)?;
    s.same("laws", c.laws)?;
    s.same("lead_person_id", c.lead_person_id)?;
    s.same("partners", c.partners)?;
    s.same("materials", c.materials)?;
    s.same("expected_audience", c.expected_audience)?;
    s.same("notes", c.notes)?;
    // The links as the package and the backup carry them: sorted, each once.
    let mut links = c.campaign_ids;
    links.sort();
    s.same(crate::stored::CAMPAIGNS, links)?;
    ActivityStatus::parse("status", s.text("status")?)?;
    s.same(
        "status_reason",
        validate::notes("status_reason", Some(s.text("status_reason")?), 300)?,
    )?;
    s.opt_text("series_id")?;
    s.flag("series_exception")?;
    Ok(())
}

/// The fields a planned activity and a held record share, read from a stored row of either
/// as the input they would have been saved from (the planned-only fields left empty).
pub(crate) fn stored_input(conn: &Connection, s: &crate::stored::Stored) -> Result<ActivityInput> {
    Ok(ActivityInput {
        title: s.text("title")?.to_string(),
        date: s.text("date")?.to_string(),
        start_time: s.opt_text("start_time")?.map(str::to_string),
        end_time: s.opt_text("end_time")?.map(str::to_string),
        unit_id: s.opt_text("unit_id")?.map(str::to_string),
        venue_type: s.opt_text("venue_type")?.map(str::to_string),
        venue: Some(s.text("venue")?.to_string()),
        formats: s.list("formats")?,
        audiences: s.list("audiences")?,
        laws: s.list("laws")?,
        campaign_ids: s.strings(crate::stored::CAMPAIGNS)?,
        nodes: s.nodes("nodes", |c| crate::keydates::node_exists(conn, c))?,
        partners: s.list("partners")?,
        ..Default::default()
    })
}

/// A recurrence series from a package or a backup: a rule this version reads and writes back
/// the same.
pub(crate) fn check_stored_series(s: &crate::stored::Stored) -> Result<()> {
    let rule: Recurrence = s.json("rule")?;
    s.same(
        "rule",
        serde_json::to_string(&rule).expect("rules serialise"),
    )?;
    Ok(())
}
