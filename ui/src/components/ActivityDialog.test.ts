import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import ActivityDialog from './ActivityDialog.vue'
import { formItemByLabel, mountApp, settle, settleErrors, typeInto } from '../../tests/helpers'
import type { Activity } from '../bindings/Activity'
import type { Conflict } from '../bindings/Conflict'

type Sent = { cmd: string; args?: Record<string, unknown> }
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

const ACTIVITY: Activity = {
  id: 'a1',
  title: '安静村宪法宣传',
  date: '2026-12-03',
  start_time: '09:00',
  end_time: '11:30',
  unit_id: 'u1',
  unit_name: '安静村',
  venue_type: 'courtyard',
  venue: '',
  formats: ['street_campaign'],
  audiences: ['residents'],
  laws: ['宪法'],
  campaign_ids: [],
  nodes: ['constitution_week'],
  lead_person_id: null,
  lead_person_name: null,
  partners: ['派出所'],
  materials: [{ item: '宪法读本', quantity: 30, unit: '册' }],
  expected_audience: 60,
  status: 'planned',
  status_reason: '',
  series_id: null,
  notes: '',
  created_at: '',
  updated_at: '',
}

const CONFLICT: Conflict = {
  kind: 'village_half_day',
  a: 'a1',
  b: 'a2',
  activity_id: 'a1',
  activity_title: '安静村宪法宣传',
  other_activity_id: 'a2',
  other_title: '法律顾问讲座',
  campaign_id: null,
  date: '2026-12-03',
  message: '安静村同一个半天安排了两场活动',
  ignored: false,
}

/** A backend for the dialog's lists; `answer` handles the rest. */
function backend(sent: Sent[], answer: (req: Sent) => unknown) {
  mockIPC((_cmd, args) => {
    const req = (args as { request: Sent }).request
    switch (req.cmd) {
      case 'unit_list':
        return [{ id: 'u1', kind: 'village', name: '安静村', address: '', notes: '', archived: false, created_at: '', updated_at: '' }]
      case 'person_list':
      case 'campaign_list':
      case 'keydate_list':
        return []
    }
    sent.push(req)
    return answer(req)
  })
}

// A big dialog (Element Plus selects, pickers, its parts): the first mount is slow on a cold run
// and slower still when the whole suite runs on two busy cores.
describe('ActivityDialog', { timeout: 60000 }, () => {
  let sent: Sent[]
  beforeEach(() => {
    sent = []
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2026, 10, 27, 9, 0))
  })
  afterEach(() => {
    vi.useRealTimers()
    clearMocks()
    document.body.innerHTML = ''
  })

  it('creates a repeating activity: the form becomes an ActivityInput and a Recurrence', async () => {
    backend(sent, () => ({ activities: [ACTIVITY, { ...ACTIVITY, id: 'a2' }], conflicts: [] }))
    const { wrapper } = mountApp(ActivityDialog, {
      props: { modelValue: true, activity: null, defaults: { date: '2026-12-10', unit_id: 'u1', campaign_ids: ['c1'] } },
    })
    await settle()
    expect(q('activity-dialog')).not.toBeNull()
    await typeInto(q('activity-title'), '赶集日普法')
    ;(q('activity-repeat')?.querySelector('input') as HTMLInputElement).click()
    await settle()
    expect(q('activity-repeat-preview')?.textContent).toContain('2026年12月10日 星期四')
    expect(q('activity-repeat-preview')?.textContent).toContain('2026年12月31日 星期四')
    ;(q('activity-save') as HTMLButtonElement).click()
    await settle()
    expect(sent).toHaveLength(1)
    expect(sent[0].cmd).toBe('activity_create')
    const args = sent[0].args as { input: Record<string, unknown>; recurrence: unknown }
    expect(args.input).toMatchObject({
      title: '赶集日普法',
      date: '2026-12-10',
      start_time: '09:00',
      end_time: '11:00',
      unit_id: 'u1',
      campaign_ids: ['c1'],
      venue: null,
      expected_audience: null,
      notes: null,
    })
    expect(args.recurrence).toEqual({ freq: 'weekly', interval: 1, until: null, count: 4 })
    expect(wrapper.emitted('saved')?.[0]?.[0]).toHaveLength(2)
    expect(wrapper.emitted('update:modelValue')?.[0]).toEqual([false])
    wrapper.unmount()
  })

  it('shows a field error from the core next to 活动名称', async () => {
    backend(sent, () => Promise.reject({ code: 'required', message: '活动名称不能为空', field: 'title' }))
    const { wrapper } = mountApp(ActivityDialog, { props: { modelValue: true, activity: null } })
    await settle()
    ;(q('activity-save') as HTMLButtonElement).click()
    await settleErrors()
    const item = formItemByLabel(document, '活动名称')
    expect(item.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('活动名称不能为空')
    expect(formItemByLabel(document, '日期').querySelector('.el-form-item__error')).toBeNull()
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
    wrapper.unmount()
  })

  it('after a save with conflicts stays open with the warnings, and 忽略 remembers one', async () => {
    backend(sent, (req) =>
      req.cmd === 'conflict_ignore' ? { ok: true } : { activities: [ACTIVITY], conflicts: [CONFLICT] },
    )
    const { wrapper } = mountApp(ActivityDialog, { props: { modelValue: true, activity: ACTIVITY } })
    await settle()
    expect((q('activity-title') as HTMLInputElement).value).toBe('安静村宪法宣传')
    ;(q('activity-save') as HTMLButtonElement).click()
    await settle()
    expect(sent[0]).toMatchObject({ cmd: 'activity_update', args: { id: 'a1', scope: 'this' } })
    // Saved (the parent refreshes), but the dialog stays open showing the warning.
    expect(wrapper.emitted('saved')).toHaveLength(1)
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
    const warning = q('conflict-warning')
    expect(warning?.textContent).toContain('安静村同一个半天安排了两场活动')
    expect(warning?.textContent).toContain('同村同半天两场')
    ;(warning?.querySelector('[data-testid="conflict-ignore"]') as HTMLButtonElement).click()
    await settle()
    expect(sent[1]).toEqual({ cmd: 'conflict_ignore', args: { kind: 'village_half_day', a: 'a1', b: 'a2', ignored: true } })
    expect(q('conflict-warning')?.textContent).toContain('取消忽略')
    wrapper.unmount()
  })
})
