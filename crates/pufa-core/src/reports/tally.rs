//! The running tallies behind the dashboard (tables in migrations/0009_tallies.sql): the
//! triggers that keep them, their rebuild from the records, and reading them.
//!
//! A record counts in its month, its review status and its village, once in every dimension
//! (each node, format, audience, law and campaign it names; each material it handed out), both
//! on its village's rows and on the town's ('*'). Every write to a record, its campaign links
//! or its hand-outs moves the tallies in the same statement, so they are as transactional as
//! the records themselves.

use crate::error::Result;
use rusqlite::Connection;
use std::collections::HashMap;

/// The summed columns of `record_tally`, in order.
pub(crate) const SUMS: [&str; 12] = [
    "activities",
    "participants",
    "reach",
    "consultations",
    "banners",
    "boards",
    "vehicles",
    "online_posts",
    "online_views",
    "disputes",
    "legal_aid_cases",
    "quantity",
];

/// A record's sums of [`record_sums`] order, from its participants, reach and counts.
pub(crate) fn record_sums_of(
    participants: i64,
    reach: i64,
    counts: &crate::record_fields::RecordCounts,
) -> [i64; 10] {
    let values = counts.values();
    record_sums()
        .iter()
        .map(|c| match *c {
            "participants" => participants,
            "reach" => reach,
            c => crate::record_fields::COUNTS
                .iter()
                .position(|f| f.column == c)
                .map_or(0, |i| values[i]),
        })
        .collect::<Vec<_>>()
        .try_into()
        .expect("ten sums")
}

/// The record columns summed into the tallies (the sums between 场次 and the quantity).
pub(crate) fn record_sums() -> &'static [&'static str] {
    &SUMS[1..11]
}

/// The dimensions read from a record's JSON arrays: (dim, column).
const JSON_DIMS: [(&str, &str); 4] = [
    ("node", "nodes"),
    ("format", "formats"),
    ("audience", "audiences"),
    ("law", "laws"),
];

/// The two levels a row is tallied at: the town ('*') and its own village.
const LEVELS: &str = "(SELECT 0 AS lvl UNION ALL SELECT 1 AS lvl) l";

fn level_unit(r: &str) -> String {
    format!("CASE l.lvl WHEN 0 THEN '*' ELSE coalesce({r}.unit_id, '') END")
}

/// `INSERT … SELECT {select} … ON CONFLICT DO UPDATE` adding to the tallies (`select` yields
/// unit_id, month, status, dim, key and the twelve sums; it must end in a WHERE clause).
fn upsert(select: &str) -> String {
    let cols = SUMS.join(", ");
    let add = SUMS
        .iter()
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO record_tally (unit_id, month, status, dim, key, {cols})
         {select}
         ON CONFLICT (unit_id, month, status, dim, key) DO UPDATE SET {add};\n"
    )
}

/// The keyed dimensions of record `r` as (dim, key) rows; with `links`, also its campaigns.
fn keys(r: &str, links: bool) -> String {
    let mut parts = vec![format!(
        "SELECT 'village' AS dim, coalesce({r}.unit_id, '') AS key"
    )];
    for (dim, column) in JSON_DIMS {
        parts.push(format!(
            "SELECT '{dim}', value FROM json_each({r}.{column})"
        ));
    }
    if links {
        parts.push(format!(
            "SELECT 'campaign', campaign_id FROM record_campaign WHERE record_id = {r}.id"
        ));
    }
    parts.join(" UNION ALL ")
}

/// A record's 专项 key: its campaign ids (sorted, from `links`, a SELECT of ids named x) and
/// its first node — "c1,c2|node". The Word report turns it into one row per record (the
/// earliest campaign, else the node, else 日常普法); the campaigns' dates and names are looked
/// up then, so editing a campaign needs no recount.
fn topic_key(r: &str, links: &str) -> String {
    format!(
        "coalesce((SELECT group_concat(x) FROM ({links} ORDER BY 1)), '') || '|' ||
         coalesce(json_extract({r}.nodes, '$[0]'), '')"
    )
}

fn record_links(r: &str) -> String {
    format!("SELECT campaign_id AS x FROM record_campaign WHERE record_id = {r}.id")
}

