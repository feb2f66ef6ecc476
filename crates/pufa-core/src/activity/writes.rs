//! Writing activities: create, update (one or the following of a series), status, delete.
use super::*;

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
        )),
    }
}

pub(crate) fn insert(
    tx: &Transaction,
    c: &Checked,
    date: NaiveDate,
    series_id: Option<&str>,
) -> Result<String> {
    let id = new_id();
    let ts = now();
    tx.execute(
        "INSERT INTO activity (id, title, date, start_time, end_time, unit_id, venue_type, venue,
             formats, audiences, laws, nodes, lead_person_id, partners, materials,
             expected_audience, status, status_reason, series_id, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
             'planned', '', ?17, ?18, ?19, ?19)",
        params![
            id,
            c.title,
            date.to_string(),
            c.start_time,
            c.end_time,
            c.unit_id,
            c.venue_type,
            c.venue,
            c.formats,
            c.audiences,
            c.laws,
            c.nodes,
            c.lead_person_id,
            c.partners,
            c.materials,
            c.expected_audience,
            series_id,
            c.notes,
            ts
        ],
    )?;
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
    tx.execute(
        "UPDATE activity SET title = ?2, date = ?3, start_time = ?4, end_time = ?5, unit_id = ?6,
             venue_type = ?7, venue = ?8, formats = ?9, audiences = ?10, laws = ?11, nodes = ?12,
             lead_person_id = ?13, partners = ?14, materials = ?15, expected_audience = ?16,
             notes = ?17, updated_at = ?18,
             series_exception = series_exception OR (?19 AND series_id IS NOT NULL)
         WHERE id = ?1",
        params![
            id,
            c.title,
            date.to_string(),
            c.start_time,
            c.end_time,
            c.unit_id,
            c.venue_type,
            c.venue,
            c.formats,
            c.audiences,
            c.laws,
            c.nodes,
            c.lead_person_id,
            c.partners,
            c.materials,
            c.expected_audience,
            c.notes,
            now(),
            exception
        ],
    )?;
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
