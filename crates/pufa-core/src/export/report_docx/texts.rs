//! The parts of a report only people can write — 主要做法, 存在的问题, 下一步工作打算 — and the
//! issuing body, saved with the report they belong to: the annual summary of a year or the
//! situation report of a campaign. A report without saved text starts from last year's (the
//! same kind of report: the previous year's summary, or last year's campaign of the same 普法
//! node), flagged so the UI can say so.

use crate::audit;
use crate::db::Db;
use crate::error::{AppError, ErrorCode, Result};
use crate::town::require_town;
use crate::{campaign, now};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest block accepted, in characters (a long 主要做法 runs to 2,000–3,000).
pub const MAX_BLOCK: usize = 5000;
/// Longest issuing body ("双龙镇全面依法治镇委员会办公室").
pub const MAX_ISSUER: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportKind {
    /// 普法工作年度总结: scope is the year ("2026").
    #[default]
    Annual,
    /// 专项情况报告: scope is the campaign id.
    Campaign,
}

impl ReportKind {
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Annual => "annual",
            ReportKind::Campaign => "campaign",
        }
    }
}

/// The saved text of one report (empty strings when nothing is saved).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportText {
    pub kind: ReportKind,
    pub scope: String,
    pub year: i32,
    /// 主要做法.
    pub practices: String,
    /// 存在的问题.
    pub problems: String,
    /// 下一步工作打算.
    pub plans: String,
    /// 落款 (empty: the town's government for a summary, its 司法所 for a campaign report).
    pub issuer: String,
    /// When it was saved; None when nothing is saved for this report.
    pub updated_at: Option<String>,
    /// The text is last year's, offered as a start: saving makes it this report's.
    pub from_last_year: bool,
}

/// What the report editor saves.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct ReportTextInput {
    pub kind: ReportKind,
    /// The year for an annual summary, the campaign id for a campaign report.
    pub scope: String,
    #[serde(default)]
    pub practices: String,
    #[serde(default)]
    pub problems: String,
    #[serde(default)]
    pub plans: String,
    #[serde(default)]
    pub issuer: String,
}

/// The checked scope of a report: its canonical scope string and year.
fn resolve(conn: &Connection, kind: ReportKind, scope: &str) -> Result<(String, i32)> {
    let scope = scope.trim();
    match kind {
        ReportKind::Annual => {
            let year = check_year(scope.parse().unwrap_or(0), "scope")?;
            Ok((year.to_string(), year))
        }
        ReportKind::Campaign => {
            if scope.is_empty() {
                return Err(AppError::field(
                    ErrorCode::Required,
                    "scope",
                    "请选择要写报告的活动专项",
                ));
            }
            let c = campaign::get(conn, scope)?;
            let year = c.start_date[..4].parse().unwrap_or(0);
            Ok((c.id, year))
        }
    }
}

/// A report year the app can hold (the date rules accept 1900–2200).
pub(crate) fn check_year(year: i32, field: &str) -> Result<i32> {
    if (1900..=2200).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!("年度“{year}”无效，请填写如 2026 这样的四位年份"),
        ))
    }
}

const COLUMNS: &str = "kind, scope, year, practices, problems, plans, issuer, updated_at";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<ReportText> {
    let kind: String = r.get(0)?;
    Ok(ReportText {
        kind: if kind == "campaign" {
            ReportKind::Campaign
        } else {
            ReportKind::Annual
        },
        scope: r.get(1)?,
        year: r.get(2)?,
        practices: r.get(3)?,
        problems: r.get(4)?,
        plans: r.get(5)?,
        issuer: r.get(6)?,
        updated_at: r.get(7)?,
        from_last_year: false,
    })
}

/// The text saved for exactly this report, if any.
pub(crate) fn saved(
    conn: &Connection,
    kind: ReportKind,
    scope: &str,
) -> Result<Option<ReportText>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM report_text WHERE kind = ?1 AND scope = ?2"),
            params![kind.code(), scope],
            from_row,
        )
        .optional()?)
}

