//! Plan templates: the built-in ones and the town's own, checked, saved and deleted.
use super::*;

/// The planned activity a template creates in each chosen unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityTemplate {
    /// "{unit}宪法宣传进村活动": {unit} becomes the village / school name.
    pub title: String,
    #[serde(default)]
    pub formats: Vec<String>,
    #[serde(default)]
    pub venue_type: Option<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub expected_audience: Option<u32>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub materials: Vec<PlannedMaterial>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanTemplate {
    /// Built-in key ("constitution_week") or the id of a user's template.
    #[serde(default)]
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// "{year}年“宪法宣传周”集中宣传活动".
    pub campaign_name: String,
    pub campaign_kind: String,
    /// Nodes the campaign serves; its dates span their dates in the year.
    #[serde(default)]
    pub nodes: Vec<String>,
    /// Span the nodes' 集中宣传期 rather than their core dates.
    #[serde(default)]
    pub use_window: bool,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    /// The units "all units" means.
    #[serde(default)]
    pub unit_kinds: Vec<UnitKind>,
    pub activity: ActivityTemplate,
    #[serde(default)]
    pub builtin: bool,
}

#[derive(Deserialize)]
pub(super) struct BuiltinTemplates {
    pub(super) templates: Vec<PlanTemplate>,
}

pub(super) fn builtin_templates() -> &'static [PlanTemplate] {
    static TEMPLATES: OnceLock<Vec<PlanTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let parsed: BuiltinTemplates =
            serde_json::from_str(include_str!("../../data/templates.json"))
                .expect("data/templates.json is valid (checked by a unit test)");
        parsed
            .templates
            .into_iter()
            .map(|t| PlanTemplate { builtin: true, ..t })
            .collect()
    })
}

/// Built-in templates first, then the user's, by name.
pub fn templates(conn: &Connection) -> Result<Vec<PlanTemplate>> {
    let mut out = builtin_templates().to_vec();
    let mut stmt = conn.prepare_cached("SELECT id, body FROM plan_template ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, body) = row?;
        let t: PlanTemplate = serde_json::from_str(&body).map_err(|_| {
            AppError::new(
                ErrorCode::Database,
                format!("模板 {id} 已损坏，请删除后重建"),
            )
        })?;
        out.push(PlanTemplate {
            key: id,
            builtin: false,
            ..t
        });
    }
    Ok(out)
}

/// Finds a template by key or by name.
pub fn find_template(conn: &Connection, key_or_name: &str) -> Result<PlanTemplate> {
    let wanted = key_or_name.trim();
    templates(conn)?
        .into_iter()
        .find(|t| t.key == wanted || t.name == wanted)
        .ok_or_else(|| {
            AppError::field(
                ErrorCode::NotFound,
                "template",
                format!(
                    "找不到模板“{}”，可用 template list 查看",
                    validate::clip(wanted)
                ),
            )
        })
}

pub(super) fn check_template(conn: &Connection, t: &PlanTemplate) -> Result<PlanTemplate> {
    let name = validate::name("name", &t.name, 50)?;
    let campaign_name = validate::name("campaign_name", &t.campaign_name, 100)?;
    CampaignKind::parse("kind", &t.campaign_kind)?;
    for code in &t.nodes {
        if !keydates::node_exists(conn, code)? {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "nodes",
                format!("普法节点“{}”不存在", validate::clip(code)),
            ));
        }
    }
    // The activity part goes through the same checks as a hand-made activity.
    let probe = activity_input(&t.activity, "某村", "2027-01-01", &[], &[]);
    activity::check(
        conn,
        &ActivityInput {
            unit_id: None,
            ..probe
        },
    )?;
    Ok(PlanTemplate {
        name,
        campaign_name,
        description: validate::notes("notes", Some(&t.description), 500)?,
        themes: validate::text_list("themes", &t.themes, 50, 30)?,
        builtin: false,
        ..t.clone()
    })
}

/// Saves a user's template: new when `key` is empty or a built-in key, else replaces it.
pub fn save_template(db: &mut Db, t: &PlanTemplate) -> Result<PlanTemplate> {
    let checked = check_template(&db.conn, t)?;
    if builtin_templates().iter().any(|b| b.name == checked.name) {
        return Err(AppError::field(
            ErrorCode::Duplicate,
            "name",
            format!("“{}”是内置模板的名称，请换一个名称", checked.name),
        )
        .with("value", checked.name.as_str())
        .with("clash", "builtin"));
    }
    let existing = !t.key.is_empty() && !builtin_templates().iter().any(|b| b.key == t.key);
    let id = if existing { t.key.clone() } else { new_id() };
    let body = serde_json::to_string(&checked).expect("template serialises");
    db.with_tx(|tx| {
        let ts = now();
        let changed = if existing {
            tx.execute(
                "UPDATE plan_template SET name = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, checked.name, body, ts],
            )
        } else {
            tx.execute(
                "INSERT INTO plan_template (id, name, body, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![id, checked.name, body, ts],
            )
        }
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::field(
                ErrorCode::Duplicate,
                "name",
                format!("已有名为“{}”的模板", checked.name),
            )
            .with("value", checked.name.as_str())
            .with("clash", "exists"),
            _ => e.into(),
        })?;
        if changed == 0 {
            return Err(AppError::not_found("模板", &id));
        }
        let action = if existing { "update" } else { "create" };
        crate::audit::changed(tx, "template", &id, action, None, Some(&checked))?;
        Ok(())
    })?;
    Ok(PlanTemplate { key: id, ..checked })
}

pub fn delete_template(db: &mut Db, key: &str) -> Result<()> {
    if builtin_templates().iter().any(|b| b.key == key) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "template",
            "内置模板不能删除",
        ));
    }
    db.with_tx(|tx| {
        if tx.execute("DELETE FROM plan_template WHERE id = ?1", [key])? == 0 {
            return Err(AppError::not_found("模板", key));
        }
        crate::audit::note(tx, "template", key, "delete", "删除活动模板")?;
        Ok(())
    })
}
