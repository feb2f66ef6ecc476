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
}
