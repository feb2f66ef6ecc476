import { describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { basisLine, basisOf, formatNumber, splitLine } from './basis'

const counts = { approved: 81, pending: 11, returned: 7 }

describe('统计口径 in the window', () => {
  const zh = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {}, { locale: 'zh-CN' })
  const en = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {}, { locale: 'en' })

  it('says what the core says, in Chinese', () => {
    // The same sentences as reports::basis::statement (core unit test).
    expect(basisLine(zh, 'approved', counts)).toBe('统计口径：已审核通过的活动记录（另有待审核 11 场、已退回 7 场未计入）')
    expect(basisLine(zh, 'approved', { approved: 81, pending: 0, returned: 0 })).toBe('统计口径：已审核通过的活动记录')
    expect(basisLine(zh, 'with_pending', counts)).toBe('统计口径：已审核通过及待审核的活动记录（其中待审核 11 场；另有已退回 7 场未计入）')
    expect(basisLine(zh, 'all', counts)).toBe('统计口径：全部活动记录（其中待审核 11 场、已退回 7 场）')
    expect(basisLine(zh, 'pending', counts)).toBe('统计口径：待审核的活动记录（尚未审核通过，不计入正式统计）')
    expect(splitLine(zh, 'approved', counts)).toBe('')
    expect(splitLine(zh, 'all', counts)).toBe('其中待审核 11 场、已退回 7 场')
  })

  it('says it in English without Chinese', () => {
    const line = basisLine(en, 'all', counts)
    expect(line).toMatch(/^Counting: all activity records/)
    expect(line).not.toMatch(/[\u4e00-\u9fff]/)
    expect(basisLine(en, 'approved', counts)).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('takes a working list status before the pending switch', () => {
    expect(basisOf(false, null)).toBe('approved')
    expect(basisOf(true, '')).toBe('with_pending')
    expect(basisOf(true, 'returned')).toBe('returned')
    expect(basisOf(false, 'nonsense')).toBe('approved')
  })

  it('groups thousands', () => {
    expect(formatNumber(17745298)).toBe('17,745,298')
    expect(formatNumber(81)).toBe('81')
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(null)).toBe('—')
  })
})
