//! The breakdown and materials sheets of the 台账 workbook.
use super::*;

/// The statuses of the records an output lists (what its 合计 splits).
pub(super) fn summary_counts(s: &Summary) -> reports::StatusCounts {
    reports::StatusCounts {
        approved: s.activities - s.pending - s.returned,
        pending: s.pending,
        returned: s.returned,
    }
}

/// "5200份、250册、30个": the hand-outs by unit, never added across units.
pub(super) fn materials_by_unit(s: &Summary) -> String {
    s.material_units
        .iter()
        .map(|u| format!("{}{}", u.quantity, u.unit))
        .collect::<Vec<_>>()
        .join("、")
}

/// The total row of a breakdown: the sum of its rows (one record in one row), or the
/// distinct totals of the summary with a note (a record can be in several rows).
pub(super) enum Total<'a> {
    Sum,
    Distinct(&'a Summary, String),
}

pub(super) fn breakdown_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    lines_of: [&str; 2],
    first: &str,
    rows: &[Breakdown],
    total: Total,
) -> Result<()> {
    let head_row = sheet_top(sheet, f, 5, title, lines_of)?;
    let columns = [
        ("序号", 6.0),
        (first, 36.0),
        ("场次", 10.0),
        ("参加人数（人）", 14.0),
        ("受众人次", 14.0),
    ];
    sheet.set_row_height(head_row, 20).map_err(xlsx_error)?;
    for (c, (h, w)) in columns.iter().enumerate() {
        sheet
            .write_with_format(head_row, c as u16, *h, &f.head)
            .map_err(xlsx_error)?;
        sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
    }
    let mut sums = [0i64; 3];
    for (i, b) in rows.iter().enumerate() {
        let r = head_row + 1 + i as u32;
        sheet
            .set_row_height(r, row_height([(b.label.as_str(), 36.0)]))
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(r, 0, (i + 1) as f64, &f.number)
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(r, 1, b.label.as_str(), &f.body)
            .map_err(xlsx_error)?;
        for (c, n) in [b.activities, b.participants, b.reach]
            .into_iter()
            .enumerate()
        {
            sums[c] += n;
            sheet
                .write_with_format(r, 2 + c as u16, n as f64, &f.number)
                .map_err(xlsx_error)?;
        }
    }
    let r = head_row + 1 + rows.len() as u32;
    let (label, values, note) = match total {
        Total::Sum => ("合计", sums, None),
        Total::Distinct(s, note) => (
            "合计（去重）",
            [s.activities, s.participants, s.reach],
            Some(note),
        ),
    };
    sheet
        .merge_range(r, 0, r, 1, label, &f.total)
        .map_err(xlsx_error)?;
    for (c, n) in values.iter().enumerate() {
        sheet
            .write_with_format(r, 2 + c as u16, *n as f64, &f.total_number)
            .map_err(xlsx_error)?;
    }
    if let Some(note) = note {
        sheet
            .set_row_height(r + 1, row_height([(note.as_str(), 80.0)]))
            .map_err(xlsx_error)?;
        sheet
            .merge_range(r + 1, 0, r + 1, 4, &note, &f.line.clone().set_text_wrap())
            .map_err(xlsx_error)?;
    }
    print_setup(sheet, head_row, false)
}

pub(super) fn materials_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    lines_of: [&str; 2],
    s: &Summary,
) -> Result<()> {
    let head_row = sheet_top(sheet, f, 4, title, lines_of)?;
    for (c, (h, w)) in [
        ("序号", 6.0),
        ("资料名称", 36.0),
        ("单位", 8.0),
        ("数量", 14.0),
    ]
    .iter()
    .enumerate()
    {
        sheet
            .write_with_format(head_row, c as u16, *h, &f.head)
            .map_err(xlsx_error)?;
        sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
    }
    let mut r = head_row;
    for (i, m) in s.materials.iter().enumerate() {
        r += 1;
        sheet
            .write_with_format(r, 0, (i + 1) as f64, &f.number)
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(r, 1, m.name.as_str(), &f.body)
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(r, 2, m.unit.as_str(), &f.number)
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(r, 3, m.quantity as f64, &f.number)
            .map_err(xlsx_error)?;
    }
    // A 合计 per unit: 份 and 册 are never added together.
    for u in &s.material_units {
        r += 1;
        sheet
            .merge_range(
                r,
                0,
                r,
                1,
                &format!("合计（{}，{}种）", u.label, u.kinds),
                &f.total,
            )
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(r, 2, u.unit.as_str(), &f.total_number)
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(r, 3, u.quantity as f64, &f.total_number)
            .map_err(xlsx_error)?;
    }
    if s.materials.is_empty() {
        sheet
            .merge_range(r + 1, 0, r + 1, 3, "本期没有发放资料", &f.body)
            .map_err(xlsx_error)?;
    }
    print_setup(sheet, head_row, false)
}
