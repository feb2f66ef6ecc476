//! The 公文 page of GB/T 9704—2012, shared by every Word report: A4, margins 37/35/28/26 mm
//! (a 156 × 225 mm text block), a grid of 22 lines × 28 characters, the title in 二号
//! 方正小标宋简体, the body in 三号 仿宋_GB2312, "一、" headings in 黑体 and "（一）" headings in
//! 楷体_GB2312, page numbers "— 1 —" in 四号 宋体 on the outer side, the 附件 on a new page.
//!
//! Fonts: a docx names one font per script. Many newer Windows machines (and WPS without the
//! 方正 pack) lack 方正小标宋简体 and the _GB2312 fonts; the font table therefore names
//! 仿宋 / 楷体 / 宋体 as their alternates (`w:altName`), which Word and WPS use when the font is
//! missing. On Linux, LibreOffice falls back to whatever CJK font fontconfig offers.

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType, Table, TableAlignmentType, TableBorder, TableBorderPosition, TableCell,
    TableLayoutType, TableRow, VAlignType, WidthType,
};

/// A4 in twips (1/20 pt).
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
/// 37 mm, 35 mm, 28 mm, 26 mm.
pub const MARGIN_TOP: i32 = 2098;
pub const MARGIN_BOTTOM: i32 = 1984;
pub const MARGIN_LEFT: i32 = 1588;
pub const MARGIN_RIGHT: i32 = 1474;
/// The page number's line sits about 7 mm below the text block (GB/T 9704 7.5).
const FOOTER_DISTANCE: i32 = 1247;
/// 156 mm.
pub const TEXT_WIDTH: i32 = PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT;
/// 22 lines in the 225 mm text block: 28.95 pt a line.
pub const LINE_PITCH: usize = 579;
pub const CHARS_PER_LINE: i32 = 28;
/// 28 characters in 156 mm are 15.79 pt each, a little less than the 16 pt body font. Word can
/// squeeze the font into a character grid (`linesAndChars` with a negative `charSpace`), but
/// LibreOffice then gives every character two grid cells and the page falls apart. So the grid
/// is a line grid only and body text is condensed by 0.25 pt a character (15.75 × 28 = 441 pt):
/// 28 characters a line in Word, WPS and LibreOffice alike.
pub const CONDENSE: i32 = TEXT_WIDTH / CHARS_PER_LINE - BODY_SIZE as i32 * 10;

/// Font sizes in half-points: 二号, 三号, 四号.
pub const TITLE_SIZE: usize = 44;
pub const BODY_SIZE: usize = 32;
pub const SMALL_SIZE: usize = 28;
/// 小四, for tables with many columns.
pub const TABLE_SIZE_NARROW: usize = 24;
/// A title line holds 20 characters of 二号 in the text block; leave one for safety.
const TITLE_LINE: i32 = 19 * 2;
/// Two characters of the body font.
pub const INDENT: i32 = 640;

pub const TITLE_FONT: &str = "方正小标宋简体";
pub const BODY_FONT: &str = "仿宋_GB2312";
pub const HEADING1_FONT: &str = "黑体";
pub const HEADING2_FONT: &str = "楷体_GB2312";
pub const PAGE_NUMBER_FONT: &str = "宋体";
/// Latin letters and Arabic numerals in the text.
pub const LATIN_FONT: &str = "Times New Roman";

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
        // Quotes and dashes are shared by both scripts: draw them with the Chinese font.
        .hint("eastAsia")
}

fn run(text: &str, font: &str, size: usize) -> Run {
    let r = Run::new().add_text(text).fonts(fonts(font)).size(size);
    if size == BODY_SIZE {
        r.character_spacing(CONDENSE)
    } else {
        r
    }
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
        .before(0)
        .after(0)
}

/// The width of a line of text in twips at the body size: CJK full width, ASCII half.
fn text_width(text: &str) -> i32 {
    text.chars()
        .map(|c| if c.is_ascii() { INDENT / 4 } else { INDENT / 2 })
        .sum()
}

