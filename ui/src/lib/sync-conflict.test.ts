import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import zhCN from '../locales/zh-CN.json'
import type { SyncConflict } from '../bindings/SyncConflict'
import { conflictLines, type ConflictContext } from './sync-conflict'

const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } })
const ctx: ConflictContext = {
  t: (k, named) => (named ? i18n.global.t(k, named) : i18n.global.t(k)),
  te: (k) => i18n.global.te(k),
  locale: 'zh-CN',
  unitName: (id) => ({ u1: '安静村', u2: '石院村' })[id],
  campaignName: (id) => ({ c1: '宪法宣传周' })[id],
  materialName: (id) => ({ m1: '宪法读本' })[id],
}

function conflict(local: Record<string, unknown>, incoming: Record<string, unknown>, extra: Partial<SyncConflict> = {}): SyncConflict {
  return {
    id: 'k1',
    entity: 'record',
    entity_label: '活动记录',
    entity_id: 'r1',
    title: '宪法进院坝',
    local,
    incoming,
    local_deleted: false,
    incoming_deleted: false,
    winner: 'incoming',
    created_at: '2026-11-27T08:00:00Z',
    resolved_at: null,
    kept: null,
    reason: null,
    ...extra,
  }
}

const base = {
  id: 'r1',
  title: '宪法进院坝',
  date: '2026-11-20',
  unit_id: 'u1',
  participants: 60,
  formats: '["courtyard_meeting"]',
  hlc: '1-0000-a',
  base_hlc: '0-0000-a',
  updated_at: '2026-11-27T08:00:00Z',
  _campaigns: ['c1'],
  _handouts: [{ material_id: 'm1', quantity: 30 }],
}

describe('conflictLines', () => {
  it('lists only the fields that differ, in words, without the sync bookkeeping', () => {
    const lines = conflictLines(
      conflict(base, { ...base, unit_id: 'u2', participants: 65, formats: '["courtyard_meeting","quiz"]', hlc: '2-0000-b', updated_at: 'x' }),
      ctx,
      '（已删除）',
    )
    expect(lines.map((l) => [l.label, l.before, l.after])).toEqual([
      ['村/单位', '安静村', '石院村'],
      ['活动形式', '院坝会', '院坝会、有奖问答'],
      ['参加人数', '60', '65'],
    ])
  })

  it('shows campaign links and hand-outs by name', () => {
    const lines = conflictLines(conflict(base, { ...base, _campaigns: [], _handouts: [{ material_id: 'm1', quantity: 40 }] }), ctx, '（已删除）')
    expect(lines.map((l) => [l.before, l.after])).toEqual([
      ['宪法宣传周', '（空）'],
      ['宪法读本 30', '宪法读本 40'],
    ])
  })

  it('sets a deletion against the filled-in fields of the edited version', () => {
    const lines = conflictLines(conflict({ _deleted: true }, { ...base, venue: '' }, { local_deleted: true }), ctx, '（已删除）')
    expect(lines.length).toBeGreaterThan(3)
    expect(lines.every((l) => l.before === '（已删除）')).toBe(true)
    expect(lines.find((l) => l.field === 'title')?.after).toBe('宪法进院坝')
    expect(lines.some((l) => l.field === 'venue' || l.field === 'hlc')).toBe(false)
  })
})
