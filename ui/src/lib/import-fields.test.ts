import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '../locales/en.json'
import zhCN from '../locales/zh-CN.json'
import { fieldOptionLabel } from './import-fields'

// Every field the core offers (exchange::xlsx_import::layout::field_options), as it sends them.
const options = [
  ['date', '日期'], ['start_time', '开始时间'], ['end_time', '结束时间'], ['unit', '村/社区'],
  ['venue', '地点'], ['title', '活动名称'], ['formats', '活动形式'], ['audiences', '宣传对象'],
  ['laws', '法律法规'], ['speakers', '主讲人'], ['participants', '参加人数'], ['reach', '受众人次'],
  ['consultations', '咨询人次'], ['banners', '横幅（条）'], ['boards', '展板（块）'],
  ['vehicles', '宣传车（辆次）'], ['online_posts', '线上推文（篇）'], ['online_views', '线上阅读（次）'],
  ['disputes', '调解纠纷（件）'], ['legal_aid_cases', '法律援助（件）'], ['volunteers', '志愿者（人次）'],
  ['material1', '发放资料1'], ['quantity1', '数量1'], ['material4', '发放资料4'], ['quantity4', '数量4'],
  ['narrative', '活动简述'], ['recorder', '记录人'],
].map(([code, label]) => ({ code, label }))

function ctx(locale: 'en' | 'zh-CN') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zhCN } })
  const g = i18n.global
  return { t: g.t as (k: string, p?: Record<string, unknown>) => string, te: (k: string) => g.te(k), locale }
}

describe('the import mapper’s field labels', () => {
  it('are the core’s Chinese words in Chinese', () => {
    for (const o of options) expect(fieldOptionLabel(o, ctx('zh-CN'))).toBe(o.label)
  })

  it('are English words, with no Chinese left, in English', () => {
    const c = ctx('en')
    const labels = options.map((o) => fieldOptionLabel(o, c))
    for (const l of labels) expect(l).not.toMatch(/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/)
    expect(labels).toContain('Village / unit')
    expect(labels).toContain('Material 4')
    expect(labels).toContain('Quantity 1')
    expect(labels).toContain('Start time')
    // Each option tells itself apart from the others.
    expect(new Set(labels).size).toBe(labels.length)
  })
})
