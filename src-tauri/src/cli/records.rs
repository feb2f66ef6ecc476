//! Record-keeping subcommands: held records (activity add/approve/return), materials, stock,
//! the audit trail.

use clap::Subcommand;
use pufa_core::api::{Request, Response};
use pufa_core::audit::AuditFilter;
use pufa_core::inventory::{
    Material, MaterialInput, Movement, ReceiptInput, StockReport, TransferInput,
};
use pufa_core::record::{LedgerEntry, Record, ReviewAction};
use pufa_core::trail::AuditView;
use pufa_core::{AppError, ErrorCode};
use serde_json::Value;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum MaterialCmd {
    /// 资料目录
    List,
    /// 新增资料
    Add {
        #[arg(long)]
        name: String,
        /// 份 | 册 | 本 | 张 | 个 | 件 | 条 | 块 …
        #[arg(long)]
        unit: String,
        #[arg(long)]
        category: Option<String>,
        /// 库存预警数量
        #[arg(long)]
        low: Option<i64>,
    },
}

#[derive(Subcommand, Debug)]
pub enum StockCmd {
    /// 入库
    Receive {
        #[arg(long)]
        material: String,
        #[arg(long)]
        quantity: i64,
        #[arg(long)]
        date: String,
        /// 来源，如 县司法局配发
        #[arg(long)]
        source: Option<String>,
        /// 直接入村资料点（村名）
        #[arg(long)]
        village: Option<String>,
    },
    /// 调拨：镇资料库 → 村资料点（或反向）
    Transfer {
        #[arg(long)]
        material: String,
        #[arg(long)]
        quantity: i64,
        #[arg(long)]
        date: String,
        /// 调出村（默认镇资料库）
        #[arg(long)]
        from: Option<String>,
        /// 调入村（默认镇资料库）
        #[arg(long)]
        to: Option<String>,
        /// 确认库存不足仍调拨（记为超发）
        #[arg(long)]
        confirm: bool,
    },
    /// 出入库明细
    Ledger {
        #[arg(long)]
        material: Option<String>,
    },
}

pub enum RecordOutput {
    Summary,
    Ledger,
    NewId,
    Record,
    Attachment,
    Materials,
    Material,
    Stock,
    Movements,
    Movement,
    Audit,
}

fn bad_file(path: &std::path::Path, e: impl std::fmt::Display) -> AppError {
    AppError::field(
        ErrorCode::InvalidValue,
        "json_file",
        format!("无法读取“{}”：{e}", path.display()),
    )
}

/// `activity add --json-file F`: one record (or planned activity) exactly as
/// `activity list --json` prints it; ids and timestamps are ignored.
pub fn add_from_file(path: &PathBuf, confirm: bool) -> Result<(Request, RecordOutput), AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| bad_file(path, e))?;
    let mut value: Value = serde_json::from_str(&text).map_err(|e| bad_file(path, e))?;
    if value.is_array() {
        return Err(bad_file(
            path,
            "文件里应是一条记录（一个 JSON 对象），不是列表",
        ));
    }
    let planned = value["kind"] == "planned";
    if !planned {
        value["confirm_below_zero"] = Value::Bool(confirm);
        let input = serde_json::from_value(value).map_err(|e| bad_file(path, e))?;
        return Ok((Request::RecordCreate(input), RecordOutput::NewId));
    }
    let input = serde_json::from_value(value).map_err(|e| bad_file(path, e))?;
    Ok((
        Request::ActivityCreate {
            input,
            recurrence: None,
        },
        RecordOutput::NewId,
    ))
}

pub fn review(
    id: String,
    action: ReviewAction,
    comment: Option<String>,
) -> (Request, RecordOutput) {
    (
        Request::RecordReview {
            id,
            action,
            comment,
        },
        RecordOutput::Record,
    )
}

pub fn attach(record_id: String, file: &std::path::Path, kind: String) -> (Request, RecordOutput) {
    (
        Request::AttachmentAdd {
            record_id,
            path: file.to_string_lossy().into_owned(),
            kind,
        },
        RecordOutput::Attachment,
    )
}

