//! Word reports in 公文 format (GB/T 9704—2012), written from the records: the
//! 普法工作年度总结 of a year and the 情况报告 of a campaign. The numbers are generated the way
//! reports write them — 场次 and 名 exact, large totals "3000余" / "近5000", "N种" for distinct
//! titles — and the statistics table goes to the 附件 on a page of its own. The parts only
//! people can write (主要做法, 存在的问题, 下一步工作打算) come from the saved report text
//! ([`texts`]); an empty one becomes a bracketed placeholder so the document is always whole.
//!
//! Only approved records count unless pending ones are asked for; the basis is stated under
//! the 附件 tables. The numbers are the 统计's ([`reports::summary`]): an empty year or a
//! campaign without records gives a valid document that says so.

mod gongwen;
#[cfg(test)]
mod tests;
pub mod texts;

pub use texts::{report_text_get, report_text_save, ReportKind, ReportText, ReportTextInput};

use super::{full_date_cn, io_error, iso_date, month_day_cn, range_cn, write_atomic};
use crate::campaign::{self, Campaign};
use crate::error::Result;
use crate::record::{self, RecordFilter};
use crate::reports::wording::{campaign_in_text, in_text, node_in_text};
use crate::reports::{self, approx, Basis, Breakdown, Counter, Summary, SummaryFilter};
use crate::town::{require_town, Town};
use chrono::Datelike;
use docx_rs::Docx;
use gongwen::{Column, Document};
use rusqlite::Connection;
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
    /// 场次 counted: the approved records (and the pending ones when included).
    #[ts(type = "number")]
    pub activities: i64,
    /// Records of the period waiting for review or returned that the report does not count.
    #[ts(type = "number")]
    pub pending: i64,
    /// "统计口径：…", as the document states it.
    pub basis_line: String,
}

/// The 普法工作年度总结 of `year` with the text people wrote.
pub fn annual_report(
    conn: &Connection,
    year: i32,
    texts: &ReportText,
    include_pending: bool,
) -> Result<Docx> {
    Ok(annual(conn, year, texts, Basis::counted(include_pending))?
        .0
        .finish())
}

/// The 情况报告 of a campaign with the text people wrote.
pub fn campaign_report(
    conn: &Connection,
    campaign_id: &str,
    texts: &ReportText,
    include_pending: bool,
) -> Result<Docx> {
    Ok(
        campaign_doc(conn, campaign_id, texts, Basis::counted(include_pending))?
            .0
            .finish(),
    )
}

/// Writes the year's summary (with the text saved for it) to `path`.
pub fn export_annual(
    conn: &Connection,
    path: &Path,
    year: i32,
    include_pending: bool,
) -> Result<DocxExported> {
    let year = texts::check_year(year, "year")?;
    let saved = texts::saved(conn, ReportKind::Annual, &year.to_string())?.unwrap_or_default();
    let (doc, summary) = annual(conn, year, &saved, Basis::counted(include_pending))?;
    write(path, doc, &summary)
}

