//! The facts a report states.
use super::*;

/// Everything a report says about its records.
pub(super) struct Facts {
    pub(super) town: Town,
    pub(super) summary: Summary,
    /// Records by 专项 (their first campaign), else by their first 普法 node, else 日常普法:
    /// each record in exactly one row, so the rows add up to the totals.
    pub(super) groups: Vec<Breakdown>,
    /// Every village/community (in the town's order), any other unit with records, and the
    /// records without a unit: each record in one row.
    pub(super) units: Vec<Breakdown>,
    /// Active villages and communities.
    pub(super) villages: usize,
    /// The nodes by the records they share: each record in one group at most.
    pub(super) node_groups: Vec<reports::NodeGroup>,
}

pub(super) const EVERYDAY: &str = "日常普法活动";

pub(super) fn facts(
    conn: &Connection,
    from: &str,
    to: &str,
    campaign: Option<&str>,
    basis: Basis,
) -> Result<Facts> {
    let town = require_town(conn)?;
    let filter = SummaryFilter {
        from: from.into(),
        to: to.into(),
        village: None,
        campaign_id: campaign.map(str::to_string),
        include_pending: basis.takes("pending"),
        basis: Some(basis),
        search: None,
    };
    let (t, topics) = reports::summary_with_topics(conn, &filter)?;
    let node_names = reports::node_names(conn)?;
    let mut campaigns: HashMap<String, (String, String)> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, start_date, name FROM campaign")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))? {
        let (id, start_name) = row?;
        campaigns.insert(id, start_name);
    }
    // Each record's 专项: its earliest campaign, else its first node, else 日常普法.
    let mut groups = Counter::default();
    for topic in &topics {
        let (ids, node) = topic.key.split_once('|').unwrap_or((&topic.key, ""));
        let group = ids
            .split(',')
            .filter_map(|id| campaigns.get(id))
            .min()
            .map(|(_, name)| name.clone())
            .or_else(|| {
                (!node.is_empty())
                    .then(|| node_names.get(node).cloned().unwrap_or_else(|| node.into()))
            })
            .unwrap_or_else(|| EVERYDAY.to_string());
        groups.add_sums(&group, topic.activities, topic.participants, topic.reach);
    }
    let mut groups = groups.breakdown(str::to_string);
    groups.sort_by_key(|g| g.label == EVERYDAY);

    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind IN ('village', 'community') AND archived = 0 FROM unit
         ORDER BY kind NOT IN ('village', 'community'), sort_order, name",
    )?;
    let all = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let counted: HashMap<&str, &Breakdown> =
        t.by_village.iter().map(|b| (b.key.as_str(), b)).collect();
    let in_review: HashMap<&str, &reports::VillageInReview> = t
        .villages_in_review
        .iter()
        .map(|v| (v.name.as_str(), v))
        .collect();
    let mut rows = Vec::new();
    let mut villages = 0;
    for (id, name, village_level) in &all {
        villages += usize::from(*village_level);
        match counted.get(id.as_str()) {
            Some(b) => rows.push((*b).clone()),
            None if *village_level => rows.push(Breakdown {
                key: id.clone(),
                label: match in_review.get(name.as_str()) {
                    Some(v) => format!("{name}（{}）", review_words(v)),
                    None => name.clone(),
                },
                activities: 0,
                participants: 0,
                reach: 0,
            }),
            None => {}
        }
    }
    if let Some(b) = counted.get("") {
        rows.push((*b).clone());
    }
    let node_groups = reports::node_groups(conn, &filter)?;
    Ok(Facts {
        town,
        summary: t,
        groups,
        units: rows,
        villages,
        node_groups,
    })
}

/// "待审核 2 场", "已退回 1 场", "待审核 2 场、已退回 1 场".
pub(super) fn review_words(v: &reports::VillageInReview) -> String {
    let mut w = Vec::new();
    if v.pending > 0 {
        w.push(format!("待审核 {} 场", v.pending));
    }
    if v.returned > 0 {
        w.push(format!("已退回 {} 场", v.returned));
    }
    w.join("、")
}
