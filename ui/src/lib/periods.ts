// Report periods the way a township counts: this month, last month, this quarter, this year.
import { watch } from 'vue'
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

type Presets = Record<PeriodKey, { from: string; to: string }>

/** The preset a date range is, or "custom". */
export function presetOf(presets: Presets, range: readonly [string, string] | null): PeriodKey | 'custom' {
  return (Object.keys(presets) as PeriodKey[]).find((k) => range && presets[k].from === range[0] && presets[k].to === range[1]) ?? 'custom'
}

/**
 * Keeps a screen's period select and its date range in step (call in setup): choosing a
 * preset sets the range; a range picked by hand shows the preset it equals, else "custom".
 */
export function syncPeriod(filter: { period: PeriodKey | 'custom'; range: [string, string] | null }, presets: Presets): void {
  watch(
    () => filter.period,
    (p) => {
      if (p !== 'custom') filter.range = [presets[p].from, presets[p].to]
    },
  )
  watch(
    () => filter.range,
    (r) => {
      filter.period = presetOf(presets, r)
    },
  )
}
