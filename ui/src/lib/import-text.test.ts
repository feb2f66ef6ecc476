import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { i18n } from '../i18n'
import EN from '../locales/en/import.json'
import { problemText, rowMessage, skipText } from './import-text'
import type { ImportProblem } from '../bindings/ImportProblem'
import type { RowError } from '../bindings/RowError'
import type { SheetSummary } from '../bindings/SheetSummary'

/** The UI's words in one language, whichever the app is in. */
const tIn = (locale: 'zh-CN' | 'en') => (key: string, values?: Record<string, unknown>) =>
  i18n.global.t(key, values ?? {}, { locale })

const rowError = (code: ImportProblem, message: string, params: RowError['params'] = {}): RowError => ({
  sheet: '活动登记',
  row: 5,
  column: '参加人数',
  message,
  code,
  params,
})

const CJK = /[\u4e00-\u9fff]/

/** The codes the core can send, read from the generated binding. */
function problemCodes(): string[] {
  const ts = readFileSync(join(__dirname, '..', 'bindings', 'ImportProblem.ts'), 'utf8')
  const body = ts.slice(ts.indexOf('export type ImportProblem'))
  return Array.from(body.matchAll(/"([a-z_]+)"/g), (m) => m[1])
}

describe('import-text', () => {
  it('keeps the core’s Chinese in zh-CN', () => {
    const e = rowError('not_a_number', '第5行“参加人数”：应填写数字（填写的是“很多”）', { shown: '很多' })
    expect(problemText(e, tIn('zh-CN'), 'zh-CN')).toBe(e.message)
    expect(rowMessage(e, tIn('zh-CN'), 'zh-CN', true)).toBe(e.message)
  })

  it('words every code in English, with no Chinese of its own', () => {
    const codes = problemCodes()
    expect(codes.length).toBeGreaterThan(40)
    for (const code of codes) {
      const words = (EN as Record<string, string>)[code]
      expect(words, code).toBeTruthy()
      // Chinese only inside the quoted header names the sheet itself carries.
      expect(words.replace(/“[^”]*”/g, ''), code).not.toMatch(CJK)
    }
  })

  it('puts the row’s specifics into the English words', () => {
    const en = tIn('en')
    const e = rowError('too_large', '第5行“参加人数”：99999999 过大，请核对（最多 10000000）', {
      shown: '99999999',
      max: 10000000,
    })
    expect(problemText(e, en, 'en')).toBe('99999999 is too large; please check it (at most 10000000)')
    expect(rowMessage(e, en, 'en')).toBe(
      'Row 5, “参加人数”: 99999999 is too large; please check it (at most 10000000)',
    )
    const unknown = rowError('village_unknown', '本镇没有…', { written: '新村', known: '安静村、双龙村', total: 30 })
    expect(problemText(unknown, en, 'en')).toBe(
      'The township has no village, community or unit “新村”. It has: 安静村, 双龙村 … (30 in all; pick one from the drop-down list)',
    )
    const all = rowError('village_unknown', '本镇没有…', { written: '新村', known: '安静村、双龙村', total: 2 })
    expect(problemText(all, en, 'en')).toBe('The township has no village, community or unit “新村”. It has: 安静村, 双龙村')
    const made = rowError('copies_without_name', '…', { name: '宣传资料', made: true })
    expect(problemText(made, en, 'en')).toContain('added to the materials catalogue on import')
  })

  it('words a record check’s refusal as the error it is', () => {
    const e = rowError('refused', '第5行“结束时间”：结束时间不能早于开始时间', {
      error: 'date_order',
      field: 'end_time',
    })
    const text = problemText(e, tIn('en'), 'en')
    expect(text).not.toMatch(CJK)
    expect(text.length).toBeGreaterThan(5)
  })

  it('says why a sheet was skipped', () => {
    const sheet = (skipped: string | null, skip_code: ImportProblem | null, skip_params = {}): SheetSummary => ({
      name: '说明',
      header_row: 0,
      rows: 0,
      valid: 0,
      updated: 0,
      duplicates: 0,
      error_rows: 0,
      continued: 0,
      skipped,
      skip_code,
      skip_params,
    })
    expect(skipText(sheet(null, null), 'en')).toBeNull()
    expect(skipText(sheet('说明', 'sheet_help'), 'zh-CN')).toBe('说明')
    expect(skipText(sheet('说明', 'sheet_help'), 'en')).toBe('instructions')
    expect(skipText(sheet('…', 'header_incomplete', { row: 3, missing: '“日期”、“参加人数”' }), 'en')).toBe(
      'the header on row 3 lacks the required columns “日期”、“参加人数”',
    )
  })
})
