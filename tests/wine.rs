//! The Windows build's command line under Wine, against the Linux build on the same inputs: the
//! CLI scenarios (init, demo, summary, every export, import xlsx, package export/import, backup
//! and restore, bad input) run with both programs, each on its own data folder, and their JSON,
//! exit codes and exported files must be the same — same numbers, same refusals. Then what
//! only Windows has: the roaming data folder moved to %LOCALAPPDATA%, the portable marker, and
//! `pufa-cli.exe`'s exit codes.
//!
//! Ignored in a plain `cargo test`: it needs the Windows build and Wine. `bash
//! tests/wine/run.sh` runs it (`PUFA_WINE_EXE=…/pufa-cli.exe cargo test --test wine --
//! --ignored`); CI does so after building the Windows artefacts.

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One program under test: the Linux build, or the Windows one under Wine.
struct Side {
    name: &'static str,
    /// The work folder (data folders and exported files live inside).
    root: PathBuf,
    /// `Some(exe)` for the Windows build.
    windows: Option<PathBuf>,
}

/// What one command did, made comparable.
#[derive(Debug, PartialEq)]
struct Outcome {
    code: i32,
    json: Value,
}

impl Side {
    /// A path inside the work folder as this side's program is given it: a Windows path with a
    /// drive letter (Wine maps Z: to /) for the Windows build.
    fn path(&self, rel: &str) -> String {
        let p = self.root.join(rel);
        match self.windows {
            Some(_) => format!("Z:{}", p.display()).replace('/', "\\"),
            None => p.display().to_string(),
        }
    }

    fn command(&self) -> Command {
        let mut cmd = match &self.windows {
            Some(exe) => {
                let mut c = Command::new("bash");
                c.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/wine/runner.sh"))
                    .arg(exe);
                c
            }
            None => Command::new(common::BIN),
        };
        cmd.env_remove("PUFA_DATA_DIR");
        cmd
    }

    /// Runs `args` (with `{D}` the data folder, `{O}` the output folder, `{key}` a value this
    /// side saved) and returns the exit code and the normalised JSON on stdout (null when there
    /// is none), the JSON as printed, and stderr.
    fn run(&self, args: &[&str], vars: &HashMap<String, String>) -> (Outcome, Value, String) {
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                let mut a = a
                    .replace("{D}", &self.path("data"))
                    .replace("{O}", &self.path("out"));
                for (k, v) in vars {
                    a = a.replace(&format!("{{{k}}}"), v);
                }
                a
            })
            .collect();
        let out = captured(self.command().args(&args));
        let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
        let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
        let json: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        // Killed by a signal: -100 - the signal's number, to tell it from an exit code.
        let code = out.status.code().unwrap_or_else(|| {
            use std::os::unix::process::ExitStatusExt;
            -100 - out.status.signal().unwrap_or(0)
        });
        let outcome = Outcome {
            code,
            json: self.normalise(json.clone()),
        };
        (outcome, json, stderr)
    }

    /// Makes the two sides' answers comparable: this side's work folder becomes `<W>` with `/`
    /// separators, ids become `<id1>`, `<id2>` … in order of appearance, clock times `<time>`,
    /// the byte size of a package or backup `<bytes>`.
    fn normalise(&self, value: Value) -> Value {
        let prefix = self.path("");
        let mut ids = HashMap::new();
        normalise(value, &prefix, &mut ids)
    }
}

