//! Word reports in 公文 format (GB/T 9704—2012), written from the records: the
//! 普法工作年度总结 of a year and the 情况报告 of a campaign. The numbers are generated the way
//! reports write them — 场次 and 名 exact, large totals "3000余" / "近5000", "N种" for distinct
//! titles — and the statistics table goes to the 附件 on a page of its own. The parts only
//! people can write (主要做法, 存在的问题, 下一步工作打算) come from the saved report text
//! ([`texts`]); an empty one becomes a bracketed placeholder so the document is always whole.
//!
//! Only approved records count. An empty year or a campaign without records gives a valid
//! document that says so.

mod gongwen;
#[cfg(test)]
mod tests;
pub mod texts;

pub use texts::{report_text_get, report_text_save, ReportKind, ReportText, ReportTextInput};

use super::{full_date_cn, io_error, iso_date, month_day_cn, range_cn, write_atomic};
use crate::campaign::{self, Campaign};
use crate::error::Result;
use crate::record::{self, RecordFilter};
use crate::reports::{self, approx, Breakdown, Counter, Summary, SummaryFilter};
use crate::town::{require_town, Town};
use chrono::Datelike;
use docx_rs::Docx;
use gongwen::{Column, Document};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use ts_rs::TS;

/// What a Word export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocxExported {
    pub path: String,
    /// Paragraphs and tables in the document, the 附件 included.
    pub paragraphs: u32,
    pub tables: u32,
    /// 场次 counted: the approved records.
    #[ts(type = "number")]
    pub activities: i64,
    /// Records of the period waiting for review or returned: not counted in the report.
    #[ts(type = "number")]
    pub pending: i64,
}

/// The 普法工作年度总结 of `year` with the text people wrote.
pub fn annual_report(conn: &Connection, year: i32, texts: &ReportText) -> Result<Docx> {
    Ok(annual(conn, year, texts)?.0.finish())
}

/// The 情况报告 of a campaign with the text people wrote.
pub fn campaign_report(conn: &Connection, campaign_id: &str, texts: &ReportText) -> Result<Docx> {
    Ok(campaign_doc(conn, campaign_id, texts)?.0.finish())
}

/// Writes the year's summary (with the text saved for it) to `path`.
pub fn export_annual(conn: &Connection, path: &Path, year: i32) -> Result<DocxExported> {
    let year = texts::check_year(year, "year")?;
    let saved = texts::saved(conn, ReportKind::Annual, &year.to_string())?.unwrap_or_default();
    let (doc, activities) = annual(conn, year, &saved)?;
    let pending = not_approved(
        conn,
        &format!("{year}-01-01"),
        &format!("{year}-12-31"),
        None,
    )?;
    write(path, doc, activities, pending)
}

/// Writes a campaign's report (with the text saved for it) to `path`.
pub fn export_campaign(conn: &Connection, path: &Path, campaign_id: &str) -> Result<DocxExported> {
    let c = campaign::get(conn, campaign_id.trim())?;
    let saved = texts::saved(conn, ReportKind::Campaign, &c.id)?.unwrap_or_default();
    let (doc, activities) = campaign_doc(conn, &c.id, &saved)?;
    let pending = not_approved(conn, ALL_FROM, ALL_TO, Some(&c.id))?;
    write(path, doc, activities, pending)
}

/// Packs a report into a .docx (its parts, with the font table naming the 公文 fonts).
pub fn pack(docx: Docx, out: &mut impl Write) -> Result<()> {
    let stamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut xml = docx.created_at(&stamp).updated_at(&stamp).build();
    xml.font_table = gongwen::font_table();
    xml.document = gongwen::repeat_header_rows(&xml.document);
    let mut buffer = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buffer).map_err(|e| {
        crate::error::AppError::new(
            crate::error::ErrorCode::Io,
            format!("生成 Word 文件失败：{e}"),
        )
    })?;
    out.write_all(buffer.get_ref())?;
    Ok(())
}

