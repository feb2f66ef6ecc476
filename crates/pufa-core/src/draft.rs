//! Form drafts, saved as the user types and restored after a crash or close. A draft is
//! committed to the database on every save, so killing the process loses at most the
//! keystrokes of the last debounce interval.

use crate::error::{AppError, ErrorCode, Result};
use crate::{now, validate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Drafts are form state, not data: large ones are refused rather than stored.
const MAX_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Draft {
    /// "record:new", "record:<id>", "activity:new" …
    pub key: String,
    #[ts(type = "unknown")]
    pub body: Value,
    pub updated_at: String,
}

fn check_key(key: &str) -> Result<String> {
    let key = validate::name("key", key, 100)?;
    Ok(key)
}

pub fn save(conn: &Connection, key: &str, body: &Value) -> Result<Draft> {
    let key = check_key(key)?;
    let text = body.to_string();
    if text.len() > MAX_BYTES {
        return Err(AppError::field(
            ErrorCode::TooLong,
            "body",
            "草稿过大，未保存",
        ));
    }
    let at = now();
    conn.execute(
        "INSERT INTO draft (key, body, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        params![key, text, at],
    )?;
    Ok(Draft {
        key,
        body: body.clone(),
        updated_at: at,
    })
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<Draft>> {
    Ok(conn
        .query_row(
            "SELECT key, body, updated_at FROM draft WHERE key = ?1",
            [key],
            |r| {
                Ok(Draft {
                    key: r.get(0)?,
                    body: crate::db::json_column(r, 1, "草稿")?,
                    updated_at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Draft>> {
    let mut stmt = conn.prepare_cached("SELECT key FROM draft ORDER BY updated_at DESC")?;
    let keys: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys
        .iter()
        .filter_map(|k| get(conn, k).ok().flatten())
        .collect())
}

pub fn discard(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM draft WHERE key = ?1", [key])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use serde_json::json;

    #[test]
    fn drafts_are_saved_replaced_and_discarded() {
        let db = Db::open_in_memory().unwrap();
        save(&db.conn, "record:new", &json!({"title": "宪法"})).unwrap();
        save(&db.conn, "record:new", &json!({"title": "宪法进院坝"})).unwrap();
        assert_eq!(
            get(&db.conn, "record:new").unwrap().unwrap().body["title"],
            "宪法进院坝"
        );
        assert_eq!(list(&db.conn).unwrap().len(), 1);
        let huge = json!({"t": "字".repeat(100_000)});
        assert_eq!(
            save(&db.conn, "x", &huge).unwrap_err().code,
            ErrorCode::TooLong
        );
        discard(&db.conn, "record:new").unwrap();
        assert!(get(&db.conn, "record:new").unwrap().is_none());
    }

    /// Run as a child process by the test below: saves a draft, then waits to be killed.
    #[test]
    #[ignore = "helper process for draft_survives_a_killed_process"]
    fn draft_writer_process() {
        let Ok(dir) = std::env::var("PUFA_DRAFT_TEST_DIR") else {
            return;
        };
        let db = Db::open_dir(std::path::Path::new(&dir)).unwrap();
        save(
            &db.conn,
            "record:new",
            &json!({"title": "未保存的活动记录", "participants": 42}),
        )
        .unwrap();
        std::fs::write(std::path::Path::new(&dir).join("saved.flag"), b"1").unwrap();
        std::thread::sleep(std::time::Duration::from_secs(60));
    }

    #[test]
    fn draft_survives_a_killed_process() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "draft::tests::draft_writer_process",
                "--nocapture",
            ])
            .env("PUFA_DRAFT_TEST_DIR", &dir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let flag = dir.join("saved.flag");
        let start = std::time::Instant::now();
        while !flag.exists() {
            assert!(start.elapsed().as_secs() < 30, "the writer never saved");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        child.kill().unwrap(); // SIGKILL on Unix, TerminateProcess on Windows: no clean shutdown.
        child.wait().unwrap();
        let db = Db::open_dir(&dir).unwrap();
        let d = get(&db.conn, "record:new")
            .unwrap()
            .expect("the draft is there");
        assert_eq!(d.body["participants"], 42);
    }
}
