// The record screen's fields: which the form shows errors on, which are required, how each
// required one is found on the page, and which keys save.
import { nextTick } from 'vue'
import { COUNT_FIELDS, type RequiredField } from '../../lib/records'

export const FIELDS = [
  'title',
  'date',
  'unit_id',
  'formats',
  'participants',
  'recorder',
  'start_time',
  'end_time',
  'venue_type',
  'venue',
  'audiences',
  'laws',
  'campaign_ids',
  'nodes',
  'speakers',
  'partners',
  ...COUNT_FIELDS,
  'reach_by_audience',
  'quiz',
  'narrative',
  'materials',
] as const
export type Field = (typeof FIELDS)[number]
export const REQUIRED = new Set<string>(['title', 'date', 'unit_id', 'formats', 'participants', 'recorder'])
/** Fields whose Chinese message from the core is clearer than "{field}不能为空". */
export const OWN_MESSAGE = new Set<string>(['materials', 'quiz', 'reach_by_audience', 'speakers', 'campaign_ids'])

const TESTID: Record<RequiredField, string> = {
  title: 'record-title',
  date: 'record-date',
  unit_id: 'record-village',
  formats: 'record-formats',
  participants: 'record-participants',
  recorder: 'record-recorder',
}

export function focusField(f: RequiredField) {
  void nextTick(() => {
    const el = document.querySelector(`[data-testid="${TESTID[f]}"]`)
    const input = el instanceof HTMLInputElement ? el : el?.querySelector('input')
    input?.focus()
  })
}

/** Enter saves from a plain box; lists, pickers, text areas and buttons keep their Enter. */
export function enterSaves(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229 || e.shiftKey || e.altKey) return false
  const el = e.target as HTMLElement | null
  if (!el || el.tagName === 'TEXTAREA' || el.tagName === 'BUTTON') return false
  return !el.closest('.el-select, .el-select__wrapper, .el-date-editor, .el-autocomplete, .el-collapse-item__header, .el-switch')
}

/** Ctrl+S (⌘S) saves anywhere on the screen. */
export function isSaveShortcut(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')
}
