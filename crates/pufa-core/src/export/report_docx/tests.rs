use super::*;
use crate::campaign::CampaignInput;
use crate::db::Db;
use crate::error::ErrorCode;
use crate::inventory::{self, MaterialInput};
use crate::record::{MaterialLineInput, RecordInput, ReviewAction};
use crate::reports::{self, SummaryFilter};
use crate::town::UserInput;
use std::collections::HashMap;

/// The XML parts of a .docx, by name.
fn parts(path: &Path) -> HashMap<String, String> {
    crate::testing::zip_entries(path)
        .into_iter()
        .filter(|(name, _)| !name.ends_with('/'))
        .map(|(name, bytes)| (name, String::from_utf8(bytes).expect("XML parts are UTF-8")))
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of a piece of WordprocessingML: runs joined, one line a paragraph.
fn text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        let tag_end = rest[i..].find('>').unwrap() + i;
        let tag = &rest[i + 1..tag_end];
        rest = &rest[tag_end + 1..];
        if tag == "/w:p" {
            out.push('\n');
        } else if (tag == "w:t" || tag.starts_with("w:t ")) && !tag.ends_with('/') {
            let end = rest.find("</w:t>").unwrap();
            out.push_str(&unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// The run properties of the run that holds `needle`.
fn run_props<'a>(xml: &'a str, needle: &str) -> &'a str {
    let at = xml
        .find(&format!(">{needle}</w:t>"))
        .unwrap_or_else(|| panic!("no run with “{needle}”"));
    let start = xml[..at].rfind("<w:r>").unwrap();
    &xml[start..at]
}

/// The paragraph properties of the paragraph that holds `needle`.
fn para_props<'a>(xml: &'a str, needle: &str) -> &'a str {
    let at = xml.find(needle).unwrap();
    let start = xml[..at].rfind("<w:p ").unwrap();
    let end = xml[start..].find("</w:pPr>").unwrap() + start;
    &xml[start..end]
}

