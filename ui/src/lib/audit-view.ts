// The audit trail for people: an AuditEntry's {field: [before, after]} as lines with the
// field's label and both values in words (codes translated, ids turned into names).
import type { MarketCycle } from '../bindings/MarketCycle'
import { describeMarket } from './market'
import type { AuditEntry } from '../bindings/AuditEntry'
import { formatDate, parseIso } from './dates'
import { RECORD_COUNTS } from '../bindings/recordCountFields'

export interface AuditContext {
  t: (key: string, named?: Record<string, unknown>) => string
  /** Whether a translation key exists. */
  te: (key: string) => boolean
  locale: string
  unitName?: (id: string) => string | undefined
  campaignName?: (id: string) => string | undefined
  nodeName?: (code: string) => string | undefined
}

export interface ChangeLine {
  field: string
  label: string
  before: string
  after: string
}

/** Bookkeeping fields a reader does not need (the entry already says who and when). */
const HIDDEN = new Set([
  'id',
  'created_at',
  'updated_at',
  'unit_name',
  'lead_person_name',
  'reviewed_at',
  'reviewed_by',
  'record_id',
  'material_id',
  'series_id',
  'sha256',
  'stored',
  'thumbnail',
  'mime',
  'device_id',
])

/** The entities the core writes to the trail, in the order the filter lists them. */
export const AUDIT_ENTITIES = [
  'record',
  'material',
  'stock',
  'activity',
  'campaign',
  'unit',
  'person',
  'user',
  'town',
  'keydate_override',
  'keydate_node',
  'template',
  'holiday',
  'conflict',
  'setting',
  'sync',
  'backup',
] as const

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'archive',
  'unarchive',
  'status',
  'ignore',
  'unignore',
  'approve',
  'return',
  'submit',
  'reopen',
  'attach',
  'detach',
  'export',
  'import',
  'resolve',
  'restore',
] as const

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false) return true
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.keys(v as object).length === 0
  return false
}

function tr(ctx: AuditContext, key: string, fallback: string): string {
  return ctx.te(key) ? ctx.t(key) : fallback
}

/** The label of a changed field: auditFields.<f>, else fields.<f>, else the raw name. */
export function fieldLabelOf(field: string, ctx: AuditContext): string {
  if (ctx.te(`auditFields.${field}`)) return ctx.t(`auditFields.${field}`)
  if (ctx.te(`fields.${field}`)) return ctx.t(`fields.${field}`)
  return field
}

/** Which enum a field's codes belong to, by entity. */
function enumOf(entity: string, field: string): string | null {
  switch (field) {
    case 'formats':
      return 'activityFormat'
    case 'audiences':
      return 'audience'
    case 'venue_type':
      return 'venueType'
    case 'review_status':
      return 'reviewStatus'
    case 'status':
      return entity === 'activity' ? 'activityStatus' : null
    case 'role':
      return entity === 'user' ? 'userRole' : 'personRole'
    case 'kind':
      return (
        { unit: 'unitKind', campaign: 'campaignKind', stock: 'movementKind', record: 'attachmentKind' } as Record<string, string>
      )[entity] ?? null
    default:
      return null
  }
}

function num(v: unknown): string {
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : String(v ?? '')
}

