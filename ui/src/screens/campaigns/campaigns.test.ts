import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import CampaignsScreen from './index.vue'
import { mountApp, settle, typeInto, waitFor } from '../../../tests/helpers'
import type { Campaign } from '../../bindings/Campaign'
import { coreFixtures } from '../../../tests/fixtures'

type Sent = { cmd: string; args?: Record<string, unknown> }

// Two of the demo town's campaigns as the core lists them: a national one (宪法宣传周) and a
// targeted one over the new year (根治欠薪, led by 双龙镇司法所).
const CAMPAIGNS: Campaign[] = ['宪法宣传周', '根治欠薪'].map((w) => coreFixtures.campaigns.find((c) => c.name.includes(w))!)

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
    expect(text).toContain('2026年11月15日—2027年2月10日')
    expect(text).toContain('国家节点')
    expect(text).toContain('专项行动')
    expect(text).toContain('青少年学生')
    expect(text).toContain('农民工')
    expect(text).toContain('双龙镇司法所')

    const search = q('campaign-search')
    expect(search?.tagName).toBe('INPUT')
    await typeInto(search, '欠薪')
    await waitFor(() => document.querySelectorAll('[data-testid="campaign-row-name"]').length === 1)
    expect(sent.at(-1)?.args?.search).toBe('欠薪')
    expect(q('campaign-row-name')?.textContent).toBe(CAMPAIGNS[1].name)
    expect(q('campaign-new')?.tagName).toBe('BUTTON')
    await settle()
    wrapper.unmount()
  })
})
