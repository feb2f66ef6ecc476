//! Pufa Planner core: the domain of township 普法 work, its validation, SQLite storage and one
//! command layer (`api`) shared by the desktop window and the headless CLI. No Tauri here.

pub mod activity;
pub mod api;
pub mod attachment;
pub mod audit;
pub mod backup;
pub mod campaign;
pub mod check;
pub(crate) mod cn_date;
pub mod conflicts;
pub mod db;
pub mod demo;
pub mod domain;
pub mod draft;
pub mod error;
pub mod exchange;
pub mod export;
pub mod file_name;
pub mod holidays;
pub(crate) mod inbound;
pub mod inventory;
pub mod keydates;
pub mod lunar;
pub mod market;
pub mod notice;
pub mod person;
pub mod plan;
pub(crate) mod read_ahead;
pub mod record;
pub mod record_fields;
pub mod reports;
pub mod school_calendar;
pub mod session;
pub(crate) mod stored;
pub mod sync;
pub mod town;
pub mod trail;
pub mod unit;
pub mod validate;
pub mod workdays;

pub use db::Db;
pub use error::{AppError, ErrorCode, Result};

/// A new record id. UUID v7 sorts by creation time, which keeps indexes compact.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now as stored in `created_at` / `updated_at`: RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Fixtures shared by the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::db::Db;
    use crate::town::{setup, SetupInput};
    use std::io::Read;

    /// Every file in a zip (an export, a package, a .docx) with its bytes, in the zip's order.
    pub fn zip_entries(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let mut zip =
            zip::ZipArchive::new(std::fs::File::open(path).expect("the zip opens")).expect("a zip");
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).expect("an entry");
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).expect("the entry reads");
                (f.name().expect("a name").to_string(), bytes)
            })
            .collect()
    }

    /// An in-memory database set up as 双龙镇 with these villages and schools, no user.
    pub fn town(villages: &[&str], schools: &[&str]) -> Db {
        let mut db = Db::open_in_memory().expect("in-memory database");
        setup(
            &mut db,
            &SetupInput {
                town: "双龙镇".into(),
                villages: vec![villages.join("\n")],
                schools: vec![schools.join("\n")],
                ..Default::default()
            },
        )
        .expect("set-up");
        db
    }

    /// The tally rows that hold something, in order.
    fn tally_rows(conn: &rusqlite::Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare(
                "SELECT unit_id || '|' || month || '|' || status || '|' || dim || '|' || key || '|' ||
                        activities || ',' || participants || ',' || reach || ',' || consultations || ',' ||
                        banners || ',' || boards || ',' || vehicles || ',' || online_posts || ',' ||
                        online_views || ',' || disputes || ',' || legal_aid_cases || ',' || quantity
                 FROM record_tally WHERE activities <> 0 OR quantity <> 0
                 UNION ALL
                 SELECT 'plan|' || unit_id || '|' || month || '|' || status || '|' || n
                 FROM activity_tally WHERE n <> 0
                 ORDER BY 1",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// The running tallies equal the ones counted afresh from the records.
    pub fn assert_tallies_fresh(conn: &rusqlite::Connection, after: &str) {
        let kept = tally_rows(conn);
        conn.execute_batch("SAVEPOINT recount").unwrap();
        crate::reports::tally::rebuild(conn).unwrap();
        let fresh = tally_rows(conn);
        conn.execute_batch("ROLLBACK TO recount; RELEASE recount")
            .unwrap();
        assert!(!fresh.is_empty());
        assert_same_rows(
            &kept,
            &fresh,
            &format!("the running tallies went wrong after {after}"),
        );
    }

    /// Every store balance equals what its movements add up to.
    pub fn assert_stock_fresh(conn: &rusqlite::Connection, after: &str) {
        let rows = |sql: &str| -> Vec<(String, String, i64, i64)> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let kept = rows(
            "SELECT material_id, store_id, balance, movements FROM stock_balance
             WHERE movements <> 0 ORDER BY 1, 2",
        );
        let fresh = rows(
            "SELECT material_id, store_id, sum(quantity), count(*) FROM (
                 SELECT material_id, to_store_id AS store_id, quantity FROM stock_movement
                 WHERE to_store_id IS NOT NULL
                 UNION ALL
                 SELECT material_id, from_store_id, -quantity FROM stock_movement
                 WHERE from_store_id IS NOT NULL)
             GROUP BY 1, 2 ORDER BY 1, 2",
        );
        assert!(!fresh.is_empty());
        let text = |rows: Vec<(String, String, i64, i64)>| -> Vec<String> {
            rows.into_iter().map(|r| format!("{r:?}")).collect()
        };
        assert_same_rows(
            &text(kept),
            &text(fresh),
            &format!("the stock balances went wrong after {after}"),
        );
    }

    /// Fails with only the rows that differ (whole tables are too long to read).
    fn assert_same_rows(kept: &[String], fresh: &[String], what: &str) {
        if kept != fresh {
            let only = |a: &[String], b: &[String]| -> Vec<String> {
                a.iter().filter(|r| !b.contains(r)).cloned().collect()
            };
            panic!(
                "{what}\nkept, not counted afresh: {:#?}\ncounted afresh, not kept: {:#?}",
                only(kept, fresh),
                only(fresh, kept)
            );
        }
    }
}
