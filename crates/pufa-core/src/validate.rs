//! Input checks shared by every service: one place decides what a valid name or date is,
//! and every message names the field in Chinese.

use crate::error::{AppError, ErrorCode, Result};
use chrono::NaiveDate;

/// Chinese label of a field, used in messages ("村/社区名称不能为空").
pub fn label(field: &str) -> &'static str {
    match field {
        "town" => "乡镇名称",
        "county" => "所属县（区）",
        "villages" => "村/社区",
        "schools" => "学校",
        "sites" => "其他单位/场所",
        "name" => "名称",
        "user_name" => "使用人姓名",
        "role" => "角色",
        "kind" => "类型",
        "phone" => "电话",
        "unit_id" => "所属村/单位",
        "start_date" => "开始日期",
        "end_date" => "结束日期",
        "audiences" => "宣传对象",
        "themes" => "法律/主题",
        "lead_unit" => "牵头单位",
        "notes" => "备注",
        "data_dir" => "数据文件夹",
        "seed" => "随机种子",
        "year" => "年份",
        "activities" => "活动数",
        "towns" => "乡镇数",
        "years" => "年数",
        "start" => "开始规则",
        "end" => "结束规则",
        "days" => "天数",
        "window" => "集中宣传期",
        "theme" => "主题",
        "doc_number" => "文号",
        "node_code" => "普法节点",
        "nodes" => "普法节点",
        "title" => "活动名称",
        "date" => "日期",
        "start_time" => "开始时间",
        "end_time" => "结束时间",
        "venue_type" => "场所类型",
        "venue" => "地点",
        "formats" => "活动形式",
        "laws" => "法律法规",
        "lead_person_id" => "负责人",
        "partners" => "协办单位",
        "materials" => "计划发放资料",
        "expected_audience" => "预计受众人数",
        "status" => "状态",
        "status_reason" => "原因",
        "campaign_ids" => "活动专项",
        "recurrence" => "重复规则",
        "until" => "重复截止日期",
        "count" => "重复次数",
        "interval" => "重复间隔",
        "units" => "村/单位",
        "recorder" => "记录人",
        "participants" => "参加人数",
        "reach" => "受众人次",
        "reach_by_audience" => "分对象人次",
        "narrative" => "活动简述",
        "speakers" => "主讲人",
        "quiz" => "有奖问答",
        "review_comment" => "审核意见",
        "review_status" => "审核状态",
        "material" => "资料",
        "quantity" => "数量",
        "source" => "来源",
        "category" => "类别",
        "unit" => "计量单位",
        "low_stock" => "库存预警",
        "from_unit_id" => "调出",
        "to_unit_id" => "调入",
        "attachment" => "附件",
        "template" => "模板",
        "campaign_name" => "专项名称",
        "report_deadline" => "报送截止日期",
        "key" => "草稿",
        "path" => "文件路径",
        "json_file" => "JSON 文件",
        "rows" => "行",
        "cols" => "列",
        "measure" => "统计指标",
        "address" => "地址",
        "archived" => "归档标记",
        "sort_order" => "排列顺序",
        "created_at" => "创建时间",
        "updated_at" => "修改时间",
        "reviewed_by" => "审核人",
        "reviewed_at" => "审核时间",
        "activity_id" => "计划活动",
        "record_id" => "活动记录",
        "series_id" => "重复活动",
        "series_exception" => "重复活动例外标记",
        "rule" => "重复规则",
        "file_name" => "文件名",
        "sha256" => "校验值",
        "size" => "文件大小",
        "mime" => "文件类型",
        "stored" => "存放路径",
        "thumbnail" => "缩略图路径",
        "material_id" => "资料",
        "from_store_id" => "调出资料库",
        "to_store_id" => "调入资料库",
        "below_zero" => "库存不足确认",
        "note" => "备注",
        "hlc" => "版本号",
        "base_hlc" => "上次交换的版本号",
        "id" => "编号",
        "_campaigns" => "活动专项",
        "_handouts" => "发放资料",
        "market_days" => "赶集日",
        "winter_start" => "寒假开始日期",
        "winter_end" => "寒假结束日期",
        "summer_start" => "暑假开始日期",
        "summer_end" => "暑假结束日期",
        "notice" => "通知文号",
        // The record's optional counts are labelled in its field table.
        other => crate::record_fields::count_field(other).map_or("字段", |c| c.label),
    }
}

