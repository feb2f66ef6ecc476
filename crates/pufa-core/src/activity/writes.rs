//! Writing activities: create, update (one or the following of a series), status, delete.
use super::*;
use rusqlite::ToSql;

/// JSON text of a list column.
pub(super) fn to_json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}

pub(super) fn resolve_person(conn: &Connection, id_or_name: &str) -> Result<String> {
    let hits: Vec<String> = conn
        .prepare_cached("SELECT id FROM person WHERE id = ?1 OR (name = ?1 AND archived = 0)")?
        .query_map([id_or_name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match hits.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(AppError::field(
            ErrorCode::NotFound,
            "lead_person_id",
            format!("找不到人员“{}”", validate::clip(id_or_name)),
        )),
        _ => Err(AppError::field(
            ErrorCode::Duplicate,
            "lead_person_id",
            format!(
                "有多位名叫“{}”的人员，请从列表中选择",
                validate::clip(id_or_name)
            ),
        )
        .with("value", validate::clip(id_or_name))
        .with("clash", "ambiguous")),
    }
}

/// The columns the form writes besides the date, declared once: the INSERT and UPDATE lists
/// and their values come from this list (`Checked` has a field of each name).
macro_rules! form_columns {
    ($($column:ident),* $(,)?) => {
        pub(super) const FORM_COLUMNS: &[&str] = &[$(stringify!($column)),*];

        /// The values of [`FORM_COLUMNS`], in their order.
        fn form_values(c: &Checked) -> Vec<&dyn ToSql> {
            vec![$(&c.$column),*]
        }
    };
}

form_columns!(
    title,
    start_time,
    end_time,
    unit_id,
    venue_type,
    venue,
    formats,
    audiences,
    laws,
    nodes,
    lead_person_id,
    partners,
    materials,
    expected_audience,
    notes,
);

struct WriteSql {
    /// ?1 id, ?2 date, the form's columns, then series_id and the time stamp.
    insert: String,
    /// ?1 id, ?2 date, the form's columns, then the time stamp and whether an occurrence of a
    /// series is edited alone (it becomes an exception).
    update: String,
}

fn sql() -> &'static WriteSql {
    static SQL: std::sync::OnceLock<WriteSql> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let n = FORM_COLUMNS.len();
        let at = |i: usize| format!("?{}", i + 3);
        let placeholders: Vec<String> = (0..n).map(at).collect();
        let sets: Vec<String> = FORM_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = {}", at(i)))
            .collect();
        WriteSql {
            insert: format!(
                "INSERT INTO activity (id, date, {}, status, status_reason, series_id,
                     created_at, updated_at)
                 VALUES (?1, ?2, {}, 'planned', '', {}, {ts}, {ts})",
                FORM_COLUMNS.join(", "),
                placeholders.join(", "),
                at(n),
                ts = at(n + 1),
            ),
            update: format!(
                "UPDATE activity SET date = ?2, {}, updated_at = {},
                     series_exception = series_exception OR ({} AND series_id IS NOT NULL)
                 WHERE id = ?1",
                sets.join(", "),
                at(n),
                at(n + 1),
            ),
        }
    })
}

pub(crate) fn insert(
    tx: &Transaction,
    c: &Checked,
    date: NaiveDate,
    series_id: Option<&str>,
) -> Result<String> {
    let id = new_id();
    let ts = now();
    let date = date.to_string();
    let mut values: Vec<&dyn ToSql> = vec![&id, &date];
    values.extend(form_values(c));
    values.extend([&series_id as &dyn ToSql, &ts]);
    tx.execute(&sql().insert, &values[..])?;
    link_campaigns(tx, &id, &c.campaign_ids)?;
    audit::changed(tx, "activity", &id, "create", None, Some(&get(tx, &id)?))?;
    Ok(id)
}