/// Runs `cmd` to its end with stdout and stderr in files, not pipes: a Wine program that starts
/// the Wine server also starts its services (winedevice.exe), which inherit the output and keep
/// a pipe open until the server's idle timeout — `Command::output` would wait for them (about a
/// minute a step) although the program itself has ended.
fn captured(cmd: &mut Command) -> std::process::Output {
    let (out, err) = (tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap());
    let status = cmd
        .stdin(std::process::Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .status()
        .expect("the program runs");
    let read = |mut f: std::fs::File| {
        use std::io::Seek;
        f.seek(std::io::SeekFrom::Start(0)).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        bytes
    };
    std::process::Output {
        status,
        stdout: read(out),
        stderr: read(err),
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// An RFC 3339 time of day ("2026-12-06T20:44:18.123Z"): when something was done, which
/// differs between two runs; a plain date does not.
fn is_clock_time(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= 19 && b[4] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':'
}

fn normalise(value: Value, prefix: &str, ids: &mut HashMap<String, String>) -> Value {
    match value {
        Value::String(s) => {
            if is_uuid(&s) {
                let n = ids.len() + 1;
                return Value::String(ids.entry(s).or_insert_with(|| format!("<id{n}>")).clone());
            }
            if is_clock_time(&s) {
                return Value::String("<time>".into());
            }
            let trimmed = prefix.trim_end_matches(['/', '\\']);
            if s.contains(trimmed) {
                // Every mention (a message may name the file and its folder); the Windows
                // build's separators become '/' (a path it was given may mix both).
                return Value::String(s.replace(trimmed, "<W>").replace('\\', "/"));
            }
            Value::String(s)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|v| normalise(v, prefix, ids)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    // The size of a package or backup file, whose content holds this run's
                    // ids and times (compressed, so its length varies by a few bytes).
                    if k == "bytes" && v.is_number() {
                        return (k, Value::String("<bytes>".into()));
                    }
                    let v = normalise(v, prefix, ids);
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

/// The entries of a zip-based file (xlsx, docx, zip, package) with their bytes, leaving out
/// what records the moment of writing.
fn zip_parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().expect("an entry name").to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        // docProps/core.xml: created/modified; manifest.json: the package's own id and time.
        if name == "docProps/core.xml" || name == "manifest.json" {
            continue;
        }
        parts.insert(name, bytes);
    }
    parts
}

/// A text file's lines, leaving out the calendar's stamps of the moment and per-export ids.
fn ics_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .split("\r\n")
        .filter(|l| {
            !l.starts_with("DTSTAMP")
                && !l.starts_with("UID")
                && !l.starts_with("CREATED")
                && !l.starts_with("LAST-MODIFIED")
                // Seconds since 2020 at the last change: each side made its demo at its own moment.
                && !l.starts_with("SEQUENCE")
        })
        .map(str::to_string)
        .collect()
}

/// Steps: a name, the exit code both programs must give, the arguments (after `--data-dir {D}`
/// unless they name their own), and the exported file to compare (if any).
type Step = (
    &'static str,
    i32,
    &'static [&'static str],
    Option<&'static str>,
);

const DEMO_YEAR: &[Step] = &[
    (
        "before init: refused",
        1,
        &[
            "campaign",
            "add",
            "--name",
            "宪法宣传周",
            "--start",
            "2026-12-01",
            "--end",
            "2026-12-07",
            "--json",
        ],
        None,
    ),
    (
        "demo",
        0,
        &["demo", "--seed", "7", "--year", "2026", "--json"],
        None,
    ),
    ("info", 0, &["info", "--json"], None),
    ("check", 0, &["check", "--json"], None),
    (
        "keydates",
        0,
        &["keydates", "--year", "2027", "--json"],
        None,
    ),
    (
        "holidays",
        0,
        &["holidays", "--year", "2026", "--json"],
        None,
    ),
    (
        "campaign list",
        0,
        &["campaign", "list", "--all", "--json"],
        None,
    ),
    ("unit list", 0, &["unit", "list", "--json"], None),
    (
        "summary of the year",
        0,
        &[
            "summary",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
        None,
    ),
    (
        "summary with pending",
        0,
        &[
            "summary",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--include-pending",
            "--json",
        ],
        None,
    ),
    (
        "summary of a village",
        0,
        &[
            "summary",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--village",
            "安静村",
            "--json",
        ],
        None,
    ),
    (
        "pivot village × month",
        0,
        &[
            "pivot",
            "--rows",
            "village",
            "--cols",
            "month",
            "--measure",
            "activities",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
        None,
    ),
    (
        "pivot law × format",
        0,
        &[
            "pivot",
            "--rows",
            "law",
            "--cols",
            "format",
            "--measure",
            "reach",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
        None,
    ),
    (
        "activity list",
        0,
        &[
            "activity",
            "list",
            "--from",
            "2026-11-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
        None,
    ),
    (
        "conflicts",
        0,
        &["conflicts", "--year", "2026", "--json"],
        None,
    ),
    ("stock", 0, &["stock", "--json"], None),
    ("material list", 0, &["material", "list", "--json"], None),
    (
        "export ics",
        0,
        &["export", "ics", "--out", "{O}/计划.ics", "--json"],
        Some("计划.ics"),
    ),
    (
        "export plan-xlsx",
        0,
        &[
            "export",
            "plan-xlsx",
            "--year",
            "2026",
            "--out",
            "{O}/年度计划.xlsx",
            "--json",
        ],
        Some("年度计划.xlsx"),
    ),
    (
        "export ledger-xlsx",
        0,
        &[
            "export",
            "ledger-xlsx",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--out",
            "{O}/台账.xlsx",
            "--json",
        ],
        Some("台账.xlsx"),
    ),
    (
        "export csv",
        0,
        &[
            "export",
            "csv",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--out",
            "{O}/台账.csv",
            "--json",
        ],
        Some("台账.csv"),
    ),
    (
        "attach a photo",
        0,
        &[
            "activity",
            "attach",
            "{record}",
            "--file",
            "{O}/现场照片.png",
            "--json",
        ],
        None,
    ),
    (
        "export photos",
        0,
        &["export", "photos", "--out", "{O}/照片.zip", "--json"],
        Some("照片.zip"),
    ),
    (
        "export report-docx",
        0,
        &[
            "export",
            "report-docx",
            "--year",
            "2026",
            "--out",
            "{O}/普法工作总结.docx",
            "--json",
        ],
        Some("普法工作总结.docx"),
    ),
    (
        "export campaign-docx",
        0,
        &[
            "export",
            "campaign-docx",
            "--campaign",
            "{campaign}",
            "--out",
            "{O}/情况报告.docx",
            "--json",
        ],
        Some("情况报告.docx"),
    ),
    (
        "export pivot-xlsx",
        0,
        &[
            "export",
            "pivot-xlsx",
            "--rows",
            "law",
            "--cols",
            "village",
            "--out",
            "{O}/透视表.xlsx",
            "--json",
        ],
        Some("透视表.xlsx"),
    ),
    (
        "import-template",
        0,
        &["import-template", "--out", "{O}/活动登记表.xlsx", "--json"],
        None,
    ),
    (
        "import xlsx dry run",
        0,
        &[
            "import",
            "xlsx",
            "{O}/安静村11月.xlsx",
            "--dry-run",
            "--json",
        ],
        None,
    ),
    (
        "import xlsx",
        0,
        &["import", "xlsx", "{O}/安静村11月.xlsx", "--json"],
        None,
    ),
    (
        "import xlsx again: duplicates",
        0,
        &["import", "xlsx", "{O}/安静村11月.xlsx", "--json"],
        None,
    ),
    (
        "summary after the import",
        0,
        &[
            "summary",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--include-pending",
            "--json",
        ],
        None,
    ),
    (
        "package export",
        0,
        &["package", "export", "--out", "{O}/双龙镇.pufapkg", "--json"],
        None,
    ),
    (
        "package import on a fresh laptop",
        0,
        &[
            "--data-dir",
            "{O}/laptop",
            "package",
            "import",
            "{O}/双龙镇.pufapkg",
            "--json",
        ],
        None,
    ),
    (
        "package import again: unchanged",
        0,
        &[
            "--data-dir",
            "{O}/laptop",
            "package",
            "import",
            "{O}/双龙镇.pufapkg",
            "--json",
        ],
        None,
    ),
    (
        "the laptop's summary",
        0,
        &[
            "--data-dir",
            "{O}/laptop",
            "summary",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
        None,
    ),
    (
        "backup",
        0,
        &["backup", "--out", "{O}/备份.pufabak", "--json"],
        None,
    ),
    (
        "restore preview",
        0,
        &["restore", "{O}/备份.pufabak", "--preview", "--json"],
        None,
    ),
    (
        "campaign delete",
        0,
        &["campaign", "delete", "{campaign}", "--json"],
        None,
    ),
    (
        "restore",
        0,
        &["restore", "{O}/备份.pufabak", "--json"],
        None,
    ),
    (
        "summary after the restore",
        0,
        &[
            "summary",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--include-pending",
            "--json",
        ],
        None,
    ),
    ("check after the restore", 0, &["check", "--json"], None),
    // Refusals: the same code, message and field on both.
    (
        "bad date",
        1,
        &["summary", "--from", "2026-13-01", "--json"],
        None,
    ),
    (
        "reversed period",
        1,
        &[
            "export",
            "csv",
            "--from",
            "2026-12-01",
            "--to",
            "2026-01-01",
            "--out",
            "{O}/坏.csv",
            "--json",
        ],
        None,
    ),
    (
        "empty campaign name",
        1,
        &[
            "campaign",
            "add",
            "--name",
            " ",
            "--start",
            "2026-12-01",
            "--end",
            "2026-12-07",
            "--json",
        ],
        None,
    ),
    (
        "end before start",
        1,
        &[
            "campaign",
            "add",
            "--name",
            "宪法宣传周",
            "--start",
            "2026-12-07",
            "--end",
            "2026-12-01",
            "--json",
        ],
        None,
    ),
    (
        "missing folder",
        1,
        &[
            "export",
            "csv",
            "--out",
            "{O}/没有这个文件夹/台账.csv",
            "--json",
        ],
        None,
    ),
    (
        "a folder as the file",
        1,
        &["export", "csv", "--out", "{O}", "--json"],
        None,
    ),
    (
        "a broken workbook",
        1,
        &["import", "xlsx", "{O}/坏文件.xlsx", "--json"],
        None,
    ),
    (
        "a broken backup",
        1,
        &["restore", "{O}/坏文件.xlsx", "--json"],
        None,
    ),
    (
        "a cut package",
        1,
        &["package", "import", "{O}/半个.pufapkg", "--json"],
        None,
    ),
    (
        "unknown campaign",
        1,
        &[
            "campaign",
            "show",
            "00000000-0000-7000-8000-000000000000",
            "--json",
        ],
        None,
    ),
    ("bad command line: exit 2", 2, &["frobnicate"], None),
    (
        "unknown option: exit 2",
        2,
        &["summary", "--colour", "red"],
        None,
    ),
];

fn wine_exe() -> PathBuf {
    let exe = std::env::var_os("PUFA_WINE_EXE")
        .expect("PUFA_WINE_EXE names pufa-cli.exe (run tests/wine/run.sh)");
    let exe = PathBuf::from(exe);
    assert!(exe.is_file(), "{} is not built", exe.display());
    exe
}

fn sides() -> (tempfile::TempDir, Side, Side) {
    let tmp = tempfile::Builder::new()
        .prefix("pufa-wine-")
        .tempdir_in(concat!(env!("CARGO_MANIFEST_DIR"), "/target"))
        .unwrap();
    let linux = Side {
        name: "Linux",
        root: tmp.path().join("linux"),
        windows: None,
    };
    let windows = Side {
        name: "Windows (Wine)",
        root: tmp.path().join("windows"),
        windows: Some(wine_exe()),
    };
    for side in [&linux, &windows] {
        let out = side.root.join("out");
        std::fs::create_dir_all(&out).unwrap();
        common::filled_sheet(&out.join("安静村11月.xlsx"));
        std::fs::write(out.join("坏文件.xlsx"), b"PK\x03\x04 not really a workbook").unwrap();
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/icons/32x32.png"),
            out.join("现场照片.png"),
        )
        .unwrap();
    }
    (tmp, linux, windows)
}

#[test]
#[ignore = "needs the Windows build and Wine: bash tests/wine/run.sh"]
fn the_windows_cli_under_wine_answers_as_the_linux_build_does() {
    let (_tmp, linux, windows) = sides();
    let mut vars: [HashMap<String, String>; 2] = Default::default();
    let mut compared_files = 0;
    let mut differences = Vec::new();
    for (name, code, args, file) in DEMO_YEAR {
        if *name == "package import on a fresh laptop" {
            // A cut package, from this side's own whole one.
            for side in [&linux, &windows] {
                let whole = std::fs::read(side.root.join("out/双龙镇.pufapkg")).unwrap();
                std::fs::write(
                    side.root.join("out/半个.pufapkg"),
                    &whole[..whole.len() / 2],
                )
                .unwrap();
            }
        }
        // On the demo town's folder unless the step names its own.
        let mut args = args.to_vec();
        if args[0] != "--data-dir" {
            args.splice(0..0, ["--data-dir", "{D}"]);
        }
        let (a, a_raw, a_err) = linux.run(&args, &vars[0]);
        let (b, b_raw, b_err) = windows.run(&args, &vars[1]);
        if *name == "demo" {
            // Each side's first approved record, for the photo (no command lists record ids).
            for (side, v) in [&linux, &windows].into_iter().zip(vars.iter_mut()) {
                let db = rusqlite::Connection::open(side.root.join("data/pufa.db")).unwrap();
                let id: String = db
                    .query_row(
                        "SELECT id FROM record WHERE review_status = 'approved'
                         ORDER BY date, title LIMIT 1",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                v.insert("record".into(), id);
            }
        }
        if *name == "campaign list" {
            // Each side's own first campaign, for the steps that name one.
            let [va, vb] = &mut vars;
            for (raw, v) in [(&a_raw, va), (&b_raw, vb)] {
                let id = raw[0]["id"].as_str().expect("a campaign").to_string();
                v.insert("campaign".into(), id);
            }
        }
        if (a.code, b.code) != (*code, *code) {
            differences.push(format!(
                "{name}: exit codes {} (Linux) and {} (Windows), expected {code}",
                a.code, b.code
            ));
        }
        eprintln!(
            "{name}: exit {} / {}{}",
            a.code,
            b.code,
            if a == b { "" } else { "  ← DIFFERENT" }
        );
        if a.json == Value::Null && a.code == 0 {
            panic!("{name}: no JSON from {}; stderr: {a_err}", linux.name);
        }
        if a != b {
            differences.push(format!(
                "{name}:\n  {}: {} {}\n  stderr: {a_err}\n  {}: {} {}\n  stderr: {b_err}",
                linux.name, a.code, a.json, windows.name, b.code, b.json
            ));
        }
        if let Some(f) = file {
            let (pa, pb) = (
                linux.root.join("out").join(f),
                windows.root.join("out").join(f),
            );
            let same = if f.ends_with(".ics") {
                ics_lines(&pa) == ics_lines(&pb)
            } else if f.ends_with(".csv") {
                std::fs::read(&pa).unwrap() == std::fs::read(&pb).unwrap()
            } else {
                let (za, zb) = (zip_parts(&pa), zip_parts(&pb));
                let differing: Vec<&String> = za
                    .keys()
                    .chain(zb.keys())
                    .filter(|k| za.get(*k) != zb.get(*k))
                    .collect();
                if !differing.is_empty() {
                    eprintln!("  {f}: parts that differ: {differing:?}");
                }
                differing.is_empty()
            };
            compared_files += 1;
            if !same {
                differences.push(format!("{name}: {f} differs between the two builds"));
            }
        }
    }
    eprintln!(
        "{} steps, {compared_files} exported files compared, {} differences",
        DEMO_YEAR.len(),
        differences.len()
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// The user folders of the Wine prefix's user (C:\\users\\<name>).
fn wine_user_folder() -> PathBuf {
    let prefix = std::env::var_os("WINEPREFIX")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/wine-prefix"))
        });
    std::fs::read_dir(prefix.join("drive_c/users"))
        .expect("the Wine prefix has users")
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n != "Public") && p.join("AppData").is_dir())
        .expect("the Wine user's folder")
}

#[test]
#[ignore = "needs the Windows build and Wine: bash tests/wine/run.sh"]
fn on_windows_the_data_moves_from_roaming_to_local_app_data_and_a_marker_keeps_it_portable() {
    let (tmp, linux, windows) = sides();
    let no_vars = HashMap::new();

    // Without a subcommand the console companion explains itself and exits 2.
    let help = captured(&mut windows.command());
    assert_eq!(help.status.code(), Some(2));
    let text = String::from_utf8_lossy(&help.stderr);
    assert!(
        text.contains("pufa-cli") && text.contains("summary"),
        "{text}"
    );

    // A data folder an earlier version left in the roaming %APPDATA%.
    let user = wine_user_folder();
    let roaming = user.join("AppData/Roaming/cn.pufa-planner.app");
    let local = user.join("AppData/Local/cn.pufa-planner.app");
    for d in [&roaming, &local] {
        let _ = std::fs::remove_dir_all(d);
    }
    // Made by the Linux build in its own work folder (never the real user's folder).
    let (made, _, err) = linux.run(
        &[
            "--data-dir",
            "{D}",
            "demo",
            "--seed",
            "3",
            "--year",
            "2026",
            "--json",
        ],
        &no_vars,
    );
    assert_eq!(made.code, 0, "{err}");
    let year = [
        "summary",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--json",
    ];
    let mut on_linux = vec!["--data-dir", "{D}"];
    on_linux.extend(year);
    let (linux_summary, _, _) = linux.run(&on_linux, &no_vars);
    std::fs::create_dir_all(roaming.parent().unwrap()).unwrap();
    std::fs::rename(linux.root.join("data"), &roaming).unwrap();
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(
        local.join("EBWebView"),
        "WebView2's cache of an earlier start",
    )
    .unwrap();

    let (info, raw, err) = windows.run(&["info", "--json"], &no_vars);
    assert_eq!(info.code, 0, "{err}");
    let shown = raw["data_dir"].as_str().unwrap();
    assert!(
        shown.ends_with("\\AppData\\Local\\cn.pufa-planner.app"),
        "the data folder is in %LOCALAPPDATA%: {shown}"
    );
    assert_eq!(raw["town"]["name"], "双龙镇", "the town came along: {raw}");
    assert!(!roaming.exists(), "the roaming folder is gone");
    assert!(local.join("pufa.db").is_file());
    assert!(local.join("EBWebView").is_file());
    // Once: a second start finds the data where it is.
    let (again, _, _) = windows.run(&year, &no_vars);
    assert_eq!(
        again, linux_summary,
        "the moved data gives the same numbers"
    );
    let logs: Vec<_> = std::fs::read_dir(local.join("logs"))
        .expect("a log folder")
        .collect();
    assert_eq!(logs.len(), 1, "one log file a day");
    let log = std::fs::read_to_string(logs[0].as_ref().unwrap().path()).unwrap();
    assert!(
        log.contains("数据文件夹已移到本地应用数据文件夹"),
        "the move is in the log: {log}"
    );
    std::fs::remove_dir_all(&local).unwrap();

    // The portable copy: the marker beside the program keeps the data beside it.
    let stick = tmp.path().join("U盘/普法台账");
    std::fs::create_dir_all(&stick).unwrap();
    std::fs::copy(
        windows.windows.as_ref().unwrap(),
        stick.join("pufa-cli.exe"),
    )
    .unwrap();
    std::fs::write(stick.join("portable.txt"), "便携版").unwrap();
    let portable = Side {
        name: "portable",
        root: tmp.path().join("portable"),
        windows: Some(stick.join("pufa-cli.exe")),
    };
    let (info, raw, err) = portable.run(
        &["init", "--town", "双龙镇", "--villages", "安静村", "--json"],
        &no_vars,
    );
    assert_eq!(info.code, 0, "{err}");
    let shown = raw["data_dir"].as_str().unwrap();
    assert!(shown.ends_with("普法台账\\数据"), "{shown}");
    assert!(stick.join("数据/pufa.db").is_file());
    assert!(!local.exists(), "nothing in %LOCALAPPDATA%");
}