/// A required single-line text: trimmed, not empty, no control characters, at most `max` chars.
pub fn name(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            field,
            format!("{}不能为空", label(field)),
        ));
    }
    single_line(field, v, max)
}

/// An optional single-line text ("" when absent).
pub fn optional_line(field: &str, value: Option<&str>, max: usize) -> Result<String> {
    let v = value.unwrap_or("").trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    single_line(field, v, max)
}

fn single_line(field: &str, v: &str, max: usize) -> Result<String> {
    if v.chars().any(char::is_control) {
        return Err(AppError::field(
            ErrorCode::ControlChars,
            field,
            format!("{}含有不可见的控制字符，请删除后重试", label(field)),
        ));
    }
    hidden(field, v, |c| is_bidi_control(c) || is_zero_width(c))?;
    length(field, v, max)?;
    Ok(v.to_string())
}

/// Free text that may span lines (notes): tabs and newlines allowed, other controls not, nor
/// the direction controls that would show it in another order than it is stored.
pub fn notes(field: &str, value: Option<&str>, max: usize) -> Result<String> {
    let v = value.unwrap_or("").trim();
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::field(
            ErrorCode::ControlChars,
            field,
            format!("{}含有不可见的控制字符，请删除后重试", label(field)),
        ));
    }
    hidden(field, v, is_bidi_control)?;
    length(field, v, max)?;
    Ok(v.to_string())
}

/// The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069):
/// they make a text show in another order than it is stored ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room (U+200B–U+200D, U+2060, U+FEFF): two names differing only by
/// one look the same, so 安静村 and 安静\u{200B}村 would be two villages.
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Refuses `v` when it holds a character `bad` picks, naming the field and the character.
fn hidden(field: &str, v: &str, bad: impl Fn(char) -> bool) -> Result<()> {
    match v.chars().find(|c| bad(*c)) {
        None => Ok(()),
        Some(c) => Err(AppError::field(
            ErrorCode::ControlChars,
            field,
            format!(
                "{}含有看不见的格式字符（U+{:04X}），它会让文字显示得和实际内容不同，请删除后重试",
                label(field),
                c as u32
            ),
        )
        .with("char", format!("U+{:04X}", c as u32))),
    }
}

fn length(field: &str, v: &str, max: usize) -> Result<()> {
    let n = v.chars().count();
    if n > max {
        return Err(AppError::field(
            ErrorCode::TooLong,
            field,
            format!("{}过长（{n}字），最多{max}字", label(field)),
        )
        .with("count", n)
        .with("max", max));
    }
    Ok(())
}

/// A calendar date in ISO form (2026-12-04); also accepts 2026/12/4, 2026.12.4 and 2026年12月4日.
pub fn date(field: &str, value: &str) -> Result<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            field,
            format!("{}不能为空", label(field)),
        ));
    }
    parse_date(v).ok_or_else(|| {
        AppError::field(
            ErrorCode::InvalidDate,
            field,
            format!(
                "{}“{}”不是有效日期，请写成 2026-12-04 这样的格式",
                label(field),
                clip(v)
            ),
        )
        .with("value", clip(v))
    })
}

