import { describe, expect, it } from 'vitest'
import { activeItem, canEditPlan, homeFor, menuFor, SETTINGS_ITEM } from './roles'
import zh from '../locales/zh-CN.json'
import en from '../locales/en.json'

const labels = (role: Parameters<typeof menuFor>[0]) =>
  menuFor(role).map((i) => (zh.nav as Record<string, string>)[i.label])

describe('roles shape the menu', () => {
  it('a village cadre sees what he does, 设置 apart', () => {
    expect(labels('village_cadre')).toEqual([
      '录入一场活动',
      '录入活动',
      '我的记录',
      '本村计划',
      '宣传资料（本村领用）',
      '数据包（发给镇里）',
    ])
    const keys = menuFor('village_cadre').map((i) => i.key)
    for (const hidden of ['pivot', 'audit', 'review', 'units', 'people'] as const) expect(keys).not.toContain(hidden)
  })

  it('a leader sees 统计, 台账, 透视表 and the plan read-only, and opens on 统计', () => {
    expect(menuFor('leader').map((i) => i.key)).toEqual(['dashboard', 'ledger', 'pivot', 'plan', 'calendar'])
    expect(homeFor('leader')).toBe('/dashboard')
    expect(canEditPlan('leader')).toBe(false)
  })

  it('a coordinator sees everything', () => {
    const keys = menuFor('coordinator').map((i) => i.key)
    expect(keys).toHaveLength(15)
    expect(keys).toContain('audit')
    expect(keys).toContain('review')
    expect(homeFor('coordinator')).toBe('/home')
    expect(canEditPlan('coordinator')).toBe(true)
    // No user yet (a data folder from an older build): the full menu.
    expect(menuFor(null)).toEqual(menuFor('coordinator'))
  })

  it('every label has both languages', () => {
    for (const role of ['coordinator', 'village_cadre', 'leader'] as const) {
      for (const item of [...menuFor(role), SETTINGS_ITEM]) {
        expect((zh.nav as Record<string, string>)[item.label], item.label).toBeTruthy()
        expect((en.nav as Record<string, string>)[item.label], item.label).toMatch(/^[\x20-\x7e…]+$/)
      }
    }
  })

  it('highlights the entry a path belongs to, 设置 included', () => {
    const items = menuFor('coordinator')
    expect(activeItem(items, '/records')).toBe('/records')
    expect(activeItem(items, '/settings')).toBe('/settings')
    expect(activeItem(items, '/nowhere')).toBeNull()
  })
})
