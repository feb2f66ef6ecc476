//! One value of a changed field in words: its Chinese text (what the export writes and the
//! Chinese window shows) and its parts, which the window puts into words in English.

use super::{field_label, is_empty, rank, Names, EMPTY};
use crate::cn_date::{full_date_cn, iso_date};
use crate::domain::{
    ActivityFormat, ActivityStatus, Audience, CampaignKind, PersonRole, UnitKind, UserRole,
    VenueType,
};
use crate::market::MarketCycle;
use crate::record::ReviewStatus;
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use ts_rs::TS;

/// A value in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LineValue {
    /// In Chinese, "（空）" for nothing; "" for the side a creation or deletion has not.
    pub text: String,
    pub words: Words,
}

impl LineValue {
    pub(crate) fn blank() -> LineValue {
        LineValue {
            text: String::new(),
            words: Words::Empty,
        }
    }
}

/// The parts of a value, for the window to put into words in its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Words {
    /// Nothing (（空）).
    Empty,
    /// The row was deleted on that side (a sync conflict).
    Deleted,
    /// Free text, a number or a name: the same in every language.
    Text {
        text: String,
    },
    Bool {
        yes: bool,
    },
    /// A day, ISO.
    Date {
        date: String,
    },
    /// Codes of one of the window's enums (`enums.<set>.<code>` in its locale files).
    Codes {
        set: String,
        codes: Vec<String>,
    },
    /// Names (units, campaigns, key dates, hand-outs), a list.
    Names {
        names: Vec<String>,
    },
    Speakers {
        speakers: Vec<SpeakerWords>,
    },
    /// 分对象人次.
    Reach {
        parts: Vec<AudienceCount>,
    },
    Quiz {
        questions: String,
        participants: String,
        winners: String,
    },
    Market {
        cycle: MarketCycle,
    },
    /// The planned activity a record was held for; None when it is gone.
    LinkedActivity {
        name: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SpeakerWords {
    pub name: String,
    /// A person role code.
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AudienceCount {
    /// An audience code.
    pub audience: String,
    pub count: String,
}

/// The enum a field of `entity` holds codes of: the window's name for it and the Chinese label
/// of `code` (None when `code` is not one of them).
fn enum_label(entity: &str, field: &str, code: &str) -> Option<(&'static str, &'static str)> {
    fn by<T: DeserializeOwned>(code: &str, label: fn(T) -> &'static str) -> Option<&'static str> {
        serde_json::from_value::<T>(Value::String(code.to_string()))
            .ok()
            .map(label)
    }
    let (set, label) = match (field, entity) {
        ("formats", _) => ("activityFormat", by(code, ActivityFormat::label)),
        ("audiences", _) => ("audience", by(code, Audience::label)),
        ("venue_type", _) => ("venueType", by(code, VenueType::label)),
        ("review_status", _) => ("reviewStatus", by(code, ReviewStatus::label)),
        ("status", "activity") => ("activityStatus", by(code, ActivityStatus::label)),
        ("role", "user") => ("userRole", by(code, UserRole::label)),
        ("role", _) => ("personRole", by(code, PersonRole::label)),
        ("kind", "unit") | ("unit_kinds", _) => ("unitKind", by(code, UnitKind::label)),
        ("kind", "campaign") | ("campaign_kind", _) => {
            ("campaignKind", by(code, CampaignKind::label))
        }
        ("kind", "stock") => (
            "movementKind",
            match code {
                "receipt" => Some("入库"),
                "handout" => Some("发放"),
                "transfer" => Some("调拨"),
                _ => None,
            },
        ),
        _ => return None,
    };
    label.map(|l| (set, l))
}

pub(crate) fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A list in words ("、"-separated); an empty list is "（空）".
fn joined<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let s = items.map(String::as_str).collect::<Vec<_>>().join("、");
    if s.is_empty() {
        EMPTY.to_string()
    } else {
        s
    }
}

fn text(s: String) -> LineValue {
    LineValue {
        words: Words::Text { text: s.clone() },
        text: s,
    }
}

fn names(list: Vec<String>) -> LineValue {
    LineValue {
        text: joined(list.iter()),
        words: Words::Names { names: list },
    }
}

/// One value in words.
pub(crate) fn value(
    conn: &Connection,
    names_of: &Names,
    entity: &str,
    field: &str,
    v: &Value,
) -> LineValue {
    let name_of = |map: &HashMap<String, String>, id: &Value| {
        let id = plain(id);
        map.get(&id).cloned().unwrap_or(id)
    };
    match v {
        Value::Null => {
            return LineValue {
                text: EMPTY.into(),
                words: Words::Empty,
            }
        }
        Value::String(s) if s.is_empty() => {
            return LineValue {
                text: EMPTY.into(),
                words: Words::Empty,
            }
        }
        Value::Bool(b) => {
            return LineValue {
                text: if *b { "是" } else { "否" }.to_string(),
                words: Words::Bool { yes: *b },
            }
        }
        _ => {}
    }
    let codes = |list: Vec<String>, set: &str| LineValue {
        text: joined(
            list.iter()
                .map(|c| enum_label(entity, field, c).map_or(c.clone(), |(_, l)| l.to_string()))
                .collect::<Vec<_>>()
                .iter(),
        ),
        words: Words::Codes {
            set: set.to_string(),
            codes: list,
        },
    };
    match (field, v) {
        (_, Value::String(s)) if enum_label(entity, field, s).is_some() => {
            let (set, _) = enum_label(entity, field, s).expect("checked");
            codes(vec![s.clone()], set)
        }
        (_, Value::Array(a))
            if a.iter()
                .any(|c| enum_label(entity, field, &plain(c)).is_some()) =>
        {
            let set = a
                .iter()
                .find_map(|c| enum_label(entity, field, &plain(c)))
                .expect("checked")
                .0;
            codes(a.iter().map(plain).collect(), set)
        }
        ("unit_id", Value::String(_)) => text(name_of(&names_of.units, v)),
        ("lead_person_id", Value::String(_)) => text(name_of(&names_of.people, v)),
        ("activity_id", Value::String(id)) => {
            let name = Names::activity(conn, id);
            LineValue {
                text: name.clone().unwrap_or_else(|| "已关联计划活动".to_string()),
                words: Words::LinkedActivity { name },
            }
        }
        ("nodes", Value::Array(a)) => {
            names(a.iter().map(|c| name_of(&names_of.nodes, c)).collect())
        }
        ("campaign_ids", Value::Array(a)) => {
            names(a.iter().map(|c| name_of(&names_of.campaigns, c)).collect())
        }
        ("speakers", Value::Array(a)) => {
            let speakers: Vec<SpeakerWords> = a
                .iter()
                .map(|s| SpeakerWords {
                    name: plain(&s["name"]),
                    role: plain(&s["role"]),
                })
                .collect();
            let shown: Vec<String> = speakers
                .iter()
                .map(|s| {
                    let role = enum_label("person", "role", &s.role)
                        .map_or(s.role.clone(), |(_, l)| l.to_string());
                    format!("{}（{role}）", s.name)
                })
                .collect();
            LineValue {
                text: joined(shown.iter()),
                words: Words::Speakers { speakers },
            }
        }
        ("materials", Value::Array(a)) => names(
            a.iter()
                .map(|m| {
                    let name = [&m["material_name"], &m["item"]]
                        .into_iter()
                        .map(plain)
                        .find(|n| !n.is_empty())
                        .unwrap_or_default();
                    format!("{name} {}{}", plain(&m["quantity"]), plain(&m["unit"]))
                        .trim()
                        .to_string()
                })
                .collect(),
        ),
        ("reach_by_audience", Value::Object(o)) => {
            let parts: Vec<AudienceCount> = o
                .iter()
                .map(|(a, n)| AudienceCount {
                    audience: a.clone(),
                    count: plain(n),
                })
                .collect();
            let shown: Vec<String> = parts
                .iter()
                .map(|p| {
                    let label = enum_label(entity, "audiences", &p.audience)
                        .map_or(p.audience.as_str(), |(_, l)| l);
                    format!("{label} {}", p.count)
                })
                .collect();
            LineValue {
                text: joined(shown.iter()),
                words: Words::Reach { parts },
            }
        }
        ("start" | "end", Value::Object(_)) => {
            match serde_json::from_value::<crate::keydates::rule::DateRule>(v.clone()) {
                Ok(rule) => text(rule.describe()),
                Err(_) => text(plain(v)),
            }
        }
        ("market_days", Value::Object(_)) => match serde_json::from_value::<MarketCycle>(v.clone())
        {
            Ok(cycle) => LineValue {
                text: cycle.describe(),
                words: Words::Market { cycle },
            },
            Err(_) => text(plain(v)),
        },
        ("window", Value::Object(w)) => text(format!(
            "提前 {} 天，延后 {} 天",
            plain(&w.get("before").cloned().unwrap_or_default()),
            plain(&w.get("after").cloned().unwrap_or_default())
        )),
        ("quiz", Value::Object(q)) => {
            let n = |k: &str| plain(&q.get(k).cloned().unwrap_or_default());
            let (questions, participants, winners) =
                (n("questions"), n("participants"), n("winners"));
            LineValue {
                text: format!("{questions} 题，{participants} 人答题，{winners} 人获奖"),
                words: Words::Quiz {
                    questions,
                    participants,
                    winners,
                },
            }
        }
        (_, Value::Array(a)) => names(a.iter().map(plain).collect()),
        // A nested body (a template's activity): its non-empty fields in words.
        (_, Value::Object(o)) => {
            let mut keys: Vec<&String> = o.keys().filter(|k| !is_empty(&o[*k])).collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
            let parts = keys.into_iter().map(|k| {
                format!(
                    "{}：{}",
                    field_label(k),
                    value(conn, names_of, entity, k, &o[k]).text
                )
            });
            let s = parts.collect::<Vec<_>>().join("；");
            text(if s.is_empty() { EMPTY.to_string() } else { s })
        }
        (_, Value::String(s)) => match iso_date(s) {
            Some(d) if s.len() == 10 => LineValue {
                text: full_date_cn(d),
                words: Words::Date { date: s.clone() },
            },
            _ => text(s.clone()),
        },
        (_, other) => text(plain(other)),
    }
}
