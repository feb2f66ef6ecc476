//! Cell parsers: a value, or a message (without row and column, which the caller adds).
use super::*;

/// A count as written: its value and, for "200余" / "约200", the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Count {
    pub value: i64,
    pub approx: Option<String>,
}

/// A date: a date cell, an Excel serial number, or text in the usual Chinese forms. `None` for
/// an empty cell.
pub(crate) fn parse_date(cell: &Cell) -> std::result::Result<Option<NaiveDate>, Said> {
    let bad = |shown: &str| {
        let shown = validate::clip(shown);
        let zh = format!("“{shown}”不是有效的日期，请写成 2024-03-15 或 2024年3月15日");
        Said::new(Problem::DateInvalid, zh).with("shown", shown)
    };
    match cell {
        Cell::Empty => Ok(None),
        Cell::DateTime { date: Some(d), .. } => Ok(Some(*d)),
        Cell::Number(n) => serial_date(*n)
            .or_else(|| ymd_number(*n))
            .map(Some)
            .ok_or_else(|| bad(&cell.as_text())),
        Cell::Text(s) => {
            let t = fold(s);
            // A time after the date is dropped: "2024-03-15 09:00", "2024-03-15T09:00:00".
            let t = match t.find(':') {
                Some(i) => match t[..i].rfind([' ', 'T']) {
                    Some(j) => t[..j].to_string(),
                    None => t.clone(),
                },
                None => t.clone(),
            };
            let mut t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            // A time of day or the range's last day after it: "3月15日上午9时", "14日—15日".
            if let Some((date, tail)) = split_date_tail(&t) {
                if date_tail(tail).is_some() {
                    t = date.to_string();
                }
            }
            // A weekday after it: "2024年3月15日(星期五)", "2024-03-15周五".
            if t.ends_with(')') {
                if let Some(i) = t.rfind('(') {
                    t.truncate(i);
                }
            }
            for w in ["星期", "周", "礼拜"] {
                if let Some(i) = t.rfind(w) {
                    if t[i + w.len()..].chars().count() == 1 {
                        t.truncate(i);
                    }
                }
            }
            if let Some(d) = validate::parse_date(&t) {
                return Ok(Some(d));
            }
            if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(d) = t.parse::<f64>().ok().and_then(ymd_number) {
                    return Ok(Some(d));
                }
            }
            // A serial number kept as text (copied from another program).
            if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(d) = t.parse::<f64>().ok().and_then(serial_date) {
                    return Ok(Some(d));
                }
            }
            let no_year = t.contains('月') && !t.contains('年');
            if no_year {
                let shown = validate::clip(s.trim());
                let zh = format!("“{shown}”没有写年份，请写成 2024年3月15日 这样的完整日期");
                return Err(Said::new(Problem::DateNoYear, zh).with("shown", shown));
            }
            Err(bad(s.trim()))
        }
        _ => Err(bad(&cell.as_text())),
    }
}

/// An Excel date serial (1900 system) of the years 2000–2100; other numbers are not dates here.
pub(super) fn serial_date(n: f64) -> Option<NaiveDate> {
    if !(36_526.0..73_051.0).contains(&n) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(chrono::Days::new(n.floor() as u64))
}

/// 20240315 typed as a number.
pub(super) fn ymd_number(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(19_000_101.0..=22_001_231.0).contains(&n) {
        return None;
    }
    let n = n as u32;
    NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100)
}

/// A time of day as "HH:MM": a time cell, a fraction of a day, or text ("9:30", "9点半",
/// "下午2点", "0930"). `None` for an empty cell.
pub(crate) fn parse_time(cell: &Cell) -> std::result::Result<Option<String>, Said> {
    let bad = |shown: &str| {
        let shown = validate::clip(shown);
        let zh = format!("“{shown}”不是有效的时间，请写成 09:30 这样的时间");
        Said::new(Problem::TimeInvalid, zh).with("shown", shown)
    };
    match cell {
        Cell::Empty => Ok(None),
        Cell::DateTime { hour, minute, .. } => Ok(Some(format!("{hour:02}:{minute:02}"))),
        Cell::Number(n) if (0.0..1.0).contains(n) => {
            let minutes = ((n * 1440.0).round() as u32).min(1439);
            Ok(Some(format!("{:02}:{:02}", minutes / 60, minutes % 60)))
        }
        Cell::Number(n) if n.fract() == 0.0 && (0.0..24.0).contains(n) => {
            Ok(Some(format!("{:02}:00", *n as u32)))
        }
        Cell::Number(n) if n.fract() == 0.0 && (100.0..2400.0).contains(n) => {
            let n = *n as u32;
            time_text(&format!("{:02}:{:02}", n / 100, n % 100))
                .map(Some)
                .ok_or_else(|| bad(&n.to_string()))
        }
        Cell::Text(s) => time_text(s).map(Some).ok_or_else(|| bad(s.trim())),
        _ => Err(bad(&cell.as_text())),
    }
}

