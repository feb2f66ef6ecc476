import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import PlanScreen from './index.vue'
import TemplateApplyDialog from './TemplateApplyDialog.vue'
import { mountApp, settle, waitFor } from '../../../tests/helpers'
import type { KeyDate } from '../../bindings/KeyDate'
import type { PlanTemplate } from '../../bindings/PlanTemplate'

type Sent = { cmd: string; args?: Record<string, unknown> }
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
const qa = (id: string) => Array.from(document.querySelectorAll(`[data-testid="${id}"]`))

const kd = (code: string, name: string, start: string, end: string, extra: Partial<KeyDate> = {}): KeyDate => ({
  code,
  name,
  year: 2027,
  start,
  end,
  window_start: start,
  window_end: end,
  rule: '12月4日',
  rule_kind: 'F',
  laws: ['宪法'],
  audiences: ['residents'],
  lead_agency: '',
  theme: '',
  doc_number: '',
  note: '',
  source: 'rule',
  local: false,
  ...extra,
})

const KEYDATES = [
  kd('national_security_day', '4·15全民国家安全教育日', '2027-04-15', '2027-04-15', { window_start: '2027-04-08', window_end: '2027-04-22' }),
  kd('constitution_week', '宪法宣传周', '2027-12-01', '2027-12-07', { source: 'override', theme: '弘扬宪法精神' }),
]

const TEMPLATE: PlanTemplate = {
  key: 'constitution_week',
  name: '12·4宪法宣传周',
  description: '每个村（社区）至少一场',
  campaign_name: '{year}年“宪法宣传周”集中宣传活动',
  campaign_kind: 'national',
  nodes: ['constitution_week'],
  use_window: false,
  themes: ['宪法'],
  audiences: ['residents'],
  unit_kinds: ['village', 'community'],
  activity: { title: '{unit}宪法宣传', formats: ['street_campaign'], venue_type: 'courtyard', audiences: ['residents'], laws: ['宪法'], start_time: '09:00', end_time: '11:30', expected_audience: 60, partners: [], materials: [] },
  builtin: true,
}

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
      case 'unit_list':
        return [
          { id: 'u1', kind: 'village', name: '安静村', address: '', notes: '', archived: false, created_at: '', updated_at: '' },
          { id: 'u2', kind: 'community', name: '双龙社区', address: '', notes: '', archived: false, created_at: '', updated_at: '' },
          { id: 's1', kind: 'school', name: '双龙镇中心小学', address: '', notes: '', archived: false, created_at: '', updated_at: '' },
        ]
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
    backend(sent, (req) =>
      req.cmd === 'plan_generate'
        ? { created: [{ id: 'c1', name: '2027年宪法宣传周' }], skipped: ['4·15全民国家安全教育日'] }
        : null,
    )
    const { wrapper } = mountApp(PlanScreen)
    await waitFor(() => qa('plan-node-row').length === 2)
    expect(sent.find((r) => r.cmd === 'keydate_list')?.args).toEqual({ year: 2027 })
    const rows = qa('plan-node-row').map((r) => r.closest('tr')?.textContent ?? '')
    expect(rows[0]).toContain('4月15日 星期四')
    expect(rows[0]).toContain('集中宣传期：4月8日—4月22日')
    expect(rows[0]).toContain('规则')
    expect(rows[1]).toContain('12月1日—12月7日')
    expect(rows[1]).toContain('本镇设置')
    expect(rows[1]).toContain('主题：弘扬宪法精神')
    // Nothing ticked: the button is disabled.
    expect((q('plan-generate') as HTMLButtonElement).disabled).toBe(true)
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
    expect(result).toContain('2027年宪法宣传周')
    expect(q('plan-result-skipped')?.textContent).toContain('4·15全民国家安全教育日')
    wrapper.unmount()
  })

  it('applies a template to chosen villages only', async () => {
    backend(sent, (req) =>
      req.cmd === 'template_apply'
        ? { campaign: { id: 'c1', name: '2027年“宪法宣传周”集中宣传活动', start_date: '2027-12-01', end_date: '2027-12-07' }, activities: [{ id: 'a1' }], conflicts: [] }
        : null,
    )
    const { wrapper } = mountApp(TemplateApplyDialog, { props: { modelValue: true, template: TEMPLATE, year: 2027, years: [2026, 2027] } })
    await settle()
    // "全部" names the template's kinds and how many units that is.
    expect(q('template-units-all')?.textContent).toContain('全部村、社区（2 个）')
    ;(q('template-units-some')?.querySelector('input') as HTMLInputElement).click()
    await settle()
    const boxes = qa('template-unit')
    expect(boxes.map((b) => b.textContent?.trim())).toEqual(['安静村', '双龙社区', '双龙镇中心小学'])
    ;(boxes[0].querySelector('input') as HTMLInputElement).click()
    await settle()
    ;(q('template-apply-submit') as HTMLButtonElement).click()
    await settle()
    expect(sent.find((r) => r.cmd === 'template_apply')?.args).toEqual({
      template: 'constitution_week',
      year: 2027,
      unit_ids: ['u1'],
      all_units: false,
    })
    expect(q('template-apply-result')?.textContent).toContain('已安排 1 场活动')
    wrapper.unmount()
  })
})
