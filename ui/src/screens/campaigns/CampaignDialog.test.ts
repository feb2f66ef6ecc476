import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import CampaignDialog from './CampaignDialog.vue'
import { formItemByLabel, mountApp, settle, settleErrors, typeInto } from '../../../tests/helpers'
import type { Campaign } from '../../bindings/Campaign'
import { coreFixtures } from '../../../tests/fixtures'

type Sent = { cmd: string; args?: Record<string, unknown> }

describe('CampaignDialog', () => {
  let sent: Sent[]

  beforeEach(() => {
    sent = []
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2026, 11, 1, 9, 0))
  })

  afterEach(() => {
    vi.useRealTimers()
    clearMocks()
    document.body.innerHTML = ''
  })

  it('puts the data-testids on the native input and the save button', async () => {
    // Every call answers with an empty object, except the key dates, which are a list.
    mockIPC((_cmd, args) => ((args as { request: Sent }).request.cmd === 'keydate_list' ? [] : {}))
    const { wrapper } = mountApp(CampaignDialog, { props: { modelValue: true, campaign: null } })
    await settle()
    const input = document.querySelector('[data-testid="campaign-name"]')
    expect(input?.tagName).toBe('INPUT')
    expect(document.querySelector('[data-testid="campaign-save"]')?.tagName).toBe('BUTTON')
    wrapper.unmount()
  })

  it("shows the backend's date_order error under 结束日期", async () => {
    mockIPC((_cmd, args) => {
      const req = (args as { request: Sent }).request
      // Opening the dialog loads the year's key dates for the 普法节点 field.
      if (req.cmd === 'keydate_list') return []
      sent.push(req)
      return Promise.reject({ code: 'date_order', message: '结束日期不能早于开始日期', field: 'end_date' })
    })
    const { wrapper } = mountApp(CampaignDialog, { props: { modelValue: true, campaign: null } })
    await settle()

    // Before saving, no field carries an error.
    expect(document.querySelectorAll('.el-form-item__error')).toHaveLength(0)

    await typeInto(document.querySelector('[data-testid="campaign-name"]'), '宪法宣传周')
    ;(document.querySelector('[data-testid="campaign-save"]') as HTMLButtonElement).click()
    await settleErrors()

    expect(sent).toHaveLength(1)
    expect(sent[0].cmd).toBe('campaign_create')

    const end = formItemByLabel(document, '结束日期')
    expect(end.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('结束日期不能早于开始日期')
    expect(end.classList).toContain('is-error')
    // Only that field: the start date and the name carry none.
    expect(formItemByLabel(document, '开始日期').querySelector('.el-form-item__error')).toBeNull()
    expect(formItemByLabel(document, '名称').querySelector('.el-form-item__error')).toBeNull()
    // The dialog stays open and nothing was reported as saved.
    expect(wrapper.emitted('saved')).toBeUndefined()
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
    wrapper.unmount()
  })

  it('saves a new campaign with only a name: this week, local, empty lists', async () => {
    mockIPC((_cmd, args) => {
      const req = (args as { request: Sent }).request
      // Opening the dialog loads the year's key dates for the 普法节点 field.
      if (req.cmd === 'keydate_list') return []
      sent.push(req)
      return { id: 'c1', ...req.args, archived: false, created_at: '', updated_at: '' }
    })
    const { wrapper } = mountApp(CampaignDialog, { props: { modelValue: true, campaign: null } })
    await settle()
    // The pickers show the pre-filled week the Chinese way.
    const shown = (label: string) => (formItemByLabel(document, label).querySelector('input') as HTMLInputElement).value
    expect(shown('开始日期')).toBe('2026年12月1日')
    expect(shown('结束日期')).toBe('2026年12月7日')
    await typeInto(document.querySelector('[data-testid="campaign-name"]'), '宪法宣传周')
    ;(document.querySelector('[data-testid="campaign-save"]') as HTMLButtonElement).click()
    await settle()

    expect(sent).toEqual([
      {
        cmd: 'campaign_create',
        args: {
          name: '宪法宣传周',
          kind: 'local',
          start_date: '2026-12-01',
          end_date: '2026-12-07',
          audiences: [],
          themes: [],
          lead_unit: null,
          notes: null,
          nodes: [],
          report_deadline: null,
        },
      },
    ])
    expect((wrapper.emitted('saved')?.[0]?.[0] as Campaign).id).toBe('c1')
    expect(wrapper.emitted('update:modelValue')?.[0]).toEqual([false])
    wrapper.unmount()
  })

  it('edits an existing campaign through campaign_update', async () => {
    mockIPC((_cmd, args) => {
      const req = (args as { request: Sent }).request
      // Opening the dialog loads the year's key dates for the 普法节点 field.
      if (req.cmd === 'keydate_list') return []
      sent.push(req)
      return campaign
    })
    // The demo town's 民法典宣传月 as the core lists it (made from a template: notes, no lead unit).
    const campaign: Campaign = coreFixtures.campaigns.find((c) => c.nodes.includes('civil_code_month'))!
    const { wrapper } = mountApp(CampaignDialog, { props: { modelValue: true, campaign } })
    await settle()
    expect((document.querySelector('[data-testid="campaign-name"]') as HTMLInputElement).value).toBe(campaign.name)
    // Selects show labels, not codes.
    const text = (label: string) => formItemByLabel(document, label).querySelector('.el-select__wrapper')?.textContent
    expect(text('类型')).toContain('国家节点')
    expect(text('宣传对象')).toContain('村(居)民')
    expect(text('宣传对象')).not.toContain('residents')
    expect(text('法律/主题')).toContain('民法典')
    ;(document.querySelector('[data-testid="campaign-save"]') as HTMLButtonElement).click()
    await settle()
    expect(sent).toEqual([
      {
        cmd: 'campaign_update',
        args: {
          id: campaign.id,
          input: {
            name: campaign.name,
            kind: 'national',
            start_date: '2026-05-01',
            end_date: '2026-05-31',
            audiences: ['residents', 'business'],
            themes: ['民法典'],
            lead_unit: null,
            notes: campaign.notes,
            nodes: ['civil_code_month'],
            report_deadline: null,
          },
        },
      },
    ])
    wrapper.unmount()
  })
})