pub(super) fn time_text(s: &str) -> Option<String> {
    let mut t: String = fold(s).chars().filter(|c| !c.is_whitespace()).collect();
    let mut afternoon = false;
    for (word, pm) in [
        ("上午", false),
        ("早上", false),
        ("早晨", false),
        ("中午", true),
        ("下午", true),
        ("晚上", true),
    ] {
        if let Some(rest) = t.strip_prefix(word) {
            afternoon = pm;
            t = rest.to_string();
            break;
        }
    }
    let t = t
        .replace('时', "点")
        .replace("点半", ":30")
        .replace('点', ":");
    let t = t.trim_end_matches('分').trim_end_matches(':');
    let digits = |x: &str| (1..=2).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    let (h, m) = if let Some((h, rest)) = t.split_once(':') {
        // Seconds are dropped: "09:30:00".
        let mut parts = rest.split(':');
        let m = parts.next().unwrap_or("");
        match (parts.next(), parts.next()) {
            (None, _) => {}
            (Some(sec), None) if digits(sec) => {}
            _ => return None,
        }
        (h, m)
    } else if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..2], &t[2..])
    } else {
        (t, "0")
    };
    if !digits(h) || !digits(m) {
        return None;
    }
    let h: u32 = h.parse().ok().filter(|h| *h < 24)?;
    let m: u32 = m.parse().ok().filter(|m| *m < 60)?;
    let h = if afternoon && h < 12 { h + 12 } else { h };
    Some(format!("{h:02}:{m:02}"))
}

/// A start and an end time written in one cell: "9:00-11:30", "9:00至11:30".
pub(super) fn time_range(cell: &Cell) -> Option<(String, String)> {
    let Cell::Text(s) = cell else { return None };
    let t = fold(s);
    let (a, b) = t.split_once(['-', '—', '~', '～', '至', '到'])?;
    Some((time_text(a)?, time_text(b)?))
}

/// Prefixes and suffixes of a count written by hand: the approximate ones make a warning.
pub(super) const APPROX_PREFIXES: &[&str] = &["大约", "将近", "约", "近", "逾", "超过"];
pub(super) const EXACT_PREFIXES: &[&str] = &["共计", "合计", "共", "计"];
pub(super) const APPROX_SUFFIXES: &[&str] = &["余", "多", "左右", "以上", "+"];
pub(super) const UNIT_SUFFIXES: &[&str] = &[
    "人次", "人", "名", "次", "场", "个", "件", "条", "块", "份", "册", "本", "张", "套", "盒",
    "袋", "瓶", "台", "幅", "户", "处",
];
/// What a cadre writes for none.
pub(super) const NONE_WORDS: &[&str] = &["无", "没有", "/", "-", "--", "—", "——"];

