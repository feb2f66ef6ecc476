//! The one command layer. The Tauri window sends `{"cmd": "...", "args": {...}}` to `dispatch`;
//! the CLI builds the same requests. A command is written once, here.

use crate::activity::{self, Activity, ActivityFilter, ActivityInput, Recurrence, SeriesScope};
use crate::attachment;
use crate::audit::{self, AuditFilter};
use crate::backup::{self, BackupKind};
use crate::campaign::{self, CampaignFilter, CampaignInput};
use crate::check;
use crate::conflicts::{self, Conflict, ConflictKind};
use crate::db::Db;
use crate::demo::{self, DemoInput};
use crate::draft;
use crate::error::{AppError, ErrorCode, Result};
use crate::exchange;
use crate::exchange::package::{Keep, PackageScope};
use crate::export;
use crate::export::report_docx::{ReportKind, ReportTextInput};
use crate::holidays::{self, HolidayDay};
use crate::inventory::{self, MaterialInput, ReceiptInput, TransferInput};
use crate::keydates::{self, LocalNodeInput, OverrideInput};
use crate::person::{self, PersonFilter, PersonInput};
use crate::plan::{self, PlanTemplate};
use crate::record::{self, PageRequest, RecordFilter, RecordInput, ReviewAction};
use crate::reports::pivot::PivotRequest;
use crate::reports::{self, SummaryFilter};
use crate::school_calendar::{self, SchoolCalendarInput};
use crate::town::{self, SetupInput, UserInput};
use crate::unit::{self, UnitFilter, UnitInput};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "cmd", content = "args", rename_all = "snake_case")]
#[ts(export)]
pub enum Request {
    AppInfo,
    SetLocale {
        locale: String,
    },
    Setup(SetupInput),
    LoadDemo(DemoInput),
    UpdateUser(UserInput),
    UnitList(UnitFilter),
    UnitCreate(UnitInput),
    UnitUpdate {
        id: String,
        input: UnitInput,
    },
    UnitArchive {
        id: String,
        archived: bool,
    },
    UnitDelete {
        id: String,
    },
    /// A village's market days (赶集日): "农历1/4/7", "公历2/5/8", or empty for none.
    UnitSetMarketDays {
        /// A unit id or name.
        unit: String,
        market_days: String,
    },
    PersonList(PersonFilter),
    PersonCreate(PersonInput),
    PersonUpdate {
        id: String,
        input: PersonInput,
    },
    PersonArchive {
        id: String,
        archived: bool,
    },
    PersonDelete {
        id: String,
    },
    CampaignList(CampaignFilter),
    CampaignGet {
        id: String,
    },
    CampaignCreate(CampaignInput),
    CampaignUpdate {
        id: String,
        input: CampaignInput,
    },
    CampaignArchive {
        id: String,
        archived: bool,
    },
    CampaignDelete {
        id: String,
    },
    /// Every 普法 node of a year (national and local) with its dates.
    KeydateList {
        year: i32,
    },
    KeydateOverrideSet(OverrideInput),
    KeydateOverrideClear {
        node_code: String,
        year: i32,
    },
    /// Confirms a node's year as shown: a provisional (待公布) date and last year's theme
    /// offered as a draft become the coordinator's.
    KeydateConfirm {
        node_code: String,
        year: i32,
    },
    KeydateNodeList,
    KeydateNodeCreate(LocalNodeInput),
    KeydateNodeUpdate {
        id: String,
        input: LocalNodeInput,
    },
    KeydateNodeDelete {
        id: String,
    },
    ActivityList(ActivityFilter),
    /// The calendar grid: the slim rows of `activity_list`.
    ActivityCalendar(ActivityFilter),
    ActivityGet {
        id: String,
    },
    /// One activity, or a series when `recurrence` is given.
    ActivityCreate {
        input: ActivityInput,
        #[serde(default)]
        recurrence: Option<Recurrence>,
    },
    ActivityUpdate {
        id: String,
        input: ActivityInput,
        #[serde(default)]
        scope: SeriesScope,
    },
    /// Drag and drop on the calendar (undo is another reschedule back).
    ActivityReschedule {
        id: String,
        date: String,
        #[serde(default)]
        start_time: Option<String>,
        #[serde(default)]
        end_time: Option<String>,
    },
    ActivitySetStatus {
        id: String,
        status: String,
        #[serde(default)]
        reason: Option<String>,
    },
    ActivityDelete {
        id: String,
        #[serde(default)]
        scope: SeriesScope,
    },
    ConflictList {
        year: i32,
    },
    ConflictsForActivity {
        id: String,
    },
    ConflictIgnore {
        kind: ConflictKind,
        a: String,
        b: String,
        ignored: bool,
    },
    Coverage {
        campaign_id: String,
    },
    HolidayList {
        year: i32,
    },
    HolidaySetYear {
        year: i32,
        days: Vec<HolidayDay>,
    },
    /// The county's school calendar of a year (寒假/暑假): entered, else estimated (估计).
    SchoolCalendarGet {
        year: i32,
    },
    /// Enters a year's school calendar from the education bureau's notice.
    SchoolCalendarSet(SchoolCalendarInput),
    /// Forgets the entered calendar: the estimate applies again.
    SchoolCalendarClear {
        year: i32,
    },
    TemplateList,
    TemplateSave(PlanTemplate),
    TemplateDelete {
        key: String,
    },
    /// A template's campaign plus one planned activity per unit (names or ids, or all).
    TemplateApply {
        template: String,
        year: i32,
        #[serde(default)]
        unit_ids: Vec<String>,
        #[serde(default)]
        all_units: bool,
    },
    /// "生成年度计划": the nodes' campaigns with their activities on working days; no nodes =
    /// the standard set of a township's year.
    PlanGenerate {
        year: i32,
        #[serde(default)]
        nodes: Vec<String>,
    },
    /// "复制上一年计划".
    PlanCopyYear {
        from_year: i32,
        to_year: i32,
    },
    MaterialList {
        #[serde(default)]
        include_archived: bool,
    },
    MaterialCreate(MaterialInput),
    MaterialUpdate {
        id: String,
        input: MaterialInput,
    },
    MaterialArchive {
        id: String,
        archived: bool,
    },
    /// 入库.
    StockReceive(ReceiptInput),
    /// 调拨 (town store → a village's, or back).
    StockTransfer(TransferInput),
    /// Balances per store and overall, with low-stock warnings.
    StockReport,
    StockMovements {
        #[serde(default)]
        material_id: Option<String>,
    },
    RecordList(RecordFilter),
    /// One page of the 台账 (newest first) and the totals of everything the filter selects.
    RecordPage {
        #[serde(default)]
        filter: RecordFilter,
        page: PageRequest,
    },
    /// Records by review status, of a village or all.
    RecordStatusCounts {
        #[serde(default)]
        unit_id: Option<String>,
    },
    /// Planned activities and held records of a period, by date (tagged "kind").
    ActivityLedger(ActivityFilter),
    RecordGet {
        id: String,
    },
    /// A new record's form, pre-filled from a planned activity.
    RecordPrefill {
        activity_id: String,
    },
    RecordCreate(RecordInput),
    RecordUpdate {
        id: String,
        input: RecordInput,
    },
    RecordDelete {
        id: String,
    },
    RecordReview {
        id: String,
        action: ReviewAction,
        #[serde(default)]
        comment: Option<String>,
    },
    AttachmentList {
        record_id: String,
    },
    /// Copies a file (a path the user chose) into the data folder.
    AttachmentAdd {
        record_id: String,
        path: String,
        kind: String,
    },
    AttachmentRemove {
        id: String,
    },
    /// A picture's thumbnail as a `data:` URL (null for other files).
    AttachmentThumbnail {
        id: String,
    },
    DraftSave {
        key: String,
        #[ts(type = "unknown")]
        body: Value,
    },
    DraftGet {
        key: String,
    },
    DraftList,
    DraftDiscard {
        key: String,
    },
    /// The dashboard's numbers for a period and scope.
    Summary(SummaryFilter),
    /// The 透视表: rows (and columns) by month, campaign, node, village, audience, format, law or
    /// material, one measure, with totals.
    Pivot(PivotRequest),
    /// The 透视表 as Excel, exactly as `pivot` gives it.
    ExportPivotXlsx {
        request: PivotRequest,
        path: String,
    },
    /// The plan (or one campaign) as an iCalendar file for phones and Outlook.
    ExportIcs {
        path: String,
        #[serde(default)]
        campaign_id: Option<String>,
    },
    /// 年度普法工作计划表 (xlsx).
    ExportPlanXlsx {
        year: i32,
        path: String,
    },
    /// The 台账 as Excel: every record with its fields and materials, plus totals sheets.
    ExportLedgerXlsx {
        path: String,
        #[serde(default)]
        filter: RecordFilter,
    },
    /// The attachments of the filtered records in a zip, a folder per activity.
    ExportPhotos {
        path: String,
        #[serde(default)]
        filter: RecordFilter,
    },
    /// The 台账 rows as CSV with a UTF-8 BOM.
    ExportCsv {
        path: String,
        #[serde(default)]
        filter: RecordFilter,
    },
    /// The whole audit trail as Excel (操作记录), one row per changed field; `since`/`until`
    /// are local dates, both optional and inclusive.
    ExportAuditXlsx {
        path: String,
        #[serde(default)]
        since: Option<String>,
        #[serde(default)]
        until: Option<String>,
    },
    /// 普法工作年度总结 of a year as Word (公文 format), with the text saved for it.
    ExportReportDocx {
        year: i32,
        path: String,
        /// Count records waiting for review too (stated in the document).
        #[serde(default)]
        include_pending: bool,
    },
    /// A campaign's 情况报告 as Word (公文 format), with the text saved for it.
    ExportCampaignDocx {
        campaign_id: String,
        path: String,
        /// Count records waiting for review too (stated in the document).
        #[serde(default)]
        include_pending: bool,
    },
    /// The text people write for a report (主要做法, 存在的问题, 下一步工作打算): what is
    /// saved, else last year's (`from_last_year`), else empty.
    ReportTextGet {
        kind: ReportKind,
        /// The year ("2026") for `annual`, the campaign id for `campaign`.
        scope: String,
    },
    /// Saves the text of a report (each block at most 5,000 characters); audited.
    ReportTextSave(ReportTextInput),
    /// The audit trail, newest first (a record's history: entity + entity_id).
    AuditList(AuditFilter),
    Check,
    /// A backup of everything (database and attachments) into one file the user chose.
    BackupCreate {
        path: String,
    },
    /// The automatic backups in the data folder, newest first.
    BackupList,
    /// Checks a backup file whole and says what it holds, read from its database (the preview
    /// before a restore), and whether it is another town's.
    BackupInspect {
        path: String,
    },
    /// Puts a backup in place of the current data (which is backed up first); audited in the
    /// same swap. Another town's backup needs `confirm_other_town`.
    BackupRestore {
        path: String,
        #[serde(default)]
        confirm_other_town: bool,
    },
    /// The 活动登记表 template (xlsx) with drop-down lists of this town's villages, formats,
    /// audiences and materials.
    ImportTemplate {
        path: String,
    },
    /// Reads a filled-in 活动登记表 and says what an import would do; writes nothing.
    ImportPreview {
        path: String,
    },
    /// Imports the valid, new rows of a 活动登记表 in one transaction, after a backup.
    ImportXlsx {
        path: String,
    },
    /// Writes a data package (.pufapkg) of everything, of what changed since the last one, or
    /// of one village, for another laptop; marks what it holds as exchanged.
    PackageExport {
        path: String,
        #[serde(default)]
        scope: PackageScope,
    },
    /// Merges a data package from another laptop in one transaction (a backup is made once it
    /// has passed every check); says what was added, updated, in conflict, held back as outside
    /// its maker's rights and unchanged. A package from a laptop not seen before that says it is
    /// the town's needs `trust_device`.
    PackageImport {
        path: String,
        #[serde(default)]
        trust_device: bool,
    },
    /// The rows both sides changed (open ones first), each with both versions.
    SyncConflictList,
    /// Settles a conflict with the version the user chose; audited.
    SyncConflictResolve {
        id: String,
        keep: Keep,
    },
}