/// A table column: heading, width (relative: the table spans the text block), numbers centred.
pub struct Column {
    pub title: &'static str,
    pub width: usize,
    pub numeric: bool,
}

/// A 公文 being written: the Word document and how many paragraphs and tables it holds.
pub struct Document {
    docx: Docx,
    pub paragraphs: u32,
    pub tables: u32,
}

impl Document {
    /// An empty 公文 page: A4, margins, grid, default fonts, page numbers.
    pub fn new() -> Document {
        let mut docx = Docx::new()
            .page_size(PAGE_WIDTH, PAGE_HEIGHT)
            .page_margin(PageMargin {
                top: MARGIN_TOP,
                left: MARGIN_LEFT,
                bottom: MARGIN_BOTTOM,
                right: MARGIN_RIGHT,
                header: 851,
                footer: FOOTER_DISTANCE,
                gutter: 0,
            })
            .default_fonts(fonts(BODY_FONT))
            .default_size(BODY_SIZE)
            .default_line_spacing(exact(LINE_PITCH as i32))
            // Odd pages carry the number on the right, even pages on the left.
            .footer(page_number(true))
            .even_footer(page_number(false));
        docx.document = docx.document.clone().doc_grid(
            DocGrid::new()
                .grid_type(DocGridType::Lines)
                .line_pitch(LINE_PITCH),
        );
        Document {
            docx,
            paragraphs: 0,
            tables: 0,
        }
    }

    fn push(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
        self.paragraphs += 1;
    }