/// A count (people, items): a number cell, or text like "1,200", "1200人次", "200余", "约200".
/// `None` for an empty cell.
pub(crate) fn parse_count(cell: &Cell) -> std::result::Result<Option<Count>, Said> {
    let written = cell.as_text();
    let not_a_number = || {
        let shown = validate::clip(written.trim());
        let zh = format!("应填写数字（填写的是“{shown}”）");
        Said::new(Problem::NotANumber, zh).with("shown", shown)
    };
    let (value, approx) = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => (*n, false),
        Cell::Text(s) => {
            let t: String = fold(s)
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ',')
                .collect();
            if NONE_WORDS.contains(&t.as_str()) {
                return Ok(None);
            }
            let mut approx = false;
            let mut rest = t.as_str();
            for p in APPROX_PREFIXES {
                if let Some(r) = rest.strip_prefix(p) {
                    rest = r;
                    approx = true;
                    break;
                }
            }
            for p in EXACT_PREFIXES {
                if let Some(r) = rest.strip_prefix(p) {
                    rest = r;
                    break;
                }
            }
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .unwrap_or(rest.len());
            let (number, mut suffix) = rest.split_at(end);
            // "1.2万" is 12000: the 万 scales the number before it.
            let mut scale = 1.0;
            if let Some(r) = suffix.strip_prefix('万') {
                suffix = r;
                scale = 10_000.0;
            }
            'strip: while !suffix.is_empty() {
                for s in APPROX_SUFFIXES {
                    if let Some(r) = suffix.strip_prefix(s) {
                        suffix = r;
                        approx = true;
                        continue 'strip;
                    }
                }
                for s in UNIT_SUFFIXES {
                    if let Some(r) = suffix.strip_prefix(s) {
                        suffix = r;
                        continue 'strip;
                    }
                }
                return Err(not_a_number());
            }
            match number.parse::<f64>() {
                Ok(n) => ((n * scale * 1000.0).round() / 1000.0, approx),
                Err(_) => return Err(not_a_number()),
            }
        }
        _ => return Err(not_a_number()),
    };
    if !value.is_finite() {
        return Err(not_a_number());
    }
    if value < 0.0 {
        return Err(Said::new(Problem::Negative, "不能为负数"));
    }
    // Only a count refused is shown again (most are read without a word).
    let shown = || validate::clip(written.trim());
    if value.fract() != 0.0 {
        let shown = shown();
        let zh = format!("应为整数（填写的是“{shown}”）");
        return Err(Said::new(Problem::NotWhole, zh).with("shown", shown));
    }
    if value > MAX_COUNT as f64 {
        let shown = shown();
        let zh = format!("{shown} 过大，请核对（最多 {MAX_COUNT}）");
        return Err(Said::new(Problem::TooLarge, zh)
            .with("shown", shown)
            .with("max", MAX_COUNT));
    }
    Ok(Some(Count {
        value: value as i64,
        approx: approx.then(|| written.trim().to_string()),
    }))
}

/// Text on one line: runs of spaces, tabs and line breaks become one space; other control
/// characters (invisible) are dropped.
pub(super) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// Free text keeping its line breaks.
pub(super) fn lines(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// The same activity name, however spaced: the key duplicates are found by.
pub(super) fn title_key(title: &str) -> String {
    fold(title).chars().filter(|c| !c.is_whitespace()).collect()
}

/// A name to look up: folded, without spaces.
pub(super) fn name_key(s: &str) -> String {
    key_chars(s).collect()
}

/// The characters of [`name_key`], made as they are read (a comparison needs no string).
fn key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '<' | '>'))
}

/// A village's name without 村/社区/居委会, so "安静" finds 安静村.
pub(super) fn short_unit_name(key: &str) -> &str {
    for suffix in [
        "村民委员会",
        "居民委员会",
        "村委会",
        "居委会",
        "村委",
        "社区",
        "村",
    ] {
        if let Some(s) = key.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    key
}

/// Items of a list cell: "集中宣传、有奖问答", "a,b;c", one per line, "a/b", "a b".
pub(super) fn list_items(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | ';' | '/' | '|'))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) const FORMAT_WORDS: &[(&str, ActivityFormat)] = &[
    ("讲座", ActivityFormat::Lecture),
    ("专题讲座", ActivityFormat::Lecture),
    ("法治课", ActivityFormat::LawClass),
    ("开学第一课", ActivityFormat::LawClass),
    ("法治第一课", ActivityFormat::LawClass),
    ("主题班会", ActivityFormat::LawClass),
    ("宣传", ActivityFormat::StreetCampaign),
    ("设摊", ActivityFormat::StreetCampaign),
    ("摆摊", ActivityFormat::StreetCampaign),
    ("设摊咨询", ActivityFormat::StreetCampaign),
    ("赶集", ActivityFormat::StreetCampaign),
    ("赶集日普法", ActivityFormat::StreetCampaign),
    ("院坝", ActivityFormat::CourtyardMeeting),
    ("院落会", ActivityFormat::CourtyardMeeting),
    ("屋场会", ActivityFormat::CourtyardMeeting),
    ("案例", ActivityFormat::CaseExplained),
    ("巡回审判", ActivityFormat::CaseExplained),
    ("问答", ActivityFormat::Quiz),
    ("知识竞赛", ActivityFormat::Quiz),
    ("有奖竞答", ActivityFormat::Quiz),
    ("咨询", ActivityFormat::Consultation),
    ("入户", ActivityFormat::DoorToDoor),
    ("进村入户", ActivityFormat::DoorToDoor),
    ("送法下乡", ActivityFormat::DoorToDoor),
    ("送法上门", ActivityFormat::DoorToDoor),
    ("文艺", ActivityFormat::Performance),
    ("演出", ActivityFormat::Performance),
    ("晨读", ActivityFormat::MorningReading),
    ("宪法宣誓", ActivityFormat::MorningReading),
    ("线上", ActivityFormat::Online),
    ("网络", ActivityFormat::Online),
    ("新媒体", ActivityFormat::Online),
    ("公众号", ActivityFormat::Online),
    ("微信", ActivityFormat::Online),
    ("抖音", ActivityFormat::Online),
    ("直播", ActivityFormat::Online),
];

