//! Printing an answer for people (Chinese lines) or an error; `--json` prints the answer as is.

use super::commands::Output;
use super::{exchange, pivot, plan, records};
use pufa_core::api::{Deleted, Response};
use pufa_core::campaign::Campaign;
use pufa_core::check::CheckReport;
use pufa_core::keydates::{DateSource, KeyDate};
use pufa_core::person::Person;
use pufa_core::town::AppInfo;
use pufa_core::unit::Unit;
use pufa_core::{validate, AppError};

/// Reports an error: `错误（字段）：说明` on stderr, and the JSON error with `--json`.
pub(super) fn fail(e: &AppError, json: bool) -> i32 {
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

pub(super) fn date_range(start: &str, end: &str) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} 至 {end}")
    }
}

pub(super) fn print_human(output: &Output, response: Response) -> Result<(), AppError> {
    match output {
        Output::Plan(out) => plan::print(out, response)?,
        Output::Records(out) => records::print(out, response)?,
        Output::Pivot => pivot::print(response)?,
        Output::Exchange(out) => exchange::print(out, response)?,
        Output::Info => {
            let info: AppInfo = response.take()?;
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
            let list: Vec<Campaign> = response.take()?;
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
            let c: Campaign = response.take()?;
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
            let list: Vec<Unit> = response.take()?;
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
            let u: Unit = response.take()?;
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
            let list: Vec<Person> = response.take()?;
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
            let p: Person = response.take()?;
            println!("已保存：{}（{}） [{}]", p.name, p.role.label(), p.id);
        }
        Output::Deleted => println!("已删除：{}", response.take::<Deleted>()?.deleted),
        Output::Keydates => {
            let list: Vec<KeyDate> = response.take()?;
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
            let k: KeyDate = response.take()?;
            println!("已确认：{}", keydate_line(&k));
        }
        Output::Check => {
            let r: CheckReport = response.take()?;
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
