//! The coordinator's overrides of a node's year: confirmed, set and cleared.
use super::*;

/// What confirming a node's year as shown sets: a provisional (待公布) date becomes the
/// coordinator's, and last year's theme offered as a draft becomes this year's theme.
/// (`plan::confirm` sets it, so that the theme reaches the year's campaigns.)
pub fn confirmation(conn: &Connection, code: &str, year: i32) -> Result<OverrideInput> {
    let k = for_year(conn, year)?
        .into_iter()
        .find(|k| k.code == code)
        .ok_or_else(|| {
            AppError::field(
                ErrorCode::NotFound,
                "node_code",
                format!("{year} 年没有普法节点“{}”", validate::clip(code)),
            )
        })?;
    let dates = (k.source == DateSource::Provisional).then(|| (k.start.clone(), k.end.clone()));
    let theme = if k.theme.is_empty() {
        k.theme_draft.clone()
    } else {
        k.theme.clone()
    };
    Ok(OverrideInput {
        node_code: k.code.clone(),
        year,
        start_date: dates.as_ref().map(|d| d.0.clone()),
        end_date: dates.map(|d| d.1),
        theme: Some(theme),
        doc_number: Some(k.doc_number.clone()),
    })
}

/// What a coordinator enters for a node in a year; empty fields keep the default.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct OverrideInput {
    pub node_code: String,
    pub year: i32,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub doc_number: Option<String>,
}

pub(super) fn find_node(conn: &Connection, code: &str) -> Result<KeyDateNode> {
    if let Some(n) = national_nodes().iter().find(|n| n.code == code) {
        return Ok(n.clone());
    }
    local_nodes(conn)?
        .into_iter()
        .find(|n| n.code == code)
        .ok_or_else(|| AppError::not_found("普法节点", code))
}

/// Sets (or replaces) the coordinator's dates / theme / document number of a node for a year;
/// `then` runs in the same transaction with the node's new year (`plan::set_override` passes
/// the theme on to the year's campaigns there).
pub fn set_override_then(
    db: &mut Db,
    input: &OverrideInput,
    then: impl FnOnce(&Connection, &KeyDate) -> Result<()>,
) -> Result<KeyDate> {
    check_year(input.year)?;
    let node = find_node(&db.conn, &input.node_code)?;
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let dates = match (has(&input.start_date), has(&input.end_date)) {
        (false, false) => None,
        (true, true) => {
            let s = validate::date("start_date", input.start_date.as_deref().unwrap_or(""))?;
            let e = validate::date("end_date", input.end_date.as_deref().unwrap_or(""))?;
            validate::date_range(s, e)?;
            Some((iso(s), iso(e)))
        }
        (false, true) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "start_date",
                "请同时填写开始日期",
            ))
        }
        (true, false) => {
            return Err(AppError::field(
                ErrorCode::Required,
                "end_date",
                "请同时填写结束日期",
            ))
        }
    };
    let theme = validate::optional_line("theme", input.theme.as_deref(), 200)?;
    let doc_number = validate::optional_line("doc_number", input.doc_number.as_deref(), 100)?;
    let year = input.year;
    db.with_tx(|tx| {
        let now = now();
        let (start, end) = dates.clone().unzip();
        tx.execute(
            "INSERT INTO keydate_override
                 (id, node_code, year, start_date, end_date, theme, doc_number, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
             ON CONFLICT (node_code, year) DO UPDATE SET
                 start_date = excluded.start_date, end_date = excluded.end_date,
                 theme = excluded.theme, doc_number = excluded.doc_number,
                 updated_at = excluded.updated_at",
            params![new_id(), node.code, year, start, end, theme, doc_number, now],
        )?;
        let summary = format!("设置{year}年“{}”的日期/主题/文号", node.name);
        let after = serde_json::json!({
            "start_date": dates.as_ref().map(|d| d.0.clone()),
            "end_date": dates.as_ref().map(|d| d.1.clone()),
            "theme": theme,
            "doc_number": doc_number,
        });
        crate::audit::log(tx, "keydate_override", &format!("{}:{year}", node.code), "update", &summary, None::<&()>, Some(&after))?;
        if let Some(k) = for_year(tx, year)?.into_iter().find(|k| k.code == node.code) {
            then(tx, &k)?;
        }
        Ok(())
    })?;
    for_year(&db.conn, year)?
        .into_iter()
        .find(|k| k.code == node.code)
        .ok_or_else(|| {
            let message = match (node.since, node.until) {
                (Some(s), _) if year < s => {
                    format!("“{}”自 {s} 年起才有，{year} 年没有这个节点", node.name)
                }
                (_, Some(u)) => format!("“{}”只到 {u} 年，{year} 年没有这个节点", node.name),
                _ => format!("{year} 年没有“{}”这个节点", node.name),
            };
            AppError::field(ErrorCode::InvalidValue, "year", message)
        })
}

/// Removes the coordinator's entry: the node goes back to its rule (or published dates).
pub fn clear_override(db: &mut Db, node_code: &str, year: i32) -> Result<()> {
    check_year(year)?;
    db.with_tx(|tx| {
        tx.execute(
            "DELETE FROM keydate_override WHERE node_code = ?1 AND year = ?2",
            params![node_code, year],
        )?;
        let summary = format!("恢复{year}年节点“{node_code}”的默认日期");
        crate::audit::note(
            tx,
            "keydate_override",
            &format!("{node_code}:{year}"),
            "delete",
            &summary,
        )?;
        Ok(())
    })
}
