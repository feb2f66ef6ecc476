//! A small plan for the export tests: 双龙镇 with four villages, the 2027 宪法宣传周 campaign
//! from its template (one activity per village, 09:00—11:30), an all-day lecture with long
//! Chinese notes, a postponed and a cancelled activity, and one activity in 2026.

use crate::activity::{self, Activity, ActivityInput, PlannedMaterial};
use crate::db::Db;
use crate::person::{self, PersonInput};
use crate::plan::{self, PlanApplied};
use crate::town::{setup, SetupInput, UserInput};

pub struct Plan {
    pub db: Db,
    pub week: PlanApplied,
    pub lecture: Activity,
    pub postponed: Activity,
    pub cancelled: Activity,
    pub last_year: Activity,
}

/// Notes long enough to be folded many times, with the characters iCalendar escapes.
pub fn long_notes() -> String {
    let mut s = String::from(
        "讲座围绕《中华人民共和国民法典》婚姻家庭编、继承编展开，结合本村近年发生的赡养纠纷、\
         宅基地继承纠纷等真实案例以案释法；会后设置法律咨询台，由法律顾问现场解答群众提问。",
    );
    s.push_str(
        "\n注意事项：1. 提前两天在村务公开栏张贴通知, 并在微信群转发; 2. 准备签到表、照片记录；",
    );
    s.push_str("3. 会场备茶水 \\ 老年人座位靠前。");
    s.push_str(&"宪法是国家的根本法，是治国安邦的总章程。".repeat(8));
    s
}

pub fn plan() -> Plan {
    let mut db = Db::open_in_memory().unwrap();
    setup(
        &mut db,
        &SetupInput {
            town: "双龙镇".into(),
            county: Some("巫山县".into()),
            villages: vec!["安静村\n石院村\n长安村\n龙江社区".into()],
            schools: vec!["双龙镇中心小学".into()],
            user: Some(UserInput {
                name: "王芳".into(),
                role: "coordinator".into(),
                village: None,
            }),
            ..Default::default()
        },
    )
    .unwrap();
    for (name, role) in [("张三", "staff"), ("李四", "legal_adviser")] {
        person::create(
            &mut db,
            &PersonInput {
                name: name.into(),
                role: role.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let week = plan::apply_template(&mut db, "constitution_week", 2027, &[], true).unwrap();
    let lecture = activity::create(
        &mut db,
        &ActivityInput {
            title: "“美好生活·民法典相伴”主题法治讲座暨以案释法".into(),
            date: "2027-05-20".into(),
            unit_id: Some("安静村".into()),
            venue: Some("村委会二楼会议室".into()),
            formats: vec!["lecture".into(), "case_explained".into()],
            audiences: vec!["residents".into(), "elderly".into()],
            laws: vec!["民法典".into(), "老年人权益保障法".into()],
            lead_person_id: Some("李四".into()),
            partners: vec!["镇妇联".into(), "派出所".into()],
            materials: vec![
                PlannedMaterial {
                    item: "民法典读本".into(),
                    quantity: 50,
                    unit: "册".into(),
                },
                PlannedMaterial {
                    item: "宣传折页".into(),
                    quantity: 200,
                    unit: "份".into(),
                },
            ],
            expected_audience: Some(80),
            notes: Some(long_notes()),
            ..Default::default()
        },
        None,
    )
    .unwrap()
    .remove(0);
    let mut simple = |title: &str, date: &str, unit: &str| {
        activity::create(
            &mut db,
            &ActivityInput {
                title: title.into(),
                date: date.into(),
                start_time: Some("14:30".into()),
                end_time: Some("16:30".into()),
                unit_id: Some(unit.into()),
                venue_type: Some("courtyard".into()),
                formats: vec!["courtyard_meeting".into()],
                audiences: vec!["residents".into()],
                lead_person_id: Some("张三".into()),
                expected_audience: Some(40),
                ..Default::default()
            },
            None,
        )
        .unwrap()
        .remove(0)
    };
    let postponed = simple("禁毒宣传院坝会", "2027-06-25", "石院村");
    let cancelled = simple("国家安全教育日院坝会", "2027-04-15", "长安村");
    let last_year = simple("2026年宪法宣传院坝会", "2026-12-02", "龙江社区");
    let postponed =
        activity::set_status(&mut db, &postponed.id, "postponed", Some("暴雨预警")).unwrap();
    let cancelled =
        activity::set_status(&mut db, &cancelled.id, "cancelled", Some("与镇人代会冲突")).unwrap();
    Plan {
        db,
        week,
        lecture,
        postponed,
        cancelled,
        last_year,
    }
}
