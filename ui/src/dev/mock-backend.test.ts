import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import * as api from '../api'
import { installMockBackend } from './mock-backend'

describe('dev mock backend (planning)', () => {
  afterEach(() => {
    clearMocks()
    localStorage.clear()
  })

  it('plans a year on the demo town: key dates, a template, conflicts, a move and its undo', async () => {
    localStorage.clear()
    installMockBackend()
    await api.loadDemo({ seed: null, year: null } as never)
    const kds = await api.keydateList(2027)
    expect(kds.length).toBeGreaterThan(30)
    expect(kds.find((k) => k.code === 'constitution_day')?.start).toBe('2027-12-04')

    const applied = await api.templateApply('constitution_week', 2027, [], true)
    expect(applied.campaign.name).toBe('2027年“宪法宣传周”集中宣传活动')
    expect(applied.activities.length).toBe(21) // every village and community
    expect(applied.activities.every((a) => a.date >= '2027-12-01' && a.date <= '2027-12-07')).toBe(true)
    const cov = await api.coverage(applied.campaign.id)
    expect(cov.missing).toEqual([])

    const a = applied.activities[0]
    const moved = await api.activityReschedule(a.id, '2027-10-01', a.start_time, a.end_time)
    expect(moved.activities[0].date).toBe('2027-10-01')
    expect(moved.conflicts.map((c) => c.kind)).toContain('holiday')
    expect(moved.conflicts.map((c) => c.kind)).toContain('outside_campaign')
    await api.activityReschedule(a.id, a.date, a.start_time, a.end_time)
    expect((await api.activityGet(a.id)).date).toBe(a.date)

    const copied = await api.planCopyYear(2026, 2027)
    expect(copied.campaigns).toBeGreaterThan(5)
    // The copies are new campaigns: the 2026 ones are still there, with their own ids.
    const all = await api.campaignList({ search: null, kind: null, year: null, audience: null, status: 'all' })
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length)
    expect(all.some((c) => c.name === '2026年民法典宣传月活动')).toBe(true)
    expect(all.some((c) => c.name === '2027年民法典宣传月活动')).toBe(true)

    const gen = await api.planGenerate(2027, ['constitution_week', 'police_day'])
    expect(gen.skipped).toEqual(['宪法宣传周'])
    expect(gen.created.map((c) => c.name)).toEqual(['2027年中国人民警察节'])
  })

  it('answers the audit export like the core: rows of the period, bad dates named', async () => {
    localStorage.clear()
    installMockBackend()
    // The mock keeps its town between tests: load the demo unless the first test did.
    await api.loadDemo({ seed: null, year: null } as never).catch(() => undefined)
    await api.materialCreate({ name: `普法挂历${Date.now()}`, category: null, unit: '本', low_stock: null })
    const all = await api.exportAuditXlsx('/home/dev/文档/操作记录.xlsx')
    expect(all.path).toBe('/home/dev/文档/操作记录.xlsx')
    expect(all.count).toBeGreaterThan(0)
    expect((await api.exportAuditXlsx('/tmp/a.xlsx', '2099-01-01', null)).count).toBe(0)
    await expect(api.exportAuditXlsx('/tmp/a.xlsx', null, '明天')).rejects.toMatchObject({ code: 'invalid_date', field: 'end_date' })
  })
})
