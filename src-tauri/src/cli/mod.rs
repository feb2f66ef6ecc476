//! The headless CLI: each subcommand becomes a `pufa_core::api::Request`, runs through the same
//! command layer as the window, and prints human text (Chinese) or, with `--json`, JSON.
//! Exit codes: 0 ok, 1 refused or failed (message names the field), 2 bad command line.

mod commands;
mod exchange;
mod pivot;
mod plan;
mod print;
mod records;

use clap::{Args, Parser, Subcommand};
use commands::{request, Output};
use print::{date_range, fail, print_human};
use pufa_core::api::{self, Response};
use pufa_core::campaign::CampaignInput;
use pufa_core::{validate, AppError, Db, ErrorCode};
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
        /// 添加一位使用人（同一数据文件夹可有多位），并切换为当前使用人
        #[arg(long)]
        add: bool,
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
        let result = api::run(&mut db, req, &mut |done, total| {
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
        Ok(response) => {
            let failed_check = matches!(&response, Response::Check(report) if !report.ok);
            if json {
                let value = match response.to_json() {
                    Ok(value) => value,
                    Err(e) => return fail(&e, json),
                };
                let value = match &output {
                    Output::Exchange(out) => exchange::json(out, value),
                    _ => value,
                };
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).expect("JSON value prints")
                );
            } else if let Err(e) = print_human(&output, response) {
                eprintln!("输出失败：{e}");
                return 1;
            }
            i32::from(failed_check)
        }
        Err(e) => fail(&e, json),
    }
}
