//! Exchange with the spreadsheets cadres already keep: the 活动登记表 template they download and
//! fill in (`template`), and its import as activity records (`xlsx_import`). Both share the
//! columns below, so a header the template writes is always one the import recognises.

pub mod package;
pub mod template;
pub mod xlsx_import;

/// The most data rows one import takes: beyond it a file is refused (split it), which also
/// bounds the memory and time a preview can take.
pub const MAX_ROWS: u32 = 20_000;

/// The sheet the template's rows go in (the import looks for it first).
pub(crate) const DATA_SHEET: &str = "活动登记";
pub(crate) const HELP_SHEET: &str = "填写说明";
pub(crate) const OPTIONS_SHEET: &str = "选项";

/// The template's example row starts its 活动名称 with this; the import skips such rows.
pub(crate) const EXAMPLE_MARK: &str = "（示例";

/// A column of the 活动登记表, as the import understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Date,
    StartTime,
    EndTime,
    Unit,
    Venue,
    Title,
    Formats,
    Audiences,
    Laws,
    Speakers,
    Participants,
    Reach,
    /// An optional count of `record::COUNTS`, by its column (咨询人次, 横幅 …).
    Count(&'static str),
    /// 发放资料1 … 9 (the template has three).
    Material(u8),
    /// 数量1 … 9, the quantity of the material of the same number.
    Quantity(u8),
    Narrative,
    Recorder,
}

/// How many material/quantity pairs a sheet may have.
pub(crate) const MAX_MATERIALS: u8 = 9;

/// The template's columns: field, header, width, required, what to write (填写说明).
pub(crate) struct Column {
    pub field: Field,
    pub header: &'static str,
    pub width: f64,
    pub required: bool,
    pub help: &'static str,
}

pub(crate) const COLUMNS: &[Column] = &[
    Column {
        field: Field::Date,
        header: "日期",
        width: 12.0,
        required: true,
        help: "活动开展的日期，如 2024-03-15、2024/3/15、2024.3.15 或 2024年3月15日；不能晚于今天",
    },
    Column {
        field: Field::StartTime,
        header: "开始时间",
        width: 9.0,
        required: false,
        help: "如 9:00、09:30 或 14点30；可不填",
    },
    Column {
        field: Field::EndTime,
        header: "结束时间",
        width: 9.0,
        required: false,
        help: "如 11:30；填了结束时间就要填开始时间",
    },
    Column {
        field: Field::Unit,
        header: "村/社区",
        width: 14.0,
        required: true,
        help: "从下拉列表选择本镇的村、社区或学校等单位；写“安静”也能认出“安静村”",
    },
    Column {
        field: Field::Venue,
        header: "地点",
        width: 16.0,
        required: false,
        help: "如 村委会院坝、文化广场；可不填",
    },
    Column {
        field: Field::Title,
        header: "活动名称",
        width: 32.0,
        required: true,
        help: "如 2024年“3·15”消费者权益日普法宣传；同一天、同一村、同名称的活动只导入一次",
    },
    Column {
        field: Field::Formats,
        header: "活动形式",
        width: 16.0,
        required: true,
        help: "从下拉列表选择；几种形式用顿号隔开，如 集中宣传、有奖问答",
    },
    Column {
        field: Field::Audiences,
        header: "宣传对象",
        width: 16.0,
        required: false,
        help: "从下拉列表选择；几类对象用顿号隔开，如 村(居)民、青少年学生",
    },
    Column {
        field: Field::Laws,
        header: "法律法规",
        width: 18.0,
        required: false,
        help: "宣传的法律法规，用顿号隔开，如 宪法、民法典",
    },
    Column {
        field: Field::Speakers,
        header: "主讲人",
        width: 14.0,
        required: false,
        help: "主讲人姓名，可在括号里写身份，如 王明（律师）；几人用顿号隔开",
    },
    Column {
        field: Field::Participants,
        header: "参加人数",
        width: 9.0,
        required: true,
        help: "到场参加的人数，填数字；“80人”“约80”也可以",
    },
    Column {
        field: Field::Reach,
        header: "受众人次",
        width: 9.0,
        required: false,
        help: "受教育群众人次；不填或小于参加人数时按参加人数计；“200余”按200计",
    },
    Column {
        field: Field::Count("consultations"),
        header: "咨询人次",
        width: 9.0,
        required: false,
        help: "现场法律咨询人次；没有就不填",
    },
    Column {
        field: Field::Count("banners"),
        header: "横幅（条）",
        width: 9.0,
        required: false,
        help: "悬挂横幅条数",
    },
    Column {
        field: Field::Count("boards"),
        header: "展板（块）",
        width: 9.0,
        required: false,
        help: "摆放展板块数",
    },
    Column {
        field: Field::Material(1),
        header: "发放资料1",
        width: 16.0,
        required: false,
        help: "从下拉列表选择“宣传资料”目录里的资料；目录里没有的请先添加",
    },
    Column {
        field: Field::Quantity(1),
        header: "数量1",
        width: 8.0,
        required: false,
        help: "发放资料1的数量（按目录里的计量单位）",
    },
    Column {
        field: Field::Material(2),
        header: "发放资料2",
        width: 16.0,
        required: false,
        help: "同上，第二种资料",
    },
    Column {
        field: Field::Quantity(2),
        header: "数量2",
        width: 8.0,
        required: false,
        help: "发放资料2的数量",
    },
    Column {
        field: Field::Material(3),
        header: "发放资料3",
        width: 16.0,
        required: false,
        help: "同上，第三种资料",
    },
    Column {
        field: Field::Quantity(3),
        header: "数量3",
        width: 8.0,
        required: false,
        help: "发放资料3的数量",
    },
    Column {
        field: Field::Narrative,
        header: "活动简述",
        width: 40.0,
        required: false,
        help: "活动简况，最多300字",
    },
    Column {
        field: Field::Recorder,
        header: "记录人",
        width: 10.0,
        required: false,
        help: "填表人姓名；不填则记为导入时这台电脑的使用人",
    },
];