    /// The title: 二号 方正小标宋简体, centred, followed by an empty line.
    pub fn title(&mut self, text: &str) {
        let mut r = Run::new().fonts(fonts(TITLE_FONT)).size(TITLE_SIZE);
        for (i, line) in title_lines(text).iter().enumerate() {
            if i > 0 {
                r = r.add_break(BreakType::TextWrapping);
            }
            r = r.add_text(line);
        }
        self.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .snap_to_grid(false)
                .add_run(r),
        );
        self.blank();
    }

    pub fn blank(&mut self) {
        self.push(Paragraph::new());
    }

    /// The 主送机关 line ("巫山县司法局："), flush left.
    pub fn addressee(&mut self, text: &str) {
        self.push(Paragraph::new().add_run(run(text, BODY_FONT, BODY_SIZE)));
    }

    fn indented() -> Paragraph {
        Paragraph::new().align(AlignmentType::Both).indent(
            None,
            Some(SpecialIndentType::FirstLine(INDENT)),
            None,
            None,
        )
    }

    /// A body paragraph: 仿宋, justified, two characters indented.
    pub fn body(&mut self, text: &str) {
        self.push(Self::indented().add_run(run(text, BODY_FONT, BODY_SIZE)));
    }

    /// A first-level heading ("一、基本情况"): 黑体.
    pub fn heading1(&mut self, text: &str) {
        self.push(
            Self::indented()
                .keep_next(true)
                .add_run(run(text, HEADING1_FONT, BODY_SIZE)),
        );
    }

    /// A second-level heading ("（一）压实责任。") in 楷体, and the text that follows it on the
    /// same line in 仿宋.
    pub fn heading2(&mut self, heading: &str, rest: &str) {
        let mut p = Self::indented().add_run(run(heading, HEADING2_FONT, BODY_SIZE));
        if rest.is_empty() {
            p = p.keep_next(true);
        } else {
            p = p.add_run(run(rest, BODY_FONT, BODY_SIZE));
        }
        self.push(p);
    }

    /// Text people wrote: one paragraph a line; a line starting "（一）" is a 楷体 heading up to
    /// its first "。". An empty block becomes `placeholder` so the document stays complete.
    pub fn user_block(&mut self, text: &str, placeholder: &str) {
        let mut any = false;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            any = true;
            match split_heading2(line) {
                Some((heading, rest)) => self.heading2(heading, rest),
                None => self.body(line),
            }
        }
        if !any {
            self.body(placeholder);
        }
    }

    /// "附件：普法活动统计表" below the body: one empty line, two characters in.
    pub fn attachment_note(&mut self, name: &str) {
        self.blank();
        self.push(Self::indented().keep_next(true).add_run(run(
            &format!("附件：{name}"),
            BODY_FONT,
            BODY_SIZE,
        )));
    }

    /// 落款: the issuing body centred over the date, the date four characters in from the right
    /// (room for the seal above both), Arabic numerals.
    pub fn signature(&mut self, issuer: &str, date: &str) {
        self.blank();
        self.blank();
        let date_right = 2 * INDENT;
        let issuer_right = (date_right + (text_width(date) - text_width(issuer)) / 2).max(0);
        for (text, right) in [(issuer, issuer_right), (date, date_right)] {
            self.push(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .indent(None, None, Some(right), None)
                    .keep_next(true)
                    .add_run(run(text, BODY_FONT, BODY_SIZE)),
            );
        }
    }

    /// A new page for the 附件: "附件" in 黑体 at the top left, then its title.
    pub fn attachment_page(&mut self, title: &str) {
        self.push(
            Paragraph::new()
                .add_run(Run::new().add_break(BreakType::Page))
                .add_run(run("附件", HEADING1_FONT, BODY_SIZE)),
        );
        self.blank();
        self.title(title);
    }

    /// A caption above a table of the 附件 ("一、按村（社区）统计"): 黑体, flush left.
    pub fn caption(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .keep_next(true)
                .add_run(run(text, HEADING1_FONT, BODY_SIZE)),
        );
    }

    /// A small note under a table (四号 仿宋).
    pub fn note(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .snap_to_grid(false)
                .line_spacing(exact(400))
                .add_run(run(text, BODY_FONT, SMALL_SIZE)),
        );
    }

    /// A statistics table: a 黑体 heading row, the rows in 四号 仿宋, and a 合计 row when given
    /// (its first cell written in 黑体). Rows never split across pages.
    /// `size`: 四号 (SMALL_SIZE) or, for a wide table, 小四 (TABLE_SIZE_NARROW).
    pub fn table(
        &mut self,
        columns: &[Column],
        rows: &[Vec<String>],
        total: Option<&[String]>,
        size: usize,
    ) {
        let weights: usize = columns.iter().map(|c| c.width).sum::<usize>().max(1);
        let mut widths: Vec<usize> = columns
            .iter()
            .map(|c| c.width * TEXT_WIDTH as usize / weights)
            .collect();
        if let Some(last) = widths.last_mut() {
            *last += TEXT_WIDTH as usize
                - columns
                    .iter()
                    .map(|c| c.width * TEXT_WIDTH as usize / weights)
                    .sum::<usize>();
        }
        let columns: Vec<Column> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| Column {
                title: c.title,
                width: *w,
                numeric: c.numeric,
            })
            .collect();
        let cell = |text: &str, col: &Column, font: &str| {
            let align = if col.numeric || font == HEADING1_FONT {
                AlignmentType::Center
            } else {
                AlignmentType::Left
            };
            TableCell::new()
                .width(col.width, WidthType::Dxa)
                .vertical_align(VAlignType::Center)
                .add_paragraph(
                    Paragraph::new()
                        .align(align)
                        .snap_to_grid(false)
                        .line_spacing(exact(400))
                        .add_run(run(text, font, size)),
                )
        };
        let mut out = vec![TableRow::new(
            columns
                .iter()
                .map(|c| cell(c.title, c, HEADING1_FONT))
                .collect(),
        )
        .cant_split()];
        for r in rows {
            out.push(
                TableRow::new(
                    columns
                        .iter()
                        .zip(r)
                        .map(|(c, t)| cell(t, c, BODY_FONT))
                        .collect(),
                )
                .cant_split(),
            );
        }
        if let Some(total) = total {
            out.push(
                TableRow::new(
                    columns
                        .iter()
                        .zip(total)
                        .enumerate()
                        .map(|(i, (c, t))| {
                            cell(t, c, if i == 0 { HEADING1_FONT } else { BODY_FONT })
                        })
                        .collect(),
                )
                .cant_split(),
            );
        }
        let mut table = Table::new(out)
            .set_grid(columns.iter().map(|c| c.width).collect())
            .width(columns.iter().map(|c| c.width).sum(), WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center);
        for position in [
            TableBorderPosition::Top,
            TableBorderPosition::Bottom,
            TableBorderPosition::Left,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ] {
            table = table.set_border(TableBorder::new(position).size(4));
        }
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        self.tables += 1;
    }

    pub fn finish(self) -> Docx {
        self.docx
    }
}

