//! Planning subcommands: templates, the year plan, activities, conflicts, coverage, holidays.

use super::date_range;
use chrono::Datelike;
use clap::Subcommand;
use pufa_core::activity::Activity;
use pufa_core::api::{Request, Response};
use pufa_core::conflicts::{Conflict, Coverage, CoverageScope};
use pufa_core::holidays::{HolidaySource, HolidayYear};
use pufa_core::plan::{PlanApplied, PlanCopied, PlanGenerated, PlanTemplate};
use pufa_core::school_calendar::SchoolCalendar;
use pufa_core::AppError;

#[derive(Subcommand, Debug)]
pub enum TemplateCmd {
    /// 列出活动模板（内置和自建）
    List,
    /// 按模板生成活动专项和每个村/单位的计划活动
    Apply {
        /// 模板名称或代码，如 “12·4宪法宣传周” 或 constitution_week
        name: String,
        #[arg(long)]
        year: i32,
        /// 村/单位名单，逗号分隔
        #[arg(long, conflicts_with = "all_units")]
        units: Option<String>,
        /// 模板适用的全部村/单位
        #[arg(long)]
        all_units: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ActivityCmd {
    /// 列出计划活动
    List {
        /// 起始日期（含）
        #[arg(long)]
        from: Option<String>,
        /// 截止日期（含）
        #[arg(long)]
        to: Option<String>,
        /// 活动专项编号
        #[arg(long)]
        campaign: Option<String>,
        /// 村/单位编号
        #[arg(long)]
        unit: Option<String>,
        /// planned | held | cancelled | postponed
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        search: Option<String>,
    },
    /// 录入已开展的活动记录：文件内容与 activity list --json 输出的一条相同（编号忽略）
    Add {
        #[arg(long, value_name = "FILE")]
        json_file: std::path::PathBuf,
        /// 确认资料库存不足仍发放（台账标记为超发）
        #[arg(long)]
        confirm: bool,
    },
    /// 审核通过活动记录
    Approve { id: String },
    /// 退回活动记录
    Return {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// 重新打开已通过的活动记录
    Reopen {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// 给活动记录添加照片或附件（复制到数据文件夹）
    Attach {
        /// 活动记录编号
        id: String,
        #[arg(long, value_name = "FILE")]
        file: std::path::PathBuf,
        /// photo（照片）| sign_in（签到表）| plan（方案）| other（其他）
        #[arg(long, default_value = "photo")]
        kind: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PlanCmd {
    /// 生成年度计划：每个普法节点一个活动专项，按内置模板在各村（社区）/学校安排活动（避开周末、节假日和寒暑假）
    Generate {
        #[arg(long)]
        year: i32,
        /// 节点代码，逗号分隔（见 keydates --json 的 code）；不写则用乡镇每年常规的节点
        #[arg(long)]
        nodes: Option<String>,
    },
    /// 复制上一年计划到新的一年（按同一普法节点的新日期）
    Copy {
        #[arg(long)]
        from: i32,
        #[arg(long)]
        to: i32,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// 日历文件（.ics），可导入手机日历、Outlook
    Ics {
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// 只导出一个活动专项
        #[arg(long)]
        campaign: Option<String>,
    },
    /// 年度普法工作计划表（.xlsx）
    PlanXlsx {
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
    /// 活动台账（.xlsx，含按节点、专项、村、资料的合计表）
    LedgerXlsx {
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        #[command(flatten)]
        filter: LedgerFilter,
    },
    /// 照片和附件（.zip，每场活动一个文件夹：日期 + 名称）
    Photos {
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        #[command(flatten)]
        filter: LedgerFilter,
    },
    /// 活动台账（.csv，UTF-8 带 BOM，Excel/WPS 可直接打开）
    Csv {
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        #[command(flatten)]
        filter: LedgerFilter,
    },
    /// 操作留痕（.xlsx，每个改动的字段一行：时间、操作人、对象、原值、新值）
    AuditXlsx {
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// 起始日期（含）
        #[arg(long)]
        since: Option<String>,
        /// 截止日期（含）
        #[arg(long)]
        until: Option<String>,
    },
    /// 普法工作年度总结（.docx，公文格式，附件为普法活动统计表）
    ReportDocx {
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// 同时计入待审核的活动记录（报告中注明统计口径）
        #[arg(long)]
        include_pending: bool,
    },
    /// 透视表（.xlsx，与 pivot 命令所示完全一致：标题、表头、各行、合计行和合计列）
    PivotXlsx {
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        #[command(flatten)]
        args: super::pivot::PivotArgs,
    },
    /// 活动专项情况报告（.docx，公文格式，附件为统计表和活动明细）
    CampaignDocx {
        /// 活动专项编号
        #[arg(long)]
        campaign: String,
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// 同时计入待审核的活动记录（报告中注明统计口径）
        #[arg(long)]
        include_pending: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct LedgerFilter {
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    /// 村/单位（名称或编号）
    #[arg(long)]
    village: Option<String>,
    /// 活动专项编号
    #[arg(long)]
    campaign: Option<String>,
    /// 同时计入待审核的活动记录（默认只计已审核通过的，文件中注明统计口径）
    #[arg(long, conflicts_with = "status")]
    include_pending: bool,
    /// 只导出某种审核状态的记录：pending（待审核）、returned（已退回）、all（全部）
    #[arg(long)]
    status: Option<String>,
}

impl LedgerFilter {
    fn into_filter(self) -> pufa_core::record::RecordFilter {
        let basis = match self.status {
            Some(s) => Some(s),
            None if self.include_pending => Some("with_pending".to_string()),
            None => Some("approved".to_string()),
        };
        pufa_core::record::RecordFilter {
            from: self.from,
            to: self.to,
            unit_id: self.village,
            campaign_id: self.campaign,
            review_status: basis,
            ..Default::default()
        }
    }
}

pub fn export(cmd: ExportCmd) -> (Request, PlanOutput) {
    let path = |p: std::path::PathBuf| p.to_string_lossy().to_string();
    match cmd {
        ExportCmd::Ics { out, campaign } => (
            Request::ExportIcs {
                path: path(out),
                campaign_id: campaign,
            },
            PlanOutput::Exported,
        ),
        ExportCmd::PlanXlsx { year, out } => (
            Request::ExportPlanXlsx {
                year,
                path: path(out),
            },
            PlanOutput::Exported,
        ),
        ExportCmd::LedgerXlsx { out, filter } => (
            Request::ExportLedgerXlsx {
                path: path(out),
                filter: filter.into_filter(),
            },
            PlanOutput::Exported,
        ),
        ExportCmd::Photos { out, filter } => (
            Request::ExportPhotos {
                path: path(out),
                filter: filter.into_filter(),
            },
            PlanOutput::Exported,
        ),
        ExportCmd::Csv { out, filter } => (
            Request::ExportCsv {
                path: path(out),
                filter: filter.into_filter(),
            },
            PlanOutput::Exported,
        ),
        ExportCmd::AuditXlsx { out, since, until } => (
            Request::ExportAuditXlsx {
                path: path(out),
                since,
                until,
            },
            PlanOutput::Exported,
        ),
        ExportCmd::ReportDocx {
            year,
            out,
            include_pending,
        } => (
            Request::ExportReportDocx {
                year,
                path: path(out),
                include_pending,
            },
            PlanOutput::Document,
        ),
        ExportCmd::PivotXlsx { out, args } => (
            Request::ExportPivotXlsx {
                request: args.request(),
                path: path(out),
            },
            PlanOutput::Exported,
        ),
        ExportCmd::CampaignDocx {
            campaign,
            out,
            include_pending,
        } => (
            Request::ExportCampaignDocx {
                campaign_id: campaign,
                path: path(out),
                include_pending,
            },
            PlanOutput::Document,
        ),
    }
}

/// `school-calendar`: shows a year's calendar, enters it, or goes back to the estimate.
#[derive(clap::Args, Debug)]
pub struct SchoolCalendarArgs {
    /// 年份（默认今年）
    #[arg(long)]
    year: Option<i32>,
    /// 寒假第一天
    #[arg(long, requires_all = ["winter_end", "summer_start", "summer_end"])]
    winter_start: Option<String>,
    /// 寒假最后一天（开学前一天）
    #[arg(long, requires = "winter_start")]
    winter_end: Option<String>,
    /// 暑假第一天
    #[arg(long, requires = "winter_start")]
    summer_start: Option<String>,
    /// 暑假最后一天
    #[arg(long, requires = "winter_start")]
    summer_end: Option<String>,
    /// 校历通知的文号或名称
    #[arg(long, requires = "winter_start")]
    notice: Option<String>,
    /// 删除录入的校历，恢复估计值
    #[arg(long, conflicts_with = "winter_start")]
    reset: bool,
}

pub fn school_calendar(a: SchoolCalendarArgs) -> (Request, PlanOutput) {
    let year = a.year.unwrap_or_else(this_year);
    let request = match (a.winter_start, a.reset) {
        (Some(winter_start), _) => {
            Request::SchoolCalendarSet(pufa_core::school_calendar::SchoolCalendarInput {
                year,
                winter_start,
                winter_end: a.winter_end.unwrap_or_default(),
                summer_start: a.summer_start.unwrap_or_default(),
                summer_end: a.summer_end.unwrap_or_default(),
                notice: a.notice,
            })
        }
        (None, true) => Request::SchoolCalendarClear { year },
        (None, false) => Request::SchoolCalendarGet { year },
    };
    (request, PlanOutput::SchoolCalendar)
}

pub enum PlanOutput {
    Exported,
    /// A Word report.
    Document,
    Templates,
    Applied,
    Generated,
    Copied,
    Conflicts,
    Coverage,
    Holidays,
    SchoolCalendar,
}

fn this_year() -> i32 {
    chrono::Local::now().year()
}

pub fn template(cmd: TemplateCmd) -> (Request, PlanOutput) {
    match cmd {
        TemplateCmd::List => (Request::TemplateList, PlanOutput::Templates),
        TemplateCmd::Apply {
            name,
            year,
            units,
            all_units,
        } => (
            Request::TemplateApply {
                template: name,
                year,
                unit_ids: units.into_iter().collect(),
                all_units,
            },
            PlanOutput::Applied,
        ),
    }
}

pub fn plan(cmd: PlanCmd) -> (Request, PlanOutput) {
    match cmd {
        PlanCmd::Generate { year, nodes } => (
            Request::PlanGenerate {
                year,
                nodes: nodes
                    .map(|n| pufa_core::validate::split_list(&n))
                    .unwrap_or_default(),
            },
            PlanOutput::Generated,
        ),
        PlanCmd::Copy { from, to } => (
            Request::PlanCopyYear {
                from_year: from,
                to_year: to,
            },
            PlanOutput::Copied,
        ),
    }
}

pub fn conflicts(year: Option<i32>) -> (Request, PlanOutput) {
    let year = year.unwrap_or_else(this_year);
    (Request::ConflictList { year }, PlanOutput::Conflicts)
}

pub fn coverage(campaign: String) -> (Request, PlanOutput) {
    (
        Request::Coverage {
            campaign_id: campaign,
        },
        PlanOutput::Coverage,
    )
}

pub fn holidays(year: Option<i32>) -> (Request, PlanOutput) {
    let year = year.unwrap_or_else(this_year);
    (Request::HolidayList { year }, PlanOutput::Holidays)
}

pub(super) fn activity_line(a: &Activity) -> String {
    let time = match (&a.start_time, &a.end_time) {
        (Some(s), Some(e)) => format!(" {s}—{e}"),
        (Some(s), None) => format!(" {s}"),
        _ => String::new(),
    };
    let status = if a.status.code() == "planned" {
        String::new()
    } else {
        format!("（{}）", a.status.label())
    };
    format!(
        "{}{time}  {}  {}{status}  [{}]",
        a.date,
        a.unit_name.as_deref().unwrap_or("—"),
        a.title,
        a.id
    )
}

/// The placement figures: activities placed, moved off days off, exceptions with reasons.
fn print_placement(placed: u32, moved: u32, exceptions: &[String]) {
    println!(
        "计划活动 {placed} 场；{moved} 场原定在周末、节假日或寒暑假，已改到最近的工作日；{} 场例外保留在非工作日",
        exceptions.len()
    );
    for e in exceptions {
        println!("  例外：{e}");
    }
}

fn print_conflicts(list: &[Conflict]) {
    for c in list {
        let ignored = if c.ignored { "（已忽略）" } else { "" };
        println!("⚠ {}{ignored}", c.message);
    }
}

pub fn print(out: &PlanOutput, response: Response) -> Result<(), AppError> {
    match out {
        PlanOutput::Exported => {
            let e: pufa_core::export::Exported = response.take()?;
            println!("已导出 {} 条到 {}", e.count, e.path);
        }
        PlanOutput::Document => {
            let e: pufa_core::export::report_docx::DocxExported = response.take()?;
            println!("已导出 {}（计入 {} 场次）", e.path, e.activities);
            println!("{}", e.basis_line);
        }
        PlanOutput::Templates => {
            let list: Vec<PlanTemplate> = response.take()?;
            for t in &list {
                let own = if t.builtin { "" } else { "（自建）" };
                println!("{}{own}  [{}]  {}", t.name, t.key, t.description);
            }
            println!("共 {} 个模板", list.len());
        }
        PlanOutput::Applied => {
            let a: PlanApplied = response.take()?;
            let verb = if a.added_to_existing {
                "已加入已有活动专项"
            } else {
                "已生成活动专项"
            };
            println!(
                "{verb}“{}”（{}），计划活动 {} 场：",
                a.campaign.name,
                date_range(&a.campaign.start_date, &a.campaign.end_date),
                a.activities.len()
            );
            for x in &a.activities {
                println!("  {}", activity_line(x));
            }
            if !a.skipped_units.is_empty() {
                println!("已有本专项活动，未重复安排：{}", a.skipped_units.join("、"));
            }
            print_placement(a.activities.len() as u32, a.moved, &a.exceptions);
            print_conflicts(&a.conflicts);
        }
        PlanOutput::Generated => {
            let g: PlanGenerated = response.take()?;
            if !g.standard.is_empty() {
                println!(
                    "未指定节点，按乡镇每年常规的 {} 个节点生成：{}",
                    g.standard.len(),
                    g.standard.join("、")
                );
            }
            if !g.continuing.is_empty() {
                println!("上年度延续到本年的活动专项：");
                for c in &g.continuing {
                    println!("  {}（{}）", c.name, date_range(&c.start_date, &c.end_date));
                }
            }
            for c in &g.created {
                println!(
                    "已建：{}（{}）",
                    c.name,
                    date_range(&c.start_date, &c.end_date)
                );
            }
            for c in &g.extended {
                println!("已补充活动：{}", c.name);
            }
            if !g.skipped.is_empty() {
                println!("已有活动专项，未重复建立：{}", g.skipped.join("、"));
            }
            println!(
                "新建 {} 个活动专项，补充 {} 个",
                g.created.len(),
                g.extended.len()
            );
            print_placement(g.placed, g.moved, &g.exceptions);
        }
        PlanOutput::Copied => {
            let c: PlanCopied = response.take()?;
            println!("已复制 {} 个活动专项、{} 场活动", c.campaigns, c.activities);
            if c.moved > 0 || !c.exceptions.is_empty() {
                print_placement(c.activities, c.moved, &c.exceptions);
            }
            if !c.skipped.is_empty() {
                println!("新年度已有，未复制：{}", c.skipped.join("、"));
            }
        }
        PlanOutput::Conflicts => {
            let list: Vec<Conflict> = response.take()?;
            print_conflicts(&list);
            let open = list.iter().filter(|c| !c.ignored).count();
            println!("共 {} 处冲突（{} 处已忽略）", list.len(), list.len() - open);
        }
        PlanOutput::Coverage => {
            let c: Coverage = response.take()?;
            let over = match c.scope {
                CoverageScope::Villages => "个村（社区）",
                CoverageScope::Schools => "所学校",
            };
            println!(
                "{}：已覆盖 {}/{} {over}",
                c.campaign_name,
                c.covered.len(),
                c.total
            );
            if !c.missing.is_empty() {
                let names: Vec<&str> = c.missing.iter().map(|u| u.name.as_str()).collect();
                println!("尚无活动：{}", names.join("、"));
            }
        }
        PlanOutput::Holidays => {
            let h: HolidayYear = response.take()?;
            let source = match h.source {
                HolidaySource::Custom => "本镇录入",
                HolidaySource::Official => "国务院办公厅通知",
                HolidaySource::Estimated => "按法定节日推算，放假安排公布后请录入",
            };
            println!("{} 年节假日（{source}）", h.year);
            for d in &h.days {
                let work = if d.work { "  调休上班" } else { "" };
                println!("{}  {}{work}", d.date, d.name);
            }
        }
        PlanOutput::SchoolCalendar => {
            let c: SchoolCalendar = response.take()?;
            let source = if c.estimated {
                "估计：按春节和往年暑假推算，收到教育部门通知后请录入".to_string()
            } else if c.notice.is_empty() {
                "已按通知录入".to_string()
            } else {
                format!("已按通知录入：{}", c.notice)
            };
            println!("{}{} 年中小学校历（{source}）", c.county, c.year);
            println!("寒假  {}", date_range(&c.winter_start, &c.winter_end));
            println!("暑假  {}", date_range(&c.summer_start, &c.summer_end));
        }
    }
    Ok(())
}
