import { describe, expect, it } from 'vitest'
import { i18n, applyLocale } from '../i18n'
import { changeLines, formatAuditValue, lineStyle, summaryText, type AuditContext } from './audit-view'

function ctx(locale: 'zh-CN' | 'en'): AuditContext {
  applyLocale(locale)
  const g = i18n.global
  return {
    t: (k, named) => (named ? g.t(k, named) : g.t(k)),
    te: (k) => g.te(k),
    locale,
    unitName: (id) => ({ v1: '安静村', v2: '石院村' })[id],
    campaignName: (id) => ({ c1: '2026年宪法宣传周' })[id],
    nodeName: (code) => ({ constitution_day: '国家宪法日' })[code],
  }
}

describe('audit changes in words', () => {
  it('an edit: each changed field with its Chinese label, before → after', () => {
    const lines = changeLines(
      {
        entity: 'record',
        action: 'update',
        changes: {
          participants: [40, 45],
          unit_id: ['v1', 'v2'],
          formats: [['lecture'], ['lecture', 'quiz']],
          campaign_ids: [[], ['c1']],
          date: ['2026-11-10', '2026-11-09'],
          narrative: ['', '补充了简述'],
          unit_name: ['安静村', '石院村'],
          updated_at: ['a', 'b'],
        },
      },
      ctx('zh-CN'),
    )
    // In the form's order, not the stored one.
    expect(lines.map((l) => [l.label, l.before, l.after])).toEqual([
      ['日期', '2026年11月10日', '2026年11月9日'],
      ['村/单位', '安静村', '石院村'],
      ['活动形式', '法治讲座', '法治讲座、有奖问答'],
      ['参加人数', '40', '45'],
      ['所属专项', '（空）', '2026年宪法宣传周'],
      ['活动简述', '（空）', '补充了简述'],
    ])
  })

  it('a review: the status and the comment', () => {
    const lines = changeLines(
      {
        entity: 'record',
        action: 'return',
        changes: {
          review_status: ['pending', 'returned'],
          review_comment: ['', '请补充签到表'],
          reviewed_by: [null, '李明'],
          reviewed_at: [null, '2026-11-11T02:00:00Z'],
        },
      },
      ctx('zh-CN'),
    )
    expect(lines.map((l) => `${l.label}：${l.before} → ${l.after}`)).toEqual([
      '审核状态：待审核 → 已退回',
      '审核意见：（空） → 请补充签到表',
    ])
  })

  it('a creation lists what was entered, leaving out empty values and zero counts', () => {
    const lines = changeLines(
      {
        entity: 'record',
        action: 'create',
        changes: {
          title: [null, '宪法进院坝'],
          participants: [null, 40],
          vehicles: [null, 0],
          laws: [null, []],
          venue: [null, ''],
          materials: [null, [{ material_id: 'm1', material_name: '宪法读本', quantity: 10, unit: '册' }]],
          speakers: [null, [{ name: '王律师', role: 'lawyer' }]],
          reach_by_audience: [null, { residents: 30, elderly: 5 }],
          quiz: [null, { questions: 10, participants: 30, winners: 5 }],
          nodes: [null, ['constitution_day']],
          activity_id: [null, '01a2-plan'],
          id: [null, 'r1'],
        },
      },
      ctx('zh-CN'),
    )
    expect(lines.map((l) => `${l.label}=${l.after}`)).toEqual([
      '活动名称=宪法进院坝',
      '参加人数=40',
      '分对象人次=村(居)民 30、老年人 5',
      '普法节点=国家宪法日',
      '主讲人=王律师（律师）',
      '发放资料=宪法读本 10册',
      '有奖问答=10 题，30 人答题，5 人获奖',
      '计划活动=已关联计划活动',
    ])
    expect(lineStyle('create')).toBe('after')
    expect(lineStyle('delete')).toBe('before')
    expect(lineStyle('approve')).toBe('diff')
  })

  it('attachments carry no field lines; their summary says it', () => {
    expect(changeLines({ entity: 'record', action: 'attach', changes: { file_name: [null, 'a.jpg'] } }, ctx('zh-CN'))).toEqual([])
  })

  it('translates by entity: a stock movement kind, a flagged overdraw', () => {
    const c = ctx('zh-CN')
    expect(formatAuditValue('stock', 'kind', 'handout', c)).toBe('发放')
    expect(formatAuditValue('stock', 'below_zero', true, c)).toBe('是')
    expect(formatAuditValue('unit', 'kind', 'village', c)).toBe('村')
    expect(formatAuditValue('unit', 'market_days', { lunar: true, digits: [1, 4, 7] }, c)).toBe('农历逢一、四、七')
    expect(formatAuditValue('record', 'unit_id', 'unknown-id', c)).toBe('unknown-id')
  })

  it('summaries: the core’s Chinese text, or built from the codes in English', () => {
    const e = { entity: 'record', action: 'approve', summary: '审核通过活动记录“宪法进院坝”' }
    expect(summaryText(e, ctx('zh-CN'))).toBe('审核通过活动记录“宪法进院坝”')
    expect(summaryText(e, ctx('en'))).toBe('Approved Activity record “宪法进院坝”')
    const lines = changeLines({ entity: 'record', action: 'update', changes: { participants: [1, 2] } }, ctx('en'))
    expect(lines[0].label).toBe('Participants')
    applyLocale('zh-CN')
  })
})
