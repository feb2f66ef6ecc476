import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import PlanScreen from './index.vue'
import TemplateApplyDialog from './TemplateApplyDialog.vue'
import { mountApp, settle, waitFor } from '../../../tests/helpers'
import type { KeyDate } from '../../bindings/KeyDate'
import type { PlanTemplate } from '../../bindings/PlanTemplate'
import { coreAnswer, coreFixtures } from '../../../tests/fixtures'
import { UNIT_KINDS } from '../../lib/enums'

type Sent = { cmd: string; args?: Record<string, unknown> }
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
const qa = (id: string) => Array.from(document.querySelectorAll(`[data-testid="${id}"]`))

// Next year's key dates as the core lists them for the demo town: a rule date with its window
// and last year's theme awaiting confirmation, 宪法宣传周 as the town set it (a variant of the
// core's row), and a provisional one (待公布).
const keydate = (code: string): KeyDate => coreFixtures.keydates['2027'].find((k) => k.code === code)!
const KEYDATES: KeyDate[] = [
  keydate('national_security_day'),
  { ...keydate('constitution_week'), source: 'override', theme: '弘扬宪法精神' },
  keydate('cyber_security_week'),
]

const GENERATED = {
  created: [{ id: 'c1', name: '2027年“宪法宣传周”集中宣传活动' }],
  extended: [],
  skipped: ['4·15全民国家安全教育日'],
  standard: [],
  continuing: [{ id: 'c0', name: '2026—2027年度根治欠薪冬季专项行动' }],
  placed: 21,
  moved: 6,
  exceptions: ['安静村“三下乡”送法下乡：2027-12-25（星期六，周末）是安静村的赶集日（农历逢一、四、七），集中宣传安排在集日'],
}

const TEMPLATE: PlanTemplate = coreFixtures.templates.find((t) => t.key === 'constitution_week')!

function backend(sent: Sent[], extra: (req: Sent) => unknown = () => null) {
  mockIPC((_cmd, args) => {
    const req = (args as { request: Sent }).request
    sent.push(req)
    switch (req.cmd) {
      case 'keydate_list':
        return KEYDATES
      case 'keydate_node_list':
        return []
      case 'template_list':
        return [TEMPLATE]
      case 'campaign_list': {
        // The core's campaigns running in the year asked for.
        const year = req.args?.year as number
        return coreFixtures.campaigns.filter((c) => c.start_date <= `${year}-12-31` && c.end_date >= `${year}-01-01`)
      }
      case 'unit_list':
        return coreAnswer(req)
    }
    return extra(req)
  })
}