/// Statements adding (`sign` "1") or taking away ("-1") record `r` ("NEW"/"OLD") in every
/// dimension; `links` also its campaign links and hand-outs (absent when it is inserted).
fn apply_record(r: &str, sign: &str, links: bool) -> String {
    let unit = level_unit(r);
    let head = format!("SELECT {unit}, substr({r}.date, 1, 7), {r}.review_status");
    let sums = record_sums()
        .iter()
        .map(|c| format!("{sign} * {r}.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = upsert(&format!(
        "{head}, 'all', '', {sign}, {sums}, 0 FROM {LEVELS} WHERE 1"
    ));
    sql += &upsert(&format!(
        "{head}, k.dim, k.key, {sign}, {sign} * {r}.participants, {sign} * {r}.reach,
                0, 0, 0, 0, 0, 0, 0, 0, 0
         FROM {LEVELS}, ({keys}) k WHERE NOT (l.lvl = 1 AND k.dim = 'village')",
        keys = keys(r, links)
    ));
    sql += &upsert(&format!(
        "{head}, 'topic', {key}, {sign}, {sign} * {r}.participants, {sign} * {r}.reach,
                0, 0, 0, 0, 0, 0, 0, 0, 0
         FROM {LEVELS} WHERE 1",
        key = topic_key(r, &record_links(r))
    ));
    if links {
        sql += &upsert(&format!(
            "{head}, 'material', m.material_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {sign} * m.quantity
             FROM {LEVELS}, stock_movement m WHERE m.record_id = {r}.id AND m.kind = 'handout'"
        ));
    }
    sql
}

/// One campaign link (`c` = NEW/OLD of record_campaign) of a record still there: counted for
/// the campaign, and the record's 专项 key moves from the links before to the links after.
fn apply_link(c: &str, sign: &str) -> String {
    let unit = level_unit("r");
    let head = format!("SELECT {unit}, substr(r.date, 1, 7), r.review_status");
    let links = record_links("r");
    let (before, after) = if sign == "1" {
        (format!("{links} AND campaign_id <> {c}.campaign_id"), links)
    } else {
        (format!("{links} UNION SELECT {c}.campaign_id"), links)
    };
    let topic = |key: String, sign: &str| {
        upsert(&format!(
            "{head}, 'topic', {key}, {sign}, {sign} * r.participants, {sign} * r.reach,
                    0, 0, 0, 0, 0, 0, 0, 0, 0
             FROM record r, {LEVELS} WHERE r.id = {c}.record_id"
        ))
    };
    upsert(&format!(
        "{head}, 'campaign', {c}.campaign_id,
                {sign}, {sign} * r.participants, {sign} * r.reach, 0, 0, 0, 0, 0, 0, 0, 0, 0
         FROM record r, {LEVELS} WHERE r.id = {c}.record_id"
    )) + &topic(topic_key("r", &before), "-1")
        + &topic(topic_key("r", &after), "1")
}

/// One hand-out (`m` = NEW/OLD of stock_movement) of a record still there.
fn apply_handout(m: &str, sign: &str) -> String {
    let unit = level_unit("r");
    upsert(&format!(
        "SELECT {unit}, substr(r.date, 1, 7), r.review_status, 'material', {m}.material_id,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {sign} * {m}.quantity
         FROM record r, {LEVELS} WHERE r.id = {m}.record_id AND {m}.kind = 'handout'"
    ))
}

fn apply_activity(a: &str, sign: &str) -> String {
    let unit = level_unit(a);
    format!(
        "INSERT INTO activity_tally (unit_id, month, status, n)
         SELECT {unit}, substr({a}.date, 1, 7), {a}.status, {sign} FROM {LEVELS} WHERE 1
         ON CONFLICT (unit_id, month, status) DO UPDATE SET n = n + excluded.n;\n"
    )
}

fn create_trigger(name: &str, when: &str, body: String) -> String {
    format!("CREATE TRIGGER {name} {when} BEGIN\n{body}END;\n")
}

