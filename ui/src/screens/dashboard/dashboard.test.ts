import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import Dashboard from './index.vue'
import { mountApp, settle, waitFor } from '../../../tests/helpers'
import type { Summary } from '../../bindings/Summary'

vi.setConfig({ testTimeout: 20000 })

type Sent = { cmd: string; args?: Record<string, unknown> }
const b = (key: string, label: string, activities: number) => ({ key, label, activities, participants: activities * 40, reach: activities * 60 })

function summaryFor(args: Record<string, unknown>): Summary {
  const pending = !!args.include_pending
  return {
    from: args.from as string,
    to: args.to as string,
    include_pending: pending,
    basis: pending ? 'with_pending' : 'approved',
    basis_line: '',
    statuses: { approved: 12, pending: 1, returned: 0 },
    activities: pending ? 13 : 12,
    pending: pending ? 1 : 0,
    returned: 0,
    participants: 480,
    reach: 3050,
    consultations: 96,
    banners: 14,
    boards: 9,
    vehicles: 1,
    online_posts: 6,
    online_views: 2300,
    disputes: 0,
    legal_aid_cases: 0,
    volunteers: 0,
    materials: [
      { name: '宪法读本', unit: '册', quantity: 300 },
      { name: '明白纸', unit: '份', quantity: 2750 },
    ],
    material_units: [
      { unit: '份', label: '宣传资料', kinds: 1, quantity: 2750 },
      { unit: '册', label: '法治读本', kinds: 1, quantity: 300 },
    ],
    planned: 16,
    planned_held: 12,
    by_month: [b('2026-03', '2026年3月', 4), b('2026-12', '2026年12月', 8)],
    by_campaign: [b('c1', '2026年宪法宣传周', 8), b('c2', '民法典宣传月', 4)],
    by_node: [],
    by_village: [b('v1', '安静村', 7), b('v2', '石院村', 5)],
    by_audience: [b('residents', '村(居)民', 12)],
    by_format: [b('courtyard_meeting', '院坝会', 9)],
    by_law: [b('宪法', '宪法', 10), b('民法典', '民法典', 6)],
    villages_without: ['长安村'],
    villages_in_review: [],
    headline: '全年开展普法活动12场次，受众3000余人次，发放资料3000余份',
  }
}

function backend(sent: Sent[], without: string[] | null = null) {
  mockIPC((_cmd, raw) => {
    const req = (raw as { request: Sent }).request
    sent.push(req)
    switch (req.cmd) {
      case 'summary':
        return { ...summaryFor(req.args ?? {}), ...(without ? { villages_without: without } : {}) }
      case 'unit_list':
        return [{ id: 'v1', kind: 'village', name: '安静村', address: '', notes: '', archived: false, created_at: '', updated_at: '' }]
      default:
        return []
    }
  })
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
const ready = () => (q('dashboard-screen') as HTMLElement | null)?.dataset.ready === 'true'

describe('统计 dashboard', () => {
  let sent: Sent[]
  beforeEach(() => {
    sent = []
  })
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it("shows this year's approved numbers, the headline and the villages not yet reached", async () => {
    backend(sent)
    const { wrapper } = mountApp(Dashboard)
    await waitFor(ready)
    const first = sent.find((s) => s.cmd === 'summary')
    const year = new Date().getFullYear()
    expect(first?.args).toEqual({ from: `${year}-01-01`, to: `${year}-12-31`, village: null, campaign_id: null, include_pending: false })
    expect(q('dashboard-headline')?.textContent).toContain('全年开展普法活动12场次，受众3000余人次，发放资料3000余份')
    // The basis, as every output states it: what counts and what was left out.
    expect(q('dashboard-basis')?.textContent).toBe('统计口径：已审核通过的活动记录（另有待审核 1 场未计入）')
    expect(q('kpi-activities')?.textContent).toContain('12')
    expect(q('kpi-materials')?.textContent?.replace(/\s+/g, '')).toContain('2,750份、300册')
    expect(q('kpi-materials')?.textContent).toContain('2种')
    expect(q('kpi-completion')?.textContent).toContain('75%')
    expect(q('dashboard-uncovered')?.textContent).toContain('长安村')
    wrapper.unmount()
  })

  it("names the first 30 of a county's villages not reached, and all on request", async () => {
    const many = Array.from({ length: 201 }, (_, i) => `第${i + 1}村`)
    backend(sent, many)
    const { wrapper } = mountApp(Dashboard)
    await waitFor(ready)
    const names = () => q('dashboard-uncovered-names')?.textContent?.split('、') ?? []
    expect(q('dashboard-uncovered')?.textContent).toContain('201 个村')
    expect(names()).toEqual(many.slice(0, 30))
    ;(q('dashboard-uncovered-more') as HTMLElement).click()
    await waitFor(() => names().length === 201)
    expect(q('dashboard-uncovered-more')?.textContent).toContain('收起')
    wrapper.unmount()
  })

  it('counts pending records only when asked, and says so', async () => {
    backend(sent)
    const { wrapper } = mountApp(Dashboard)
    await waitFor(ready)
    ;(q('dashboard-pending')?.querySelector('input') as HTMLInputElement).click()
    await waitFor(() => sent.filter((s) => s.cmd === 'summary').length === 2 && ready())
    expect(sent.filter((s) => s.cmd === 'summary')[1].args?.include_pending).toBe(true)
    expect(q('dashboard-pending-note')?.textContent).toContain('含 1 场待审核')
    expect(q('kpi-activities')?.textContent).toContain('13')
    wrapper.unmount()
  })

  it('shows a breakdown as a table with its total, and a row opens the 台账 behind it', async () => {
    backend(sent)
    const { wrapper, router } = mountApp(Dashboard)
    await waitFor(ready)
    ;(q('dashboard-table-village') as HTMLElement).click()
    await waitFor(() => !!q('dashboard-rows-village')?.querySelector('.el-table__body tr'))
    const table = q('dashboard-rows-village') as HTMLElement
    const rows = Array.from(table.querySelectorAll('.el-table__body tr')).map((tr) => tr.textContent?.replace(/\s+/g, ''))
    expect(rows).toEqual(['安静村7280420', '石院村5200300'])
    expect(table.querySelector('.el-table__footer')?.textContent?.replace(/\s+/g, '')).toBe('合计12480720')
    const push = vi.spyOn(router, 'push')
    ;(table.querySelector('.el-table__body tr') as HTMLElement).click()
    await settle()
    const year = new Date().getFullYear()
    expect(push).toHaveBeenCalledWith({ name: 'ledger', query: { from: `${year}-01-01`, to: `${year}-12-31`, review_status: 'approved', unit_id: 'v1' } })
    wrapper.unmount()
  })

  it('never sums the rows of a breakdown that can hold one activity twice: 合计（去重）', async () => {
    backend(sent)
    const { wrapper } = mountApp(Dashboard)
    await waitFor(ready)
    ;(q('dashboard-table-law') as HTMLElement).click()
    await waitFor(() => !!q('dashboard-rows-law')?.querySelector('.el-table__body tr'))
    const table = q('dashboard-rows-law') as HTMLElement
    // 10 + 6 law rows, but 12 activities: the footer is the summary's own distinct total.
    expect(table.querySelector('.el-table__footer')?.textContent?.replace(/\s+/g, '')).toBe('合计（去重）124803,050')
    expect(document.body.textContent).toContain('各行相加可能大于合计')
    wrapper.unmount()
  })
})