/// Fields a sheet must have a column for: without one every row would fail.
pub(crate) const REQUIRED: &[Field] = &[
    Field::Date,
    Field::Unit,
    Field::Title,
    Field::Formats,
    Field::Participants,
];

impl Field {
    /// The template's header for this field ("横幅（条）", "数量2").
    pub(crate) fn header(self) -> String {
        match self {
            Field::Material(n) => format!("发放资料{n}"),
            Field::Quantity(n) => format!("数量{n}"),
            f => COLUMNS
                .iter()
                .find(|c| c.field == f)
                .map(|c| c.header.to_string())
                .unwrap_or_else(|| match f {
                    Field::Count(column) => crate::record::fields::count_field(column)
                        .map_or(column, |c| c.header)
                        .to_string(),
                    _ => format!("{f:?}"),
                }),
        }
    }

    /// The field of a record-rule error (`AppError::field`), e.g. "participants".
    pub(crate) fn of_record_field(field: &str) -> Option<Field> {
        Some(match field {
            "date" => Field::Date,
            "start_time" => Field::StartTime,
            "end_time" => Field::EndTime,
            "unit_id" => Field::Unit,
            "venue" => Field::Venue,
            "title" => Field::Title,
            "formats" => Field::Formats,
            "audiences" | "reach_by_audience" => Field::Audiences,
            "laws" => Field::Laws,
            "speakers" => Field::Speakers,
            "participants" => Field::Participants,
            "reach" => Field::Reach,
            "materials" => Field::Material(1),
            "narrative" => Field::Narrative,
            "recorder" => Field::Recorder,
            other => Field::Count(crate::record::fields::count_field(other)?.column),
        })
    }
}