/// The triggers tallying records, their campaign links and hand-outs: (name, CREATE TRIGGER).
fn record_triggers() -> [(&'static str, String); 8] {
    let record_columns = format!(
        "date, unit_id, review_status, nodes, formats, audiences, laws, {}",
        record_sums().join(", ")
    );
    let t = |name: &'static str, when: &str, body: String| (name, create_trigger(name, when, body));
    [
        t(
            "record_tally_in",
            "AFTER INSERT ON record",
            apply_record("NEW", "1", false),
        ),
        t(
            "record_tally_change",
            &format!("AFTER UPDATE OF {record_columns} ON record"),
            apply_record("OLD", "-1", true) + &apply_record("NEW", "1", true),
        ),
        // Before: the links and hand-outs are still there. Their own delete triggers, run by
        // the cascade after the record is gone, then find no record and add nothing.
        t(
            "record_tally_out",
            "BEFORE DELETE ON record",
            apply_record("OLD", "-1", true),
        ),
        t(
            "record_campaign_tally_in",
            "AFTER INSERT ON record_campaign",
            apply_link("NEW", "1"),
        ),
        t(
            "record_campaign_tally_out",
            "AFTER DELETE ON record_campaign",
            apply_link("OLD", "-1"),
        ),
        t(
            "handout_tally_in",
            "AFTER INSERT ON stock_movement",
            apply_handout("NEW", "1"),
        ),
        t(
            "handout_tally_out",
            "AFTER DELETE ON stock_movement",
            apply_handout("OLD", "-1"),
        ),
        t(
            "handout_tally_change",
            "AFTER UPDATE OF material_id, kind, quantity, record_id ON stock_movement",
            apply_handout("OLD", "-1") + &apply_handout("NEW", "1"),
        ),
    ]
}

/// The triggers tallying planned activities: (name, CREATE TRIGGER).
fn activity_triggers() -> [(&'static str, String); 3] {
    let t = |name: &'static str, when: &str, body: String| (name, create_trigger(name, when, body));
    [
        t(
            "activity_tally_in",
            "AFTER INSERT ON activity",
            apply_activity("NEW", "1"),
        ),
        t(
            "activity_tally_change",
            "AFTER UPDATE OF date, unit_id, status ON activity",
            apply_activity("OLD", "-1") + &apply_activity("NEW", "1"),
        ),
        t(
            "activity_tally_out",
            "AFTER DELETE ON activity",
            apply_activity("OLD", "-1"),
        ),
    ]
}

fn drop_triggers<'a>(conn: &Connection, names: impl IntoIterator<Item = &'a str>) -> Result<()> {
    for name in names {
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {name};"))?;
    }
    Ok(())
}

/// Fills the tallies from the records and activities (after emptying them).
pub(crate) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute_batch(&rebuild_sql())?;
    Ok(())
}

/// The statements of [`rebuild`].
fn rebuild_sql() -> String {
    let unit = level_unit("r");
    let totals = record_sums()
        .iter()
        .map(|c| format!("sum(r.{c})"))
        .collect::<Vec<_>>()
        .join(", ");
    let head = format!("SELECT {unit} AS u, substr(r.date, 1, 7) AS m, r.review_status AS s");
    let mut sql = String::from("DELETE FROM record_tally; DELETE FROM activity_tally;\n");
    sql += &upsert(&format!(
        "{head}, 'all', '', count(*), {totals}, 0 FROM record r, {LEVELS} WHERE 1 GROUP BY u, m, s"
    ));
    // The town's rows by village.
    sql += &upsert(
        "SELECT '*' AS u, substr(r.date, 1, 7) AS m, r.review_status AS s, 'village',
                coalesce(r.unit_id, '') AS k, count(*), sum(r.participants), sum(r.reach),
                0, 0, 0, 0, 0, 0, 0, 0, 0
         FROM record r WHERE 1 GROUP BY m, s, k",
    );
    for (dim, column) in JSON_DIMS {
        sql += &upsert(&format!(
            "{head}, '{dim}', j.value AS k, count(*), sum(r.participants), sum(r.reach),
                    0, 0, 0, 0, 0, 0, 0, 0, 0
             FROM record r, {LEVELS}, json_each(r.{column}) j WHERE 1 GROUP BY u, m, s, k"
        ));
    }
    sql += &upsert(&format!(
        "{head}, 'topic', {key} AS k, count(*), sum(r.participants), sum(r.reach),
                0, 0, 0, 0, 0, 0, 0, 0, 0
         FROM record r, {LEVELS} WHERE 1 GROUP BY u, m, s, k",
        key = topic_key("r", &record_links("r"))
    ));
    sql += &upsert(&format!(
        "{head}, 'campaign', c.campaign_id, count(*), sum(r.participants), sum(r.reach),
                0, 0, 0, 0, 0, 0, 0, 0, 0
         FROM record r JOIN record_campaign c ON c.record_id = r.id, {LEVELS}
         WHERE 1 GROUP BY u, m, s, c.campaign_id"
    ));
    sql += &upsert(&format!(
        "{head}, 'material', h.material_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(h.quantity)
         FROM record r JOIN stock_movement h ON h.record_id = r.id AND h.kind = 'handout', {LEVELS}
         WHERE 1 GROUP BY u, m, s, h.material_id"
    ));
    let unit = level_unit("a");
    sql += &format!(
        "INSERT INTO activity_tally (unit_id, month, status, n)
         SELECT {unit} AS u, substr(a.date, 1, 7) AS m, a.status AS s, count(*)
         FROM activity a, {LEVELS} GROUP BY u, m, s;\n"
    );
    sql
}

