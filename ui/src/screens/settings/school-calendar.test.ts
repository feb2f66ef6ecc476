import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import SchoolCalendarCard from './SchoolCalendarCard.vue'
import { formItemByLabel, mountApp, settle, settleErrors } from '../../../tests/helpers'

type Sent = { cmd: string; args?: Record<string, unknown> }
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

const ESTIMATED = {
  year: 2027,
  county: '巫山县',
  winter_start: '2027-01-23',
  winter_end: '2027-02-21',
  summer_start: '2027-07-03',
  summer_end: '2027-08-31',
  estimated: true,
  notice: '',
}

describe('School calendar', { timeout: 20000 }, () => {
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

  it('shows next year’s estimated breaks, saves the notice and shows a refused date by its field', async () => {
    let refuse = true
    mockIPC((_cmd, args) => {
      const req = (args as { request: Sent }).request
      sent.push(req)
      if (req.cmd === 'school_calendar_get') return ESTIMATED
      if (req.cmd === 'school_calendar_set' && refuse) {
        refuse = false
        return Promise.reject({ code: 'date_order', message: '寒假结束日期早于开始日期', field: 'winter_end' })
      }
      return { ...ESTIMATED, ...(req.args as object), estimated: false, notice: '巫教发〔2026〕12号' }
    })
    const { wrapper } = mountApp(SchoolCalendarCard)
    await settle()
    expect(sent[0]).toEqual({ cmd: 'school_calendar_get', args: { year: 2027 } })
    expect(q('settings-school-calendar')?.textContent).toContain('巫山县中小学校历')
    expect(q('school-source')?.textContent).toContain('估计')
    expect(q('school-winter-line')?.textContent).toContain('1月23日 星期六')
    expect(q('school-winter-line')?.textContent).toContain('共30天')
    expect(q('school-summer-line')?.textContent).toContain('8月31日 星期二')
    ;(q('school-edit') as HTMLButtonElement).click()
    await settle()
    const box = q('school-notice-input')
    const notice = (box?.tagName === 'INPUT' ? box : box?.querySelector('input')) as HTMLInputElement
    notice.value = '巫教发〔2026〕12号'
    notice.dispatchEvent(new Event('input', { bubbles: true }))
    await settle()
    ;(q('school-save') as HTMLButtonElement).click()
    await settle()
    expect(sent.at(-1)).toEqual({
      cmd: 'school_calendar_set',
      args: {
        year: 2027,
        winter_start: '2027-01-23',
        winter_end: '2027-02-21',
        summer_start: '2027-07-03',
        summer_end: '2027-08-31',
        notice: '巫教发〔2026〕12号',
      },
    })
    // The refusal is shown at the winter break; the form stays open.
    await settleErrors()
    expect(formItemByLabel(document, '寒假').querySelector('.el-form-item__error')?.textContent?.trim()).toBe('寒假结束日期不能早于开始日期')
    ;(q('school-save') as HTMLButtonElement).click()
    await settle()
    expect(q('school-source')?.textContent).toContain('已按通知录入')
    expect(q('school-notice')?.textContent).toContain('巫教发〔2026〕12号')
    expect(q('school-reset')).not.toBeNull()
    wrapper.unmount()
  })
})