/// What a header says, loosely: "参与人数", "受众", "村（社区）", " 横幅(条) ", "数量 2" …
/// A material or quantity header without a number gets 0 (the caller numbers them in order).
pub(crate) fn field_of_header(text: &str) -> Option<Field> {
    let h: String = fold(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '※' | '★'))
        .collect::<String>()
        .to_lowercase();
    if h.is_empty() {
        return None;
    }
    if let Some(f) = header_synonym(&h) {
        return Some(f);
    }
    // A unit in brackets after the name: "横幅(条)", "参加人数(人)".
    if let Some(open) = h.rfind('(') {
        if h.ends_with(')') && open > 0 {
            if let Some(f) = header_synonym(&h[..open]) {
                return Some(f);
            }
        }
    }
    // Copies handed out, the unit in brackets: "发放资料(份)", "发放数量(份)", "资料(册)" — a
    // quantity (of the material named beside it, or of 宣传资料 when none is).
    if let Some(stem) = h
        .strip_suffix(')')
        .and_then(|x| x.rsplit_once('('))
        .filter(|(_, unit)| HANDOUT_UNITS.contains(unit))
        .map(|(stem, _)| stem)
    {
        if MATERIAL_STEMS.contains(&stem) || QUANTITY_STEMS.contains(&stem) {
            return Some(Field::Quantity(0));
        }
    }
    // Numbered material columns: "发放资料2", "资料名称(2)", "数量3".
    let trimmed = h.trim_end_matches([')', ']']);
    let digits = trimmed.len() - trimmed.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, number) = trimmed.split_at(trimmed.len() - digits);
    let stem = stem.trim_end_matches(['(', '[', '-', '_']);
    let number: u8 = match number.parse() {
        Ok(n) if (1..=MAX_MATERIALS).contains(&n) => n,
        Ok(_) => return None,
        Err(_) => 0,
    };
    if MATERIAL_STEMS.contains(&stem) {
        Some(Field::Material(number))
    } else if QUANTITY_STEMS.contains(&stem) {
        Some(Field::Quantity(number))
    } else {
        None
    }
}

/// Headers of a material column (its name), numbered or not.
const MATERIAL_STEMS: &[&str] = &[
    "发放资料",
    "资料",
    "宣传资料",
    "资料名称",
    "发放资料名称",
    "宣传品",
    "发放物品",
    "发放宣传资料",
    "资料发放",
];
/// Headers of a quantity column, numbered or not.
const QUANTITY_STEMS: &[&str] = &[
    "数量",
    "发放数量",
    "资料数量",
    "份数",
    "发放份数",
    "发放资料数",
    "资料份数",
    "发放资料数量",
];
/// Units a header of copies handed out is written with: "发放资料（份）".
const HANDOUT_UNITS: &[&str] = &["份", "册", "本", "张", "个", "件", "套", "份数"];

fn header_synonym(h: &str) -> Option<Field> {
    Some(match h {
        "日期"
        | "活动日期"
        | "开展日期"
        | "举办日期"
        | "活动时间"
        | "开展时间"
        | "日期(年月日)"
        | "时间"
        | "举办时间"
        | "活动日期及时间" => Field::Date,
        "开始时间" | "起始时间" | "开始" => Field::StartTime,
        "结束时间" | "终止时间" | "结束" => Field::EndTime,
        "村/社区" | "村(社区)" | "村社区" | "村" | "社区" | "单位" | "村/单位" | "村(居)"
        | "村居" | "所属村" | "所属村(社区)" | "所属村/社区" | "所属村/单位" | "所属单位"
        | "村名" | "村/社区/单位" | "村(社区)名称" | "开展单位" | "活动单位" => {
            Field::Unit
        }
        "地点" | "活动地点" | "地址" | "场所" | "活动场所" => Field::Venue,
        "活动名称" | "名称" | "活动主题" | "主题" | "活动名称/主题" | "活动名称(主题)" => {
            Field::Title
        }
        "活动形式" | "形式" | "宣传形式" | "活动方式" | "方式" | "普法形式" => {
            Field::Formats
        }
        "宣传对象" | "普法对象" | "对象" | "参加对象" | "受众对象" | "活动对象" => {
            Field::Audiences
        }
        "法律法规" | "宣传法律法规" | "涉及法律" | "涉及法律法规" | "法律" | "宣传内容"
        | "宣传法律" => Field::Laws,
        "主讲人" | "主讲" | "宣讲人" | "授课人" | "主讲人员" => Field::Speakers,
        "参加人数" | "参与人数" | "人数" | "参会人数" | "参加人员" | "到场人数" | "参加人次" => {
            Field::Participants
        }
        "受众人次"
        | "受众"
        | "受众人数"
        | "受教育人次"
        | "受教育群众"
        | "受教育人数"
        | "受教育群众人次"
        | "覆盖人次"
        | "覆盖群众"
        | "受益人次" => Field::Reach,
        "活动简述" | "活动简况" | "简述" | "简况" | "活动情况" | "情况简介" | "活动概况"
        | "内容简介" | "活动内容" => Field::Narrative,
        "记录人" | "填报人" | "登记人" | "填表人" | "录入人" | "记录员" => {
            Field::Recorder
        }
        other => return count_of_header(other),
    })
}

