//! "Copy last year's plan" onto the new year's dates of the same nodes.
use super::*;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanCopied {
    pub campaigns: u32,
    pub activities: u32,
    /// Campaigns not copied because the new year already has one of that name.
    pub skipped: Vec<String>,
    /// Copied activities that fell on a weekend, holiday or school break and were moved.
    pub moved: u32,
    /// Copied activities left on such a day, with the reason.
    pub exceptions: Vec<String>,
}

/// The same month and day a year later or earlier (2月29日 → 2月28日).
pub(super) fn same_day_in(date: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .expect("valid date")
}

/// How far a node moved between two years (start to start), if it exists in both.
pub(super) fn node_shift(from: &[KeyDate], to: &[KeyDate], nodes: &[String]) -> Option<Duration> {
    let first = nodes.iter().find_map(|code| {
        let a = from.iter().find(|k| &k.code == code)?;
        let b = to.iter().find(|k| &k.code == code)?;
        Some(parse(&b.start) - parse(&a.start))
    })?;
    Some(first)
}

/// A name of `from_year` for `to_year`: "2026—2027年度…" → "2027—2028年度…", "2026年…" →
/// "2027年…".
pub(super) fn rename_year(name: &str, from_year: i32, to_year: i32) -> String {
    let span = |y: i32| format!("{y}—{}", y + 1);
    let ascii = |y: i32| format!("{y}-{}", y + 1);
    name.replace(&span(from_year), "\u{0}")
        .replace(&ascii(from_year), "\u{0}")
        .replace(&from_year.to_string(), &to_year.to_string())
        .replace('\u{0}', &span(to_year))
}

/// "复制上一年计划": every campaign starting in `from_year` and its activities, moved onto
/// `to_year`'s dates of the same nodes (or the same month and day when it serves no node);
/// an activity that lands on a day off moves to the nearest working day.
pub fn copy_year(db: &mut Db, from_year: i32, to_year: i32) -> Result<PlanCopied> {
    check_year(from_year)?;
    check_year(to_year)?;
    if from_year == to_year {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "year",
            "请选择不同的年份",
        ));
    }
    let from_dates = keydates::for_year(&db.conn, from_year)?;
    let to_dates = keydates::for_year(&db.conn, to_year)?;
    let existing: Vec<String> = campaign::list(
        &db.conn,
        &campaign::CampaignFilter {
            year: Some(to_year),
            status: campaign::ArchiveFilter::All,
            ..Default::default()
        },
    )?
    .into_iter()
    .map(|c| c.name)
    .collect();
    let source: Vec<Campaign> = campaign::list(
        &db.conn,
        &campaign::CampaignFilter {
            year: Some(from_year),
            ..Default::default()
        },
    )?
    .into_iter()
    .filter(|c| c.start_date.starts_with(&format!("{from_year:04}-")))
    .collect();
    let rename = |name: &str| rename_year(name, from_year, to_year);
    let mut skipped = Vec::new();
    let mut plan: Vec<(CampaignInput, Vec<Activity>, Duration)> = Vec::new();
    for c in source {
        let new_name = rename(&c.name);
        if existing.contains(&new_name) {
            skipped.push(new_name);
            continue;
        }
        let start = parse(&c.start_date);
        let shift = node_shift(&from_dates, &to_dates, &c.nodes)
            .unwrap_or_else(|| same_day_in(start, to_year) - start);
        let activities = activity::list(
            &db.conn,
            &activity::ActivityFilter {
                campaign_id: Some(c.id.clone()),
                ..Default::default()
            },
        )?;
        let input = CampaignInput {
            name: new_name,
            kind: c.kind.code().to_string(),
            start_date: (start + shift).to_string(),
            end_date: (parse(&c.end_date) + shift).to_string(),
            audiences: c.audiences.iter().map(|a| a.code().to_string()).collect(),
            themes: c.themes.clone(),
            lead_unit: Some(c.lead_unit.clone()),
            notes: Some(c.notes.clone()),
            nodes: c.nodes.clone(),
            report_deadline: None,
        };
        plan.push((input, activities, shift));
    }
    let mut checked = Vec::with_capacity(plan.len());
    for (input, activities, shift) in &plan {
        let c = campaign::check(&db.conn, input)?;
        let acts = activities
            .iter()
            .map(|a| {
                let date = parse(&a.date) + *shift;
                let mut i = activity::input_from(a);
                i.title = rename(&i.title);
                i.date = date.to_string();
                // Links to other campaigns of the old year are not carried over.
                i.campaign_ids.clear();
                Ok((activity::check(&db.conn, &i)?, date))
            })
            .collect::<Result<Vec<_>>>()?;
        checked.push((c, input, acts));
    }
    let (campaigns, activities, moved, exceptions) = db.with_tx(|tx| {
        let mut placer = Placer::new(tx);
        let (mut n_activities, mut moved, mut exceptions) = (0u32, 0u32, Vec::new());
        for (c, input, acts) in &checked {
            let id = campaign::insert(tx, c)?;
            let (from, to) = (parse(&input.start_date), parse(&input.end_date));
            for (a, date) in acts {
                let mut date = *date;
                if let Some(u) = a.unit_id.as_deref().map(|u| unit::get(tx, u)).transpose()? {
                    let street = a.formats.contains("\"street_campaign\"");
                    let p = placer.place(&u, street, date, from.min(date), to.max(date))?;
                    moved += u32::from(p.moved);
                    if let Some(why) = p.exception {
                        exceptions.push(format!("{}：{why}", a.title));
                    }
                    date = p.date;
                }
                let a = activity::Checked {
                    campaign_ids: vec![id.clone()],
                    date,
                    ..a.clone()
                };
                activity::insert(tx, &a, date, None)?;
                n_activities += 1;
            }
        }
        Ok((checked.len() as u32, n_activities, moved, exceptions))
    })?;
    Ok(PlanCopied {
        campaigns,
        activities,
        skipped,
        moved,
        exceptions,
    })
}
