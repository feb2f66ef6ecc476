//! The 台账 sheet's layout: title, heights, formats, print set-up, the columns shown.
use super::*;

/// The counts after 参加人数 and 受众人次 (咨询, 横幅 … 法律援助) that apply to few
/// activities: a zero there is left blank in the workbook, as a hand-kept 台账 leaves it, so
/// the numbers that were there stand out (the 合计 row still sums them all).
pub(super) const FIRST_OPTIONAL_COUNT: usize = 2;

/// 2026年12月4日, as the dates of a 台账 read.
pub(super) const DATE_FORMAT: &str = "yyyy\"年\"m\"月\"d\"日\"";

/// Body text: 宋体 10 pt; headings 黑体.
pub(super) const FONT_SIZE: f64 = 10.0;

/// The title of a 台账 or a totals sheet: "双龙镇2026年普法活动台账",
/// "双龙镇安静村2026年1月1日至6月30日普法活动台账（2026年民法典宣传月）".
pub(super) fn title(
    conn: &Connection,
    summary: &Summary,
    filter: &RecordFilter,
    what: &str,
) -> Result<String> {
    let town = crate::town::get_town(conn)?
        .map(|t| t.name.trim().to_string())
        .unwrap_or_default();
    let village = match filter
        .unit_id
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => crate::unit::resolve(conn, v, "unit_id")?.name,
        None => String::new(),
    };
    let period = period_words(&summary.from, &summary.to);
    let campaign = match filter
        .campaign_id
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(c) => format!("（{}）", crate::campaign::get(conn, c)?.name),
        None => String::new(),
    };
    Ok(format!("{town}{village}{period}{what}{campaign}"))
}

/// "2026年", "2026年1月1日至6月30日", "" for every record.
pub(super) fn period_words(from: &str, to: &str) -> String {
    let (Some(a), Some(b)) = (crate::export::iso_date(from), crate::export::iso_date(to)) else {
        return String::new();
    };
    if from == record::ALL_FROM && to == record::ALL_TO {
        return String::new();
    }
    if a.year() == b.year() && from.get(4..) == Some("-01-01") && to.get(4..) == Some("-12-31") {
        return format!("{}年", a.year());
    }
    let end = if a.year() == b.year() {
        crate::export::month_day_cn(b)
    } else {
        full_date_cn(b)
    };
    format!("{}至{end}", full_date_cn(a))
}

/// How many lines `text` takes in a column `width` wide (Excel's character units, 宋体 10 pt:
/// a Chinese character is about two units, a digit or letter one).
pub(super) fn lines(text: &str, width: f64) -> u32 {
    let room = (width * 7.0 + 5.0 - 4.0).max(8.0);
    let mut lines = 1u32;
    let mut used = 0.0f64;
    for c in text.chars() {
        if c == '\n' {
            lines += 1;
            used = 0.0;
            continue;
        }
        let w = if c.is_ascii() { 7.0 } else { 13.5 };
        if used + w > room {
            lines += 1;
            used = 0.0;
        }
        used += w;
    }
    lines
}

/// The height (points) of a row whose cells hold `cells` (text, column width).
pub(super) fn row_height<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> f64 {
    let n = cells
        .into_iter()
        .map(|(t, w)| lines(t, w))
        .max()
        .unwrap_or(1);
    f64::from(n) * 13.5 + 3.0
}

/// The formats of a workbook, made once.
pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) line: Format,
    pub(super) head: Format,
    pub(super) body: Format,
    pub(super) number: Format,
    pub(super) total: Format,
    pub(super) total_number: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        let body = Format::new()
            .set_font_name("宋体")
            .set_font_size(FONT_SIZE)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin);
        let number = body.clone().set_align(FormatAlign::Center);
        Formats {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            line: Format::new()
                .set_font_name("宋体")
                .set_font_size(FONT_SIZE)
                .set_align(FormatAlign::VerticalCenter),
            head: crate::export::header_format().set_font_size(FONT_SIZE),
            total: body.clone().set_bold(),
            total_number: number.clone().set_bold(),
            body,
            number,
        }
    }
}

/// The top of a sheet: the title (merged across `cols` columns), the basis and the date it was
/// made on their own lines; returns the row of the column headings.
pub(super) fn sheet_top(
    sheet: &mut Worksheet,
    f: &Formats,
    cols: u16,
    title: &str,
    lines: [&str; 2],
) -> Result<u32> {
    let last = cols.saturating_sub(1);
    sheet.set_row_height(0, 28).map_err(xlsx_error)?;
    if last > 0 {
        sheet
            .merge_range(0, 0, 0, last, title, &f.title)
            .map_err(xlsx_error)?;
    } else {
        sheet
            .write_with_format(0, 0, title, &f.title)
            .map_err(xlsx_error)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let row = 1 + i as u32;
        if last > 0 {
            sheet
                .merge_range(row, 0, row, last, l, &f.line)
                .map_err(xlsx_error)?;
        } else {
            sheet
                .write_with_format(row, 0, *l, &f.line)
                .map_err(xlsx_error)?;
        }
    }
    Ok(3)
}

/// A4, page numbers in the footer, the header row repeated on every page, one page wide.
pub(super) fn print_setup(sheet: &mut Worksheet, head_row: u32, landscape: bool) -> Result<()> {
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet
        .set_paper_size(9)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_footer("&C第 &P 页，共 &N 页");
    sheet
        .set_repeat_rows(head_row, head_row)
        .map_err(xlsx_error)?;
    sheet
        .set_freeze_panes(head_row + 1, 0)
        .map_err(xlsx_error)?;
    Ok(())
}

/// "制表单位：双龙镇司法所　制表日期：2026年12月6日".
pub(super) fn made_line(conn: &Connection) -> Result<String> {
    let town = crate::town::get_town(conn)?
        .map(|t| t.name.trim().to_string())
        .unwrap_or_default();
    let today = full_date_cn(chrono::Local::now().date_naive());
    Ok(if town.is_empty() {
        format!("制表日期：{today}")
    } else {
        format!("制表单位：{town}司法所　制表日期：{today}")
    })
}

/// The records and the summary an output of `filter` holds: one scope for rows and totals.
pub(super) fn scope(conn: &Connection, filter: &RecordFilter) -> Result<(RecordFilter, Summary)> {
    let filter = filter.resolved(conn)?;
    let basis = filter.output_basis()?;
    let summary = reports::summary(conn, &filter.summary_filter()?)?;
    Ok((filter.with_basis(basis), summary))
}

/// The columns a workbook shows: the optional counts only when one of its records has one,
/// the review status only when several statuses are listed (a 台账 of approved records says so
/// in its 统计口径 line).
pub(super) fn shown_columns(s: &Summary) -> Vec<(&'static str, f64, Cell)> {
    let optional = s.counts.values();
    columns()
        .into_iter()
        .filter(|(_, _, c)| match c {
            Cell::Number(i) if *i >= FIRST_OPTIONAL_COUNT => {
                optional[*i - FIRST_OPTIONAL_COUNT] != 0
            }
            Cell::Status => s.basis.statuses().len() > 1,
            _ => true,
        })
        .collect()
}