impl Default for Document {
    fn default() -> Self {
        Document::new()
    }
}

/// The lines of a title: one when it fits, else two balanced lines broken where the sense
/// allows (before "开展情况的报告", never inside a number, never before closing punctuation),
/// as GB/T 9704 asks of a title that turns a line. Longer titles wrap on their own.
fn title_lines(title: &str) -> Vec<String> {
    // Width in half characters: CJK 2, ASCII 1.
    let half = |s: &str| -> i32 { s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
    let total = half(title);
    if total <= TITLE_LINE {
        return vec![title.to_string()];
    }
    let fits = |i: usize| half(&title[..i]) <= TITLE_LINE && half(&title[i..]) <= TITLE_LINE;
    let allowed = |i: usize| {
        let before = title[..i].chars().next_back();
        let after = title[i..].chars().next();
        match (before, after) {
            (Some(b), Some(a)) => {
                let inside_number = b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric();
                let closing = "，。、；：）》”！？".contains(a);
                let opening = "（《“".contains(b);
                !(inside_number || closing || opening)
            }
            _ => false,
        }
    };
    for marker in ["开展情况的报告", "情况的报告", "的报告"] {
        if let Some(i) = title.rfind(marker) {
            if fits(i) && allowed(i) {
                return vec![title[..i].to_string(), title[i..].to_string()];
            }
        }
    }
    let best = title
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| i > 0 && fits(i) && allowed(i))
        .min_by_key(|&i| (half(&title[..i]) * 2 - total).abs());
    match best {
        Some(i) => vec![title[..i].to_string(), title[i..].to_string()],
        None => vec![title.to_string()],
    }
}

/// "（一）压实责任。各村……" → ("（一）压实责任。", "各村……"); also "(一)". The heading runs to
/// the first "。" when that comes within 40 characters, else the whole line is the heading.
fn split_heading2(line: &str) -> Option<(&str, &str)> {
    let (open, close) = if line.starts_with('（') {
        ('（', '）')
    } else if line.starts_with('(') {
        ('(', ')')
    } else {
        return None;
    };
    let inner = &line[open.len_utf8()..];
    let end = inner.find(close)?;
    let numeral = &inner[..end];
    if numeral.is_empty() || !numeral.chars().all(|c| "一二三四五六七八九十".contains(c))
    {
        return None;
    }
    match line.find('。') {
        Some(i) if line[..i].chars().count() <= 40 => {
            let cut = i + '。'.len_utf8();
            Some((&line[..cut], &line[cut..]))
        }
        _ => Some((line, "")),
    }
}

/// The footer of odd (number on the right) or even pages (on the left): "— N —" in 四号 宋体
/// through a PAGE field, one character in from the edge.
fn page_number(odd: bool) -> Footer {
    let font = || {
        RunFonts::new()
            .east_asia(PAGE_NUMBER_FONT)
            .ascii(PAGE_NUMBER_FONT)
            .hi_ansi(PAGE_NUMBER_FONT)
            .hint("eastAsia")
    };
    let field = |t: FieldCharType| {
        Run::new()
            .fonts(font())
            .size(SMALL_SIZE)
            .add_field_char(t, false)
    };
    let text = |t: &str| Run::new().fonts(font()).size(SMALL_SIZE).add_text(t);
    let one_char = (SMALL_SIZE * 10) as i32;
    let (align, indent) = if odd {
        (AlignmentType::Right, (None, Some(one_char)))
    } else {
        (AlignmentType::Left, (Some(one_char), None))
    };
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(align)
            .indent(indent.0, None, indent.1, None)
            .snap_to_grid(false)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(240),
            )
            .add_run(text("— "))
            .add_run(field(FieldCharType::Begin))
            .add_run(
                Run::new()
                    .fonts(font())
                    .size(SMALL_SIZE)
                    .add_instr_text(InstrText::PAGE(InstrPAGE::new())),
            )
            .add_run(field(FieldCharType::Separate))
            .add_run(text("1"))
            .add_run(field(FieldCharType::End))
            .add_run(text(" —")),
    )
}

