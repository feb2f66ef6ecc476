import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import Pivot from './index.vue'
import { mountApp, waitFor } from '../../../tests/helpers'
import type { PivotRequest } from '../../bindings/PivotRequest'
import type { PivotTable } from '../../bindings/PivotTable'

vi.setConfig({ testTimeout: 20000 })

type Sent = { cmd: string; args?: Record<string, unknown> }

/** A 村×月 table; with pending records included 石院村 has one more in May. */
function tableFor(req: PivotRequest): PivotTable {
  const pending = req.filter.include_pending
  return {
    from: req.filter.from,
    to: req.filter.to,
    include_pending: pending,
    rows: req.rows,
    cols: req.cols,
    measure: req.measure,
    title: `${req.filter.from}至${req.filter.to}　全镇　活动场次（场次），按村/单位、月份`,
    row_labels: [
      { key: 'v1', label: '安静村' },
      { key: 'v2', label: '石院村' },
      { key: '', label: '（未填）' },
    ],
    col_labels: [
      { key: '2026-03', label: '2026年3月' },
      { key: '2026-05', label: '2026年5月' },
    ],
    cells: [
      [3, 1],
      [0, pending ? 3 : 2],
      [1, 0],
    ],
    row_totals: [4, pending ? 3 : 2, 1],
    col_totals: [4, pending ? 4 : 3],
    total: pending ? 8 : 7,
    measure_unit: '场次',
    basis: pending ? 'with_pending' : 'approved',
    statuses: { approved: 7, pending: 1, returned: 0 },
    basis_line: '',
    note: '',
  }
}

function backend(sent: Sent[], dialogs: unknown[]) {
  mockIPC((cmd, raw) => {
    if (cmd === 'choose_save') {
      dialogs.push(raw)
      return '/home/李明/文档/透视表.xlsx'
    }
    const req = (raw as { request: Sent }).request
    sent.push(req)
    switch (req.cmd) {
      case 'pivot':
        return tableFor(req.args as unknown as PivotRequest)
      case 'export_pivot_xlsx':
        return { path: req.args?.path, count: 3 }
      case 'unit_list':
        return [{ id: 'v1', kind: 'village', name: '安静村', address: '', notes: '', archived: false, created_at: '', updated_at: '' }]
      default:
        return []
    }
  })
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
const ready = () => (q('pivot-screen') as HTMLElement | null)?.dataset.ready === 'true'
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, '') ?? ''

describe('透视表', () => {
  let sent: Sent[]
  let dialogs: unknown[]
  beforeEach(() => {
    sent = []
    dialogs = []
  })
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it("asks for this year's villages by month on load and shows the grid with its totals", async () => {
    backend(sent, dialogs)
    const { wrapper } = mountApp(Pivot)
    await waitFor(ready)
    const year = new Date().getFullYear()
    const asked = sent.filter((s) => s.cmd === 'pivot')
    expect(asked).toHaveLength(1)
    expect(asked[0].args).toEqual({
      filter: { from: `${year}-01-01`, to: `${year}-12-31`, village: null, campaign_id: null, include_pending: false },
      rows: 'village',
      cols: 'month',
      measure: 'activities',
    })
    const grid = q('pivot-table') as HTMLElement
    const head = Array.from(grid.querySelectorAll('.el-table__header th')).map(text)
    expect(head).toEqual(['村/单位＼月份', '2026年3月', '2026年5月', '合计'])
    const rows = Array.from(grid.querySelectorAll('.el-table__body tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map(text))
    expect(rows).toEqual([
      ['安静村', '3', '1', '4'],
      ['石院村', '0', '2', '2'],
      ['（未填）', '1', '0', '1'],
    ])
    const foot = Array.from(grid.querySelectorAll('.el-table__footer td')).map(text)
    expect(foot).toEqual(['合计', '4', '3', '7'])
    expect(text(q('pivot-title'))).toContain('活动场次（场次），按村/单位、月份')
    expect(text(q('pivot-title'))).toContain('单位：场次')
    // Villages and months do not overlap: no hint that rows can add up to more.
    expect(q('pivot-hint')).toBeNull()
    wrapper.unmount()
  })

  it('exports exactly the request on screen to the chosen file', async () => {
    backend(sent, dialogs)
    const { wrapper } = mountApp(Pivot)
    await waitFor(ready)
    ;(q('pivot-pending')?.querySelector('input') as HTMLInputElement).click()
    await waitFor(() => sent.filter((s) => s.cmd === 'pivot').length === 2 && ready())
    const shown = sent.filter((s) => s.cmd === 'pivot')[1].args as unknown as PivotRequest
    expect(shown.filter.include_pending).toBe(true)
    expect(text(q('pivot-table')?.querySelector('.el-table__footer'))).toBe('合计448')

    ;(q('pivot-export') as HTMLElement).click()
    await waitFor(() => sent.some((s) => s.cmd === 'export_pivot_xlsx'))
    const year = new Date().getFullYear()
    const asked = dialogs[0] as { defaultName: string; extension: string }
    expect(asked.defaultName).toBe(`普法活动透视表_${year}-01-01_${year}-12-31.xlsx`)
    expect(asked.extension).toBe('xlsx')
    const exported = sent.find((s) => s.cmd === 'export_pivot_xlsx')
    expect(exported?.args).toEqual({ request: shown, path: '/home/李明/文档/透视表.xlsx' })
    await waitFor(() => !!document.querySelector('.el-message--success'))
    expect(document.querySelector('.el-message--success')?.textContent).toContain('已导出 3 行：/home/李明/文档/透视表.xlsx')
    wrapper.unmount()
  })
})
