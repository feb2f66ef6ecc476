import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createI18n } from 'vue-i18n'
import zhCN from '../../locales/zh-CN.json'
import en from '../../locales/en.json'
import ImportDialog from './ImportDialog.vue'
import type { ImportPreview } from '../../bindings/ImportPreview'

const row = (sheet: string, n: number, status: 'valid' | 'updated' | 'duplicate' | 'error') => ({
  sheet, row: n, date: '2024-03-15', unit: '安静村', title: `活动${n}`, participants: 50, reach: 50, status,
  changes: [] as { column: string; old: string; new: string }[],
})
const preview: ImportPreview = {
  valid: 2,
  updated: 0,
  duplicates: 1,
  error_rows: 1,
  errors: [
    {
      sheet: '补录', row: 4, column: '参加人数', message: '“补录”表第4行“参加人数”：应填写数字（填写的是“很多”）',
      code: 'not_a_number', params: { shown: '很多' },
    },
  ],
  warnings: [],
  corrected: [],
  rows: [row('活动登记', 2, 'valid'), row('补录', 2, 'valid'), row('补录', 3, 'duplicate'), row('补录', 4, 'error')],
  sheet: '活动登记',
  header_row: 1,
  ignored_columns: ['序号', '备注'],
  sheets: [
    { name: '活动登记', header_row: 1, rows: 1, valid: 1, updated: 0, duplicates: 0, error_rows: 0, continued: 0, skipped: null, skip_code: null },
    { name: '封面', header_row: 0, rows: 0, valid: 0, updated: 0, duplicates: 0, error_rows: 0, continued: 0, skipped: '封面', skip_code: 'sheet_cover' },
    { name: '补录', header_row: 2, rows: 4, valid: 1, updated: 0, duplicates: 1, error_rows: 1, continued: 1, skipped: null, skip_code: null },
  ],
  continued: 1,
  asks: [],
  columns: [
    { sheet: '活动登记', header: '人数', field: 'participants', source: 'auto' },
    { sheet: '活动登记', header: '情况', field: '', source: 'auto' },
  ],
  field_options: [
    { code: 'participants', label: '参加人数' },
    { code: 'narrative', label: '活动简述' },
  ],
}

let answer: ImportPreview = preview
const previewCalls: unknown[] = []
vi.mock('../../api', () => ({
  importPreview: vi.fn(async (path: string, asked: unknown) => {
    previewCalls.push({ path, asked })
    return answer
  }),
  importXlsx: vi.fn(),
  importTemplate: vi.fn(),
}))
vi.mock('../../lib/export', () => ({
  chooseOpenPath: vi.fn(async () => '/tmp/台账.xlsx'),
  chooseSavePath: vi.fn(async () => null),
}))
vi.mock('../../stores/reference', () => ({ refreshReference: vi.fn() }))

