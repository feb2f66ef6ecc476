//! 统计口径: which records a number counts, and the line every output states about it.
//!
//! By default every number counts approved records (已审核通过). Including pending records is
//! one choice (`include_pending`, the same words on every screen and `--include-pending` on
//! the command line). The 台账 can also list the records waiting for review or sent back, or
//! all of them, as a working list: its numbers then say so, with the split by status.

use crate::error::{AppError, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The records a number or a list counts, by review status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Basis {
    /// 已审核通过: every report's default.
    #[default]
    Approved,
    /// 已审核通过 and 待审核.
    WithPending,
    /// Only 待审核 (a working list).
    Pending,
    /// Only 已退回 (a working list).
    Returned,
    /// Every record whatever its status (a working list).
    All,
}

impl Basis {
    pub const ALL: [Basis; 5] = [
        Basis::Approved,
        Basis::WithPending,
        Basis::Pending,
        Basis::Returned,
        Basis::All,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Basis::Approved => "approved",
            Basis::WithPending => "with_pending",
            Basis::Pending => "pending",
            Basis::Returned => "returned",
            Basis::All => "all",
        }
    }

    /// The basis of a report: approved records, with the pending ones when asked.
    pub fn counted(include_pending: bool) -> Basis {
        if include_pending {
            Basis::WithPending
        } else {
            Basis::Approved
        }
    }

    /// A code as the filters carry it ("approved", "with_pending", "pending", "returned", "all").
    pub fn parse(field: &str, s: &str) -> Result<Basis> {
        let s = s.trim();
        Basis::ALL
            .into_iter()
            .find(|b| b.code() == s)
            .ok_or_else(|| {
                AppError::field(
                    ErrorCode::InvalidValue,
                    field,
                    format!(
                        "审核状态“{}”无效，可选：approved（已审核通过）、with_pending（含待审核）、pending（待审核）、returned（已退回）、all（全部）",
                        crate::validate::clip(s)
                    ),
                )
            })
    }

    /// The review statuses it takes.
    pub fn statuses(self) -> &'static [&'static str] {
        match self {
            Basis::Approved => &["approved"],
            Basis::WithPending => &["approved", "pending"],
            Basis::Pending => &["pending"],
            Basis::Returned => &["returned"],
            Basis::All => &["approved", "pending", "returned"],
        }
    }

    pub fn takes(self, status: &str) -> bool {
        self.statuses().contains(&status)
    }

    /// `column IN ('approved', …)`: the statuses are constants of this type, never user text.
    pub fn sql(self, column: &str) -> String {
        let list: Vec<String> = self.statuses().iter().map(|s| format!("'{s}'")).collect();
        format!("{column} IN ({})", list.join(", "))
    }

    /// The records it counts, in words ("已审核通过的活动记录").
    pub fn words(self) -> &'static str {
        match self {
            Basis::Approved => "已审核通过的活动记录",
            Basis::WithPending => "已审核通过及待审核的活动记录",
            Basis::Pending => "待审核的活动记录",
            Basis::Returned => "已退回的活动记录",
            Basis::All => "全部活动记录",
        }
    }
}

/// How many records of a period and scope have each review status, whatever the basis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusCounts {
    #[ts(type = "number")]
    pub approved: i64,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
}

impl StatusCounts {
    pub fn add(&mut self, status: &str, n: i64) {
        match status {
            "approved" => self.approved += n,
            "pending" => self.pending += n,
            "returned" => self.returned += n,
            _ => {}
        }
    }

    pub fn of(&self, status: &str) -> i64 {
        match status {
            "approved" => self.approved,
            "pending" => self.pending,
            "returned" => self.returned,
            _ => 0,
        }
    }

    /// The records a basis counts.
    pub fn counted(&self, basis: Basis) -> i64 {
        basis.statuses().iter().map(|s| self.of(s)).sum()
    }
}