/// Drops the triggers for a bulk load of many rows in one transaction (tallying them row by
/// row would take longer than counting them once); [`resume`] must follow in the same one.
pub(crate) fn suspend(conn: &Connection) -> Result<()> {
    drop_triggers(conn, record_triggers().iter().map(|(name, _)| *name))?;
    drop_triggers(conn, activity_triggers().iter().map(|(name, _)| *name))
}

/// Recreates the triggers and recounts the tallies.
pub(crate) fn resume(conn: &Connection) -> Result<()> {
    suspend(conn)?;
    for (_, sql) in record_triggers().iter().chain(activity_triggers().iter()) {
        conn.execute_batch(sql)?;
    }
    rebuild(conn)
}

/// The record triggers, dropped while a batch of new records is written in one transaction
/// (record::bulk, which counts them itself with [`NewRecordTallies`] and puts the triggers
/// back). Meanwhile only new records, their links and hand-outs may be written: changes to
/// others would go uncounted. Planned activities stay tallied as they change.
pub(crate) fn record_trigger_names() -> Vec<&'static str> {
    record_triggers().iter().map(|(name, _)| *name).collect()
}

/// A new record as the tallies count it.
pub(crate) struct TalliedRecord<'a> {
    pub unit_id: &'a str,
    /// YYYY-MM-DD.
    pub date: &'a str,
    pub review_status: &'static str,
    /// The record columns of [`record_sums`], in order.
    pub sums: [i64; 10],
    /// The codes or names of its JSON arrays, in the order of [`JSON_DIMS`].
    pub lists: [Vec<String>; 4],
    pub campaign_ids: &'a [String],
    /// Hand-outs: (material id, quantity).
    pub handouts: Vec<(&'a str, i64)>,
}

/// The tallies of a batch of new records counted in memory as the triggers would count them
/// one by one (record::bulk), then added with one upsert per key: for 10,000 records a few
/// thousand statements instead of some twenty a record. The two must count alike; the bulk
/// tests compare them.
#[derive(Default)]
pub(crate) struct NewRecordTallies {
    /// (unit, month, status) → dim → key → the sums of [`SUMS`].
    groups: HashMap<(String, String, &'static str), TallyKeys>,
}

type TallyKeys = HashMap<&'static str, HashMap<String, [i64; 12]>>;

impl NewRecordTallies {
    pub(crate) fn add(&mut self, r: &TalliedRecord) {
        let month = &r.date[..7];
        let [participants, reach, ..] = r.sums;
        let mut all = [0; 12];
        all[0] = 1;
        all[1..11].copy_from_slice(&r.sums);
        let mut keyed = [0; 12];
        keyed[..3].copy_from_slice(&[1, participants, reach]);
        let first_node = r.lists[0].first().map(String::as_str).unwrap_or("");
        let mut campaigns: Vec<&str> = r.campaign_ids.iter().map(String::as_str).collect();
        campaigns.sort();
        let topic = format!("{}|{first_node}", campaigns.join(","));
        // The town's rows ('*') and the village's.
        for unit in ["*", r.unit_id] {
            let group = self
                .groups
                .entry((unit.to_string(), month.to_string(), r.review_status))
                .or_default();
            let mut add = |dim: &'static str, key: &str, sums: [i64; 12]| {
                let keys = group.entry(dim).or_default();
                let row = match keys.get_mut(key) {
                    Some(row) => row,
                    None => keys.entry(key.to_string()).or_default(),
                };
                for (total, n) in row.iter_mut().zip(sums) {
                    *total += n;
                }
            };
            add("all", "", all);
            if unit == "*" {
                add("village", r.unit_id, keyed);
            }
            for ((dim, _), list) in JSON_DIMS.iter().zip(&r.lists) {
                for key in list {
                    add(dim, key, keyed);
                }
            }
            for campaign in r.campaign_ids {
                add("campaign", campaign, keyed);
            }
            add("topic", &topic, keyed);
            for (material, quantity) in &r.handouts {
                let mut sums = [0; 12];
                sums[11] = *quantity;
                add("material", material, sums);
            }
        }
    }

    /// Adds the counts to the tallies.
    pub(crate) fn write(&self, conn: &Connection) -> Result<()> {
        let values = (1..=17)
            .map(|n| format!("?{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = conn.prepare_cached(&upsert(&format!("SELECT {values} WHERE 1")))?;
        for ((unit, month, status), dims) in &self.groups {
            for (dim, keys) in dims {
                for (key, sums) in keys {
                    let head: [&dyn rusqlite::ToSql; 5] = [unit, month, status, dim, key];
                    let sums = sums.iter().map(|n| n as &dyn rusqlite::ToSql);
                    stmt.execute(rusqlite::params_from_iter(head.into_iter().chain(sums)))?;
                }
            }
        }
        Ok(())
    }
}
