// The only way the window talks to the core: one Tauri command, `call`, carrying a Request.
// Every rejection is normalised to an AppError so screens handle one shape.
import { Channel, invoke } from '@tauri-apps/api/core'
import type { PageRequest } from '../bindings/PageRequest'
import type { ImportAsked } from '../bindings/ImportAsked'
import type { ReportKind } from '../bindings/ReportKind'
import type { ReportTextInput } from '../bindings/ReportTextInput'
import type { SummaryFilter } from '../bindings/SummaryFilter'
import type { PivotRequest } from '../bindings/PivotRequest'
import type { ActivityFilter } from '../bindings/ActivityFilter'
import type { ActivityInput } from '../bindings/ActivityInput'
import type { AppError } from '../bindings/AppError'
import type { ConflictKind } from '../bindings/ConflictKind'
import type { HolidayDay } from '../bindings/HolidayDay'
import type { SchoolCalendarInput } from '../bindings/SchoolCalendarInput'
import type { LocalNodeInput } from '../bindings/LocalNodeInput'
import type { OverrideInput } from '../bindings/OverrideInput'
import type { PlanTemplate } from '../bindings/PlanTemplate'
import type { Recurrence } from '../bindings/Recurrence'
import type { SeriesScope } from '../bindings/SeriesScope'
import type { CampaignFilter } from '../bindings/CampaignFilter'
import type { CampaignInput } from '../bindings/CampaignInput'
import type { Keep } from '../bindings/Keep'
import type { PackageScope } from '../bindings/PackageScope'
import type { DemoInput } from '../bindings/DemoInput'
import type { ErrorCode } from '../bindings/ErrorCode'
import type { Notice } from '../bindings/Notice'
import type { PersonFilter } from '../bindings/PersonFilter'
import type { PersonInput } from '../bindings/PersonInput'
import type { Request } from '../bindings/Request'
import type { Deleted } from '../bindings/Deleted'
import type { Responses } from '../bindings/Responses'
import type { SetupInput } from '../bindings/SetupInput'
import type { UnitFilter } from '../bindings/UnitFilter'
import type { UnitInput } from '../bindings/UnitInput'
import type { UserInput } from '../bindings/UserInput'
import { ERROR_CODES } from '../lib/enums'
import type { AuditFilter } from '../bindings/AuditFilter'
import type { MaterialInput } from '../bindings/MaterialInput'
import type { ReceiptInput } from '../bindings/ReceiptInput'
import type { RecordFilter } from '../bindings/RecordFilter'
import type { RecordInput } from '../bindings/RecordInput'
import type { ReviewAction } from '../bindings/ReviewAction'
import type { TransferInput } from '../bindings/TransferInput'

export type { AppError, Deleted, Responses }

/** Each command's answer, by the command's name (generated from the core's command list). */
export type Answer<K extends Request['cmd']> = Responses[K]

function describe(value: unknown): string {
  if (value instanceof Error) return value.message
  if (typeof value === 'string') return value
  if (value === undefined || value === null) return String(value)
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
}

/** True for a well-formed AppError (known code, string message). */
export function isAppError(value: unknown): value is AppError {
  if (!value || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return isErrorCode(v.code) && typeof v.message === 'string'
}

/**
 * Any rejection → AppError. An AppError passes through (field defaults to null, params kept when
 * an object); a string,
 * an Error or anything else becomes `bad_request` carrying its text.
 */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) {
    const field = (value as { field?: unknown }).field
    const params = (value as { params?: unknown }).params
    const out: AppError = { code: value.code, message: value.message, field: typeof field === 'string' && field ? field : null }
    if (params && typeof params === 'object' && !Array.isArray(params)) out.params = params as AppError['params']
    return out
  }
  if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    return { code: 'bad_request', message: (value as { message: string }).message, field: null }
  }
  return { code: 'bad_request', message: describe(value), field: null }
}

/** Sends one request to the core; answers with the type its command declares. Rejects with an
 * AppError. */
export async function call<R extends Request>(req: R): Promise<Answer<R['cmd']>> {
  try {
    return await invoke<Answer<R['cmd']>>('call', { request: req })
  } catch (e) {
    throw toAppError(e)
  }
}

/** How far a long job is (units of the job's own choosing: pages, rows, activities). */
export interface JobProgress {
  done: number
  total: number
}