pub(super) const AUDIENCE_WORDS: &[(&str, Audience)] = &[
    ("村民", Audience::Residents),
    ("居民", Audience::Residents),
    ("群众", Audience::Residents),
    ("村居民", Audience::Residents),
    ("学生", Audience::Students),
    ("青少年", Audience::Students),
    ("中小学生", Audience::Students),
    ("未成年人", Audience::Students),
    ("教师", Audience::TeachersParents),
    ("家长", Audience::TeachersParents),
    ("村干部", Audience::VillageCommittee),
    ("两委干部", Audience::VillageCommittee),
    ("村两委", Audience::VillageCommittee),
    ("公职人员", Audience::CivilServants),
    ("机关干部", Audience::CivilServants),
    ("外出务工人员", Audience::MigrantWorkers),
    ("务工人员", Audience::MigrantWorkers),
    ("企业", Audience::Business),
    ("个体工商户", Audience::Business),
    ("老人", Audience::Elderly),
    ("社区矫正", Audience::Corrections),
    ("安置帮教", Audience::Corrections),
];

/// One item of a vocabulary: its code or label, a common word for it, or the one label it is
/// part of (or that is part of it). `None`: not recognised.
pub(super) fn match_word<T: Copy + PartialEq>(
    item: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    words: &[(&str, T)],
) -> Option<T> {
    if let Some(v) = all.iter().copied().find(|v| code(*v) == item) {
        return Some(v);
    }
    let key = name_key(item);
    // Every row asks: the labels are compared as read, not made into keys each time.
    if let Some(v) = all
        .iter()
        .copied()
        .find(|v| key_chars(label(*v)).eq(key.chars()))
    {
        return Some(v);
    }
    if let Some((_, v)) = words.iter().find(|(w, _)| *w == key) {
        return Some(*v);
    }
    if key.chars().count() < 2 {
        return None;
    }
    let mut found = all.iter().copied().filter(|v| {
        let l = name_key(label(*v));
        l.contains(&key) || key.contains(&l)
    });
    match (found.next(), found.next()) {
        (Some(v), None) => Some(v),
        _ => None,
    }
}

/// Excel's error values, and what each means to the person who typed the formula.
pub(crate) const FORMULA_ERRORS: &[(&str, &str)] = &[
    ("#REF!", "公式引用的单元格已被删除"),
    ("#VALUE!", "公式里的值类型不对"),
    ("#N/A", "公式没有找到要查的值"),
    ("#DIV/0!", "公式除以了零"),
    ("#NAME?", "公式里有不认识的函数或名称"),
    ("#NUM!", "公式算出的数字无效"),
    ("#NULL!", "公式引用的区域没有交集"),
    ("#GETTING_DATA", "公式的值还没有算出"),
    ("#SPILL!", "公式的结果放不下"),
    ("#CALC!", "公式无法计算"),
];

