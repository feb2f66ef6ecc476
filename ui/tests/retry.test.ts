import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import App from '../src/App.vue'
import { appState } from '../src/lib/app-state'
import { applyLocale } from '../src/i18n'
import type { AppInfo } from '../src/bindings/AppInfo'
import { mountApp, settle, waitFor } from './helpers'

const INFO: AppInfo = {
  initialized: false,
  town: null,
  county_rollup: false,
  user: null,
  locale: 'zh-CN',
  data_dir: '/mnt/usb/pufa',
  device_id: 'dev-1',
  schema_version: 13,
  version: '0.1.0',
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)

/** The core reopens a database that failed to open at the next request (gui/db_slot.rs): the
 * error page's 重试 asks again, and shows the app once the folder is usable. */
describe('the full-page error', () => {
  beforeEach(() => {
    appState.loading = true
    appState.info = null
    appState.error = null
  })
  afterEach(() => {
    clearMocks()
    applyLocale('zh-CN')
    document.body.innerHTML = ''
  })

  it('重试 asks the core again and shows the app once the data opens', async () => {
    let usable = false
    const asked: string[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'watch_notices' || cmd === 'first_content') return null
      asked.push((args as { request: { cmd: string } }).request.cmd)
      if (!usable) {
        return Promise.reject({
          code: 'data_dir_readonly',
          message: '无法写入数据文件夹“/mnt/usb/pufa”：Read-only file system (os error 30)。请检查权限或换一个位置',
          field: 'data_dir',
          params: { path: '/mnt/usb/pufa' },
        })
      }
      return INFO
    })
    const { wrapper } = mountApp(App)
    await settle()
    expect(q('app-error')).not.toBeNull()
    // The page is drawn anew after each try: the button is looked up each time.
    const retry = () => q('app-error')?.querySelector('button') as HTMLButtonElement
    expect(retry().textContent).toContain('重试')

    retry().click()
    await settle()
    expect(q('app-error'), 'still read-only: the error stays').not.toBeNull()

    usable = true
    retry().click()
    await settle()
    expect(q('app-error')).toBeNull()
    // The set-up screen is loaded on demand (not in the main bundle).
    await waitFor(() => q('setup-town') !== null)
    expect(asked).toEqual(['app_info', 'app_info', 'app_info'])
    wrapper.unmount()
  })
})