let jobSeq = 0

/**
 * Sends a long request (import, backup, restore …): its progress arrives on `onProgress`, and
 * aborting `signal` asks the core to stop it — which then rejects with `cancelled` and keeps
 * nothing of the job.
 */
export async function callJob<R extends Request>(
  req: R,
  onProgress: (p: JobProgress) => void,
  signal?: AbortSignal,
): Promise<Answer<R['cmd']>> {
  const job = `job-${Date.now()}-${++jobSeq}`
  const channel = new Channel<JobProgress>()
  channel.onmessage = onProgress
  const cancel = () => void invoke('cancel_job', { job }).catch(() => undefined)
  signal?.addEventListener('abort', cancel)
  try {
    return await invoke<Answer<R['cmd']>>('call_job', { request: req, job, onProgress: channel })
  } catch (e) {
    throw toAppError(e)
  } finally {
    signal?.removeEventListener('abort', cancel)
  }
}

/**
 * Listens for problems of background work (a failed automatic backup): `onNotice` gets those
 * that happened before the window listened, then each as it happens.
 */
export async function watchNotices(onNotice: (n: Notice) => void): Promise<void> {
  const channel = new Channel<Notice>()
  channel.onmessage = onNotice
  await invoke('watch_notices', { onNotice: channel })
}

/** The first screen has content: the backend logs the time since start (and bench/weight.sh reads it). */
export async function reportFirstContent(): Promise<void> {
  await invoke('first_content')
}

// ---- typed wrappers, one per Request variant ----

export const appInfo = () => call({ cmd: 'app_info' })
/** Persists the UI language ("zh-CN" | "en"); answers the new AppInfo. */
export const setLocale = (locale: string) => call({ cmd: 'set_locale', args: { locale } })
export const setup = (input: SetupInput) => call({ cmd: 'setup', args: input })
export const loadDemo = (input: DemoInput) => call({ cmd: 'load_demo', args: input })
export const updateUser = (input: UserInput) => call({ cmd: 'update_user', args: input })
/** The people of this data folder; adding one or switching makes them its current user. */
export const userList = () => call({ cmd: 'user_list' })
export const userAdd = (input: UserInput) => call({ cmd: 'user_add', args: input })
export const userSwitch = (id: string) => call({ cmd: 'user_switch', args: { id } })

export const unitList = (filter: UnitFilter) => call({ cmd: 'unit_list', args: filter })
export const unitCreate = (input: UnitInput) => call({ cmd: 'unit_create', args: input })
export const unitUpdate = (id: string, input: UnitInput) => call({ cmd: 'unit_update', args: { id, input } })
export const unitArchive = (id: string, archived: boolean) =>
  call({ cmd: 'unit_archive', args: { id, archived } })
export const unitDelete = (id: string) => call({ cmd: 'unit_delete', args: { id } })

export const personList = (filter: PersonFilter) => call({ cmd: 'person_list', args: filter })
export const personCreate = (input: PersonInput) => call({ cmd: 'person_create', args: input })
export const personUpdate = (id: string, input: PersonInput) =>
  call({ cmd: 'person_update', args: { id, input } })
export const personArchive = (id: string, archived: boolean) =>
  call({ cmd: 'person_archive', args: { id, archived } })
export const personDelete = (id: string) => call({ cmd: 'person_delete', args: { id } })

export const campaignList = (filter: CampaignFilter) => call({ cmd: 'campaign_list', args: filter })
export const campaignGet = (id: string) => call({ cmd: 'campaign_get', args: { id } })
export const campaignCreate = (input: CampaignInput) => call({ cmd: 'campaign_create', args: input })
export const campaignUpdate = (id: string, input: CampaignInput) =>
  call({ cmd: 'campaign_update', args: { id, input } })
export const campaignArchive = (id: string, archived: boolean) =>
  call({ cmd: 'campaign_archive', args: { id, archived } })
export const campaignDelete = (id: string) => call({ cmd: 'campaign_delete', args: { id } })

export const check = () => call({ cmd: 'check' })

// ---- backup and restore (issue 6) ----
/** A backup of everything (database and attachments) into a file the user chose. */
export const backupCreate = (path: string, onProgress: (p: JobProgress) => void = () => {}, signal?: AbortSignal) =>
  callJob({ cmd: 'backup_create', args: { path } }, onProgress, signal)
