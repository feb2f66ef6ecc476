// Report periods the way a township counts: this month, last month, this quarter, this year.
import { toIso } from './dates'

export type PeriodKey = 'month' | 'lastMonth' | 'quarter' | 'year' | 'lastYear'

export function periodPresets(now: Date): Record<PeriodKey, { from: string; to: string }> {
  const y = now.getFullYear()
  const m = now.getMonth()
  const q = Math.floor(m / 3) * 3
  const day = (yy: number, mm: number, dd: number) => toIso(new Date(yy, mm, dd))
  return {
    month: { from: day(y, m, 1), to: day(y, m + 1, 0) },
    lastMonth: { from: day(y, m - 1, 1), to: day(y, m, 0) },
    quarter: { from: day(y, q, 1), to: day(y, q + 3, 0) },
    year: { from: day(y, 0, 1), to: day(y, 11, 31) },
    lastYear: { from: day(y - 1, 0, 1), to: day(y - 1, 11, 31) },
  }
}
