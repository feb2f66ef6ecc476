use super::*;
use crate::api::dispatch;
use serde_json::json;

#[test]
fn the_demo_trail_has_labels_for_every_field() {
    let mut db = crate::db::Db::open_in_memory().unwrap();
    crate::demo::load_town(&mut db, 2, 2026);
    let names = Names::load(&db.conn).unwrap();
    let mut raw: Vec<String> = Vec::new();
    audit::for_each(&db.conn, None, None, |e, _| {
        for l in lines_with(&db.conn, &names, &e) {
            if l.label == l.field {
                raw.push(format!("{}.{}", e.entity, l.field));
            }
        }
        assert_ne!(audit::entity_label(&e.entity), "记录", "{}", e.entity);
        assert_ne!(audit::action_label(&e.action), "更改", "{}", e.action);
        Ok(())
    })
    .unwrap();
    raw.sort();
    raw.dedup();
    assert!(raw.is_empty(), "fields without a Chinese label: {raw:?}");
}

#[test]
fn deleted_things_keep_their_names() {
    let mut db = crate::testing::town(&["安静村"], &[]);
    let c = dispatch(
        &mut db,
        json!({"cmd": "campaign_create", "args": {"name": "民法典宣传月", "kind": "national",
            "start_date": "2026-05-01", "end_date": "2026-05-31"}}),
    )
    .unwrap();
    dispatch(
        &mut db,
        json!({"cmd": "campaign_delete", "args": {"id": c["id"]}}),
    )
    .unwrap();
    let names = Names::load(&db.conn).unwrap();
    assert_eq!(
        words::value(
            &db.conn,
            &names,
            "activity",
            "campaign_ids",
            &json!([c["id"]])
        )
        .text,
        "民法典宣传月"
    );
}

#[test]
fn values_read_as_words() {
    let db = crate::testing::town(&["安静村"], &[]);
    let names = Names::load(&db.conn).unwrap();
    let v = |entity: &str, field: &str, v: Value| {
        words::value(&db.conn, &names, entity, field, &v).text
    };
    assert_eq!(
        v("record", "formats", json!(["lecture", "quiz"])),
        "法治讲座、有奖问答"
    );
    assert_eq!(v("person", "role", json!("lawyer")), "律师");
    assert_eq!(v("user", "role", json!("leader")), "领导");
    assert_eq!(v("stock", "kind", json!("transfer")), "调拨");
    assert_eq!(v("activity", "status", json!("postponed")), "已延期");
    assert_eq!(v("campaign", "archived", json!(true)), "是");
    assert_eq!(
        v(
            "unit",
            "market_days",
            json!({"lunar": true, "digits": [1, 4, 7]})
        ),
        "农历逢一、四、七"
    );
    assert_eq!(v("record", "narrative", json!(null)), EMPTY);
    assert_eq!(v("record", "laws", json!([])), EMPTY);
    assert_eq!(v("record", "participants", json!(45)), "45");
    assert_eq!(
        v(
            "record",
            "speakers",
            json!([{"name": "王律师", "role": "lawyer"}])
        ),
        "王律师（律师）"
    );
    assert_eq!(
        v(
            "record",
            "materials",
            json!([{"material_name": "宪法读本", "quantity": 10, "unit": "册"}])
        ),
        "宪法读本 10册"
    );
    assert_eq!(
        v("record", "reach_by_audience", json!({"students": 30})),
        "青少年学生 30"
    );
    assert_eq!(
        v(
            "record",
            "quiz",
            json!({"questions": 10, "participants": 30, "winners": 5})
        ),
        "10 题，30 人答题，5 人获奖"
    );
    assert_eq!(v("record", "activity_id", json!("gone")), "已关联计划活动");
    assert_eq!(
        v(
            "template",
            "activity",
            json!({"title": "{unit}普法", "formats": ["lecture"],
            "laws": [], "start_time": "14:30"})
        ),
        "活动名称：{unit}普法；开始时间：14:30；活动形式：法治讲座"
    );
    assert_eq!(
        v(
            "keydate_node",
            "start",
            json!({"kind": "fixed", "month": 1, "day": 20})
        ),
        "1月20日"
    );
    assert_eq!(v("record", "unit_id", json!("gone")), "gone");
}

/// The lines of an edit, as the history panel and the export show them.
fn edit(db: &crate::db::Db, entity: &str, action: &str, changes: Value) -> Vec<ChangeLine> {
    let e = AuditEntry {
        id: "a1".into(),
        at: "2026-11-11T02:00:00Z".into(),
        user_name: "李明".into(),
        entity: entity.into(),
        entity_id: "r1".into(),
        action: action.into(),
        summary: String::new(),
        changes,
    };
    lines(&db.conn, &e).unwrap()
}

fn texts(lines: &[ChangeLine]) -> Vec<(String, String, String)> {
    lines
        .iter()
        .map(|l| (l.label.clone(), l.before.text.clone(), l.after.text.clone()))
        .collect()
}

