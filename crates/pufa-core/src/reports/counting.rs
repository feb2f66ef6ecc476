//! Counting a summary: the counters and the accumulator that reads the records and activities.
use super::*;

/// Counts by key: activities, participants, reach.
#[derive(Debug, Default)]
pub(crate) struct Counter(HashMap<String, [i64; 3]>);

impl Counter {
    /// One record more under `key`.
    pub(crate) fn add(&mut self, key: &str, participants: i64, reach: i64) {
        self.add_sums(key, 1, participants, reach);
    }

    pub(crate) fn add_sums(&mut self, key: &str, activities: i64, participants: i64, reach: i64) {
        let e = self.0.entry(key.to_string()).or_default();
        e[0] += activities;
        e[1] += participants;
        e[2] += reach;
    }

    /// Most activities first, then by key; keys left with nothing (a tally emptied by edits)
    /// are not listed.
    pub(crate) fn breakdown(self, label: impl Fn(&str) -> String) -> Vec<Breakdown> {
        let mut out: Vec<Breakdown> = self
            .0
            .into_iter()
            .filter(|(_, [activities, ..])| *activities != 0)
            .map(|(key, [activities, participants, reach])| Breakdown {
                label: label(&key),
                key,
                activities,
                participants,
                reach,
            })
            .collect();
        out.sort_by(|a, b| (-a.activities, &a.key).cmp(&(-b.activities, &b.key)));
        out
    }
}

/// The codes of a JSON array column; a text that is not one is an error, never an empty list.
pub(crate) fn codes(json: &str) -> Result<Vec<String>> {
    let items = serde_json::from_str::<Vec<serde_json::Value>>(json).map_err(|_| {
        crate::error::AppError::new(
            crate::error::ErrorCode::InvalidValue,
            format!("统计时遇到无法识别的列表值“{}”", validate::clip(json)),
        )
    })?;
    Ok(items
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
        .collect())
}

/// The numbers of a summary while they are being counted.
#[derive(Default)]
pub(super) struct Acc {
    /// Every record of the scope by status, counted or not.
    pub(super) statuses: StatusCounts,
    /// The same for each village.
    pub(super) village_statuses: HashMap<String, StatusCounts>,
    pub(super) activities: i64,
    pub(super) pending: i64,
    pub(super) returned: i64,
    /// participants, reach, consultations, banners, boards, vehicles, online posts and views,
    /// disputes, legal-aid cases.
    pub(super) sums: [i64; 10],
    pub(super) by_month: Counter,
    pub(super) by_campaign: Counter,
    pub(super) by_node: Counter,
    pub(super) by_village: Counter,
    pub(super) by_audience: Counter,
    pub(super) by_format: Counter,
    pub(super) by_law: Counter,
    /// By 专项 key (campaign ids|first node).
    pub(super) by_topic: Counter,
    /// Quantity handed out by material id.
    pub(super) materials: HashMap<String, i64>,
    /// Planned activities by status.
    pub(super) planned: HashMap<String, i64>,
    /// The counts the tallies do not keep, by column (see [`untallied_counts`]).
    pub(super) untallied: HashMap<&'static str, i64>,
}

/// Where the records of a scope are read from and which ones (`?1`–`?5`: from, to, village,
/// campaign, search): a campaign's through its links (CROSS JOIN keeps SQLite from reading the
/// whole year by date instead: 13,000 records of a county campaign took 1.2 s that way), others
/// by date.
fn records_of(s: &Scope) -> (&'static str, String) {
    let (source, campaign) = if s.campaign.is_some() {
        (
            "record_campaign c CROSS JOIN record r ON r.id = c.record_id",
            "c.campaign_id = ?4",
        )
    } else {
        ("record r", "?4 IS NULL")
    };
    let filter = format!(
        "r.date >= ?1 AND r.date <= ?2 AND (?3 IS NULL OR r.unit_id = ?3) AND {campaign}
         AND (?5 IS NULL OR {})",
        crate::record_fields::search_sql("?5")
    );
    (source, filter)
}

