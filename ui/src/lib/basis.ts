// 统计口径 in the window: which records a number counts, in the UI's language. The core writes
// the same line into its files (reports::basis::statement); here it is made from the codes, so
// the English window says it in English. Numbers on screen get thousands separators.
import type { Basis } from '../bindings/Basis'
import type { StatusCounts } from '../bindings/StatusCounts'

type Translate = (key: string, values?: Record<string, unknown>) => string

const STATUSES: Record<Basis, readonly ('approved' | 'pending' | 'returned')[]> = {
  approved: ['approved'],
  with_pending: ['approved', 'pending'],
  pending: ['pending'],
  returned: ['returned'],
  all: ['approved', 'pending', 'returned'],
}

/** The basis a filter asks for: a working list's status, else approved (with pending). */
export function basisOf(includePending: boolean, status?: string | null): Basis {
  if (status && status in STATUSES) return status as Basis
  return includePending ? 'with_pending' : 'approved'
}

export function takes(basis: Basis, status: 'approved' | 'pending' | 'returned'): boolean {
  return STATUSES[basis].includes(status)
}

function list(t: Translate, counts: StatusCounts, statuses: readonly ('approved' | 'pending' | 'returned')[]): string {
  return statuses
    .filter((s) => counts[s] > 0)
    .map((s) => t(`basis.count.${s}`, { n: formatNumber(counts[s]) }))
    .join(t('basis.sep'))
}

/** "其中待审核 3 场、已退回 1 场" under totals that list records not approved; '' otherwise. */
export function splitLine(t: Translate, basis: Basis, counts: StatusCounts): string {
  if (!takes(basis, 'approved')) return ''
  const l = list(
    t,
    counts,
    STATUSES[basis].filter((s) => s !== 'approved'),
  )
  return l ? t('basis.split', { list: l }) : ''
}

/** "统计口径：已审核通过的活动记录（另有待审核 3 场未计入）" — the core's statement, in the UI's words. */
export function basisLine(t: Translate, basis: Basis, counts: StatusCounts): string {
  const head = t('basis.head', { words: t(`basis.words.${basis}`) })
  if (basis === 'pending' || basis === 'returned') return `${head}${t('basis.paren', { text: t('basis.notCounted') })}`
  const parts: string[] = []
  const split = splitLine(t, basis, counts)
  if (split) parts.push(split)
  const out = list(
    t,
    counts,
    (['pending', 'returned'] as const).filter((s) => !takes(basis, s)),
  )
  if (out) parts.push(t('basis.leftOut', { list: out }))
  return parts.length ? `${head}${t('basis.paren', { text: parts.join(t('basis.partSep')) })}` : head
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** 17745298 → "17,745,298" (the separator Chinese and English screens both use). */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  return GROUPED.format(n)
}
