import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import ActivityDialog from './ActivityDialog.vue'
import { formItemByLabel, mountApp, settle, settleErrors, typeInto } from '../../tests/helpers'
import type { Activity } from '../bindings/Activity'
import type { Conflict } from '../bindings/Conflict'
import { coreAnswer, coreFixtures } from '../../tests/fixtures'

type Sent = { cmd: string; args?: Record<string, unknown> }
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

// A planned activity of the demo town as the core lists it.
const ACTIVITY: Activity = coreFixtures.activities.find((a) => a.status === 'planned' && a.unit_id)!

const CONFLICT: Conflict = {
  kind: 'village_half_day',
  a: ACTIVITY.id,
  b: 'a2',
  activity_id: ACTIVITY.id,
  activity_title: ACTIVITY.title,
  other_activity_id: 'a2',
  other_title: '法律顾问讲座',
  campaign_id: null,
  date: '2026-12-03',
  message: '安静村同一个半天安排了两场活动',
  params: {
    person: null,
    time: null,
    other_time: null,
    unit: '安静村',
    venue: null,
    afternoon: false,
    campaign: null,
    campaign_start: null,
    campaign_end: null,
    holiday: null,
    school_break: null,
    break_start: null,
    break_end: null,
    break_estimated: false,
    school: false,
    market_lunar: null,
    market_digits: [],
    market_kept: false,
  },
  ignored: false,
}

/** A backend for the dialog's lists; `answer` handles the rest. */
function backend(sent: Sent[], answer: (req: Sent) => unknown) {
  mockIPC((_cmd, args) => {
    const req = (args as { request: Sent }).request
    switch (req.cmd) {
      case 'unit_list':
      case 'person_list':
      case 'campaign_list':
        return coreAnswer(req)
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
      props: { modelValue: true, activity: null, defaults: { date: '2026-12-10', unit_id: ACTIVITY.unit_id, campaign_ids: [coreFixtures.campaigns[0].id] } },
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
      unit_id: ACTIVITY.unit_id,
      campaign_ids: [coreFixtures.campaigns[0].id],
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
    expect((q('activity-title') as HTMLInputElement).value).toBe(ACTIVITY.title)
    ;(q('activity-save') as HTMLButtonElement).click()
    await settle()
    expect(sent[0]).toMatchObject({ cmd: 'activity_update', args: { id: ACTIVITY.id, scope: 'this' } })
    // Saved (the parent refreshes), but the dialog stays open showing the warning.
    expect(wrapper.emitted('saved')).toHaveLength(1)
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
    const warning = q('conflict-warning')
    expect(warning?.textContent).toContain('安静村同一个半天安排了两场活动')
    expect(warning?.textContent).toContain('同村同半天两场')
    ;(warning?.querySelector('[data-testid="conflict-ignore"]') as HTMLButtonElement).click()
    await settle()
    expect(sent[1]).toEqual({ cmd: 'conflict_ignore', args: { kind: 'village_half_day', a: ACTIVITY.id, b: 'a2', ignored: true } })
    expect(q('conflict-warning')?.textContent).toContain('取消忽略')
    wrapper.unmount()
  })
})