/// Every table: rows of cell texts.
fn tables(xml: &str) -> Vec<Vec<Vec<String>>> {
    xml.split("<w:tbl>")
        .skip(1)
        .map(|t| {
            let t = &t[..t.find("</w:tbl>").unwrap()];
            t.split("<w:tr>")
                .skip(1)
                .map(|row| {
                    row.split("<w:tc>")
                        .skip(1)
                        .map(|c| text(c).trim().to_string())
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// 双龙镇 with three villages and a school, the coordinator signed in, a 2025 宪法宣传周
/// campaign and three approved records: 3 场次, 600 participants, reach 4,960, 3,050 份 of
/// two leaflets, 150 bags; one more record waiting for review.
struct Fixture {
    db: Db,
    campaign: String,
}

fn fixture() -> Fixture {
    let mut db = crate::testing::town(&["安静村", "石院村", "长安村"], &["双龙镇中心小学"]);
    crate::town::update_user(
        &mut db,
        &UserInput {
            name: "王芳".into(),
            role: "coordinator".into(),
            village: None,
        },
    )
    .unwrap();
    let campaign = crate::campaign::create(
        &mut db,
        &CampaignInput {
            name: "2025年宪法宣传周活动".into(),
            kind: "national".into(),
            start_date: "2025-12-01".into(),
            end_date: "2025-12-07".into(),
            themes: vec!["大力弘扬宪法精神".into()],
            nodes: vec!["constitution_week".into()],
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    for (name, unit) in [
        ("宪法宣传折页", "份"),
        ("宪法宣传单", "份"),
        ("环保袋", "个"),
    ] {
        inventory::create_material(
            &mut db,
            &MaterialInput {
                name: name.into(),
                unit: unit.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let line = |name: &str, quantity: f64, unit: &str| MaterialLineInput {
        material_id: Some(name.into()),
        quantity,
        unit: Some(unit.into()),
        ..Default::default()
    };
    let record = |title: &str, date: &str, unit: &str, participants: f64, reach: f64| RecordInput {
        title: title.into(),
        date: date.into(),
        unit_id: Some(unit.into()),
        formats: vec!["street_campaign".into()],
        audiences: vec!["residents".into()],
        participants,
        reach: Some(reach),
        recorder: "王芳".into(),
        confirm_below_zero: true,
        ..Default::default()
    };
    let mut create = |input: RecordInput| record::create(&mut db, &input).unwrap();
    create(RecordInput {
        campaign_ids: vec![campaign.clone()],
        nodes: vec!["constitution_week".into()],
        counts: crate::record::RecordCountsInput {
            consultations: Some(30.0),
            banners: Some(2.0),
            boards: Some(6.0),
            ..Default::default()
        },
        materials: vec![
            line("宪法宣传折页", 2000.0, "份"),
            line("环保袋", 150.0, "个"),
        ],
        ..record(
            "“宪法进万家”集中宣传",
            "2025-12-02",
            "安静村",
            120.0,
            1500.0,
        )
    });
    create(RecordInput {
        campaign_ids: vec![campaign.clone()],
        nodes: vec!["constitution_week".into()],
        materials: vec![line("宪法宣传单", 1050.0, "份")],
        ..record("宪法宣传院坝会", "2025-12-04", "石院村", 80.0, 2000.0)
    });
    create(RecordInput {
        nodes: vec!["civil_code_month".into()],
        formats: vec!["lecture".into()],
        audiences: vec!["students".into()],
        ..record(
            "民法典进校园",
            "2025-05-20",
            "双龙镇中心小学",
            400.0,
            1460.0,
        )
    });
    let pending = create(RecordInput {
        campaign_ids: vec![campaign.clone()],
        ..record("未审核的活动", "2025-12-05", "长安村", 999.0, 9999.0)
    })
    .id;
    record::review(&mut db, &pending, ReviewAction::Reopen, Some("人数待核实")).unwrap();
    Fixture { db, campaign }
}

#[test]
fn the_annual_summary_has_the_gongwen_page_fonts_and_numbers() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("年度总结.docx");
    let out = export_annual(&f.db.conn, &path, 2025, false).unwrap();
    assert_eq!(
        (out.activities, out.pending, out.tables),
        (3, 1, 3),
        "{out:?}"
    );
    assert!(out.paragraphs > 15, "{out:?}");
    let p = parts(&path);
    let doc = &p["word/document.xml"];

    // Page: A4, margins 37/35/28/26 mm, 22 lines of 579 twips.
    assert!(
        doc.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#),
        "{doc}"
    );
    assert!(doc.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588""#));
    assert!(doc.contains(r#"w:linePitch="579""#));
    let styles = &p["word/styles.xml"];
    assert!(
        styles.contains(r#"w:line="579" w:lineRule="exact""#),
        "{styles}"
    );

    // Title 二号 小标宋, centred; body 三号 仿宋 with Times New Roman digits; headings.
    let title = run_props(doc, "双龙镇2025年普法工作总结");
    assert!(title.contains(r#"<w:sz w:val="44" />"#), "{title}");
    assert!(title.contains(r#"w:eastAsia="方正小标宋简体""#), "{title}");
    assert!(para_props(doc, "双龙镇2025年普法工作总结").contains(r#"<w:jc w:val="center" />"#));
    let heading = run_props(doc, "一、基本情况");
    assert!(heading.contains(r#"w:eastAsia="黑体""#), "{heading}");
    assert!(heading.contains(r#"<w:sz w:val="32" />"#), "{heading}");
    let all = text(doc);
    let totals = all
        .lines()
        .find(|l| l.contains("共开展各类普法活动"))
        .unwrap();
    let body = run_props(doc, totals);
    assert!(body.contains(r#"w:eastAsia="仿宋_GB2312""#), "{body}");
    assert!(body.contains(r#"w:ascii="Times New Roman""#), "{body}");
    assert!(body.contains(r#"<w:sz w:val="32" />"#), "{body}");
    assert!(para_props(doc, totals).contains(r#"w:firstLine="640""#));

    // The numbers as reports write them: 场次 exact, 近/余 for large totals, 种 for titles.
    assert_eq!(
        totals,
        "2025年，全镇共开展各类普法活动3场次，参与群众600人，受教育群众近5000人次，\
         现场解答法律咨询30人次。"
    );
    for expected in [
        "发放宪法宣传折页、宪法宣传单等宣传资料2种3000余份，环保袋150个；",
        "悬挂横幅2条，摆放展板6块。",
        "围绕宪法宣传周开展活动2场次，围绕民法典宣传月开展活动1场次",
        // 长安村's record waits for review: it is not "尚未开展".
        "活动覆盖全镇3个村（社区）中的2个，长安村的活动记录待审核。",
        "（请填写主要做法）",
        "附件：2025年普法活动统计表",
        "双龙镇人民政府",
    ] {
        assert!(all.contains(expected), "missing “{expected}” in:\n{all}");
    }
    assert!(!all.contains("999"), "the pending record is not counted");
    assert!(!all.contains("尚未开展"), "{all}");
    assert!(
        all.contains("注：统计口径：已审核通过的活动记录（另有待审核 1 场未计入）"),
        "{all}"
    );
    let today = full_date_cn(chrono::Local::now().date_naive());
    assert!(all.contains(&today), "{all}");
    assert!(para_props(doc, &today).contains(r#"<w:jc w:val="right" />"#));

    // The 附件 on a new page: the tables add up to the totals.
    assert!(doc.contains(r#"<w:br w:type="page" />"#));
    let t = tables(doc);
    assert_eq!(t.len(), 3);
    assert_eq!(
        doc.matches("<w:tblHeader />").count(),
        3,
        "heading rows repeat"
    );
    assert_eq!(
        t[0][0],
        ["活动专项（普法节点）", "场次", "参加人数", "受众人次"]
    );
    assert_eq!(t[0][1], ["2025年宪法宣传周活动", "2", "200", "3500"]);
    assert_eq!(t[0][2], ["民法典宣传月", "1", "400", "1460"]);
    for table in &t[..2] {
        let total = table.last().unwrap();
        assert_eq!(total, &["合计", "3", "600", "4960"]);
        for col in 1..4 {
            let sum: i64 = table[1..table.len() - 1]
                .iter()
                .map(|r| r[col].parse::<i64>().unwrap())
                .sum();
            assert_eq!(sum.to_string(), total[col], "column {col}");
        }
    }
    let villages: Vec<&str> = t[1].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        villages,
        [
            "村（社区）/单位",
            "安静村",
            "石院村",
            "长安村（待审核 1 场）",
            "双龙镇中心小学",
            "合计"
        ]
    );
    // The materials: a 合计 per unit, never 份 and 个 added together.
    assert_eq!(
        t[2][t[2].len() - 2..],
        [
            ["合计（宣传资料，2种）", "份", "3050"],
            ["合计（宣传品，1种）", "个", "150"]
        ]
    );
    let cell = run_props(doc, "民法典宣传月");
    assert!(cell.contains(r#"<w:sz w:val="28" />"#), "{cell}");

    // Page numbers "— N —" in 四号 宋体, right on odd pages, left on even ones.
    let settings = &p["word/settings.xml"];
    assert!(settings.contains("<w:evenAndOddHeaders />"), "{settings}");
    let footers: Vec<&String> = p
        .iter()
        .filter(|(k, _)| k.starts_with("word/footer") && k.ends_with(".xml"))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(footers.len(), 2);
    for footer in &footers {
        assert!(
            footer.contains("<w:instrText>PAGE</w:instrText>"),
            "{footer}"
        );
        assert_eq!(text(footer).trim(), "— 1 —");
        let props = run_props(footer, "— ");
        assert!(props.contains(r#"w:eastAsia="宋体""#) && props.contains(r#"<w:sz w:val="28" />"#));
    }
    assert!(footers
        .iter()
        .any(|f| f.contains(r#"<w:jc w:val="right" />"#)));
    assert!(footers
        .iter()
        .any(|f| f.contains(r#"<w:jc w:val="left" />"#)));
    assert!(doc.contains(r#"<w:footerReference w:type="even""#));
    // Missing fonts fall back to their common relatives in Word and WPS.
    assert!(p["word/fontTable.xml"]
        .contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
}

#[test]
fn saved_text_fills_the_parts_people_write() {
    let mut f = fixture();
    report_text_save(
        &mut f.db,
        &ReportTextInput {
            kind: ReportKind::Annual,
            scope: "2025".into(),
            practices: "（一）压实责任。镇党委书记负总责，各村明确专人。\n\n一是抓好节点宣传。"
                .into(),
            problems: "宣传形式还比较单一。".into(),
            plans: String::new(),
            issuer: "双龙镇司法所".into(),
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("总结.docx");
    export_annual(&f.db.conn, &path, 2025, false).unwrap();
    let doc = &parts(&path)["word/document.xml"];
    let heading = run_props(doc, "（一）压实责任。");
    assert!(heading.contains(r#"w:eastAsia="楷体_GB2312""#), "{heading}");
    let rest = run_props(doc, "镇党委书记负总责，各村明确专人。");
    assert!(rest.contains(r#"w:eastAsia="仿宋_GB2312""#), "{rest}");
    let all = text(doc);
    assert!(all.contains("\n一是抓好节点宣传。\n"), "{all}");
    assert!(all.contains("\n宣传形式还比较单一。\n"), "{all}");
    assert!(all.contains("（请填写下一步工作打算）"), "{all}");
    assert!(
        all.contains("\n双龙镇司法所\n") && !all.contains("人民政府"),
        "{all}"
    );
}

#[test]
fn the_campaign_report_covers_its_window_villages_and_records() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("专项.docx");
    let out = export_campaign(&f.db.conn, &path, &f.campaign, false).unwrap();
    assert_eq!((out.activities, out.pending), (2, 1));
    let doc = &parts(&path)["word/document.xml"];
    let all = text(doc);
    // The campaign's name in quotation marks; the title breaks over two lines.
    let at = doc.find(">关于2025年“宪法宣传周”").expect("the title");
    let first_line = &doc[at + 1..at + doc[at..].find("</w:t>").unwrap()];
    assert!(
        all.replace('\n', "")
            .contains("关于2025年“宪法宣传周”活动开展情况的报告"),
        "{all}"
    );
    let title = run_props(doc, first_line);
    assert!(title.contains(r#"w:eastAsia="方正小标宋简体""#));
    for expected in [
        // The theme is the node's published theme of the year, not the campaign's laws.
        "于2025年12月1日—12月7日以“学习宣传贯彻习近平法治思想，推动宪法深入人心”为主题，\
         组织开展2025年“宪法宣传周”活动。",
        "活动期间，全镇共开展各类普法活动2场次，参与群众200人，受教育群众3500人次",
        "等宣传资料2种3000余份",
        "活动覆盖全镇3个村（社区）中的2个，长安村的活动记录待审核。",
        "附件：2025年宪法宣传周活动统计表",
        "双龙镇司法所",
    ] {
        assert!(all.contains(expected), "missing “{expected}” in:\n{all}");
    }
    let t = tables(doc);
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].last().unwrap(), &["合计", "2", "200", "3500"]);
    let detail = &t[1];
    assert_eq!(
        detail[1][1..4],
        ["12月2日", "安静村", "“宪法进万家”集中宣传"]
    );
    assert_eq!(
        detail.last().unwrap(),
        &["合计", "", "", "2场次", "200", "3500"]
    );
    assert!(!all.contains("未审核的活动"));
}

#[test]
fn empty_periods_and_unknown_campaigns_give_a_valid_document_or_a_clear_error() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2030.docx");
    let out = export_annual(&f.db.conn, &path, 2030, false).unwrap();
    assert_eq!((out.activities, out.pending), (0, 0));
    let p = parts(&path);
    let all = text(&p["word/document.xml"]);
    assert!(all.contains("本年度尚无已审核通过的活动记录。"), "{all}");
    assert!(!all.contains("共开展"));
    let t = tables(&p["word/document.xml"]);
    assert_eq!(t[0].last().unwrap(), &["合计", "0", "0", "0"]);
    assert!(docx_rs::read_docx(&std::fs::read(&path).unwrap()).is_ok());

    // A campaign without approved records.
    let empty = crate::campaign::create(
        &mut f.db,
        &CampaignInput {
            name: "2025年国家安全教育日活动".into(),
            kind: "national".into(),
            start_date: "2025-04-15".into(),
            end_date: "2025-04-15".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let path = dir.path().join("空专项.docx");
    export_campaign(&f.db.conn, &path, &empty.id, false).unwrap();
    let all = text(&parts(&path)["word/document.xml"]);
    assert!(all.contains("该专项尚无已审核通过的活动记录。"), "{all}");
    // No node, so no published theme: the theme sentence is left out.
    assert!(
        all.contains("于2025年4月15日组织开展2025年“国家安全教育日”活动。"),
        "{all}"
    );
    assert!(!all.contains("为主题"), "{all}");

    // Unknown campaign, impossible year: an error, and no file.
    let missing = dir.path().join("无.docx");
    let e = export_campaign(&f.db.conn, &missing, "没有这个专项", false).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let e = export_annual(&f.db.conn, &missing, 99, false).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidValue, Some("year"))
    );
    assert!(!missing.exists());
    // A folder that does not exist: the export's usual message.
    let e = export_annual(
        &f.db.conn,
        &dir.path().join("无此文件夹/a.docx"),
        2025,
        false,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"));
}

#[test]
fn report_text_is_saved_audited_and_offered_from_last_year() {
    let mut f = fixture();
    let got = report_text_get(&f.db.conn, ReportKind::Annual, "2026").unwrap();
    assert_eq!(
        (got.year, got.from_last_year, got.updated_at),
        (2026, false, None)
    );
    let save = |db: &mut Db, kind, scope: &str, practices: &str| {
        report_text_save(
            db,
            &ReportTextInput {
                kind,
                scope: scope.into(),
                practices: practices.into(),
                problems: "队伍力量薄弱。".into(),
                plans: "加强阵地建设。".into(),
                issuer: String::new(),
            },
        )
    };
    let saved = save(&mut f.db, ReportKind::Annual, " 2025 ", "去年的做法。").unwrap();
    assert_eq!((saved.scope.as_str(), saved.year), ("2025", 2025));
    assert!(saved.updated_at.is_some());
    let next = report_text_get(&f.db.conn, ReportKind::Annual, "2026").unwrap();
    assert!(next.from_last_year);
    assert_eq!((next.scope.as_str(), next.year), ("2026", 2026));
    assert_eq!(next.practices, "去年的做法。");
    assert_eq!(next.updated_at, None);
    // Once saved, this year's text is its own; the export of 2026 does not use last year's.
    let own = save(&mut f.db, ReportKind::Annual, "2025", "改过的做法。").unwrap();
    assert_eq!(own.practices, "改过的做法。");
    assert!(
        !report_text_get(&f.db.conn, ReportKind::Annual, "2025")
            .unwrap()
            .from_last_year
    );

    // A campaign starts from last year's campaign of the same node.
    save(
        &mut f.db,
        ReportKind::Campaign,
        &f.campaign,
        "宪法周的做法。",
    )
    .unwrap();
    let next_week = crate::campaign::create(
        &mut f.db,
        &CampaignInput {
            name: "2026年宪法宣传周".into(),
            kind: "national".into(),
            start_date: "2026-12-01".into(),
            end_date: "2026-12-07".into(),
            nodes: vec!["constitution_week".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let t = report_text_get(&f.db.conn, ReportKind::Campaign, &next_week.id).unwrap();
    assert!(t.from_last_year);
    assert_eq!((t.practices.as_str(), t.year), ("宪法周的做法。", 2026));

    // Every save is in the trail.
    let rows: Vec<(String, String)> =
        f.db.conn
            .prepare(
                "SELECT action, summary FROM audit_log WHERE entity = 'report_text' ORDER BY rowid",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].0, "create");
    assert_eq!(rows[1].0, "update");
    assert!(rows[0].1.contains("2025年普法工作总结"), "{rows:?}");
    assert!(rows[2].1.contains("2025年宪法宣传周活动"), "{rows:?}");

    // Bad input: too long, bad scope, unknown campaign.
    let e = save(
        &mut f.db,
        ReportKind::Annual,
        "2025",
        &"很".repeat(texts::MAX_BLOCK + 1),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::TooLong, Some("practices"))
    );
    assert!(e.message.starts_with("主要做法过长"), "{}", e.message);
    let e = save(&mut f.db, ReportKind::Annual, "明年", "x").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidValue, Some("scope"))
    );
    let e = report_text_get(&f.db.conn, ReportKind::Campaign, "没有这个专项").unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let e = report_text_save(
        &mut f.db,
        &ReportTextInput {
            kind: ReportKind::Annual,
            scope: "2025".into(),
            issuer: "双龙镇\n司法所".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("issuer"));
}

#[test]
fn the_demo_year_reads_like_a_report() {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 4, 2026);
    let s = reports::summary(
        &db.conn,
        &SummaryFilter {
            from: "2026-01-01".into(),
            to: "2026-12-31".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let mut bytes = Vec::new();
    pack(
        annual_report(&db.conn, 2026, &ReportText::default(), false).unwrap(),
        &mut bytes,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.docx");
    std::fs::write(&path, &bytes).unwrap();
    let all = text(&parts(&path)["word/document.xml"]);
    assert!(all.contains(&format!("共开展各类普法活动{}场次", s.activities)));
    assert!(all.contains(&format!("受教育群众{}人次", approx(s.reach))));
    assert!(all.contains("“4·15”全民国家安全教育日"), "{all}");
    assert!(all.contains("实现“每村至少一次”全覆盖") || all.contains("尚未开展活动"));
    let campaign = &s.by_campaign[0];
    let mut bytes = Vec::new();
    pack(
        campaign_report(&db.conn, &campaign.key, &ReportText::default(), false).unwrap(),
        &mut bytes,
    )
    .unwrap();
    assert!(bytes.starts_with(b"PK"));
}

/// The report reads the records in one pass of its own: its numbers are summary()'s.
#[test]
fn the_report_counts_what_the_dashboard_counts() {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 6, 2026);
    let year = ("2026-01-01", "2026-12-31");
    let whole = reports::summary(
        &db.conn,
        &SummaryFilter {
            from: year.0.into(),
            to: year.1.into(),
            ..Default::default()
        },
    )
    .unwrap();
    let mut scopes = vec![(year.0, year.1, None)];
    for c in &whole.by_campaign {
        scopes.push((ALL_FROM, ALL_TO, Some(c.key.as_str())));
    }
    scopes.push(("2026-03-01", "2026-03-31", None));
    for (from, to, campaign) in scopes {
        let s = reports::summary(
            &db.conn,
            &SummaryFilter {
                from: from.into(),
                to: to.into(),
                campaign_id: campaign.map(str::to_string),
                ..Default::default()
            },
        )
        .unwrap();
        let f = facts(&db.conn, from, to, campaign, Basis::Approved).unwrap();
        let t = &f.summary;
        let scope = format!("{from}..{to} {campaign:?}");
        assert_eq!(
            [
                t.activities,
                t.participants,
                t.reach,
                t.counts.consultations,
                t.counts.banners,
                t.counts.boards,
                t.counts.vehicles,
                t.counts.online_posts,
                t.counts.online_views,
                t.counts.disputes,
                t.counts.legal_aid_cases
            ],
            [
                s.activities,
                s.participants,
                s.reach,
                s.counts.consultations,
                s.counts.banners,
                s.counts.boards,
                s.counts.vehicles,
                s.counts.online_posts,
                s.counts.online_views,
                s.counts.disputes,
                s.counts.legal_aid_cases
            ],
            "{scope}"
        );
        assert_eq!(t.materials, s.materials, "{scope}");
        assert_eq!(t.by_node, s.by_node, "{scope}");
        assert_eq!(t.by_format, s.by_format, "{scope}");
        assert_eq!(t.by_audience, s.by_audience, "{scope}");
        assert_eq!(t.by_village, s.by_village, "{scope}");
        assert_eq!(f.summary.villages_without, s.villages_without, "{scope}");
        let grouped: i64 = f.groups.iter().map(|g| g.reach).sum();
        assert_eq!(grouped, s.reach, "{scope}");
    }
}

#[test]
fn labels_read_well_in_running_text() {
    assert_eq!(
        in_text("4·15全民国家安全教育日"),
        "“4·15”全民国家安全教育日"
    );
    assert_eq!(in_text("12·4国家宪法日"), "“12·4”国家宪法日");
    assert_eq!(in_text("村(居)民"), "村（居）民");
    assert_eq!(in_text("宪法宣传周"), "宪法宣传周");
    assert_eq!(in_text("2026年民法典宣传月"), "2026年民法典宣传月");
}

#[test]
fn node_groups_read_as_reports_write_them() {
    let g = |labels: &[&str], same_records| reports::NodeGroup {
        codes: Vec::new(),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        same_records,
        activities: 13,
    };
    assert_eq!(
        node_group_text(&g(&["12·4国家宪法日", "宪法宣传周"], true)),
        "“12·4”国家宪法日暨宪法宣传周"
    );
    assert_eq!(
        node_group_text(&g(&["民法典宣传月", "4·15全民国家安全教育日"], false)),
        "民法典宣传月、“4·15”全民国家安全教育日"
    );
    assert_eq!(
        node_group_text(&g(
            &["宪法宣传周", "12·4国家宪法日", "12·2全国交通安全日"],
            true
        )),
        "宪法宣传周、“12·4”国家宪法日、“12·2”全国交通安全日"
    );
    assert_eq!(
        node_group_text(&g(&["甲", "乙", "丙", "丁"], false)),
        "甲、乙、丙等节点"
    );
    assert_eq!(
        node_group_text(&g(&["春风行动·返岗务工送法"], true)),
        "“春风行动·返岗务工送法”"
    );
}

#[test]
fn formats_and_audiences_never_imply_more_activities_than_held() {
    let b = |label: &str, activities| Breakdown {
        key: label.into(),
        label: label.into(),
        activities,
        participants: 0,
        reach: 0,
    };
    let mut s = crate::reports::summary(
        &fixture().db.conn,
        &SummaryFilter {
            from: "2025-01-01".into(),
            to: "2025-12-31".into(),
            ..Default::default()
        },
    )
    .unwrap();
    s.activities = 15;
    s.by_format = vec![b("院坝会", 13), b("集中宣传", 13), b("法治讲座", 2)];
    s.by_audience = vec![b("村（居）民", 15)];
    assert_eq!(
        forms_sentence(&s).unwrap(),
        "活动形式以院坝会、集中宣传、法治讲座等为主，重点面向村（居）民（15场次）等群体。"
    );
    s.by_format = vec![b("院坝会", 10), b("法治讲座", 5)];
    assert!(forms_sentence(&s)
        .unwrap()
        .starts_with("活动形式以院坝会（10场次）、法治讲座（5场次）等为主"));
}

#[test]
fn the_annual_report_says_how_many_volunteers_took_part_only_when_some_did() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("年度总结.docx");
    export_annual(&f.db.conn, &path, 2025, false).unwrap();
    assert!(!text(&parts(&path)["word/document.xml"]).contains("普法志愿者参与"));
    record::create(
        &mut f.db,
        &RecordInput {
            title: "法律明白人入户宣讲".into(),
            date: "2025-06-10".into(),
            unit_id: Some("安静村".into()),
            formats: vec!["lecture".into()],
            participants: 30.0,
            recorder: "王芳".into(),
            counts: crate::record::RecordCountsInput {
                volunteers: Some(9.0),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    export_annual(&f.db.conn, &path, 2025, false).unwrap();
    let doc = text(&parts(&path)["word/document.xml"]);
    assert!(
        doc.contains("组织法律明白人、普法志愿者参与9人次。"),
        "{doc}"
    );
}