/// Writes a campaign's report (with the text saved for it) to `path`.
pub fn export_campaign(
    conn: &Connection,
    path: &Path,
    campaign_id: &str,
    include_pending: bool,
) -> Result<DocxExported> {
    let c = campaign::get(conn, campaign_id.trim())?;
    let saved = texts::saved(conn, ReportKind::Campaign, &c.id)?.unwrap_or_default();
    let (doc, summary) = campaign_doc(conn, &c.id, &saved, Basis::counted(include_pending))?;
    write(path, doc, &summary)
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

fn write(path: &Path, doc: Document, summary: &Summary) -> Result<DocxExported> {
    let (paragraphs, tables) = (doc.paragraphs, doc.tables);
    let docx = doc.finish();
    write_atomic(path, |f| {
        let mut bytes = Vec::new();
        pack(docx, &mut bytes)?;
        f.write_all(&bytes).map_err(|e| io_error(path, &e))
    })?;
    let all = summary.statuses.approved + summary.statuses.pending + summary.statuses.returned;
    Ok(DocxExported {
        path: path.display().to_string(),
        paragraphs,
        tables,
        activities: summary.activities,
        pending: all - summary.activities,
        basis_line: summary.basis_line.clone(),
    })
}

/// The widest period: a campaign's records count whenever they were held.
use crate::record::{ALL_FROM, ALL_TO};

// ---------------------------------------------------------------------------------------------
// The facts a report states.

/// Everything a report says about its records.
struct Facts {
    town: Town,
    summary: Summary,
    /// Records by 专项 (their first campaign), else by their first 普法 node, else 日常普法:
    /// each record in exactly one row, so the rows add up to the totals.
    groups: Vec<Breakdown>,
    /// Every village/community (in the town's order), any other unit with records, and the
    /// records without a unit: each record in one row.
    units: Vec<Breakdown>,
    /// Active villages and communities.
    villages: usize,
    /// The nodes by the records they share: each record in one group at most.
    node_groups: Vec<reports::NodeGroup>,
}

const EVERYDAY: &str = "日常普法活动";

fn facts(
    conn: &Connection,
    from: &str,
    to: &str,
    campaign: Option<&str>,
    basis: Basis,
) -> Result<Facts> {
    let town = require_town(conn)?;
    let filter = SummaryFilter {
        from: from.into(),
        to: to.into(),
        village: None,
        campaign_id: campaign.map(str::to_string),
        include_pending: basis.takes("pending"),
        basis: Some(basis),
        search: None,
    };
    let (t, topics) = reports::summary_with_topics(conn, &filter)?;
    let node_names = reports::node_names(conn)?;
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
    let in_review: HashMap<&str, &reports::VillageInReview> = t
        .villages_in_review
        .iter()
        .map(|v| (v.name.as_str(), v))
        .collect();
    let mut rows = Vec::new();
    let mut villages = 0;
    for (id, name, village_level) in &all {
        villages += usize::from(*village_level);
        match counted.get(id.as_str()) {
            Some(b) => rows.push((*b).clone()),
            None if *village_level => rows.push(Breakdown {
                key: id.clone(),
                label: match in_review.get(name.as_str()) {
                    Some(v) => format!("{name}（{}）", review_words(v)),
                    None => name.clone(),
                },
                activities: 0,
                participants: 0,
                reach: 0,
            }),
            None => {}
        }
    }
    if let Some(b) = counted.get("") {
        rows.push((*b).clone());
    }
    let node_groups = reports::node_groups(conn, &filter)?;
    Ok(Facts {
        town,
        summary: t,
        groups,
        units: rows,
        villages,
        node_groups,
    })
}

/// "待审核 2 场", "已退回 1 场", "待审核 2 场、已退回 1 场".
fn review_words(v: &reports::VillageInReview) -> String {
    let mut w = Vec::new();
    if v.pending > 0 {
        w.push(format!("待审核 {} 场", v.pending));
    }
    if v.returned > 0 {
        w.push(format!("已退回 {} 场", v.returned));
    }
    w.join("、")
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

/// "…共开展各类普法活动62场次，参与群众5300余人，受教育群众7000余人次，现场解答法律咨询630余人次。"
fn totals_sentence(lead: &str, s: &Summary) -> String {
    let mut t = format!("{lead}共开展各类普法活动{}场次", s.activities);
    if s.participants > 0 {
        t.push_str(&format!("，参与群众{}人", approx(s.participants)));
    }
    if s.reach > 0 {
        t.push_str(&format!("，受教育群众{}人次", approx(s.reach)));
    }
    if s.counts.consultations > 0 {
        t.push_str(&format!(
            "，现场解答法律咨询{}人次",
            approx(s.counts.consultations)
        ));
    }
    t.push('。');
    t
}

/// "发放宪法宣传折页、民法典宣传手册等宣传资料3种5200余份，宪法读本等法治读本2种250余册，
/// 有奖问答奖品30个；悬挂横幅62条，摆放展板62块，出动宣传车3台。" — each unit on its own,
/// never added across units. None when nothing was handed out or shown.
fn materials_sentence(s: &Summary) -> Option<String> {
    let mut parts = Vec::new();
    for u in s.material_units.iter().filter(|u| u.quantity > 0) {
        let mut items: Vec<&reports::MaterialTotal> =
            s.materials.iter().filter(|m| m.unit == u.unit).collect();
        items.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.name.cmp(&b.name)));
        let amount = format!("{}{}", approx(u.quantity), u.unit);
        parts.push(match items.as_slice() {
            [one] => format!("{}{amount}", one.name),
            _ => {
                let names: Vec<&str> = items.iter().take(2).map(|m| m.name.as_str()).collect();
                format!("{}等{}{}种{amount}", names.join("、"), u.label, u.kinds)
            }
        });
    }
    let mut shown = Vec::new();
    if s.counts.banners > 0 {
        shown.push(format!("悬挂横幅{}条", s.counts.banners));
    }
    if s.counts.boards > 0 {
        shown.push(format!("摆放展板{}块", s.counts.boards));
    }
    if s.counts.vehicles > 0 {
        shown.push(format!("出动宣传车{}台", s.counts.vehicles));
    }
    let mut text = String::new();
    if !parts.is_empty() {
        text = format!("发放{}", parts.join("，"));
    }
    if !shown.is_empty() {
        if !text.is_empty() {
            text.push('；');
        }
        text.push_str(&shown.join("，"));
    }
    if text.is_empty() {
        let clauses = count_clauses(s);
        return (!clauses.is_empty()).then_some(clauses);
    }
    text.push('。');
    if s.counts.online_posts > 0 {
        text.push_str(&format!(
            "依托微信公众号、微信群等新媒体平台推送普法信息{}条",
            s.counts.online_posts
        ));
        if s.counts.online_views > 0 {
            text.push_str(&format!("，阅读量{}人次", approx(s.counts.online_views)));
        }
        text.push('。');
    }
    let mut cases = Vec::new();
    if s.counts.disputes > 0 {
        cases.push(format!("调解矛盾纠纷{}件", s.counts.disputes));
    }
    if s.counts.legal_aid_cases > 0 {
        cases.push(format!("办理法律援助案件{}件", s.counts.legal_aid_cases));
    }
    if !cases.is_empty() {
        text.push_str(&format!("结合普法活动{}。", cases.join("，")));
    }
    text.push_str(&count_clauses(s));
    Some(text)
}

