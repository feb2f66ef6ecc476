//! `pivot`: the 透视表 as an aligned text table (or JSON), and the options `export pivot-xlsx`
//! shares with it.

use chrono::Datelike;
use pufa_core::api::{Request, Response};
use pufa_core::reports::pivot::{Dim, Measure, PivotRequest, PivotTable};
use pufa_core::reports::SummaryFilter;
use pufa_core::AppError;

fn dim_of(field: &'static str) -> impl Fn(&str) -> Result<Dim, String> + Clone {
    move |s| Dim::parse(field, s).map_err(|e| e.message)
}

fn measure_of(s: &str) -> Result<Measure, String> {
    Measure::parse("measure", s).map_err(|e| e.message)
}

#[derive(clap::Args, Debug)]
pub struct PivotArgs {
    /// 行：month | campaign | node | village | audience | format | law | material（也可写中文，如 村、月份、法律）
    #[arg(long, value_parser = dim_of("rows"))]
    rows: Dim,
    /// 列（同上；不给则只有合计一列）
    #[arg(long, value_parser = dim_of("cols"))]
    cols: Option<Dim>,
    /// 统计：activities（场次）| participants（参加人数）| reach（受众人次）| consultations（咨询人次）| quantity（资料发放数量）
    #[arg(long, value_parser = measure_of, default_value = "activities")]
    measure: Measure,
    /// 开始日期（默认今年1月1日）
    #[arg(long)]
    from: Option<String>,
    /// 结束日期（默认今年12月31日）
    #[arg(long)]
    to: Option<String>,
    /// 村/单位名称
    #[arg(long)]
    village: Option<String>,
    /// 活动专项编号
    #[arg(long)]
    campaign: Option<String>,
    /// 把待审核的记录也计入
    #[arg(long)]
    include_pending: bool,
}

impl PivotArgs {
    pub fn request(self) -> PivotRequest {
        let year = chrono::Local::now().year();
        PivotRequest {
            filter: SummaryFilter {
                from: self.from.unwrap_or_else(|| format!("{year}-01-01")),
                to: self.to.unwrap_or_else(|| format!("{year}-12-31")),
                village: self.village,
                campaign_id: self.campaign,
                include_pending: self.include_pending,
                basis: None,
                search: None,
            },
            rows: self.rows,
            cols: self.cols,
            measure: self.measure,
        }
    }
}

pub fn pivot(args: PivotArgs) -> Request {
    Request::Pivot(args.request())
}

/// Width on a terminal: CJK and full-width characters take two columns.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            let wide = (0x1100..=0x115F).contains(&c)
                || (0x2E80..=0xA4CF).contains(&c)
                || (0xAC00..=0xD7A3).contains(&c)
                || (0xF900..=0xFAFF).contains(&c)
                || (0xFE30..=0xFE4F).contains(&c)
                || (0xFF00..=0xFF60).contains(&c)
                || (0xFFE0..=0xFFE6).contains(&c)
                || (0x20000..=0x3FFFD).contains(&c);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad_left(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(display_width(s))))
}

fn pad_right(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(display_width(s))))
}

/// The table as lines of text: the title, the header, the rows and 合计, columns aligned.
pub fn render(t: &PivotTable) -> Vec<String> {
    let corner = pufa_core::export::pivot_xlsx::corner(t);
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut head = vec![corner];
    head.extend(t.col_labels.iter().map(|l| l.label.clone()));
    head.push(pufa_core::export::pivot_xlsx::total_heading(t).to_string());
    grid.push(head);
    for (r, l) in t.row_labels.iter().enumerate() {
        let mut line = vec![l.label.clone()];
        line.extend(t.cells[r].iter().map(i64::to_string));
        line.push(pufa_core::export::pivot_xlsx::total_text(t.row_totals[r]));
        grid.push(line);
    }
    let mut foot = vec!["合计".to_string()];
    foot.extend(
        t.col_totals
            .iter()
            .map(|v| pufa_core::export::pivot_xlsx::total_text(*v)),
    );
    foot.push(pufa_core::export::pivot_xlsx::total_text(t.total));
    grid.push(foot);
    let columns = grid[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            grid.iter()
                .map(|row| display_width(&row[c]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = vec![t.title.clone()];
    for row in &grid {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| {
                if c == 0 {
                    pad_right(v, widths[0])
                } else {
                    pad_left(v, widths[c])
                }
            })
            .collect();
        out.push(cells.join("  ").trim_end().to_string());
    }
    out.push(t.basis_line.clone());
    if !t.note.is_empty() {
        out.push(t.note.clone());
    }
    out
}

pub fn print(response: Response) -> Result<(), AppError> {
    let t: PivotTable = response.take()?;
    for line in render(&t) {
        println!("{line}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double_and_columns_line_up() {
        assert_eq!(display_width("安静村"), 6);
        assert_eq!(display_width("2026年3月"), 9);
        assert_eq!(display_width("（未填）"), 8);
        assert_eq!(pad_left("12", 5), "   12");
        assert_eq!(pad_right("村", 4), "村  ");
    }
}