/// "待审核 3 场、已退回 1 场" for the statuses given, leaving out the empty ones.
fn status_list(counts: &StatusCounts, statuses: &[&str]) -> String {
    statuses
        .iter()
        .filter(|s| counts.of(s) > 0)
        .map(|s| {
            let label = match *s {
                "approved" => "已审核通过",
                "pending" => "待审核",
                _ => "已退回",
            };
            format!("{label} {} 场", counts.of(s))
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The split shown under totals that list records not approved: "其中待审核 3 场、已退回 1 场".
/// None when every counted record is approved.
pub fn split(basis: Basis, counts: &StatusCounts) -> Option<String> {
    let list = status_list(
        counts,
        &basis
            .statuses()
            .iter()
            .copied()
            .filter(|s| *s != "approved")
            .collect::<Vec<_>>(),
    );
    (!list.is_empty() && basis.takes("approved")).then(|| format!("其中{list}"))
}

/// The line every output states: "统计口径：已审核通过的活动记录（另有待审核 3 场未计入）",
/// "统计口径：已审核通过及待审核的活动记录（其中待审核 3 场）", "统计口径：待审核的活动记录（尚未审核通过，不计入正式统计）".
pub fn statement(basis: Basis, counts: &StatusCounts) -> String {
    let head = format!("统计口径：{}", basis.words());
    let left_out: Vec<&str> = ["pending", "returned"]
        .into_iter()
        .filter(|s| !basis.takes(s))
        .collect();
    let detail = match basis {
        Basis::Pending | Basis::Returned => Some("尚未审核通过，不计入正式统计".to_string()),
        _ => {
            let mut parts = Vec::new();
            if let Some(s) = split(basis, counts) {
                parts.push(s);
            }
            let out = status_list(counts, &left_out);
            if !out.is_empty() {
                parts.push(format!("另有{out}未计入"));
            }
            (!parts.is_empty()).then(|| parts.join("；"))
        }
    };
    match detail {
        Some(d) => format!("{head}（{d}）"),
        None => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(approved: i64, pending: i64, returned: i64) -> StatusCounts {
        StatusCounts {
            approved,
            pending,
            returned,
        }
    }

    #[test]
    fn every_basis_has_a_code_that_parses_back() {
        for b in Basis::ALL {
            assert_eq!(Basis::parse("review_status", b.code()).unwrap(), b);
            let json = serde_json::to_string(&b).unwrap();
            assert_eq!(json, format!("\"{}\"", b.code()));
        }
        let e = Basis::parse("review_status", "done").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("review_status"));
        assert!(e.message.contains("“done”"), "{}", e.message);
        assert_eq!(Basis::counted(false), Basis::Approved);
        assert_eq!(Basis::counted(true), Basis::WithPending);
        assert_eq!(
            Basis::WithPending.sql("r.review_status"),
            "r.review_status IN ('approved', 'pending')"
        );
    }

    #[test]
    fn the_statement_names_the_basis_and_what_it_leaves_out() {
        let c = counts(81, 11, 7);
        assert_eq!(
            statement(Basis::Approved, &c),
            "统计口径：已审核通过的活动记录（另有待审核 11 场、已退回 7 场未计入）"
        );
        assert_eq!(
            statement(Basis::Approved, &counts(81, 0, 0)),
            "统计口径：已审核通过的活动记录"
        );
        assert_eq!(
            statement(Basis::WithPending, &c),
            "统计口径：已审核通过及待审核的活动记录（其中待审核 11 场；另有已退回 7 场未计入）"
        );
        assert_eq!(
            statement(Basis::All, &c),
            "统计口径：全部活动记录（其中待审核 11 场、已退回 7 场）"
        );
        assert_eq!(
            statement(Basis::Pending, &c),
            "统计口径：待审核的活动记录（尚未审核通过，不计入正式统计）"
        );
        assert_eq!(split(Basis::Approved, &c), None);
        assert_eq!(
            split(Basis::All, &c).as_deref(),
            Some("其中待审核 11 场、已退回 7 场")
        );
        assert_eq!(split(Basis::All, &counts(5, 0, 0)), None);
        assert_eq!(c.counted(Basis::All), 99);
        assert_eq!(c.counted(Basis::WithPending), 92);
    }
}
