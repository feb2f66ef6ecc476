// 我的记录: a cadre's 台账 lists the records he entered himself (记录人 = his name), with his
// whole village one click away; the 统计 line, which counts everyone's records, is not shown
// for his own list.
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import LedgerScreen from './index.vue'
import { appState } from '../../lib/app-state'
import { coreAnswer, coreFixtures } from '../../../tests/fixtures'
import { mountApp, settle, waitFor } from '../../../tests/helpers'

type Sent = { cmd: string; args?: Record<string, unknown> }

function backend(role: 'village_cadre' | 'coordinator') {
  const village = coreFixtures.units.find((u) => u.kind === 'village')!
  appState.info = {
    ...coreFixtures.info,
    user: { id: 'u1', name: '王小芳', role, unit_id: role === 'village_cadre' ? village.id : null, unit_name: role === 'village_cadre' ? village.name : null },
  }
  const sent: Sent[] = []
  mockIPC((cmd, args) => {
    if (cmd !== 'call') return null
    const req = (args as { request: Sent }).request
    sent.push(req)
    if (req.cmd === 'record_page') {
      return { rows: [], totals: { count: 0, units: 0, participants: 0, reach: 0, consultations: 0, materials: 0, approved: 0, pending: 0, returned: 0 } }
    }
    if (req.cmd === 'summary') return null
    return coreAnswer(req) ?? []
  })
  return { sent, village }
}

const pages = (sent: Sent[]) => sent.filter((r) => r.cmd === 'record_page').map((r) => (r.args as { filter: Record<string, unknown> }).filter)
const q = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null

describe('我的记录', () => {
  afterEach(() => {
    clearMocks()
    appState.info = null
    document.body.innerHTML = ''
  })

  it('a cadre sees the records he entered, and his whole village on request', async () => {
    const { sent, village } = backend('village_cadre')
    const { wrapper } = mountApp(LedgerScreen)
    await waitFor(() => pages(sent).length > 0)
    expect(document.querySelector('.page-title')?.textContent).toBe('我的记录')
    expect(pages(sent).at(-1)).toMatchObject({ recorder: '王小芳', unit_id: village.id })
    expect(sent.some((r) => r.cmd === 'summary'), 'no 统计 line for his own list').toBe(false)
    expect(q('ledger-scope-village')?.textContent).toContain(village.name)

    ;(q('ledger-scope-village')?.querySelector('input') as HTMLInputElement).click()
    await waitFor(() => pages(sent).at(-1)?.recorder === null)
    expect(pages(sent).at(-1)).toMatchObject({ recorder: null, unit_id: village.id })
    await settle()
    expect(sent.some((r) => r.cmd === 'summary')).toBe(true)
    wrapper.unmount()
  })

  it('a coordinator has no such choice: every recorder', async () => {
    const { sent } = backend('coordinator')
    const { wrapper } = mountApp(LedgerScreen)
    await waitFor(() => pages(sent).length > 0)
    expect(q('ledger-scope')).toBeNull()
    expect(pages(sent).at(-1)).toMatchObject({ recorder: null, unit_id: null })
    wrapper.unmount()
  })
})