pub fn material(cmd: MaterialCmd) -> (Request, RecordOutput) {
    match cmd {
        MaterialCmd::List => (
            Request::MaterialList {
                include_archived: false,
            },
            RecordOutput::Materials,
        ),
        MaterialCmd::Add {
            name,
            unit,
            category,
            low,
        } => (
            Request::MaterialCreate(MaterialInput {
                name,
                category,
                unit,
                low_stock: low,
            }),
            RecordOutput::Material,
        ),
    }
}

pub fn stock(cmd: Option<StockCmd>) -> (Request, RecordOutput) {
    match cmd {
        None => (Request::StockReport, RecordOutput::Stock),
        Some(StockCmd::Receive {
            material,
            quantity,
            date,
            source,
            village,
        }) => (
            Request::StockReceive(ReceiptInput {
                material,
                quantity,
                date,
                source,
                unit_id: village,
                note: None,
            }),
            RecordOutput::Movement,
        ),
        Some(StockCmd::Transfer {
            material,
            quantity,
            date,
            from,
            to,
            confirm,
        }) => (
            Request::StockTransfer(TransferInput {
                material,
                quantity,
                date,
                from_unit_id: from,
                to_unit_id: to,
                note: None,
                confirm_below_zero: confirm,
            }),
            RecordOutput::Movement,
        ),
        Some(StockCmd::Ledger { material }) => (
            Request::StockMovements {
                material_id: material,
            },
            RecordOutput::Movements,
        ),
    }
}

pub fn audit(
    since: Option<String>,
    entity: Option<String>,
    id: Option<String>,
) -> (Request, RecordOutput) {
    (
        Request::AuditList(AuditFilter {
            entity,
            entity_id: id,
            since,
            limit: None,
        }),
        RecordOutput::Audit,
    )
}

fn movement_line(m: &Movement) -> String {
    let place = match (&m.from_store, &m.to_store) {
        (Some(f), Some(t)) => format!("{f} → {t}"),
        (Some(f), None) => format!("{f} 发出"),
        (None, Some(t)) => format!("入 {t}"),
        (None, None) => String::new(),
    };
    let flag = if m.below_zero { "（超发）" } else { "" };
    format!(
        "{}  {}  {} {}  {place}{flag}",
        m.date, m.material_name, m.quantity, m.unit
    )
}

fn record_line(r: &Record) -> String {
    let materials: Vec<String> = r
        .materials
        .iter()
        .map(|m| format!("{}{}{}", m.material_name, m.quantity, m.unit))
        .collect();
    format!(
        "{}  {}  {}  参加{}人 受众{}人次  {}  [{}]{}",
        r.date,
        r.unit_name.as_deref().unwrap_or("—"),
        r.title,
        r.participants,
        r.reach,
        r.review_status.label(),
        r.id,
        if materials.is_empty() {
            String::new()
        } else {
            format!("  发放：{}", materials.join("、"))
        }
    )
}

pub fn summary(
    from: Option<String>,
    to: Option<String>,
    village: Option<String>,
    campaign: Option<String>,
    include_pending: bool,
) -> (Request, RecordOutput) {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    let filter = pufa_core::reports::SummaryFilter {
        from: from.unwrap_or_else(|| format!("{}-01-01", today.year())),
        to: to.unwrap_or_else(|| format!("{}-12-31", today.year())),
        village,
        campaign_id: campaign,
        include_pending,
        basis: None,
        search: None,
    };
    (Request::Summary(filter), RecordOutput::Summary)
}