/// The error value a cell holds — a formula error, or its text pasted as a value — if any.
pub(crate) fn formula_error(cell: &Cell) -> Option<String> {
    let text = match cell {
        Cell::Error(e) => e.trim().to_string(),
        // Every error value starts with # (＃ full-width): other text is not folded and
        // upper-cased for nothing (it is most cells of a sheet).
        Cell::Text(t) if !t.trim_start().starts_with(['#', '＃']) => return None,
        Cell::Text(t) => fold(t).trim().to_uppercase(),
        _ => return None,
    };
    match FORMULA_ERRORS.iter().find(|(e, _)| *e == text) {
        Some((e, _)) => Some(e.to_string()),
        None if matches!(cell, Cell::Error(_)) => Some(text),
        None => None,
    }
}

pub(crate) fn formula_error_meaning(e: &str) -> &'static str {
    FORMULA_ERRORS
        .iter()
        .find(|(x, _)| *x == e)
        .map_or("公式出错", |(_, m)| m)
}

/// Excel's letters of a 0-based column: 0 → A, 25 → Z, 26 → AA.
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// What a date cell says after its day: "上午", "下午2点", "9:30—11:00", "—15日".
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DateTail {
    /// A time of day: start, and end when a range.
    Time(Option<String>, Option<String>),
    /// The activity went on to this day of the month ("14日—15日").
    Through(u32),
}

/// The date cell's text cut after its 日: ("2024年3月15日", "上午9时"); `None` without a 日 or
/// with nothing after it.
pub(crate) fn split_date_tail(t: &str) -> Option<(&str, &str)> {
    let i = t.find('日')? + '日'.len_utf8();
    (i < t.len()).then(|| t.split_at(i))
}

/// Reads what follows a date's 日; `None` when it is not a time or a day range (then the
/// date is read whole, and refused as before).
pub(crate) fn date_tail(tail: &str) -> Option<DateTail> {
    let tail = fold(tail);
    let tail = tail.trim();
    for dash in ['—', '-', '~', '～', '至', '到'] {
        if let Some(rest) = tail.strip_prefix(dash) {
            let rest = rest.trim_start_matches('—');
            // "—15日", "-3月15日": the last day.
            if let Some(day) = rest.strip_suffix('日') {
                let day = day.rsplit('月').next().unwrap_or(day);
                if let Ok(d) = day.parse::<u32>() {
                    return (1..=31).contains(&d).then_some(DateTail::Through(d));
                }
            }
            return None;
        }
    }
    if tail == "全天" {
        return Some(DateTail::Time(None, None));
    }
    if let Some((a, b)) = part_of_day(tail) {
        return Some(DateTail::Time(Some(a), Some(b)));
    }
    if let Some((a, b)) = time_range(&Cell::Text(tail.to_string())) {
        return Some(DateTail::Time(Some(a), Some(b)));
    }
    time_text(tail).map(|t| DateTail::Time(Some(t), None))
}

/// The hours a part of the day stands for when no clock time is written: 上午 09:00–12:00 …
pub(crate) const PARTS_OF_DAY: &[(&str, &str, &str)] = &[
    ("上午", "09:00", "12:00"),
    ("早上", "08:00", "10:00"),
    ("中午", "12:00", "14:00"),
    ("下午", "14:30", "17:30"),
    ("晚上", "19:30", "21:30"),
    ("晚", "19:30", "21:30"),
];

/// "上午" as (start, end).
pub(crate) fn part_of_day(word: &str) -> Option<(String, String)> {
    PARTS_OF_DAY
        .iter()
        .find(|(w, _, _)| *w == word.trim())
        .map(|(_, a, b)| (a.to_string(), b.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_values_are_known_however_typed_and_other_text_is_not_one() {
        let text = |t: &str| formula_error(&Cell::Text(t.into()));
        assert_eq!(text("#REF!").as_deref(), Some("#REF!"));
        assert_eq!(text("  #n/a ").as_deref(), Some("#N/A"));
        assert_eq!(text("＃ＤＩＶ／０！").as_deref(), Some("#DIV/0!"));
        assert_eq!(text("\u{3000}#value!").as_deref(), Some("#VALUE!"));
        assert_eq!(text("#3 宣传点"), None);
        assert_eq!(text("宪法宣传 #REF!"), None);
        assert_eq!(text(""), None);
        assert_eq!(
            formula_error(&Cell::Error("#SPILL!".into())).as_deref(),
            Some("#SPILL!")
        );
        assert_eq!(formula_error(&Cell::Number(3.0)), None);
    }
}
