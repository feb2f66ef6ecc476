//! Exchange subcommands: the Excel template and its import, backups of the whole data
//! (database and attachments) and restore.

use clap::{Args, Subcommand};
use pufa_core::api::Request;
use pufa_core::backup::{BackupInfo, BackupKind};
use pufa_core::{AppError, ErrorCode};
use serde_json::Value;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    action: Option<BackupCmd>,
    /// 备份到这个文件（.pufabak，含数据库和全部附件）
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum BackupCmd {
    /// 列出数据文件夹里的自动备份（每天、每周、升级前、导入前、恢复前）
    List,
}

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// 导入填好的活动登记表（.xlsx/.xls）：先检查每一行，只导入无误且未登记过的行；导入前自动备份
    Xlsx {
        file: PathBuf,
        /// 只检查，不导入
        #[arg(long)]
        dry_run: bool,
    },
}

pub enum Output {
    One,
    List,
    Template,
    Import { dry_run: bool },
}

pub fn template(out: PathBuf) -> (Request, Output) {
    (
        Request::ImportTemplate { path: path(out) },
        Output::Template,
    )
}

pub fn import(cmd: ImportCmd) -> (Request, Output) {
    match cmd {
        ImportCmd::Xlsx { file, dry_run } => {
            let path = path(file);
            let request = if dry_run {
                Request::ImportPreview { path }
            } else {
                Request::ImportXlsx { path }
            };
            (request, Output::Import { dry_run })
        }
    }
}

/// The JSON printed with `--json`: a dry run says `imported: 0` like the import would.
pub fn json(output: &Output, mut value: Value) -> Value {
    if let (Output::Import { dry_run: true }, Value::Object(map)) = (output, &mut value) {
        map.insert("imported".into(), Value::from(0));
    }
    value
}

/// One problem of a row, as `第3行“日期”：…` (the message names row and column already).
fn row_lines(title: &str, list: &[Value]) {
    if list.is_empty() {
        return;
    }
    println!("{title}：");
    for e in list {
        println!("  {}", e["message"].as_str().unwrap_or_default());
    }
}

fn path(p: PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

pub fn backup(args: BackupArgs) -> Result<(Request, Output), AppError> {
    match (args.action, args.out) {
        (Some(BackupCmd::List), _) => Ok((Request::BackupList, Output::List)),
        (None, Some(out)) => Ok((Request::BackupCreate { path: path(out) }, Output::One)),
        (None, None) => Err(AppError::field(
            ErrorCode::Required,
            "path",
            "请用 --out 指定备份文件，或用 backup list 查看自动备份",
        )),
    }
}

pub fn restore(file: PathBuf, preview: bool) -> (Request, Output) {
    let path = path(file);
    let request = if preview {
        Request::BackupInspect { path }
    } else {
        Request::BackupRestore { path }
    };
    (request, Output::One)
}

fn kind_label(kind: BackupKind) -> &'static str {
    match kind {
        BackupKind::Manual => "手动备份",
        BackupKind::Daily => "每日自动备份",
        BackupKind::Weekly => "每周自动备份",
        BackupKind::BeforeMigration => "升级前备份",
        BackupKind::BeforeImport => "导入前备份",
        BackupKind::BeforeRestore => "恢复前备份",
    }
}

fn line(b: &BackupInfo) -> String {
    let period = match (&b.first_date, &b.last_date) {
        (Some(f), Some(l)) => format!("，记录日期 {f} 至 {l}"),
        _ => String::new(),
    };
    let made = chrono::DateTime::parse_from_rfc3339(&b.created_at)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y年%-m月%-d日 %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| b.created_at.clone());
    format!(
        "{made}  {}  {}：{} 条活动记录、{} 项计划活动、{} 个专项、{} 个附件{period}，{:.1} MB\n  {}",
        kind_label(b.kind),
        if b.town.is_empty() { "（未设置乡镇）" } else { &b.town },
        b.records,
        b.activities,
        b.campaigns,
        b.attachments,
        b.bytes as f64 / 1024.0 / 1024.0,
        b.path
    )
}

pub fn print(output: &Output, value: Value) -> Result<(), serde_json::Error> {
    match output {
        Output::Template => println!(
            "已生成活动登记表模板：{}",
            value["path"].as_str().unwrap_or_default()
        ),
        Output::Import { dry_run } => {
            let n = |k: &str| value[k].as_u64().unwrap_or(0);
            if *dry_run {
                println!(
                    "检查完毕（未导入）：可导入 {} 行，已登记过 {} 行，有错误 {} 行",
                    n("valid"),
                    n("duplicates"),
                    n("error_rows")
                );
            } else {
                println!(
                    "已导入 {} 行；已登记过 {} 行、有错误 {} 行未导入",
                    n("imported"),
                    n("duplicates"),
                    n("error_rows")
                );
            }
            let list = |k: &str| value[k].as_array().cloned().unwrap_or_default();
            row_lines("错误", &list("errors"));
            row_lines("提示", &list("warnings"));
        }
        Output::One => println!("{}", line(&serde_json::from_value(value)?)),
        Output::List => {
            let list: Vec<BackupInfo> = serde_json::from_value(value)?;
            if list.is_empty() {
                println!("还没有自动备份");
            }
            for b in &list {
                println!("{}", line(b));
            }
        }
    }
    Ok(())
}
