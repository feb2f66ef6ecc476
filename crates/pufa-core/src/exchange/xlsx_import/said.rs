//! What the import says of a row or a sheet, in parts: a code the UI words in the user's
//! language (English in `ui/src/locales/en/import.json`), the specifics by name, and the zh-CN
//! sentence the CLI prints and the Chinese window shows.
use super::*;
use serde_json::{Map, Value};

/// Every kind of problem, note or skip the import reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportProblem")]
pub enum Problem {
    // A row's errors.
    DateMissing,
    DateInvalid,
    DateNoYear,
    TimeInvalid,
    NotANumber,
    Negative,
    NotWhole,
    TooLarge,
    NoVillageColumn,
    VillageMissing,
    VillageAmbiguous,
    VillageUnknown,
    TitleMissing,
    NoFormatColumn,
    FormatMissing,
    ParticipantsMissing,
    RecorderMissing,
    QuantityWithoutMaterial,
    MaterialUnknown,
    QuantityMissing,
    TooLong,
    FormulaError,
    ContinuationFull,
    ContinuationUnreadable,
    Locked,
    /// The record's own checks refused it: `error` is the [`ErrorCode`], with its field and
    /// params, which the UI words as it words any error.
    Refused,
    // What was read otherwise than written, or left out on purpose.
    DateRange,
    NotInList,
    Approximate,
    CopiesWithoutName,
    MergedNumber,
    ContinuationDiffers,
    Continued,
    TotalRow,
    ExampleRow,
    StockShort,
    /// A row imported before that now says something else (已修改).
    Corrected,
    // Why a sheet is not read.
    SheetSummary,
    SheetCover,
    SheetHelp,
    SheetBlank,
    SheetNoHeader,
    SheetNotWorksheet,
    TemplateHelp,
    TemplateOptions,
    HeaderIncomplete,
    RequiredUnmapped,
}

/// A message before the row and column are put in front of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Said {
    pub code: Problem,
    pub params: Map<String, Value>,
    pub zh: String,
}

impl Said {
    pub(crate) fn new(code: Problem, zh: impl Into<String>) -> Self {
        Said {
            code,
            params: Map::new(),
            zh: zh.into(),
        }
    }

    /// The message with one more specific (`shown`, `max`, `first` …) for the UI's words.
    pub(crate) fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// The message as it is, filed under a row and a column.
    pub(crate) fn at(self, row: u32, column: String) -> RowError {
        RowError {
            sheet: String::new(),
            row,
            column,
            message: self.zh,
            code: self.code,
            params: self.params,
        }
    }

    /// A record's own check that refused the row, kept whole for the UI.
    pub(crate) fn refused(e: &AppError) -> Self {
        let mut said = Said::new(Problem::Refused, e.message.clone())
            .with("error", serde_json::to_value(e.code).unwrap_or(Value::Null));
        if let Some(f) = &e.field {
            said = said.with("field", f.as_str());
        }
        keep_unset(&mut said.params, e.params.clone());
        said
    }

    /// A whole workbook refused for what one of its sheets lacks (no sheet could be read).
    pub(super) fn rejected(self) -> AppError {
        let reason = serde_json::to_value(self.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut e = rejected(&reason, self.zh);
        keep_unset(&mut e.params, self.params);
        e
    }
}

/// Adds the specifics of `from` that `to` does not have yet.
fn keep_unset(to: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        to.entry(k).or_insert(v);
    }
}

/// "200余" read as 200: said where a count was written as an approximation.
pub(super) fn approximate(written: &str, value: i64) -> Said {
    Said::new(
        Problem::Approximate,
        format!("“{written}”按{value}计（约数）"),
    )
    .with("written", written)
    .with("value", value)
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh)
    }
}
