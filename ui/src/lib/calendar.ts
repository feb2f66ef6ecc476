// Activities and key dates as FullCalendar events, and where a dragged event landed.
import type { EventInput } from '@fullcalendar/core'
import type { CalendarItem } from '../bindings/CalendarItem'
import type { KeyDate } from '../bindings/KeyDate'
import { addDays, toIso } from './dates'
import type { Reschedule } from './undo'

export const VIEW_NAMES = ['month', 'week', 'list', 'year'] as const
export type CalendarView = (typeof VIEW_NAMES)[number]

const STATUS_COLOR: Record<string, string> = {
  planned: '#1f4e8c',
  held: '#15803d',
  cancelled: '#9ca3af',
  postponed: '#d97706',
}

/** Activities as events: timed ones with start/end, the rest all-day; status as a class. */
export function calendarEvents(list: readonly CalendarItem[], locale = 'zh-CN'): EventInput[] {
  return list.map((a) => {
    const timed = !!a.start_time
    const title = a.unit_name && !a.title.includes(a.unit_name) ? (locale.startsWith('en') ? `${a.title} (${a.unit_name})` : `${a.title}（${a.unit_name}）`) : a.title
    return {
      id: a.id,
      title,
      start: timed ? `${a.date}T${a.start_time}` : a.date,
      end: timed && a.end_time ? `${a.date}T${a.end_time}` : undefined,
      allDay: !timed,
      color: STATUS_COLOR[a.status] ?? STATUS_COLOR.planned,
      classNames: [`ev-${a.status}`],
      editable: a.status !== 'held',
      order: 1,
      extendedProps: { kind: 'activity', id: a.id, status: a.status },
    }
  })
}

/**
 * Key dates inside [from, to]: an all-day marker on the first day (each node), and a
 * background band over nodes lasting a week or less (a month-long one would paint it all).
 */
export function keydateEvents(list: readonly KeyDate[], from: string, to: string, prefix = '◆', name: (k: KeyDate) => string = (k) => k.name): EventInput[] {
  const out: EventInput[] = []
  const seen = new Set<string>()
  for (const k of list) {
    if (k.end < from || k.start > to) continue
    const key = `${k.code}|${k.start}`
    if (seen.has(key)) continue
    seen.add(key)
    const first = k.start < from ? from : k.start
    out.push({
      id: `kd-${key}`,
      title: `${prefix}${name(k)}`,
      start: first,
      allDay: true,
      editable: false,
      order: 0,
      classNames: ['kd-marker'],
      backgroundColor: '#fdecec',
      borderColor: '#f0b3b6',
      textColor: '#b4282e',
      extendedProps: { kind: 'keydate', keydate: k },
    })
    const days = Math.round((Date.parse(k.end) - Date.parse(k.start)) / 86_400_000) + 1
    if (days <= 7) {
      out.push({
        id: `kdbg-${key}`,
        start: k.start,
        end: addDays(k.end, 1),
        allDay: true,
        display: 'background',
        classNames: ['kd-bg'],
        extendedProps: { kind: 'keydate-bg' },
      })
    }
  }
  return out
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

function minutes(t: string): number {
  const [h, m] = t.split(':').map(Number)
  return h * 60 + (m || 0)
}

function fromMinutes(n: number): string {
  const c = Math.max(0, Math.min(n, 23 * 60 + 59))
  return `${String(Math.floor(c / 60)).padStart(2, '0')}:${String(c % 60).padStart(2, '0')}`
}

/**
 * Where an activity goes after a drop or a resize. Dropped on the all-day row: no times.
 * A timed event keeps its length when the calendar gives no end (an event without end time
 * keeps having none).
 */
export function movedPlace(
  before: Pick<CalendarItem, 'id' | 'start_time' | 'end_time'>,
  start: Date | null,
  end: Date | null,
  allDay: boolean,
): Reschedule {
  if (!start) throw new Error('a moved event has a start')
  const date = toIso(start)
  if (allDay) return { id: before.id, date, start_time: null, end_time: null }
  const start_time = hhmm(start)
  let end_time: string | null = null
  if (end && toIso(end) === date) end_time = hhmm(end)
  else if (before.start_time && before.end_time)
    end_time = fromMinutes(minutes(start_time) + minutes(before.end_time) - minutes(before.start_time))
  else if (!before.start_time && end) end_time = null
  return { id: before.id, date, start_time, end_time }
}