describe('Year plan', { timeout: 20000 }, () => {
  let sent: Sent[]
  beforeEach(() => {
    sent = []
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2026, 10, 27, 9, 0)) // late November: planning next year
  })
  afterEach(() => {
    vi.useRealTimers()
    clearMocks()
    document.body.innerHTML = ''
  })

  it('lists next year’s key dates and generates the plan for the ticked ones', async () => {
    backend(sent, (req) => (req.cmd === 'plan_generate' ? GENERATED : null))
    const { wrapper } = mountApp(PlanScreen)
    await waitFor(() => qa('plan-node-row').length === 3)
    expect(sent.find((r) => r.cmd === 'keydate_list')?.args).toEqual({ year: 2027 })
    const rows = qa('plan-node-row').map((r) => r.closest('tr')?.textContent ?? '')
    expect(rows[0]).toContain('4月15日 星期四')
    expect(rows[0]).toContain('集中宣传期：4月8日—4月22日')
    expect(rows[0]).toContain('规则')
    expect(rows[0]).toContain('（2016年起）')
    expect(rows[0]).toContain('常规')
    expect(rows[0]).toContain('主题（沿用2025年，待确认）：全民国家安全教育 走深走实十周年')
    expect(rows[1]).toContain('12月1日—12月7日')
    expect(rows[1]).toContain('本镇设置')
    expect(rows[1]).toContain('主题：弘扬宪法精神')
    expect(rows[2]).toContain('待公布')
    // The last year's campaigns still running show above the nodes.
    expect(q('plan-continuing')?.textContent).toContain('2026—2027年度根治欠薪冬季专项行动')
    expect(q('plan-continuing')?.textContent).not.toContain('民法典')
    const checks = qa('plan-node-check').map((c) => c.querySelector('input') as HTMLInputElement)
    checks[1].click()
    checks[0].click()
    await settle()
    ;(q('plan-generate') as HTMLButtonElement).click()
    await settle()
    const gen = sent.find((r) => r.cmd === 'plan_generate')
    expect(gen?.args).toEqual({ year: 2027, nodes: ['constitution_week', 'national_security_day'] })
    const result = q('plan-result')?.textContent ?? ''
    expect(result).toContain('已为2027年生成 1 个活动专项')
    expect(result).toContain('2027年“宪法宣传周”集中宣传活动')
    expect(q('plan-result-skipped')?.textContent).toContain('4·15全民国家安全教育日')
    expect(q('plan-result-placed')?.textContent).toContain('安排活动 21 场，其中 6 场原定在周末、节假日或寒暑假')
    expect(result).toContain('1 场例外保留在非工作日')
    expect(q('plan-result-exceptions')?.textContent).toContain('赶集日')
    expect(result).toContain('上年度延续：2026—2027年度根治欠薪冬季专项行动')
    wrapper.unmount()
  })

  it('generates the standard set when nothing is ticked, after saying which', async () => {
    backend(sent, (req) => {
      if (req.cmd === 'plan_generate') return { ...GENERATED, standard: ['4·15全民国家安全教育日', '宪法宣传周'] }
      if (req.cmd === 'keydate_confirm') return { ...KEYDATES[2], source: 'override' }
      return null
    })
    const { wrapper } = mountApp(PlanScreen)
    await waitFor(() => qa('plan-node-row').length === 3)
    const button = q('plan-generate') as HTMLButtonElement
    expect(button.disabled).toBe(false)
    expect(button.textContent).toContain('常规节点')
    button.click()
    await settle()
    const box = document.querySelector('.el-message-box')?.textContent ?? ''
    expect(box).toContain('2 个节点')
    expect(box).toContain('4·15全民国家安全教育日、宪法宣传周')
    ;(document.querySelector('.el-message-box__btns .el-button--primary') as HTMLButtonElement).click()
    await waitFor(() => !!q('plan-result'))
    expect(sent.find((r) => r.cmd === 'plan_generate')?.args).toEqual({ year: 2027, nodes: [] })
    expect(q('plan-result-standard')?.textContent).toContain('按常规的 2 个节点生成')
    // 待公布: confirming takes the shown dates as this year's.
    const row = qa('plan-node-row')[2].closest('tr') as HTMLElement
    ;(row.querySelector('[data-testid="plan-node-confirm"]') as HTMLButtonElement).click()
    await settle()
    expect(sent.find((r) => r.cmd === 'keydate_confirm')?.args).toEqual({ node_code: 'cyber_security_week', year: 2027 })
    await waitFor(() => !(qa('plan-node-row')[2].closest('tr')?.textContent ?? '').includes('待公布'))
    wrapper.unmount()
  })

  it('applies a template to chosen villages only', async () => {
    backend(sent, (req) =>
      req.cmd === 'template_apply'
        ? {
            campaign: { id: 'c1', name: '2027年“宪法宣传周”集中宣传活动', start_date: '2027-12-01', end_date: '2027-12-07' },
            activities: [{ id: 'a1' }],
            conflicts: [],
            added_to_existing: true,
            skipped_units: [],
            moved: 1,
            exceptions: [],
          }
        : null,
    )
    const { wrapper } = mountApp(TemplateApplyDialog, { props: { modelValue: true, template: TEMPLATE, year: 2027, years: [2026, 2027] } })
    await settle()
    // "全部" names the template's kinds and how many units that is.
    const units = UNIT_KINDS.flatMap((k) => coreFixtures.units.filter((u) => u.kind === k))
    const ours = units.filter((u) => u.kind === 'village' || u.kind === 'community')
    expect(q('template-units-all')?.textContent).toContain(`全部村、社区（${ours.length} 个）`)
    ;(q('template-units-some')?.querySelector('input') as HTMLInputElement).click()
    await settle()
    const boxes = qa('template-unit')
    expect(boxes.map((b) => b.textContent?.trim())).toEqual(units.map((u) => u.name))
    ;(boxes[0].querySelector('input') as HTMLInputElement).click()
    await settle()
    ;(q('template-apply-submit') as HTMLButtonElement).click()
    await settle()
    expect(sent.find((r) => r.cmd === 'template_apply')?.args).toEqual({
      template: 'constitution_week',
      year: 2027,
      unit_ids: [units[0].id],
      all_units: false,
    })
    expect(q('template-apply-result')?.textContent).toContain('已安排 1 场活动')
    expect(q('template-apply-existing')?.textContent).toContain('没有重复建立')
    expect(q('template-apply-placed')?.textContent).toContain('其中 1 场原定在周末')
    wrapper.unmount()
  })
})
