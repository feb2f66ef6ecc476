//! Packages as trust boundaries: who made a package and what that maker may change, versions
//! from the future, attachments named by the receiver, every changed row in its own history,
//! and no backup for a package that is refused.

use super::*;
use crate::town::UserInput;

/// `db`'s user becomes a cadre of `village`: its packages speak for that village only.
fn cadre_of(db: &mut Db, village: &str) {
    town::update_user(
        db,
        &UserInput {
            name: "王五".into(),
            role: "village_cadre".into(),
            village: Some(village.into()),
        },
    )
    .unwrap();
}

fn since_last(db: &Db, path: &Path) -> PackageExported {
    export_scope(
        db,
        path,
        &PackageScope {
            since_last: true,
            village: None,
        },
    )
}

/// Two records of the town not yet approved, of two different villages: (village's, other's).
fn two_villages_records(db: &Db) -> (record::Record, record::Record) {
    let open: Vec<record::Record> = record::list(&db.conn, &Default::default())
        .unwrap()
        .into_iter()
        .filter(|r| r.review_status != record::ReviewStatus::Approved)
        .collect();
    let first = open[0].clone();
    let other = open
        .iter()
        .find(|r| r.unit_id != first.unit_id)
        .expect("records of two villages")
        .clone();
    (first, other)
}

fn no_trust() -> ImportOptions {
    ImportOptions::default()
}

