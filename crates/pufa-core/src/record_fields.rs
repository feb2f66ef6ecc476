//! The activity record's fields, declared once.
//!
//! [`record_columns!`] lists every column of a `record` row — its SQL type, the Rust type the
//! row mapping reads it as, its Chinese and English labels — and [`record_counts!`] the
//! optional counts (横幅, 展板 … 志愿者人次) with everything the house says about each: its 台账
//! and template heading, the headings a cadre's own sheet may use, and the Word report's
//! clause. From these come the row mapping (`record::queries` reads by column name), the
//! INSERT and UPDATE lists (`record::writes`), the tallies' sums, the 台账's count columns,
//! the import's headings and the labels of messages and audit lines.
//!
//! Adding a count is one line in `record_counts!` and a migration adding its column.
//!
//! A leaf module (it names nothing of the crate), seen as `record::fields`: `validate` labels
//! the counts from it without importing the record.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a column holds, which says how a stored row is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (may be NULL where the struct has an `Option`).
    Text,
    /// A whole number.
    Integer,
    /// JSON text (an array or object); unreadable is an error naming the record.
    Json,
}

/// Who writes a column: the form's save (insert and update), or only a new row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Saved from the form on every insert and update.
    Form,
    /// Stamped on every save (`updated_at`).
    Stamp,
    /// Written once when the row is made (id, created_at, the review columns).
    New,
}

/// One column of the `record` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub sql: &'static str,
    pub kind: Kind,
    pub written: Written,
    /// Chinese label in messages, audit lines and the history panel.
    pub label: &'static str,
    pub label_en: &'static str,
}

/// One optional count of a record: everything the house says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountField {
    /// Column of `record` (INTEGER NOT NULL DEFAULT 0), field of the structs and of the JSON.
    pub column: &'static str,
    /// Chinese label in messages, audit lines and the 统计.
    pub label: &'static str,
    pub label_en: &'static str,
    /// The 台账's and the template's heading, with its unit.
    pub header: &'static str,
    /// Other headings a cadre's own sheet may use (compared folded and lower-case, without a
    /// bracketed unit).
    pub synonyms: &'static [&'static str],
    /// The Word report's clause for a total above 0, `{}` the total; `None`: the report words
    /// it in its own sentence (see `export::report_docx`).
    pub report: Option<&'static str>,
}

macro_rules! record_counts {
    ($(
        $field:ident {
            label: $label:literal,
            en: $en:literal,
            header: $header:literal,
            synonyms: [$($syn:literal),* $(,)?],
            report: $report:expr $(,)?
        }
    )*) => {
        /// The optional counts of a record, of the 统计 and of the 台账's totals: one field per
        /// entry of [`COUNTS`], flattened into the JSON of what holds them.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub struct RecordCounts {
            $(
                #[doc = $label]
                #[ts(type = "number")]
                #[serde(default)]
                pub $field: i64,
            )*
        }

        /// The optional counts as entered: JSON numbers (fractions are refused, not rounded),
        /// absent or null for 0.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub struct RecordCountsInput {
            $(
                #[doc = $label]
                #[serde(default)]
                pub $field: Option<f64>,
            )*
        }

        /// The optional counts, in the order of their columns.
        pub const COUNTS: &[CountField] = &[
            $(
                CountField {
                    column: stringify!($field),
                    label: $label,
                    label_en: $en,
                    header: $header,
                    synonyms: &[$($syn),*],
                    report: $report,
                },
            )*
        ];

        impl RecordCounts {
            /// The values in [`COUNTS`] order.
            pub fn values(&self) -> [i64; N_COUNTS] {
                [$(self.$field),*]
            }
            pub fn from_values(v: [i64; N_COUNTS]) -> RecordCounts {
                let [$($field),*] = v;
                RecordCounts { $($field),* }
            }
        }

        impl RecordCountsInput {
            /// The values in [`COUNTS`] order.
            pub fn values(&self) -> [Option<f64>; N_COUNTS] {
                [$(self.$field),*]
            }
            pub fn from_values(v: [Option<f64>; N_COUNTS]) -> RecordCountsInput {
                let [$($field),*] = v;
                RecordCountsInput { $($field),* }
            }
        }
    };
}

