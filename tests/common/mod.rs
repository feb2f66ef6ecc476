//! Helpers shared by the integration tests: run the real binary's CLI on a temporary data folder.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_pufa-planner");

/// The outcome of one CLI run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success; stderr: {}", self.stderr);
        self
    }
}

/// Runs `pufa-planner --data-dir DIR args…`, with `PUFA_DATA_DIR` cleared so only the flag counts.
pub fn cli(data_dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("PUFA_DATA_DIR")
        .output()
        .expect("the binary runs");
    Run::from(out)
}

/// Runs the binary with an explicit environment and no `--data-dir`.
pub fn cli_env(env: &[(&str, &Path)], args: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env_remove("PUFA_DATA_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("the binary runs"))
}

/// A fresh data folder (inside a temp dir that is removed when dropped).
pub fn data_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    (tmp, dir)
}

/// A data folder already set up as 双龙镇 with three villages and a coordinator.
pub fn initialized() -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = data_dir();
    cli(
        &dir,
        &[
            "init",
            "--town",
            "双龙镇",
            "--county",
            "巫山县",
            "--villages",
            "安静村,石院村、长安村",
            "--schools",
            "双龙镇中心小学",
            "--user",
            "张三",
            "--role",
            "coordinator",
        ],
    )
    .ok();
    (tmp, dir)
}

/// The database file's bytes, to prove a refused command wrote nothing.
pub fn campaign_count(dir: &Path) -> usize {
    let run = cli(dir, &["campaign", "list", "--json"]).ok();
    run.json().as_array().expect("a list").len()
}

/// The filled-in 活动登记表 a village sends back, as a cadre's Excel or WPS writes it: a title
/// row above the header, forgiving dates and numbers (６０, 200余), a wrong date, an unknown
/// village and one row twice.
pub fn filled_sheet(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "安静村2026年11月普法活动登记").unwrap();
    let rows: [[&str; 6]; 6] = [
        [
            "日期",
            "村/社区",
            "活动名称",
            "活动形式",
            "参加人数",
            "受众人次",
        ],
        [
            "2026年11月3日",
            "安静村",
            "反诈宣传进院坝",
            "院坝会",
            "６０",
            "80",
        ],
        [
            "2026.11.5",
            "石院村",
            "民法典讲座",
            "法治讲座",
            "45",
            "200余",
        ],
        [
            "2026-13-45",
            "安静村",
            "日期写错的一场",
            "院坝会",
            "30",
            "30",
        ],
        [
            "2026/11/8",
            "不存在村",
            "村名写错的一场",
            "院坝会",
            "30",
            "30",
        ],
        [
            "2026年11月3日",
            "安静村",
            "反诈宣传进院坝",
            "院坝会",
            "60",
            "80",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save(path).unwrap();
}
