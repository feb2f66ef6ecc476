//! The UI tests' fixtures (`ui/src/dev/fixtures.json`), written by the real core: the demo town
//! as the commands answer for it, ids and time stamps made stable so the file changes only when
//! an answer does. Like the generated bindings, the file is rewritten by `cargo test` and CI
//! fails when the committed one is stale (scripts/test.sh).

use super::dispatch;
use crate::db::Db;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The day the demo town is loaded on: its activities up to it are held and recorded.
const TODAY: &str = "2026-12-07";
/// Every time stamp in the fixtures.
const STAMP: &str = "2026-12-07T08:00:00.000Z";

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_stamp(s: &str) -> bool {
    s.len() >= 20
        && s.as_bytes()[10] == b'T'
        && s.ends_with('Z')
        && chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// Ids become "id-0001" … in order of first appearance (also inside texts), time stamps one
/// instant (an audit entry's change of one alone is left out), the data folder one path.
struct Stable {
    ids: HashMap<String, String>,
}

impl Stable {
    fn text(&mut self, s: &str) -> String {
        if is_stamp(s) {
            return STAMP.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            if let Some(cand) = s.get(i..i + 36).filter(|c| is_uuid(c)) {
                let n = self.ids.len() + 1;
                let id = self
                    .ids
                    .entry(cand.to_string())
                    .or_insert_with(|| format!("id-{n:04}"));
                out.push_str(id);
                i += 36;
            } else {
                let c = s[i..].chars().next().expect("in the string");
                out.push(c);
                i += c.len_utf8();
            }
        }
        out
    }

    fn value(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => a.iter().map(|x| self.value(x)).collect(),
            Value::Object(o) => {
                let mut out = Map::new();
                for (k, x) in o {
                    let x = match (k.as_str(), x) {
                        ("data_dir", Value::String(_)) => json!("/data"),
                        // A hybrid logical clock reading is of the moment too.
                        (k, Value::String(_)) if k == "hlc" || k.ends_with("_hlc") => {
                            json!("hlc")
                        }
                        // A time stamp's change within the run is no change at one instant.
                        ("changes", Value::Object(c)) => Value::Object(
                            c.iter()
                                .map(|(f, pair)| (f.clone(), self.value(pair)))
                                .filter(|(_, pair)| pair.get(0) != pair.get(1))
                                .collect(),
                        ),
                        _ => self.value(x),
                    };
                    out.insert(k.clone(), x);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }
}

fn fixtures() -> Value {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::load_on(
        &mut db,
        &crate::demo::DemoInput {
            seed: None,
            year: Some(2026),
            scale: None,
        },
        TODAY,
        &mut |_, _| true,
    )
    .unwrap();
    let mut run = |raw: Value| dispatch(&mut db, raw).unwrap();
    let years = |cmd: &str, run: &mut dyn FnMut(Value) -> Value| -> Value {
        (2025..=2028)
            .map(|y| (y.to_string(), run(json!({"cmd": cmd, "args": {"year": y}}))))
            .collect::<Map<_, _>>()
            .into()
    };
    let mut out = Map::new();
    out.insert("info".into(), run(json!({"cmd": "app_info"})));
    out.insert("units".into(), run(json!({"cmd": "unit_list", "args": {}})));
    out.insert(
        "people".into(),
        run(json!({"cmd": "person_list", "args": {}})),
    );
    out.insert(
        "campaigns".into(),
        run(json!({"cmd": "campaign_list", "args": {"status": "all"}})),
    );
    out.insert(
        "activities".into(),
        run(json!({"cmd": "activity_list", "args": {}})),
    );
    out.insert("templates".into(), run(json!({"cmd": "template_list"})));
    out.insert("keydates".into(), years("keydate_list", &mut run));
    out.insert("holidays".into(), years("holiday_list", &mut run));
    // A record's history (the history panel, the 操作留痕 screen): a pending record whose
    // count the cadre corrected, then returned by the coordinator with a comment.
    let records = run(json!({"cmd": "record_list", "args": {"review_status": "pending"}}));
    let id = records[0]["id"].clone();
    let before = run(json!({"cmd": "record_get", "args": {"id": id}}));
    let mut input = before.clone();
    input["participants"] = json!(before["participants"].as_i64().unwrap() + 5);
    run(json!({"cmd": "record_update", "args": {"id": id, "input": input}}));
    run(
        json!({"cmd": "record_review", "args": {"id": id, "action": "return",
        "comment": "请补充签到表"}}),
    );
    out.insert(
        "record_history".into(),
        run(json!({"cmd": "audit_list", "args": {"entity": "record", "entity_id": id}})),
    );
    out.insert(
        "sync_conflicts".into(),
        sync_conflict(&mut db, &records[1]["id"]),
    );
    Stable {
        ids: HashMap::new(),
    }
    .value(&Value::Object(out))
}

/// A sync conflict (the 数据交换 screen's list and dialog): the town's package taken by a
/// second laptop, the record's 参加人数 changed on both, the second laptop's later change
/// merged back.
fn sync_conflict(db: &mut Db, id: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("镇.pufapkg");
    let back = dir.path().join("回传.pufapkg");
    let run = |db: &mut Db, raw: Value| dispatch(db, raw).unwrap();
    run(
        db,
        json!({"cmd": "package_export", "args": {"path": out, "scope": {}}}),
    );
    let mut other = Db::open_in_memory().unwrap();
    run(
        &mut other,
        json!({"cmd": "package_import", "args": {"path": out}}),
    );
    let add = |db: &mut Db, n: i64| {
        let mut input = run(db, json!({"cmd": "record_get", "args": {"id": id}}));
        input["participants"] = json!(input["participants"].as_i64().unwrap() + n);
        run(
            db,
            json!({"cmd": "record_update", "args": {"id": id, "input": input}}),
        );
    };
    add(db, 3);
    // The second laptop's change is the later one on the clock: it wins.
    std::thread::sleep(std::time::Duration::from_millis(5));
    add(&mut other, 8);
    run(
        &mut other,
        json!({"cmd": "package_export", "args": {"path": back, "scope": {"since_last": true}}}),
    );
    run(
        db,
        json!({"cmd": "package_import", "args": {"path": back, "trust_device": true}}),
    );
    run(db, json!({"cmd": "sync_conflict_list"}))
}

#[test]
fn the_ui_fixtures_are_the_cores_answers() {
    let got = fixtures();
    // The same on every run: nothing of the day or of chance left in them.
    let again = fixtures();
    if got != again {
        for (k, v) in got.as_object().unwrap() {
            if *v != again[k] {
                let (a, b) = (v.to_string(), again[k].to_string());
                let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
                let from = at.saturating_sub(200);
                panic!(
                    "the fixtures' {k} are not stable:\n{}\n{}",
                    a.chars().skip(from).take(400).collect::<String>(),
                    b.chars().skip(from).take(400).collect::<String>()
                );
            }
        }
    }
    let history = got["record_history"].as_array().unwrap();
    let actions: Vec<&str> = history
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(&actions[..2], ["return", "update"], "{actions:?}");
    assert!(
        history[1]["lines"][0]["label"] == "参加人数",
        "{}",
        history[1]
    );

    let conflict = &got["sync_conflicts"][0];
    assert_eq!(conflict["winner"], "incoming", "{conflict}");
    assert_eq!(conflict["lines"][0]["label"], "参加人数", "{conflict}");

    let text = serde_json::to_string(&got).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/dev/fixtures.json");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).unwrap();
    }
}
