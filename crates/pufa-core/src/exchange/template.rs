//! The 活动登记表 a cadre downloads, fills in (Excel or WPS) and imports: a 填写说明 sheet, the
//! 活动登记 sheet (frozen header, one example row) with drop-down lists for 村/社区, 活动形式,
//! 宣传对象 and 资料, and the hidden 选项 sheet those lists point to. The lists are ranges, not
//! inline lists: Excel limits an inline list to 255 characters, less than a town's villages.

use super::{
    Column, Field, COLUMNS, DATA_SHEET, EXAMPLE_MARK, HELP_SHEET, MAX_ROWS, OPTIONS_SHEET,
};
use crate::domain::{ActivityFormat, Audience};
use crate::error::Result;
use crate::export::{save_xlsx, xlsx_error};
use crate::inventory;
use crate::town::current_user;
use crate::unit::{self, UnitFilter};
use chrono::Datelike;
use rusqlite::Connection;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, Workbook, Worksheet,
};
use std::path::Path;

/// The lists of the 选项 sheet, one column each: (header, values).
struct Options {
    units: Vec<String>,
    formats: Vec<&'static str>,
    audiences: Vec<&'static str>,
    materials: Vec<String>,
}

impl Options {
    fn load(conn: &Connection) -> Result<Options> {
        Ok(Options {
            // Villages and communities first, then schools, enterprises and sites.
            units: unit::list(conn, &UnitFilter::default())?
                .into_iter()
                .map(|u| u.name)
                .collect(),
            formats: ActivityFormat::ALL.iter().map(|f| f.label()).collect(),
            audiences: Audience::ALL.iter().map(|a| a.label()).collect(),
            materials: inventory::materials(conn, false)?
                .into_iter()
                .map(|m| m.name)
                .collect(),
        })
    }
}

/// Writes the 活动登记表 template for this town to `path` (atomically: a failure leaves no half
/// file and keeps an existing one).
pub fn write(conn: &Connection, path: &Path) -> Result<()> {
    let options = Options::load(conn)?;
    let example = example_row(conn, &options)?;
    let mut workbook = Workbook::new();
    let head = crate::export::header_format();
    // Required columns stand out, as the 填写说明 says.
    let head_required = head.clone().set_background_color("#FCE4D6");
    let text = Format::new().set_font_name("宋体").set_text_wrap();

    help_sheet(workbook.add_worksheet(), &head, &text, &example)?;
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(DATA_SHEET).map_err(xlsx_error)?;
        sheet.set_active(true);
        data_sheet(sheet, &head, &head_required, &options, &example)?;
    }
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(OPTIONS_SHEET).map_err(xlsx_error)?;
        options_sheet(sheet, &head, &options)?;
        sheet.set_hidden(true);
    }
    save_xlsx(path, &mut workbook)
}

/// The example row, by column: plausible values of this town (its first village, its first
/// material), dated last 12月4日 so it is never in the future.
struct Example {
    date: chrono::NaiveDate,
    values: Vec<(Field, String)>,
}

