import { describe, expect, it } from 'vitest'
import { countByDate, densityLevel, keyDateDays, monthGrid, yearOverview } from './year-overview'

const act = (date: string, status = 'planned') => ({ date, status })

describe('year overview', () => {
  it('counts activities per day, leaving cancelled ones out', () => {
    const m = countByDate([act('2026-12-01'), act('2026-12-01'), act('2026-12-01', 'cancelled'), act('2026-12-02', 'postponed')])
    expect(m.get('2026-12-01')).toBe(2)
    expect(m.get('2026-12-02')).toBe(1)
    expect(m.has('2026-12-03')).toBe(false)
  })

  it('steps colours by count', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map(densityLevel)).toEqual([0, 1, 2, 3, 3, 4, 4])
    expect(densityLevel(-1)).toBe(0)
  })

  it('lays a month out in Monday-first weeks', () => {
    const dec = monthGrid(2026, 12) // 1 December 2026 is a Tuesday
    expect(dec[0]).toEqual([null, '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'])
    expect(dec.at(-1)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null])
    expect(dec).toHaveLength(5)
    // February 2027 starts on a Monday and has exactly four weeks.
    expect(monthGrid(2027, 2)).toHaveLength(4)
    // A leap February has 29 days.
    expect(monthGrid(2028, 2).flat().filter(Boolean)).toHaveLength(29)
  })

  it('marks every day of a week-long node but only the first day of a month-long one', () => {
    const marks = keyDateDays([
      { name: '宪法宣传周', start: '2026-12-01', end: '2026-12-07' },
      { name: '民法典宣传月', start: '2026-05-01', end: '2026-05-31' },
      { name: '12·4国家宪法日', start: '2026-12-04', end: '2026-12-04' },
    ])
    expect(marks.get('2026-12-07')).toEqual(['宪法宣传周'])
    expect(marks.get('2026-12-04')).toEqual(['宪法宣传周', '12·4国家宪法日'])
    expect(marks.get('2026-05-01')).toEqual(['民法典宣传月'])
    expect(marks.has('2026-05-02')).toBe(false)
    expect(marks.has('2026-12-08')).toBe(false)
  })

  it('puts counts, marks and holidays together per month', () => {
    const y = yearOverview(
      2026,
      [act('2026-12-04'), act('2026-12-04'), act('2026-12-04'), act('2026-03-15')],
      [{ name: '12·4国家宪法日', start: '2026-12-04', end: '2026-12-04' }],
      new Map([['2026-10-01', '国庆节']]),
    )
    expect(y).toHaveLength(12)
    expect(y[11].total).toBe(3)
    expect(y[2].total).toBe(1)
    const cell = y[11].weeks.flat().find((c) => c?.iso === '2026-12-04')
    expect(cell).toMatchObject({ day: 4, count: 3, level: 3, keyDates: ['12·4国家宪法日'], holiday: null })
    expect(y[9].weeks.flat().find((c) => c?.iso === '2026-10-01')?.holiday).toBe('国庆节')
  })
})
