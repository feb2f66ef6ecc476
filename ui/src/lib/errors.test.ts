import { describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { errorText, folderInMessage } from './errors'
import type { AppError } from '../bindings/AppError'

const t = i18n.global.t as (k: string, n?: Record<string, unknown>) => string

function tIn(locale: 'zh-CN' | 'en') {
  return (k: string, n?: Record<string, unknown>) => {
    const prev = i18n.global.locale.value
    i18n.global.locale.value = locale
    try {
      return t(k, n)
    } finally {
      i18n.global.locale.value = prev
    }
  }
}

const err = (code: AppError['code'], message: string, field: string | null = null): AppError => ({ code, message, field })

describe('errorText', () => {
  it('names the field in the generic text', () => {
    expect(errorText(err('required', 'x', 'town'), tIn('zh-CN'), 'zh-CN')).toBe('乡镇名称不能为空')
    expect(errorText(err('required', 'x', 'town'), tIn('en'), 'en')).toBe('Township is required')
    expect(errorText(err('date_order', '结束日期不能早于开始日期', 'end_date'), tIn('zh-CN'), 'zh-CN')).toBe(
      '结束日期不能早于开始日期',
    )
  })

  it('prefers the backend message for specific codes in zh-CN only', () => {
    const dup = err('duplicate', '“安静村”重复出现，每个村/社区、学校或场所只能填一次', 'villages')
    expect(errorText(dup, tIn('zh-CN'), 'zh-CN')).toBe(dup.message)
    expect(errorText(dup, tIn('en'), 'en')).toBe('Villages / communities contains a duplicate name')
    const long = err('too_long', '名称过长（120字），最多100字', 'name')
    expect(errorText(long, tIn('zh-CN'), 'zh-CN')).toBe(long.message)
  })

  it('uses a generic label for unknown or missing fields', () => {
    expect(errorText(err('required', 'x', 'mystery'), tIn('zh-CN'), 'zh-CN')).toBe('该项不能为空')
    expect(errorText(err('required', 'x'), tIn('en'), 'en')).toBe('This field is required')
  })

  it('carries the message for database, io and bad_request', () => {
    expect(errorText(err('bad_request', 'command call not found'), tIn('zh-CN'), 'zh-CN')).toBe(
      '操作没有成功：command call not found',
    )
  })

  it('finds the folder in data-folder messages', () => {
    expect(folderInMessage('无法写入数据文件夹“/data/pufa”：Permission denied')).toBe('/data/pufa')
    expect(folderInMessage('no folder here')).toBeNull()
  })
})

describe('errorText with params', () => {
  const inEnglish = (e: AppError) => errorText(e, tIn('en'), 'en')

  it('says the specifics in English from the params, not the Chinese sentence', () => {
    const text = inEnglish({
      code: 'too_long',
      message: '活动名称过长（81字），最多80字',
      field: 'title',
      params: { count: 81, max: 80 },
    })
    expect(text).toContain('(81 characters; at most 80)')
    expect(text).not.toMatch(/[\u4e00-\u9fff]{2}/)
    const date = inEnglish({
      code: 'invalid_date',
      message: '开始日期“2026-13-01”不是有效日期，请写成 2026-12-04 这样的格式',
      field: 'start_date',
      params: { value: '2026-13-01' },
    })
    expect(date).toContain('“2026-13-01” is not a valid date; write it like 2026-12-04')
    expect(
      inEnglish({
        code: 'date_order',
        message: '结束日期（2026-12-01）早于开始日期（2026-12-07）',
        field: 'end_date',
        params: { start: '2026-12-07', end: '2026-12-01' },
      }),
    ).toBe('The end date (2026-12-01) is before the start date (2026-12-07)')
    expect(inEnglish({ code: 'not_found', message: '找不到活动（a1），可能已被删除', field: null, params: { id: 'a1' } })).toBe(
      'Not found (a1); it may have been deleted',
    )
  })

  it('says which name is taken and why a file was refused, by the kind the core names', () => {
    const dup = (clash: string): AppError => ({
      code: 'duplicate',
      message: '已有名为“安静村”的村/社区或单位，名称不能重复',
      field: 'name',
      params: { value: '安静村', clash },
    })
    expect(inEnglish(dup('exists'))).toMatch(/“安静村” already exists/)
    expect(inEnglish(dup('builtin'))).toMatch(/“安静村” is a built-in name/)
    expect(inEnglish(dup('repeated'))).toMatch(/appears more than once/)
    expect(inEnglish(dup('ambiguous'))).toMatch(/Several people are named “安静村”/)
    expect(errorText(dup('exists'), tIn('zh-CN'), 'zh-CN')).toBe('已有名为“安静村”的村/社区或单位，名称不能重复')
    const file = (params: Record<string, string | number>): AppError => ({
      code: 'file_rejected',
      message: '“大照片.jpg”有 61.2 MB，超过 50 MB；请压缩后再添加',
      field: 'attachment',
      params,
    })
    const big = file({ reason: 'too_large', file: '大照片.jpg', size_mb: '61.2', max_mb: 50 })
    expect(inEnglish(big)).toBe('“大照片.jpg” is 61.2 MB, more than 50 MB; compress it and add it again')
    expect(inEnglish(file({ reason: 'not_backup', file: 'x.zip' }))).toMatch(/^“x\.zip” is not a usable Pufa Planner backup/)
    expect(inEnglish(file({ reason: 'other_town', file: 'p.pufapkg', town: '甲镇', here: '乙镇' }))).toMatch(/belongs to 甲镇; this laptop keeps the records of 乙镇/)
    // zh-CN keeps the generic text with the core's own message.
    expect(errorText(big, tIn('zh-CN'), 'zh-CN')).toBe('文件不能添加：“大照片.jpg”有 61.2 MB，超过 50 MB；请压缩后再添加')
    // An Excel import refused whole, in English whatever else it carries.
    expect(inEnglish(file({ reason: 'xlsx_damaged', file: '截断.xlsx' }))).toMatch(/^The file is damaged or incomplete/)
    expect(inEnglish(file({ reason: 'not_excel', file: '台账.csv' }))).toMatch(/^“台账\.csv” is not an Excel workbook/)
    expect(inEnglish(file({ reason: 'too_many_rows', max: 20000 }))).toBe(
      'At most 20000 rows can be imported at a time; split the sheet into several files',
    )
    expect(inEnglish(file({ reason: 'header_incomplete', sheet: 'Sheet1', row: 1, missing: '“参加人数”' }))).toBe(
      'Sheet “Sheet1”: the header on row 1 lacks the required columns “参加人数”. Use the template from “Download template…”, or add these columns to the header',
    )
    for (const reason of ['xlsx_password', 'empty_file', 'no_header']) {
      expect(inEnglish(file({ reason })), reason).not.toMatch(/文件不能添加|The file cannot be added/)
    }
  })

  it('keeps the Chinese message in the zh-CN UI, and the generic text without params', () => {
    const e: AppError = { code: 'too_long', message: '活动名称过长（81字），最多80字', field: 'title', params: { count: 81, max: 80 } }
    expect(errorText(e, tIn('zh-CN'), 'zh-CN')).toBe('活动名称过长（81字），最多80字')
    expect(inEnglish(err('too_long', '活动名称过长', 'title'))).toMatch(/too long; please shorten it$/)
  })
})