/** The automatic backups in the data folder, newest first. */
export const backupList = () => call({ cmd: 'backup_list' })
/** Checks a backup file whole and says what it holds, read from its database (the preview
 * before a restore), with the current town beside it: another town's needs a confirmation. */
export const backupInspect = (path: string) => call({ cmd: 'backup_inspect', args: { path } })
// ---- Excel import (issue 6) ----
/** The 活动登记表 template with this town's drop-down lists. */
export const importTemplate = (path: string) => call({ cmd: 'import_template', args: { path } })
/** What importing a filled-in 活动登记表 would do; writes nothing. */
export const importPreview = (path: string, asked: ImportAsked = { village: null, format: null, columns: [] }, onProgress: (p: JobProgress) => void = () => {}, signal?: AbortSignal) =>
  callJob({ cmd: 'import_preview', args: { path, asked } }, onProgress, signal)
/** Imports the valid, new rows of a 活动登记表 (after a backup), all or nothing. */
export const importXlsx = (path: string, asked: ImportAsked = { village: null, format: null, columns: [] }, onProgress: (p: JobProgress) => void = () => {}, signal?: AbortSignal) =>
  callJob({ cmd: 'import_xlsx', args: { path, asked } }, onProgress, signal)
// ---- data packages between laptops (issue 6) ----
/** Writes a data package (everything, what changed since the last one, or one village). */
export const packageExport = (path: string, scope: PackageScope, onProgress: (p: JobProgress) => void = () => {}, signal?: AbortSignal) =>
  callJob({ cmd: 'package_export', args: { path, scope } }, onProgress, signal)
/** Merges a package from another laptop, all or nothing (a backup is made once it passed its
 * checks). `trustDevice`: the user confirmed that a laptop never seen before is the town's. */
export const packageImport = (path: string, trustDevice = false, onProgress: (p: JobProgress) => void = () => {}, signal?: AbortSignal) =>
  callJob({ cmd: 'package_import', args: { path, trust_device: trustDevice } }, onProgress, signal)
/** Rows both sides changed, open ones first, each with both versions. */
export const syncConflictList = () => call({ cmd: 'sync_conflict_list' })
/** Settles a conflict with the version the user chose. */
export const syncConflictResolve = (id: string, keep: Keep) => call({ cmd: 'sync_conflict_resolve', args: { id, keep } })
/** Replaces the current data with a backup (the current data is backed up first); another
 * town's backup needs `confirmOtherTown`. */
export const backupRestore = (path: string, confirmOtherTown = false, onProgress: (p: JobProgress) => void = () => {}) =>
  callJob({ cmd: 'backup_restore', args: { path, confirm_other_town: confirmOtherTown } }, onProgress)

// ---- planning (issue 3) ----
export const keydateList = (year: number) => call({ cmd: 'keydate_list', args: { year } })
export const keydateOverrideSet = (input: OverrideInput) => call({ cmd: 'keydate_override_set', args: input })
export const keydateOverrideClear = (node_code: string, year: number) =>
  call({ cmd: 'keydate_override_clear', args: { node_code, year } })
/** Confirms a node's provisional (待公布) dates and last year's theme as this year's. */
export const keydateConfirm = (node_code: string, year: number) =>
  call({ cmd: 'keydate_confirm', args: { node_code, year } })
export const keydateNodeList = () => call({ cmd: 'keydate_node_list' })
export const keydateNodeCreate = (input: LocalNodeInput) => call({ cmd: 'keydate_node_create', args: input })
export const keydateNodeUpdate = (id: string, input: LocalNodeInput) =>
  call({ cmd: 'keydate_node_update', args: { id, input } })
export const keydateNodeDelete = (id: string) => call({ cmd: 'keydate_node_delete', args: { id } })

/** An empty filter: every field null. */
export function activityFilter(f: Partial<ActivityFilter> = {}): ActivityFilter {
  return {
    from: null,
    to: null,
    campaign_id: null,
    unit_id: null,
    person_id: null,
    audience: null,
    format: null,
    status: null,
    search: null,
    ...f,
  }
}
export const activityList = (filter: Partial<ActivityFilter> = {}) =>
  call({ cmd: 'activity_list', args: activityFilter(filter) })