/// A file a request reads or writes. The window takes a request only when each is a file the
/// user chose in one of its dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileUse<'a> {
    Read(&'a str),
    Write(&'a str),
}

impl Request {
    /// The files this request reads or writes.
    pub fn files(&self) -> Vec<FileUse<'_>> {
        use Request::*;
        match self {
            AttachmentAdd { path, .. }
            | BackupInspect { path }
            | BackupRestore { path, .. }
            | ImportPreview { path }
            | ImportXlsx { path }
            | PackageImport { path, .. } => vec![FileUse::Read(path)],
            ExportPivotXlsx { path, .. }
            | ExportIcs { path, .. }
            | ExportPlanXlsx { path, .. }
            | ExportLedgerXlsx { path, .. }
            | ExportPhotos { path, .. }
            | ExportCsv { path, .. }
            | ExportAuditXlsx { path, .. }
            | ExportReportDocx { path, .. }
            | ExportCampaignDocx { path, .. }
            | BackupCreate { path }
            | ImportTemplate { path }
            | PackageExport { path, .. } => vec![FileUse::Write(path)],
            _ => Vec::new(),
        }
    }
}

/// What a save of an activity returns: the saved occurrences and the warnings they raise.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ActivitySaved {
    pub activities: Vec<Activity>,
    pub conflicts: Vec<Conflict>,
}