/** One value in words. */
export function formatAuditValue(entity: string, field: string, value: unknown, ctx: AuditContext): string {
  const sep = ctx.locale.startsWith('en') ? ', ' : '、'
  if (value === null || value === undefined || value === '') return ctx.t('audit.emptyValue')
  if (typeof value === 'boolean') return ctx.t(value ? 'audit.yes' : 'audit.no')
  const en = enumOf(entity, field)
  if (en) {
    const one = (c: unknown) => tr(ctx, `enums.${en}.${String(c)}`, String(c))
    return Array.isArray(value) ? value.map(one).join(sep) || ctx.t('audit.emptyValue') : one(value)
  }
  if (field === 'unit_id' && typeof value === 'string') return ctx.unitName?.(value) ?? value
  if (field === 'activity_id' && typeof value === 'string') return ctx.t('audit.linkedActivity')
  if (field === 'nodes' && Array.isArray(value)) {
    return value.map((c) => ctx.nodeName?.(String(c)) ?? String(c)).join(sep) || ctx.t('audit.emptyValue')
  }
  if (field === 'campaign_ids' && Array.isArray(value)) {
    return value.map((id) => ctx.campaignName?.(String(id)) ?? String(id)).join(sep) || ctx.t('audit.emptyValue')
  }
  if (field === 'speakers' && Array.isArray(value)) {
    return (
      value
        .map((s: { name?: string; role?: string }) => `${s.name ?? ''}（${tr(ctx, `enums.personRole.${s.role}`, s.role ?? '')}）`)
        .join(sep) || ctx.t('audit.emptyValue')
    )
  }
  if (field === 'materials' && Array.isArray(value)) {
    // A record's hand-outs ({material_name, quantity, unit}) or a plan's ({item, quantity, unit}).
    return (
      value
        .map((m: { material_name?: string; item?: string; quantity?: unknown; unit?: string }) =>
          `${m.material_name ?? m.item ?? ''} ${num(m.quantity)}${m.unit ?? ''}`.trim(),
        )
        .join(sep) || ctx.t('audit.emptyValue')
    )
  }
  if (field === 'reach_by_audience' && typeof value === 'object' && !Array.isArray(value)) {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([a, n]) => `${tr(ctx, `enums.audience.${a}`, a)} ${num(n)}`,
    )
    return parts.join(sep) || ctx.t('audit.emptyValue')
  }
  if (field === 'quiz' && typeof value === 'object' && !Array.isArray(value)) {
    const q = value as { questions?: unknown; participants?: unknown; winners?: unknown }
    return ctx.t('audit.quiz', { questions: num(q.questions), participants: num(q.participants), winners: num(q.winners) })
  }
  if (field === 'market_days' && typeof value === 'object' && !Array.isArray(value)) {
    return describeMarket(value as MarketCycle, ctx.locale) || ctx.t('audit.emptyValue')
  }
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(sep) || ctx.t('audit.emptyValue')
  }
  if (typeof value === 'object') return JSON.stringify(value)
  if (typeof value === 'string' && parseIso(value)) return formatDate(value, ctx.locale)
  return String(value)
}

/** The order lines are shown in (the form's order); other fields follow by name. */
const ORDER = [
  'title',
  'name',
  'date',
  'start_date',
  'end_date',
  'start_time',
  'end_time',
  'unit_id',
  'formats',
  'participants',
  'recorder',
  'review_status',
  'review_comment',
  'reach',
  'reach_by_audience',
  // The record's optional counts, in the core's field table order (as export/audit_xlsx.rs ranks them).
  ...RECORD_COUNTS.map((c) => c.column),
  'venue_type',
  'venue',
  'audiences',
  'laws',
  'campaign_ids',
  'nodes',
  'speakers',
  'partners',
  'materials',
  'quiz',
  'narrative',
  'activity_id',
]
const rank = (f: string) => {
  const i = ORDER.indexOf(f)
  return i < 0 ? ORDER.length : i
}

/**
 * The lines of one entry. An edit lists every changed field; a creation lists what was entered
 * (non-empty values), a deletion what was removed. Attachments and notes have no lines (their
 * summary says it all).
 */
export function changeLines(entry: Pick<AuditEntry, 'entity' | 'action' | 'changes'>, ctx: AuditContext): ChangeLine[] {
  if (entry.action === 'attach' || entry.action === 'detach') return []
  const changes = (entry.changes ?? {}) as Record<string, [unknown, unknown]>
  const out: ChangeLine[] = []
  for (const [field, pair] of Object.entries(changes)) {
    if (HIDDEN.has(field) || !Array.isArray(pair)) continue
    const [before, after] = pair
    if (entry.action === 'create' && isEmpty(after)) continue
    if (entry.action === 'delete' && isEmpty(before)) continue
    // Counts of 0 on creation are "not counted", not news.
    if (entry.action === 'create' && after === 0) continue
    out.push({
      field,
      label: fieldLabelOf(field, ctx),
      before: formatAuditValue(entry.entity, field, before, ctx),
      after: formatAuditValue(entry.entity, field, after, ctx),
    })
  }
  return out.sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field))
}

/** The entry's one-line summary: the core's Chinese text, or built from the codes in English. */
export function summaryText(entry: Pick<AuditEntry, 'entity' | 'action' | 'summary'>, ctx: AuditContext): string {
  if (!ctx.locale.startsWith('en') && entry.summary) return entry.summary
  const action = tr(ctx, `audit.action.${entry.action}`, entry.action)
  const entity = tr(ctx, `audit.entity.${entry.entity}`, entry.entity)
  const name = /“([^”]*)”/.exec(entry.summary)?.[1]
  return name ? `${action} ${entity} “${name}”` : `${action} ${entity}`
}

/** How an entry's lines read: before → after for a change, the values for a creation or a deletion. */
export function lineStyle(action: string): 'diff' | 'after' | 'before' {
  if (action === 'create' || action === 'attach') return 'after'
  if (action === 'delete' || action === 'detach') return 'before'
  return 'diff'
}
