import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import CampaignsScreen from './index.vue'
import { mountApp, settle, typeInto, waitFor } from '../../../tests/helpers'
import type { Campaign } from '../../bindings/Campaign'

type Sent = { cmd: string; args?: Record<string, unknown> }

const base = { lead_unit: '', notes: '', nodes: [] as string[], report_deadline: null, archived: false, created_at: '', updated_at: '' }
const CAMPAIGNS: Campaign[] = [
  {
    ...base,
    id: 'c1',
    name: '2026年“12·4”国家宪法日暨宪法宣传周',
    kind: 'national',
    start_date: '2026-12-01',
    end_date: '2026-12-07',
    audiences: ['civil_servants', 'students'],
    themes: ['宪法'],
    lead_unit: '镇普法办',
  },
  {
    ...base,
    id: 'c2',
    name: '岁末年初农民工讨薪普法',
    kind: 'targeted',
    start_date: '2026-12-28',
    end_date: '2027-01-03',
    audiences: ['migrant_workers'],
    themes: [],
  },
]

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

describe('Campaigns screen', () => {
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('lists campaigns with Chinese date ranges, kind and audience labels, and searches', async () => {
    const sent: Sent[] = []
    mockIPC((_cmd, args) => {
      const req = (args as { request: Sent }).request
      sent.push(req)
      const search = (req.args?.search as string | null) ?? ''
      return CAMPAIGNS.filter((c) => c.name.includes(search))
    })
    const { wrapper } = mountApp(CampaignsScreen)
    await waitFor(() => document.querySelectorAll('[data-testid="campaign-row-name"]').length === 2)

    expect(sent[0]).toEqual({
      cmd: 'campaign_list',
      args: { search: null, kind: null, year: null, audience: null, status: 'active' },
    })
    const table = q('campaign-table') as HTMLElement
    expect(table.classList).toContain('el-table')
    const names = Array.from(document.querySelectorAll('[data-testid="campaign-row-name"]'), (e) => e.textContent)
    expect(names).toEqual(CAMPAIGNS.map((c) => c.name))
    const text = table.textContent ?? ''
    expect(text).toContain('2026年12月1日—12月7日')
    expect(text).toContain('2026年12月28日—2027年1月3日')
    expect(text).toContain('国家节点')
    expect(text).toContain('专项行动')
    expect(text).toContain('青少年学生')
    expect(text).toContain('农民工')
    expect(text).toContain('镇普法办')

    const search = q('campaign-search')
    expect(search?.tagName).toBe('INPUT')
    await typeInto(search, '农民工')
    await waitFor(() => document.querySelectorAll('[data-testid="campaign-row-name"]').length === 1)
    expect(sent.at(-1)?.args?.search).toBe('农民工')
    expect(q('campaign-row-name')?.textContent).toBe('岁末年初农民工讨薪普法')
    expect(q('campaign-new')?.tagName).toBe('BUTTON')
    await settle()
    wrapper.unmount()
  })
})