#[test]
fn an_edit_lists_changed_fields_in_the_forms_order_with_their_parts() {
    let db = crate::testing::town(&["安静村", "石院村"], &[]);
    let unit = |name: &str| -> String {
        db.conn
            .query_row("SELECT id FROM unit WHERE name = ?1", [name], |r| r.get(0))
            .unwrap()
    };
    let got = edit(
        &db,
        "record",
        "update",
        json!({
            "participants": [40, 45],
            "unit_id": [unit("安静村"), unit("石院村")],
            "formats": [["lecture"], ["lecture", "quiz"]],
            "date": ["2026-11-10", "2026-11-09"],
            "narrative": ["", "补充了简述"],
            "unit_name": ["安静村", "石院村"],
            "updated_at": ["a", "b"],
        }),
    );
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        texts(&got),
        [
            s("日期", "2026年11月10日", "2026年11月9日"),
            s("村/单位", "安静村", "石院村"),
            s("活动形式", "法治讲座", "法治讲座、有奖问答"),
            s("参加人数", "40", "45"),
            s("活动简述", EMPTY, "补充了简述"),
        ]
    );
    // The parts the English window words.
    assert_eq!(
        got[0].after.words,
        Words::Date {
            date: "2026-11-09".into()
        }
    );
    assert_eq!(
        got[2].after.words,
        Words::Codes {
            set: "activityFormat".into(),
            codes: vec!["lecture".into(), "quiz".into()]
        }
    );
    assert_eq!(got[4].before.words, Words::Empty);
    assert_eq!(got[0].field, "date");
}

#[test]
fn a_creation_lists_what_was_entered_and_a_review_its_status() {
    let db = crate::testing::town(&["安静村"], &[]);
    let got = edit(
        &db,
        "record",
        "create",
        json!({
            "title": [null, "宪法进院坝"],
            "participants": [null, 40],
            "vehicles": [null, 0],
            "laws": [null, []],
            "venue": [null, ""],
            "speakers": [null, [{"name": "王律师", "role": "lawyer"}]],
            "reach_by_audience": [null, {"students": 30}],
        }),
    );
    let fields: Vec<&str> = got.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(
        fields,
        ["title", "participants", "reach_by_audience", "speakers"]
    );
    assert!(got.iter().all(|l| l.before.text.is_empty()), "no before");
    assert_eq!(
        got[3].after.words,
        Words::Speakers {
            speakers: vec![SpeakerWords {
                name: "王律师".into(),
                role: "lawyer".into()
            }]
        }
    );
    assert_eq!(
        got[2].after.words,
        Words::Reach {
            parts: vec![AudienceCount {
                audience: "students".into(),
                count: "30".into()
            }]
        }
    );
    let review = edit(
        &db,
        "record",
        "return",
        json!({
            "review_status": ["pending", "returned"],
            "review_comment": ["", "请补充签到表"],
            "reviewed_by": [null, "李明"],
        }),
    );
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        texts(&review),
        [
            s("审核状态", "待审核", "已退回"),
            s("审核意见", EMPTY, "请补充签到表")
        ]
    );
    let attach = edit(
        &db,
        "record",
        "attach",
        json!({"file_name": [null, "a.jpg"]}),
    );
    assert!(attach.is_empty(), "an attachment's summary says it all");
}

#[test]
fn the_list_carries_each_entrys_lines() {
    let mut db = crate::testing::town(&["安静村"], &[]);
    let c = dispatch(
        &mut db,
        json!({"cmd": "campaign_create", "args": {"name": "宪法宣传周", "kind": "national",
            "start_date": "2026-12-01", "end_date": "2026-12-07"}}),
    )
    .unwrap();
    dispatch(
        &mut db,
        json!({"cmd": "campaign_update", "args": {"id": c["id"], "input": {"name": "宪法宣传周",
            "kind": "national", "start_date": "2026-12-01", "end_date": "2026-12-08"}}}),
    )
    .unwrap();
    let got = dispatch(
        &mut db,
        json!({"cmd": "audit_list", "args": {"entity": "campaign", "entity_id": c["id"]}}),
    )
    .unwrap();
    let list = got.as_array().unwrap();
    assert_eq!(list.len(), 2);
    // Newest first: the edit, with the entry's own fields beside its lines.
    assert_eq!(list[0]["action"], "update");
    assert_eq!(list[0]["summary"], "修改活动专项“宪法宣传周”");
    assert_eq!(list[0]["lines"][0]["label"], "结束日期");
    assert_eq!(list[0]["lines"][0]["after"]["text"], "2026年12月8日");
    assert_eq!(list[0]["lines"][0]["after"]["words"]["kind"], "date");
}

#[test]
fn a_conflict_lists_the_fields_that_differ() {
    let db = crate::testing::town(&["安静村"], &[]);
    let base = json!({"id": "r1", "title": "宪法进院坝", "participants": 40, "hlc": "1",
        "formats": "[\"lecture\"]", "venue": "村委会", "_campaigns": [], "_handouts": []});
    let mut incoming = base.clone();
    incoming["participants"] = json!(45);
    incoming["hlc"] = json!("2");
    incoming["formats"] = json!("[\"lecture\",\"quiz\"]");
    let got = conflict_lines(&db.conn, "record", &base, &incoming, false, false).unwrap();
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        texts(&got),
        [
            s("活动形式", "法治讲座", "法治讲座、有奖问答"),
            s("参加人数", "40", "45")
        ]
    );
    // A deletion against an edit: the kept row's filled-in fields against "deleted".
    let gone = json!({"_deleted": true});
    let got = conflict_lines(&db.conn, "record", &gone, &base, true, false).unwrap();
    let fields: Vec<&str> = got.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(fields, ["title", "formats", "participants", "venue"]);
    assert!(got
        .iter()
        .all(|l| l.before.words == Words::Deleted && l.before.text == "（已删除）"));
}