fn write(path: &Path, doc: Document, activities: i64, pending: i64) -> Result<DocxExported> {
    let (paragraphs, tables) = (doc.paragraphs, doc.tables);
    let docx = doc.finish();
    write_atomic(path, |f| {
        let mut bytes = Vec::new();
        pack(docx, &mut bytes)?;
        f.write_all(&bytes).map_err(|e| io_error(path, &e))
    })?;
    Ok(DocxExported {
        path: path.display().to_string(),
        paragraphs,
        tables,
        activities,
        pending,
    })
}

/// The widest period: a campaign's records count whenever they were held.
const ALL_FROM: &str = "1900-01-01";
const ALL_TO: &str = "2200-12-31";

/// Records of the period (and campaign) not approved yet.
fn not_approved(conn: &Connection, from: &str, to: &str, campaign: Option<&str>) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM record r
         WHERE r.date >= ?1 AND r.date <= ?2 AND r.review_status IN ('pending', 'returned')
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM record_campaign c
                                      WHERE c.record_id = r.id AND c.campaign_id = ?3))",
        params![from, to, campaign],
        |r| r.get(0),
    )?)
}

// ---------------------------------------------------------------------------------------------
// The facts a report states.

/// Everything a report says about its records.
struct Facts {
    town: Town,
    summary: Summary,
    /// Records by 专项 (their first campaign), else by their first 普法 node, else 日常普法:
    /// each record in exactly one row, so the rows add up to the totals.
    groups: Vec<Breakdown>,
    /// Every village/community (in the town's order) and any other unit with records.
    units: Vec<Breakdown>,
    /// Villages and communities: how many, and which have no record.
    villages: usize,
    villages_without: Vec<String>,
}

const EVERYDAY: &str = "日常普法活动";

fn facts(conn: &Connection, from: &str, to: &str, campaign: Option<&str>) -> Result<Facts> {
    let town = require_town(conn)?;
    let (t, topics) = reports::summary_with_topics(
        conn,
        &SummaryFilter {
            from: from.into(),
            to: to.into(),
            village: None,
            campaign_id: campaign.map(str::to_string),
            include_pending: false,
        },
    )?;
    let mut node_names: HashMap<String, String> = crate::keydates::national_nodes()
        .iter()
        .map(|n| (n.code.clone(), n.name.clone()))
        .collect();
    for n in crate::keydates::local_nodes(conn)? {
        node_names.insert(n.code, n.name);
    }
    let mut campaigns: HashMap<String, (String, String)> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, start_date, name FROM campaign")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))? {
        let (id, start_name) = row?;
        campaigns.insert(id, start_name);
    }
    // Each record's 专项: its earliest campaign, else its first node, else 日常普法.
    let mut groups = Counter::default();
    for topic in &topics {
        let (ids, node) = topic.key.split_once('|').unwrap_or((&topic.key, ""));
        let group = ids
            .split(',')
            .filter_map(|id| campaigns.get(id))
            .min()
            .map(|(_, name)| name.clone())
            .or_else(|| {
                (!node.is_empty())
                    .then(|| node_names.get(node).cloned().unwrap_or_else(|| node.into()))
            })
            .unwrap_or_else(|| EVERYDAY.to_string());
        groups.add_sums(&group, topic.activities, topic.participants, topic.reach);
    }
    let mut groups = groups.breakdown(str::to_string);
    groups.sort_by_key(|g| g.label == EVERYDAY);

    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind IN ('village', 'community') AND archived = 0 FROM unit
         ORDER BY kind NOT IN ('village', 'community'), sort_order, name",
    )?;
    let all = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let counted: HashMap<&str, &Breakdown> =
        t.by_village.iter().map(|b| (b.key.as_str(), b)).collect();
    let mut rows = Vec::new();
    let mut villages = 0;
    let mut villages_without = Vec::new();
    for (id, name, village_level) in &all {
        villages += usize::from(*village_level);
        match counted.get(id.as_str()) {
            Some(b) => rows.push((*b).clone()),
            None if *village_level => {
                villages_without.push(name.clone());
                rows.push(Breakdown {
                    key: id.clone(),
                    label: name.clone(),
                    activities: 0,
                    participants: 0,
                    reach: 0,
                });
            }
            None => {}
        }
    }
    Ok(Facts {
        town,
        summary: t,
        groups,
        units: rows,
        villages,
        villages_without,
    })
}

