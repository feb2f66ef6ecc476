import { describe, expect, it } from 'vitest'
import type { Summary } from '../bindings/Summary'
import { barOption, completion, englishHeadline, footerOf, ledgerQuery, monthsOf, pieOption, totalOf, trendOption } from './dashboard'

const b = (key: string, activities: number, participants = activities * 40, reach = activities * 50) => ({ key, label: key, activities, participants, reach })

function summary(over: Partial<Summary> = {}): Summary {
  return {
    from: '2026-01-01',
    to: '2026-12-31',
    include_pending: false,
    basis: 'approved',
    basis_line: '统计口径：已审核通过的活动记录',
    statuses: { approved: 0, pending: 0, returned: 0 },
    activities: 0,
    pending: 0,
    returned: 0,
    participants: 0,
    reach: 0,
    consultations: 0,
    banners: 0,
    boards: 0,
    vehicles: 0,
    online_posts: 0,
    online_views: 0,
    disputes: 0,
    legal_aid_cases: 0,
    volunteers: 0,
    materials: [],
    material_units: [],
    planned: 0,
    planned_held: 0,
    by_month: [],
    by_campaign: [],
    by_node: [],
    by_village: [],
    by_audience: [],
    by_format: [],
    by_law: [],
    villages_without: [],
    villages_in_review: [],
    headline: '',
    ...over,
  }
}

describe('dashboard numbers', () => {
  it('lists every month of the period, the empty ones as zero', () => {
    const s = summary({ from: '2025-11-15', to: '2026-02-10', by_month: [b('2025-12', 3), b('2026-02', 1)] })
    const months = monthsOf(s, (ym) => `${ym}月`)
    expect(months.map((m) => [m.key, m.activities])).toEqual([
      ['2025-11', 0],
      ['2025-12', 3],
      ['2026-01', 0],
      ['2026-02', 1],
    ])
    expect(months[0].label).toBe('2025-11月')
  })

  it('sums a breakdown and computes plan completion', () => {
    expect(totalOf([b('a', 2, 80, 100), b('b', 3, 90, 120)])).toEqual({ activities: 5, participants: 170, reach: 220 })
    expect(completion({ planned: 8, planned_held: 6 })).toBe(75)
    expect(completion({ planned: 0, planned_held: 0 })).toBeNull()
  })

  it('never sums rows that can hold one activity several times', () => {
    // 3 activities; two of them name two laws: the law rows add up to 5.
    const s = summary({ activities: 3, participants: 120, reach: 300 })
    const laws = [b('宪法', 3, 120, 300), b('民法典', 2, 80, 200)]
    expect(footerOf(s, 'law', laws)).toEqual({ label: 'basis.distinctTotal', total: { activities: 3, participants: 120, reach: 300 } })
    expect(footerOf(s, 'campaign', laws).total.activities).toBe(3)
    // One village per record: the rows are the total.
    const villages = [b('v1', 2, 80, 200), b('v2', 1, 40, 100)]
    expect(footerOf(s, 'village', villages)).toEqual({ label: 'ledger.total', total: { activities: 3, participants: 120, reach: 300 } })
  })

  it('builds charts whose items carry the key a click opens', () => {
    const bar = barOption([b('v1', 1), b('v2', 5), b('v3', 3)], 'activities', '场次', 2)
    expect(bar.yAxis.data).toEqual(['v3', 'v2']) // the two largest, the largest at the top
    expect(bar.series[0].data).toEqual([
      { value: 3, key: 'v3' },
      { value: 5, key: 'v2' },
    ])
    const trend = trendOption([b('2026-01', 2), b('2026-02', 0)], { activities: '场次', reach: '受众人次' })
    expect(trend.series[0].data[0]).toEqual({ value: 2, key: '2026-01' })
    expect(trend.series[1].data[1]).toEqual({ value: 0, key: '2026-02' })
    const pie = pieOption([b('residents', 4)], 'reach', '受众人次')
    expect(pie.series[0].data).toEqual([{ name: 'residents', value: 200, key: 'residents' }])
  })

  it('leads a click to the 台账 with the same filter, narrowed to what was clicked', () => {
    const f = { from: '2026-01-01', to: '2026-12-31', village: null, campaign_id: 'c1', include_pending: false }
    expect(ledgerQuery(f, null, null)).toEqual({ from: '2026-01-01', to: '2026-12-31', campaign_id: 'c1', review_status: 'approved' })
    expect(ledgerQuery({ ...f, include_pending: true }, null, null).review_status).toBe('with_pending')
    expect(ledgerQuery(f, 'month', '2026-02')).toMatchObject({ from: '2026-02-01', to: '2026-02-28' })
    expect(ledgerQuery({ ...f, from: '2026-02-10' }, 'month', '2026-02').from).toBe('2026-02-10') // not before the period
    expect(ledgerQuery(f, 'village', 'v9')).toMatchObject({ unit_id: 'v9' })
    expect(ledgerQuery({ ...f, include_pending: true }, 'law', '宪法')).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      campaign_id: 'c1',
      review_status: 'with_pending',
      search: '宪法',
    })
  })
})

describe('englishHeadline', () => {
  it('says the year’s numbers in English', () => {
    const base = { from: '2027-01-01', to: '2027-12-31', activities: 81, reach: 9800, material_units: [] }
    expect(englishHeadline(base)).toBe('In 2027: 81 activities held, reaching 9,800 people')
    expect(
      englishHeadline({
        ...base,
        from: '2027-12-01',
        activities: 1,
        material_units: [{ unit: '份', label: '宣传资料', kinds: 2, quantity: 5200 }, { unit: '册', label: '法治读本', kinds: 1, quantity: 0 }],
      }),
    ).toBe('From 2027-12-01 to 2027-12-31: 1 activity held, reaching 9,800 people; materials handed out: 5,200 copies')
  })
})

