//! The list of commands: each once, with its arguments, its answer, whether it changes data,
//! and what it does (see `command_list!` in the module above).

use super::{saved, ActivitySaved, Deleted, DeletedMany, Done, Written};
use crate::activity::{self, Activity, ActivityFilter, ActivityInput, Recurrence, SeriesScope};
use crate::attachment;
use crate::audit::AuditFilter;
use crate::backup::{self, BackupKind};
use crate::campaign::{self, CampaignFilter, CampaignInput};
use crate::check;
use crate::conflicts::{self, Conflict, ConflictKind};
use crate::db::Db;
use crate::demo::{self, DemoInput};
use crate::draft;
use crate::error::Result;
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
use crate::trail;
use crate::unit::{self, UnitFilter, UnitInput};
use serde_json::Value;

command_list! {
    app_info: AppInfo -> town::AppInfo, reads
        => |db, progress| town::app_info(db);
    set_locale: SetLocale {
        locale: String,
    } -> town::AppInfo, writes
        => |db, progress| {
            town::set_locale(db, &locale)?;
            town::app_info(db)
        };
    setup: Setup(input: SetupInput) -> town::AppInfo, writes
        => |db, progress| town::setup(db, &input);
    load_demo: LoadDemo(input: DemoInput) -> town::AppInfo, writes
        => |db, progress| demo::load_with_progress(db, &input, progress);
    update_user: UpdateUser(input: UserInput) -> town::AppInfo, writes
        => |db, progress| town::update_user(db, &input);
    /// The people who use this data folder (the header's switcher).
    user_list: UserList -> Vec<town::UserProfile>, reads
        => |db, progress| town::list_users(&db.conn);
    /// Adds a person to this data folder and makes them its current user.
    user_add: UserAdd(input: UserInput) -> town::AppInfo, writes
        => |db, progress| town::add_user(db, &input);
    /// Makes another of this data folder's people its current user.
    user_switch: UserSwitch {
        id: String,
    } -> town::AppInfo, writes
        => |db, progress| town::switch_user(db, &id);
    unit_list: UnitList(f: UnitFilter) -> Vec<unit::Unit>, reads
        => |db, progress| unit::list(&db.conn, &f);
    unit_create: UnitCreate(input: UnitInput) -> unit::Unit, writes
        => |db, progress| unit::create(db, &input);
    unit_update: UnitUpdate {
        id: String,
        input: UnitInput,
    } -> unit::Unit, writes
        => |db, progress| unit::update(db, &id, &input);
    unit_archive: UnitArchive {
        id: String,
        archived: bool,
    } -> unit::Unit, writes
        => |db, progress| unit::set_archived(db, &id, archived);
    unit_delete: UnitDelete {
        id: String,
    } -> Deleted, writes
        => |db, progress| {
            unit::delete(db, &id)?;
            Ok(Deleted { deleted: id })
        };
    /// A village's market days (赶集日): "农历1/4/7", "公历2/5/8", or empty for none.
    unit_set_market_days: UnitSetMarketDays {
        /// A unit id or name.
        unit: String,
        market_days: String,
    } -> unit::Unit, writes
        => |db, progress| {
            unit::set_market_days(db, &unit, &market_days)
        };
    person_list: PersonList(f: PersonFilter) -> Vec<person::Person>, reads
        => |db, progress| person::list(&db.conn, &f);
    person_create: PersonCreate(input: PersonInput) -> person::Person, writes
        => |db, progress| person::create(db, &input);
    person_update: PersonUpdate {
        id: String,
        input: PersonInput,
    } -> person::Person, writes
        => |db, progress| person::update(db, &id, &input);
    person_archive: PersonArchive {
        id: String,
        archived: bool,
    } -> person::Person, writes
        => |db, progress| person::set_archived(db, &id, archived);
    person_delete: PersonDelete {
        id: String,
    } -> Deleted, writes
        => |db, progress| {
            person::delete(db, &id)?;
            Ok(Deleted { deleted: id })
        };
    campaign_list: CampaignList(f: CampaignFilter) -> Vec<campaign::Campaign>, reads
        => |db, progress| campaign::list(&db.conn, &f);
    campaign_get: CampaignGet {
        id: String,
    } -> campaign::Campaign, reads
        => |db, progress| campaign::get(&db.conn, &id);
    campaign_create: CampaignCreate(input: CampaignInput) -> campaign::Campaign, writes
        => |db, progress| campaign::create(db, &input);
    campaign_update: CampaignUpdate {
        id: String,
        input: CampaignInput,
    } -> campaign::Campaign, writes
        => |db, progress| campaign::update(db, &id, &input);
    campaign_archive: CampaignArchive {
        id: String,
        archived: bool,
    } -> campaign::Campaign, writes
        => |db, progress| campaign::set_archived(db, &id, archived);
    campaign_delete: CampaignDelete {
        id: String,
    } -> Deleted, writes
        => |db, progress| {
            campaign::delete(db, &id)?;
            Ok(Deleted { deleted: id })
        };
    /// Every 普法 node of a year (national and local) with its dates.
    keydate_list: KeydateList {
        year: i32,
    } -> Vec<keydates::KeyDate>, reads
        => |db, progress| keydates::for_year(&db.conn, year);
    keydate_override_set: KeydateOverrideSet(input: OverrideInput) -> keydates::KeyDate, writes
        => |db, progress| plan::set_override(db, &input);
    keydate_override_clear: KeydateOverrideClear {
        node_code: String,
        year: i32,
    } -> Vec<keydates::KeyDate>, writes
        => |db, progress| {
            keydates::clear_override(db, &node_code, year)?;
            keydates::for_year(&db.conn, year)
        };
    /// Confirms a node's year as shown: a provisional (待公布) date and last year's theme
    /// offered as a draft become the coordinator's.
    keydate_confirm: KeydateConfirm {
        node_code: String,
        year: i32,
    } -> keydates::KeyDate, writes
        => |db, progress| plan::confirm(db, &node_code, year);
    keydate_node_list: KeydateNodeList -> Vec<keydates::KeyDateNode>, reads
        => |db, progress| {
            let mut nodes = keydates::national_nodes().to_vec();
            nodes.extend(keydates::local_nodes(&db.conn)?);
            Ok(nodes)
        };
    keydate_node_create: KeydateNodeCreate(input: LocalNodeInput) -> keydates::KeyDateNode, writes
        => |db, progress| keydates::create_local(db, &input);
    keydate_node_update: KeydateNodeUpdate {
        id: String,
        input: LocalNodeInput,
    } -> keydates::KeyDateNode, writes
        => |db, progress| keydates::update_local(db, &id, &input);
    keydate_node_delete: KeydateNodeDelete {
        id: String,
    } -> Deleted, writes
        => |db, progress| {
            keydates::delete_local(db, &id)?;
            Ok(Deleted { deleted: id })
        };
    activity_list: ActivityList(f: ActivityFilter) -> Vec<Activity>, reads
        => |db, progress| activity::list(&db.conn, &f);
    /// The calendar grid: the slim rows of `activity_list`.
    activity_calendar: ActivityCalendar(f: ActivityFilter) -> Vec<activity::CalendarItem>, reads
        => |db, progress| activity::calendar(&db.conn, &f);
    activity_get: ActivityGet {
        id: String,
    } -> Activity, reads
        => |db, progress| activity::get(&db.conn, &id);
    /// One activity, or a series when `recurrence` is given.
    activity_create: ActivityCreate {
        input: ActivityInput,
        #[serde(default)]
        recurrence: Option<Recurrence>,
    } -> ActivitySaved, writes
        => |db, progress| {
            let created = activity::create(db, &input, recurrence.as_ref())?;
            saved(db, created)
        };
    activity_update: ActivityUpdate {
        id: String,
        input: ActivityInput,
        #[serde(default)]
        scope: SeriesScope,
    } -> ActivitySaved, writes
        => |db, progress| {
            let a = activity::update(db, &id, &input, scope)?;
            saved(db, vec![a])
        };
    /// Drag and drop on the calendar (undo is another reschedule back).
    activity_reschedule: ActivityReschedule {
        id: String,
        date: String,
        #[serde(default)]
        start_time: Option<String>,
        #[serde(default)]
        end_time: Option<String>,
    } -> ActivitySaved, writes
        => |db, progress| {
            let a =
                activity::reschedule(db, &id, &date, start_time.as_deref(), end_time.as_deref())?;
            saved(db, vec![a])
        };
    activity_set_status: ActivitySetStatus {
        id: String,
        status: String,
        #[serde(default)]
        reason: Option<String>,
    } -> Activity, writes
        => |db, progress| {
            activity::set_status(db, &id, &status, reason.as_deref())
        };
    activity_delete: ActivityDelete {
        id: String,
        #[serde(default)]
        scope: SeriesScope,
    } -> DeletedMany, writes
        => |db, progress| Ok(DeletedMany { deleted: activity::delete(db, &id, scope)? });
    conflict_list: ConflictList {
        year: i32,
    } -> Vec<Conflict>, reads
        => |db, progress| conflicts::for_year(&db.conn, year);
    conflicts_for_activity: ConflictsForActivity {
        id: String,
    } -> Vec<Conflict>, reads
        => |db, progress| conflicts::for_activity(&db.conn, &id);
    conflict_ignore: ConflictIgnore {
        kind: ConflictKind,
        a: String,
        b: String,
        ignored: bool,
    } -> Done, writes
        => |db, progress| {
            conflicts::set_ignored(db, kind, &a, &b, ignored)?;
            Ok(Done { ok: true })
        };
    coverage: Coverage {
        campaign_id: String,
    } -> conflicts::Coverage, reads
        => |db, progress| conflicts::coverage(&db.conn, &campaign_id);
    holiday_list: HolidayList {
        year: i32,
    } -> holidays::HolidayYear, reads
        => |db, progress| holidays::year(&db.conn, year);
    holiday_set_year: HolidaySetYear {
        year: i32,
        days: Vec<HolidayDay>,
    } -> holidays::HolidayYear, writes
        => |db, progress| holidays::set_year(db, year, &days);
    /// The county's school calendar of a year (寒假/暑假): entered, else estimated (估计).
    school_calendar_get: SchoolCalendarGet {
        year: i32,
    } -> school_calendar::SchoolCalendar, reads
        => |db, progress| school_calendar::year(&db.conn, year);
    /// Enters a year's school calendar from the education bureau's notice.
    school_calendar_set: SchoolCalendarSet(input: SchoolCalendarInput) -> school_calendar::SchoolCalendar, writes
        => |db, progress| school_calendar::set_year(db, &input);
    /// Forgets the entered calendar: the estimate applies again.
    school_calendar_clear: SchoolCalendarClear {
        year: i32,
    } -> school_calendar::SchoolCalendar, writes
        => |db, progress| school_calendar::clear_year(db, year);
    template_list: TemplateList -> Vec<PlanTemplate>, reads
        => |db, progress| plan::templates(&db.conn);
    template_save: TemplateSave(t: PlanTemplate) -> PlanTemplate, writes
        => |db, progress| plan::save_template(db, &t);
    template_delete: TemplateDelete {
        key: String,
    } -> Deleted, writes
        => |db, progress| {
            plan::delete_template(db, &key)?;
            Ok(Deleted { deleted: key })
        };
    /// A template's campaign plus one planned activity per unit (names or ids, or all).
    template_apply: TemplateApply {
        template: String,
        year: i32,
        #[serde(default)]
        unit_ids: Vec<String>,
        #[serde(default)]
        all_units: bool,
    } -> plan::PlanApplied, writes
        => |db, progress| plan::apply_template(
            db, &template, year, &unit_ids, all_units,
        );
    /// "生成年度计划": the nodes' campaigns with their activities on working days; no nodes =
    /// the standard set of a township's year.
    plan_generate: PlanGenerate {
        year: i32,
        #[serde(default)]
        nodes: Vec<String>,
    } -> plan::PlanGenerated, writes
        => |db, progress| plan::generate(db, year, &nodes);
    /// "复制上一年计划".
    plan_copy_year: PlanCopyYear {
        from_year: i32,
        to_year: i32,
    } -> plan::PlanCopied, writes
        => |db, progress| plan::copy_year(db, from_year, to_year);
    material_list: MaterialList {
        #[serde(default)]
        include_archived: bool,
    } -> Vec<inventory::Material>, reads
        => |db, progress| {
            inventory::materials(&db.conn, include_archived)
        };
    material_create: MaterialCreate(input: MaterialInput) -> inventory::Material, writes
        => |db, progress| inventory::create_material(db, &input);
    material_update: MaterialUpdate {
        id: String,
        input: MaterialInput,
    } -> inventory::Material, writes
        => |db, progress| inventory::update_material(db, &id, &input);
    material_archive: MaterialArchive {
        id: String,
        archived: bool,
    } -> inventory::Material, writes
        => |db, progress| {
            inventory::set_material_archived(db, &id, archived)
        };
    /// 入库.
    stock_receive: StockReceive(input: ReceiptInput) -> inventory::Movement, writes
        => |db, progress| inventory::receive(db, &input);
    /// 调拨 (town store → a village's, or back).
    stock_transfer: StockTransfer(input: TransferInput) -> inventory::Movement, writes
        => |db, progress| inventory::transfer(db, &input);
    /// Balances per store and overall, with low-stock warnings.
    stock_report: StockReport -> inventory::StockReport, reads
        => |db, progress| inventory::report(&db.conn);
    stock_movements: StockMovements {
        #[serde(default)]
        material_id: Option<String>,
    } -> Vec<inventory::Movement>, reads
        => |db, progress| {
            inventory::movements(&db.conn, material_id.as_deref())
        };
    record_list: RecordList(f: RecordFilter) -> Vec<record::Record>, reads
        => |db, progress| record::list(&db.conn, &f);
    /// One page of the 台账 (newest first) and the totals of everything the filter selects.
    record_page: RecordPage {
        #[serde(default)]
        filter: RecordFilter,
        page: PageRequest,
    } -> record::RecordPage, reads
        => |db, progress| record::page(&db.conn, &filter, &page);
    /// Records by review status, of a village or all.
    record_status_counts: RecordStatusCounts {
        #[serde(default)]
        unit_id: Option<String>,
    } -> reports::StatusCounts, reads
        => |db, progress| {
            record::status_counts(&db.conn, unit_id.as_deref())
        };
    /// Planned activities and held records of a period, by date (tagged "kind").
    activity_ledger: ActivityLedger(f: ActivityFilter) -> Vec<record::LedgerEntry>, reads
        => |db, progress| record::ledger(&db.conn, &f);
    record_get: RecordGet {
        id: String,
    } -> record::Record, reads
        => |db, progress| record::get(&db.conn, &id);
    /// A new record's form, pre-filled from a planned activity.
    record_prefill: RecordPrefill {
        activity_id: String,
    } -> record::Record, reads
        => |db, progress| record::prefill(&db.conn, &activity_id);
    record_create: RecordCreate(input: RecordInput) -> record::Record, writes
        => |db, progress| record::create(db, &input);
    record_update: RecordUpdate {
        id: String,
        input: RecordInput,
    } -> record::Record, writes
        => |db, progress| record::update(db, &id, &input);
    record_delete: RecordDelete {
        id: String,
    } -> Deleted, writes
        => |db, progress| {
            record::delete(db, &id)?;
            Ok(Deleted { deleted: id })
        };
    record_review: RecordReview {
        id: String,
        action: ReviewAction,
        #[serde(default)]
        comment: Option<String>,
    } -> record::Record, writes
        => |db, progress| record::review(db, &id, action, comment.as_deref());
    attachment_list: AttachmentList {
        record_id: String,
    } -> Vec<attachment::Attachment>, reads
        => |db, progress| attachment::list(&db.conn, &record_id);
    /// Copies a file (a path the user chose) into the data folder.
    attachment_add: AttachmentAdd {
        record_id: String,
        path: String,
        kind: String,
    } -> attachment::Attachment, writes
        => |db, progress| attachment::add(
            db,
            &record_id,
            std::path::Path::new(&path),
            &kind,
        );
    attachment_remove: AttachmentRemove {
        id: String,
    } -> Deleted, writes
        => |db, progress| {
            attachment::remove(db, &id)?;
            Ok(Deleted { deleted: id })
        };
    /// A picture's thumbnail as a `data:` URL (null for other files).
    attachment_thumbnail: AttachmentThumbnail {
        id: String,
    } -> Option<String>, reads
        => |db, progress| attachment::thumbnail_data_url(db, &id);
    draft_save: DraftSave {
        key: String,
        #[ts(type = "unknown")]
        body: Value,
    } -> draft::Draft, reads
        => |db, progress| draft::save(&db.conn, &key, &body);
    draft_get: DraftGet {
        key: String,
    } -> Option<draft::Draft>, reads
        => |db, progress| draft::get(&db.conn, &key);
    draft_list: DraftList -> Vec<draft::Draft>, reads
        => |db, progress| draft::list(&db.conn);
    draft_discard: DraftDiscard {
        key: String,
    } -> Deleted, reads
        => |db, progress| {
            draft::discard(&db.conn, &key)?;
            Ok(Deleted { deleted: key })
        };
    /// The dashboard's numbers for a period and scope.
    summary: Summary(f: SummaryFilter) -> reports::Summary, reads
        => |db, progress| reports::summary(&db.conn, &f);
    /// The 透视表: rows (and columns) by month, campaign, node, village, audience, format, law or
    /// material, one measure, with totals.
    pivot: Pivot(r: PivotRequest) -> reports::pivot::PivotTable, reads
        => |db, progress| reports::pivot::pivot(&db.conn, &r);
    /// The 透视表 as Excel, exactly as `pivot` gives it.
    export_pivot_xlsx: ExportPivotXlsx {
        request: PivotRequest,
        path: String,
    } -> export::Exported, reads
        => |db, progress| export::pivot_xlsx::export(
            &db.conn,
            std::path::Path::new(&path),
            &request,
        );
    /// The plan (or one campaign) as an iCalendar file for phones and Outlook.
    export_ics: ExportIcs {
        path: String,
        #[serde(default)]
        campaign_id: Option<String>,
    } -> export::Exported, reads
        => |db, progress| export::ics::export(
            &db.conn,
            std::path::Path::new(&path),
            campaign_id.as_deref(),
        );
    /// 年度普法工作计划表 (xlsx).
    export_plan_xlsx: ExportPlanXlsx {
        year: i32,
        path: String,
    } -> export::Exported, reads
        => |db, progress| export::plan_xlsx::export(
            &db.conn,
            std::path::Path::new(&path),
            year,
        );
    /// The 台账 as Excel: every record with its fields and materials, plus totals sheets.
    export_ledger_xlsx: ExportLedgerXlsx {
        path: String,
        #[serde(default)]
        filter: RecordFilter,
    } -> export::Exported, reads
        => |db, progress| export::ledger::export_xlsx(
            &db.conn,
            std::path::Path::new(&path),
            &filter,
        );
    /// The attachments of the filtered records in a zip, a folder per activity.
    export_photos: ExportPhotos {
        path: String,
        #[serde(default)]
        filter: RecordFilter,
    } -> export::Exported, reads
        => |db, progress| export::photos_zip::export(
            db,
            std::path::Path::new(&path),
            &filter,
        );
    /// The 台账 rows as CSV with a UTF-8 BOM.
    export_csv: ExportCsv {
        path: String,
        #[serde(default)]
        filter: RecordFilter,
    } -> export::Exported, reads
        => |db, progress| export::ledger::export_csv(
            &db.conn,
            std::path::Path::new(&path),
            &filter,
        );
    /// The whole audit trail as Excel (操作记录), one row per changed field; `since`/`until`
    /// are local dates, both optional and inclusive.
    export_audit_xlsx: ExportAuditXlsx {
        path: String,
        #[serde(default)]
        since: Option<String>,
        #[serde(default)]
        until: Option<String>,
    } -> export::Exported, reads
        => |db, progress| export::audit_xlsx::export(
            &db.conn,
            std::path::Path::new(&path),
            since.as_deref(),
            until.as_deref(),
        );
    /// 普法工作年度总结 of a year as Word (公文 format), with the text saved for it.
    export_report_docx: ExportReportDocx {
        year: i32,
        path: String,
        /// Count records waiting for review too (stated in the document).
        #[serde(default)]
        include_pending: bool,
    } -> export::report_docx::DocxExported, reads
        => |db, progress| export::report_docx::export_annual(
            &db.conn,
            std::path::Path::new(&path),
            year,
            include_pending,
        );
    /// A campaign's 情况报告 as Word (公文 format), with the text saved for it.
    export_campaign_docx: ExportCampaignDocx {
        campaign_id: String,
        path: String,
        /// Count records waiting for review too (stated in the document).
        #[serde(default)]
        include_pending: bool,
    } -> export::report_docx::DocxExported, reads
        => |db, progress| export::report_docx::export_campaign(
            &db.conn,
            std::path::Path::new(&path),
            &campaign_id,
            include_pending,
        );
    /// The text people write for a report (主要做法, 存在的问题, 下一步工作打算): what is
    /// saved, else last year's (`from_last_year`), else empty.
    report_text_get: ReportTextGet {
        kind: ReportKind,
        /// The year ("2026") for `annual`, the campaign id for `campaign`.
        scope: String,
    } -> export::report_docx::ReportText, reads
        => |db, progress| export::report_docx::report_text_get(
            &db.conn, kind, &scope,
        );
    /// Saves the text of a report (each block at most 5,000 characters); audited.
    report_text_save: ReportTextSave(input: ReportTextInput) -> export::report_docx::ReportText, writes
        => |db, progress| export::report_docx::report_text_save(db, &input);
    /// The audit trail, newest first (a record's history: entity + entity_id), each entry with
    /// its changed fields in words.
    audit_list: AuditList(f: AuditFilter) -> Vec<trail::AuditView>, reads
        => |db, progress| trail::list(&db.conn, &f);
    check: Check -> check::CheckReport, reads
        => |db, progress| check::run(db);
    /// A backup of everything (database and attachments) into one file the user chose.
    backup_create: BackupCreate {
        path: String,
    } -> backup::BackupInfo, reads
        => |db, progress| backup::create(
            &db.conn,
            db.data_dir.as_deref(),
            std::path::Path::new(&path),
            BackupKind::Manual,
            progress,
        );
    /// The automatic backups in the data folder, newest first.
    backup_list: BackupList -> Vec<backup::BackupInfo>, reads
        => |db, progress| match db.data_dir.as_deref() {
            Some(dir) => backup::list(dir),
            None => Ok(Vec::new()),
        };
    /// Checks a backup file whole and says what it holds, read from its database (the preview
    /// before a restore), and whether it is another town's.
    backup_inspect: BackupInspect {
        path: String,
    } -> backup::BackupInfo, reads
        => |db, progress| backup::inspect(&db.conn, std::path::Path::new(&path));
    /// Puts a backup in place of the current data (which is backed up first); audited in the
    /// same swap. Another town's backup needs `confirm_other_town`.
    backup_restore: BackupRestore {
        path: String,
        #[serde(default)]
        confirm_other_town: bool,
    } -> backup::BackupInfo, writes
        => |db, progress| backup::restore(
            db,
            std::path::Path::new(&path),
            &backup::RestoreOptions { confirm_other_town },
            progress,
        );
    /// The 活动登记表 template (xlsx) with drop-down lists of this town's villages, formats,
    /// audiences and materials.
    import_template: ImportTemplate {
        path: String,
    } -> Written, reads
        => |db, progress| {
            exchange::template::write(&db.conn, std::path::Path::new(&path))?;
            Ok(Written { path })
        };
    /// Reads a filled-in 活动登记表 and says what an import would do; writes nothing.
    import_preview: ImportPreview {
        path: String,
        #[serde(default)]
        asked: exchange::xlsx_import::ImportAsked,
    } -> exchange::xlsx_import::ImportPreview, reads
        => |db, progress| exchange::xlsx_import::preview(
            &db.conn,
            std::path::Path::new(&path),
            &asked,
            progress,
        );
    /// Imports the valid, new rows of a 活动登记表 in one transaction, after a backup.
    import_xlsx: ImportXlsx {
        path: String,
        #[serde(default)]
        asked: exchange::xlsx_import::ImportAsked,
    } -> exchange::xlsx_import::ImportReport, writes
        => |db, progress| exchange::xlsx_import::import(
            db,
            std::path::Path::new(&path),
            &asked,
            progress,
        );
    /// Writes a data package (.pufapkg) of everything, of what changed since the last one, or
    /// of one village, for another laptop; marks what it holds as exchanged.
    package_export: PackageExport {
        path: String,
        #[serde(default)]
        scope: PackageScope,
    } -> exchange::package::PackageExported, writes
        => |db, progress| exchange::package::export(
            &db.conn,
            db.data_dir.as_deref(),
            std::path::Path::new(&path),
            &scope,
            progress,
        );
    /// Merges a data package from another laptop in one transaction (a backup is made once it
    /// has passed every check); says what was added, updated, in conflict, held back as outside
    /// its maker's rights and unchanged. A package from a laptop not seen before that says it is
    /// the town's needs `trust_device`.
    package_import: PackageImport {
        path: String,
        #[serde(default)]
        trust_device: bool,
    } -> exchange::package::PackageReport, writes
        => |db, progress| exchange::package::import(
            db,
            std::path::Path::new(&path),
            &exchange::package::ImportOptions { trust_device },
            progress,
        );
    /// The rows both sides changed (open ones first), each with both versions.
    sync_conflict_list: SyncConflictList -> Vec<exchange::package::SyncConflict>, reads
        => |db, progress| exchange::package::conflicts(&db.conn);
    /// Settles a conflict with the version the user chose; audited.
    sync_conflict_resolve: SyncConflictResolve {
        id: String,
        keep: Keep,
    } -> exchange::package::SyncConflict, writes
        => |db, progress| exchange::package::resolve(db, &id, keep);
}