// ---------------------------------------------------------------------------------------------
// Sentences.

/// "全镇" / "全乡" / "全街道".
fn whole(town: &Town) -> String {
    let name = town.name.trim();
    if name.ends_with("街道") {
        "全街道".into()
    } else if name.ends_with('乡') {
        "全乡".into()
    } else {
        "全镇".into()
    }
}

/// The town's government: "双龙镇人民政府", "龙江街道办事处".
fn government(town: &Town) -> String {
    let name = town.name.trim();
    if name.ends_with("街道") {
        format!("{name}办事处")
    } else {
        format!("{name}人民政府")
    }
}

/// A label inside running text: full-width brackets, a leading date in quotes
/// ("4·15全民国家安全教育日" → "“4·15”全民国家安全教育日").
fn in_text(label: &str) -> String {
    let label = label.replace('(', "（").replace(')', "）");
    let date_len = label
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '·' || *c == '.')
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let date = &label[..date_len];
    if date.contains('·') && date.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        format!("“{date}”{}", &label[date_len..])
    } else {
        label
    }
}

/// "…共开展各类普法活动62场次，参与群众5300余人，受教育群众7000余人次，现场解答法律咨询630余人次。"
fn totals_sentence(lead: &str, s: &Summary) -> String {
    let mut t = format!("{lead}共开展各类普法活动{}场次", s.activities);
    if s.participants > 0 {
        t.push_str(&format!("，参与群众{}人", approx(s.participants)));
    }
    if s.reach > 0 {
        t.push_str(&format!("，受教育群众{}人次", approx(s.reach)));
    }
    if s.consultations > 0 {
        t.push_str(&format!(
            "，现场解答法律咨询{}人次",
            approx(s.consultations)
        ));
    }
    t.push('。');
    t
}

/// Units of printed material (宣传资料); everything else handed out is a 宣传品.
const PRINTED: &[&str] = &["份", "张", "册", "本", "套", "页", "幅"];

/// "发放民法典宣传手册、国家安全教育宣传册等宣传资料6种近4000份（册），发放有奖问答奖品等宣传品256个；
/// 悬挂横幅62条，摆放展板62块，出动宣传车3台。" None when nothing was handed out or shown.
fn materials_sentence(s: &Summary) -> Option<String> {
    let mut parts = Vec::new();
    let (printed, gifts): (Vec<_>, Vec<_>) = s
        .materials
        .iter()
        .filter(|m| m.quantity > 0)
        .partition(|m| PRINTED.contains(&m.unit.as_str()));
    for (items, what) in [(printed, "宣传资料"), (gifts, "宣传品")] {
        if items.is_empty() {
            continue;
        }
        let mut by_quantity = items.clone();
        by_quantity.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.name.cmp(&b.name)));
        let names: Vec<&str> = by_quantity
            .iter()
            .take(3)
            .map(|m| m.name.as_str())
            .collect();
        let total: i64 = items.iter().map(|m| m.quantity).sum();
        let first = &items[0].unit;
        let unit = if items.iter().all(|m| &m.unit == first) {
            first.clone()
        } else if what == "宣传资料" {
            "份（册）".to_string()
        } else {
            "件".to_string()
        };
        let kinds = if what == "宣传资料" {
            format!("{}种", items.len())
        } else {
            String::new()
        };
        parts.push(format!(
            "发放{}等{what}{kinds}{}{unit}",
            names.join("、"),
            approx(total)
        ));
    }
    let mut shown = Vec::new();
    if s.banners > 0 {
        shown.push(format!("悬挂横幅{}条", s.banners));
    }
    if s.boards > 0 {
        shown.push(format!("摆放展板{}块", s.boards));
    }
    if s.vehicles > 0 {
        shown.push(format!("出动宣传车{}台", s.vehicles));
    }
    let mut text = parts.join("，");
    if !shown.is_empty() {
        if !text.is_empty() {
            text.push('；');
        }
        text.push_str(&shown.join("，"));
    }
    if text.is_empty() {
        return None;
    }
    text.push('。');
    if s.online_posts > 0 {
        text.push_str(&format!(
            "依托微信公众号、微信群等新媒体平台推送普法信息{}条",
            s.online_posts
        ));
        if s.online_views > 0 {
            text.push_str(&format!("，阅读量{}人次", approx(s.online_views)));
        }
        text.push('。');
    }
    let mut cases = Vec::new();
    if s.disputes > 0 {
        cases.push(format!("调解矛盾纠纷{}件", s.disputes));
    }
    if s.legal_aid_cases > 0 {
        cases.push(format!("办理法律援助案件{}件", s.legal_aid_cases));
    }
    if !cases.is_empty() {
        text.push_str(&format!("结合普法活动{}。", cases.join("，")));
    }
    Some(text)
}

