import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import * as api from '../api'
import { installMockBackend } from './mock-backend'
import { recordTotals } from '../lib/records'

describe('dev mock backend (台账 pages)', () => {
  afterEach(() => {
    clearMocks()
    localStorage.clear()
  })

  it('pages newest first through every record once, with the totals of all of them', async () => {
    localStorage.clear()
    installMockBackend()
    await api.loadDemo({ seed: null, year: null } as never).catch(() => undefined)
    const all = await api.recordList({})
    expect(all.length).toBeGreaterThan(10)
    const seen: string[] = []
    for (let offset = 0; ; offset += 10) {
      const page = await api.recordPage({}, { offset, limit: 10, with_totals: offset === 0 })
      expect(page.totals).toEqual(offset === 0 ? recordTotals(all) : null)
      if (!page.rows.length) break
      expect(page.rows.length).toBeLessThanOrEqual(10)
      seen.push(...page.rows.map((r) => r.id))
      const dates = page.rows.map((r) => r.date)
      expect([...dates].sort().reverse()).toEqual(dates)
    }
    expect([...seen].sort()).toEqual(all.map((r) => r.id).sort())
    const oldest = await api.recordPage({}, { limit: 3, oldest_first: true })
    expect(oldest.rows.map((r) => r.date)).toEqual(all.slice(0, 3).map((r) => r.date))
    const counts = await api.recordStatusCounts(null)
    expect(counts.pending + counts.returned + counts.approved).toBe(all.length)
  })
})
