import { describe, expect, it } from 'vitest'
import { calendarEvents, keydateEvents, movedPlace } from './calendar'
import type { Activity } from '../bindings/Activity'
import type { KeyDate } from '../bindings/KeyDate'

const before = { id: 'a1', start_time: '09:00', end_time: '11:30' }

describe('calendar moves', () => {
  it('keeps the length of a timed activity moved to another day', () => {
    expect(movedPlace(before, new Date(2026, 11, 3, 9, 0), null, false)).toEqual({
      id: 'a1',
      date: '2026-12-03',
      start_time: '09:00',
      end_time: '11:30',
    })
    expect(movedPlace(before, new Date(2026, 11, 3, 14, 0), null, false).end_time).toBe('16:30')
  })

  it('takes the new end of a resize', () => {
    expect(movedPlace(before, new Date(2026, 11, 3, 9, 0), new Date(2026, 11, 3, 12, 15), false)).toMatchObject({
      start_time: '09:00',
      end_time: '12:15',
    })
  })

  it('drops the times on the all-day row, and an activity without end keeps none', () => {
    expect(movedPlace(before, new Date(2026, 11, 5), null, true)).toEqual({ id: 'a1', date: '2026-12-05', start_time: null, end_time: null })
    expect(movedPlace({ id: 'b', start_time: '08:00', end_time: null }, new Date(2026, 11, 5, 10, 0), null, false)).toMatchObject({
      start_time: '10:00',
      end_time: null,
    })
  })
})

describe('calendar events', () => {
  it('shows cancelled activities with their status class and all-day ones as all-day', () => {
    const a = { id: 'x', title: '宪法宣传', date: '2026-12-04', start_time: null, end_time: null, unit_name: '安静村', status: 'cancelled' } as Activity
    const [e] = calendarEvents([a])
    expect(e).toMatchObject({ allDay: true, start: '2026-12-04', title: '宪法宣传（安静村）', classNames: ['ev-cancelled'] })
  })

  it('marks key dates and bands only the short ones', () => {
    const kd = (code: string, start: string, end: string) => ({ code, name: code, start, end }) as KeyDate
    const events = keydateEvents([kd('week', '2026-12-01', '2026-12-07'), kd('month', '2026-11-01', '2026-11-30'), kd('far', '2027-03-08', '2027-03-08')], '2026-11-30', '2027-01-10')
    const ids = events.map((e) => e.id)
    expect(ids).toContain('kd-week|2026-12-01')
    expect(ids).toContain('kdbg-week|2026-12-01')
    expect(ids).toContain('kd-month|2026-11-01')
    expect(ids).not.toContain('kdbg-month|2026-11-01')
    expect(ids.some((id) => String(id).includes('far'))).toBe(false)
    // A node already running when the range starts is marked on its first visible day.
    expect(events.find((e) => e.id === 'kd-month|2026-11-01')?.start).toBe('2026-11-30')
  })
})