pub(super) fn link_campaigns(tx: &Transaction, id: &str, campaign_ids: &[String]) -> Result<()> {
    tx.execute("DELETE FROM activity_campaign WHERE activity_id = ?1", [id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO activity_campaign (activity_id, campaign_id) VALUES (?1, ?2)",
    )?;
    for c in campaign_ids {
        stmt.execute(params![id, c])?;
    }
    Ok(())
}

/// Creates one activity, or a series when `recurrence` is given; returns the first.
pub fn create(
    db: &mut Db,
    input: &ActivityInput,
    recurrence: Option<&Recurrence>,
) -> Result<Vec<Activity>> {
    let c = check(&db.conn, input)?;
    let dates = match recurrence {
        Some(r) => expand(c.date, r)?,
        None => vec![c.date],
    };
    let ids = db.with_tx(|tx| {
        require_town(tx)?;
        let series_id = match recurrence {
            Some(r) => {
                let id = new_id();
                let ts = now();
                tx.execute(
                    "INSERT INTO activity_series (id, rule, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?3)",
                    params![id, serde_json::to_string(r).expect("rule serialises"), ts],
                )?;
                Some(id)
            }
            None => None,
        };
        dates
            .iter()
            .map(|d| insert(tx, &c, *d, series_id.as_deref()))
            .collect::<Result<Vec<_>>>()
    })?;
    ids.iter().map(|id| get(&db.conn, id)).collect()
}

/// Updates one occurrence, or — with `Following` — this and every later one of its series
/// (each keeps its own date; the date change is applied as a shift).
pub fn update(
    db: &mut Db,
    id: &str,
    input: &ActivityInput,
    scope: SeriesScope,
) -> Result<Activity> {
    let c = check(&db.conn, input)?;
    db.with_tx(|tx| {
        let current = get(tx, id)?;
        let targets: Vec<(String, NaiveDate)> = match (&current.series_id, scope) {
            (Some(series), SeriesScope::Following) => tx
                .prepare_cached(
                    "SELECT id, date FROM activity WHERE series_id = ?1 AND date >= ?2
                     ORDER BY date",
                )?
                .query_map(params![series, current.date], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .map(|r| {
                    let (id, d) = r?;
                    let date = stored_date(&id, &d)?;
                    Ok((id, date))
                })
                .collect::<Result<_>>()?,
            _ => vec![(id.to_string(), stored_date(id, &current.date)?)],
        };
        let current_date = stored_date(id, &current.date)?;
        let shift = c.date - current_date;
        for (target, date) in &targets {
            write_update(tx, target, &c, *date + shift, scope == SeriesScope::This)?;
        }
        Ok(())
    })?;
    get(&db.conn, id)
}

pub(super) fn write_update(
    tx: &Transaction,
    id: &str,
    c: &Checked,
    date: NaiveDate,
    exception: bool,
) -> Result<()> {
    let before = get(tx, id)?;
    let (date, ts) = (date.to_string(), now());
    let mut values: Vec<&dyn ToSql> = vec![&id, &date];
    values.extend(form_values(c));
    values.extend([&ts as &dyn ToSql, &exception]);
    tx.execute(&sql().update, &values[..])?;
    link_campaigns(tx, id, &c.campaign_ids)?;
    audit::changed(
        tx,
        "activity",
        id,
        "update",
        Some(&before),
        Some(&get(tx, id)?),
    )
}

/// Moves an activity to another day and/or time (drag and drop on the calendar).
pub fn reschedule(
    db: &mut Db,
    id: &str,
    date: &str,
    start_time: Option<&str>,
    end_time: Option<&str>,
) -> Result<Activity> {
    let current = get(&db.conn, id)?;
    let input = ActivityInput {
        date: date.to_string(),
        start_time: start_time.map(str::to_string),
        end_time: end_time.map(str::to_string),
        ..input_from(&current)
    };
    update(db, id, &input, SeriesScope::This)
}

/// The input that would recreate `a` (used to edit one field, copy a plan, apply undo).
pub fn input_from(a: &Activity) -> ActivityInput {
    ActivityInput {
        title: a.title.clone(),
        date: a.date.clone(),
        start_time: a.start_time.clone(),
        end_time: a.end_time.clone(),
        unit_id: a.unit_id.clone(),
        venue_type: a.venue_type.map(|v| v.code().to_string()),
        venue: Some(a.venue.clone()),
        formats: a.formats.iter().map(|f| f.code().to_string()).collect(),
        audiences: a.audiences.iter().map(|x| x.code().to_string()).collect(),
        laws: a.laws.clone(),
        campaign_ids: a.campaign_ids.clone(),
        nodes: a.nodes.clone(),
        lead_person_id: a.lead_person_id.clone(),
        partners: a.partners.clone(),
        materials: a.materials.clone(),
        expected_audience: a.expected_audience.map(i64::from),
        notes: Some(a.notes.clone()),
    }
}

/// Marks an activity cancelled or postponed (with a reason), or back to planned.
pub fn set_status(db: &mut Db, id: &str, status: &str, reason: Option<&str>) -> Result<Activity> {
    let status = ActivityStatus::parse("status", status)?;
    let reason = validate::notes("status_reason", reason, 300)?;
    if matches!(
        status,
        ActivityStatus::Cancelled | ActivityStatus::Postponed
    ) && reason.is_empty()
    {
        return Err(AppError::field(
            ErrorCode::Required,
            "status_reason",
            format!("标记为“{}”时请填写原因", status.label()),
        ));
    }
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        tx.execute(
            "UPDATE activity SET status = ?2, status_reason = ?3, updated_at = ?4,
                 series_exception = CASE WHEN series_id IS NULL THEN 0 ELSE 1 END
             WHERE id = ?1",
            params![id, status.code(), reason, now()],
        )?;
        audit::changed(
            tx,
            "activity",
            id,
            "status",
            Some(&before),
            Some(&get(tx, id)?),
        )?;
        Ok(())
    })?;
    get(&db.conn, id)
}

/// Deletes one occurrence, or this and the later ones of its series. Returns the ids deleted.
pub fn delete(db: &mut Db, id: &str, scope: SeriesScope) -> Result<Vec<String>> {
    db.with_tx(|tx| {
        let current = get(tx, id)?;
        let ids: Vec<String> = match (&current.series_id, scope) {
            (Some(series), SeriesScope::Following) => tx
                .prepare_cached("SELECT id FROM activity WHERE series_id = ?1 AND date >= ?2")?
                .query_map(params![series, current.date], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            _ => vec![id.to_string()],
        };
        for i in &ids {
            let before = get(tx, i)?;
            tx.execute("DELETE FROM activity WHERE id = ?1", [i])?;
            audit::changed(tx, "activity", i, "delete", Some(&before), None)?;
        }
        Ok(ids)
    })
}