record_counts! {
    consultations {
        label: "咨询人次", en: "Consultations", header: "咨询人次",
        synonyms: ["咨询", "现场咨询", "法律咨询", "咨询人数", "接受咨询", "解答咨询", "现场法律咨询"],
        report: None,
    }
    banners {
        label: "横幅", en: "Banners", header: "横幅（条）",
        synonyms: ["悬挂横幅", "条幅", "横幅数"],
        report: None,
    }
    boards {
        label: "展板", en: "Display boards", header: "展板（块）",
        synonyms: ["摆放展板", "展板数"],
        report: None,
    }
    vehicles {
        label: "宣传车", en: "Publicity vehicles", header: "宣传车（台）",
        synonyms: [],
        report: None,
    }
    online_posts {
        label: "网络推送", en: "Online posts", header: "网络推送（条）",
        synonyms: ["线上推送", "推送"],
        report: None,
    }
    online_views {
        label: "浏览量", en: "Online views", header: "浏览量（人次）",
        synonyms: ["阅读量"],
        report: None,
    }
    disputes {
        label: "调解纠纷", en: "Disputes mediated", header: "调解纠纷（件）",
        synonyms: ["调解"],
        report: None,
    }
    legal_aid_cases {
        label: "法律援助", en: "Legal aid cases", header: "法律援助（件）",
        synonyms: [],
        report: None,
    }
    volunteers {
        label: "志愿者人次", en: "Volunteers", header: "志愿者（人次）",
        synonyms: ["志愿者", "志愿者人数", "普法志愿者", "参与志愿者", "法律明白人",
                   "法律明白人人次", "法律明白人、普法志愿者", "法律明白人/普法志愿者"],
        report: Some("组织法律明白人、普法志愿者参与{}人次"),
    }
}

/// How many optional counts a record has.
pub const N_COUNTS: usize = COUNTS.len();

/// The optional count stored in `column`, if it is one.
pub fn count_field(column: &str) -> Option<&'static CountField> {
    COUNTS.iter().find(|c| c.column == column)
}

macro_rules! record_columns {
    ($( $name:ident : $sql:literal, $kind:ident, $written:ident, $label:literal, $en:literal; )*) => {
        /// The columns of a `record` row other than the optional counts, in table order (the
        /// counts follow `reach_by_audience`, see [`columns`]).
        const OWN_COLUMNS: &[Column] = &[
            $(
                Column {
                    name: stringify!($name),
                    sql: $sql,
                    kind: Kind::$kind,
                    written: Written::$written,
                    label: $label,
                    label_en: $en,
                },
            )*
        ];
    };
}

record_columns! {
    id: "TEXT PRIMARY KEY", Text, New, "编号", "ID";
    activity_id: "TEXT REFERENCES activity(id)", Text, Form, "计划活动", "Planned activity";
    title: "TEXT NOT NULL", Text, Form, "活动名称", "Title";
    date: "TEXT NOT NULL", Text, Form, "日期", "Date";
    start_time: "TEXT", Text, Form, "开始时间", "Start time";
    end_time: "TEXT", Text, Form, "结束时间", "End time";
    unit_id: "TEXT REFERENCES unit(id)", Text, Form, "所属村/单位", "Village / unit";
    venue_type: "TEXT", Text, Form, "场所类型", "Venue type";
    venue: "TEXT NOT NULL", Text, Form, "地点", "Venue";
    formats: "TEXT NOT NULL", Json, Form, "活动形式", "Formats";
    audiences: "TEXT NOT NULL", Json, Form, "宣传对象", "Audiences";
    laws: "TEXT NOT NULL", Json, Form, "法律法规", "Laws";
    nodes: "TEXT NOT NULL", Json, Form, "普法节点", "Key dates";
    speakers: "TEXT NOT NULL", Json, Form, "主讲人", "Speakers";
    partners: "TEXT NOT NULL", Json, Form, "协办单位", "Partners";
    participants: "INTEGER NOT NULL", Integer, Form, "参加人数", "Participants";
    reach: "INTEGER NOT NULL", Integer, Form, "受众人次", "Reach";
    reach_by_audience: "TEXT NOT NULL", Json, Form, "分对象人次", "Reach by audience";
    narrative: "TEXT NOT NULL", Text, Form, "活动简述", "Narrative";
    quiz: "TEXT", Json, Form, "有奖问答", "Quiz";
    recorder: "TEXT NOT NULL", Text, Form, "记录人", "Recorder";
    updated_at: "TEXT NOT NULL", Text, Stamp, "修改时间", "Updated";
    created_at: "TEXT NOT NULL", Text, New, "创建时间", "Created";
    review_status: "TEXT NOT NULL", Text, New, "审核状态", "Review status";
    review_comment: "TEXT NOT NULL", Text, New, "审核意见", "Review comment";
    reviewed_by: "TEXT", Text, New, "审核人", "Reviewed by";
    reviewed_at: "TEXT", Text, New, "审核时间", "Reviewed at";
}