/// Marks the first row of every table as its heading row, repeated on each page the table
/// runs over (docx-rs has no setter for `w:tblHeader`).
pub fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    const ROW: &str = "<w:tr><w:trPr><w:cantSplit /></w:trPr>";
    const HEADER: &str = "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>";
    let xml = String::from_utf8_lossy(document);
    let mut out = String::with_capacity(xml.len() + 256);
    let mut tables = xml.split("<w:tbl>");
    out.push_str(tables.next().unwrap_or_default());
    for table in tables {
        out.push_str("<w:tbl>");
        out.push_str(&table.replacen(ROW, HEADER, 1));
    }
    out.into_bytes()
}

/// How the font table describes one font: its alternate, and the PANOSE numbers, family and
/// code-page signature Word uses to pick a look-alike when neither is installed.
struct FontEntry {
    name: &'static str,
    alt: Option<&'static str>,
    panose: &'static str,
    family: &'static str,
    pitch: &'static str,
    /// `w:sig` (Unicode ranges and code pages: GB2312 is bit 18 of csb0).
    sig: [&'static str; 6],
}

/// The signature of the GB2312 fonts of Windows (宋体, 仿宋, 黑体, 楷体).
const SIG_WINDOWS_GB: [&str; 6] = [
    "800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000",
];
/// The signature of the 方正 and _GB2312 fonts.
const SIG_GB2312: [&str; 6] = [
    "00000001", "080E0000", "00000010", "00000000", "00040000", "00000000",
];

/// The font table: the fonts the document names, each 公文 font (方正小标宋简体, 仿宋_GB2312,
/// 楷体_GB2312, which many Windows machines and WPS installs lack) with its everyday relative
/// as the alternate Word and WPS use where it is missing, then those relatives themselves
/// (宋体, 仿宋, 黑体, 楷体, on every Chinese Windows) with their English names.
pub fn font_table() -> Vec<u8> {
    let latin = FontEntry {
        name: LATIN_FONT,
        alt: None,
        panose: "02020603050405020304",
        family: "roman",
        pitch: "variable",
        sig: [
            "E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000",
        ],
    };
    let cjk = |name, alt, panose, family, pitch, sig| FontEntry {
        name,
        alt: Some(alt),
        panose,
        family,
        pitch,
        sig,
    };
    let entries = [
        latin,
        cjk(
            TITLE_FONT,
            "宋体",
            "02000000000000000000",
            "script",
            "variable",
            SIG_GB2312,
        ),
        cjk(
            BODY_FONT,
            "仿宋",
            "02010609030101010101",
            "modern",
            "fixed",
            SIG_GB2312,
        ),
        cjk(
            HEADING2_FONT,
            "楷体",
            "02010609030101010101",
            "modern",
            "fixed",
            SIG_GB2312,
        ),
        // 黑体 and 宋体 are Windows' own: the alternate is the English name.
        cjk(
            HEADING1_FONT,
            "SimHei",
            "02010609060101010101",
            "modern",
            "fixed",
            SIG_WINDOWS_GB,
        ),
        cjk(
            PAGE_NUMBER_FONT,
            "SimSun",
            "02010600030101010101",
            "auto",
            "variable",
            SIG_WINDOWS_GB,
        ),
        cjk(
            "仿宋",
            "FangSong",
            "02010609060101010101",
            "modern",
            "fixed",
            SIG_WINDOWS_GB,
        ),
        cjk(
            "楷体",
            "KaiTi",
            "02010609060101010101",
            "modern",
            "fixed",
            SIG_WINDOWS_GB,
        ),
    ];
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    for f in &entries {
        let alt = f
            .alt
            .map(|a| format!(r#"<w:altName w:val="{a}"/>"#))
            .unwrap_or_default();
        let charset = if f.alt.is_some() { "86" } else { "00" };
        let [usb0, usb1, usb2, usb3, csb0, csb1] = f.sig;
        xml.push_str(&format!(
            r#"<w:font w:name="{}">{alt}<w:panose1 w:val="{}"/><w:charset w:val="{charset}"/><w:family w:val="{}"/><w:pitch w:val="{}"/><w:sig w:usb0="{usb0}" w:usb1="{usb1}" w:usb2="{usb2}" w:usb3="{usb3}" w:csb0="{csb0}" w:csb1="{csb1}"/></w:font>"#,
            f.name, f.panose, f.family, f.pitch
        ));
    }
    xml.push_str("</w:fonts>");
    xml.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gongwen_font_falls_back_to_a_font_every_chinese_windows_has() {
        let table = String::from_utf8(font_table()).unwrap();
        let alt_of = |name: &str| {
            let start = table
                .find(&format!(r#"<w:font w:name="{name}">"#))
                .unwrap_or_else(|| panic!("{name} is in the font table"));
            let entry = &table[start..start + table[start..].find("</w:font>").unwrap()];
            let alt = entry.split(r#"<w:altName w:val=""#).nth(1)?;
            Some(alt[..alt.find('"').unwrap()].to_string())
        };
        assert_eq!(alt_of(TITLE_FONT).as_deref(), Some("宋体"));
        assert_eq!(alt_of(BODY_FONT).as_deref(), Some("仿宋"));
        assert_eq!(alt_of(HEADING2_FONT).as_deref(), Some("楷体"));
        // Every fallback — the fonts every Chinese Windows (Vista to 11) has — is itself
        // described, so Word finds it under either name.
        for fallback in ["宋体", "仿宋", "黑体", "楷体"] {
            assert!(
                table.contains(&format!(r#"<w:font w:name="{fallback}">"#)),
                "{fallback}"
            );
        }
        // GB2312 (bit 18 of csb0) in every Chinese font's signature.
        assert_eq!(table.matches(r#"w:csb0="0004"#).count(), 7, "{table}");
        assert!(table.contains(r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/>"#));
    }

    #[test]
    fn second_level_headings_are_split_at_the_first_full_stop() {
        assert_eq!(
            split_heading2("（一）压实责任。镇党委书记负总责。"),
            Some(("（一）压实责任。", "镇党委书记负总责。"))
        );
        assert_eq!(split_heading2("(二)创新形式"), Some(("(二)创新形式", "")));
        assert_eq!(split_heading2("（2025年）全年"), None);
        assert_eq!(split_heading2("一是压实责任。"), None);
        let long = format!("（三）{}。", "很长的句子".repeat(10));
        assert_eq!(split_heading2(&long), Some((long.as_str(), "")));
    }

    #[test]
    fn long_titles_turn_into_two_balanced_lines() {
        assert_eq!(
            title_lines("双龙镇2026年普法工作总结"),
            ["双龙镇2026年普法工作总结"]
        );
        assert_eq!(
            title_lines("关于2026年民法典宣传月活动开展情况的报告"),
            ["关于2026年民法典宣传月活动", "开展情况的报告"]
        );
        let long = "关于2026年“美好生活·民法典相伴”主题宣传月暨法治文化节系列活动总结的通报";
        let lines = title_lines(long);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.concat(), long);
        assert!(lines
            .iter()
            .all(|l| !l.starts_with('”') && !l.ends_with('“')));
    }

    #[test]
    fn twenty_eight_characters_and_twenty_two_lines_fit_the_text_block() {
        assert_eq!(TEXT_WIDTH, 8844);
        let condensed = (BODY_SIZE as i32 * 10 + CONDENSE) * CHARS_PER_LINE;
        assert!(condensed <= TEXT_WIDTH && condensed + 16 * 20 > TEXT_WIDTH);
        assert!(LINE_PITCH as i32 * 22 <= PAGE_HEIGHT as i32 - MARGIN_TOP - MARGIN_BOTTOM);
        assert_eq!(text_width("2026年11月27日"), 7 * 320);
    }
}