/// An optional count named by its label, its heading (without the bracketed unit) or one of
/// its synonyms in `record::COUNTS`.
fn count_of_header(h: &str) -> Option<Field> {
    let bare = |t: &str| fold(t).to_lowercase();
    crate::record::COUNTS.iter().find_map(|c| {
        let header = bare(c.header);
        let header = header.split('(').next().unwrap_or(&header).to_string();
        (bare(c.label) == h || header == h || c.synonyms.iter().any(|s| bare(s) == h))
            .then_some(Field::Count(c.column))
    })
}

/// Full-width ASCII (２０２４, （ ）, ，) as half-width, the ideographic space as a space:
/// what a Chinese input method types is read like what an English one does.
pub(crate) fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// One character of [`fold`].
pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_header_is_recognised() {
        for c in COLUMNS {
            assert_eq!(field_of_header(c.header), Some(c.field), "{}", c.header);
            assert_eq!(c.field.header(), c.header);
        }
    }

    #[test]
    fn headers_are_matched_loosely() {
        for (h, f) in [
            ("参与人数", Field::Participants),
            (" 参加\n人数 ", Field::Participants),
            ("受众", Field::Reach),
            ("村（社区）", Field::Unit),
            ("村(社区)", Field::Unit),
            ("村/社区", Field::Unit),
            ("单位", Field::Unit),
            ("横幅(条)", Field::Count("banners")),
            ("志愿者（人次）", Field::Count("volunteers")),
            ("法律明白人", Field::Count("volunteers")),
            ("浏览量", Field::Count("online_views")),
            ("法律援助（件）", Field::Count("legal_aid_cases")),
            ("*日期", Field::Date),
            ("活动名称（必填）", Field::Title),
            ("发放资料２", Field::Material(2)),
            ("资料名称(3)", Field::Material(3)),
            ("数量 3", Field::Quantity(3)),
            ("发放资料", Field::Material(0)),
            ("数量", Field::Quantity(0)),
            ("发放资料（份）", Field::Quantity(0)),
            ("发放数量（份）", Field::Quantity(0)),
            ("发放宣传资料(册)", Field::Quantity(0)),
            ("资料（份）", Field::Quantity(0)),
            ("时间", Field::Date),
            ("活动时间", Field::Date),
            ("活动主题", Field::Title),
            ("受众人数", Field::Reach),
            ("人数", Field::Participants),
        ] {
            assert_eq!(field_of_header(h), Some(f), "{h}");
        }
        for h in ["序号", "", "审核状态", "发放资料12", "数量0"] {
            assert_eq!(field_of_header(h), None, "{h}");
        }
    }

    #[test]
    fn full_width_forms_fold() {
        assert_eq!(fold("２０２４年３月１５日"), "2024年3月15日");
        assert_eq!(fold("１，２００（人）\u{3000}"), "1,200(人) ");
    }
}
