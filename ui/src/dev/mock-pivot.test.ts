import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import * as api from '../api'
import { installMockBackend } from './mock-backend'
import type { PivotRequest } from '../bindings/PivotRequest'

describe('dev mock backend (透视表)', () => {
  afterEach(() => {
    clearMocks()
    localStorage.clear()
  })

  it('answers the pivot like the core: the dashboard total, distinct records, （未填）, the export', async () => {
    localStorage.clear()
    installMockBackend()
    await api.loadDemo({ seed: null, year: null } as never).catch(() => undefined)
    const ledger = await api.recordList({ from: null, to: null, unit_id: null, campaign_id: null, review_status: null, search: null })
    const years = ledger.map((r) => r.date.slice(0, 4)).sort()
    const filter = { from: `${years[0]}-01-01`, to: `${years[years.length - 1]}-12-31`, village: null, campaign_id: null, include_pending: false }
    const sum = await api.summary(filter)
    expect(sum.activities).toBeGreaterThan(0)

    const request: PivotRequest = { filter, rows: 'village', cols: 'month', measure: 'activities' }
    const table = await api.pivot(request)
    expect(table.total).toBe(sum.activities)
    expect(table.row_totals.reduce((a: number, b) => a + (b ?? 0), 0)).toBe(sum.activities)
    table.cells.forEach((row, r) => expect(row.reduce((a: number, b) => a + (b ?? 0), 0)).toBe(table.row_totals[r]))
    expect(table.col_labels[0].key).toBe(filter.from.slice(0, 7))

    const laws = await api.pivot({ filter, rows: 'law', cols: null, measure: 'activities' })
    expect(laws.total).toBe(sum.activities)
    expect(laws.row_totals.reduce((a: number, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(sum.activities)
    const quantity = await api.pivot({ filter, rows: 'material', cols: null, measure: 'quantity' })
    const handed = ledger.filter((r) => r.review_status === 'approved').flatMap((r) => r.materials).reduce((t, m) => t + m.quantity, 0)
    expect(quantity.total).toBe(handed)
    expect(quantity.row_totals.reduce((a: number, b) => a + (b ?? 0), 0)).toBe(handed)

    const out = await api.exportPivotXlsx(request, '/home/dev/文档/透视表.xlsx')
    expect(out).toEqual({ path: '/home/dev/文档/透视表.xlsx', count: table.row_labels.length })
    await expect(api.pivot({ ...request, cols: 'village' })).rejects.toMatchObject({ code: 'invalid_value', field: 'cols' })
    await expect(api.pivot({ ...request, filter: { ...filter, to: '2000-01-01' } })).rejects.toMatchObject({ field: 'end_date' })
  })
})
