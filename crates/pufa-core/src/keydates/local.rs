//! The town's own local nodes: entered, checked, saved, listed.
use super::*;

/// A local node as the coordinator enters it.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct LocalNodeInput {
    pub name: String,
    pub start: DateRule,
    #[serde(default)]
    pub end: Option<DateRule>,
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub announced: bool,
    #[serde(default)]
    pub window: Window,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub lead_agency: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredRule {
    pub(super) start: DateRule,
    pub(super) end: Option<DateRule>,
    #[serde(default)]
    pub(super) days: Option<u32>,
}

pub(super) fn local_node_from(id: String, input: &LocalNodeInput) -> Result<KeyDateNode> {
    let name = validate::name("name", &input.name, 100)?;
    if input.days.is_some_and(|d| d == 0 || d > 366) {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "days",
            "天数应为 1—366",
        ));
    }
    if input.end.is_some() && input.days.is_some() {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "days",
            "结束规则和天数只能填一个",
        ));
    }
    if input.window.before > 366 || input.window.after > 366 {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "window",
            "集中宣传期前后各不超过366天",
        ));
    }
    let audiences = input
        .audiences
        .iter()
        .map(|a| Audience::parse("audiences", a))
        .collect::<Result<Vec<_>>>()?;
    let laws = input
        .laws
        .iter()
        .map(|l| validate::name("themes", l, 100))
        .collect::<Result<Vec<_>>>()?;
    let node = KeyDateNode {
        code: id,
        name,
        start: input.start.clone(),
        end: input.end.clone(),
        days: input.days,
        announced: input.announced,
        since: None,
        until: None,
        standard: false,
        window: input.window,
        laws,
        audiences,
        lead_agency: validate::optional_line("lead_unit", input.lead_agency.as_deref(), 100)?,
        note: validate::notes("notes", input.note.as_deref(), 2000)?,
        local: true,
    };
    node.check_every_year()?;
    Ok(node)
}

pub(super) fn save_local(
    tx: &rusqlite::Transaction,
    node: &KeyDateNode,
    insert: bool,
) -> Result<()> {
    let rule = serde_json::to_string(&StoredRule {
        start: node.start.clone(),
        end: node.end.clone(),
        days: node.days,
    })
    .expect("rules serialise");
    let laws = serde_json::to_string(&node.laws).expect("strings serialise");
    let audiences = serde_json::to_string(&node.audiences).expect("codes serialise");
    let now = now();
    let sql = if insert {
        "INSERT INTO keydate_node (id, name, rule, announced, window_before, window_after, laws,
             audiences, lead_agency, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
    } else {
        "UPDATE keydate_node SET name = ?2, rule = ?3, announced = ?4, window_before = ?5,
             window_after = ?6, laws = ?7, audiences = ?8, lead_agency = ?9, note = ?10,
             updated_at = ?11
         WHERE id = ?1"
    };
    let changed = tx
        .execute(
            sql,
            params![
                node.code,
                node.name,
                rule,
                node.announced,
                node.window.before,
                node.window.after,
                laws,
                audiences,
                node.lead_agency,
                node.note,
                now
            ],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => AppError::field(
                ErrorCode::Duplicate,
                "name",
                format!("已有名为“{}”的本地节点", node.name),
            )
            .with("value", node.name.as_str())
            .with("clash", "exists"),
            _ => e.into(),
        })?;
    if changed == 0 {
        return Err(AppError::not_found("本地节点", &node.code));
    }
    Ok(())
}

pub(super) fn check_not_national(name: &str) -> Result<()> {
    if national_nodes().iter().any(|n| n.name == name) {
        return Err(AppError::field(
            ErrorCode::Duplicate,
            "name",
            format!("“{name}”是国家节点，请直接修改该节点当年的日期"),
        )
        .with("value", name)
        .with("clash", "builtin"));
    }
    Ok(())
}

pub fn create_local(db: &mut Db, input: &LocalNodeInput) -> Result<KeyDateNode> {
    let node = local_node_from(new_id(), input)?;
    check_not_national(&node.name)?;
    db.with_tx(|tx| {
        save_local(tx, &node, true)?;
        crate::audit::changed(tx, "keydate_node", &node.code, "create", None, Some(&node))
    })?;
    Ok(node)
}

pub fn update_local(db: &mut Db, id: &str, input: &LocalNodeInput) -> Result<KeyDateNode> {
    let node = local_node_from(id.to_string(), input)?;
    check_not_national(&node.name)?;
    db.with_tx(|tx| {
        let before = local_nodes(tx)?.into_iter().find(|n| n.code == id);
        save_local(tx, &node, false)?;
        crate::audit::changed(
            tx,
            "keydate_node",
            id,
            "update",
            before.as_ref(),
            Some(&node),
        )
    })?;
    Ok(node)
}

pub fn delete_local(db: &mut Db, id: &str) -> Result<()> {
    db.with_tx(|tx| {
        let before = local_nodes(tx)?.into_iter().find(|n| n.code == id);
        let n = tx.execute("DELETE FROM keydate_node WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(AppError::not_found("本地节点", id));
        }
        crate::audit::changed(tx, "keydate_node", id, "delete", before.as_ref(), None)?;
        tx.execute("DELETE FROM keydate_override WHERE node_code = ?1", [id])?;
        Ok(())
    })
}

/// Every local node, by name.
pub fn local_nodes(conn: &Connection) -> Result<Vec<KeyDateNode>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, rule, announced, window_before, window_after, laws, audiences,
                lead_agency, note
         FROM keydate_node ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| {
        let rule: String = r.get(2)?;
        let laws: String = r.get(6)?;
        let audiences: String = r.get(7)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            rule,
            r.get::<_, bool>(3)?,
            Window {
                before: r.get(4)?,
                after: r.get(5)?,
            },
            laws,
            audiences,
            r.get::<_, String>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, rule, announced, window, laws, audiences, lead_agency, note) = row?;
        let bad = |what: &str| {
            AppError::new(
                ErrorCode::Database,
                format!("本地节点“{name}”的{what}已损坏"),
            )
        };
        let rule: StoredRule = serde_json::from_str(&rule).map_err(|_| bad("规则"))?;
        out.push(KeyDateNode {
            code: id,
            name: name.clone(),
            start: rule.start,
            end: rule.end,
            days: rule.days,
            announced,
            since: None,
            until: None,
            standard: false,
            window,
            laws: serde_json::from_str(&laws).map_err(|_| bad("法律"))?,
            audiences: serde_json::from_str(&audiences).map_err(|_| bad("宣传对象"))?,
            lead_agency,
            note,
            local: true,
        });
    }
    Ok(out)
}

/// Whether a node code names a node (national or local) — used by other modules.
pub fn node_exists(conn: &Connection, code: &str) -> Result<bool> {
    if national_nodes().iter().any(|n| n.code == code) {
        return Ok(true);
    }
    Ok(conn
        .prepare_cached("SELECT 1 FROM keydate_node WHERE id = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}