/// The record counts the running tallies do not keep (added to the record after them, e.g.
/// 志愿者人次), summed from the records of the whole scope on its basis: the same records as
/// every other number.
pub(super) fn untallied_counts(conn: &Connection, s: &Scope) -> Result<HashMap<&'static str, i64>> {
    let columns: Vec<&'static str> = crate::record_fields::COUNTS
        .iter()
        .map(|c| c.column)
        .filter(|c| !tally::record_sums().contains(c))
        .collect();
    if columns.is_empty() {
        return Ok(HashMap::new());
    }
    let (source, filter) = records_of(s);
    let sums: Vec<String> = columns
        .iter()
        .map(|c| format!("coalesce(sum(r.{c}), 0)"))
        .collect();
    let sql = format!(
        "SELECT {} FROM {source} WHERE {filter} AND {}",
        sums.join(", "),
        s.basis.sql("r.review_status")
    );
    let p = params![s.from, s.to, s.unit, s.campaign, s.search];
    let values = conn.prepare_cached(&sql)?.query_row(p, |r| {
        (0..columns.len())
            .map(|i| r.get::<_, i64>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
    })?;
    Ok(columns.into_iter().zip(values).collect())
}

impl Acc {
    pub(super) fn add_totals(&mut self, status: &str, activities: i64, sums: &[i64]) {
        self.activities += activities;
        match status {
            "pending" => self.pending += activities,
            "returned" => self.returned += activities,
            _ => {}
        }
        for (total, v) in self.sums.iter_mut().zip(sums) {
            *total += v;
        }
    }