export const activityCalendar = (filter: Partial<ActivityFilter> = {}) =>
  call({ cmd: 'activity_calendar', args: activityFilter(filter) })
export const activityGet = (id: string) => call({ cmd: 'activity_get', args: { id } })
export const activityCreate = (input: ActivityInput, recurrence: Recurrence | null = null) =>
  call({ cmd: 'activity_create', args: { input, recurrence } })
export const activityUpdate = (id: string, input: ActivityInput, scope: SeriesScope = 'this') =>
  call({ cmd: 'activity_update', args: { id, input, scope } })
export const activityReschedule = (id: string, date: string, start_time: string | null, end_time: string | null) =>
  call({ cmd: 'activity_reschedule', args: { id, date, start_time, end_time } })
export const activitySetStatus = (id: string, status: string, reason: string | null = null) =>
  call({ cmd: 'activity_set_status', args: { id, status, reason } })
export const activityDelete = (id: string, scope: SeriesScope = 'this') =>
  call({ cmd: 'activity_delete', args: { id, scope } })

export const conflictList = (year: number) => call({ cmd: 'conflict_list', args: { year } })
export const conflictsForActivity = (id: string) => call({ cmd: 'conflicts_for_activity', args: { id } })
export const conflictIgnore = (kind: ConflictKind, a: string, b: string, ignored: boolean) =>
  call({ cmd: 'conflict_ignore', args: { kind, a, b, ignored } })
export const coverage = (campaign_id: string) => call({ cmd: 'coverage', args: { campaign_id } })

export const schoolCalendarGet = (year: number) => call({ cmd: 'school_calendar_get', args: { year } })
export const schoolCalendarSet = (input: SchoolCalendarInput) =>
  call({ cmd: 'school_calendar_set', args: input })
export const schoolCalendarClear = (year: number) => call({ cmd: 'school_calendar_clear', args: { year } })
export const holidayList = (year: number) => call({ cmd: 'holiday_list', args: { year } })
export const holidaySetYear = (year: number, days: HolidayDay[]) =>
  call({ cmd: 'holiday_set_year', args: { year, days } })

export const templateList = () => call({ cmd: 'template_list' })
export const templateSave = (t: PlanTemplate) => call({ cmd: 'template_save', args: t })
export const templateDelete = (key: string) => call({ cmd: 'template_delete', args: { key } })
export const templateApply = (template: string, year: number, unit_ids: string[], all_units: boolean) =>
  call({ cmd: 'template_apply', args: { template, year, unit_ids, all_units } })
export const planGenerate = (year: number, nodes: string[]) =>
  call({ cmd: 'plan_generate', args: { year, nodes } })
export const planCopyYear = (from_year: number, to_year: number) =>
  call({ cmd: 'plan_copy_year', args: { from_year, to_year } })

export const exportIcs = (path: string, campaign_id: string | null = null) =>
  call({ cmd: 'export_ics', args: { path, campaign_id } })
export const exportPlanXlsx = (year: number, path: string) =>
  call({ cmd: 'export_plan_xlsx', args: { year, path } })
/** The 台账 of a filter as Excel (records + totals sheets) or CSV. */
export const exportPhotos = (path: string, filter: Partial<RecordFilter> = {}) =>
  call({ cmd: 'export_photos', args: { path, filter: recordFilter(filter) } })
export const exportLedgerXlsx = (path: string, filter: Partial<RecordFilter> = {}) =>
  call({ cmd: 'export_ledger_xlsx', args: { path, filter: recordFilter(filter) } })
export const exportLedgerCsv = (path: string, filter: Partial<RecordFilter> = {}) =>
  call({ cmd: 'export_csv', args: { path, filter: recordFilter(filter) } })
/** The whole audit trail as Excel (操作记录), one row per changed field; local dates, inclusive. */
export const exportAuditXlsx = (path: string, since: string | null = null, until: string | null = null) =>
  call({ cmd: 'export_audit_xlsx', args: { path, since, until } })

// ---- materials, records, review, attachments, drafts, audit ----
// (Restored by the planning helper after an edit of this file cut them off; rebuilt from the
// compiled bundle of the records helper's version — same commands, arguments and defaults.)
export const materialList = (include_archived = false) =>
  call({ cmd: 'material_list', args: { include_archived } })
