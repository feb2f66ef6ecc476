//! Hostile input at every door, through the real binary: data packages, backups, JSON records
//! and filled-in sheets made by the code below the way someone who wants the numbers to look
//! better (or a damaged copy) would make them. Each must be refused with a Chinese message that
//! names the field or the entry at fault, and leave the data folder byte for byte as it was —
//! its database, its attachments and its `backups/` (a refused file makes no backup).

mod common;

use common::{cli, data_dir};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Every file under a folder with its bytes.
/// Every file of a data folder but the program's log (`logs/`), which records the refusals
/// themselves and is no data.
fn folder_bytes(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p == dir.join("logs") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

// ------------------------------------------------------------------------------------------
// Packages

type Entries = Vec<(String, Vec<u8>)>;

fn unzip(path: &Path) -> Entries {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn zip_to(entries: &Entries, path: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn manifest(entries: &Entries) -> Value {
    let (_, bytes) = entries.iter().find(|(n, _)| n == "manifest.json").unwrap();
    serde_json::from_slice(bytes).unwrap()
}

fn set_manifest(entries: &mut Entries, m: &Value) {
    let bytes = serde_json::to_vec_pretty(m).unwrap();
    entries
        .iter_mut()
        .find(|(n, _)| n == "manifest.json")
        .unwrap()
        .1 = bytes;
}

/// The manifest's checksums made to match the entries again (a careful forger's package).
fn recheck(entries: &mut Entries) {
    let mut m = manifest(entries);
    let mut sums = serde_json::Map::new();
    for (name, bytes) in entries.iter().filter(|(n, _)| n != "manifest.json") {
        sums.insert(name.clone(), Value::from(sha(bytes)));
    }
    m["entries"] = Value::Object(sums);
    set_manifest(entries, &m);
}

fn rows(entries: &Entries, table: &str) -> Vec<Value> {
    let name = format!("data/{table}.jsonl");
    let (_, bytes) = entries.iter().find(|(n, _)| *n == name).unwrap();
    String::from_utf8(bytes.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn set_rows(entries: &mut Entries, table: &str, rows: &[Value]) {
    let name = format!("data/{table}.jsonl");
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    match entries.iter_mut().find(|(n, _)| *n == name) {
        Some(e) => e.1 = text.into_bytes(),
        None => entries.push((name, text.into_bytes())),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A version of this moment by `device`.
fn fresh_hlc(device: &str) -> String {
    format!("{:013}-0000-{device}", now_ms())
}

/// The package with one row of `table` changed by `edit` as a new version of it (so that it is
/// not the version the town already holds), everything else as it was, checksums made right.
fn edited(base: &Entries, table: &str, edit: impl Fn(&mut Value)) -> Entries {
    let mut entries = base.clone();
    let device = manifest(&entries)["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut all = rows(&entries, table);
    let pick = all
        .iter()
        .position(|r| table != "record" || !r["_handouts"].as_array().unwrap().is_empty())
        .unwrap_or(0);
    let mut row = all[pick].clone();
    row["base_hlc"] = row["hlc"].clone();
    row["hlc"] = Value::from(fresh_hlc(&device));
    edit(&mut row);
    all[pick] = row;
    set_rows(&mut entries, table, &all);
    recheck(&mut entries);
    entries
}

/// A small picture file: a JPEG's signature and some bytes.
fn jpeg() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
    b.extend(b"JFIF hostile suite");
    b
}

/// The package with a new attachment row for its first record and the file `bytes` under
/// `attachments/<sha>.<ext>`; `edit` changes the row.
fn with_attachment(base: &Entries, bytes: &[u8], ext: &str, edit: impl Fn(&mut Value)) -> Entries {
    let mut entries = base.clone();
    let device = manifest(&entries)["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    let record = rows(&entries, "record")[0]["id"].clone();
    let hash = sha(bytes);
    let mut row = json!({
        "id": "0196e5a0-0000-7000-8000-00000000a77a",
        "record_id": record,
        "kind": "photo",
        "file_name": "现场照片.jpg",
        "sha256": hash,
        "size": bytes.len(),
        "mime": "image/jpeg",
        "stored": format!("attachments/{}/{hash}.{ext}", &hash[..2]),
        "thumbnail": null,
        "created_at": "2026-03-05T08:00:00.000Z",
        "hlc": fresh_hlc(&device),
        "base_hlc": null,
    });
    edit(&mut row);
    set_rows(&mut entries, "attachment", &[row]);
    entries.push((format!("attachments/{hash}.{ext}"), bytes.to_vec()));
    recheck(&mut entries);
    entries
}

// ------------------------------------------------------------------------------------------
// Backups

/// A backup in the old format (an SQLite file with the backup's own two tables) of a copy of
/// the database at `db`, changed by `edit` first.
fn format1(db: &Path, out: &Path, edit: impl FnOnce(&rusqlite::Connection)) {
    std::fs::copy(db, out).unwrap();
    let conn = rusqlite::Connection::open(out).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.execute_batch(
        "CREATE TABLE pufa_backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE pufa_backup_file (path TEXT PRIMARY KEY, data BLOB NOT NULL);
         INSERT INTO pufa_backup_meta VALUES ('format', '1'), ('kind', 'manual'),
             ('created_at', '2026-03-01T08:00:00.000Z'), ('town', '双龙镇');",
    )
    .unwrap();
    edit(&conn);
}

/// A packed backup (format 2) of the SQLite file `db` with these attachments, as the app lays it
/// out: header, then one zstd frame of page size, page count, pages, files and the end tag.
fn packed(db: &Path, files: &[(String, Vec<u8>)], out: &Path) {
    let image = std::fs::read(db).unwrap();
    let page_size = match u16::from_be_bytes([image[16], image[17]]) {
        1 => 65536u32,
        n => u32::from(n),
    };
    let mut pages = image.clone();
    pages[18] = 1;
    pages[19] = 1;
    let description = serde_json::to_vec(&json!({
        "format": "2", "kind": "manual", "created_at": "2026-03-01T08:00:00.000Z",
        "town": "双龙镇", "records": "1"
    }))
    .unwrap();
    let mut file = std::fs::File::create(out).unwrap();
    file.write_all(b"PUFABAK\0").unwrap();
    file.write_all(&2u32.to_le_bytes()).unwrap();
    file.write_all(&(description.len() as u32).to_le_bytes())
        .unwrap();
    file.write_all(&description).unwrap();
    let mut z = zstd::stream::write::Encoder::new(file, 1).unwrap();
    z.include_checksum(true).unwrap();
    z.write_all(&page_size.to_le_bytes()).unwrap();
    z.write_all(&((pages.len() as u32) / page_size).to_le_bytes())
        .unwrap();
    z.write_all(&pages).unwrap();
    for (name, bytes) in files {
        z.write_all(&[1]).unwrap();
        z.write_all(&(name.len() as u32).to_le_bytes()).unwrap();
        z.write_all(name.as_bytes()).unwrap();
        z.write_all(&(bytes.len() as u64).to_le_bytes()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.write_all(&[0]).unwrap();
    z.finish().unwrap();
}

/// A copy of the database changed by `edit` (foreign keys off, as a forger's tool has them).
fn changed_db(db: &Path, out: &Path, edit: &str) {
    std::fs::copy(db, out).unwrap();
    let conn = rusqlite::Connection::open(out).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.execute_batch(edit).unwrap();
}

// ------------------------------------------------------------------------------------------
// Sheets

fn sheet(out: &Path, row: &[&str]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("活动登记").unwrap();
    for (c, h) in ["日期", "村/社区", "活动名称", "活动形式", "参加人数"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(out).unwrap();
}

// ------------------------------------------------------------------------------------------

/// One crafted file and what its refusal must say.
struct Case {
    name: String,
    args: Vec<String>,
    /// Every one of these in the message (the field's or entry's name, the reason).
    says: Vec<&'static str>,
}

#[test]
fn every_hostile_file_is_refused_by_name_and_changes_nothing() {
    let (_tmp, town) = data_dir();
    let year = chrono_year() - 1;
    cli(&town, &["demo", "--seed", "9", "--year", &year.to_string()]).ok();
    let work = tempfile::tempdir().unwrap();
    let w = |name: &str| work.path().join(name);
    let base_pkg = w("base.pufapkg");
    cli(
        &town,
        &["package", "export", "--out", base_pkg.to_str().unwrap()],
    )
    .ok();
    let base = unzip(&base_pkg);
    let device = manifest(&base)["device_id"].as_str().unwrap().to_string();
    // The database as it is, for the backups made from it (the CLI has closed it: one file).
    let db_copy = w("town.db");
    std::fs::copy(town.join("pufa.db"), &db_copy).unwrap();
    let town_id: String = rusqlite::Connection::open(&db_copy)
        .unwrap()
        .query_row("SELECT id FROM town", [], |r| r.get(0))
        .unwrap();

    // Filled by the generators below; a cell, as each of them adds to it.
    let cases: std::cell::RefCell<Vec<Case>> = Default::default();
    let package = |name: &str, entries: Entries, says: Vec<&'static str>| {
        let file = w(&format!("{}.pufapkg", cases.borrow().len()));
        zip_to(&entries, &file);
        cases.borrow_mut().push(Case {
            name: name.into(),
            args: vec![
                "package".into(),
                "import".into(),
                file.display().to_string(),
            ],
            says,
        });
    };

    // Rows that skip the checks typed input gets.
    let rec =
        |field: &'static str, v: Value| edited(&base, "record", move |r| r[field] = v.clone());
    package(
        "record dated 2026-02-30",
        rec("date", json!("2026-02-30")),
        vec!["日期", "2026-02-30"],
    );
    package(
        "record dated ..",
        rec("date", json!("..")),
        vec!["日期", "不是有效日期"],
    );
    package(
        "record date not as saved",
        rec("date", json!(format!("{year}/3/5"))),
        vec!["日期", "不是本程序保存的写法"],
    );
    package(
        "empty title",
        rec("title", json!("   ")),
        vec!["活动名称不能为空"],
    );
    package(
        "title with a direction override",
        rec("title", json!("宪法进院坝\u{202E}0001")),
        vec!["活动名称", "U+202E"],
    );
    package(
        "title with a zero-width space",
        rec("title", json!("宪法\u{200B}进院坝")),
        vec!["活动名称", "U+200B"],
    );
    package(
        "title with a control character",
        rec("title", json!("宪法\u{7}进院坝")),
        vec!["活动名称", "控制字符"],
    );
    package(
        "negative participants",
        rec("participants", json!(-5)),
        vec!["参加人数不能为负数"],
    );
    package(
        "participants beyond reason",
        rec("participants", json!(99_999_999)),
        vec!["参加人数", "过大"],
    );
    package(
        "fractional participants",
        rec("participants", json!(1.5)),
        vec!["参加人数", "整数"],
    );
    package(
        "reach below participants",
        edited(&base, "record", |r| {
            r["participants"] = json!(500);
            r["reach"] = json!(10);
        }),
        vec!["受众人次", "不是本程序保存的写法"],
    );
    package(
        "unknown activity format",
        rec("formats", json!("[\"spaceship\"]")),
        vec!["活动形式"],
    );
    package(
        "no activity format",
        rec("formats", json!("[]")),
        vec!["请选择活动形式"],
    );
    package(
        "a village that does not exist",
        rec("unit_id", json!("no-such-village")),
        vec!["村/单位", "no-such-village"],
    );
    package(
        "a campaign that does not exist",
        rec("_campaigns", json!(["no-such-campaign"])),
        vec!["活动专项", "no-such-campaign"],
    );
    package(
        "start time 25:00",
        rec("start_time", json!("25:00")),
        vec!["开始时间"],
    );
    package(
        "narrative over 300 characters",
        rec("narrative", json!("很".repeat(301))),
        vec!["活动简述过长"],
    );
    package(
        "no recorder",
        rec("recorder", json!("")),
        vec!["记录人不能为空"],
    );
    package(
        "created at no time",
        rec("created_at", json!("yesterday")),
        vec!["创建时间", "yesterday"],
    );
    package(
        "review status made up",
        rec("review_status", json!("approved!!")),
        vec!["审核状态"],
    );
    package(
        "thirty-one laws",
        rec(
            "laws",
            json!(
                serde_json::to_string(&(0..31).map(|i| format!("法律{i}")).collect::<Vec<_>>())
                    .unwrap()
            ),
        ),
        vec!["法律法规最多"],
    );
    package(
        "hand-out of nothing",
        edited(&base, "record", |r| {
            r["_handouts"][0]["quantity"] = json!(0);
        }),
        vec!["发放数量应大于0"],
    );
    package(
        "unit of an unknown kind",
        edited(&base, "unit", |r| r["kind"] = json!("castle")),
        vec!["类型", "castle"],
    );
    package(
        "unit named with a zero-width joiner",
        edited(&base, "unit", |r| r["name"] = json!("安静\u{200D}村")),
        vec!["名称", "U+200D"],
    );
    package(
        "person with a phone of letters",
        edited(&base, "person", |r| r["phone"] = json!("call-me")),
        vec!["电话", "call-me"],
    );
    package(
        "campaign ending before it starts",
        edited(&base, "campaign", |r| {
            r["start_date"] = json!(format!("{year}-12-07"));
            r["end_date"] = json!(format!("{year}-12-01"));
        }),
        vec!["结束日期", "早于开始日期"],
    );
    package(
        "material counted in tonnes",
        edited(&base, "material", |r| r["unit"] = json!("吨")),
        vec!["计量单位", "吨"],
    );
    package(
        "activity dated month 13",
        edited(&base, "activity", |r| {
            r["date"] = json!(format!("{year}-13-01"))
        }),
        vec!["日期", "不是有效日期"],
    );

    // Versions from the future.
    package(
        "a version from 2035",
        edited(&base, "record", |r| {
            r["hlc"] = json!(format!(
                "2051222400000-0000-{}",
                r["hlc"].as_str().unwrap().split_at(19).1
            ));
        }),
        vec!["版本时间", "超过了一天"],
    );
    let mut tomb = base.clone();
    let victim = rows(&base, "record")[1]["id"].clone();
    set_rows(
        &mut tomb,
        "tombstone",
        &[
            json!({"entity": "record", "id": victim, "hlc": format!("2051222400000-0000-{device}"), "base_hlc": null}),
        ],
    );
    recheck(&mut tomb);
    package("a deletion from 2035", tomb, vec!["版本时间", "超过了一天"]);
    package(
        "a version that is not one",
        rec("hlc", json!("tomorrow")),
        vec!["版本号无效"],
    );

    // Attachments.
    let exe = b"MZ\x90\x00\x03 this program cannot be run in DOS mode".to_vec();
    package(
        "a program posing as a photo",
        with_attachment(&base, &exe, "jpg", |_| {}),
        vec!["附件", "不是它自称的类型"],
    );
    package(
        "an attachment of another size",
        with_attachment(&base, &jpeg(), "jpg", |r| r["size"] = json!(5)),
        vec!["附件", "大小与文件不符"],
    );
    package(
        "an attachment of a type we do not keep",
        with_attachment(&base, &exe, "exe", |r| {
            r["mime"] = json!("application/x-msdownload")
        }),
        vec!["附件", "文件类型无效"],
    );
    package(
        "an attachment name that shows another",
        with_attachment(&base, &jpeg(), "jpg", |r| {
            r["file_name"] = json!("photo\u{202E}gpj.exe")
        }),
        vec!["文件名"],
    );
    let mut link = base.clone();
    recheck(&mut link);
    {
        // A symbolic link where a file belongs.
        let file = w("link.pufapkg");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        let target = format!("attachments/{}.jpg", "a".repeat(64));
        for (name, bytes) in &link {
            if name != "manifest.json" {
                zip.start_file(name.as_str(), o).unwrap();
                zip.write_all(bytes).unwrap();
            }
        }
        zip.add_symlink(target.as_str(), "/etc/passwd", o).unwrap();
        let mut m = manifest(&link);
        m["entries"][target.as_str()] = json!(sha(b"/etc/passwd"));
        zip.start_file("manifest.json", o).unwrap();
        zip.write_all(&serde_json::to_vec(&m).unwrap()).unwrap();
        zip.finish().unwrap();
        cases.borrow_mut().push(Case {
            name: "a symbolic link among the attachments".into(),
            args: vec![
                "package".into(),
                "import".into(),
                file.display().to_string(),
            ],
            says: vec!["不是普通文件"],
        });
    }

    // The zip and its manifest.
    let mut up = base.clone();
    up.push(("../evil.png".into(), jpeg()));
    package(
        "an entry that climbs out",
        up,
        vec!["../evil.png", "路径不安全"],
    );
    let mut back = base.clone();
    back.push(("attachments\\evil.png".into(), jpeg()));
    package("an entry with a backslash", back, vec!["路径不安全"]);
    let mut extra = base.clone();
    extra.push(("data/evil.jsonl".into(), b"{}\n".to_vec()));
    recheck(&mut extra);
    package(
        "an entry the format does not have",
        extra,
        vec!["data/evil.jsonl", "不认识的文件"],
    );
    let bare: Entries = base
        .iter()
        .filter(|(n, _)| n != "manifest.json")
        .cloned()
        .collect();
    package("no manifest", bare, vec!["没有清单"]);
    let mut old = base.clone();
    let mut m = manifest(&old);
    m["format_version"] = json!(1);
    m.as_object_mut().unwrap().remove("maker");
    set_manifest(&mut old, &m);
    package(
        "an old package that does not say who made it",
        old,
        vec!["没有注明"],
    );
    let mut stranger = base.clone();
    let mut m = manifest(&stranger);
    m["maker"] = json!({"kind": "village", "village_id": "no-such-village", "village_name": "桃花源村", "user": "某人"});
    set_manifest(&mut stranger, &m);
    package(
        "made on a village the town does not have",
        stranger,
        vec!["桃花源村", "本机没有这个村"],
    );
    let mut unknown = base.clone();
    let mut m = manifest(&unknown);
    m["device_id"] = json!("a-laptop-nobody-knows");
    set_manifest(&mut unknown, &m);
    package(
        "a laptop never seen claims to be the town's",
        unknown,
        vec!["本机以前没有收到过这台电脑的数据包"],
    );
    let mut forged = edited(&base, "record", |r| r["participants"] = json!(9999));
    let name = "data/record.jsonl";
    forged
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap()
        .1
        .extend(b"\n");
    package(
        "rows changed after the checksums",
        forged,
        vec!["data/record.jsonl", "校验不符"],
    );
    let mut other = base.clone();
    let mut m = manifest(&other);
    m["town"] = json!({"id": "another-town", "name": "石院镇", "county": "巫山县"});
    set_manifest(&mut other, &m);
    package(
        "another town's package",
        other,
        vec!["石院镇", "不同乡镇的数据包不能导入"],
    );
    let whole = std::fs::read(&base_pkg).unwrap();
    let cut = w("cut.pufapkg");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    cases.borrow_mut().push(Case {
        name: "a package cut in half".into(),
        args: vec!["package".into(), "import".into(), cut.display().to_string()],
        says: vec!["不是 zip 文件"],
    });

    // Backups: the database inside must be exactly ours, whole, and checked row by row.
    let backup = |name: &str, file: PathBuf, says: Vec<&'static str>| {
        cases.borrow_mut().push(Case {
            name: name.into(),
            args: vec!["restore".into(), file.display().to_string()],
            says,
        });
    };
    let f = w("trigger.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON record BEGIN DELETE FROM audit_log; END;",
        )
        .unwrap()
    });
    backup(
        "a trigger that empties the audit trail",
        f,
        vec!["触发器", "wipe", "多出来的"],
    );
    let f = w("table.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch("CREATE TABLE evil (x);").unwrap()
    });
    backup("an extra table", f, vec!["表", "evil"]);
    let f = w("view.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch("CREATE VIEW totals AS SELECT 1;").unwrap()
    });
    backup("an extra view", f, vec!["视图", "totals"]);
    let f = w("index.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch("DROP INDEX record_date;").unwrap()
    });
    backup("an index missing", f, vec!["缺少索引", "record_date"]);
    let f = w("changed-trigger.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch(
            "DROP TRIGGER audit_log_append_only_delete;
             CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END;",
        )
        .unwrap()
    });
    backup(
        "the audit trail's guard changed",
        f,
        vec!["触发器", "audit_log_append_only_delete", "被改动过"],
    );
    let f = w("date.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch(
            "UPDATE record SET date = '2026-02-30' WHERE rowid = (SELECT min(rowid) FROM record);",
        )
        .unwrap()
    });
    backup(
        "a record dated 2026-02-30 inside",
        f,
        vec!["活动记录", "日期", "2026-02-30"],
    );
    let f = w("bidi.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch("UPDATE unit SET name = name || char(0x202E) WHERE rowid = 1;")
            .unwrap()
    });
    backup(
        "a village name with a direction override inside",
        f,
        vec!["名称", "U+202E"],
    );
    let f = w("fk.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE record SET unit_id = 'nowhere' WHERE rowid = (SELECT min(rowid) FROM record);",
        )
        .unwrap()
    });
    backup(
        "a record of a village that is not there",
        f,
        vec!["用到了不存在的", "数据不一致"],
    );
    let f = w("v0.pufabak");
    format1(&db_copy, &f, |c| {
        c.pragma_update(None, "user_version", 0).unwrap()
    });
    backup("a database of no version", f, vec!["不是普法台账的数据"]);
    let f = w("newer.pufabak");
    format1(&db_copy, &f, |c| {
        c.pragma_update(None, "user_version", 99).unwrap()
    });
    backup(
        "a database of a newer version",
        f,
        vec!["更新版本", "请先升级本程序"],
    );
    let f = w("other-town.pufabak");
    format1(&db_copy, &f, |c| {
        c.execute_batch("UPDATE town SET id = 'another-town', name = '石院镇';")
            .unwrap()
    });
    backup(
        "another town's backup without the confirmation",
        f,
        vec!["石院镇", "双龙镇", "确认"],
    );
    let plain = w("plain.db");
    changed_db(&db_copy, &plain, "SELECT 1;");
    let f = w("escape.pufabak");
    packed(&plain, &[("../../evil.txt".into(), b"x".to_vec())], &f);
    backup(
        "an attachment that climbs out",
        f,
        vec!["../../evil.txt", "不安全"],
    );
    let f = w("big.pufabak");
    packed(
        &plain,
        &[(format!("00/{}.jpg", "0".repeat(64)), vec![0u8; 60 << 20])],
        &f,
    );
    backup("an attachment over 50 MB", f, vec!["超过附件 50 MB 的上限"]);
    let f = w("swapped.pufabak");
    let other_hash = sha(b"another photo");
    packed(
        &plain,
        &[(format!("{}/{other_hash}.jpg", &other_hash[..2]), jpeg())],
        &f,
    );
    backup(
        "an attachment whose content is not its name's",
        f,
        vec!["内容与名称不符"],
    );
    let f = w("exe.pufabak");
    let exe_hash = sha(&exe);
    packed(
        &plain,
        &[(format!("{}/{exe_hash}.jpg", &exe_hash[..2]), exe.clone())],
        &f,
    );
    backup("a program named as a photo", f, vec!["内容与名称不符"]);
    let f = w("stranger-file.pufabak");
    packed(
        &plain,
        &[("notes/readme.txt".into(), b"hello".to_vec())],
        &f,
    );
    backup(
        "a file the app never keeps",
        f,
        vec!["notes/readme.txt", "不是本程序保存的文件"],
    );
    let f = w("triggered-packed.pufabak");
    let altered = w("altered.db");
    changed_db(
        &db_copy,
        &altered,
        "CREATE TRIGGER wipe AFTER INSERT ON record BEGIN DELETE FROM audit_log; END;",
    );
    packed(&altered, &[], &f);
    backup(
        "a packed backup with a trigger smuggled in",
        f,
        vec!["触发器", "wipe"],
    );

    // JSON records and sheets: the typed doors.
    let json_record = |name: &str, body: Value, says: Vec<&'static str>| {
        let file = w(&format!("{}.json", cases.borrow().len()));
        std::fs::write(&file, serde_json::to_vec(&body).unwrap()).unwrap();
        cases.borrow_mut().push(Case {
            name: name.into(),
            args: vec![
                "activity".into(),
                "add".into(),
                "--json-file".into(),
                file.display().to_string(),
            ],
            says,
        });
    };
    let record = |title: &str, date: &str, participants: i64| {
        json!({"title": title, "date": date, "unit_id": "安静村", "formats": ["lecture"],
               "participants": participants, "recorder": "李明"})
    };
    json_record(
        "typed title with a direction override",
        record("宪法\u{202E}讲座", &format!("{year}-03-05"), 40),
        vec!["活动名称", "U+202E"],
    );
    json_record(
        "typed date 2026-02-30",
        record("宪法讲座", "2026-02-30", 40),
        vec!["日期", "2026-02-30"],
    );
    json_record(
        "typed negative participants",
        record("宪法讲座", &format!("{year}-03-05"), -1),
        vec!["参加人数不能为负数"],
    );
    json_record(
        "typed title with a BOM inside",
        record("宪法\u{FEFF}讲座", &format!("{year}-03-05"), 40),
        vec!["活动名称", "U+FEFF"],
    );

    let sheet_case = |name: &str, row: &[&str], says: Vec<&'static str>| {
        let file = w(&format!("{}.xlsx", cases.borrow().len()));
        sheet(&file, row);
        cases.borrow_mut().push(Case {
            name: name.into(),
            args: vec![
                "import".into(),
                "xlsx".into(),
                file.display().to_string(),
                "--json".into(),
            ],
            says,
        });
    };
    let day = format!("{year}-03-05");
    sheet_case(
        "sheet title with a zero-width space",
        &[&day, "安静村", "宪法\u{200B}讲座", "法治讲座", "40"],
        vec!["活动名称", "U+200B"],
    );
    sheet_case(
        "sheet date 2026-02-30",
        &["2026-02-30", "安静村", "宪法讲座", "法治讲座", "40"],
        vec!["日期"],
    );
    sheet_case(
        "sheet participants negative",
        &[&day, "安静村", "宪法讲座", "法治讲座", "-3"],
        vec!["参加人数"],
    );

    let cases = cases.into_inner();
    // Settle the folder (the first command of the day may make its automatic backups), then
    // every case against it.
    cli(&town, &["info"]).ok();
    let pristine = folder_bytes(&town);
    assert!(pristine.keys().any(|p| p.ends_with("pufa.db")));
    let mut failures = Vec::new();
    for case in &cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let run = cli(&town, &args);
        let said = if case.args[0] == "import" && run.code == 0 {
            // A sheet: the rows' errors, with nothing imported.
            let report = run.json();
            if report["imported"] != 0 {
                failures.push(format!("{}: imported {}", case.name, report["imported"]));
            }
            report["errors"].to_string()
        } else {
            if run.code != 1 {
                failures.push(format!("{}: exit {} ({})", case.name, run.code, run.stdout));
            }
            run.stderr.clone()
        };
        for want in &case.says {
            if !said.contains(want) {
                failures.push(format!("{}: “{want}” not in: {said}", case.name));
            }
        }
        if !said.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            failures.push(format!("{}: not in Chinese: {said}", case.name));
        }
        if folder_bytes(&town) != pristine {
            let now = folder_bytes(&town);
            let changed: Vec<_> = now
                .keys()
                .chain(pristine.keys())
                .filter(|k| now.get(*k) != pristine.get(*k))
                .collect();
            failures.push(format!(
                "{}: the data folder changed: {changed:?}",
                case.name
            ));
            break;
        }
    }
    eprintln!(
        "{} hostile files (packages, backups, JSON records, sheets) refused",
        cases.len()
    );
    assert!(cases.len() >= 40, "{} cases", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = town_id;
}

fn chrono_year() -> i32 {
    let days = now_ms() / 86_400_000;
    // Close enough for "last year" (a year of 365.2425 days since 1970).
    1970 + (days as f64 / 365.2425) as i32
}
