//! What a package is: its format, limits, manifest and report types, and rows as JSON.
use super::*;

/// The package format this build writes and the newest it reads. Format 2 says who made the
/// package (format 1 did not, and is refused: what it may change cannot be told).
pub const FORMAT_VERSION: u32 = 2;
/// The file extension the window offers (a zip inside).
pub const EXTENSION: &str = "pufapkg";

pub(super) const FORMAT: &str = "pufa-package";
pub(super) const MANIFEST: &str = "manifest.json";
pub(super) const TOMBSTONES: &str = "data/tombstone.jsonl";
/// The key of a deletion in a conflict.
pub(super) const DELETED: &str = "_deleted";

/// Zip-bomb limits, checked on the declared sizes before anything is inflated (and the
/// inflated bytes are counted against the declared size).
pub(super) const MAX_TOTAL: u64 = 2 << 30;
pub(super) const MAX_DATA_ENTRY: u64 = 1 << 30;
pub(super) const MAX_MANIFEST: u64 = 1 << 20;
pub(super) const MAX_RATIO: u64 = 250;
pub(super) const RATIO_FROM: u64 = 1 << 20;
pub(super) const MAX_LINE: u64 = 16 << 20;
/// Past this many records written by one import the tallies are recounted once at the end
/// instead of row by row (as the demo's bulk load does); up to it they move row by row.
pub(super) const BULK_RECORDS: u64 = 20_000;
pub(super) const PROGRESS_EVERY: u64 = 500;

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageScope {
    /// Only what changed since this device's last package of the same scope.
    #[serde(default)]
    pub since_last: bool,
    /// One village's records and activities (unit id or name); None = the whole town.
    #[serde(default)]
    pub village: Option<String>,
}

/// Rows per kind in a package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageCounts {
    #[ts(type = "number")]
    pub towns: u64,
    #[ts(type = "number")]
    pub units: u64,
    #[ts(type = "number")]
    pub persons: u64,
    #[ts(type = "number")]
    pub materials: u64,
    #[ts(type = "number")]
    pub stores: u64,
    /// Receipts and transfers of stock (hand-outs travel with their records).
    #[ts(type = "number")]
    pub movements: u64,
    #[ts(type = "number")]
    pub campaigns: u64,
    #[ts(type = "number")]
    pub series: u64,
    #[ts(type = "number")]
    pub activities: u64,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub attachments: u64,
    /// Deletions.
    #[ts(type = "number")]
    pub tombstones: u64,
    /// Attachment files.
    #[ts(type = "number")]
    pub files: u64,
}

impl PackageCounts {
    pub(super) fn slot(&mut self, table: &str) -> &mut u64 {
        match table {
            "town" => &mut self.towns,
            "unit" => &mut self.units,
            "person" => &mut self.persons,
            "material" => &mut self.materials,
            "store" => &mut self.stores,
            "stock_movement" => &mut self.movements,
            "campaign" => &mut self.campaigns,
            "activity_series" => &mut self.series,
            "activity" => &mut self.activities,
            "record" => &mut self.records,
            "attachment" => &mut self.attachments,
            "file" => &mut self.files,
            _ => &mut self.tombstones,
        }
    }

    pub(super) fn total(&self) -> u64 {
        [
            self.towns,
            self.units,
            self.persons,
            self.materials,
            self.stores,
            self.movements,
            self.campaigns,
            self.series,
            self.activities,
            self.records,
            self.attachments,
            self.tombstones,
        ]
        .iter()
        .fold(0u64, |a, b| a.saturating_add(*b))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageExported {
    pub path: String,
    pub package_id: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub counts: PackageCounts,
    pub since_last: bool,
    /// The village exported, by name; None = the whole town.
    pub village: Option<String>,
}

/// What an import did, per kind of row and in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntityReport {
    pub entity: String,
    pub label: String,
    #[ts(type = "number")]
    pub added: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    #[ts(type = "number")]
    pub deleted: u64,
    #[ts(type = "number")]
    pub conflicts: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageReport {
    pub package_id: String,
    pub town: String,
    pub from_device: String,
    pub created_at: String,
    /// This database had no town and took the package's.
    pub adopted_town: bool,
    #[ts(type = "number")]
    pub added: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    #[ts(type = "number")]
    pub deleted: u64,
    #[ts(type = "number")]
    pub conflicts: u64,
    /// Units, materials or stores made on both sides under the same name: the local one is
    /// used for the package's rows.
    #[ts(type = "number")]
    pub matched: u64,
    /// Attachment files copied in.
    #[ts(type = "number")]
    pub files: u64,
    /// Who made the package: "双龙镇的电脑（张三）", "安静村的电脑（王五）".
    pub maker: String,
    /// Changes the maker may not make (a village laptop editing another village's record):
    /// not applied, kept among the conflicts for the coordinator (counted there too).
    #[ts(type = "number")]
    pub out_of_scope: u64,
    pub entities: Vec<EntityReport>,
}

/// What the user confirmed for an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    /// The package comes from a laptop not seen before that says it is the town's: the user
    /// confirmed it is.
    #[serde(default)]
    pub trust_device: bool,
}

/// Which version of a conflicting row to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Keep {
    Local,
    Incoming,
}

