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

// The reports along their seams: the facts a report states (`facts`), its sentences
// (`sentences`), the 附件 tables (`tables`), the 公文 layout (`gongwen`); the two reports below.
mod facts;
mod gongwen;
mod sentences;
mod tables;
use facts::*;
use sentences::*;
use tables::*;
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
