//! "生成年度计划": a year's campaigns and activities generated from its nodes.
use super::*;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanGenerated {
    /// Campaigns made now.
    pub created: Vec<Campaign>,
    /// Campaigns the node already had that year, activities added for the units without one.
    pub extended: Vec<Campaign>,
    /// Nodes that already had a campaign that year with nothing to add (by name).
    pub skipped: Vec<String>,
    /// The standard set used because no nodes were given (names); empty otherwise.
    pub standard: Vec<String>,
    /// Last year's campaigns still running into this year (岁末年初, 根治欠薪 …).
    pub continuing: Vec<Campaign>,
    /// Planned activities made.
    pub placed: u32,
    /// Of them, moved off a weekend, a statutory holiday or a school break.
    pub moved: u32,
    /// Left on such a day on purpose or for want of a working day, each with its reason.
    pub exceptions: Vec<String>,
}

pub(super) const TARGETED_NODES: &[&str] = &[
    "migrant_winter_service",
    "spring_breeze",
    "wage_arrears_winter",
    "first_lesson_spring",
    "first_lesson_autumn",
    "winter_break_safety",
    "summer_break_safety",
];

/// "生成年度计划": for each node (none given: the standard set a township plans each year)
/// the built-in template whose first node it is, applied to all of the template's units —
/// a campaign with its activities placed on working days — or, without a template, the
/// node's campaign over its 集中宣传期. A node that already has its campaign that year is
/// not made twice: its template adds to it the units it lacks.
pub fn generate(db: &mut Db, year: i32, nodes: &[String]) -> Result<PlanGenerated> {
    check_year(year)?;
    let year_dates = keydates::for_year(&db.conn, year)?;
    let standard = nodes.is_empty();
    let codes: Vec<String> = if standard {
        year_dates
            .iter()
            .filter(|k| k.standard)
            .map(|k| k.code.clone())
            .collect()
    } else {
        nodes.to_vec()
    };
    let mut wanted: Vec<&KeyDate> = Vec::with_capacity(codes.len());
    for code in &codes {
        let Some(k) = year_dates.iter().find(|k| &k.code == code) else {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "nodes",
                format!("普法节点“{}”在 {year} 年不存在", validate::clip(code)),
            ));
        };
        if !wanted.iter().any(|w| w.code == k.code) {
            wanted.push(k);
        }
    }
    let mut out = PlanGenerated {
        created: Vec::new(),
        extended: Vec::new(),
        skipped: Vec::new(),
        standard: if standard {
            wanted.iter().map(|k| k.name.clone()).collect()
        } else {
            Vec::new()
        },
        continuing: Vec::new(),
        placed: 0,
        moved: 0,
        exceptions: Vec::new(),
    };
    let (created, extended) = db.with_tx(|tx| {
        require_town(tx)?;
        let mut placer = Placer::new(tx);
        let (mut created, mut extended) = (Vec::new(), Vec::new());
        for k in &wanted {
            let templates: Vec<&PlanTemplate> = builtin_templates()
                .iter()
                .filter(|t| t.nodes.first() == Some(&k.code))
                .collect();
            if templates.is_empty() {
                if campaigns_of_node(tx, &k.code, k)?.is_empty() {
                    created.push(campaign::insert(
                        tx,
                        &campaign::check(tx, &node_campaign(k, year))?,
                    )?);
                } else {
                    out.skipped.push(k.name.clone());
                }
                continue;
            }
            for t in templates {
                let units = chosen_units(tx, t, &[], true)?;
                let applied = apply_in(tx, t, year, &units, &mut placer)?;
                out.placed += applied.activity_ids.len() as u32;
                out.moved += applied.moved;
                out.exceptions.extend(applied.exceptions);
                if applied.created {
                    created.push(applied.campaign_id);
                } else if applied.activity_ids.is_empty() {
                    out.skipped.push(k.name.clone());
                } else {
                    extended.push(applied.campaign_id);
                }
            }
        }
        Ok((created, extended))
    })?;
    let get = |ids: Vec<String>| -> Result<Vec<Campaign>> {
        ids.iter().map(|id| campaign::get(&db.conn, id)).collect()
    };
    out.created = get(created)?;
    out.extended = get(extended)?;
    out.continuing = continuing(&db.conn, year)?;
    Ok(out)
}

/// The campaign of a node without a template: its 集中宣传期, its audiences and laws, its
/// theme in the description.
pub(super) fn node_campaign(k: &KeyDate, year: i32) -> CampaignInput {
    let kind = if TARGETED_NODES.contains(&k.code.as_str()) {
        CampaignKind::Targeted
    } else if k.local {
        CampaignKind::Local
    } else {
        CampaignKind::National
    };
    let label = year_label(parse(&k.window_start), parse(&k.window_end));
    let name = if k.name.starts_with(&year.to_string()) {
        k.name.clone()
    } else {
        format!("{label}{}", k.name)
    };
    let doc = (!k.doc_number.is_empty()).then(|| format!("文号：{}", k.doc_number));
    let notes = [theme_line(k), doc]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    CampaignInput {
        name,
        kind: kind.code().to_string(),
        start_date: k.window_start.clone(),
        end_date: k.window_end.clone(),
        audiences: k.audiences.iter().map(|a| a.code().to_string()).collect(),
        themes: k.laws.clone(),
        lead_unit: None,
        notes: Some(notes),
        nodes: vec![k.code.clone()],
        report_deadline: None,
    }
}

/// The campaigns begun in an earlier year that are still running in `year`.
pub fn continuing(conn: &Connection, year: i32) -> Result<Vec<Campaign>> {
    Ok(campaign::list(
        conn,
        &campaign::CampaignFilter {
            year: Some(year),
            ..Default::default()
        },
    )?
    .into_iter()
    .filter(|c| c.start_date < format!("{year:04}-01-01"))
    .collect())
}
