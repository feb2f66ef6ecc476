import { describe, expect, it } from 'vitest'
import { nextTick, reactive } from 'vue'
import { periodPresets, presetOf, syncPeriod, type PeriodKey } from './periods'

describe('report periods', () => {
  const presets = periodPresets(new Date(2026, 10, 27))

  it('knows the presets of 27 Nov 2026', () => {
    expect(presets.month).toEqual({ from: '2026-11-01', to: '2026-11-30' })
    expect(presets.quarter).toEqual({ from: '2026-10-01', to: '2026-12-31' })
    expect(presets.lastYear).toEqual({ from: '2025-01-01', to: '2025-12-31' })
    expect(presetOf(presets, ['2026-01-01', '2026-12-31'])).toBe('year')
    expect(presetOf(presets, ['2026-01-01', '2026-06-30'])).toBe('custom')
    expect(presetOf(presets, null)).toBe('custom')
  })

  it('keeps the period select and the date range in step', async () => {
    const filter = reactive({ period: 'year' as PeriodKey | 'custom', range: [presets.year.from, presets.year.to] as [string, string] | null })
    syncPeriod(filter, presets)
    filter.period = 'lastMonth'
    await nextTick()
    expect(filter.range).toEqual(['2026-10-01', '2026-10-31'])
    filter.range = ['2026-03-01', '2026-03-15']
    await nextTick()
    expect(filter.period).toBe('custom')
    filter.range = ['2026-11-01', '2026-11-30']
    await nextTick()
    expect(filter.period).toBe('month')
  })
})
