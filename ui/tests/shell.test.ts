import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import App from '../src/App.vue'
import { appState } from '../src/lib/app-state'
import { applyLocale } from '../src/i18n'
import type { AppInfo } from '../src/bindings/AppInfo'
import { mountApp, settle, waitFor } from './helpers'

type Sent = { cmd: string; args?: Record<string, unknown> }

const INFO: AppInfo = {
  initialized: true,
  town: { id: 't', name: '双龙镇', county: '巫山县', created_at: '', updated_at: '' },
  county_rollup: false,
  user: { id: 'u', name: '李明', role: 'coordinator', unit_id: null, unit_name: null },
  locale: 'zh-CN',
  data_dir: '/home/li/.local/share/pufa',
  device_id: 'dev-1',
  schema_version: 1,
  version: '0.1.0',
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

/** A tiny backend: AppInfo plus empty lists, recording every request. */
function backend(info: AppInfo, sent: Sent[]) {
  let current = { ...info }
  mockIPC((cmd, args) => {
    // The shell also listens for background notices; only the command requests are recorded.
    if (cmd === 'watch_notices') return null
    const req = (args as { request: Sent }).request
    sent.push(req)
    switch (req.cmd) {
      case 'app_info':
        return current
      case 'set_locale':
        current = { ...current, locale: String(req.args?.locale) }
        return current
      default:
        return []
    }
  })
}

describe('App shell', () => {
  let sent: Sent[]
  beforeEach(() => {
    sent = []
    appState.loading = true
    appState.info = null
    appState.error = null
  })
  afterEach(() => {
    clearMocks()
    applyLocale('zh-CN')
    document.body.innerHTML = ''
  })

  it('shows a full-page error with the data folder when the data cannot be opened', async () => {
    mockIPC(() =>
      Promise.reject({
        code: 'data_dir_readonly',
        message: '无法写入数据文件夹“/mnt/ro/pufa”：Read-only file system (os error 30)。请检查权限或换一个位置',
        field: 'data_dir',
      }),
    )
    const { wrapper } = mountApp(App)
    await settle()
    const page = q('app-error')
    expect(page).not.toBeNull()
    expect(q('app-ready')).toBeNull()
    expect(page?.textContent).toContain('无法写入数据文件夹“/mnt/ro/pufa”')
    expect(page?.textContent).toContain('数据文件夹：/mnt/ro/pufa')
    wrapper.unmount()
  })

  it('shows only the set-up screen before the first set-up', async () => {
    backend({ ...INFO, initialized: false, town: null, user: null }, sent)
    const { wrapper } = mountApp(App)
    // The set-up screen is loaded on demand (not in the main bundle).
    await waitFor(() => q('setup-town') !== null)
    expect(q('app-ready')).toBeNull()
    expect(q('nav-home')).toBeNull()
    wrapper.unmount()
  })

  it('shows the main layout with town, county and user once set up', async () => {
    backend(INFO, sent)
    const { wrapper, router } = mountApp(App)
    await router.push('/home')
    await waitFor(() => q('app-ready') !== null)
    expect(q('app-ready')).not.toBeNull()
    expect(q('header-town')?.textContent).toContain('双龙镇')
    expect(q('app-ready')?.textContent).toContain('巫山县')
    expect(q('header-user')?.textContent).toContain('李明 · 普法协调员')
    for (const id of ['nav-home', 'nav-campaigns', 'nav-units', 'nav-people', 'nav-settings']) {
      expect(q(id)?.tagName, id).toBe('LI')
    }
    ;(q('nav-campaigns') as HTMLElement).click()
    await waitFor(() => q('campaign-table') !== null)
    expect(router.currentRoute.value.path).toBe('/campaigns')
    expect(sent.some((s) => s.cmd === 'campaign_list' && s.args?.status === 'active' && s.args?.year === null)).toBe(true)
    wrapper.unmount()
  })

  it('follows the stored locale and switches language from Settings at once', async () => {
    backend({ ...INFO, locale: 'en' }, sent)
    const { wrapper, router } = mountApp(App)
    await router.push('/settings')
    await waitFor(() => q('locale-zh') !== null)
    expect(document.documentElement.lang).toBe('en')
    expect(q('nav-home')?.textContent).toContain('Home')

    ;(q('locale-zh') as HTMLButtonElement).click()
    await settle()
    expect(sent).toContainEqual({ cmd: 'set_locale', args: { locale: 'zh-CN' } })
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(q('nav-home')?.textContent).toContain('首页')
    expect(q('settings-data-dir')?.textContent).toBe('/home/li/.local/share/pufa')
    wrapper.unmount()
  })
})