/// "紧扣重要普法节点集中开展宣传：围绕民法典宣传月开展活动19场次，围绕“4·15”全民国家安全教育日开展活动16场次……"
fn nodes_sentence(s: &Summary) -> Option<String> {
    if s.by_node.is_empty() {
        return None;
    }
    let shown: Vec<String> = s
        .by_node
        .iter()
        .take(8)
        .map(|b| format!("围绕{}开展活动{}场次", in_text(&b.label), b.activities))
        .collect();
    let more = if s.by_node.len() > 8 { "等" } else { "" };
    Some(format!(
        "紧扣重要普法节点集中开展宣传，{}{more}。",
        shown.join("，")
    ))
}

/// "活动形式以集中宣传（33场次）、法治讲座（19场次）等为主，重点面向村（居）民（35场次）…等群体。"
fn forms_sentence(s: &Summary) -> Option<String> {
    let list = |b: &[Breakdown], n: usize| -> String {
        b.iter()
            .take(n)
            .map(|x| format!("{}（{}场次）", in_text(&x.label), x.activities))
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut parts = Vec::new();
    if !s.by_format.is_empty() {
        parts.push(format!("活动形式以{}等为主", list(&s.by_format, 3)));
    }
    if !s.by_audience.is_empty() {
        parts.push(format!("重点面向{}等群体", list(&s.by_audience, 4)));
    }
    (!parts.is_empty()).then(|| format!("{}。", parts.join("，")))
}

/// "活动覆盖全镇21个村（社区），实现“每村至少一次”全覆盖。" or which villages are missing.
fn coverage_sentence(f: &Facts) -> Option<String> {
    if f.villages == 0 {
        return None;
    }
    let whole = whole(&f.town);
    let n = f.villages;
    if f.villages_without.is_empty() {
        return Some(format!(
            "活动覆盖{whole}{n}个村（社区），实现“每村至少一次”全覆盖。"
        ));
    }
    let covered = n.saturating_sub(f.villages_without.len());
    if covered == 0 {
        return Some(format!("{whole}{n}个村（社区）均尚未开展活动。"));
    }
    Some(format!(
        "活动覆盖{whole}{n}个村（社区）中的{covered}个，{}尚未开展活动。",
        f.villages_without.join("、")
    ))
}

/// 一、基本情况 of a report: its paragraphs, or the sentence that nothing is recorded.
fn basics(doc: &mut Document, f: &Facts, lead: &str, nothing: &str) {
    let s = &f.summary;
    if s.activities == 0 {
        doc.body(nothing);
        return;
    }
    doc.body(&totals_sentence(lead, s));
    if let Some(t) = materials_sentence(s) {
        doc.body(&t);
    }
    let mut ways = String::new();
    for t in [nodes_sentence(s), forms_sentence(s)].into_iter().flatten() {
        ways.push_str(&t);
    }
    if !ways.is_empty() {
        doc.body(&ways);
    }
    if let Some(t) = coverage_sentence(f) {
        doc.body(&t);
    }
}

/// 二、三、四: the text people wrote, or placeholders.
fn written_parts(doc: &mut Document, texts: &ReportText) {
    doc.heading1("二、主要做法");
    doc.user_block(&texts.practices, "（请填写主要做法）");
    doc.heading1("三、存在的问题");
    doc.user_block(&texts.problems, "（请填写存在的问题）");
    doc.heading1("四、下一步工作打算");
    doc.user_block(&texts.plans, "（请填写下一步工作打算）");
}

fn today() -> String {
    full_date_cn(chrono::Local::now().date_naive())
}

fn issuer(texts: &ReportText, default: String) -> String {
    let t = texts.issuer.trim();
    if t.is_empty() {
        default
    } else {
        t.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// The 附件 tables.

const BREAKDOWN_COLUMNS: [Column; 4] = [
    Column {
        title: "",
        width: 4044,
        numeric: false,
    },
    Column {
        title: "场次",
        width: 1400,
        numeric: true,
    },
    Column {
        title: "参加人数",
        width: 1700,
        numeric: true,
    },
    Column {
        title: "受众人次",
        width: 1700,
        numeric: true,
    },
];

/// A table of breakdown rows with their 合计; `first` heads the label column.
fn breakdown_table(doc: &mut Document, first: &'static str, rows: &[Breakdown]) {
    let mut columns = BREAKDOWN_COLUMNS;
    columns[0].title = first;
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|b| {
            vec![
                b.label.clone(),
                b.activities.to_string(),
                b.participants.to_string(),
                b.reach.to_string(),
            ]
        })
        .collect();
    let sum = |f: fn(&Breakdown) -> i64| rows.iter().map(f).sum::<i64>().to_string();
    let total = [
        "合计".to_string(),
        sum(|b| b.activities),
        sum(|b| b.participants),
        sum(|b| b.reach),
    ];
    doc.table(&columns, &body, Some(&total), gongwen::SMALL_SIZE);
}

fn materials_table(doc: &mut Document, s: &Summary) {
    let columns = [
        Column {
            title: "资料名称",
            width: 4444,
            numeric: false,
        },
        Column {
            title: "单位",
            width: 1400,
            numeric: true,
        },
        Column {
            title: "数量",
            width: 3000,
            numeric: true,
        },
    ];
    let rows: Vec<Vec<String>> = s
        .materials
        .iter()
        .map(|m| vec![m.name.clone(), m.unit.clone(), m.quantity.to_string()])
        .collect();
    let total = [
        "合计".to_string(),
        format!("{}种", s.materials.len()),
        s.materials
            .iter()
            .map(|m| m.quantity)
            .sum::<i64>()
            .to_string(),
    ];
    doc.table(&columns, &rows, Some(&total), gongwen::SMALL_SIZE);
}

const NOTE: &str =
    "注：仅统计审核通过的活动记录；参加人数为到场人数，受众人次含线上线下受教育群众。";

// ---------------------------------------------------------------------------------------------
// The two reports.

/// The annual summary and the 场次 it counts.
fn annual(conn: &Connection, year: i32, texts: &ReportText) -> Result<(Document, i64)> {
    let year = texts::check_year(year, "year")?;
    let f = facts(
        conn,
        &format!("{year}-01-01"),
        &format!("{year}-12-31"),
        None,
    )?;
    let town = f.town.name.trim().to_string();
    let mut doc = Document::new();
    doc.title(&format!("{town}{year}年普法工作总结"));
    if f.summary.activities > 0 {
        doc.body(&format!(
            "{year}年，{town}坚持以习近平新时代中国特色社会主义思想为指导，深入学习宣传贯彻\
             习近平法治思想，认真落实年度普法工作计划，紧扣重要普法节点，面向重点对象扎实开展\
             法治宣传教育。现将全年普法工作情况总结如下。"
        ));
    } else {
        doc.body(&format!("现将{town}{year}年普法工作情况总结如下。"));
    }
    doc.heading1("一、基本情况");
    basics(
        &mut doc,
        &f,
        &format!("{year}年，{}", whole(&f.town)),
        "本年度尚无审核通过的活动记录。",
    );
    written_parts(&mut doc, texts);
    doc.attachment_note(&format!("{year}年普法活动统计表"));
    doc.signature(&issuer(texts, government(&f.town)), &today());

    doc.attachment_page(&format!("{year}年普法活动统计表"));
    doc.caption("一、按活动专项统计");
    breakdown_table(&mut doc, "活动专项（普法节点）", &f.groups);
    doc.blank();
    doc.caption("二、按村（社区）统计");
    breakdown_table(&mut doc, "村（社区）/单位", &f.units);
    if !f.summary.materials.is_empty() {
        doc.blank();
        doc.caption("三、宣传资料发放情况");
        materials_table(&mut doc, &f.summary);
    }
    doc.note(NOTE);
    Ok((doc, f.summary.activities))
}

/// "2026年5月1日—5月31日".
fn window(c: &Campaign) -> String {
    match (iso_date(&c.start_date), iso_date(&c.end_date)) {
        (Some(s), Some(e)) => {
            let range = range_cn(s, e, s.year());
            if s.year() == e.year() {
                format!("{}年{range}", s.year())
            } else {
                range
            }
        }
        _ => format!("{}至{}", c.start_date, c.end_date),
    }
}

/// The campaign report and the 场次 it counts.
fn campaign_doc(
    conn: &Connection,
    campaign_id: &str,
    texts: &ReportText,
) -> Result<(Document, i64)> {
    let c = campaign::get(conn, campaign_id.trim())?;
    let f = facts(conn, ALL_FROM, ALL_TO, Some(&c.id))?;
    let town = f.town.name.trim().to_string();
    let name = c.name.trim();
    let mut doc = Document::new();
    doc.title(&format!("关于{name}开展情况的报告"));
    let county = f.town.county.trim();
    if !county.is_empty() {
        doc.addressee(&format!("{county}司法局："));
    }
    let theme = c
        .themes
        .iter()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .map(|t| format!("以“{t}”为主题，"))
        .unwrap_or_default();
    doc.body(&format!(
        "根据上级工作部署，{town}于{}{theme}组织开展{name}。现将有关情况报告如下。",
        window(&c)
    ));
    doc.heading1("一、基本情况");
    basics(
        &mut doc,
        &f,
        &format!("活动期间，{}", whole(&f.town)),
        "该专项尚无审核通过的活动记录。",
    );
    written_parts(&mut doc, texts);
    let attachment = if name.ends_with("活动") {
        format!("{name}统计表")
    } else {
        format!("{name}活动统计表")
    };
    doc.attachment_note(&attachment);
    doc.signature(&issuer(texts, format!("{town}司法所")), &today());

    doc.attachment_page(&attachment);
    doc.caption("一、按村（社区）统计");
    breakdown_table(&mut doc, "村（社区）/单位", &f.units);
    doc.blank();
    doc.caption("二、活动明细");
    let columns = [
        Column {
            title: "序号",
            width: 750,
            numeric: true,
        },
        Column {
            title: "日期",
            width: 1250,
            numeric: true,
        },
        Column {
            title: "村/单位",
            width: 1700,
            numeric: false,
        },
        Column {
            title: "活动名称",
            width: 2644,
            numeric: false,
        },
        Column {
            title: "参加人数",
            width: 1250,
            numeric: true,
        },
        Column {
            title: "受众人次",
            width: 1250,
            numeric: true,
        },
    ];
    let start_year = iso_date(&c.start_date).map(|d| d.year());
    let mut rows = Vec::new();
    let (mut participants, mut reach) = (0i64, 0i64);
    record::for_each(
        conn,
        &RecordFilter {
            campaign_id: Some(c.id.clone()),
            review_status: Some("approved".into()),
            ..Default::default()
        },
        |r| {
            let date = match iso_date(&r.date) {
                Some(d) if Some(d.year()) == start_year => month_day_cn(d),
                Some(d) => full_date_cn(d),
                None => r.date.clone(),
            };
            participants += r.participants;
            reach += r.reach;
            rows.push(vec![
                (rows.len() + 1).to_string(),
                date,
                r.unit_name.clone().unwrap_or_default(),
                r.title.clone(),
                r.participants.to_string(),
                r.reach.to_string(),
            ]);
            Ok(())
        },
    )?;
    let total = [
        "合计".to_string(),
        String::new(),
        String::new(),
        format!("{}场次", rows.len()),
        participants.to_string(),
        reach.to_string(),
    ];
    doc.table(&columns, &rows, Some(&total), gongwen::TABLE_SIZE_NARROW);
    doc.note(NOTE);
    Ok((doc, f.summary.activities))
}