export const materialCreate = (input: MaterialInput) =>
  call({ cmd: 'material_create', args: input })
export const materialUpdate = (id: string, input: MaterialInput) =>
  call({ cmd: 'material_update', args: { id, input: input } })
export const materialArchive = (id: string, archived: boolean) =>
  call({ cmd: 'material_archive', args: { id, archived } })
export const stockReceive = (input: ReceiptInput) =>
  call({ cmd: 'stock_receive', args: input })
export const stockTransfer = (input: TransferInput) =>
  call({ cmd: 'stock_transfer', args: input })
export const stockReport = () => call({ cmd: 'stock_report' })
export const stockMovements = (material_id: string | null = null) =>
  call({ cmd: 'stock_movements', args: { material_id } })

/** An empty record filter: every field null. */
export function recordFilter(f: Partial<RecordFilter> = {}): RecordFilter {
  return { from: null, to: null, unit_id: null, campaign_id: null, review_status: null, search: null, ...f } as RecordFilter
}
export const recordList = (filter: Partial<RecordFilter> = {}) =>
  call({ cmd: 'record_list', args: recordFilter(filter) })
/** One page of the records a filter selects (newest first unless oldest_first); with_totals: also the totals of all of them. */
export const recordPage = (filter: Partial<RecordFilter>, page: Partial<PageRequest> & { limit: number }) =>
  call({
    cmd: 'record_page',
    args: { filter: recordFilter(filter), page: { offset: 0, with_totals: false, oldest_first: false, ...page } },
  })
/** Records by review status, of a village or all. */
export const recordStatusCounts = (unit_id: string | null) =>
  call({ cmd: 'record_status_counts', args: { unit_id } })
export const recordGet = (id: string) => call({ cmd: 'record_get', args: { id } })
export const recordPrefill = (activity_id: string) =>
  call({ cmd: 'record_prefill', args: { activity_id } })
export const recordCreate = (input: RecordInput) => call({ cmd: 'record_create', args: input })
export const recordUpdate = (id: string, input: RecordInput) =>
  call({ cmd: 'record_update', args: { id, input } })
export const recordDelete = (id: string) => call({ cmd: 'record_delete', args: { id } })
export const recordReview = (id: string, action: ReviewAction, comment: string | null = null) =>
  call({ cmd: 'record_review', args: { id, action, comment } })

export const attachmentList = (record_id: string) =>
  call({ cmd: 'attachment_list', args: { record_id } })
export const attachmentAdd = (record_id: string, path: string, kind: string) =>
  call({ cmd: 'attachment_add', args: { record_id, path, kind } })
export const summary = (filter: SummaryFilter) => call({ cmd: 'summary', args: filter })
/** The 透视表: rows (and columns) by a dimension, one measure, with totals. */
export const pivot = (request: PivotRequest) => call({ cmd: 'pivot', args: request })
/** The 透视表 as Excel, exactly as `pivot` answers the same request. */
export const exportPivotXlsx = (request: PivotRequest, path: string) =>
  call({ cmd: 'export_pivot_xlsx', args: { request, path } })
export const reportTextGet = (kind: ReportKind, scope: string) => call({ cmd: 'report_text_get', args: { kind, scope } })
export const reportTextSave = (input: ReportTextInput) => call({ cmd: 'report_text_save', args: input })
export const exportReportDocx = (year: number, path: string, include_pending = false) =>
  call({ cmd: 'export_report_docx', args: { year, path, include_pending } })
export const exportCampaignDocx = (campaign_id: string, path: string, include_pending = false) =>
  call({ cmd: 'export_campaign_docx', args: { campaign_id, path, include_pending } })
export const attachmentThumbnail = (id: string) => call({ cmd: 'attachment_thumbnail', args: { id } })
export const attachmentRemove = (id: string) => call({ cmd: 'attachment_remove', args: { id } })

export const draftSave = (key: string, body: unknown) => call({ cmd: 'draft_save', args: { key, body } })
export const draftGet = (key: string) => call({ cmd: 'draft_get', args: { key } })
export const draftDiscard = (key: string) => call({ cmd: 'draft_discard', args: { key } })

export const auditList = (filter: Partial<AuditFilter> = {}) =>
  call({
    cmd: 'audit_list',
    args: { entity: null, entity_id: null, since: null, limit: null, ...filter } as AuditFilter,
  })
