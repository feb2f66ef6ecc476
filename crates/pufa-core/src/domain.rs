//! The fixed vocabularies of 普法 work: unit kinds, roles, audiences, campaign kinds.
//! Stored as stable codes; the UI translates codes, the core knows the Chinese label for
//! CLI output and reports.

use crate::error::{AppError, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Declares a code enum: serde/TS as snake_case strings, `code()`, `label()` (zh-CN),
/// `ALL`, and a parser that accepts the code or the Chinese label.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// Accepts the code ("village") or the Chinese label ("村").
            pub fn parse(field: &str, s: &str) -> Result<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s || v.label() == s).ok_or_else(|| {
                    let allowed: Vec<String> =
                        Self::ALL.iter().map(|v| format!("{}（{}）", v.label(), v.code())).collect();
                    AppError::field(
                        ErrorCode::InvalidValue,
                        field,
                        format!("{}“{}”无效，可选：{}", crate::validate::label(field),
                            crate::validate::clip(s), allowed.join("、")),
                    )
                })
            }
        }
    };
}

code_enum!(
    /// 村/社区, 学校, 企业, 场所.
    UnitKind {
        Village = "village" / "村",
        Community = "community" / "社区",
        School = "school" / "学校",
        Enterprise = "enterprise" / "企业",
        Site = "site" / "场所",
    }
);

impl UnitKind {
    /// Villages and communities are where activities are counted ("每村至少一次").
    pub fn is_village_level(self) -> bool {
        matches!(self, UnitKind::Village | UnitKind::Community)
    }

    /// A pasted village list mixes 村 and 社区: the name tells which.
    pub fn guess_from_village_name(name: &str) -> UnitKind {
        if name.ends_with("社区") || name.ends_with("居委会") {
            UnitKind::Community
        } else {
            UnitKind::Village
        }
    }
}

code_enum!(
    /// The people who do 普法 work in a town.
    PersonRole {
        VillageCadre = "village_cadre" / "村干部",
        LegalAdviser = "legal_adviser" / "法律顾问",
        VicePrincipal = "vice_principal" / "法治副校长",
        Police = "police" / "民警",
        Judge = "judge" / "法官",
        Lawyer = "lawyer" / "律师",
        LegalUnderstander = "legal_understander" / "法律明白人",
        Volunteer = "volunteer" / "志愿者",
        Staff = "staff" / "司法所工作人员",
        Other = "other" / "其他",
    }
);

code_enum!(
    /// Who is using this computer.
    UserRole {
        Coordinator = "coordinator" / "普法协调员",
        VillageCadre = "village_cadre" / "村干部",
        Leader = "leader" / "领导",
    }
);

code_enum!(
    /// 普法对象.
    Audience {
        LeadingCadres = "leading_cadres" / "领导干部",
        CivilServants = "civil_servants" / "国家工作人员",
        VillageCommittee = "village_committee" / "村(社区)两委干部",
        LegalUnderstanders = "legal_understanders" / "法律明白人",
        Students = "students" / "青少年学生",
        TeachersParents = "teachers_parents" / "教师家长",
        Residents = "residents" / "村(居)民",
        MigrantWorkers = "migrant_workers" / "农民工",
        Business = "business" / "企业经营管理人员",
        Elderly = "elderly" / "老年人",
        Women = "women" / "妇女",
        Disabled = "disabled" / "残疾人",
        Corrections = "corrections" / "社区矫正对象",
        Other = "other" / "其他",
    }
);

code_enum!(
    /// National node, targeted campaign (农民工, 青少年 …) or a local one.
    CampaignKind {
        National = "national" / "国家节点",
        Targeted = "targeted" / "专项行动",
        Local = "local" / "本地活动",
    }
);

code_enum!(
    /// Where an activity takes place (场所类型).
    VenueType {
        Market = "market" / "集市",
        Courtyard = "courtyard" / "院坝",
        School = "school" / "学校",
        Worksite = "worksite" / "工地",
        Station = "station" / "车站",
        Enterprise = "enterprise" / "企业",
        ServiceCenter = "service_center" / "党群服务中心",
        Household = "household" / "入户",
        Square = "square" / "广场",
        Online = "online" / "线上",
        Other = "other" / "其他",
    }
);

code_enum!(
    /// How 普法 is done (活动形式).
    ActivityFormat {
        CourtyardMeeting = "courtyard_meeting" / "院坝会",
        LawClass = "law_class" / "法治课堂",
        Lecture = "lecture" / "法治讲座",
        StreetCampaign = "street_campaign" / "集中宣传",
        CaseExplained = "case_explained" / "以案释法",
        Quiz = "quiz" / "有奖问答",
        Consultation = "consultation" / "法律咨询",
        DoorToDoor = "door_to_door" / "送法入户",
        Performance = "performance" / "文艺演出",
        MockTrial = "mock_trial" / "模拟法庭",
        MorningReading = "morning_reading" / "宪法晨读",
        Online = "online" / "线上宣传",
        Other = "other" / "其他",
    }
);

code_enum!(
    /// Where a planned activity stands.
    ActivityStatus {
        Planned = "planned" / "计划中",
        Held = "held" / "已开展",
        Cancelled = "cancelled" / "已取消",
        Postponed = "postponed" / "已延期",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_code_and_label() {
        assert_eq!(UnitKind::parse("kind", "school").unwrap(), UnitKind::School);
        assert_eq!(UnitKind::parse("kind", "学校").unwrap(), UnitKind::School);
        let e = UserRole::parse("role", "boss").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidValue);
        assert_eq!(e.field.as_deref(), Some("role"));
        assert!(
            e.message.contains("普法协调员（coordinator）"),
            "{}",
            e.message
        );
    }

    #[test]
    fn codes_round_trip_through_serde() {
        for a in Audience::ALL {
            let json = serde_json::to_string(a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.code()));
        }
    }

    #[test]
    fn community_names_are_recognised() {
        assert_eq!(
            UnitKind::guess_from_village_name("双龙社区"),
            UnitKind::Community
        );
        assert_eq!(
            UnitKind::guess_from_village_name("安静村"),
            UnitKind::Village
        );
    }
}
