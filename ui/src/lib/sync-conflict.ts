// A sync conflict for people: the fields in which the two versions differ, each with its label
// and both values in words (the audit trail's wording), sync bookkeeping left out.
import type { SyncConflict } from '../bindings/SyncConflict'
import { changeLines, type AuditContext, type ChangeLine } from './audit-view'

export interface ConflictContext extends AuditContext {
  materialName?: (id: string) => string | undefined
}

/** Clocks and timestamps of the exchange: not what a person compares. */
const BOOKKEEPING = new Set(['hlc', 'base_hlc', 'created_at', 'updated_at', 'reviewed_at', 'device_id', '_deleted'])

/** The core keeps lists (formats, laws …) as JSON text in their columns. */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string' || !/^[[{]/.test(value)) return value
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

const filled = (v: unknown) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)

interface Handout {
  material_id?: string
  quantity?: number
}

/** A row as exported, with the names the forms use (campaign links, hand-outs as materials). */
export function comparableFields(row: Record<string, unknown>, ctx: ConflictContext): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    if (BOOKKEEPING.has(key)) continue
    if (key === '_campaigns') out.campaign_ids = value
    else if (key === '_handouts')
      out.materials = ((value as Handout[] | null) ?? []).map((h) => ({
        material_name: (h.material_id && ctx.materialName?.(h.material_id)) || '',
        quantity: h.quantity,
      }))
    else out[key] = parsed(value)
  }
  return out
}

/** The lines that differ: `before` is this laptop's version, `after` the incoming one. */
export function conflictLines(c: SyncConflict, ctx: ConflictContext, deletedText: string): ChangeLine[] {
  const local = comparableFields(c.local, ctx)
  const incoming = comparableFields(c.incoming, ctx)
  const changes: Record<string, [unknown, unknown]> = {}
  for (const key of new Set([...Object.keys(local), ...Object.keys(incoming)])) {
    // A deletion against an edit: the filled-in fields of the kept row, against "deleted".
    if (c.local_deleted) {
      if (filled(incoming[key])) changes[key] = [deletedText, incoming[key]]
    } else if (c.incoming_deleted) {
      if (filled(local[key])) changes[key] = [local[key], deletedText]
    }
    else if (JSON.stringify(local[key]) !== JSON.stringify(incoming[key])) changes[key] = [local[key], incoming[key]]
  }
  return changeLines({ entity: c.entity, action: 'update', changes }, ctx)
}