/// Every column of a `record` row in the order a save writes them: the form's fields (the
/// optional counts after `reach_by_audience`), `updated_at`, then what only a new row has.
pub fn columns() -> &'static [Column] {
    static ALL: std::sync::OnceLock<Vec<Column>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut out = Vec::with_capacity(OWN_COLUMNS.len() + N_COUNTS);
        for c in OWN_COLUMNS {
            out.push(*c);
            if c.name == "reach_by_audience" {
                out.extend(COUNTS.iter().map(|f| Column {
                    name: f.column,
                    sql: "INTEGER NOT NULL DEFAULT 0",
                    kind: Kind::Integer,
                    written: Written::Form,
                    label: f.label,
                    label_en: f.label_en,
                }));
            }
        }
        out
    })
}

/// The column called `name`.
pub fn column(name: &str) -> Option<&'static Column> {
    columns().iter().find(|c| c.name == name)
}

/// The Chinese label of a record column (a count's, or one of the table's).
pub fn label(name: &str) -> Option<&'static str> {
    column(name).map(|c| c.label)
}

/// Words found in a record's title, its narrative or its village's name (`r` a record, `p`
/// the parameter holding the words): the one search of the 台账, its outputs and the 统计.
pub(crate) fn search_sql(p: &str) -> String {
    format!(
        "(instr(r.title, {p}) > 0 OR instr(r.narrative, {p}) > 0
          OR instr(coalesce((SELECT name FROM unit WHERE id = r.unit_id), ''), {p}) > 0)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table says what the database has: every column, no more.
    #[test]
    fn the_table_matches_the_migrated_schema() {
        let db = crate::db::Db::open_in_memory().unwrap();
        let mut stmt = db
            .conn
            .prepare("SELECT name FROM pragma_table_info('record')")
            .unwrap();
        let mut stored: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        // The sync columns every exchanged table has (sync.rs) are not the record's own.
        stored.retain(|c| !["hlc", "base_hlc", "sync_seq"].contains(&c.as_str()));
        let mut declared: Vec<String> = columns().iter().map(|c| c.name.to_string()).collect();
        stored.sort();
        declared.sort();
        assert_eq!(stored, declared);
    }

    /// The UI's list of the optional counts (its form boxes, the 台账 screen's totals) comes
    /// from this table: `cargo test` writes it next to the ts-rs bindings, like them.
    #[test]
    fn export_the_counts_for_the_ui() {
        let mut ts = String::from(
            "// Generated from pufa-core's record_fields.rs by `cargo test`. Do not edit.\n\
             /** The optional counts of an activity record, in form order. */\n\
             export const RECORD_COUNTS = [\n",
        );
        for c in COUNTS {
            ts += &format!(
                "  {{ column: '{}', label: '{}', label_en: '{}' }},\n",
                c.column, c.label, c.label_en
            );
        }
        ts += "] as const\n";
        let dir = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "ui/src/bindings".into());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = root.join(dir);
        let path = dir.join("recordCountFields.ts");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(ts.as_str()) {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, ts).unwrap();
        }
    }

    #[test]
    fn counts_round_trip_through_their_values() {
        let mut v = [0i64; N_COUNTS];
        for (i, x) in v.iter_mut().enumerate() {
            *x = i as i64 + 1;
        }
        let c = RecordCounts::from_values(v);
        assert_eq!(c.values(), v);
        assert_eq!(c.volunteers, N_COUNTS as i64);
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["volunteers"], N_COUNTS as i64);
        assert_eq!(label("volunteers"), Some("志愿者人次"));
        assert_eq!(crate::validate::label("volunteers"), "志愿者人次");
        assert!(count_field("volunteers").unwrap().report.is_some());
    }
}
