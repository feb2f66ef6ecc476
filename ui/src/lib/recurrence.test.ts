import { describe, expect, it } from 'vitest'
import { defaultRecurrenceForm, nthWeekdayOf, previewDates, toRecurrence } from './recurrence'

describe('recurrence form', () => {
  it('sends nothing when the activity does not repeat', () => {
    expect(toRecurrence(defaultRecurrenceForm())).toBeNull()
  })

  it('maps the form to the core Recurrence: count or until, never both', () => {
    const f = { ...defaultRecurrenceForm(), enabled: true, freq: 'monthly_day' as const, interval: 2, end: 'count' as const, count: 6, until: '2027-06-30' }
    expect(toRecurrence(f)).toEqual({ freq: 'monthly_day', interval: 2, until: null, count: 6 })
    expect(toRecurrence({ ...f, end: 'until' })).toEqual({ freq: 'monthly_day', interval: 2, until: '2027-06-30', count: null })
  })

  it('keeps the interval a whole number of at least 1', () => {
    const f = { ...defaultRecurrenceForm(), enabled: true, interval: 0 }
    expect(toRecurrence(f)?.interval).toBe(1)
    expect(toRecurrence({ ...f, interval: 2.6 })?.interval).toBe(3)
  })

  it('names the n-th weekday of a date', () => {
    expect(nthWeekdayOf('2026-12-10')).toEqual({ n: 2, weekday: 4 }) // 2nd Thursday
    expect(nthWeekdayOf('2026-12-29')).toEqual({ n: 5, weekday: 2 }) // 5th Tuesday
  })

  it('previews weekly dates with an interval, stopping at until', () => {
    expect(previewDates('2026-12-10', { freq: 'weekly', interval: 2, until: '2027-01-21', count: null }, 10)).toEqual([
      '2026-12-10',
      '2026-12-24',
      '2027-01-07',
      '2027-01-21',
    ])
  })

  it('skips months without the day, as the core does', () => {
    expect(previewDates('2027-01-31', { freq: 'monthly_day', interval: 1, until: null, count: 4 })).toEqual([
      '2027-01-31',
      '2027-03-31',
      '2027-05-31',
      '2027-07-31',
    ])
  })

  it('keeps the n-th weekday, a 5th one becoming the month’s last', () => {
    // 2nd Thursday of each month.
    expect(previewDates('2026-12-10', { freq: 'monthly_nth_weekday', interval: 1, until: null, count: 3 })).toEqual([
      '2026-12-10',
      '2027-01-14',
      '2027-02-11',
    ])
    // 29 December 2026 is the 5th Tuesday; January 2027 has none → its 4th (last) one.
    expect(previewDates('2026-12-29', { freq: 'monthly_nth_weekday', interval: 1, until: null, count: 2 })).toEqual([
      '2026-12-29',
      '2027-01-26',
    ])
  })
})
