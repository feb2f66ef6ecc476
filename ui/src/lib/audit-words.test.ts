import { describe, expect, it } from 'vitest'
import { i18n, applyLocale } from '../i18n'
import type { ChangeLine } from '../bindings/ChangeLine'
import type { Words } from '../bindings/Words'
import { lineStyle, shownLines, summaryText, valueText, type WordsContext } from './audit-words'

function ctx(locale: 'zh-CN' | 'en'): WordsContext {
  applyLocale(locale)
  const g = i18n.global
  return { t: (k, named) => (named ? g.t(k, named) : g.t(k)), te: (k) => g.te(k), locale }
}

const v = (text: string, words: Words) => ({ text, words })

// Lines as the core sends them (trail::lines): Chinese text and the parts.
const LINES: ChangeLine[] = [
  { field: 'date', label: '日期', before: v('2026年11月10日', { kind: 'date', date: '2026-11-10' }), after: v('2026年11月9日', { kind: 'date', date: '2026-11-09' }) },
  {
    field: 'formats',
    label: '活动形式',
    before: v('法治讲座', { kind: 'codes', set: 'activityFormat', codes: ['lecture'] }),
    after: v('法治讲座、有奖问答', { kind: 'codes', set: 'activityFormat', codes: ['lecture', 'quiz'] }),
  },
  { field: 'participants', label: '参加人数', before: v('40', { kind: 'text', text: '40' }), after: v('45', { kind: 'text', text: '45' }) },
  { field: 'narrative', label: '活动简述', before: v('（空）', { kind: 'empty' }), after: v('补充了简述', { kind: 'text', text: '补充了简述' }) },
  {
    field: 'speakers',
    label: '主讲人',
    before: v('', { kind: 'empty' }),
    after: v('王律师（律师）', { kind: 'speakers', speakers: [{ name: '王律师', role: 'lawyer' }] }),
  },
  {
    field: 'reach_by_audience',
    label: '分对象人次',
    before: v('（空）', { kind: 'empty' }),
    after: v('青少年学生 30', { kind: 'reach', parts: [{ audience: 'students', count: '30' }] }),
  },
  { field: 'activity_id', label: '计划活动', before: v('（空）', { kind: 'empty' }), after: v('已关联计划活动', { kind: 'linked_activity', name: null }) },
  { field: 'stored', label: '已删除', before: v('（已删除）', { kind: 'deleted' }), after: v('是', { kind: 'bool', yes: true }) },
]

describe('audit lines in the window’s language', () => {
  it('in Chinese: the core’s labels and texts as they are', () => {
    const lines = shownLines(LINES, ctx('zh-CN'))
    expect(lines.map((l) => `${l.label}：${l.before} → ${l.after}`)).toEqual(
      LINES.map((l) => `${l.label}：${l.before.text} → ${l.after.text}`),
    )
  })

  it('in English: labels by field, codes and empty values from the locale, names and numbers kept', () => {
    const lines = shownLines(LINES, ctx('en'))
    const by = (f: string) => lines.find((l) => l.field === f)!
    expect(by('participants').label).toBe('Participants')
    expect(by('formats').after).not.toMatch(/[\u4e00-\u9fff]/)
    expect(by('formats').after.split(', ')).toHaveLength(2)
    expect(by('date').after).toMatch(/2026/)
    expect(by('date').after).not.toContain('年')
    expect(by('participants').after).toBe('45')
    expect(by('narrative').before).toBe(i18n.global.t('audit.emptyValue'))
    expect(by('speakers').after).toMatch(/^王律师 \(\w/)
    expect(by('speakers').before).toBe('') // a creation's missing side stays blank
    expect(by('reach_by_audience').after).toMatch(/ 30$/)
    expect(by('activity_id').after).toBe(i18n.global.t('audit.linkedActivity'))
    expect(by('stored').before).toBe('(deleted)')
    expect(by('stored').after).toBe(i18n.global.t('audit.yes'))
    expect(valueText(v('农历逢一、四、七', { kind: 'market', cycle: { lunar: true, digits: [1, 4, 7] } }), ctx('en'))).not.toMatch(/[\u4e00-\u9fff]/)
    applyLocale('zh-CN')
  })

  it('summaries: the core’s Chinese text, or built from the codes in English', () => {
    const e = { entity: 'record', action: 'approve', summary: '审核通过活动记录“宪法进院坝”' }
    expect(summaryText(e, ctx('zh-CN'))).toBe('审核通过活动记录“宪法进院坝”')
    expect(summaryText(e, ctx('en'))).toBe('Approved Activity record “宪法进院坝”')
    expect(lineStyle('create')).toBe('after')
    expect(lineStyle('delete')).toBe('before')
    expect(lineStyle('approve')).toBe('diff')
    applyLocale('zh-CN')
  })
})
