import type { AppError } from '../bindings/AppError'
import type { ErrorCode } from '../bindings/ErrorCode'

/** Field names the backend reports in AppError.field; each has a label under fields.<name>. */
export const FIELDS = [
  'town',
  'county',
  'villages',
  'schools',
  'sites',
  'name',
  'user_name',
  'role',
  'kind',
  'phone',
  'unit_id',
  'start_date',
  'end_date',
  'audiences',
  'themes',
  'lead_unit',
  'notes',
  'address',
  'data_dir',
  'locale',
  'year',
  'seed',
  'title',
  'date',
  'start_time',
  'end_time',
  'venue_type',
  'venue',
  'formats',
  'laws',
  'campaign_ids',
  'nodes',
  'lead_person_id',
  'partners',
  'materials',
  'expected_audience',
  'status',
  'status_reason',
  'interval',
  'until',
  'count',
  'days',
  'window',
  'theme',
  'doc_number',
  'campaign_name',
  'units',
  'template',
  'path',
  // record keeping (issue 4)
  'participants',
  'recorder',
  'reach',
  'reach_by_audience',
  'consultations',
  'banners',
  'boards',
  'vehicles',
  'online_posts',
  'online_views',
  'disputes',
  'legal_aid_cases',
  'volunteers',
  'narrative',
  'speakers',
  'quiz',
  'review_comment',
  'review_status',
  'material',
  'quantity',
  'source',
  'category',
  'unit',
  'low_stock',
  'from_unit_id',
  'to_unit_id',
  'attachment',
  'since',
  'market_days',
  'winter_start',
  'winter_end',
  'summer_start',
  'summer_end',
  'notice',
] as const

/**
 * Codes whose Chinese backend message names the specifics (which name is duplicated, how long,
 * which date, which folder): in the zh-CN UI that message is shown instead of the generic text.
 */
export const SPECIFIC_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'too_long',
  'duplicate',
  'invalid_date',
  'data_dir_not_dir',
  'data_dir_readonly',
  'database_newer',
  'not_found',
  'invalid_value',
])

export type Translate = (key: string, named?: Record<string, unknown>) => string

/** The translated label of a field, or "该项"/"This field" for an unknown one. */
export function fieldLabel(field: string | null | undefined, t: Translate): string {
  if (field && (FIELDS as readonly string[]).includes(field)) return t(`fields.${field}`)
  return t('common.thisField')
}

/**
 * The texts that say an error's specifics in the UI's language, from its `params`: the first
 * whose code matches and whose params are all present is used.
 */
export const DETAILS: ReadonlyArray<{
  code: ErrorCode
  params: readonly string[]
  /** Params that must have these values (which kind of duplicate, why a file was refused). */
  when?: Readonly<Record<string, string>>
  key: string
}> = [
  { code: 'too_long', params: ['count', 'max'], key: 'errorDetails.tooLong' },
  { code: 'too_long', params: ['max_items'], key: 'errorDetails.tooManyItems' },
  { code: 'invalid_date', params: ['value'], key: 'errorDetails.invalidDate' },
  { code: 'date_order', params: ['start', 'end'], key: 'errorDetails.dateOrder' },
  { code: 'control_chars', params: ['char'], key: 'errorDetails.hiddenChar' },
  { code: 'not_found', params: ['id'], key: 'errorDetails.notFound' },
  { code: 'io', params: ['detail'], key: 'errorDetails.io' },
  { code: 'duplicate', params: ['value'], when: { clash: 'exists' }, key: 'errorDetails.duplicateExists' },
  { code: 'duplicate', params: ['value'], when: { clash: 'builtin' }, key: 'errorDetails.duplicateBuiltin' },
  { code: 'duplicate', params: ['value'], when: { clash: 'repeated' }, key: 'errorDetails.duplicateRepeated' },
  { code: 'duplicate', params: ['value'], when: { clash: 'ambiguous' }, key: 'errorDetails.duplicateAmbiguous' },
  { code: 'file_rejected', params: ['file', 'size_mb', 'max_mb'], when: { reason: 'too_large' }, key: 'errorDetails.fileTooLarge' },
  { code: 'file_rejected', params: ['file'], when: { reason: 'not_a_file' }, key: 'errorDetails.fileNotAFile' },
  { code: 'file_rejected', params: ['file'], when: { reason: 'file_type' }, key: 'errorDetails.fileType' },
  { code: 'file_rejected', params: ['file'], when: { reason: 'size' }, key: 'errorDetails.fileSize' },
  { code: 'file_rejected', params: ['file'], when: { reason: 'not_backup' }, key: 'errorDetails.notBackup' },
  { code: 'file_rejected', params: ['file', 'why'], when: { reason: 'not_package' }, key: 'errorDetails.notPackage' },
  { code: 'file_rejected', params: ['file', 'town', 'here'], when: { reason: 'other_town' }, key: 'errorDetails.otherTown' },
  // An Excel import refused whole.
  { code: 'file_rejected', params: [], when: { reason: 'xlsx_damaged' }, key: 'errorDetails.xlsxDamaged' },
  { code: 'file_rejected', params: [], when: { reason: 'xlsx_password' }, key: 'errorDetails.xlsxPassword' },
  { code: 'file_rejected', params: ['file'], when: { reason: 'not_excel' }, key: 'errorDetails.notExcel' },
  { code: 'file_rejected', params: ['max_mb'], when: { reason: 'unpacked_too_large' }, key: 'errorDetails.unpackedTooLarge' },
  { code: 'file_rejected', params: [], when: { reason: 'empty_file' }, key: 'errorDetails.emptyFile' },
  { code: 'file_rejected', params: ['max'], when: { reason: 'too_many_rows' }, key: 'errorDetails.tooManyRows' },
  { code: 'file_rejected', params: [], when: { reason: 'no_header' }, key: 'errorDetails.noHeader' },
  { code: 'file_rejected', params: ['sheet', 'row', 'missing'], when: { reason: 'header_incomplete' }, key: 'errorDetails.headerIncomplete' },
  { code: 'file_rejected', params: ['sheet', 'missing'], when: { reason: 'required_unmapped' }, key: 'errorDetails.requiredUnmapped' },
]

/** The error's params that are texts or numbers (the only kinds the core sends). */
function paramsOf(e: AppError): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(e.params ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = v
  }
  return out
}

/**
 * The text to show for an error: the translated text of its code, naming the field, with its
 * specifics (params) when the core sent them. In the zh-CN UI, codes with specifics show the
 * backend's own (Chinese) message, which says the same; a code without a detail text in the
 * chosen language falls back to the generic text of its code.
 */
export function errorText(e: AppError, t: Translate, locale = 'zh-CN'): string {
  const zh = !locale.toLowerCase().startsWith('en')
  if (zh && SPECIFIC_CODES.has(e.code) && e.message.trim()) return e.message
  const params = paramsOf(e)
  const named = { ...params, field: fieldLabel(e.field, t), message: e.message }
  // In zh-CN a refused file keeps its generic text, which carries the core's own message.
  const detail =
    zh && e.code === 'file_rejected'
      ? undefined
      : DETAILS.find(
          (d) =>
            d.code === e.code &&
            d.params.every((p) => p in params) &&
            Object.entries(d.when ?? {}).every(([k, v]) => params[k] === v),
        )
  if (detail) return t(detail.key, named)
  return t(`errors.${e.code}`, named)
}

/** The folder named in a data-folder error message (“…”), if any. */
export function folderInMessage(message: string): string | null {
  const m = /“([^”]+)”/.exec(message)
  return m ? m[1] : null
}