/// The clauses the record's field table gives its counts ("组织法律明白人、普法志愿者参与N人次。"),
/// for each total above 0.
fn count_clauses(s: &Summary) -> String {
    crate::record::COUNTS
        .iter()
        .zip(s.counts.values())
        .filter(|(_, n)| *n > 0)
        .filter_map(|(c, n)| {
            c.report
                .map(|r| format!("{}。", r.replace("{}", &n.to_string())))
        })
        .collect()
}

/// A group of nodes in running text: "“12·4”国家宪法日暨宪法宣传周" when two share the same
/// activities, "民法典宣传月、“4·15”全民国家安全教育日" when they overlap, the first three
/// "等节点" beyond.
fn node_group_text(g: &reports::NodeGroup) -> String {
    let labels: Vec<String> = g.labels.iter().map(|l| node_in_text(l)).collect();
    match labels.len() {
        2 if g.same_records => labels.join("暨"),
        0..=3 => labels.join("、"),
        _ => format!("{}等节点", labels[..3].join("、")),
    }
}

/// "紧扣重要普法节点集中开展宣传，围绕“12·4”国家宪法日暨宪法宣传周开展活动13场次，围绕民法典宣传月开展活动19场次。"
/// Each activity is counted in one group only, so the groups never add up to more than the
/// total.
fn nodes_sentence(f: &Facts) -> Option<String> {
    if f.node_groups.is_empty() {
        return None;
    }
    let shown: Vec<String> = f
        .node_groups
        .iter()
        .take(8)
        .map(|g| format!("围绕{}开展活动{}场次", node_group_text(g), g.activities))
        .collect();
    let more = if f.node_groups.len() > 8 { "等" } else { "" };
    Some(format!(
        "紧扣重要普法节点集中开展宣传，{}{more}。",
        shown.join("，")
    ))
}

