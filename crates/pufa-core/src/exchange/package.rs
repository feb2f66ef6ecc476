//! Data packages (数据包) between laptops: a village cadre exports what changed into one file
//! and sends it (WeChat, USB stick); the town imports it, and sends plans, approvals and
//! returned records back the same way; a fresh laptop adopts a town from its package.
//!
//! A package is a zip: `manifest.json` (format, town, device, scope, counts and the SHA-256 of
//! every other entry), `data/<table>.jsonl` (one row a line, with its `hlc`/`base_hlc`; a
//! record carries its campaign links and hand-outs, an activity its campaign links),
//! `data/tombstone.jsonl` (deletions) and `attachments/<sha256>.<ext>` (the files).
//!
//! An import runs in one transaction: everything lands or nothing does, and attachment files
//! it placed are removed again on failure. Per row (L local, R incoming): no L → added;
//! same version → unchanged; R edited from L's version → updated; L edited from R's →
//! unchanged (ours is newer); both edited since they last exchanged → a conflict: the greater
//! HLC wins (deterministic on both sides) and the other version is kept in `sync_conflict`
//! for the user to choose ([`conflicts`], [`resolve`]). A deletion of a row edited elsewhere
//! since is a conflict too; the edited row stays.
//!
//! Trust: every row passes the checks typed input gets (`stored`: real dates, counts in range,
//! clean names, existing references), or the package is refused naming the row and field; a
//! version stamped more than a day ahead of this laptop's clock is refused; attachments are
//! checked by content, their stored names and thumbnails made here; a package says who made
//! it and changes only what that maker may (`scope`), the rest waits as a conflict for the
//! coordinator; each row it changes gets its own entry in the audit trail. The backup before
//! an import is made only once the whole package has passed, just before it is committed.
//!
//! Towns: a package of another town is refused; an empty database adopts the package's town.
//! A county's roll-up (set up with `county_rollup`) takes every town's packages: the towns'
//! rows stay out, and their villages and campaigns carry the town's name ("双龙镇安静村",
//! "双龙镇：2026年宪法宣传周"), as unit names are unique and two towns' campaigns are not one.

use crate::attachment;
use crate::audit;
use crate::db::{insert_rows, Db};
use crate::error::{AppError, ErrorCode, Result};
use crate::export::{io_error, write_atomic};
use crate::stored::{add_children, read_row, rows_of, to_json, Row, CAMPAIGNS, HANDOUTS};
use crate::sync::{self, TABLES};
use crate::town;
use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

mod scope;
use scope::{Maker, ManifestMaker};

// The package, along its seams: what a package is (`format`), writing one (`export`), reading
// and checking its zip (`reading`), deciding row by row what an import does (`merge`), placing
// what it brings (`apply`), the import as a whole (`import`), and the conflicts it leaves for
// the user (`conflicts`).
mod apply;
mod conflicts;
mod export;
mod format;
mod import;
mod merge;
mod reading;

#[allow(unused_imports)]
use apply::*;
pub use conflicts::*;
pub use export::*;
pub use format::*;
pub use import::*;
use merge::*;
use reading::*;

#[cfg(test)]
mod tests;
