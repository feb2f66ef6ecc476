import { describe, expect, it } from 'vitest'
import {
  defaultPlanYear,
  formatDateWeek,
  formatMonthDayRange,
  formatMonthDayWeek,
  formatTimeRange,
  mondayOf,
  weekdayName,
  weekdayOf,
} from './dates'

describe('dates with weekdays', () => {
  it('counts weekdays from Monday = 1 to Sunday = 7', () => {
    expect(weekdayOf('2026-12-04')).toBe(5) // a Friday
    expect(weekdayOf('2026-12-06')).toBe(7) // a Sunday
    expect(weekdayOf('2026-11-30')).toBe(1)
    expect(weekdayOf('not a date')).toBeNaN()
    expect(weekdayName(7)).toBe('星期日')
    expect(weekdayName(1, 'en')).toBe('Mon')
  })

  it('writes a day with its weekday the Chinese way', () => {
    expect(formatDateWeek('2026-12-04')).toBe('2026年12月4日 星期五')
    expect(formatDateWeek('2026-12-04', 'en')).toBe('Fri 4 Dec 2026')
    expect(formatMonthDayWeek('2027-01-01')).toBe('1月1日 星期五')
    expect(formatDateWeek('')).toBe('')
  })

  it('shortens ranges inside a year and keeps years across one', () => {
    expect(formatMonthDayRange('2026-12-01', '2026-12-07')).toBe('12月1日—12月7日')
    expect(formatMonthDayRange('2026-12-04', '2026-12-04')).toBe('12月4日')
    expect(formatMonthDayRange('2026-11-15', '2027-02-06')).toBe('2026年11月15日—2027年2月6日')
    expect(formatMonthDayRange('2026-12-01', '2026-12-07', 'en')).toBe('1 Dec – 7 Dec')
  })

  it('finds the Monday of a week, across months and years', () => {
    expect(mondayOf('2026-12-04')).toBe('2026-11-30')
    expect(mondayOf('2026-11-30')).toBe('2026-11-30')
    expect(mondayOf('2027-01-03')).toBe('2026-12-28') // a Sunday belongs to the week before
  })

  it('plans next year from October on', () => {
    expect(defaultPlanYear(new Date(2026, 8, 30))).toBe(2026)
    expect(defaultPlanYear(new Date(2026, 9, 1))).toBe(2027)
    expect(defaultPlanYear(new Date(2026, 11, 31))).toBe(2027)
    expect(defaultPlanYear(new Date(2027, 0, 1))).toBe(2027)
  })

  it('writes times, and nothing for an all-day activity', () => {
    expect(formatTimeRange('09:00', '11:30')).toBe('09:00—11:30')
    expect(formatTimeRange('09:00', null)).toBe('09:00')
    expect(formatTimeRange(null, '11:30')).toBe('')
  })
})
