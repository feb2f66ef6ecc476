//! The 附件 tables of a report.
use super::*;

pub(super) const BREAKDOWN_COLUMNS: [Column; 4] = [
    Column {
        title: "",
        width: 4044,
        numeric: false,
    },
    Column {
        title: "场次",
        width: 1400,
        numeric: true,
    },
    Column {
        title: "参加人数",
        width: 1700,
        numeric: true,
    },
    Column {
        title: "受众人次",
        width: 1700,
        numeric: true,
    },
];

/// A table of breakdown rows with their 合计; `first` heads the label column.
pub(super) fn breakdown_table(doc: &mut Document, first: &'static str, rows: &[Breakdown]) {
    let mut columns = BREAKDOWN_COLUMNS;
    columns[0].title = first;
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|b| {
            vec![
                b.label.clone(),
                b.activities.to_string(),
                b.participants.to_string(),
                b.reach.to_string(),
            ]
        })
        .collect();
    let sum = |f: fn(&Breakdown) -> i64| rows.iter().map(f).sum::<i64>().to_string();
    let total = [
        "合计".to_string(),
        sum(|b| b.activities),
        sum(|b| b.participants),
        sum(|b| b.reach),
    ];
    doc.table(&columns, &body, Some(&total), gongwen::SMALL_SIZE);
}

pub(super) fn materials_table(doc: &mut Document, s: &Summary) {
    let columns = [
        Column {
            title: "资料名称",
            width: 4444,
            numeric: false,
        },
        Column {
            title: "单位",
            width: 1400,
            numeric: true,
        },
        Column {
            title: "数量",
            width: 3000,
            numeric: true,
        },
    ];
    let mut rows: Vec<Vec<String>> = s
        .materials
        .iter()
        .map(|m| vec![m.name.clone(), m.unit.clone(), m.quantity.to_string()])
        .collect();
    // A 合计 per unit: 份 and 册 are never added together, so no single 合计 row.
    for u in &s.material_units {
        rows.push(vec![
            format!("合计（{}，{}种）", u.label, u.kinds),
            u.unit.clone(),
            u.quantity.to_string(),
        ]);
    }
    doc.table(&columns, &rows, None, gongwen::SMALL_SIZE);
}

/// The note under the 附件 tables: the basis and what the counts mean.
pub(super) fn note(s: &Summary) -> String {
    format!(
        "注：{}；参加人数为到场人数，受众人次含线上线下受教育群众；一场活动只计入一个活动专项。",
        s.basis_line
    )
}
