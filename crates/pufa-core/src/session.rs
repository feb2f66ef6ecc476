//! The town this computer works for and who is using it, as every write reads them: the
//! settings, the town's row, the current user. Below `audit` (which names the user in every
//! entry), `unit` and `town` (whose set-up writes them), so none of those needs another.

use crate::domain::UserRole;
use crate::error::{AppError, ErrorCode, Result};
use crate::validate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Town {
    pub id: String,
    pub name: String,
    pub county: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserProfile {
    pub id: String,
    pub name: String,
    pub role: UserRole,
    /// The village of a village cadre.
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
}

pub fn get_town(conn: &rusqlite::Connection) -> Result<Option<Town>> {
    Ok(conn
        .query_row(
            "SELECT id, name, county, created_at, updated_at FROM town LIMIT 1",
            [],
            |r| {
                Ok(Town {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    county: r.get(2)?,
                    created_at: r.get(3)?,
                    updated_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

pub fn require_town(conn: &rusqlite::Connection) -> Result<Town> {
    get_town(conn)?.ok_or_else(|| {
        AppError::new(
            ErrorCode::NotInitialized,
            "尚未设置乡镇：请先完成首次设置（pufa-planner init …）或载入示例乡镇（pufa-planner demo）",
        )
    })
}

pub fn setting(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>> {
    // Cached: every audited write reads the current user through here.
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub fn set_setting(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn current_user(conn: &rusqlite::Connection) -> Result<Option<UserProfile>> {
    let Some(id) = setting(conn, "current_user_id")? else {
        return Ok(None);
    };
    conn.prepare_cached(
        "SELECT p.id, p.name, p.role, p.unit_id, u.name
             FROM user_profile p LEFT JOIN unit u ON u.id = p.unit_id WHERE p.id = ?1",
    )?
    .query_row([id], |r| {
        let role: String = r.get(2)?;
        Ok((
            UserProfile {
                id: r.get(0)?,
                name: r.get(1)?,
                role: UserRole::Coordinator,
                unit_id: r.get(3)?,
                unit_name: r.get(4)?,
            },
            role,
        ))
    })
    .optional()?
    .map(|(mut user, role)| {
        // A role this build does not know is an error naming the user, never a guess
        // (a guessed coordinator could review and approve).
        user.role = UserRole::parse("role", &role).map_err(|_| {
            AppError::new(
                ErrorCode::InvalidValue,
                format!(
                    "用户“{}”的角色“{}”无法识别",
                    validate::clip(&user.name),
                    validate::clip(&role)
                ),
            )
        })?;
        Ok(user)
    })
    .transpose()
}
