import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import AuditScreen from './index.vue'
import { mountApp, settle, waitFor } from '../../../tests/helpers'
import { addDays, todayIso } from '../../lib/dates'
import { coreFixtures } from '../../../tests/fixtures'

vi.setConfig({ testTimeout: 20000 })

type Sent = { cmd: string; args?: Record<string, unknown> }

// The core's answer for a demo record's edit (its 参加人数 corrected), made today.
const ENTRY = { ...coreFixtures.record_history.find((e) => e.action === 'update')!, at: new Date().toISOString() }

/** The core and the native save dialog; `savePath` is what the dialog answers (null = cancelled). */
function backend(sent: Sent[], dialog: { defaultPath?: string }[], savePath: string | null, fail = false) {
  mockIPC((cmd, raw) => {
    if (cmd === 'choose_save') {
      dialog.push({ defaultPath: (raw as { defaultName?: string }).defaultName })
      return savePath
    }
    const req = (raw as { request: Sent }).request
    sent.push(req)
    switch (req.cmd) {
      case 'audit_list':
        return [ENTRY]
      case 'export_audit_xlsx':
        if (fail) throw { code: 'io', message: '无法写入“/tmp/x.xlsx”：没有权限', field: 'path' }
        return { path: req.args?.path, count: 7 }
      default:
        return []
    }
  })
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
const exportButton = () => q('audit-export') as HTMLButtonElement

describe('Audit trail screen: export', () => {
  let sent: Sent[]
  let dialog: { defaultPath?: string }[]

  beforeEach(() => {
    sent = []
    dialog = []
  })
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('exports the chosen dates to the path picked in the save dialog', async () => {
    backend(sent, dialog, '/home/李明/文档/操作记录.xlsx')
    const { wrapper } = mountApp(AuditScreen)
    await waitFor(() => !!q('audit-row-summary'))
    expect(exportButton().disabled).toBe(false)
    expect(exportButton().classList.contains('is-disabled')).toBe(false)

    exportButton().click()
    await waitFor(() => sent.some((s) => s.cmd === 'export_audit_xlsx'))
    await settle()
    expect(dialog).toHaveLength(1)
    expect(dialog[0].defaultPath).toBe(`操作记录_${todayIso().replace(/-/g, '')}.xlsx`)
    const call = sent.find((s) => s.cmd === 'export_audit_xlsx')
    expect(call?.args).toEqual({
      path: '/home/李明/文档/操作记录.xlsx',
      since: addDays(todayIso(), -30),
      until: todayIso(),
    })
    await waitFor(() => (document.body.textContent ?? '').includes('已导出 7 行操作记录'))
    expect(document.body.textContent).toContain('/home/李明/文档/操作记录.xlsx')
    wrapper.unmount()
  })

  it('does nothing when the dialog is cancelled, and shows why an export failed', async () => {
    backend(sent, dialog, null)
    const { wrapper } = mountApp(AuditScreen)
    await waitFor(() => !!q('audit-row-summary'))
    exportButton().click()
    await waitFor(() => dialog.length === 1)
    await settle()
    expect(sent.some((s) => s.cmd === 'export_audit_xlsx')).toBe(false)
    wrapper.unmount()

    clearMocks()
    document.body.innerHTML = ''
    backend(sent, dialog, '/tmp/x.xlsx', true)
    const again = mountApp(AuditScreen)
    await waitFor(() => !!q('audit-row-summary'))
    exportButton().click()
    await waitFor(() => (document.body.textContent ?? '').includes('没有权限'))
    expect(exportButton().disabled).toBe(false)
    again.wrapper.unmount()
  })
})
