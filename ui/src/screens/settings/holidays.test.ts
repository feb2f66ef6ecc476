import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import HolidaysCard from './HolidaysCard.vue'
import { mountApp, settle } from '../../../tests/helpers'
import { coreFixtures } from '../../../tests/fixtures'

type Sent = { cmd: string; args?: Record<string, unknown> }
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

describe('Holidays', { timeout: 20000 }, () => {
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

  it('shows next year’s estimated days and saves pasted lines', async () => {
    mockIPC((_cmd, args) => {
      const req = (args as { request: Sent }).request
      sent.push(req)
      // Next year's days as the core estimates them.
      if (req.cmd === 'holiday_list') return coreFixtures.holidays['2027']
      return { year: 2027, source: 'custom', days: (req.args as { days: unknown[] }).days }
    })
    const { wrapper } = mountApp(HolidaysCard)
    await settle()
    expect(sent[0]).toEqual({ cmd: 'holiday_list', args: { year: 2027 } })
    expect(q('holiday-source')?.textContent).toContain('按规则估算')
    expect(q('holiday-list')?.textContent).toContain('1月1日 星期五')
    ;(q('holiday-edit') as HTMLButtonElement).click()
    await settle()
    const text = q('holiday-text') as HTMLTextAreaElement
    expect(text.value.split('\n')[0]).toBe('2027-01-01 元旦')
    text.value = '2027-01-01 元旦\n2027-02-05至2027-02-06 春节\n2027-02-20 春节 上班\n2028-01-01 元旦'
    text.dispatchEvent(new Event('input', { bubbles: true }))
    await settle()
    // A line of another year blocks saving and says which line.
    expect(q('holiday-errors')?.textContent).toContain('第4行')
    expect((q('holiday-save') as HTMLButtonElement).disabled).toBe(true)
    text.value = text.value.split('\n').slice(0, 3).join('\n')
    text.dispatchEvent(new Event('input', { bubbles: true }))
    await settle()
    ;(q('holiday-save') as HTMLButtonElement).click()
    await settle()
    expect(sent.at(-1)).toEqual({
      cmd: 'holiday_set_year',
      args: {
        year: 2027,
        days: [
          { date: '2027-01-01', name: '元旦', work: false },
          { date: '2027-02-05', name: '春节', work: false },
          { date: '2027-02-06', name: '春节', work: false },
          { date: '2027-02-20', name: '春节', work: true },
        ],
      },
    })
    expect(q('holiday-source')?.textContent).toContain('本镇录入')
    wrapper.unmount()
  })
})