#[test]
fn a_village_laptop_changes_only_its_own_villages_records_the_rest_waits_for_the_coordinator() {
    let (tmp, mut a, mut b) = two_laptops();
    let (mine, theirs) = two_villages_records(&a);
    let village = mine.unit_name.clone().unwrap();
    cadre_of(&mut b, &village);
    // Its own record: a fair edit.
    edit(&mut b, &mine.id, 61.0);
    // Another village's record, the town's name, and an approval of its own: not its to make.
    let mut input = record_input(&record::get(&b.conn, &theirs.id).unwrap());
    input.participants = 9999.0;
    input.reach = Some(9999.0);
    input.title = format!("{}（已改）", theirs.title);
    record::update(&mut b, &theirs.id, &input).unwrap();
    b.conn
        .execute("UPDATE town SET name = '假镇', county = '假县'", [])
        .unwrap();
    let own_other = record::list(&b.conn, &Default::default())
        .unwrap()
        .into_iter()
        .find(|r| {
            r.unit_id == mine.unit_id
                && r.id != mine.id
                && r.review_status == record::ReviewStatus::Pending
        });
    if let Some(r) = &own_other {
        b.conn
            .execute(
                "UPDATE record SET review_status = 'approved', reviewed_by = '王五' WHERE id = ?1",
                [&r.id],
            )
            .unwrap();
    }
    let pkg = tmp.path().join("村里.pufapkg");
    since_last(&b, &pkg);
    let before_theirs = record::get(&a.conn, &theirs.id).unwrap();
    // A village's package needs no confirmation: it can change only its village.
    let report = import(&mut a, &pkg, &no_trust(), &mut never_cancel()).unwrap();
    assert_eq!(report.maker, format!("{village}的电脑（王五）"));
    let held = 2 + u64::from(own_other.is_some());
    assert_eq!(report.out_of_scope, held, "{report:?}");
    assert_eq!(record::get(&a.conn, &mine.id).unwrap().participants, 61);
    assert_eq!(record::get(&a.conn, &theirs.id).unwrap(), before_theirs);
    assert_eq!(town::get_town(&a.conn).unwrap().unwrap().name, "双龙镇");
    if let Some(r) = &own_other {
        assert_eq!(
            record::get(&a.conn, &r.id).unwrap().review_status,
            record::ReviewStatus::Pending,
            "a village cannot approve its own record"
        );
    }
    // Kept for the coordinator, with the reason.
    let kept = conflicts(&a.conn).unwrap();
    assert_eq!(kept.len() as u64, held);
    assert!(kept
        .iter()
        .all(|c| c.reason.is_some() && c.winner == Keep::Local));
    let other = kept.iter().find(|c| c.entity_id == theirs.id).unwrap();
    assert!(
        other.reason.as_deref().unwrap().contains("不能修改其他村"),
        "{other:?}"
    );
    assert_eq!(other.incoming["participants"], 9999);
    let town_row = kept.iter().find(|c| c.entity == "town").unwrap();
    assert!(town_row
        .reason
        .as_deref()
        .unwrap()
        .contains("村里的电脑不能修改乡镇"));
    // The same package again keeps them once.
    import(&mut a, &pkg, &no_trust(), &mut never_cancel()).unwrap();
    assert_eq!(conflicts(&a.conn).unwrap().len() as u64, held);

    // The record's own history says which package changed it, from whom, before and after.
    let history = crate::audit::list(
        &a.conn,
        &crate::audit::AuditFilter {
            entity: Some("record".into()),
            entity_id: Some(mine.id.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let entry = history
        .iter()
        .find(|e| e.summary.contains("数据包导入"))
        .expect("an entry of the import");
    assert!(
        entry.summary.contains(&report.package_id[..20]),
        "{}",
        entry.summary
    );
    assert!(entry.summary.contains(&format!("{village}的电脑（王五）")));
    assert_eq!(entry.action, "update");
    assert_eq!(entry.changes["participants"][0], mine.participants);
    assert_eq!(entry.changes["participants"][1], 61);
    assert!(entry.changes.get("hlc").is_none(), "no version noise");

    // The coordinator may take it after all.
    resolve(&mut a, &other.id, Keep::Incoming).unwrap();
    assert_eq!(record::get(&a.conn, &theirs.id).unwrap().participants, 9999);
}

#[test]
fn a_village_laptop_cannot_delete_another_villages_record() {
    let (tmp, a, mut b) = two_laptops();
    let (mine, theirs) = two_villages_records(&a);
    let mut a = a;
    cadre_of(&mut b, mine.unit_name.as_deref().unwrap());
    record::delete(&mut b, &theirs.id).unwrap();
    let pkg = tmp.path().join("删.pufapkg");
    since_last(&b, &pkg);
    let report = import(&mut a, &pkg, &no_trust(), &mut never_cancel()).unwrap();
    assert_eq!((report.deleted, report.out_of_scope), (0, 1), "{report:?}");
    assert!(record::get(&a.conn, &theirs.id).is_ok());
    let c = conflicts(&a.conn).unwrap().remove(0);
    assert!(c.incoming_deleted && c.reason.is_some());
}

#[test]
fn a_laptop_never_seen_that_claims_the_towns_rights_needs_the_users_word() {
    let (tmp, mut a, mut b) = two_laptops();
    let r = editable(&b);
    edit(&mut b, &r.id, 71.0);
    let pkg = tmp.path().join("b.pufapkg");
    since_last(&b, &pkg);
    let before = db_bytes(&a);
    let e = import(&mut a, &pkg, &no_trust(), &mut never_cancel()).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownDevice);
    assert!(
        e.message.contains("本机以前没有收到过这台电脑的数据包"),
        "{}",
        e.message
    );
    assert_eq!(db_bytes(&a), before, "nothing changed");
    import(&mut a, &pkg, &trusted(), &mut never_cancel()).unwrap();
    assert_eq!(record::get(&a.conn, &r.id).unwrap().participants, 71);
    // Known from now on.
    edit(&mut b, &r.id, 72.0);
    since_last(&b, &pkg);
    import(&mut a, &pkg, &no_trust(), &mut never_cancel()).unwrap();
    assert_eq!(record::get(&a.conn, &r.id).unwrap().participants, 72);
}

#[test]
fn a_village_laptop_cannot_later_pass_for_the_town_or_another_village() {
    let (tmp, mut a, mut b) = two_laptops();
    let (mine, theirs) = two_villages_records(&a);
    cadre_of(&mut b, mine.unit_name.as_deref().unwrap());
    edit(&mut b, &mine.id, 81.0);
    let pkg = tmp.path().join("b.pufapkg");
    since_last(&b, &pkg);
    import(&mut a, &pkg, &no_trust(), &mut never_cancel()).unwrap();
    // The same laptop now says it is another village's …
    cadre_of(&mut b, theirs.unit_name.as_deref().unwrap());
    edit(&mut b, &theirs.id, 82.0);
    since_last(&b, &pkg);
    let e = import(&mut a, &pkg, &trusted(), &mut never_cancel()).unwrap_err();
    assert!(e.message.contains("以前以"), "{}", e.message);
    // … or the town's (a coordinator's now): only with the user's word.
    town::update_user(
        &mut b,
        &UserInput {
            name: "王五".into(),
            role: "coordinator".into(),
            village: None,
        },
    )
    .unwrap();
    since_last(&b, &pkg);
    let e = import(&mut a, &pkg, &no_trust(), &mut never_cancel()).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownDevice);
    assert!(e.message.contains("以前是以"), "{}", e.message);
}

/// A version from `year`-01-01 by the device of `hlc`.
fn from_year(hlc: &str, year: i32) -> String {
    let ms = chrono::NaiveDate::from_ymd_opt(year, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    format!("{ms:013}{}", &hlc[13..])
}

#[test]
fn a_version_from_the_future_is_refused_and_a_poisoned_laptop_is_repaired_on_open() {
    let tmp = tempfile::tempdir().unwrap();
    let town_dir = tmp.path().join("town");
    let mut t = demo_town(&town_dir);
    let full = tmp.path().join("全部.pufapkg");
    export_all(&t, &full);
    let mut laptop = Db::open_dir(&tmp.path().join("laptop")).unwrap();
    import_ok(&mut laptop, &full);

    // A package carrying a row stamped in 2035: refused, naming it; the clock stays.
    let r = editable(&t);
    edit(&mut t, &r.id, 91.0);
    let pkg = tmp.path().join("未来.pufapkg");
    since_last(&t, &pkg);
    let mut entries = crate::testing::zip_entries(&pkg);
    let at = entries
        .iter()
        .position(|(n, _)| n == "data/record.jsonl")
        .unwrap();
    let text = String::from_utf8(entries[at].1.clone()).unwrap();
    let poisoned: String = text
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let h = v["hlc"].as_str().unwrap().to_string();
            v["hlc"] = Value::from(from_year(&h, 2035));
            format!("{v}\n")
        })
        .collect();
    entries[at].1 = poisoned.into_bytes();
    let sum = hex(Sha256::digest(&entries[at].1).as_slice());
    let entries = edit_manifest(&entries, |m| {
        m["entries"]["data/record.jsonl"] = Value::from(sum.clone())
    });
    let bad = tmp.path().join("坏.pufapkg");
    rezip(&entries, &bad);
    let clock = |db: &Db| -> i64 {
        db.conn
            .query_row("SELECT ms FROM sync_clock", [], |r| r.get(0))
            .unwrap()
    };
    let before = clock(&laptop);
    let e = import(&mut laptop, &bad, &trusted(), &mut never_cancel()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("hlc"));
    assert!(
        e.message.contains("比本机时钟快") && e.message.contains("2035"),
        "{}",
        e.message
    );
    assert_eq!(clock(&laptop), before, "the clock did not move");

    // The spread: the town was poisoned by an earlier version (its clock in 2035, an edit
    // stamped then) — opening it repairs it, and its next package is taken everywhere.
    let far = from_year("0000000000000-0000-x", 2035)[..13]
        .parse::<i64>()
        .unwrap();
    t.conn
        .execute("UPDATE sync_clock SET ms = ?1", [far])
        .unwrap();
    edit(&mut t, &r.id, 92.0);
    let stamped: String = t
        .conn
        .query_row("SELECT hlc FROM record WHERE id = ?1", [&r.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(stamped.starts_with(&far.to_string()[..4]), "{stamped}");
    drop(t);
    let t = Db::open_dir(&town_dir).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    assert!(clock(&t) <= now + sync::MAX_AHEAD_MS, "the clock is back");
    let renewed: String = t
        .conn
        .query_row("SELECT hlc FROM record WHERE id = ?1", [&r.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(sync::ahead_of_now(&renewed).is_none(), "{renewed}");
    let trail = crate::audit::list(&t.conn, &Default::default()).unwrap();
    assert!(trail.iter().any(|e| e.summary.contains("已拨回当前时间")));
    // town → laptop: taken; the laptop's clock stays near now.
    since_last(&t, &pkg);
    import_ok(&mut laptop, &pkg);
    assert_eq!(record::get(&laptop.conn, &r.id).unwrap().participants, 92);
    assert!(clock(&laptop) <= now + sync::MAX_AHEAD_MS);
    // laptop → town: the laptop's later edit wins, as it should.
    edit(&mut laptop, &r.id, 93.0);
    let back = tmp.path().join("回.pufapkg");
    since_last(&laptop, &back);
    let mut t = t;
    let report = import_ok(&mut t, &back);
    assert_eq!(report.conflicts, 0, "{report:?}");
    assert_eq!(record::get(&t.conn, &r.id).unwrap().participants, 93);
}

#[test]
fn a_refused_package_changes_nothing_and_makes_no_backup() {
    let (tmp, mut a, mut b) = two_laptops();
    let r = editable(&b);
    edit(&mut b, &r.id, 66.0);
    let good = tmp.path().join("好.pufapkg");
    since_last(&b, &good);
    // The same package with one row made bad: its date is 2026-02-30.
    let mut entries = crate::testing::zip_entries(&good);
    let at = entries
        .iter()
        .position(|(n, _)| n == "data/record.jsonl")
        .unwrap();
    let text = String::from_utf8(entries[at].1.clone()).unwrap();
    let bad_rows: String = text
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["date"] = Value::from("2026-02-30");
            format!("{v}\n")
        })
        .collect();
    entries[at].1 = bad_rows.into_bytes();
    let sum = hex(Sha256::digest(&entries[at].1).as_slice());
    let entries = edit_manifest(&entries, |m| {
        m["entries"]["data/record.jsonl"] = Value::from(sum.clone())
    });
    let bad = tmp.path().join("坏.pufapkg");
    rezip(&entries, &bad);
    let backups = |db: &Db| crate::backup::list(db.data_dir.as_deref().unwrap()).unwrap();
    let before = (db_bytes(&a), backups(&a));
    for _ in 0..6 {
        let e = import(&mut a, &bad, &trusted(), &mut never_cancel()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("date"));
        assert!(e.message.contains("2026-02-30"), "{}", e.message);
    }
    assert_eq!(
        (db_bytes(&a), backups(&a)),
        before,
        "nothing changed, no backup"
    );
    // The good one: backed up once, just before it changed the data.
    import(&mut a, &good, &trusted(), &mut never_cancel()).unwrap();
    let made = backups(&a);
    assert_eq!(made.len(), before.1.len() + 1);
    assert_eq!(made[0].kind, crate::backup::BackupKind::BeforeImport);
    assert_eq!(record::get(&a.conn, &r.id).unwrap().participants, 66);
    // Importing it again changes nothing, so no backup either.
    import(&mut a, &good, &trusted(), &mut never_cancel()).unwrap();
    assert_eq!(backups(&a).len(), made.len());
}

#[test]
fn the_receiver_names_attachments_and_thumbnails_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let a = demo_town(&tmp.path().join("a"));
    let pkg = tmp.path().join("全部.pufapkg");
    export_all(&a, &pkg);
    // The photo's row says its thumbnail is another file (a record's photo elsewhere).
    let mut entries = crate::testing::zip_entries(&pkg);
    let at = entries
        .iter()
        .position(|(n, _)| n == "data/attachment.jsonl")
        .unwrap();
    let mut row: Value = serde_json::from_slice(entries[at].1.trim_ascii()).unwrap();
    let real = row["thumbnail"].clone();
    row["thumbnail"] = row["stored"].clone();
    row["stored"] = Value::from("attachments/../../pufa.db");
    entries[at].1 = format!("{row}\n").into_bytes();
    let sum = hex(Sha256::digest(&entries[at].1).as_slice());
    let entries = edit_manifest(&entries, |m| {
        m["entries"]["data/attachment.jsonl"] = Value::from(sum.clone())
    });
    let forged = tmp.path().join("改.pufapkg");
    rezip(&entries, &forged);
    let mut b = Db::open_dir(&tmp.path().join("b")).unwrap();
    import_ok(&mut b, &forged);
    let got = crate::attachment::list(&b.conn, row["record_id"].as_str().unwrap()).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(Value::from(got[0].thumbnail.clone()), real);
    assert!(got[0].stored.ends_with(&format!("{}.png", got[0].sha256)));
    assert!(b.data_dir.as_ref().unwrap().join(&got[0].stored).is_file());
}