fn saved(db: &Db, activities: Vec<Activity>) -> Result<Value> {
    let mut found: Vec<Conflict> = Vec::new();
    for a in &activities {
        for c in conflicts::for_activity(&db.conn, &a.id)? {
            if !found
                .iter()
                .any(|f| f.kind == c.kind && f.a == c.a && f.b == c.b)
            {
                found.push(c);
            }
        }
    }
    to_value(ActivitySaved {
        activities,
        conflicts: found,
    })
}

fn to_value<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| AppError::new(ErrorCode::BadRequest, e.to_string()))
}

/// Runs one request against the database and returns its result as JSON.
pub fn handle(db: &mut Db, request: Request) -> Result<Value> {
    handle_with_progress(db, request, &mut |_, _| true)
}

/// `handle`, telling `progress(done, total)` how a long job goes (a scaled demo); the job
/// stops, keeping nothing, when it returns false. Short requests never call it.
pub fn handle_with_progress(
    db: &mut Db,
    request: Request,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Value> {
    use Request::*;
    match request {
        AppInfo => to_value(town::app_info(db)?),
        SetLocale { locale } => {
            town::set_locale(db, &locale)?;
            to_value(town::app_info(db)?)
        }
        Setup(input) => to_value(town::setup(db, &input)?),
        LoadDemo(input) => to_value(demo::load_with_progress(db, &input, progress)?),
        UpdateUser(input) => to_value(town::update_user(db, &input)?),
        UnitList(f) => to_value(unit::list(&db.conn, &f)?),
        UnitCreate(input) => to_value(unit::create(db, &input)?),
        UnitUpdate { id, input } => to_value(unit::update(db, &id, &input)?),
        UnitArchive { id, archived } => to_value(unit::set_archived(db, &id, archived)?),
        UnitSetMarketDays { unit, market_days } => {
            to_value(unit::set_market_days(db, &unit, &market_days)?)
        }
        UnitDelete { id } => {
            unit::delete(db, &id)?;
            Ok(json!({ "deleted": id }))
        }
        PersonList(f) => to_value(person::list(&db.conn, &f)?),
        PersonCreate(input) => to_value(person::create(db, &input)?),
        PersonUpdate { id, input } => to_value(person::update(db, &id, &input)?),
        PersonArchive { id, archived } => to_value(person::set_archived(db, &id, archived)?),
        PersonDelete { id } => {
            person::delete(db, &id)?;
            Ok(json!({ "deleted": id }))
        }
        CampaignList(f) => to_value(campaign::list(&db.conn, &f)?),
        CampaignGet { id } => to_value(campaign::get(&db.conn, &id)?),
        CampaignCreate(input) => to_value(campaign::create(db, &input)?),
        CampaignUpdate { id, input } => to_value(campaign::update(db, &id, &input)?),
        CampaignArchive { id, archived } => to_value(campaign::set_archived(db, &id, archived)?),
        CampaignDelete { id } => {
            campaign::delete(db, &id)?;
            Ok(json!({ "deleted": id }))
        }
        KeydateList { year } => to_value(keydates::for_year(&db.conn, year)?),
        KeydateOverrideSet(input) => to_value(keydates::set_override(db, &input)?),
        KeydateConfirm { node_code, year } => to_value(keydates::confirm(db, &node_code, year)?),
        KeydateOverrideClear { node_code, year } => {
            keydates::clear_override(db, &node_code, year)?;
            to_value(keydates::for_year(&db.conn, year)?)
        }
        KeydateNodeList => {
            let mut nodes = keydates::national_nodes().to_vec();
            nodes.extend(keydates::local_nodes(&db.conn)?);
            to_value(nodes)
        }
        KeydateNodeCreate(input) => to_value(keydates::create_local(db, &input)?),
        KeydateNodeUpdate { id, input } => to_value(keydates::update_local(db, &id, &input)?),
        KeydateNodeDelete { id } => {
            keydates::delete_local(db, &id)?;
            Ok(json!({ "deleted": id }))
        }
        ActivityList(f) => to_value(activity::list(&db.conn, &f)?),
        ActivityCalendar(f) => to_value(activity::calendar(&db.conn, &f)?),
        ActivityGet { id } => to_value(activity::get(&db.conn, &id)?),
        ActivityCreate { input, recurrence } => {
            let created = activity::create(db, &input, recurrence.as_ref())?;
            saved(db, created)
        }
        ActivityUpdate { id, input, scope } => {
            let a = activity::update(db, &id, &input, scope)?;
            saved(db, vec![a])
        }
        ActivityReschedule {
            id,
            date,
            start_time,
            end_time,
        } => {
            let a =
                activity::reschedule(db, &id, &date, start_time.as_deref(), end_time.as_deref())?;
            saved(db, vec![a])
        }
        ActivitySetStatus { id, status, reason } => {
            to_value(activity::set_status(db, &id, &status, reason.as_deref())?)
        }
        ActivityDelete { id, scope } => Ok(json!({ "deleted": activity::delete(db, &id, scope)? })),
        ConflictList { year } => to_value(conflicts::for_year(&db.conn, year)?),
        ConflictsForActivity { id } => to_value(conflicts::for_activity(&db.conn, &id)?),
        ConflictIgnore {
            kind,
            a,
            b,
            ignored,
        } => {
            conflicts::set_ignored(db, kind, &a, &b, ignored)?;
            Ok(json!({ "ok": true }))
        }
        Coverage { campaign_id } => to_value(conflicts::coverage(&db.conn, &campaign_id)?),
        HolidayList { year } => to_value(holidays::year(&db.conn, year)?),
        HolidaySetYear { year, days } => to_value(holidays::set_year(db, year, &days)?),
        SchoolCalendarGet { year } => to_value(school_calendar::year(&db.conn, year)?),
        SchoolCalendarSet(input) => to_value(school_calendar::set_year(db, &input)?),
        SchoolCalendarClear { year } => to_value(school_calendar::clear_year(db, year)?),
        TemplateList => to_value(plan::templates(&db.conn)?),
        TemplateSave(t) => to_value(plan::save_template(db, &t)?),
        TemplateDelete { key } => {
            plan::delete_template(db, &key)?;
            Ok(json!({ "deleted": key }))
        }
        TemplateApply {
            template,
            year,
            unit_ids,
            all_units,
        } => to_value(plan::apply_template(
            db, &template, year, &unit_ids, all_units,
        )?),
        PlanGenerate { year, nodes } => to_value(plan::generate(db, year, &nodes)?),
        PlanCopyYear { from_year, to_year } => to_value(plan::copy_year(db, from_year, to_year)?),
        MaterialList { include_archived } => {
            to_value(inventory::materials(&db.conn, include_archived)?)
        }
        MaterialCreate(input) => to_value(inventory::create_material(db, &input)?),
        MaterialUpdate { id, input } => to_value(inventory::update_material(db, &id, &input)?),
        MaterialArchive { id, archived } => {
            to_value(inventory::set_material_archived(db, &id, archived)?)
        }
        StockReceive(input) => to_value(inventory::receive(db, &input)?),
        StockTransfer(input) => to_value(inventory::transfer(db, &input)?),
        StockReport => to_value(inventory::report(&db.conn)?),
        StockMovements { material_id } => {
            to_value(inventory::movements(&db.conn, material_id.as_deref())?)
        }
        RecordList(f) => to_value(record::list(&db.conn, &f)?),
        RecordPage { filter, page } => to_value(record::page(&db.conn, &filter, &page)?),
        RecordStatusCounts { unit_id } => {
            to_value(record::status_counts(&db.conn, unit_id.as_deref())?)
        }
        ActivityLedger(f) => to_value(record::ledger(&db.conn, &f)?),
        RecordGet { id } => to_value(record::get(&db.conn, &id)?),
        RecordPrefill { activity_id } => to_value(record::prefill(&db.conn, &activity_id)?),
        RecordCreate(input) => to_value(record::create(db, &input)?),
        RecordUpdate { id, input } => to_value(record::update(db, &id, &input)?),
        RecordDelete { id } => {
            record::delete(db, &id)?;
            Ok(json!({ "deleted": id }))
        }
        RecordReview {
            id,
            action,
            comment,
        } => to_value(record::review(db, &id, action, comment.as_deref())?),
        AttachmentList { record_id } => to_value(attachment::list(&db.conn, &record_id)?),
        AttachmentAdd {
            record_id,
            path,
            kind,
        } => to_value(attachment::add(
            db,
            &record_id,
            std::path::Path::new(&path),
            &kind,
        )?),
        AttachmentThumbnail { id } => to_value(attachment::thumbnail_data_url(db, &id)?),
        AttachmentRemove { id } => {
            attachment::remove(db, &id)?;
            Ok(json!({ "deleted": id }))
        }
        DraftSave { key, body } => to_value(draft::save(&db.conn, &key, &body)?),
        DraftGet { key } => to_value(draft::get(&db.conn, &key)?),
        DraftList => to_value(draft::list(&db.conn)?),
        DraftDiscard { key } => {
            draft::discard(&db.conn, &key)?;
            Ok(json!({ "deleted": key }))
        }
        Summary(f) => to_value(reports::summary(&db.conn, &f)?),
        Pivot(r) => to_value(reports::pivot::pivot(&db.conn, &r)?),
        ExportPivotXlsx { request, path } => to_value(export::pivot_xlsx::export(
            &db.conn,
            std::path::Path::new(&path),
            &request,
        )?),
        ExportIcs { path, campaign_id } => to_value(export::ics::export(
            &db.conn,
            std::path::Path::new(&path),
            campaign_id.as_deref(),
        )?),
        ExportPlanXlsx { year, path } => to_value(export::plan_xlsx::export(
            &db.conn,
            std::path::Path::new(&path),
            year,
        )?),
        ExportLedgerXlsx { path, filter } => to_value(export::ledger::export_xlsx(
            &db.conn,
            std::path::Path::new(&path),
            &filter,
        )?),
        ExportPhotos { path, filter } => to_value(export::photos_zip::export(
            db,
            std::path::Path::new(&path),
            &filter,
        )?),
        ExportCsv { path, filter } => to_value(export::ledger::export_csv(
            &db.conn,
            std::path::Path::new(&path),
            &filter,
        )?),
        ExportAuditXlsx { path, since, until } => to_value(export::audit_xlsx::export(
            &db.conn,
            std::path::Path::new(&path),
            since.as_deref(),
            until.as_deref(),
        )?),
        ExportReportDocx {
            year,
            path,
            include_pending,
        } => to_value(export::report_docx::export_annual(
            &db.conn,
            std::path::Path::new(&path),
            year,
            include_pending,
        )?),
        ExportCampaignDocx {
            campaign_id,
            path,
            include_pending,
        } => to_value(export::report_docx::export_campaign(
            &db.conn,
            std::path::Path::new(&path),
            &campaign_id,
            include_pending,
        )?),
        ReportTextGet { kind, scope } => to_value(export::report_docx::report_text_get(
            &db.conn, kind, &scope,
        )?),
        ReportTextSave(input) => to_value(export::report_docx::report_text_save(db, &input)?),
        AuditList(f) => to_value(audit::list(&db.conn, &f)?),
        Check => to_value(check::run(db)?),
        BackupCreate { path } => to_value(backup::create(
            &db.conn,
            db.data_dir.as_deref(),
            std::path::Path::new(&path),
            BackupKind::Manual,
            progress,
        )?),
        BackupList => match db.data_dir.as_deref() {
            Some(dir) => to_value(backup::list(dir)?),
            None => to_value(Vec::<backup::BackupInfo>::new()),
        },
        BackupInspect { path } => to_value(backup::inspect(&db.conn, std::path::Path::new(&path))?),
        BackupRestore {
            path,
            confirm_other_town,
        } => to_value(backup::restore(
            db,
            std::path::Path::new(&path),
            &backup::RestoreOptions { confirm_other_town },
            progress,
        )?),
        ImportTemplate { path } => {
            exchange::template::write(&db.conn, std::path::Path::new(&path))?;
            Ok(json!({ "path": path }))
        }
        ImportPreview { path } => to_value(exchange::xlsx_import::preview(
            &db.conn,
            std::path::Path::new(&path),
            progress,
        )?),
        ImportXlsx { path } => to_value(exchange::xlsx_import::import(
            db,
            std::path::Path::new(&path),
            progress,
        )?),
        PackageExport { path, scope } => to_value(exchange::package::export(
            &db.conn,
            db.data_dir.as_deref(),
            std::path::Path::new(&path),
            &scope,
            progress,
        )?),
        PackageImport { path, trust_device } => to_value(exchange::package::import(
            db,
            std::path::Path::new(&path),
            &exchange::package::ImportOptions { trust_device },
            progress,
        )?),
        SyncConflictList => to_value(exchange::package::conflicts(&db.conn)?),
        SyncConflictResolve { id, keep } => to_value(exchange::package::resolve(db, &id, keep)?),
    }
}

/// Parses a raw JSON request (from the window) and runs it.
pub fn dispatch(db: &mut Db, raw: Value) -> Result<Value> {
    dispatch_with_progress(db, raw, &mut |_, _| true)
}

/// [`dispatch`] for a long job the window follows: `progress` as in [`handle_with_progress`].
pub fn dispatch_with_progress(
    db: &mut Db,
    raw: Value,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Value> {
    let request: Request = serde_json::from_value(raw)
        .map_err(|e| AppError::new(ErrorCode::BadRequest, format!("请求格式不正确：{e}")))?;
    handle_with_progress(db, request, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Commands that only read. Every other command must leave a trace in the audit trail.
    const READ_ONLY: &[&str] = &[
        "app_info",
        "unit_list",
        "person_list",
        "campaign_list",
        "campaign_get",
        "keydate_list",
        "keydate_node_list",
        "activity_list",
        "activity_calendar",
        "attachment_thumbnail",
        "activity_get",
        "conflict_list",
        "conflicts_for_activity",
        "coverage",
        "holiday_list",
        "school_calendar_get",
        "template_list",
        "audit_list",
        "check",
        "material_list",
        "stock_report",
        "stock_movements",
        "record_list",
        "record_page",
        "record_status_counts",
        "activity_ledger",
        "record_get",
        "record_prefill",
        "attachment_list",
        "draft_get",
        "draft_list",
        "summary",
        "pivot",
        // Exports write files for the user, not data: they leave no trace in the trail.
        "export_ics",
        "export_plan_xlsx",
        "export_ledger_xlsx",
        "export_photos",
        "export_csv",
        "export_audit_xlsx",
        "export_report_docx",
        "export_campaign_docx",
        "export_pivot_xlsx",
        "report_text_get",
        // A backup is a file for the user; a restore is traced (after it, in the restored data).
        "backup_create",
        "backup_list",
        "backup_inspect",
        // The template is a file for the user; a preview only reads.
        "import_template",
        "import_preview",
        "sync_conflict_list",
        // Drafts are unsaved form state, not data: they are not part of the trail.
        "draft_save",
        "draft_discard",
    ];

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
            if READ_ONLY.contains(&cmd.as_str()) {
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
            serde_json::to_value(plan::find_template(&db.conn, "civil_code_month").unwrap())
                .unwrap();
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
}
