import { describe, expect, it } from 'vitest'
import { holidayLines, parseHolidayLines } from './holiday-lines'

describe('pasted holiday arrangements', () => {
  it('reads days off and make-up working days', () => {
    const { days, errors } = parseHolidayLines('2027-01-01 元旦\n2027-02-20 春节 上班\n\n# 注释\n2027/10/9 国庆节 补班', 2027)
    expect(errors).toEqual([])
    expect(days).toEqual([
      { date: '2027-01-01', name: '元旦', work: false },
      { date: '2027-02-20', name: '春节', work: true },
      { date: '2027-10-09', name: '国庆节', work: true },
    ])
  })

  it('expands ranges and accepts Chinese dates', () => {
    const { days, errors } = parseHolidayLines('2027年2月5日至2027年2月7日 春节\n2027-10-01~2027-10-02 国庆节（放假）', 2027)
    expect(errors).toEqual([])
    expect(days.map((d) => d.date)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-10-01', '2027-10-02'])
    expect(days[0].name).toBe('春节')
    expect(days[3].name).toBe('国庆节（放假）')
  })

  it('reports each bad line with its number and what is wrong', () => {
    const { days, errors } = parseHolidayLines('元旦\n2026-01-01 元旦\n2027-02-30 春节\n2027-05-01\n2027-05-01 劳动节\n2027-05-01 劳动节\n2027-05-05至2027-05-03 劳动节', 2027)
    expect(errors.map((e) => [e.line, e.problem])).toEqual([
      [1, 'date'],
      [2, 'year'],
      [3, 'date'],
      [4, 'name'],
      [6, 'duplicate'],
      [7, 'range'],
    ])
    expect(days).toEqual([{ date: '2027-05-01', name: '劳动节', work: false }])
  })

  it('writes days back as lines that read the same', () => {
    const days = [
      { date: '2027-02-05', name: '春节', work: false },
      { date: '2027-02-06', name: '春节', work: false },
      { date: '2027-02-07', name: '春节', work: false },
      { date: '2027-01-01', name: '元旦', work: false },
      { date: '2027-02-20', name: '春节', work: true },
    ]
    const text = holidayLines(days)
    expect(text).toBe('2027-01-01 元旦\n2027-02-05至2027-02-07 春节\n2027-02-20 春节 上班')
    expect(parseHolidayLines(text, 2027).days).toEqual([...days].sort((a, b) => a.date.localeCompare(b.date)))
  })
})
