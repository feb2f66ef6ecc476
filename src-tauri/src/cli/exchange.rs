//! Exchange subcommands: the Excel template and its import, data packages between laptops,
//! backups of the whole data (database and attachments) and restore.

use clap::{Args, Subcommand};
use pufa_core::api::{Request, Response, Written};
use pufa_core::backup::{BackupInfo, BackupKind};
use pufa_core::exchange::package::{Keep, PackageReport, PackageScope};
use pufa_core::exchange::xlsx_import::{
    ColumnChoice, ImportAsked, ImportPreview, ImportReport, RowError, SheetSummary,
};
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
        /// 表格没有“村/社区”列时，整张表的村/社区
        #[arg(long, value_name = "NAME")]
        village: Option<String>,
        /// 表格没有“活动形式”列时，整张表的活动形式（如 集中宣传、有奖问答）
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// 改正某列的对应（可多次）：--map 人员=参加人数，--map 备注=不导入；确认导入后，同样表头的表格下次按此读取
        #[arg(long = "map", value_name = "列名=字段")]
        map: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PackageCmd {
    /// 导出数据包（.pufapkg），发给镇里或村里的另一台电脑
    Export {
        /// 数据包文件
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// 只导出这个村/社区的数据（名称）
        #[arg(long, value_name = "NAME")]
        village: Option<String>,
        /// 只导出上次导出（同一范围）以来的变化
        #[arg(long)]
        since_last: bool,
    },
    /// 导入另一台电脑的数据包：新增、更新、冲突、未变各多少；检查通过后、写入前自动备份
    Import {
        file: PathBuf,
        /// 确认这台以前没来过数据包的电脑确实是乡镇的电脑（它的数据包可以修改全镇的数据）
        #[arg(long)]
        trust_device: bool,
    },
    /// 列出两边都改过的数据（同步冲突），未处理的在前
    Conflicts,
    /// 处理一个同步冲突：保留本机的（local）或导入的（incoming）版本
    Resolve {
        /// 冲突编号（见 package conflicts）
        id: String,
        #[arg(long, value_enum)]
        keep: KeepArg,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum KeepArg {
    Local,
    Incoming,
}

pub enum Output {
    One,
    Package,
    List,
    Template,
    Import { dry_run: bool },
}

pub fn package(cmd: PackageCmd) -> Request {
    match cmd {
        PackageCmd::Export {
            out,
            village,
            since_last,
        } => Request::PackageExport {
            path: path(out),
            scope: PackageScope {
                since_last,
                village,
            },
        },
        PackageCmd::Import { file, trust_device } => Request::PackageImport {
            path: path(file),
            trust_device,
        },
        PackageCmd::Conflicts => Request::SyncConflictList,
        PackageCmd::Resolve { id, keep } => Request::SyncConflictResolve {
            id,
            keep: match keep {
                KeepArg::Local => Keep::Local,
                KeepArg::Incoming => Keep::Incoming,
            },
        },
    }
}

/// The human lines of a package export, import report, conflict list or resolved conflict.
fn print_package(response: Response) -> Result<(), AppError> {
    match response {
        Response::SyncConflictList(list) => {
            if list.is_empty() {
                println!("没有同步冲突");
            }
            for c in &list {
                let state = match c.kept {
                    Some(Keep::Local) => "已处理：保留本机",
                    Some(Keep::Incoming) => "已处理：保留导入",
                    None => "未处理",
                };
                println!(
                    "{}  {}“{}”  {state}\n  编号 {}",
                    c.created_at, c.entity_label, c.title, c.id
                );
                if let Some(reason) = &c.reason {
                    println!("  未导入：{reason}");
                }
            }
        }
        Response::SyncConflictResolve(c) => println!(
            "已处理冲突：{}“{}”保留{}",
            c.entity_label,
            c.title,
            if c.kept == Some(Keep::Local) {
                "本机版本"
            } else {
                "导入版本"
            }
        ),
        Response::PackageExport(e) => {
            let c = &e.counts;
            println!(
                "已导出数据包：{}\n  活动记录 {} 条、计划活动 {} 项、专项 {} 个、附件 {} 个、删除 {} 项，{:.1} MB",
                e.path,
                c.records,
                c.activities,
                c.campaigns,
                c.attachments,
                c.tombstones,
                e.bytes as f64 / 1024.0 / 1024.0
            );
        }
        other => {
            let r: PackageReport = other.take()?;
            println!(
                "已导入“{}”的数据包（{}）：新增 {}，更新 {}，冲突 {}，未变 {}，删除 {}",
                r.town, r.maker, r.added, r.updated, r.conflicts, r.unchanged, r.deleted
            );
            for e in &r.entities {
                println!(
                    "  {}：新增 {}，更新 {}，冲突 {}，未变 {}，删除 {}",
                    e.label, e.added, e.updated, e.conflicts, e.unchanged, e.deleted
                );
            }
            if r.out_of_scope > 0 {
                println!(
                    "其中 {} 处修改超出了数据包制作者的权限，没有导入，已留给协调员处理",
                    r.out_of_scope
                );
            }
            if r.conflicts > 0 {
                println!("两边都改过的数据已按较新的修改暂存，请用 package conflicts 查看并处理");
            }
        }
    }
    Ok(())
}

pub fn template(out: PathBuf) -> (Request, Output) {
    (
        Request::ImportTemplate { path: path(out) },
        Output::Template,
    )
}

pub fn import(cmd: ImportCmd) -> (Request, Output) {
    match cmd {
        ImportCmd::Xlsx {
            file,
            dry_run,
            village,
            format,
            map,
        } => {
            let path = path(file);
            let columns = map
                .iter()
                .map(|m| {
                    let (header, field) = m.split_once(['=', '＝']).unwrap_or((m, ""));
                    ColumnChoice {
                        header: header.trim().to_string(),
                        field: field.trim().to_string(),
                    }
                })
                .collect();
            let asked = ImportAsked {
                village,
                format,
                columns,
            };
            let request = if dry_run {
                Request::ImportPreview { path, asked }
            } else {
                Request::ImportXlsx { path, asked }
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
fn row_lines(title: &str, list: &[RowError]) {
    if list.is_empty() {
        return;
    }
    println!("{title}：");
    for e in list {
        println!("  {}", e.message);
    }
}

/// What a person needs to trust an import: every sheet read or skipped (and why), the rows
/// joined to the activity above, the columns not imported.
fn sheet_lines(sheets: &[SheetSummary], continued: u32, ignored: &[String]) {
    for s in sheets {
        match &s.skipped {
            None => println!(
                "  “{}”表：第{}行是表头，{} 行数据（可导入 {}，{}已登记过 {}，有错误 {}{}）",
                s.name,
                s.header_row,
                s.rows,
                s.valid,
                if s.updated > 0 {
                    format!("已修改 {}，", s.updated)
                } else {
                    String::new()
                },
                s.duplicates,
                s.error_rows,
                if s.continued > 0 {
                    format!("，续行 {} 行并入上一行", s.continued)
                } else {
                    String::new()
                }
            ),
            Some(why) => println!("  “{}”表未读取：{why}", s.name),
        }
    }
    if continued > 0 {
        println!("续行（没有日期和活动名称，只有资料或说明）{continued} 行，已并入上一行的活动");
    }
    if !ignored.is_empty() {
        println!("这些列没有导入：{}", ignored.join("、"));
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

pub fn restore(file: PathBuf, preview: bool, confirm_other_town: bool) -> (Request, Output) {
    let path = path(file);
    let request = if preview {
        Request::BackupInspect { path }
    } else {
        Request::BackupRestore {
            path,
            confirm_other_town,
        }
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
    let other = match (&b.current_town, b.other_town) {
        (Some(here), true) => format!(
            "\n  注意：这是“{}”的备份，本机是“{here}”的台账；恢复需加 --confirm-other-town",
            b.town
        ),
        _ => String::new(),
    };
    format!(
        "{made}  {}  {}：{} 条活动记录、{} 项计划活动、{} 个专项、{} 个附件{period}，{:.1} MB\n  {}{other}",
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

pub fn print(output: &Output, response: Response) -> Result<(), AppError> {
    match output {
        Output::Template => println!("已生成活动登记表模板：{}", response.take::<Written>()?.path),
        Output::Import { dry_run: true } => {
            let p: ImportPreview = response.take()?;
            println!(
                "检查完毕（未导入）：可导入 {} 行，已修改 {} 行（将更新原记录），已登记过 {} 行，有错误 {} 行",
                p.valid, p.updated, p.duplicates, p.error_rows
            );
            sheet_lines(&p.sheets, p.continued, &p.ignored_columns);
            for ask in &p.asks {
                match ask.as_str() {
                    "village" => println!("表格没有“村/社区”列：用 --village 指定整张表的村/社区"),
                    _ => println!("表格没有“活动形式”列：用 --format 指定整张表的活动形式"),
                }
            }
            row_lines("已修改（上次导入后表中改了，将更新原记录）", &p.corrected);
            row_lines("错误", &p.errors);
            row_lines("提示", &p.warnings);
        }
        Output::Import { dry_run: false } => {
            let r: ImportReport = response.take()?;
            println!(
                "已导入 {} 行，按表中的改动更新 {} 条记录；已登记过 {} 行、有错误 {} 行未导入",
                r.imported, r.updated, r.duplicates, r.error_rows
            );
            sheet_lines(&r.sheets, r.continued, &r.ignored_columns);
            row_lines("已修改（已更新原记录）", &r.corrected);
            row_lines("错误", &r.errors);
            row_lines("提示", &r.warnings);
        }
        Output::Package => print_package(response)?,
        Output::One => println!("{}", line(&response.take()?)),
        Output::List => {
            let list: Vec<BackupInfo> = response.take()?;
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