pub fn print(out: &RecordOutput, response: Response) -> Result<(), AppError> {
    match out {
        RecordOutput::Summary => {
            let s: pufa_core::reports::Summary = response.take()?;
            println!("{} 至 {}", s.from, s.to);
            println!("{}", s.basis_line);
            println!("{}", s.headline);
            println!(
                "场次 {}，参加 {} 人，受众 {} 人次，咨询 {} 人次",
                s.activities, s.participants, s.reach, s.counts.consultations
            );
            println!(
                "横幅 {} 条，展板 {} 块，宣传车 {} 台，网络推送 {} 条（浏览 {}），调解纠纷 {} 件，法律援助 {} 件",
                s.counts.banners, s.counts.boards, s.counts.vehicles, s.counts.online_posts, s.counts.online_views, s.counts.disputes, s.counts.legal_aid_cases
            );
            if s.counts.volunteers > 0 {
                println!("志愿者 {} 人次", s.counts.volunteers);
            }
            if s.planned > 0 {
                println!(
                    "计划活动 {} 场，已开展 {} 场（{}%）",
                    s.planned,
                    s.planned_held,
                    s.planned_held * 100 / s.planned
                );
            }
            for m in &s.materials {
                println!("  发放 {}：{} {}", m.name, m.quantity, m.unit);
            }
            for u in &s.material_units {
                println!(
                    "  合计（{}，{} 种）：{} {}",
                    u.label, u.kinds, u.quantity, u.unit
                );
            }
            for (title, list) in [
                ("按月", &s.by_month),
                ("按活动专项", &s.by_campaign),
                ("按村/单位", &s.by_village),
            ] {
                println!("{title}：");
                for b in list {
                    println!("  {}  {} 场  {} 人次", b.label, b.activities, b.reach);
                }
            }
            if !s.villages_in_review.is_empty() {
                let list: Vec<String> = s
                    .villages_in_review
                    .iter()
                    .map(|v| match (v.pending, v.returned) {
                        (p, 0) => format!("{}（待审核 {p} 场）", v.name),
                        (0, r) => format!("{}（已退回 {r} 场）", v.name),
                        (p, r) => format!("{}（待审核 {p} 场、已退回 {r} 场）", v.name),
                    })
                    .collect();
                println!("记录未审核通过的村（社区）：{}", list.join("、"));
            }
            if !s.villages_without.is_empty() {
                println!("尚无活动的村（社区）：{}", s.villages_without.join("、"));
            }
        }
        RecordOutput::Ledger => {
            let list: Vec<LedgerEntry> = response.take()?;
            let (mut planned, mut held) = (0, 0);
            for e in &list {
                match e {
                    LedgerEntry::Planned(a) => {
                        planned += 1;
                        println!("计划  {}", super::plan::activity_line(a));
                    }
                    LedgerEntry::Record(r) => {
                        held += 1;
                        println!("已开展  {}", record_line(r));
                    }
                }
            }
            println!("共 {planned} 场计划活动，{held} 条活动记录");
        }
        RecordOutput::NewId => {
            // A record, or the saved activities of a planned one.
            let id = match response {
                Response::RecordCreate(r) => r.id,
                Response::ActivityCreate(saved) => saved
                    .activities
                    .into_iter()
                    .next()
                    .map(|a| a.id)
                    .unwrap_or_default(),
                other => other.take::<Record>()?.id,
            };
            println!("{id}");
        }
        RecordOutput::Record => {
            let r: Record = response.take()?;
            println!("{}", record_line(&r));
            if !r.review_comment.is_empty() {
                println!("审核意见：{}", r.review_comment);
            }
        }
        RecordOutput::Attachment => {
            let a: pufa_core::attachment::Attachment = response.take()?;
            println!("已添加附件：{}（{} 字节）[{}]", a.file_name, a.size, a.id);
        }
        RecordOutput::Materials => {
            let list: Vec<Material> = response.take()?;
            for m in &list {
                println!("{}  库存 {} {}  [{}]", m.name, m.balance, m.unit, m.id);
            }
            println!("共 {} 种资料", list.len());
        }
        RecordOutput::Material => {
            let m: Material = response.take()?;
            println!("已保存：{}（{}） [{}]", m.name, m.unit, m.id);
        }
        RecordOutput::Stock => {
            let r: StockReport = response.take()?;
            for m in &r.materials {
                let low = if r.low.contains(&m.name) {
                    "  ⚠ 库存不足"
                } else {
                    ""
                };
                println!("{}：共 {} {}{low}", m.name, m.balance, m.unit);
                for b in r.balances.iter().filter(|b| b.material_id == m.id) {
                    println!("    {}  {} {}", b.store_name, b.balance, b.unit);
                }
            }
        }
        RecordOutput::Movements => {
            let list: Vec<Movement> = response.take()?;
            for m in &list {
                println!("{}", movement_line(m));
            }
            println!("共 {} 笔", list.len());
        }
        RecordOutput::Movement => {
            let m: Movement = response.take()?;
            println!("已记录：{}", movement_line(&m));
        }
        RecordOutput::Audit => {
            let list: Vec<AuditView> = response.take()?;
            for e in list.iter().map(|v| &v.entry) {
                println!("{}  {}  {}", e.at, e.user_name, e.summary);
            }
            println!("共 {} 条", list.len());
        }
    }
    Ok(())
}
