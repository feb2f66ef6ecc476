//! The 台账 as CSV.
use super::*;

/// The same rows as CSV, UTF-8 with a BOM and CRLF line ends, as Excel and WPS write CSV on
/// Windows (Notepad before Windows 10 shows LF-only files as one line): every column, then the
/// 合计 and the 统计口径.
pub fn export_csv(conn: &Connection, path: &Path, filter: &RecordFilter) -> Result<Exported> {
    let nodes = NodeNames::load(conn)?;
    let (rows_filter, summary) = scope(conn, filter)?;
    let mut count = 0u32;
    write_atomic(path, |f| {
        let mut out = std::io::BufWriter::new(f);
        out.write_all(b"\xEF\xBB\xBF")
            .map_err(|e| io_error(path, &e))?;
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let csv_err = |e: csv::Error| AppError::new(ErrorCode::Io, format!("写入 CSV 失败：{e}"));
        // Every cell through csv_cell: a cell that starts like a formula is written as text.
        w.write_record(
            csv_headers()
                .iter()
                .map(|h| crate::export::csv_cell(h).into_owned()),
        )
        .map_err(csv_err)?;
        let mut sums = [0i64; NUMBERS];
        let read = |row: &rusqlite::Row| LedgerRow::read(row, &nodes);
        record::for_each_read_ahead(conn, &rows_filter, ledger_select(), read, |r| {
            count += 1;
            for (i, n) in r.numbers.iter().enumerate() {
                sums[i] += n;
            }
            let mut row = vec![count.to_string(), r.date];
            row.extend(r.texts);
            row.extend(r.numbers.iter().map(|n| n.to_string()));
            row.extend([r.materials, r.narrative, r.recorder, r.status.to_string()]);
            w.write_record(row.iter().map(|c| crate::export::csv_cell(c).into_owned()))
                .map_err(csv_err)
        })?;
        let mut total = vec![
            "合计".to_string(),
            String::new(),
            String::new(),
            String::new(),
        ];
        let mut name = format!("{count} 场");
        if let Some(split) = basis::split(summary.basis, &summary_counts(&summary)) {
            name.push_str(&format!("（{split}）"));
        }
        total.push(name);
        total.extend(std::iter::repeat_n(String::new(), 7));
        total.extend(sums.iter().map(|n| n.to_string()));
        total.extend([
            materials_by_unit(&summary),
            String::new(),
            String::new(),
            String::new(),
        ]);
        w.write_record(
            total
                .iter()
                .map(|c| crate::export::csv_cell(c).into_owned()),
        )
        .map_err(csv_err)?;
        w.write_record([crate::export::csv_cell(&summary.basis_line).into_owned()])
            .map_err(csv_err)?;
        w.flush().map_err(|e| io_error(path, &e))?;
        Ok(())
    })?;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}