/// "活动形式以集中宣传（33场次）、法治讲座（19场次）等为主，重点面向村（居）民（35场次）…等群体。"
/// One activity can have several formats and audiences: when the ones named add up to more than
/// the 场次, they are named without their counts, so the sentence never implies more activities
/// than there were.
fn forms_sentence(s: &Summary) -> Option<String> {
    let list = |b: &[Breakdown], n: usize| -> String {
        let shown = &b[..b.len().min(n)];
        let counted = shown.iter().map(|x| x.activities).sum::<i64>() <= s.activities;
        shown
            .iter()
            .map(|x| {
                if counted {
                    format!("{}（{}场次）", in_text(&x.label), x.activities)
                } else {
                    in_text(&x.label)
                }
            })
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

/// Names in a sentence: all of a few, the first ten of many ("…等25个村（社区）").
fn some_names(names: &[&str]) -> String {
    if names.len() <= 10 {
        names.join("、")
    } else {
        format!("{}等{}个村（社区）", names[..10].join("、"), names.len())
    }
}

/// "活动覆盖全镇21个村（社区），实现“每村至少一次”全覆盖。", or which villages have records
/// waiting for review or sent back and which have none.
fn coverage_sentence(f: &Facts) -> Option<String> {
    if f.villages == 0 {
        return None;
    }
    let s = &f.summary;
    let whole = whole(&f.town);
    let n = f.villages;
    if s.villages_without.is_empty() && s.villages_in_review.is_empty() {
        return Some(format!(
            "活动覆盖{whole}{n}个村（社区），实现“每村至少一次”全覆盖。"
        ));
    }
    let covered = n.saturating_sub(s.villages_without.len() + s.villages_in_review.len());
    let mut parts = vec![if covered == 0 {
        format!("{whole}{n}个村（社区）尚无{}", s.basis.words())
    } else {
        format!("活动覆盖{whole}{n}个村（社区）中的{covered}个")
    }];
    let pending: Vec<&str> = s
        .villages_in_review
        .iter()
        .filter(|v| v.pending > 0)
        .map(|v| v.name.as_str())
        .collect();
    let returned: Vec<&str> = s
        .villages_in_review
        .iter()
        .filter(|v| v.pending == 0)
        .map(|v| v.name.as_str())
        .collect();
    if !pending.is_empty() {
        parts.push(format!("{}的活动记录待审核", some_names(&pending)));
    }
    if !returned.is_empty() {
        parts.push(format!("{}的活动记录已退回修改", some_names(&returned)));
    }
    let without: Vec<&str> = s.villages_without.iter().map(String::as_str).collect();
    if !without.is_empty() {
        parts.push(format!("{}尚未开展活动", some_names(&without)));
    }
    Some(format!("{}。", parts.join("，")))
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
    for t in [nodes_sentence(f), forms_sentence(s)].into_iter().flatten() {
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
    let mut rows: Vec<Vec<String>> = s
        .materials
        .iter()
        .map(|m| vec![m.name.clone(), m.unit.clone(), m.quantity.to_string()])
        .collect();
    // A 合计 per unit: 份 and 册 are never added together, so no single 合计 row.
    for u in &s.material_units {
        rows.push(vec![
            format!("合计（{}，{}种）", u.label, u.kinds),
            u.unit.clone(),
            u.quantity.to_string(),
        ]);
    }
    doc.table(&columns, &rows, None, gongwen::SMALL_SIZE);
}

/// The note under the 附件 tables: the basis and what the counts mean.
fn note(s: &Summary) -> String {
    format!(
        "注：{}；参加人数为到场人数，受众人次含线上线下受教育群众；一场活动只计入一个活动专项。",
        s.basis_line
    )
}

// ---------------------------------------------------------------------------------------------
// The two reports.

/// The annual summary and the numbers it states.
fn annual(
    conn: &Connection,
    year: i32,
    texts: &ReportText,
    basis: Basis,
) -> Result<(Document, Summary)> {
    let year = texts::check_year(year, "year")?;
    let f = facts(
        conn,
        &format!("{year}-01-01"),
        &format!("{year}-12-31"),
        None,
        basis,
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
        &format!("本年度尚无{}。", f.summary.basis.words()),
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
    doc.note(&note(&f.summary));
    Ok((doc, f.summary))
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

/// The published (or the coordinator's) theme of the campaign's nodes in its year: the first
/// node that has one. None when no node has a theme that year — the sentence is then left out.
fn campaign_theme(conn: &Connection, c: &Campaign) -> Result<Option<String>> {
    let Some(year) = iso_date(&c.start_date).map(|d| d.year()) else {
        return Ok(None);
    };
    if c.nodes.is_empty() {
        return Ok(None);
    }
    // Only a confirmed theme: last year's offered as a draft is not this year's until confirmed.
    let year_nodes = crate::keydates::for_year(conn, year)?;
    Ok(c.nodes.iter().find_map(|code| {
        year_nodes
            .iter()
            .find(|k| &k.code == code)
            .and_then(|k| k.theme_line())
            .filter(|t| t.confirmed)
            .map(|t| t.text.trim().to_string())
    }))
}

/// The campaign report and the numbers it states.
fn campaign_doc(
    conn: &Connection,
    campaign_id: &str,
    texts: &ReportText,
    basis: Basis,
) -> Result<(Document, Summary)> {
    let c = campaign::get(conn, campaign_id.trim())?;
    let f = facts(conn, ALL_FROM, ALL_TO, Some(&c.id), basis)?;
    let town = f.town.name.trim().to_string();
    let name = c.name.trim();
    let quoted = campaign_in_text(name);
    let mut doc = Document::new();
    doc.title(&format!("关于{quoted}开展情况的报告"));
    let county = f.town.county.trim();
    if !county.is_empty() {
        doc.addressee(&format!("{county}司法局："));
    }
    let theme = campaign_theme(conn, &c)?
        .map(|t| format!("以“{}”为主题，", t.trim_matches(['“', '”', '"'])))
        .unwrap_or_default();
    doc.body(&format!(
        "根据上级工作部署，{town}于{}{theme}组织开展{quoted}。现将有关情况报告如下。",
        window(&c)
    ));
    doc.heading1("一、基本情况");
    basics(
        &mut doc,
        &f,
        &format!("活动期间，{}", whole(&f.town)),
        &format!("该专项尚无{}。", f.summary.basis.words()),
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
            review_status: Some(basis.code().into()),
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
    doc.note(&note(&f.summary));
    Ok((doc, f.summary))
}
