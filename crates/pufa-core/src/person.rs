//! People of 普法 work: 村干部, 法律顾问, 法治副校长, 民警, 法律明白人, 志愿者 …

use crate::audit;
use crate::db::{parsed_column, Db};
use crate::domain::PersonRole;
use crate::error::{AppError, ErrorCode, Result};
use crate::town::require_town;
use crate::{new_id, now, validate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: PersonRole,
    pub phone: String,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub notes: String,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct PersonInput {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// Id (or name) of the village / unit the person belongs to.
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct PersonFilter {
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub include_archived: bool,
}

const SELECT: &str = "SELECT p.id, p.name, p.role, p.phone, p.unit_id, u.name, p.notes, p.archived,
                             p.created_at, p.updated_at
                      FROM person p LEFT JOIN unit u ON u.id = p.unit_id";

fn from_row(r: &Row) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        role: parsed_column(r, 2, "人员", |s| PersonRole::parse("role", s))?,
        phone: r.get(3)?,
        unit_id: r.get(4)?,
        unit_name: r.get(5)?,
        notes: r.get(6)?,
        archived: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

pub fn list(conn: &Connection, filter: &PersonFilter) -> Result<Vec<Person>> {
    let role = match filter.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(PersonRole::parse("role", r)?.code()),
        None => None,
    };
    let unit = filter.unit_id.as_deref().filter(|u| !u.is_empty());
    let search = filter.search.as_deref().map(str::trim).unwrap_or("");
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR p.role = ?1) AND (?2 IS NULL OR p.unit_id = ?2)
           AND (?3 = '' OR instr(p.name, ?3) > 0 OR instr(p.phone, ?3) > 0 OR instr(coalesce(u.name, ''), ?3) > 0)
           AND (?4 OR p.archived = 0)
         ORDER BY u.sort_order IS NULL, u.sort_order, p.role, p.name"
    ))?;
    let rows = stmt.query_map(
        params![role, unit, search, filter.include_archived],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Person> {
    conn.query_row(&format!("{SELECT} WHERE p.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| AppError::not_found("人员", id))
}

struct Checked {
    name: String,
    role: PersonRole,
    phone: String,
    unit_id: Option<String>,
    notes: String,
}

fn check(conn: &Connection, input: &PersonInput) -> Result<Checked> {
    let phone = validate::optional_line("phone", input.phone.as_deref(), 20)?;
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " -+()".contains(c))
    {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "phone",
            format!(
                "电话“{}”只能包含数字、空格、“-”和“+”",
                validate::clip(&phone)
            ),
        ));
    }
    let unit_id = match input
        .unit_id
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) => Some(crate::unit::resolve(conn, u, "unit_id")?.id),
        None => None,
    };
    Ok(Checked {
        name: validate::name("name", &input.name, 30)?,
        role: PersonRole::parse("role", &input.role)?,
        phone,
        unit_id,
        notes: validate::notes("notes", input.notes.as_deref(), 1000)?,
    })
}

/// A person row from a package or a backup: exactly what [`check`] makes of its fields.
pub(crate) fn check_stored(conn: &Connection, s: &crate::stored::Stored) -> Result<()> {
    let c = check(
        conn,
        &PersonInput {
            name: s.text("name")?.to_string(),
            role: s.text("role")?.to_string(),
            phone: Some(s.text("phone")?.to_string()),
            unit_id: s.opt_text("unit_id")?.map(str::to_string),
            notes: Some(s.text("notes")?.to_string()),
        },
    )?;
    s.same("name", c.name)?;
    s.same("role", c.role.code())?;
    s.same("phone", c.phone)?;
    s.same("unit_id", c.unit_id)?;
    s.same("notes", c.notes)?;
    s.flag("archived")?;
    Ok(())
}

pub fn create(db: &mut Db, input: &PersonInput) -> Result<Person> {
    let id = db.with_tx(|tx| {
        require_town(tx)?;
        let c = check(tx, input)?;
        let id = new_id();
        let ts = now();
        tx.execute(
            "INSERT INTO person (id, name, role, phone, unit_id, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, c.name, c.role.code(), c.phone, c.unit_id, c.notes, ts],
        )?;
        audit::changed(tx, "person", &id, "create", None, Some(&get(tx, &id)?))?;
        Ok(id)
    })?;
    get(&db.conn, &id)
}

pub fn update(db: &mut Db, id: &str, input: &PersonInput) -> Result<Person> {
    db.with_tx(|tx| {
        let before = get(tx, id)?;
        let c = check(tx, input)?;
        tx.execute(
            "UPDATE person SET name = ?2, role = ?3, phone = ?4, unit_id = ?5, notes = ?6, updated_at = ?7
             WHERE id = ?1",
            params![id, c.name, c.role.code(), c.phone, c.unit_id, c.notes, now()],
        )?;
        audit::changed(tx, "person", id, "update", Some(&before), Some(&get(tx, id)?))?;
        Ok(())
    })?;
    get(&db.conn, id)
}

pub fn set_archived(db: &mut Db, id: &str, archived: bool) -> Result<Person> {
    audit::set_archived(db, "person", id, archived, get)
}

pub fn delete(db: &mut Db, id: &str) -> Result<()> {
    audit::delete(db, "person", id, get)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::town::{setup, SetupInput};

    fn db() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        setup(
            &mut db,
            &SetupInput {
                town: "双龙镇".into(),
                villages: vec!["安静村,石院村".into()],
                ..Default::default()
            },
        )
        .unwrap();
        db
    }

    fn input(name: &str, role: &str, unit: Option<&str>) -> PersonInput {
        PersonInput {
            name: name.into(),
            role: role.into(),
            phone: Some("138 0000 1111".into()),
            unit_id: unit.map(Into::into),
            notes: None,
        }
    }

    #[test]
    fn people_belong_to_villages() {
        let mut db = db();
        let p = create(
            &mut db,
            &input("张华", "legal_understander", Some("安静村")),
        )
        .unwrap();
        assert_eq!(p.unit_name.as_deref(), Some("安静村"));
        assert_eq!(p.role, PersonRole::LegalUnderstander);
        let p = update(&mut db, &p.id, &input("张华", "法律顾问", Some("石院村"))).unwrap();
        assert_eq!(
            (p.role, p.unit_name.as_deref()),
            (PersonRole::LegalAdviser, Some("石院村"))
        );
        let f = PersonFilter {
            search: Some("石院".into()),
            ..Default::default()
        };
        assert_eq!(list(&db.conn, &f).unwrap().len(), 1);
        // Deleting the village keeps the person, without a village.
        let unit_id = p.unit_id.clone().unwrap();
        crate::unit::delete(&mut db, &unit_id).unwrap();
        assert_eq!(get(&db.conn, &p.id).unwrap().unit_id, None);
    }

    #[test]
    fn bad_people_are_refused() {
        let mut db = db();
        let e = create(&mut db, &input("张华", "emperor", None)).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidValue, Some("role"))
        );
        let e = create(&mut db, &input("张华", "police", Some("火星村"))).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::NotFound, Some("unit_id"))
        );
        let mut bad_phone = input("张华", "police", None);
        bad_phone.phone = Some("call me".into());
        assert_eq!(
            create(&mut db, &bad_phone).unwrap_err().field.as_deref(),
            Some("phone")
        );
        assert!(list(&db.conn, &PersonFilter::default()).unwrap().is_empty());
    }
}