impl Example {
    fn value(&self, f: Field) -> &str {
        self.values
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

fn example_row(conn: &Connection, options: &Options) -> Result<Example> {
    let year = chrono::Local::now().year() - 1;
    let date = chrono::NaiveDate::from_ymd_opt(year, 12, 4).expect("a valid date");
    let unit = options
        .units
        .first()
        .cloned()
        .unwrap_or_else(|| "安静村".into());
    let recorder = current_user(conn)?
        .map(|u| u.name)
        .unwrap_or_else(|| "李明".into());
    let mut values = vec![
        (Field::StartTime, "09:00".to_string()),
        (Field::EndTime, "11:30".to_string()),
        (Field::Unit, unit),
        (Field::Venue, "村委会院坝".to_string()),
        (
            Field::Title,
            format!("{EXAMPLE_MARK}，导入时自动跳过）{year}年“12·4”国家宪法日集中宣传活动"),
        ),
        (Field::Formats, "集中宣传、有奖问答".to_string()),
        (Field::Audiences, "村(居)民、青少年学生".to_string()),
        (Field::Laws, "宪法、民法典".to_string()),
        (Field::Speakers, "王明（律师）".to_string()),
        (Field::Participants, "80".to_string()),
        (Field::Reach, "200余".to_string()),
        (Field::Count("consultations"), "15".to_string()),
        (Field::Count("banners"), "2".to_string()),
        (Field::Count("boards"), "6".to_string()),
        (
            Field::Narrative,
            "在村委会院坝设点宣传宪法和民法典，律师现场解答群众咨询，开展有奖问答。".to_string(),
        ),
        (Field::Recorder, recorder),
    ];
    if let Some(m) = options.materials.first() {
        values.push((Field::Material(1), m.clone()));
        values.push((Field::Quantity(1), "100".to_string()));
    }
    Ok(Example { date, values })
}

fn help_sheet(sheet: &mut Worksheet, head: &Format, text: &Format, ex: &Example) -> Result<()> {
    sheet.set_name(HELP_SHEET).map_err(xlsx_error)?;
    let title = Format::new()
        .set_bold()
        .set_font_name("黑体")
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    sheet
        .merge_range(0, 0, 0, 3, "普法活动登记表 · 填写说明", &title)
        .map_err(xlsx_error)?;
    let notes = [
        format!(
            "一、在“{DATA_SHEET}”表中每行填写一次已经开展的活动。第1行是表头，请不要改动表头文字；\
             第2行是示例（活动名称以“{EXAMPLE_MARK}”开头），导入时自动跳过，看完可以删除。"
        ),
        "二、橙色表头的列必须填写：日期、村/社区、活动名称、活动形式、参加人数。其余的列有就填，\
         没有就空着；记录人不填则记为导入时这台电脑的使用人。"
            .to_string(),
        "三、日期可以写成 2024-03-15、2024/3/15、2024.3.15 或 2024年3月15日。人数可以写“80”\
         “80人”“1,200人次”；约数如“200余”“约200”按200计，并在活动简述后注明原来填写的内容。"
            .to_string(),
        "四、村/社区、活动形式、宣传对象和发放资料可以从下拉列表选择；几种活动形式或几类对象用顿号\
         （、）隔开。资料须是“宣传资料”目录里已有的，数量按目录里的计量单位填写。"
            .to_string(),
        "五、同一日期、同一村/社区、同一活动名称的活动只导入一次：同一个文件导入两次不会重复。\
         导入前会先检查，列出有问题的行（第几行、哪一列、什么问题），改好后再导入。"
            .to_string(),
        format!(
            "六、一次最多导入 {MAX_ROWS} 行，更多请分成几个文件。Excel 和 WPS 保存的 .xlsx、.xls \
             文件都可以导入。"
        ),
    ];
    let wrap = text.clone().set_align(FormatAlign::VerticalCenter);
    for (i, note) in notes.iter().enumerate() {
        let row = 2 + i as u32;
        sheet
            .merge_range(row, 0, row, 3, note, &wrap)
            .map_err(xlsx_error)?;
        sheet.set_row_height(row, 36).map_err(xlsx_error)?;
    }
    let table = 3 + notes.len() as u32;
    for (c, (h, w)) in [
        ("列名", 14.0),
        ("必填", 6.0),
        ("填写说明", 60.0),
        ("示例", 30.0),
    ]
    .iter()
    .enumerate()
    {
        sheet
            .write_with_format(table, c as u16, *h, head)
            .map_err(xlsx_error)?;
        sheet.set_column_width(c as u16, *w).map_err(xlsx_error)?;
    }
    let cell = text.clone().set_border(FormatBorder::Thin);
    for (i, c) in COLUMNS.iter().enumerate() {
        let row = table + 1 + i as u32;
        let example = match c.field {
            Field::Date => ex.date.format("%Y-%m-%d").to_string(),
            f => ex.value(f).to_string(),
        };
        let required = if c.required { "是" } else { "" };
        for (col, v) in [c.header, required, c.help, example.as_str()]
            .into_iter()
            .enumerate()
        {
            sheet
                .write_with_format(row, col as u16, v, &cell)
                .map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// The 选项 columns a drop-down points to: (field, column letter, how many values).
fn list_ranges(options: &Options) -> Vec<(Field, &'static str, usize)> {
    let mut out = vec![
        (Field::Unit, "A", options.units.len()),
        (Field::Formats, "B", options.formats.len()),
        (Field::Audiences, "C", options.audiences.len()),
    ];
    for c in COLUMNS {
        if let Field::Material(_) = c.field {
            out.push((c.field, "D", options.materials.len()));
        }
    }
    out
}

fn data_sheet(
    sheet: &mut Worksheet,
    head: &Format,
    head_required: &Format,
    options: &Options,
    ex: &Example,
) -> Result<()> {
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let example = Format::new()
        .set_italic()
        .set_font_color("#808080")
        .set_font_name("宋体");
    let example_date = example.clone().set_num_format("yyyy-mm-dd");
    for (c, col) in COLUMNS.iter().enumerate() {
        let c = c as u16;
        let format = if col.required { head_required } else { head };
        sheet
            .write_with_format(0, c, col.header, format)
            .map_err(xlsx_error)?;
        sheet.set_column_width(c, col.width).map_err(xlsx_error)?;
        if col.field == Field::Date {
            sheet
                .set_column_format(c, &date_format)
                .map_err(xlsx_error)?;
        }
        write_example(sheet, c, col, ex, &example, &example_date)?;
    }
    sheet.set_row_height(0, 30).map_err(xlsx_error)?;
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;

    let last_row = MAX_ROWS;
    let column_of = |f: Field| COLUMNS.iter().position(|c| c.field == f).map(|i| i as u16);
    for (field, letter, n) in list_ranges(options) {
        let Some(c) = column_of(field) else { continue };
        if n == 0 {
            continue;
        }
        // Several formats or audiences go in one cell ("集中宣传、有奖问答"), and a village may
        // be written without 村: the lists offer, the import decides, so a value not in the list
        // only draws a warning the user can click through.
        let (style, message) = match field {
            Field::Formats | Field::Audiences => (
                DataValidationErrorStyle::Information,
                "可从下拉列表选择；几项用顿号（、）隔开",
            ),
            Field::Unit => (
                DataValidationErrorStyle::Warning,
                "请从下拉列表选择本镇的村/社区或单位",
            ),
            _ => (
                DataValidationErrorStyle::Warning,
                "请从下拉列表选择“宣传资料”目录里的资料",
            ),
        };
        let list = DataValidation::new()
            .allow_list_formula(Formula::new(format!(
                "='{OPTIONS_SHEET}'!${letter}$2:${letter}${}",
                n + 1
            )))
            .set_error_style(style)
            .set_error_title("不在下拉列表中")
            .map_err(xlsx_error)?
            .set_error_message(message)
            .map_err(xlsx_error)?;
        sheet
            .add_data_validation(1, c, last_row, c, &list)
            .map_err(xlsx_error)?;
    }
    // Hints shown when a cell of these columns is selected.
    for (field, hint) in [
        (Field::Date, "如 2024-03-15、2024/3/15 或 2024年3月15日"),
        (Field::Participants, "填数字，如 80；“约80”“80人”也可以"),
        (Field::Reach, "不填则按参加人数计；“200余”按200计"),
    ] {
        let Some(c) = column_of(field) else { continue };
        let tip = DataValidation::new()
            .allow_any_value()
            .set_input_message(hint)
            .map_err(xlsx_error)?;
        sheet
            .add_data_validation(1, c, last_row, c, &tip)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

fn write_example(
    sheet: &mut Worksheet,
    c: u16,
    col: &Column,
    ex: &Example,
    format: &Format,
    date_format: &Format,
) -> Result<()> {
    if col.field == Field::Date {
        let d = ex.date;
        let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
            .map_err(xlsx_error)?;
        sheet
            .write_datetime_with_format(1, c, &dt, date_format)
            .map_err(xlsx_error)?;
        return Ok(());
    }
    let v = ex.value(col.field);
    if v.is_empty() {
        return Ok(());
    }
    // Numbers as numbers, so the example shows what Excel does with them.
    match v.parse::<f64>() {
        Ok(n) => sheet.write_with_format(1, c, n, format),
        Err(_) => sheet.write_with_format(1, c, v, format),
    }
    .map_err(xlsx_error)?;
    Ok(())
}

fn options_sheet(sheet: &mut Worksheet, head: &Format, options: &Options) -> Result<()> {
    let columns: [(&str, Vec<&str>); 4] = [
        (
            "村/社区",
            options.units.iter().map(String::as_str).collect(),
        ),
        ("活动形式", options.formats.clone()),
        ("宣传对象", options.audiences.clone()),
        (
            "资料",
            options.materials.iter().map(String::as_str).collect(),
        ),
    ];
    for (c, (h, values)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet
            .write_with_format(0, c, *h, head)
            .map_err(xlsx_error)?;
        sheet.set_column_width(c, 24).map_err(xlsx_error)?;
        for (r, v) in values.iter().enumerate() {
            sheet.write(1 + r as u32, c, *v).map_err(xlsx_error)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use calamine::{open_workbook, Data, Reader, SheetVisible, Xlsx};
    use std::io::Read;

    pub(crate) fn demo() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::load_town(&mut db, 3, 2025);
        db
    }

    fn zip_text(path: &Path, name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn the_template_has_its_sheets_headers_and_drop_down_lists() {
        let db = demo();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("活动登记表.xlsx");
        write(&db.conn, &path).unwrap();

        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(wb.sheet_names(), [HELP_SHEET, DATA_SHEET, OPTIONS_SHEET]);
        let visible: Vec<SheetVisible> = wb.sheets_metadata().iter().map(|s| s.visible).collect();
        assert_eq!(
            visible,
            [
                SheetVisible::Visible,
                SheetVisible::Visible,
                SheetVisible::Hidden
            ]
        );
        let data = wb.worksheet_range(DATA_SHEET).unwrap();
        let headers: Vec<String> = (0..COLUMNS.len())
            .map(|c| data.get((0, c)).unwrap().to_string())
            .collect();
        let expected: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
        assert_eq!(headers, expected);
        assert_eq!(data.height(), 2, "the header and the example row");
        let title = data.get((1, 5)).unwrap().to_string();
        assert!(title.starts_with(EXAMPLE_MARK), "{title}");
        assert!(matches!(data.get((1, 0)), Some(Data::DateTime(_))));
        assert_eq!(data.get((1, 3)), Some(&Data::String("双龙社区".into())));

        let options = wb.worksheet_range(OPTIONS_SHEET).unwrap();
        let column = |c: usize| -> Vec<String> {
            (1..options.height())
                .filter_map(|r| options.get((r, c)).map(|d| d.to_string()))
                .filter(|s| !s.is_empty())
                .collect()
        };
        let units = column(0);
        assert_eq!(units.len(), 21 + 4 + 2 + 3, "{units:?}");
        assert_eq!(&units[..2], ["双龙社区", "安静村"]);
        assert_eq!(column(1).len(), ActivityFormat::ALL.len());
        assert_eq!(column(2)[6], "村(居)民");
        let materials = column(3);
        assert!(!materials.is_empty());

        // The lists point into the hidden sheet (not inline lists, limited to 255 characters).
        let xml = zip_text(&path, "xl/worksheets/sheet2.xml");
        assert!(xml.contains("<pane ySplit=\"1\""), "frozen header");
        assert_eq!(xml.matches("<dataValidation ").count(), 6 + 3, "{xml}");
        for (letter, n) in [
            ("A", units.len()),
            ("B", ActivityFormat::ALL.len()),
            ("C", Audience::ALL.len()),
            ("D", materials.len()),
        ] {
            let formula = format!(
                "<formula1>'选项'!${letter}$2:${letter}${}</formula1>",
                n + 1
            );
            assert!(xml.contains(&formula), "{formula} in {xml}");
        }
        assert!(xml.contains("type=\"list\""));
        assert!(
            xml.contains(&format!("sqref=\"D2:D{}\"", MAX_ROWS + 1)),
            "{xml}"
        );
        let workbook = zip_text(&path, "xl/workbook.xml");
        assert!(workbook.contains("state=\"hidden\""), "{workbook}");

        let help = wb.worksheet_range(HELP_SHEET).unwrap();
        let text: Vec<String> = help.cells().map(|(_, _, d)| d.to_string()).collect();
        for h in COLUMNS.iter().map(|c| c.header) {
            assert!(text.iter().any(|t| t == h), "{h} explained");
        }
        assert!(text.iter().any(|t| t.contains("2024年3月15日")));
    }

    #[test]
    fn a_town_without_materials_gets_no_material_list() {
        let db = crate::testing::town(&["安静村", "石院村"], &[]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        write(&db.conn, &path).unwrap();
        let xml = zip_text(&path, "xl/worksheets/sheet2.xml");
        assert!(
            xml.contains("<formula1>'选项'!$A$2:$A$3</formula1>"),
            "{xml}"
        );
        assert!(!xml.contains("$D$2"), "{xml}");
    }
}
