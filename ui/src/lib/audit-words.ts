// The audit trail's lines as the window shows them. The core computes them (which fields, in
// which order, ids as names, codes): each value comes as its Chinese text and as its parts
// (Words), which this file puts into words when the window speaks English.
import type { AuditEntry } from '../bindings/AuditEntry'
import type { ChangeLine } from '../bindings/ChangeLine'
import type { LineValue } from '../bindings/LineValue'
import { formatDate } from './dates'
import { describeMarket } from './market'

export interface WordsContext {
  t: (key: string, named?: Record<string, unknown>) => string
  /** Whether a translation key exists. */
  te: (key: string) => boolean
  locale: string
}

/** A line in the window's language. */
export interface ShownLine {
  field: string
  label: string
  before: string
  after: string
}

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

const english = (ctx: WordsContext) => ctx.locale.startsWith('en')

function tr(ctx: WordsContext, key: string, fallback: string): string {
  return ctx.te(key) ? ctx.t(key) : fallback
}

/** A value in the window's language: the core's Chinese text, or its parts in English. */
export function valueText(v: LineValue, ctx: WordsContext): string {
  if (!english(ctx) || v.text === '') return v.text
  const w = v.words
  const list = (items: string[]) => items.join(', ') || ctx.t('audit.emptyValue')
  switch (w.kind) {
    case 'empty':
      return ctx.t('audit.emptyValue')
    case 'deleted':
      return ctx.t('exchange.deletedSide')
    case 'text':
      return w.text
    case 'bool':
      return ctx.t(w.yes ? 'audit.yes' : 'audit.no')
    case 'date':
      return formatDate(w.date, ctx.locale)
    case 'codes':
      return list(w.codes.map((c) => tr(ctx, `enums.${w.set}.${c}`, c)))
    case 'names':
      return list(w.names)
    case 'speakers':
      return list(w.speakers.map((s) => `${s.name} (${tr(ctx, `enums.personRole.${s.role}`, s.role)})`))
    case 'reach':
      return list(w.parts.map((p) => `${tr(ctx, `enums.audience.${p.audience}`, p.audience)} ${p.count}`))
    case 'quiz':
      return ctx.t('audit.quiz', { questions: w.questions, participants: w.participants, winners: w.winners })
    case 'market':
      return describeMarket(w.cycle, ctx.locale) || ctx.t('audit.emptyValue')
    case 'linked_activity':
      return w.name ?? ctx.t('audit.linkedActivity')
  }
}

/** A field's label: the core's Chinese one, or auditFields.<f> / fields.<f> in English. */
export function labelText(line: ChangeLine, ctx: WordsContext): string {
  if (!english(ctx)) return line.label
  if (ctx.te(`auditFields.${line.field}`)) return ctx.t(`auditFields.${line.field}`)
  if (ctx.te(`fields.${line.field}`)) return ctx.t(`fields.${line.field}`)
  return line.label
}

/** The core's lines in the window's language. */
export function shownLines(lines: ChangeLine[], ctx: WordsContext): ShownLine[] {
  return lines.map((l) => ({
    field: l.field,
    label: labelText(l, ctx),
    before: valueText(l.before, ctx),
    after: valueText(l.after, ctx),
  }))
}

/** The entry's one-line summary: the core's Chinese text, or built from the codes in English. */
export function summaryText(entry: Pick<AuditEntry, 'entity' | 'action' | 'summary'>, ctx: WordsContext): string {
  if (!english(ctx) && entry.summary) return entry.summary
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
