//! The headless CLI: each subcommand becomes a `pufa_core::api::Request`, runs through the same
//! command layer as the window, and prints human text (Chinese) or, with `--json`, JSON.
//! Exit codes: 0 ok, 1 refused or failed (message names the field), 2 bad command line.

use chrono::Datelike;
mod exchange;
mod pivot;
mod plan;
mod records;

use clap::{Args, Parser, Subcommand};
use pufa_core::api::{self, Request};
use pufa_core::campaign::{ArchiveFilter, Campaign, CampaignFilter, CampaignInput};
use pufa_core::check::CheckReport;
use pufa_core::demo::{DemoInput, ScaleInput};
use pufa_core::keydates::{DateSource, KeyDate};
use pufa_core::person::{Person, PersonFilter, PersonInput};
use pufa_core::town::{AppInfo, SetupInput, UserInput};
use pufa_core::unit::{Unit, UnitFilter, UnitInput};
use pufa_core::{validate, AppError, Db, ErrorCode};
use serde_json::Value;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "pufa-planner",
    version,
    about = "普法活动规划与台账 — 不带参数运行时打开窗口；带子命令时在命令行运行",
    after_help = "示例：pufa-planner --data-dir ./data init --town 双龙镇 --villages \"安静村,石院村\""
)]
pub struct Cli {
    /// 数据文件夹（也可用环境变量 PUFA_DATA_DIR）；默认是系统的应用数据文件夹
    #[arg(long, global = true, env = "PUFA_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// 以 JSON 输出
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 首次设置：乡镇、村/社区、学校和本机使用人
    Init(InitArgs),
    /// 载入示例乡镇（双龙镇，21个村/社区）；加 --activities 生成县级规模的测试数据
    Demo {
        #[arg(long)]
        seed: Option<u64>,
        /// 示例活动所在年份（默认今年）
        #[arg(long)]
        year: Option<i32>,
        /// 活动总数（计划和已开展），如 1000000
        #[arg(long)]
        activities: Option<u64>,
        /// 乡镇数（含示例乡镇；需同时给 --activities）
        #[arg(long, requires = "activities", default_value_t = 1)]
        towns: u32,
        /// 年数，截至示例年份（需同时给 --activities）
        #[arg(long, requires = "activities", default_value_t = 1)]
        years: u32,
    },
    /// 活动专项：list | add | show | edit | archive | delete
    #[command(subcommand)]
    Campaign(CampaignCmd),
    /// 村/社区、学校、企业、场所
    #[command(subcommand)]
    Unit(UnitCmd),
    /// 人员：村干部、法律顾问、法治副校长、民警、法律明白人……
    #[command(subcommand)]
    Person(PersonCmd),
    /// 某年的全部普法节点及日期（国家节点和本地节点）；“待公布”的日期和沿用上年的主题可用 --confirm 确认
    Keydates {
        /// 年份（2000—2100，默认今年）
        #[arg(long)]
        year: Option<i32>,
        /// 确认某节点当年的待公布日期和草拟主题（节点代码，见 --json 的 code）
        #[arg(long, value_name = "CODE")]
        confirm: Option<String>,
    },
    /// 活动模板：list | apply
    #[command(subcommand)]
    Template(plan::TemplateCmd),
    /// 年度计划：generate | copy
    #[command(subcommand)]
    Plan(plan::PlanCmd),
    /// 活动：list（计划和已开展）| add | approve | return | reopen
    #[command(subcommand)]
    Activity(plan::ActivityCmd),
    /// 计划中的冲突（同一人/场所重复、同村同半天两场、超出专项时间、节假日、周末、学校寒暑假），附原因
    Conflicts {
        #[arg(long)]
        year: Option<i32>,
    },
    /// 宣传资料目录：list | add
    #[command(subcommand)]
    Material(records::MaterialCmd),
    /// 库存：不带子命令时列出各资料点余额；receive | transfer | ledger
    Stock {
        #[command(subcommand)]
        action: Option<records::StockCmd>,
    },
    /// 统计：场次、人次、资料发放及分项（默认今年，只计审核通过的记录）
    Summary {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// 村/单位名称
        #[arg(long)]
        village: Option<String>,
        /// 活动专项编号
        #[arg(long)]
        campaign: Option<String>,
        /// 把待审核的记录也计入
        #[arg(long)]
        include_pending: bool,
    },
    /// 透视表：行、列按月份/专项/节点/村/对象/形式/法律/资料分组，统计场次、人数、人次、咨询或资料数量，带合计
    Pivot(pivot::PivotArgs),
    /// 导出：ics | plan-xlsx | ledger-xlsx | csv | photos | audit-xlsx | report-docx | campaign-docx | pivot-xlsx
    #[command(subcommand)]
    Export(plan::ExportCmd),
    /// 操作留痕（谁、何时、改了什么）
    Audit {
        /// 起始日期
        #[arg(long)]
        since: Option<String>,
        /// campaign | activity | record | material | stock | person | unit …
        #[arg(long)]
        entity: Option<String>,
        /// 记录编号
        #[arg(long)]
        id: Option<String>,
    },
    /// 活动专项的覆盖情况：村（社区）；只在学校开展的专项按学校统计
    Coverage {
        /// 活动专项编号
        #[arg(long)]
        campaign: String,
    },
    /// 某年的法定节假日和调休
    Holidays {
        #[arg(long)]
        year: Option<i32>,
    },
    /// 本县中小学校历（寒假、暑假）：不带日期时显示（未录入的为估计值）；带四个日期时按教育部门通知录入
    SchoolCalendar(plan::SchoolCalendarArgs),
    /// 本机信息：乡镇、使用人、数据文件夹
    Info,
    /// 设置这台电脑的使用人（村干部的电脑导出的数据包只能修改本村的记录）
    User {
        /// 使用人姓名
        #[arg(long)]
        name: String,
        /// 角色：coordinator（普法协调员）| village_cadre（村干部）| leader（领导）
        #[arg(long)]
        role: String,
        /// 村干部所在的村/社区
        #[arg(long)]
        village: Option<String>,
    },
    /// 检查数据库完整性（有问题时退出码为 1）
    Check,
    /// 生成活动登记表模板（Excel，带村/社区、活动形式、宣传对象、资料的下拉选项）
    ImportTemplate {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 导入：xlsx 文件（活动登记表）
    #[command(subcommand)]
    Import(exchange::ImportCmd),
    /// 备份全部数据（数据库和附件）：backup --out 文件；backup list 列出自动备份
    Backup(exchange::BackupArgs),
    /// 数据包（.pufapkg）：在村、镇、县的电脑之间交换活动记录、计划和附件
    #[command(subcommand)]
    Package(exchange::PackageCmd),
    /// 从备份恢复：先检查文件完整性；当前数据先自动备份，再换成备份里的数据
    Restore {
        /// 备份文件（.pufabak）
        file: PathBuf,
        /// 只检查并显示备份内容，不恢复
        #[arg(long)]
        preview: bool,
        /// 确认用另一个乡镇的备份替换本机的数据
        #[arg(long)]
        confirm_other_town: bool,
    },
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// 乡镇名称，如 双龙镇
    #[arg(long)]
    town: String,
    /// 所属县（区）
    #[arg(long)]
    county: Option<String>,
    /// 村/社区名单，用逗号或顿号分隔
    #[arg(long, required_unless_present = "county_rollup", default_value = "")]
    villages: String,
    /// 县级汇总：这台电脑导入各乡镇的数据包，看全县的统计（--town 填县名）
    #[arg(long)]
    county_rollup: bool,
    /// 学校名单
    #[arg(long)]
    schools: Option<String>,
    /// 企业和其他场所名单
    #[arg(long)]
    sites: Option<String>,
    /// 本机使用人姓名
    #[arg(long)]
    user: Option<String>,
    /// 使用人角色：coordinator（普法协调员）| village_cadre（村干部）| leader（领导）
    #[arg(long, requires = "user")]
    role: Option<String>,
    /// 村干部所在的村/社区
    #[arg(long, requires = "user")]
    village: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct CampaignFields {
    /// 名称
    #[arg(long)]
    name: String,
    /// 类型：national（国家节点）| targeted（专项行动）| local（本地活动）
    #[arg(long, default_value = "local")]
    kind: String,
    /// 开始日期，如 2026-12-01
    #[arg(long)]
    start: String,
    /// 结束日期
    #[arg(long)]
    end: String,
    /// 宣传对象，逗号分隔（代码或中文，如 residents,青少年学生）
    #[arg(long)]
    audiences: Option<String>,
    /// 法律/主题，逗号分隔
    #[arg(long)]
    themes: Option<String>,
    /// 牵头单位
    #[arg(long)]
    lead: Option<String>,
    /// 备注
    #[arg(long)]
    notes: Option<String>,
    /// 服务的普法节点代码，逗号分隔（见 keydates --json 的 code，如 constitution_week）
    #[arg(long)]
    nodes: Option<String>,
    /// 报送截止日期：之后该专项的活动记录锁定
    #[arg(long)]
    deadline: Option<String>,
}

impl CampaignFields {
    fn input(self) -> CampaignInput {
        CampaignInput {
            name: self.name,
            kind: self.kind,
            start_date: self.start,
            end_date: self.end,
            audiences: self
                .audiences
                .as_deref()
                .map(validate::split_list)
                .unwrap_or_default(),
            themes: self
                .themes
                .as_deref()
                .map(validate::split_list)
                .unwrap_or_default(),
            lead_unit: self.lead,
            notes: self.notes,
            nodes: self
                .nodes
                .as_deref()
                .map(validate::split_list)
                .unwrap_or_default(),
            report_deadline: self.deadline,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum CampaignCmd {
    /// 列出活动专项
    List {
        /// 按名称、法律/主题、牵头单位搜索
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        /// 与该年有交集的活动专项
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        audience: Option<String>,
        /// 只列已归档的
        #[arg(long, conflicts_with = "all")]
        archived: bool,
        /// 列出全部（含已归档）
        #[arg(long)]
        all: bool,
    },
    /// 新建活动专项
    Add(CampaignFields),
    /// 显示一个活动专项
    Show { id: String },
    /// 修改活动专项（给出全部字段）
    Edit {
        id: String,
        #[command(flatten)]
        fields: CampaignFields,
    },
    /// 归档（--undo 恢复）
    Archive {
        id: String,
        #[arg(long)]
        undo: bool,
    },
    /// 删除
    Delete { id: String },
}

#[derive(Subcommand, Debug)]
pub enum UnitCmd {
    /// 列出村/社区和单位
    List {
        /// village | community | school | enterprise | site
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        search: Option<String>,
    },
    /// 新增
    Add {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        address: Option<String>,
        /// 赶集日，如 “农历1/4/7” “公历2/5/8”
        #[arg(long)]
        market_days: Option<String>,
    },
    /// 设置村（社区）的赶集日：集中宣传优先安排在赶集日
    Market {
        /// 村/社区名称
        name: String,
        /// 如 “农历1/4/7” “公历3/6/9”；空字符串表示没有集市
        #[arg(long)]
        days: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PersonCmd {
    /// 列出人员
    List {
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        search: Option<String>,
    },
    /// 新增人员
    Add {
        #[arg(long)]
        name: String,
        /// village_cadre | legal_adviser | vice_principal | police | judge | lawyer |
        /// legal_understander | volunteer | staff | other（也可写中文）
        #[arg(long)]
        role: String,
        #[arg(long)]
        phone: Option<String>,
        /// 所属村/单位名称
        #[arg(long)]
        unit: Option<String>,
    },
}

fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf, AppError> {
    crate::paths::data_dir(explicit).ok_or_else(|| {
        AppError::field(
            ErrorCode::DataDirNotDir,
            "data_dir",
            "找不到系统的应用数据文件夹，请用 --data-dir 指定",
        )
    })
}

/// What a subcommand asks of the command layer, and how to print the answer.
enum Output {
    Plan(plan::PlanOutput),
    Records(records::RecordOutput),
    Keydates,
    KeydateConfirmed,
    Info,
    Campaigns,
    Campaign,
    Units,
    Unit,
    People,
    Person,
    Deleted,
    Check,
    Pivot,
    Exchange(exchange::Output),
}

fn planning((request, output): (Request, plan::PlanOutput)) -> (Request, Output) {
    (request, Output::Plan(output))
}

fn recording((request, output): (Request, records::RecordOutput)) -> (Request, Output) {
    (request, Output::Records(output))
}

fn activity_request(cmd: plan::ActivityCmd) -> Result<(Request, Output), AppError> {
    use plan::ActivityCmd::*;
    use pufa_core::record::ReviewAction;
    Ok(match cmd {
        List {
            from,
            to,
            campaign,
            unit,
            status,
            search,
        } => {
            let filter = pufa_core::activity::ActivityFilter {
                from,
                to,
                campaign_id: campaign,
                unit_id: unit,
                status,
                search,
                ..Default::default()
            };
            recording((
                Request::ActivityLedger(filter),
                records::RecordOutput::Ledger,
            ))
        }
        Add { json_file, confirm } => recording(records::add_from_file(&json_file, confirm)?),
        Approve { id } => recording(records::review(id, ReviewAction::Approve, None)),
        Return { id, reason } => recording(records::review(id, ReviewAction::Return, Some(reason))),
        Reopen { id, reason } => recording(records::review(id, ReviewAction::Reopen, Some(reason))),
    })
}

fn request(command: Command) -> Result<(Request, Output), AppError> {
    Ok(match command {
        Command::Init(a) => {
            let user = a.user.map(|name| UserInput {
                name,
                role: a.role.unwrap_or_else(|| "coordinator".into()),
                village: a.village,
            });
            let input = SetupInput {
                town: a.town,
                county: a.county,
                villages: vec![a.villages],
                schools: a.schools.into_iter().collect(),
                sites: a.sites.into_iter().collect(),
                user,
                county_rollup: a.county_rollup,
            };
            (Request::Setup(input), Output::Info)
        }
        Command::Demo {
            seed,
            year,
            activities,
            towns,
            years,
        } => {
            let scale = activities.map(|activities| ScaleInput {
                activities,
                towns,
                years,
            });
            (
                Request::LoadDemo(DemoInput { seed, year, scale }),
                Output::Info,
            )
        }
        Command::Info => (Request::AppInfo, Output::Info),
        Command::User {
            name,
            role,
            village,
        } => (
            Request::UpdateUser(UserInput {
                name,
                role,
                village,
            }),
            Output::Info,
        ),
        Command::Template(c) => planning(plan::template(c)),
        Command::Plan(c) => planning(plan::plan(c)),
        Command::Activity(c) => activity_request(c)?,
        Command::Material(c) => recording(records::material(c)),
        Command::Stock { action } => recording(records::stock(action)),
        Command::Audit { since, entity, id } => recording(records::audit(since, entity, id)),
        Command::Export(c) => planning(plan::export(c)),
        Command::Pivot(args) => (pivot::pivot(args), Output::Pivot),
        Command::Summary {
            from,
            to,
            village,
            campaign,
            include_pending,
        } => recording(records::summary(
            from,
            to,
            village,
            campaign,
            include_pending,
        )),
        Command::Conflicts { year } => planning(plan::conflicts(year)),
        Command::Coverage { campaign } => planning(plan::coverage(campaign)),
        Command::Holidays { year } => planning(plan::holidays(year)),
        Command::SchoolCalendar(args) => planning(plan::school_calendar(args)),
        Command::Check => (Request::Check, Output::Check),
        Command::ImportTemplate { out } => {
            let (request, output) = exchange::template(out);
            (request, Output::Exchange(output))
        }
        Command::Import(cmd) => {
            let (request, output) = exchange::import(cmd);
            (request, Output::Exchange(output))
        }
        Command::Backup(args) => {
            let (request, output) = exchange::backup(args)?;
            (request, Output::Exchange(output))
        }
        Command::Package(cmd) => (
            exchange::package(cmd),
            Output::Exchange(exchange::Output::Package),
        ),
        Command::Restore {
            file,
            preview,
            confirm_other_town,
        } => {
            let (request, output) = exchange::restore(file, preview, confirm_other_town);
            (request, Output::Exchange(output))
        }
        Command::Keydates { year, confirm } => {
            let year = year.unwrap_or_else(|| chrono::Local::now().year());
            match confirm {
                Some(node_code) => (
                    Request::KeydateConfirm { node_code, year },
                    Output::KeydateConfirmed,
                ),
                None => (Request::KeydateList { year }, Output::Keydates),
            }
        }
        Command::Campaign(c) => match c {
            CampaignCmd::List {
                search,
                kind,
                year,
                audience,
                archived,
                all,
            } => {
                let status = match (archived, all) {
                    (true, _) => ArchiveFilter::Archived,
                    (_, true) => ArchiveFilter::All,
                    _ => ArchiveFilter::Active,
                };
                let f = CampaignFilter {
                    search,
                    kind,
                    year,
                    audience,
                    status,
                };
                (Request::CampaignList(f), Output::Campaigns)
            }
            CampaignCmd::Add(fields) => (Request::CampaignCreate(fields.input()), Output::Campaign),
            CampaignCmd::Show { id } => (Request::CampaignGet { id }, Output::Campaign),
            CampaignCmd::Edit { id, fields } => (
                Request::CampaignUpdate {
                    id,
                    input: fields.input(),
                },
                Output::Campaign,
            ),
            CampaignCmd::Archive { id, undo } => (
                Request::CampaignArchive {
                    id,
                    archived: !undo,
                },
                Output::Campaign,
            ),
            CampaignCmd::Delete { id } => (Request::CampaignDelete { id }, Output::Deleted),
        },
        Command::Unit(u) => match u {
            UnitCmd::List { kind, search } => (
                Request::UnitList(UnitFilter {
                    kind,
                    search,
                    include_archived: false,
                }),
                Output::Units,
            ),
            UnitCmd::Add {
                kind,
                name,
                address,
                market_days,
            } => (
                Request::UnitCreate(UnitInput {
                    kind,
                    name,
                    address,
                    notes: None,
                    market_days,
                }),
                Output::Unit,
            ),
            UnitCmd::Market { name, days } => (
                Request::UnitSetMarketDays {
                    unit: name,
                    market_days: days,
                },
                Output::Unit,
            ),
        },
        Command::Person(p) => match p {
            PersonCmd::List { role, search } => (
                Request::PersonList(PersonFilter {
                    role,
                    search,
                    ..Default::default()
                }),
                Output::People,
            ),
            PersonCmd::Add {
                name,
                role,
                phone,
                unit,
            } => (
                Request::PersonCreate(PersonInput {
                    name,
                    role,
                    phone,
                    unit_id: unit,
                    notes: None,
                }),
                Output::Person,
            ),
        },
    })
}

pub fn run(data_dir_arg: Option<PathBuf>, json: bool, command: Command) -> i32 {
    let (req, output) = match request(command) {
        Ok(pair) => pair,
        Err(e) => return fail(&e, json),
    };
    let mut _log = None;
    let result = data_dir(data_dir_arg).and_then(|dir| {
        let mut db = Db::open_dir(&dir)?;
        _log = crate::logging::init(&dir, false);
        // Long jobs report how far they are on stderr (stdout stays the result); Ctrl-C
        // stops them with the transaction never committed, so nothing is half written.
        let mut shown = None;
        let result = api::handle_with_progress(&mut db, req, &mut |done, total| {
            let pct = done * 100 / total.max(1);
            if shown != Some(pct) {
                shown = Some(pct);
                eprint!("\r进度 {pct}%（{done}/{total}）");
                if done >= total {
                    eprintln!();
                }
            }
            true
        });
        result
    });
    match result {
        Ok(value) => {
            let failed_check = matches!(output, Output::Check) && value["ok"] == Value::Bool(false);
            if json {
                let value = match &output {
                    Output::Exchange(out) => exchange::json(out, value),
                    _ => value,
                };
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).expect("JSON value prints")
                );
            } else if let Err(e) = print_human(&output, value) {
                eprintln!("输出失败：{e}");
                return 1;
            }
            i32::from(failed_check)
        }
        Err(e) => fail(&e, json),
    }
}

/// Reports an error: `错误（字段）：说明` on stderr, and the JSON error with `--json`.
fn fail(e: &AppError, json: bool) -> i32 {
    tracing::warn!(code = ?e.code, field = ?e.field, "{}", e.message);
    if json {
        let body = serde_json::json!({ "error": e });
        println!(
            "{}",
            serde_json::to_string_pretty(&body).expect("JSON value prints")
        );
    }
    match &e.field {
        Some(f) => eprintln!("错误（{}）：{}", validate::label(f), e.message),
        None => eprintln!("错误：{}", e.message),
    }
    1
}

fn keydate_line(k: &KeyDate) -> String {
    let source = match k.source {
        DateSource::Rule => "",
        DateSource::Published => "（已公布）",
        DateSource::Override => "（本镇设置）",
        DateSource::Provisional => "（待公布）",
    };
    let theme = match k.theme_line() {
        Some(t) if t.confirmed => format!("  主题：{}", t.text),
        Some(t) => format!("  主题（沿用{}年，待确认）：{}", t.year, t.text),
        None => String::new(),
    };
    let since = k.since.map(|y| format!("，{y}年起")).unwrap_or_default();
    format!(
        "{}{source}  {}  〔{}{since}〕{theme}",
        date_range(&k.start, &k.end),
        k.name,
        k.rule
    )
}

fn date_range(start: &str, end: &str) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} 至 {end}")
    }
}

fn print_human(output: &Output, value: Value) -> Result<(), serde_json::Error> {
    match output {
        Output::Plan(out) => plan::print(out, value)?,
        Output::Records(out) => records::print(out, value)?,
        Output::Pivot => pivot::print(value)?,
        Output::Exchange(out) => exchange::print(out, value)?,
        Output::Info => {
            let info: AppInfo = serde_json::from_value(value)?;
            match &info.town {
                Some(t) if t.county.is_empty() => println!("乡镇：{}", t.name),
                Some(t) => println!("乡镇：{}（{}）", t.name, t.county),
                None => println!("尚未设置乡镇"),
            }
            if let Some(u) = &info.user {
                let village = u
                    .unit_name
                    .as_deref()
                    .map(|v| format!("，{v}"))
                    .unwrap_or_default();
                println!("使用人：{}（{}{village}）", u.name, u.role.label());
            }
            if let Some(d) = &info.data_dir {
                println!("数据文件夹：{d}");
            }
        }
        Output::Campaigns => {
            let list: Vec<Campaign> = serde_json::from_value(value)?;
            for c in &list {
                println!(
                    "{}  {}  {}{}  [{}]",
                    date_range(&c.start_date, &c.end_date),
                    c.kind.label(),
                    c.name,
                    if c.archived { "（已归档）" } else { "" },
                    c.id
                );
            }
            println!("共 {} 个活动专项", list.len());
        }
        Output::Campaign => {
            let c: Campaign = serde_json::from_value(value)?;
            println!("名称：{}", c.name);
            println!("编号：{}", c.id);
            println!("类型：{}", c.kind.label());
            println!("时间：{}", date_range(&c.start_date, &c.end_date));
            let audiences: Vec<&str> = c.audiences.iter().map(|a| a.label()).collect();
            println!("宣传对象：{}", audiences.join("、"));
            println!("法律/主题：{}", c.themes.join("、"));
            println!("牵头单位：{}", c.lead_unit);
            if !c.notes.is_empty() {
                println!("备注：{}", c.notes);
            }
            if c.archived {
                println!("状态：已归档");
            }
        }
        Output::Units => {
            let list: Vec<Unit> = serde_json::from_value(value)?;
            for u in &list {
                let market = u
                    .market_days
                    .as_ref()
                    .map(|m| format!("  赶集：{}", m.describe()))
                    .unwrap_or_default();
                println!("{}  {}{market}  [{}]", u.kind.label(), u.name, u.id);
            }
            println!("共 {} 个", list.len());
        }
        Output::Unit => {
            let u: Unit = serde_json::from_value(value)?;
            let market = u
                .market_days
                .as_ref()
                .map(|m| format!("，赶集日：{}", m.describe()))
                .unwrap_or_default();
            println!(
                "已保存：{}（{}{market}） [{}]",
                u.name,
                u.kind.label(),
                u.id
            );
        }
        Output::People => {
            let list: Vec<Person> = serde_json::from_value(value)?;
            for p in &list {
                println!(
                    "{}  {}  {}  {}  [{}]",
                    p.name,
                    p.role.label(),
                    p.phone,
                    p.unit_name.as_deref().unwrap_or("—"),
                    p.id
                );
            }
            println!("共 {} 人", list.len());
        }
        Output::Person => {
            let p: Person = serde_json::from_value(value)?;
            println!("已保存：{}（{}） [{}]", p.name, p.role.label(), p.id);
        }
        Output::Deleted => println!("已删除：{}", value["deleted"].as_str().unwrap_or_default()),
        Output::Keydates => {
            let list: Vec<KeyDate> = serde_json::from_value(value)?;
            for k in &list {
                println!("{}", keydate_line(k));
            }
            let provisional = list
                .iter()
                .filter(|k| k.source == DateSource::Provisional)
                .count();
            println!("共 {} 个普法节点", list.len());
            if provisional > 0 {
                println!(
                    "其中 {provisional} 个日期待公布（暂按往年规则）：公布后请录入，或用 keydates --year {} --confirm 代码 确认",
                    list[0].year
                );
            }
        }
        Output::KeydateConfirmed => {
            let k: KeyDate = serde_json::from_value(value)?;
            println!("已确认：{}", keydate_line(&k));
        }
        Output::Check => {
            let r: CheckReport = serde_json::from_value(value)?;
            if r.ok {
                println!(
                    "数据检查通过：{} 个村/单位，{} 人，{} 个活动专项，{} 场活动（结构版本 {}）",
                    r.units, r.people, r.campaigns, r.activities, r.schema_version
                );
            } else {
                println!("发现 {} 个问题：", r.problems.len());
                for p in &r.problems {
                    println!("  - {p}");
                }
            }
        }
    }
    Ok(())
}
