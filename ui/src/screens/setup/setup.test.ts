import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import SetupScreen from './index.vue'
import { formItemByLabel, mountApp, settle, settleErrors, typeInto, waitFor } from '../../../tests/helpers'
import { appState } from '../../lib/app-state'
import type { AppInfo } from '../../bindings/AppInfo'

type Sent = { cmd: string; args?: Record<string, unknown> }

const INFO: AppInfo = {
  initialized: true,
  town: { id: 't', name: '双龙镇', county: '巫山县', created_at: '', updated_at: '' },
  county_rollup: false,
  user: { id: 'u', name: '李明', role: 'coordinator', unit_id: null, unit_name: null },
  locale: 'zh-CN',
  data_dir: '/tmp/pufa',
  device_id: 'd',
  schema_version: 1,
  version: '0.1.0',
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

describe('Setup screen', () => {
  let sent: Sent[]

  beforeEach(() => {
    sent = []
    appState.info = null
    appState.error = null
  })
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('puts the test ids on the native fields', async () => {
    mockIPC(() => INFO)
    const { wrapper } = mountApp(SetupScreen)
    await settle()
    expect(q('setup-town')?.tagName).toBe('INPUT')
    expect(q('setup-county')?.tagName).toBe('INPUT')
    expect(q('setup-villages')?.tagName).toBe('TEXTAREA')
    expect(q('setup-schools')?.tagName).toBe('TEXTAREA')
    expect(q('setup-sites')?.tagName).toBe('TEXTAREA')
    expect(q('setup-user-name')?.tagName).toBe('INPUT')
    expect(q('setup-submit')?.tagName).toBe('BUTTON')
    expect(q('setup-demo')?.tagName).toBe('BUTTON')
    expect((q('setup-town') as HTMLInputElement).placeholder).toBe('例如：双龙镇')
    wrapper.unmount()
  })

  it('counts pasted villages live and submits them one per entry', async () => {
    mockIPC((_cmd, args) => {
      sent.push((args as { request: Sent }).request)
      return INFO
    })
    const { wrapper, router } = mountApp(SetupScreen)
    await settle()
    await typeInto(q('setup-town'), '双龙镇')
    await typeInto(q('setup-county'), '巫山县')
    await typeInto(q('setup-villages'), '安静村\n 石院村 \n\n龙飞村、双龙社区')
    expect(q('setup-villages-count')?.textContent).toBe('共 4 个')
    await typeInto(q('setup-schools'), '双龙镇中心小学')
    await typeInto(q('setup-user-name'), '李明')
    ;(q('setup-submit') as HTMLButtonElement).click()
    await settle()

    expect(sent[0]).toEqual({
      cmd: 'setup',
      args: {
        town: '双龙镇',
        county: '巫山县',
        villages: ['安静村', '石院村', '龙飞村', '双龙社区'],
        schools: ['双龙镇中心小学'],
        sites: [],
        user: { name: '李明', role: 'coordinator', village: null },
        county_rollup: false,
      },
    })
    // Then AppInfo is reloaded and the home screen opens.
    expect(sent[1]).toEqual({ cmd: 'app_info' })
    expect(appState.info?.initialized).toBe(true)
    // The home screen is loaded lazily.
    await waitFor(() => router.currentRoute.value.path === '/home')
    expect(router.currentRoute.value.path).toBe('/home')
    wrapper.unmount()
  })

  it('asks a village cadre for the village, from the villages typed above', async () => {
    mockIPC((_cmd, args) => {
      sent.push((args as { request: Sent }).request)
      return INFO
    })
    const { wrapper } = mountApp(SetupScreen)
    await settle()
    expect(q('setup-village')).toBeNull()
    await typeInto(q('setup-town'), '双龙镇')
    await typeInto(q('setup-villages'), '安静村\n石院村')
    await typeInto(q('setup-user-name'), '王明')
    const cadre = q('setup-role-village_cadre')?.querySelector('input') as HTMLInputElement
    cadre.click()
    await settle()
    expect(formItemByLabel(document, '所在村/社区')).toBeTruthy()
    // The dropdown lists exactly the villages typed above.
    const options = Array.from(document.querySelectorAll('.el-select-dropdown__item')).map((o) => o.textContent?.trim())
    expect(options).toEqual(['安静村', '石院村'])
    ;(q('setup-submit') as HTMLButtonElement).click()
    await settle()
    expect((sent[0].args as { user: unknown }).user).toEqual({ name: '王明', role: 'village_cadre', village: null })
    wrapper.unmount()
  })

  it('shows a backend error on the field it names', async () => {
    mockIPC((_cmd, args) => {
      sent.push((args as { request: Sent }).request)
      return Promise.reject({
        code: 'duplicate',
        message: '“安静村”重复出现，每个村/社区、学校或场所只能填一次',
        field: 'villages',
      })
    })
    const { wrapper } = mountApp(SetupScreen)
    await settle()
    await typeInto(q('setup-town'), '双龙镇')
    await typeInto(q('setup-villages'), '安静村\n安静村')
    ;(q('setup-submit') as HTMLButtonElement).click()
    await settleErrors()
    const villages = formItemByLabel(document, '村/社区每行一个，可直接粘贴名单共 2 个')
    expect(villages.querySelector('.el-form-item__error')?.textContent?.trim()).toBe(
      '“安静村”重复出现，每个村/社区、学校或场所只能填一次',
    )
    expect(formItemByLabel(document, '乡镇名称').querySelector('.el-form-item__error')).toBeNull()
    // Nothing changed: still on the set-up screen, no AppInfo reload.
    expect(sent.map((s) => s.cmd)).toEqual(['setup'])
    wrapper.unmount()
  })
  it('sets up a county roll-up with no villages of its own', async () => {
    mockIPC((_cmd, args) => {
      sent.push((args as { request: Sent }).request)
      return { ...INFO, county_rollup: true }
    })
    const { wrapper } = mountApp(SetupScreen)
    await settle()
    ;(q('setup-county-rollup')!.querySelector('input') as HTMLInputElement).click()
    await settle()
    expect(q('setup-villages')).toBeNull()
    expect(document.body.textContent).toContain('县（区）名称')
    await typeInto(q('setup-town'), '巫山县')
    ;(q('setup-submit') as HTMLButtonElement).click()
    await settle()
    expect(sent[0]).toMatchObject({ cmd: 'setup', args: { town: '巫山县', villages: [], county_rollup: true } })
    wrapper.unmount()
  })
})
