//! Crash safety: the real binary killed outright (`Child::kill`: SIGKILL on Unix) at random
//! moments of long writes, many times; the database must then pass `integrity_check` and hold
//! either the whole job or nothing of it.

mod common;

use common::{cli, data_dir, BIN};
use rusqlite::Connection;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic generator: the kill moments are random but the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Starts `pufa-planner --data-dir DIR args…`, kills it after `after` (if still running) and
/// says whether it had finished by itself.
fn run_and_kill(dir: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("PUFA_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let started = Instant::now();
    while started.elapsed() < after {
        if child.try_wait().expect("wait").is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let finished = child.try_wait().expect("wait").is_some();
    if !finished {
        child.kill().expect("kill");
    }
    child.wait().expect("reaped");
    finished
}

/// How long a full run of `args` takes (then undone by `reset`).
fn full_run(dir: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    assert!(run_and_kill(dir, args, Duration::from_secs(300)));
    started.elapsed()
}

fn open(dir: &Path) -> Connection {
    Connection::open(dir.join("pufa.db")).expect("the database opens")
}

fn integrity(dir: &Path) -> String {
    open(dir)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check runs")
}

fn count(dir: &Path, sql: &str) -> i64 {
    open(dir).query_row(sql, [], |r| r.get(0)).expect("counts")
}

#[test]
fn a_restore_killed_anywhere_leaves_the_old_data_without_its_entry_or_the_backup_with_it() {
    let (_tmp, dir) = data_dir();
    cli(&dir, &["demo", "--activities", "10000", "--seed", "1"]).ok();
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("b.pufabak");
    let backup_arg = backup.to_str().unwrap();
    cli(&dir, &["backup", "--out", backup_arg]).ok();
    let in_backup = count(&dir, "SELECT count(*) FROM record");
    // The live data moves on: a third of the records gone after the backup.
    open(&dir)
        .execute("DELETE FROM record WHERE rowid % 3 = 0", [])
        .unwrap();
    let live = count(&dir, "SELECT count(*) FROM record");
    assert!(live < in_backup);

    // The data and the trail go together: the old records without a "restore" entry, or the
    // backup's records with it (written in the same swap).
    let state = |d: &Path| {
        let records = count(d, "SELECT count(*) FROM record");
        let restored = count(
            d,
            "SELECT count(*) FROM audit_log WHERE entity = 'backup' AND action = 'restore'",
        );
        records * 10 + restored
    };
    let (before, after) = kill_on_copies(&dir, &["restore", backup_arg], 16, 2026, &state);
    assert_eq!((before, after), (live * 10, in_backup * 10 + 1));
}

#[test]
fn a_demo_generation_killed_anywhere_leaves_nothing_or_all_of_it() {
    let (_tmp, dir) = data_dir();
    let args = ["demo", "--activities", "10000", "--seed", "4"];
    let whole = full_run(&dir, &args);
    let all = count(&dir, "SELECT count(*) FROM activity");
    assert!(all >= 10_000);
    let mut rng = Lcg(7);
    for round in 0..12 {
        let (_tmp, dir) = data_dir();
        let at = Duration::from_micros(rng.below(whole.as_micros() as u64 * 11 / 10));
        run_and_kill(&dir, &args, at);
        if !dir.join("pufa.db").exists() {
            continue;
        }
        assert_eq!(integrity(&dir), "ok", "round {round}, killed after {at:?}");
        // Killed before the first migration committed: an empty database, nothing of the demo.
        if count(
            &dir,
            "SELECT count(*) FROM sqlite_master WHERE name = 'activity'",
        ) == 0
        {
            continue;
        }
        let activities = count(&dir, "SELECT count(*) FROM activity");
        assert!(
            activities == 0 || activities == all,
            "round {round}, killed after {at:?}: {activities} of {all} activities"
        );
    }
}

/// Copies a data folder (its database checkpointed first, so the copy is the one file).
fn copy_folder(from: &Path, to: &Path) {
    open(from)
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    copy_tree(from, to);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What killed runs left half-written (`.pufa-…` temporary files) in a folder and its backups.
fn leftovers(dir: &Path) -> Vec<String> {
    [dir.to_path_buf(), dir.join("backups")]
        .iter()
        .filter(|d| d.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pufa-"))
        .collect()
}

/// Kills `args` at `rounds` random moments, each time on a fresh copy of `pristine`, and
/// checks each result with `state` (which must be `before` or `after`); returns both.
fn kill_on_copies(
    pristine: &Path,
    args: &[&str],
    rounds: usize,
    seed: u64,
    state: &dyn Fn(&Path) -> i64,
) -> (i64, i64) {
    let work = tempfile::tempdir().unwrap();
    let first = work.path().join("full");
    copy_folder(pristine, &first);
    let before = state(&first);
    let whole = full_run(&first, args);
    let after = state(&first);
    assert_ne!(before, after, "the job changes something");
    let mut rng = Lcg(seed);
    let (mut none, mut all) = (0, 0);
    for round in 0..rounds {
        let dir = work.path().join(format!("round-{round}"));
        copy_folder(pristine, &dir);
        let at = Duration::from_micros(rng.below(whole.as_micros() as u64 * 11 / 10));
        run_and_kill(&dir, args, at);
        assert_eq!(integrity(&dir), "ok", "round {round}, killed after {at:?}");
        let got = state(&dir);
        assert!(
            got == before || got == after,
            "round {round}, killed after {at:?}: {got}, neither {before} nor {after}"
        );
        if got == before {
            none += 1;
        } else {
            all += 1;
        }
        // Opening the folder again works and clears what the killed run left.
        cli(&dir, &["info"]).ok();
        assert!(
            leftovers(&dir).is_empty(),
            "round {round}: {:?}",
            leftovers(&dir)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!("{args:?} ({whole:?} in full) killed {rounds} times: {none} times nothing, {all} times all of it");
    (before, after)
}

#[test]
fn an_excel_import_killed_anywhere_leaves_none_or_all_of_its_rows() {
    // One laptop's 台账 of a busy year, imported on another laptop of the same town.
    let (_tmp, source) = data_dir();
    cli(
        &source,
        &[
            "demo",
            "--activities",
            "3000",
            "--seed",
            "3",
            "--year",
            "2025",
        ],
    )
    .ok();
    let out = tempfile::tempdir().unwrap();
    let ledger = out.path().join("台账.xlsx");
    let ledger_arg = ledger.to_str().unwrap();
    cli(
        &source,
        &[
            "export",
            "ledger-xlsx",
            "--out",
            ledger_arg,
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
        ],
    )
    .ok();
    let (_tmp2, town) = data_dir();
    cli(&town, &["demo", "--seed", "3", "--year", "2024"]).ok();
    let dry = cli(
        &town,
        &["import", "xlsx", ledger_arg, "--dry-run", "--json"],
    )
    .ok()
    .json();
    let valid = dry["valid"].as_i64().unwrap();
    assert!(valid > 300, "{dry}");
    let records = |d: &Path| count(d, "SELECT count(*) FROM record");
    let (before, after) = kill_on_copies(&town, &["import", "xlsx", ledger_arg], 12, 11, &records);
    assert_eq!(after - before, valid);
}

#[test]
fn a_package_merge_killed_anywhere_leaves_none_or_all_of_it() {
    // A village laptop took the town's package; the town then reviewed half the records and
    // sends a new package, merged on the village laptop.
    let (_tmp, town) = data_dir();
    cli(&town, &["demo", "--activities", "10000", "--seed", "5"]).ok();
    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("first.pufapkg");
    cli(
        &town,
        &["package", "export", "--out", first.to_str().unwrap()],
    )
    .ok();
    let (_tmp2, village) = data_dir();
    cli(&village, &["package", "import", first.to_str().unwrap()]).ok();
    open(&town)
        .execute(
            "UPDATE record SET narrative = narrative || '（镇里已核）' WHERE rowid % 2 = 0",
            [],
        )
        .unwrap();
    let second = out.path().join("second.pufapkg");
    cli(
        &town,
        &[
            "package",
            "export",
            "--out",
            second.to_str().unwrap(),
            "--since-last",
        ],
    )
    .ok();
    let checked = |d: &Path| {
        count(
            d,
            "SELECT count(*) FROM record WHERE narrative LIKE '%（镇里已核）'",
        )
    };
    let (before, after) = kill_on_copies(
        &village,
        &["package", "import", second.to_str().unwrap()],
        12,
        13,
        &checked,
    );
    assert_eq!(before, 0);
    assert_eq!(
        after,
        count(&town, "SELECT count(*) FROM record WHERE rowid % 2 = 0")
    );
}