describe('ImportDialog', () => {
  it('lists every sheet, the unused columns in words and the continuation rows', async () => {
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } })
    const w = mount(ImportDialog, { props: { modelValue: true }, global: { plugins: [ElementPlus, i18n] } })
    await flushPromises()
    await w.get('[data-testid="import-choose"]').trigger('click')
    await flushPromises()
    const sheets = w.get('[data-testid="import-sheets"]').text()
    expect(sheets).toContain('“活动登记”表：表头在第 1 行，1 行数据')
    expect(sheets).toContain('“封面”表未读取：封面')
    expect(sheets).toContain('“补录”表：表头在第 2 行，4 行数据')
    expect(w.get('[data-testid="import-ignored"]').text()).toContain('这些列没有导入：序号、备注')
    expect(w.text()).toContain('1 行没有日期和活动名称，只有资料或说明，已并入上一行的活动')
    // Two sheets read: the tables say which sheet each row is on.
    const rows = w.get('[data-testid="import-rows"]').text()
    expect(rows).toContain('工作表')
    expect(rows).toContain('补录')
  })

  it('asks once for the village of a sheet without that column and checks again with it', async () => {
    answer = { ...preview, asks: ['village'] }
    previewCalls.length = 0
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } })
    const w = mount(ImportDialog, { props: { modelValue: true }, global: { plugins: [ElementPlus, i18n] } })
    await flushPromises()
    await w.get('[data-testid="import-choose"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="import-asks"]').text()).toContain('整张表的村/社区')
    expect(w.find('[data-testid="import-ask-format"]').exists()).toBe(false)
    await w.get('input[data-testid="import-ask-village"]').setValue('安静村')
    await w.get('[data-testid="import-recheck"]').trigger('click')
    await flushPromises()
    expect(previewCalls).toEqual([
      { path: '/tmp/台账.xlsx', asked: { village: null, format: null, columns: [] } },
      { path: '/tmp/台账.xlsx', asked: { village: '安静村', format: null, columns: [] } },
    ])
  })

  it('shows a corrected row as 已修改 with old → new and offers to update it', async () => {
    const changed = { ...row('活动登记', 3, 'updated'), changes: [{ column: '参加人数', old: '80', new: '95' }] }
    answer = {
      ...preview,
      valid: 0,
      updated: 1,
      duplicates: 0,
      error_rows: 0,
      errors: [],
      corrected: [
        {
          sheet: '活动登记', row: 3, column: '参加人数', message: '第3行已修改：参加人数：80 → 95',
          code: 'corrected', params: { changes: '参加人数：80 → 95' },
        },
      ],
      rows: [changed],
      asks: [],
    }
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } })
    const w = mount(ImportDialog, { props: { modelValue: true }, global: { plugins: [ElementPlus, i18n] } })
    await flushPromises()
    await w.get('[data-testid="import-choose"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="import-updated"]').text()).toContain('已修改 1 行')
    expect(w.get('[data-testid="import-corrected"]').text()).toContain('参加人数：80 → 95')
    const rows = w.get('[data-testid="import-rows"]').text()
    expect(rows).toContain('已修改')
    expect(w.get('[data-testid="import-change"]').text().replace(/\s+/g, '')).toBe('参加人数：80→95')
    const go = w.get('[data-testid="import-go"]')
    expect(go.text()).toContain('导入 0 行，更新 1 条')
    expect(go.attributes('disabled')).toBeUndefined()
  })

  it('shows each column with its field and checks again with the one the user picks', async () => {
    answer = preview
    previewCalls.length = 0
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } })
    const w = mount(ImportDialog, { props: { modelValue: true }, global: { plugins: [ElementPlus, i18n] } })
    await flushPromises()
    await w.get('[data-testid="import-choose"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="import-mapper"]').text()).toContain('列的对应（2 列）')
    const select = w.findAllComponents({ name: 'ElSelect' }).find((s) => s.attributes('data-testid') === 'import-map-情况')
    expect(select).toBeTruthy()
    select!.vm.$emit('update:modelValue', 'narrative')
    await flushPromises()
    expect(previewCalls.at(-1)).toEqual({
      path: '/tmp/台账.xlsx',
      asked: { village: null, format: null, columns: [{ header: '情况', field: 'narrative' }] },
    })
  })

  it('says in English what is wrong with a row, why a sheet is skipped and what was changed', async () => {
    answer = {
      ...preview,
      warnings: [
        {
          sheet: '活动登记', row: 7, column: '受众人次', message: '第7行“受众人次”：“200余”按200计（约数）',
          code: 'approximate', params: { written: '200余', value: 200 },
        },
      ],
      corrected: [
        {
          sheet: '补录', row: 3, column: '参加人数', message: '“补录”表第3行已修改：参加人数：80 → 95',
          code: 'corrected', params: { changes: '参加人数：80 → 95' },
        },
      ],
    }
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { 'zh-CN': zhCN, en } })
    const w = mount(ImportDialog, { props: { modelValue: true }, global: { plugins: [ElementPlus, i18n] } })
    await flushPromises()
    await w.get('[data-testid="import-choose"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="import-sheets"]').text()).toContain('a cover page')
    expect(w.get('[data-testid="import-sheets"]').text()).not.toContain('“封面”表未读取')
    const errors = w.get('[data-testid="import-errors"]').text()
    expect(errors).toContain('Should be a number (it says “很多”)')
    expect(errors).not.toContain('应填写数字')
    // Two sheets read: each line names its sheet.
    expect(w.get('[data-testid="import-warnings"]').text()).toContain(
      'Sheet “活动登记”, row 7, “受众人次”: “200余” counted as 200 (approximate)',
    )
    expect(w.get('[data-testid="import-corrected"]').text()).toContain(
      'Sheet “补录”, row 3, “参加人数”: Changed since the earlier import: 参加人数：80 → 95',
    )
  })
})
