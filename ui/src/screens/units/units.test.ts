import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import UnitDialog from './UnitDialog.vue'
import { mountApp, settle } from '../../../tests/helpers'
import { coreFixtures } from '../../../tests/fixtures'

type Sent = { cmd: string; args?: Record<string, unknown> }
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

describe('Unit dialog', { timeout: 20000 }, () => {
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('sets a village’s market days as the core reads them', async () => {
    const sent: Sent[] = []
    mockIPC((_cmd, args) => {
      const req = (args as { request: Sent }).request
      sent.push(req)
      return { ...unit, market_days: { lunar: true, digits: [1, 4, 7] } }
    })
    // 凉水村 as the core lists it: a village without market days yet.
    const unit = coreFixtures.units.find((u) => u.kind === 'village' && u.market_days === null)!
    const { wrapper } = mountApp(UnitDialog, { props: { modelValue: true, unit } })
    await settle()
    expect(q('unit-market-digits')).toBeNull()
    const lunar = Array.from(q('unit-market-calendar')?.querySelectorAll('input') ?? []).find((i) => i.value === 'lunar')
    lunar?.click()
    await settle()
    expect(document.body.textContent).toContain('逢几赶集')
    const digits = Array.from(q('unit-market-digits')?.querySelectorAll('input') ?? []) as HTMLInputElement[]
    expect(digits).toHaveLength(10)
    for (const d of [0, 3, 6]) {
      digits[d].click() // 逢一、四、七
      await settle()
    }
    expect(document.body.textContent).toContain('农历逢一、四、七')
    ;(q('unit-save') as HTMLButtonElement).click()
    await settle()
    expect(sent.at(-1)).toMatchObject({ cmd: 'unit_update', args: { id: unit.id, input: { market_days: '农历1/4/7' } } })
    wrapper.unmount()
  })
})
