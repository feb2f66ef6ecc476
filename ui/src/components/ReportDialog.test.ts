import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import ReportDialog from './ReportDialog.vue'
import { mountApp, settle, typeInto, waitFor } from '../../tests/helpers'

vi.setConfig({ testTimeout: 20000 })

type Sent = { cmd: string; args?: Record<string, unknown> }

const LAST_YEAR = { kind: 'annual', scope: '2026', year: 2025, practices: '（一）压实责任。去年的做法', problems: '去年的问题', plans: '去年的打算', issuer: '', updated_at: null, from_last_year: true }

function backend(sent: Sent[], dialog: string[], savePath: string | null) {
  mockIPC((cmd, raw) => {
    if (cmd === 'choose_save') {
      dialog.push((raw as { defaultName?: string }).defaultName ?? '')
      return savePath
    }
    const req = (raw as { request: Sent }).request
    sent.push(req)
    switch (req.cmd) {
      case 'report_text_get':
        return LAST_YEAR
      case 'report_text_save':
        return { ...req.args, year: 2026, updated_at: '2026-11-27T08:00:00Z', from_last_year: false }
      case 'export_report_docx':
        return { path: req.args?.path, paragraphs: 42, tables: 3, activities: 62, pending: 4 }
      default:
        return null
    }
  })
}

const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)
const field = (id: string) => q(id)?.querySelector('textarea, input') ?? q(id)

describe('Word report dialog', () => {
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it("starts from last year's text, saves the edited text, then writes the .docx where the user chose", async () => {
    const sent: Sent[] = []
    const dialog: string[] = []
    backend(sent, dialog, '/home/李明/文档/双龙镇2026年普法工作总结.docx')
    const { wrapper } = mountApp(ReportDialog, { props: { kind: 'annual', scope: '2026', title: '双龙镇2026年普法工作总结', modelValue: true } })
    await waitFor(() => (field('report-practices') as HTMLTextAreaElement | null)?.value === LAST_YEAR.practices)
    expect(sent[0]).toEqual({ cmd: 'report_text_get', args: { kind: 'annual', scope: '2026' } })
    expect(q('report-from-last-year')?.textContent).toContain('去年')
    await typeInto(field('report-plans'), '（一）明年继续开展宪法宣传周。')
    ;(q('report-generate') as HTMLElement).click()
    await waitFor(() => sent.some((s) => s.cmd === 'export_report_docx'))
    await settle()
    const saved = sent.find((s) => s.cmd === 'report_text_save')
    expect(saved?.args).toEqual({ kind: 'annual', scope: '2026', practices: LAST_YEAR.practices, problems: '去年的问题', plans: '（一）明年继续开展宪法宣传周。', issuer: '' })
    expect(sent.findIndex((s) => s.cmd === 'report_text_save')).toBeLessThan(sent.findIndex((s) => s.cmd === 'export_report_docx'))
    expect(dialog).toEqual(['双龙镇2026年普法工作总结.docx'])
    expect(sent.find((s) => s.cmd === 'export_report_docx')?.args).toEqual({
      year: 2026,
      path: '/home/李明/文档/双龙镇2026年普法工作总结.docx',
      include_pending: false,
    })
    expect(document.body.textContent).toContain('另有 4 场待审核或已退回，未计入')
    wrapper.unmount()
  })

  it('writes nothing when the save dialog is cancelled (the text is still saved)', async () => {
    const sent: Sent[] = []
    backend(sent, [], null)
    const { wrapper } = mountApp(ReportDialog, { props: { kind: 'annual', scope: '2026', title: 'x', modelValue: true } })
    await waitFor(() => sent.some((s) => s.cmd === 'report_text_get'))
    await settle()
    ;(q('report-generate') as HTMLElement).click()
    await waitFor(() => sent.some((s) => s.cmd === 'report_text_save'))
    await settle()
    expect(sent.some((s) => s.cmd === 'export_report_docx')).toBe(false)
    wrapper.unmount()
  })
})