pub(crate) fn parse_date(v: &str) -> Option<NaiveDate> {
    let normalized: String = v
        .chars()
        .map(|c| match c {
            '年' | '月' | '/' | '.' => '-',
            '日' => ' ',
            c => c,
        })
        .collect();
    let mut parts = normalized.trim().split('-');
    let y: i32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.trim().parse().ok()?;
    let d: u32 = parts.next()?.trim().parse().ok()?;
    if parts.next().is_some() || !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// End on or after start.
pub fn date_range(start: NaiveDate, end: NaiveDate) -> Result<()> {
    if end < start {
        return Err(AppError::field(
            ErrorCode::DateOrder,
            "end_date",
            format!("结束日期（{end}）早于开始日期（{start}）"),
        )
        .with("start", start.to_string())
        .with("end", end.to_string()));
    }
    Ok(())
}

/// A list of short texts (laws, partner units): each item may itself be a pasted list;
/// trimmed, de-duplicated in order, at most `max_items` of at most `max_len` chars.
pub fn text_list(
    field: &str,
    items: &[String],
    max_len: usize,
    max_items: usize,
) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for item in items.iter().flat_map(|t| split_list(t)) {
        let item = name(field, &item, max_len)?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.len() > max_items {
        return Err(AppError::field(
            ErrorCode::TooLong,
            field,
            format!("{}最多填写{max_items}项", label(field)),
        )
        .with("max_items", max_items));
    }
    Ok(out)
}

/// Codes of one vocabulary (audiences, formats), parsed and de-duplicated in order.
pub fn code_list<T: PartialEq>(
    items: &[String],
    parse: impl Fn(&str) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        let v = parse(item)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

/// A time of day "09:30" (also "9:30", "9点30", "0930"); returns "HH:MM".
pub fn time(field: &str, value: &str) -> Result<String> {
    let v = value.trim().replace('：', ":");
    let parsed = if let Some((h, m)) = v.split_once(':').or_else(|| v.split_once('点')) {
        let m = m.trim_end_matches('分');
        let m = if m.is_empty() { "0" } else { m };
        h.trim()
            .parse::<u32>()
            .ok()
            .zip(m.trim().parse::<u32>().ok())
    } else if v.len() == 4 && v.chars().all(|c| c.is_ascii_digit()) {
        v[..2].parse().ok().zip(v[2..].parse().ok())
    } else {
        None
    };
    match parsed {
        Some((h, m)) if h < 24 && m < 60 => Ok(format!("{h:02}:{m:02}")),
        _ => Err(AppError::field(
            ErrorCode::InvalidValue,
            field,
            format!(
                "{}“{}”无效，请写成 09:30 这样的时间",
                label(field),
                clip(value)
            ),
        )),
    }
}

/// Splits a pasted list ("甲村,乙村", one per line, 、 or ，) into trimmed, non-empty names.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['\n', '\r', ',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Keeps messages readable when the offending value is huge.
pub fn clip(v: &str) -> String {
    let mut s: String = v.chars().take(20).collect();
    if v.chars().count() > 20 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(name("name", "  双龙村 ", 50).unwrap(), "双龙村");
        assert_eq!(
            name("name", "   ", 50).unwrap_err().code,
            ErrorCode::Required
        );
        let long = "村".repeat(10_000);
        let e = name("name", &long, 50).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLong);
        assert!(e.message.contains("10000字"), "{}", e.message);
        assert_eq!(
            name("name", "双\u{7}龙", 50).unwrap_err().code,
            ErrorCode::ControlChars
        );
        assert_eq!(e.field.as_deref(), Some("name"));
    }

    #[test]
    fn direction_and_zero_width_characters_are_refused_in_names() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
        ] {
            let v = format!("安静{c}村");
            let e = name("name", &v, 50).unwrap_err();
            assert_eq!(e.code, ErrorCode::ControlChars, "U+{:04X}", c as u32);
            assert_eq!(e.field.as_deref(), Some("name"));
            assert!(
                e.message.contains(&format!("U+{:04X}", c as u32)),
                "{}",
                e.message
            );
            assert!(optional_line("venue", Some(&v), 50).is_err());
            assert!(text_list("laws", std::slice::from_ref(&v), 50, 10).is_err());
        }
        // Notes keep line breaks and may hold a zero-width joiner (emoji), not a direction change.
        assert!(notes("notes", Some("第一行\n第二行👨\u{200D}👩"), 100).is_ok());
        assert_eq!(
            notes("notes", Some("金额\u{202E}0001"), 100)
                .unwrap_err()
                .code,
            ErrorCode::ControlChars
        );
        // Near neighbours that are ordinary text stay allowed.
        assert!(name("name", "安静村\u{2014}一组", 50).is_ok());
    }

    #[test]
    fn dates_accept_chinese_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        for v in [
            "2026-12-04",
            "2026/12/4",
            "2026.12.4",
            "2026年12月4日",
            " 2026-12-4 ",
        ] {
            assert_eq!(date("start_date", v).unwrap(), d, "{v}");
        }
        for v in ["2026-02-30", "12/04/2026", "abc", "2026-13-01"] {
            assert_eq!(
                date("start_date", v).unwrap_err().code,
                ErrorCode::InvalidDate,
                "{v}"
            );
        }
    }

    #[test]
    fn date_order() {
        let a = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let b = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert!(date_range(a, b).is_ok());
        assert!(date_range(a, a).is_ok());
        assert_eq!(date_range(b, a).unwrap_err().code, ErrorCode::DateOrder);
    }

    #[test]
    fn lists_split_on_chinese_separators() {
        assert_eq!(
            split_list("甲村,乙村\n丙村、丁村；戊村， "),
            ["甲村", "乙村", "丙村", "丁村", "戊村"]
        );
        assert!(split_list(" \n ,").is_empty());
    }
}