impl Keep {
    pub(super) fn code(self) -> &'static str {
        match self {
            Keep::Local => "local",
            Keep::Incoming => "incoming",
        }
    }
}

/// A row changed on both sides, with both versions (a row as exported: its columns, and
/// `_campaigns` / `_handouts`; `{"_deleted": true}` for a deletion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncConflict {
    pub id: String,
    pub entity: String,
    pub entity_label: String,
    pub entity_id: String,
    /// The row's name or title, for the list.
    pub title: String,
    #[ts(type = "Record<string, unknown>")]
    pub local: Value,
    #[ts(type = "Record<string, unknown>")]
    pub incoming: Value,
    pub local_deleted: bool,
    pub incoming_deleted: bool,
    /// The version applied when the package was imported.
    pub winner: Keep,
    pub created_at: String,
    pub resolved_at: Option<String>,
    pub kept: Option<Keep>,
    /// Why the incoming version was not applied, when the package's maker may not make that
    /// change ("安静村的电脑不能修改其他村（单位）的活动记录"); None for an edit on both sides.
    pub reason: Option<String>,
    /// The fields the two versions differ in, in words (`before` this laptop's, `after` the
    /// incoming one).
    #[serde(skip_deserializing)]
    pub lines: Vec<crate::trail::ChangeLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ManifestTown {
    pub(super) id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) county: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ManifestScope {
    pub(super) since_last: bool,
    pub(super) village_id: Option<String>,
    pub(super) village_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) format: String,
    pub(super) format_version: u32,
    pub(super) app_version: String,
    pub(super) schema_version: i64,
    pub(super) package_id: String,
    pub(super) town: ManifestTown,
    pub(super) device_id: String,
    pub(super) created_at: String,
    pub(super) scope: ManifestScope,
    pub(super) counts: PackageCounts,
    /// Entry name → SHA-256 (hex) of its bytes.
    pub(super) entries: BTreeMap<String, String>,
    /// Who made it (format 2).
    #[serde(default)]
    pub(super) maker: Option<ManifestMaker>,
}

pub(super) fn label(table: &str) -> &'static str {
    match table {
        "store" => "资料库",
        "stock_movement" => "库存记录",
        "activity_series" => "重复活动",
        "attachment" => "附件",
        t => audit::entity_label(t),
    }
}

pub(super) fn rejected(path: &Path, why: impl std::fmt::Display) -> AppError {
    AppError::field(
        ErrorCode::FileRejected,
        "path",
        format!("“{}”不能导入：{why}。数据未做任何改动", file_name(path)),
    )
    .with("reason", "not_package")
    .with("file", file_name(path))
    .with("why", why.to_string())
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub(super) fn cancelled(what: &str) -> AppError {
    AppError::new(
        ErrorCode::Cancelled,
        format!("已取消{what}，数据未做任何改动"),
    )
}

// ---------------------------------------------------------------------------------------
// Rows as JSON

pub(super) fn to_sql(v: &Value) -> Option<Sql> {
    Some(match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64()?),
        },
        Value::String(s) => Sql::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

pub(super) fn text<'a>(row: &'a Row, key: &str) -> Option<&'a str> {
    row.get(key).and_then(Value::as_str)
}

/// A row's name or title, for messages and the conflict list.
pub(super) fn title_of(row: &Row) -> String {
    ["title", "name", "file_name"]
        .iter()
        .find_map(|k| text(row, k))
        .unwrap_or("")
        .to_string()
}

/// The same data, whatever the versions say (both sides made the same change, or a copied
/// data folder): no conflict to bother anyone with.
pub(super) fn same_content(a: &Row, b: &Row) -> bool {
    let skip = ["hlc", "base_hlc", "sync_seq"];
    let keys: HashSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .all(|k| a.get(k).unwrap_or(&Value::Null) == b.get(k).unwrap_or(&Value::Null))
}
