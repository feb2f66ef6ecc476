//! What a summary's outputs show beside the counts: node groups, names, unit totals, phrases.
use super::*;

/// 普法节点 grouped by the activities they share: two nodes are in one group when an activity
/// names both (12·4 国家宪法日 and 宪法宣传周), so each activity is in one group at most and
/// the groups never add up to more than the 场次.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct NodeGroup {
    pub codes: Vec<String>,
    /// The nodes' names, the one with most activities first.
    pub labels: Vec<String>,
    /// Every activity of the group names every node of it ("12·4国家宪法日暨宪法宣传周").
    pub same_records: bool,
    #[ts(type = "number")]
    pub activities: i64,
}

/// The counted records' nodes, grouped ([`NodeGroup`]), most activities first.
pub fn node_groups(conn: &Connection, f: &SummaryFilter) -> Result<Vec<NodeGroup>> {
    let s = scope(conn, f)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.nodes FROM record r WHERE {} AND {} AND r.nodes <> '[]'",
        in_scope(),
        s.basis.sql("r.review_status")
    ))?;
    // Union-find over node codes; each record's node list joins its codes.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut sets: HashMap<Vec<String>, i64> = HashMap::new();
    let mut rows = stmt.query(&s.params()[..])?;
    while let Some(r) = rows.next()? {
        let mut codes = codes(&r.get::<_, String>(0)?)?;
        codes.sort();
        codes.dedup();
        if codes.is_empty() {
            continue;
        }
        let ids: Vec<usize> = codes
            .iter()
            .map(|c| {
                let next = parent.len();
                let i = *index.entry(c.clone()).or_insert(next);
                if i == next {
                    parent.push(i);
                }
                i
            })
            .collect();
        for w in ids.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a] = b;
        }
        *sets.entry(codes).or_default() += 1;
    }
    drop(rows);
    let names = node_names(conn)?;
    // Per group: its record sets and how often each node is named.
    let mut groups: HashMap<usize, (i64, HashMap<String, i64>, usize)> = HashMap::new();
    for (codes, n) in &sets {
        let g = root(&mut parent, index[&codes[0]]);
        let e = groups.entry(g).or_default();
        e.0 += n;
        e.2 += 1;
        for c in codes {
            *e.1.entry(c.clone()).or_default() += n;
        }
    }
    let mut out: Vec<NodeGroup> = groups
        .into_values()
        .map(|(activities, per_node, distinct_sets)| {
            let mut nodes: Vec<(String, i64)> = per_node.into_iter().collect();
            nodes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            NodeGroup {
                labels: nodes
                    .iter()
                    .map(|(c, _)| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                    .collect(),
                codes: nodes.into_iter().map(|(c, _)| c).collect(),
                same_records: distinct_sets == 1,
                activities,
            }
        })
        .collect();
    out.sort_by(|a, b| b.activities.cmp(&a.activities).then(a.codes.cmp(&b.codes)));
    Ok(out)
}

/// The row of records kept without a village or unit.
pub const NO_UNIT: &str = "（未填村/单位）";

pub(super) fn names(conn: &Connection, sql: &str) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The names of the 普法节点 by code, national and the town's own.
pub(crate) fn node_names(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut nodes: HashMap<String, String> = crate::keydates::national_nodes()
        .iter()
        .map(|n| (n.code.clone(), n.name.clone()))
        .collect();
    nodes.extend(names(conn, "SELECT id, name FROM keydate_node")?);
    Ok(nodes)
}

/// What the materials of a unit are called in a sentence: their shared category when they all
/// have one ("读本" → 法治读本), else what that unit usually counts.
pub(super) fn unit_label(unit: &str, categories: &[&str]) -> String {
    let shared = categories
        .first()
        .filter(|c| !c.is_empty() && categories.iter().all(|x| x == *c));
    if let Some(c) = shared {
        return match *c {
            "读本" => "法治读本".to_string(),
            "手册" => "宣传手册".to_string(),
            "折页" => "宣传折页".to_string(),
            "奖品" => "奖品".to_string(),
            other => other.to_string(),
        };
    }
    match unit {
        "份" | "张" => "宣传资料",
        "册" | "本" | "套" => "宣传册及读本",
        "条" => "宣传条幅",
        "块" => "宣传展板",
        _ => "宣传品",
    }
    .to_string()
}

/// The quantities by unit, largest first; (category, material) pairs in.
pub(super) fn unit_totals(materials: &[(String, MaterialTotal)]) -> Vec<UnitTotal> {
    let mut by: Vec<(String, Vec<&str>, i64, i64)> = Vec::new();
    for (category, m) in materials {
        match by.iter_mut().find(|u| u.0 == m.unit) {
            Some(u) => {
                u.1.push(category);
                u.2 += 1;
                u.3 += m.quantity;
            }
            None => by.push((m.unit.clone(), vec![category], 1, m.quantity)),
        }
    }
    let mut out: Vec<UnitTotal> = by
        .into_iter()
        .map(|(unit, categories, kinds, quantity)| UnitTotal {
            label: unit_label(&unit, &categories),
            unit,
            kinds,
            quantity,
        })
        .collect();
    out.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.unit.cmp(&b.unit)));
    out
}

/// "宣传资料5200余份、法治读本250余册": the quantities by unit, each rounded as reports write.
pub fn materials_phrase(units: &[UnitTotal]) -> String {
    units
        .iter()
        .filter(|u| u.quantity > 0)
        .map(|u| format!("{}{}{}", u.label, approx(u.quantity), u.unit))
        .collect::<Vec<_>>()
        .join("、")
}

/// The year's sentence for the 法治政府建设情况报告:
/// "全年开展普法活动81场次，受众9800余人次，发放宣传资料5200余份、法治读本250余册".
pub fn headline(s: &Summary) -> String {
    let whole_year = s.from.get(4..) == Some("-01-01")
        && s.to.get(4..) == Some("-12-31")
        && s.from.get(..4) == s.to.get(..4);
    let mut t = format!(
        "{}开展普法活动{}场次，受众{}人次",
        if whole_year { "全年" } else { "期间" },
        s.activities,
        approx(s.reach),
    );
    let materials = materials_phrase(&s.material_units);
    if !materials.is_empty() {
        t.push_str(&format!("，发放{materials}"));
    }
    t
}
