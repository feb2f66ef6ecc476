use super::*;
use crate::audit::{self, AuditFilter};
use crate::plan;
use serde_json::json;

#[test]
fn json_requests_round_trip() {
    let mut db = Db::open_in_memory().unwrap();
    let info = dispatch(&mut db, json!({"cmd": "app_info"})).unwrap();
    assert_eq!(info["initialized"], false);
    dispatch(
        &mut db,
        json!({"cmd": "setup", "args": {"town": "双龙镇", "villages": ["安静村\n石院村"],
               "user": {"name": "李明", "role": "coordinator"}}}),
    )
    .unwrap();
    let c = dispatch(
        &mut db,
        json!({"cmd": "campaign_create", "args": {"name": "宪法宣传周", "kind": "national",
               "start_date": "2026-12-01", "end_date": "2026-12-07", "audiences": ["residents"]}}),
    )
    .unwrap();
    let got = dispatch(
        &mut db,
        json!({"cmd": "campaign_get", "args": {"id": c["id"]}}),
    )
    .unwrap();
    assert_eq!(got["name"], "宪法宣传周");
    let list = dispatch(&mut db, json!({"cmd": "unit_list", "args": {}})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

fn all_commands() -> Vec<String> {
    let ts = <Request as TS>::inline();
    ts.split("\"cmd\": \"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn every_mutating_command_writes_the_audit_trail() {
    let mut db = Db::open_in_memory().unwrap();
    let audit_rows = |db: &Db| -> i64 {
        db.conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap()
    };
    let mut covered: Vec<String> = Vec::new();
    let mut run = |db: &mut Db, raw: Value| -> Value {
        let cmd = raw["cmd"].as_str().unwrap().to_string();
        // The window checks the files a request names: every command with a path says so.
        let parsed: Request = serde_json::from_value(raw.clone()).unwrap();
        let named = raw["args"].get("path").and_then(Value::as_str);
        let files: Vec<&str> = parsed
            .files()
            .into_iter()
            .map(|f| match f {
                FileUse::Read(p) | FileUse::Write(p) => p,
            })
            .collect();
        assert_eq!(files, named.into_iter().collect::<Vec<_>>(), "{cmd}");
        let before = audit_rows(db);
        let out = dispatch(db, raw).unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let wrote = audit_rows(db) - before;
        assert_eq!(parsed.name(), cmd);
        if !parsed.writes() {
            assert_eq!(wrote, 0, "{cmd} only reads");
        } else {
            assert!(wrote > 0, "{cmd} changed data without an audit row");
        }
        covered.push(cmd);
        out
    };
    run(&mut db, json!({"cmd": "app_info"}));
    run(
        &mut db,
        json!({"cmd": "setup", "args": {"town": "双龙镇", "villages": ["安静村\n石院村"],
        "user": {"name": "李明", "role": "coordinator"}}}),
    );
    let entries = audit::list(&db.conn, &AuditFilter::default()).unwrap();
    assert!(
        entries.iter().all(|e| e.user_name == "李明"),
        "the set-up is the user's"
    );
    run(
        &mut db,
        json!({"cmd": "set_locale", "args": {"locale": "en"}}),
    );
    run(
        &mut db,
        json!({"cmd": "update_user", "args": {"name": "李明明", "role": "coordinator"}}),
    );
    // A second person of this data folder, then back to the first.
    let me = run(&mut db, json!({"cmd": "app_info"}))["user"]["id"].clone();
    run(
        &mut db,
        json!({"cmd": "user_add", "args": {"name": "王领导", "role": "leader"}}),
    );
    let people = run(&mut db, json!({"cmd": "user_list"}));
    assert_eq!(people.as_array().map(Vec::len), Some(2), "{people}");
    let back = run(&mut db, json!({"cmd": "user_switch", "args": {"id": me}}));
    assert_eq!(back["user"]["name"], "李明明", "{back}");
    let u = run(
        &mut db,
        json!({"cmd": "unit_create", "args": {"kind": "school", "name": "双龙小学"}}),
    );
    run(
        &mut db,
        json!({"cmd": "unit_update", "args": {"id": u["id"], "input": {"kind": "school", "name": "双龙中心小学"}}}),
    );
    run(
        &mut db,
        json!({"cmd": "unit_archive", "args": {"id": u["id"], "archived": true}}),
    );
    run(&mut db, json!({"cmd": "unit_list", "args": {}}));
    let p = run(
        &mut db,
        json!({"cmd": "person_create", "args": {"name": "王律师", "role": "lawyer"}}),
    );
    run(
        &mut db,
        json!({"cmd": "person_update", "args": {"id": p["id"], "input": {"name": "王律师", "role": "legal_adviser"}}}),
    );
    run(
        &mut db,
        json!({"cmd": "person_archive", "args": {"id": p["id"], "archived": false}}),
    );
    run(&mut db, json!({"cmd": "person_list", "args": {}}));
    let c = run(
        &mut db,
        json!({"cmd": "campaign_create", "args": {"name": "宪法宣传周", "kind": "national",
        "start_date": "2026-12-01", "end_date": "2026-12-07"}}),
    );
    run(
        &mut db,
        json!({"cmd": "campaign_update", "args": {"id": c["id"], "input": {"name": "宪法宣传周", "kind": "national",
        "start_date": "2026-12-01", "end_date": "2026-12-08"}}}),
    );
    run(
        &mut db,
        json!({"cmd": "campaign_archive", "args": {"id": c["id"], "archived": false}}),
    );
    run(
        &mut db,
        json!({"cmd": "campaign_get", "args": {"id": c["id"]}}),
    );
    run(&mut db, json!({"cmd": "campaign_list", "args": {}}));
    run(
        &mut db,
        json!({"cmd": "keydate_list", "args": {"year": 2026}}),
    );
    run(
        &mut db,
        json!({"cmd": "keydate_override_set", "args": {"node_code": "constitution_week", "year": 2026, "theme": "主题"}}),
    );
    run(
        &mut db,
        json!({"cmd": "keydate_override_clear", "args": {"node_code": "constitution_week", "year": 2026}}),
    );
    let n = run(
        &mut db,
        json!({"cmd": "keydate_node_create", "args": {"name": "农民工法治宣传日",
        "start": {"kind": "fixed", "month": 1, "day": 20}}}),
    );
    run(
        &mut db,
        json!({"cmd": "keydate_node_update", "args": {"id": n["code"], "input": {"name": "农民工法治宣传日",
        "start": {"kind": "fixed", "month": 1, "day": 21}}}}),
    );
    run(&mut db, json!({"cmd": "keydate_node_list"}));
    run(
        &mut db,
        json!({"cmd": "keydate_node_delete", "args": {"id": n["code"]}}),
    );
    let a = run(
        &mut db,
        json!({"cmd": "activity_create", "args": {"input": {"title": "宪法进院坝", "date": "2026-12-02",
        "start_time": "09:00", "end_time": "11:00", "unit_id": "安静村", "campaign_ids": [c["id"]]}}}),
    );
    let a1 = a["activities"][0]["id"].clone();
    let b = run(
        &mut db,
        json!({"cmd": "activity_create", "args": {"input": {"title": "民法典讲座", "date": "2026-12-02",
        "start_time": "10:00", "end_time": "11:00", "unit_id": "安静村"}}}),
    );
    assert_eq!(
        b["conflicts"].as_array().unwrap().len(),
        1,
        "the save reports the clash"
    );
    let conflict = b["conflicts"][0].clone();
    run(
        &mut db,
        json!({"cmd": "activity_update", "args": {"id": a1, "input": {"title": "宪法进院坝（改）", "date": "2026-12-02",
        "unit_id": "安静村"}}}),
    );
    run(
        &mut db,
        json!({"cmd": "activity_reschedule", "args": {"id": a1, "date": "2026-12-03", "start_time": "14:00", "end_time": "15:00"}}),
    );
    run(
        &mut db,
        json!({"cmd": "activity_set_status", "args": {"id": a1, "status": "postponed", "reason": "下雨"}}),
    );
    run(&mut db, json!({"cmd": "activity_get", "args": {"id": a1}}));
    run(&mut db, json!({"cmd": "activity_list", "args": {}}));
    run(&mut db, json!({"cmd": "activity_calendar", "args": {}}));
    run(
        &mut db,
        json!({"cmd": "conflicts_for_activity", "args": {"id": a1}}),
    );
    run(
        &mut db,
        json!({"cmd": "conflict_list", "args": {"year": 2026}}),
    );
    run(
        &mut db,
        json!({"cmd": "conflict_ignore", "args": {"kind": conflict["kind"], "a": conflict["a"], "b": conflict["b"], "ignored": true}}),
    );
    run(
        &mut db,
        json!({"cmd": "activity_delete", "args": {"id": a1}}),
    );
    run(
        &mut db,
        json!({"cmd": "coverage", "args": {"campaign_id": c["id"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "holiday_list", "args": {"year": 2027}}),
    );
    run(
        &mut db,
        json!({"cmd": "holiday_set_year", "args": {"year": 2027, "days": [{"date": "2027-01-01", "name": "元旦"}]}}),
    );
    run(
        &mut db,
        json!({"cmd": "school_calendar_get", "args": {"year": 2027}}),
    );
    run(
        &mut db,
        json!({"cmd": "school_calendar_set", "args": {"year": 2027, "winter_start": "2027-01-30",
        "winter_end": "2027-02-28", "summer_start": "2027-07-10", "summer_end": "2027-08-31"}}),
    );
    run(
        &mut db,
        json!({"cmd": "school_calendar_clear", "args": {"year": 2027}}),
    );
    run(
        &mut db,
        json!({"cmd": "unit_set_market_days", "args": {"unit": "安静村", "market_days": "农历1/4/7"}}),
    );
    run(
        &mut db,
        json!({"cmd": "keydate_confirm", "args": {"node_code": "constitution_week", "year": 2027}}),
    );
    run(&mut db, json!({"cmd": "template_list"}));
    let t = run(
        &mut db,
        json!({"cmd": "template_apply", "args": {"template": "civil_code_month", "year": 2027, "unit_ids": ["石院村"]}}),
    );
    assert_eq!(t["activities"].as_array().unwrap().len(), 1);
    let mut mine: Value =
        serde_json::to_value(plan::find_template(&db.conn, "civil_code_month").unwrap()).unwrap();
    mine["key"] = json!("");
    mine["name"] = json!("我的模板");
    let saved = run(&mut db, json!({"cmd": "template_save", "args": mine}));
    run(
        &mut db,
        json!({"cmd": "template_delete", "args": {"key": saved["key"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "plan_generate", "args": {"year": 2027, "nodes": ["national_security_day"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "plan_copy_year", "args": {"from_year": 2027, "to_year": 2028}}),
    );
    // Records, materials, stock, attachments, drafts.
    let m = run(
        &mut db,
        json!({"cmd": "material_create", "args": {"name": "宪法读本", "unit": "册"}}),
    );
    run(
        &mut db,
        json!({"cmd": "material_update", "args": {"id": m["id"], "input": {"name": "宪法读本", "unit": "册", "low_stock": 10}}}),
    );
    run(&mut db, json!({"cmd": "material_list", "args": {}}));
    run(
        &mut db,
        json!({"cmd": "stock_receive", "args": {"material": "宪法读本", "quantity": 100, "date": "2026-11-01"}}),
    );
    run(
        &mut db,
        json!({"cmd": "stock_transfer", "args": {"material": "宪法读本", "quantity": 30, "date": "2026-11-02", "to_unit_id": "安静村"}}),
    );
    run(&mut db, json!({"cmd": "stock_report"}));
    run(&mut db, json!({"cmd": "stock_movements", "args": {}}));
    let planned = run(
        &mut db,
        json!({"cmd": "activity_create", "args": {"input": {"title": "法治讲座", "date": "2026-11-05", "unit_id": "石院村"}}}),
    );
    run(
        &mut db,
        json!({"cmd": "record_prefill", "args": {"activity_id": planned["activities"][0]["id"]}}),
    );
    let rec = run(
        &mut db,
        json!({"cmd": "record_create", "args": {"title": "宪法进院坝", "date": "2026-11-10", "unit_id": "安静村",
        "formats": ["院坝会"], "participants": 40, "recorder": "李明明",
        "materials": [{"material_id": "宪法读本", "quantity": 10, "unit": "册"}]}}),
    );
    assert_eq!(
        rec["review_status"], "approved",
        "the coordinator's own record"
    );
    run(
        &mut db,
        json!({"cmd": "record_review", "args": {"id": rec["id"], "action": "reopen", "comment": "人数有误"}}),
    );
    run(
        &mut db,
        json!({"cmd": "record_update", "args": {"id": rec["id"], "input": {"title": "宪法进院坝", "date": "2026-11-10", "unit_id": "安静村",
        "formats": ["院坝会"], "participants": 45, "recorder": "李明明"}}}),
    );
    run(
        &mut db,
        json!({"cmd": "record_get", "args": {"id": rec["id"]}}),
    );
    run(&mut db, json!({"cmd": "record_list", "args": {}}));
    let page = run(
        &mut db,
        json!({"cmd": "record_page", "args": {"filter": {"from": "2026-11-01"}, "page": {"limit": 50, "with_totals": true}}}),
    );
    assert_eq!(
        (
            page["rows"].as_array().map(Vec::len),
            page["totals"]["count"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let counts = run(&mut db, json!({"cmd": "record_status_counts", "args": {}}));
    let n = |k: &str| counts[k].as_i64().unwrap();
    assert_eq!(n("pending") + n("returned") + n("approved"), 1);
    let sum = run(
        &mut db,
        json!({"cmd": "summary", "args": {"from": "2026-11-01", "to": "2026-11-30", "include_pending": true}}),
    );
    assert_eq!(
        (sum["activities"].as_i64(), sum["participants"].as_i64()),
        (Some(1), Some(45))
    );
    let pivot = run(
        &mut db,
        json!({"cmd": "pivot", "args": {"filter": {"from": "2026-11-01", "to": "2026-11-30", "include_pending": true},
        "rows": "village", "cols": "material", "measure": "activities"}}),
    );
    assert_eq!(pivot["total"], 1, "{pivot}");
    let out = tempfile::tempdir().unwrap();
    let pivot_xlsx = out.path().join("透视表.xlsx");
    run(
        &mut db,
        json!({"cmd": "export_pivot_xlsx", "args": {"path": pivot_xlsx, "request": {"filter": {"from": "2026-11-01", "to": "2026-11-30"},
        "rows": "month", "measure": "quantity"}}}),
    );
    assert!(pivot_xlsx.is_file());
    let ics = out.path().join("计划.ics");
    run(&mut db, json!({"cmd": "export_ics", "args": {"path": ics}}));
    assert!(std::fs::read_to_string(&ics)
        .unwrap()
        .starts_with("BEGIN:VCALENDAR"));
    let xlsx = out.path().join("计划.xlsx");
    run(
        &mut db,
        json!({"cmd": "export_plan_xlsx", "args": {"year": 2026, "path": xlsx}}),
    );
    assert!(xlsx.is_file());
    let ledger_xlsx = out.path().join("台账.xlsx");
    run(
        &mut db,
        json!({"cmd": "export_ledger_xlsx", "args": {"path": ledger_xlsx}}),
    );
    let csv = out.path().join("台账.csv");
    run(
        &mut db,
        json!({"cmd": "export_csv", "args": {"path": csv, "filter": {"from": "2026-01-01"}}}),
    );
    assert!(std::fs::read(&csv).unwrap().starts_with(b"\xEF\xBB\xBF"));
    let saved = out.path().join("备份.pufabak");
    let made = run(
        &mut db,
        json!({"cmd": "backup_create", "args": {"path": saved}}),
    );
    run(&mut db, json!({"cmd": "backup_list"}));
    let preview = run(
        &mut db,
        json!({"cmd": "backup_inspect", "args": {"path": saved}}),
    );
    assert_eq!(preview["records"], made["records"]);
    run(
        &mut db,
        json!({"cmd": "backup_restore", "args": {"path": saved}}),
    );
    // Word reports and the text people write for them.
    let text = run(
        &mut db,
        json!({"cmd": "report_text_get", "args": {"kind": "annual", "scope": "2026"}}),
    );
    assert_eq!(
        (text["practices"].as_str(), text["from_last_year"].as_bool()),
        (Some(""), Some(false))
    );
    run(
        &mut db,
        json!({"cmd": "report_text_save", "args": {"kind": "campaign", "scope": c["id"],
        "practices": "（一）压实责任。各村明确专人负责。", "problems": "宣传形式单一。"}}),
    );
    let docx = out.path().join("年度总结.docx");
    let report = run(
        &mut db,
        json!({"cmd": "export_report_docx", "args": {"year": 2026, "path": docx}}),
    );
    assert_eq!(
        report["activities"], 0,
        "only approved records count: {report}"
    );
    assert_eq!(report["pending"], 1, "{report}");
    run(
        &mut db,
        json!({"cmd": "export_campaign_docx", "args": {"campaign_id": c["id"], "path": out.path().join("专项.docx")}}),
    );
    assert!(docx.is_file());
    let ledger = run(
        &mut db,
        json!({"cmd": "activity_ledger", "args": {"from": "2026-11-01", "to": "2026-11-30"}}),
    );
    let kinds: Vec<&str> = ledger
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["planned", "record"]);
    let tmp = tempfile::tempdir().unwrap();
    let mut file_db = Db::open_dir(tmp.path()).unwrap();
    dispatch(
        &mut file_db,
        json!({"cmd": "setup", "args": {"town": "双龙镇", "villages": ["安静村"],
        "user": {"name": "李明", "role": "coordinator"}}}),
    )
    .unwrap();
    let frec = dispatch(
        &mut file_db,
        json!({"cmd": "record_create", "args": {"title": "讲座", "date": "2026-11-10",
        "unit_id": "安静村", "formats": ["lecture"], "participants": 40, "recorder": "李明"}}),
    )
    .unwrap();
    let pdf = tmp.path().join("方案.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 test").unwrap();
    let att = run(
        &mut file_db,
        json!({"cmd": "attachment_add", "args": {"record_id": frec["id"], "path": pdf, "kind": "plan"}}),
    );
    run(
        &mut file_db,
        json!({"cmd": "attachment_list", "args": {"record_id": frec["id"]}}),
    );
    let thumb = run(
        &mut file_db,
        json!({"cmd": "attachment_thumbnail", "args": {"id": att["id"]}}),
    );
    let zipped = run(
        &mut file_db,
        json!({"cmd": "export_photos", "args": {"path": tmp.path().join("照片.zip")}}),
    );
    assert_eq!(zipped["count"], 1);
    assert!(thumb.is_null(), "a PDF has no thumbnail");
    run(
        &mut file_db,
        json!({"cmd": "attachment_remove", "args": {"id": att["id"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "draft_save", "args": {"key": "record:new", "body": {"title": "未完成"}}}),
    );
    run(
        &mut db,
        json!({"cmd": "draft_get", "args": {"key": "record:new"}}),
    );
    run(&mut db, json!({"cmd": "draft_list"}));
    run(
        &mut db,
        json!({"cmd": "draft_discard", "args": {"key": "record:new"}}),
    );
    run(
        &mut db,
        json!({"cmd": "record_delete", "args": {"id": rec["id"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "material_archive", "args": {"id": m["id"], "archived": true}}),
    );
    run(
        &mut db,
        json!({"cmd": "campaign_delete", "args": {"id": c["id"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "person_delete", "args": {"id": p["id"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "unit_delete", "args": {"id": u["id"]}}),
    );
    run(
        &mut db,
        json!({"cmd": "audit_list", "args": {"entity": "campaign", "entity_id": c["id"]}}),
    );
    let audit_xlsx = out.path().join("操作记录.xlsx");
    let trail = run(
        &mut db,
        json!({"cmd": "export_audit_xlsx", "args": {"path": audit_xlsx, "since": "2000-01-01"}}),
    );
    assert!(trail["count"].as_u64().unwrap() > 10, "{trail}");
    assert!(audit_xlsx.is_file());
    let bad = dispatch(
        &mut db,
        json!({"cmd": "export_audit_xlsx", "args": {"path": audit_xlsx, "until": "2026年13月1日"}}),
    )
    .unwrap_err();
    assert_eq!(
        (bad.code, bad.field.as_deref()),
        (ErrorCode::InvalidDate, Some("end_date"))
    );
    assert!(bad.message.starts_with("结束日期"), "{}", bad.message);
    run(&mut db, json!({"cmd": "check"}));
    let mut demo_db = Db::open_in_memory().unwrap();
    run(
        &mut demo_db,
        json!({"cmd": "load_demo", "args": {"seed": 1, "year": 2026}}),
    );

    // The history of one campaign: created, changed, deleted — with the changed field.
    let history = audit::list(
        &db.conn,
        &AuditFilter {
            entity: Some("campaign".into()),
            entity_id: c["id"].as_str().map(str::to_string),
            ..Default::default()
        },
    )
    .unwrap();
    let actions: Vec<&str> = history.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "update", "unarchive", "delete"]);
    assert_eq!(
        history[2].changes["end_date"],
        json!(["2026-12-07", "2026-12-08"])
    );
    assert_eq!(history[2].user_name, "李明明");

    // Last (it adds a record the checks above do not expect): the Excel template, a
    // filled-in sheet previewed, then imported.
    let template = out.path().join("活动登记表.xlsx");
    run(
        &mut db,
        json!({"cmd": "import_template", "args": {"path": template}}),
    );
    assert!(template.is_file());
    let filled = out.path().join("安静村11月.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, (head, value)) in [
        ("日期", "2026年11月20日"),
        ("村/社区", "安静村"),
        ("活动名称", "反诈宣传进院坝"),
        ("活动形式", "院坝会"),
        ("参加人数", "60"),
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write(0, c as u16, head).unwrap();
        sheet.write(1, c as u16, value).unwrap();
    }
    book.save(&filled).unwrap();
    let preview = run(
        &mut db,
        json!({"cmd": "import_preview", "args": {"path": filled}}),
    );
    assert_eq!(preview["valid"], 1, "{preview}");
    let imported = run(
        &mut db,
        json!({"cmd": "import_xlsx", "args": {"path": filled}}),
    );
    assert_eq!(imported["imported"], 1, "{imported}");

    // Data packages: the town's package adopted by a second laptop, the same village
    // renamed on both, the second laptop's package merged back → one conflict, resolved.
    let package = out.path().join("双龙镇.pufapkg");
    let exported = run(
        &mut db,
        json!({"cmd": "package_export", "args": {"path": package, "scope": {}}}),
    );
    assert!(
        exported["counts"]["records"].as_u64().unwrap() >= 1,
        "{exported}"
    );
    let mut other = Db::open_in_memory().unwrap();
    let adopted = dispatch(
        &mut other,
        json!({"cmd": "package_import", "args": {"path": package}}),
    )
    .unwrap();
    assert_eq!(adopted["adopted_town"], true, "{adopted}");
    let village: String = db
        .conn
        .query_row("SELECT id FROM unit WHERE name = '安静村'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let rename = |name: &str| json!({"cmd": "unit_update", "args": {"id": village, "input": {"kind": "village", "name": name}}});
    dispatch(&mut other, rename("安静社区")).unwrap();
    run(&mut db, rename("安静村委会"));
    let back = out.path().join("回传.pufapkg");
    dispatch(
        &mut other,
        json!({"cmd": "package_export", "args": {"path": back, "scope": {"since_last": true}}}),
    )
    .unwrap();
    // The other laptop has no user: its package speaks for the town, taken once the user
    // confirmed it is the town's laptop.
    let merged = run(
        &mut db,
        json!({"cmd": "package_import", "args": {"path": back, "trust_device": true}}),
    );
    assert_eq!(merged["conflicts"], 1, "{merged}");
    let open = run(&mut db, json!({"cmd": "sync_conflict_list"}));
    assert_eq!(open[0]["entity"], "unit", "{open}");
    let settled = run(
        &mut db,
        json!({"cmd": "sync_conflict_resolve", "args": {"id": open[0]["id"], "keep": "local"}}),
    );
    assert_eq!(settled["kept"], "local", "{settled}");
    let name: String = db
        .conn
        .query_row("SELECT name FROM unit WHERE id = ?1", [&village], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "安静村委会");

    let all = all_commands();
    assert!(all.len() > 40, "{all:?}");
    for cmd in &all {
        assert!(
            covered.contains(cmd),
            "command {cmd} is not exercised by this test"
        );
    }
}

/// The list's names are what the window sends (serde's snake case of the variant), and the map
/// of answers has one entry per command.
#[test]
fn the_command_list_names_match_the_wire() {
    assert_eq!(all_commands(), commands::NAMES);
    let map = <Responses as TS>::inline();
    for name in commands::NAMES {
        assert!(
            map.contains(&format!("{name}: ")),
            "{name} has no answer type in {map}"
        );
    }
}

/// A delete answers `{"deleted": id}`, as the window and `--json` have always had it.
#[test]
fn typed_answers_serialise_as_before() {
    let mut db = Db::open_in_memory().unwrap();
    dispatch(
        &mut db,
        json!({"cmd": "setup", "args": {"town": "双龙镇", "villages": ["安静村"],
               "user": {"name": "李明", "role": "coordinator"}}}),
    )
    .unwrap();
    let u = dispatch(
        &mut db,
        json!({"cmd": "unit_create", "args": {"kind": "school", "name": "双龙小学"}}),
    )
    .unwrap();
    let gone = dispatch(
        &mut db,
        json!({"cmd": "unit_delete", "args": {"id": u["id"]}}),
    )
    .unwrap();
    assert_eq!(gone, json!({ "deleted": u["id"] }));
    let typed = run(&mut db, Request::AppInfo, &mut |_, _| true).unwrap();
    let info: crate::town::AppInfo = typed.take().unwrap();
    assert_eq!(info.town.map(|t| t.name).as_deref(), Some("双龙镇"));
    let wrong = run(&mut db, Request::AppInfo, &mut |_, _| true).unwrap();
    assert!(wrong.take::<crate::unit::Unit>().is_err());
}

#[test]
fn malformed_requests_are_bad_requests() {
    let mut db = Db::open_in_memory().unwrap();
    for raw in [
        json!({"cmd": "drop_everything"}),
        json!({"cmd": "unit_create", "args": {"x": 1}}),
        json!(42),
    ] {
        assert_eq!(
            dispatch(&mut db, raw).unwrap_err().code,
            ErrorCode::BadRequest
        );
    }
}

#[test]
fn commands_before_setup_say_so() {
    let mut db = Db::open_in_memory().unwrap();
    let e = dispatch(
        &mut db,
        json!({"cmd": "campaign_create", "args": {"name": "周", "kind": "local",
               "start_date": "2026-12-01", "end_date": "2026-12-07"}}),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotInitialized);
}
