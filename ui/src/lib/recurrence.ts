// The repeat part of the activity editor: a friendly form ↔ the core's Recurrence.
import type { Recurrence } from '../bindings/Recurrence'
import type { RecurrenceFreq } from '../bindings/RecurrenceFreq'
import { parseIso, toIso, weekdayOf } from './dates'

export interface RecurrenceForm {
  enabled: boolean
  freq: RecurrenceFreq
  interval: number
  /** End the series on a date or after a number of times. */
  end: 'until' | 'count'
  until: string | null
  count: number | null
}

export function defaultRecurrenceForm(): RecurrenceForm {
  return { enabled: false, freq: 'weekly', interval: 1, end: 'count', until: null, count: 4 }
}

/** The Recurrence to send, or null when the activity does not repeat. */
export function toRecurrence(form: RecurrenceForm): Recurrence | null {
  if (!form.enabled) return null
  const interval = Math.max(1, Math.round(Number(form.interval) || 1))
  return {
    freq: form.freq,
    interval,
    until: form.end === 'until' ? form.until || null : null,
    count: form.end === 'count' && form.count != null ? Math.round(Number(form.count)) : null,
  }
}

/** Which weekday of its month a date is: the n-th (1–4), or 5 = the last one. */
export function nthWeekdayOf(iso: string): { n: number; weekday: number } {
  const p = parseIso(iso)
  if (!p) return { n: 1, weekday: 1 }
  return { n: Math.floor((p.d - 1) / 7) + 1, weekday: weekdayOf(iso) }
}

/**
 * The first `max` dates of a series starting on `first` — the same rule as the core
 * (activity::expand): months without the day are skipped; a 5th weekday a month lacks
 * becomes that month's last one.
 */
export function previewDates(first: string, r: Recurrence, max = 6): string[] {
  const p = parseIso(first)
  if (!p) return []
  const interval = Math.max(1, r.interval ?? 1)
  const limit = Math.min(max, r.count ?? max)
  const out: string[] = []
  const { n, weekday } = nthWeekdayOf(first)
  for (let step = 0; out.length < limit && step < 1300; step++) {
    let d: Date | null = null
    if (r.freq === 'weekly') {
      d = new Date(p.y, p.m - 1, p.d + 7 * step * interval)
    } else {
      const monthIndex = p.m - 1 + step * interval
      const y = p.y + Math.floor(monthIndex / 12)
      const m = ((monthIndex % 12) + 12) % 12
      if (r.freq === 'monthly_day') {
        const c = new Date(y, m, p.d)
        d = c.getMonth() === m ? c : null
      } else {
        const firstWd = weekdayOf(toIso(new Date(y, m, 1)))
        const offset = (weekday - firstWd + 7) % 7
        let day = 1 + offset + 7 * (n - 1)
        if (day > new Date(y, m + 1, 0).getDate()) day = 1 + offset + 7 * 3
        d = new Date(y, m, day)
      }
    }
    if (!d) continue
    const iso = toIso(d)
    if (r.until && iso > r.until) break
    out.push(iso)
  }
  return out
}