    /// Whole months [first, last] from the tallies of the town or the village.
    pub(super) fn read_tallies(
        &mut self,
        conn: &Connection,
        s: &Scope,
        first: &str,
        last: &str,
    ) -> Result<()> {
        let level = s.unit.as_deref().unwrap_or("*");
        // Every status of the totals and of the villages (to tell 待审核 from 尚未开展), the
        // counted ones of the rest.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT month, status, dim, key, {} FROM record_tally
             WHERE unit_id = ?1 AND month >= ?2 AND month <= ?3
               AND (dim IN ('all', 'village') OR {})",
            tally::SUMS.join(", "),
            s.basis.sql("status")
        ))?;
        let mut rows = stmt.query(params![level, first, last])?;
        while let Some(r) = rows.next()? {
            let (month, status, dim, key): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let mut v = [0i64; 12];
            for (i, x) in v.iter_mut().enumerate() {
                *x = r.get(4 + i)?;
            }
            let [activities, participants, reach, ..] = v;
            match dim.as_str() {
                "all" => {
                    self.statuses.add(&status, activities);
                    if level != "*" {
                        self.village_statuses
                            .entry(level.to_string())
                            .or_default()
                            .add(&status, activities);
                    }
                }
                "village" => self
                    .village_statuses
                    .entry(key.clone())
                    .or_default()
                    .add(&status, activities),
                _ => {}
            }
            if !s.basis.takes(&status) {
                continue;
            }
            let counter = match dim.as_str() {
                "all" => {
                    self.add_totals(&status, activities, &v[1..11]);
                    self.by_month
                        .add_sums(&month, activities, participants, reach);
                    if level != "*" {
                        self.by_village
                            .add_sums(level, activities, participants, reach);
                    }
                    continue;
                }
                "material" => {
                    *self.materials.entry(key).or_default() += v[11];
                    continue;
                }
                "village" => &mut self.by_village,
                "campaign" => &mut self.by_campaign,
                "node" => &mut self.by_node,
                "audience" => &mut self.by_audience,
                "format" => &mut self.by_format,
                "law" => &mut self.by_law,
                "topic" => &mut self.by_topic,
                _ => continue,
            };
            counter.add_sums(&key, activities, participants, reach);
        }
        drop(rows);
        let mut stmt = conn.prepare_cached(
            "SELECT status, sum(n) FROM activity_tally
             WHERE unit_id = ?1 AND month >= ?2 AND month <= ?3 GROUP BY status",
        )?;
        let mut rows = stmt.query(params![level, first, last])?;
        while let Some(r) = rows.next()? {
            *self.planned.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)?;
        }
        Ok(())
    }

    /// The records of [from, to] in the scope, one by one.
    pub(super) fn scan(
        &mut self,
        conn: &Connection,
        s: &Scope,
        from: &str,
        to: &str,
    ) -> Result<()> {
        // Every status is read (to count what the basis leaves out); only the basis's count.
        let (source, filter) = records_of(s);
        let p = params![from, to, s.unit, s.campaign, s.search];
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT substr(r.date, 1, 7), coalesce(r.unit_id, ''), r.review_status,
                    r.nodes, r.formats, r.audiences, r.laws,
                    (SELECT group_concat(rc.campaign_id) FROM record_campaign rc
                     WHERE rc.record_id = r.id),
                    {sums}
             FROM {source} WHERE {filter}",
            sums = tally::record_sums()
                .iter()
                .map(|c| format!("r.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let mut rows = stmt.query(p)?;
        while let Some(r) = rows.next()? {
            let mut v = [0i64; 10];
            for (i, x) in v.iter_mut().enumerate() {
                *x = r.get(8 + i)?;
            }
            let [participants, reach, ..] = v;
            let status: String = r.get(2)?;
            let village: String = r.get(1)?;
            self.statuses.add(&status, 1);
            self.village_statuses
                .entry(village.clone())
                .or_default()
                .add(&status, 1);
            if !s.basis.takes(&status) {
                continue;
            }
            self.add_totals(&status, 1, &v);
            self.by_month
                .add(&r.get::<_, String>(0)?, participants, reach);
            self.by_village.add(&village, participants, reach);
            for (i, counter) in [
                &mut self.by_node,
                &mut self.by_format,
                &mut self.by_audience,
                &mut self.by_law,
            ]
            .into_iter()
            .enumerate()
            {
                for code in codes(&r.get::<_, String>(3 + i)?)? {
                    counter.add(&code, participants, reach);
                }
            }
            let mut campaigns: Vec<String> = r
                .get::<_, Option<String>>(7)?
                .map(|ids| ids.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            for id in &campaigns {
                self.by_campaign.add(id, participants, reach);
            }
            campaigns.sort();
            let first_node = codes(&r.get::<_, String>(3)?)?.into_iter().next();
            let topic = format!("{}|{}", campaigns.join(","), first_node.unwrap_or_default());
            self.by_topic.add(&topic, participants, reach);
        }
        drop(rows);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT h.material_id, sum(h.quantity) FROM {source}
             JOIN stock_movement h ON h.record_id = r.id AND h.kind = 'handout'
             WHERE {filter} AND {} GROUP BY h.material_id",
            s.basis.sql("r.review_status")
        ))?;
        let mut rows = stmt.query(p)?;
        while let Some(r) = rows.next()? {
            *self.materials.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)?;
        }
        Ok(())
    }

    /// Planned activities of [from, to] in the scope.
    pub(super) fn scan_planned(
        &mut self,
        conn: &Connection,
        s: &Scope,
        from: &str,
        to: &str,
    ) -> Result<()> {
        let (source, campaign) = if s.campaign.is_some() {
            (
                "activity_campaign c CROSS JOIN activity a ON a.id = c.activity_id",
                "c.campaign_id = ?4",
            )
        } else {
            ("activity a", "?4 IS NULL")
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT a.status, count(*) FROM {source}
             WHERE a.date >= ?1 AND a.date <= ?2 AND (?3 IS NULL OR a.unit_id = ?3) AND {campaign}
             GROUP BY a.status"
        ))?;
        let mut rows = stmt.query(params![from, to, s.unit, s.campaign])?;
        while let Some(r) = rows.next()? {
            *self.planned.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)?;
        }
        Ok(())
    }

    /// Names on the keys, the villages not reached, the headline.
    pub(super) fn finish(self, conn: &Connection, s: Scope) -> Result<Summary> {
        let campaigns = names(conn, "SELECT id, name FROM campaign")?;
        let units = names(conn, "SELECT id, name FROM unit")?;
        let nodes = node_names(conn)?;
        let named = |map: &HashMap<String, String>, k: &str| {
            map.get(k).cloned().unwrap_or_else(|| k.to_string())
        };
        let by_village = self.by_village.breakdown(|k| {
            if k.is_empty() {
                NO_UNIT.to_string()
            } else {
                named(&units, k)
            }
        });
        let mut villages_without: Vec<(i64, String)> = Vec::new();
        let mut villages_in_review: Vec<(i64, VillageInReview)> = Vec::new();
        if s.unit.is_none() {
            let mut stmt = conn.prepare_cached(
                "SELECT id, name, sort_order FROM unit
                 WHERE kind IN ('village', 'community') AND archived = 0",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                if by_village.iter().any(|b| b.key == id) {
                    continue;
                }
                let held = self.village_statuses.get(&id).copied().unwrap_or_default();
                let (order, name): (i64, String) = (r.get(2)?, r.get(1)?);
                if held.pending + held.returned + held.approved == 0 {
                    villages_without.push((order, name));
                } else {
                    villages_in_review.push((
                        order,
                        VillageInReview {
                            name,
                            pending: held.pending,
                            returned: held.returned,
                        },
                    ));
                }
            }
            villages_without.sort();
            villages_in_review.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
        }
        let mut materials: Vec<(String, MaterialTotal)> = Vec::new();
        let mut stmt =
            conn.prepare_cached("SELECT category, name, unit FROM material WHERE id = ?1")?;
        for (id, quantity) in self.materials {
            if quantity == 0 {
                continue;
            }
            let (category, name, unit): (String, String, String) =
                stmt.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            materials.push((
                category,
                MaterialTotal {
                    name,
                    unit,
                    quantity,
                },
            ));
        }
        materials.sort_by(|a, b| (&a.0, &a.1.name).cmp(&(&b.0, &b.1.name)));
        let material_units = unit_totals(&materials);
        let count = |status: &str| self.planned.get(status).copied().unwrap_or(0);
        let [participants, reach, ..] = self.sums;
        // The tallies' sums after participants and reach, by column name.
        let counts = crate::record_fields::RecordCounts::from_values(std::array::from_fn(|i| {
            let column = crate::record_fields::COUNTS[i].column;
            tally::SUMS[1..11]
                .iter()
                .position(|c| *c == column)
                .map_or_else(
                    || self.untallied.get(column).copied().unwrap_or(0),
                    |j| self.sums[j],
                )
        }));
        let mut by_month = self.by_month.breakdown(|k| {
            let (y, m) = k.split_once('-').unwrap_or((k, ""));
            format!("{y}年{}月", m.trim_start_matches('0'))
        });
        by_month.sort_by(|a, b| a.key.cmp(&b.key));
        let mut summary = Summary {
            from: s.from,
            to: s.to,
            include_pending: s.basis.takes("pending"),
            basis: s.basis,
            basis_line: basis::statement(s.basis, &self.statuses),
            statuses: self.statuses,
            activities: self.activities,
            pending: self.pending,
            returned: self.returned,
            participants,
            reach,
            counts,
            materials: materials.into_iter().map(|(_, m)| m).collect(),
            material_units,
            planned: count("planned") + count("held") + count("postponed"),
            planned_held: count("held"),
            by_month,
            by_campaign: self.by_campaign.breakdown(|k| named(&campaigns, k)),
            by_node: self.by_node.breakdown(|k| named(&nodes, k)),
            by_village,
            by_audience: self.by_audience.breakdown(|k| {
                crate::domain::Audience::parse("a", k)
                    .map(|a| a.label().to_string())
                    .unwrap_or(k.into())
            }),
            by_format: self.by_format.breakdown(|k| {
                crate::domain::ActivityFormat::parse("f", k)
                    .map(|a| a.label().to_string())
                    .unwrap_or(k.into())
            }),
            by_law: self.by_law.breakdown(str::to_string),
            villages_without: villages_without.into_iter().map(|(_, n)| n).collect(),
            villages_in_review: villages_in_review.into_iter().map(|(_, v)| v).collect(),
            headline: String::new(),
        };
        summary.headline = headline(&summary);
        Ok(summary)
    }
}