/// Last year's text of the same kind of report: the previous year's summary; for a campaign,
/// a campaign of the previous year sharing one of its 普法 nodes, else one of the same name
/// once the years are left out ("2025年民法典宣传月活动" for "2026年民法典宣传月活动").
fn last_year(
    conn: &Connection,
    kind: ReportKind,
    scope: &str,
    year: i32,
) -> Result<Option<ReportText>> {
    match kind {
        ReportKind::Annual => saved(conn, kind, &(year - 1).to_string()),
        ReportKind::Campaign => {
            let this = campaign::get(conn, scope)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM report_text WHERE kind = 'campaign' AND year = ?1
                 ORDER BY updated_at DESC"
            ))?;
            let candidates = stmt
                .query_map([year - 1], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let without_digits = |s: &str| {
                s.chars()
                    .filter(|c| !c.is_ascii_digit())
                    .collect::<String>()
            };
            let mut by_name = None;
            for t in candidates {
                let Ok(old) = campaign::get(conn, &t.scope) else {
                    continue;
                };
                if old.nodes.iter().any(|n| this.nodes.contains(n)) {
                    return Ok(Some(t));
                }
                if by_name.is_none() && without_digits(&old.name) == without_digits(&this.name) {
                    by_name = Some(t);
                }
            }
            Ok(by_name)
        }
    }
}

/// The text of a report: what is saved for it, else last year's (flagged), else empty.
pub fn report_text_get(conn: &Connection, kind: ReportKind, scope: &str) -> Result<ReportText> {
    let (scope, year) = resolve(conn, kind, scope)?;
    if let Some(t) = saved(conn, kind, &scope)? {
        return Ok(t);
    }
    let empty = ReportText {
        kind,
        scope: scope.clone(),
        year,
        ..Default::default()
    };
    Ok(match last_year(conn, kind, &scope, year)? {
        Some(old) => ReportText {
            practices: old.practices,
            problems: old.problems,
            plans: old.plans,
            issuer: old.issuer,
            from_last_year: true,
            ..empty
        },
        None => empty,
    })
}

/// A block of free text: lines allowed, other control characters and overlong text not.
fn block(field: &str, label: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim().replace("\r\n", "\n").replace('\r', "\n");
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(AppError::field(
            ErrorCode::ControlChars,
            field,
            format!("{label}含有不可见的控制字符，请删除后重试"),
        ));
    }
    let n = v.chars().count();
    if n > max {
        return Err(AppError::field(
            ErrorCode::TooLong,
            field,
            format!("{label}过长（{n}字），最多{max}字"),
        ));
    }
    Ok(v)
}

/// Saves the text of a report (replacing what was saved), with its audit row.
pub fn report_text_save(db: &mut Db, input: &ReportTextInput) -> Result<ReportText> {
    let practices = block("practices", "主要做法", &input.practices, MAX_BLOCK)?;
    let problems = block("problems", "存在的问题", &input.problems, MAX_BLOCK)?;
    let plans = block("plans", "下一步工作打算", &input.plans, MAX_BLOCK)?;
    let issuer = block("issuer", "落款单位", &input.issuer, MAX_ISSUER)?;
    if issuer.contains('\n') {
        return Err(AppError::field(
            ErrorCode::InvalidValue,
            "issuer",
            "落款单位只能写一行",
        ));
    }
    let kind = input.kind;
    let scope = db.with_tx(|tx| {
        require_town(tx)?;
        let (scope, year) = resolve(tx, kind, &input.scope)?;
        let before = saved(tx, kind, &scope)?;
        tx.execute(
            "INSERT INTO report_text (kind, scope, year, practices, problems, plans, issuer, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (kind, scope) DO UPDATE SET year = excluded.year,
                 practices = excluded.practices, problems = excluded.problems,
                 plans = excluded.plans, issuer = excluded.issuer, updated_at = excluded.updated_at",
            params![kind.code(), scope, year, practices, problems, plans, issuer, now()],
        )?;
        let after = saved(tx, kind, &scope)?;
        let what = match kind {
            ReportKind::Annual => format!("{year}年普法工作总结"),
            ReportKind::Campaign => format!("“{}”情况报告", campaign::get(tx, &scope)?.name),
        };
        let action = if before.is_some() { "update" } else { "create" };
        audit::log(
            tx,
            "report_text",
            &format!("{}:{scope}", kind.code()),
            action,
            &format!("保存{what}的文字（主要做法、存在的问题、下一步打算）"),
            before.as_ref(),
            after.as_ref(),
        )?;
        Ok(scope)
    })?;
    Ok(saved(&db.conn, kind, &scope)?.expect("just saved"))
}
