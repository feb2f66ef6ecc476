// The 年 view of the calendar: twelve small month grids, each day coloured by how many
// activities it holds, with 普法 key dates marked.
import { addDays, parseIso, toIso, weekdayOf } from './dates'

export interface CountedActivity {
  date: string
  status: string
}

/** Activities per day. Cancelled ones are not counted (they will not happen). */
export function countByDate(activities: readonly CountedActivity[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const a of activities) {
    if (a.status === 'cancelled') continue
    out.set(a.date, (out.get(a.date) ?? 0) + 1)
  }
  return out
}

/** Colour step of a day: 0 none, 1 one, 2 two, 3 three or four, 4 five and more. */
export function densityLevel(n: number): 0 | 1 | 2 | 3 | 4 {
  if (!(n > 0)) return 0
  if (n === 1) return 1
  if (n === 2) return 2
  if (n <= 4) return 3
  return 4
}

export interface MarkedKeyDate {
  name: string
  start: string
  end: string
}

/**
 * Days to mark for key dates: every day of a node lasting up to a week (宪法宣传周), only the
 * first day of a longer one (民法典宣传月 would otherwise paint the whole of May).
 */
export function keyDateDays(keydates: readonly MarkedKeyDate[], maxMarkedDays = 7): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const mark = (iso: string, name: string) => {
    const list = out.get(iso) ?? []
    if (!list.includes(name)) list.push(name)
    out.set(iso, list)
  }
  for (const k of keydates) {
    if (!parseIso(k.start) || !parseIso(k.end) || k.end < k.start) continue
    let d = k.start
    let n = 0
    const long = daysInclusive(k.start, k.end) > maxMarkedDays
    while (d <= k.end) {
      mark(d, k.name)
      if (long) break
      d = addDays(d, 1)
      if (++n > 400) break
    }
  }
  return out
}

function daysInclusive(a: string, b: string): number {
  const pa = parseIso(a)!
  const pb = parseIso(b)!
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / 86_400_000) + 1
}

/** A month as weeks (Monday first) of ISO dates, null for the padding days. */
export function monthGrid(year: number, month: number): (string | null)[][] {
  const first = toIso(new Date(year, month - 1, 1))
  const days = new Date(year, month, 0).getDate()
  const weeks: (string | null)[][] = []
  let week: (string | null)[] = Array.from({ length: weekdayOf(first) - 1 }, () => null)
  for (let d = 1; d <= days; d++) {
    week.push(toIso(new Date(year, month - 1, d)))
    if (week.length === 7) {
      weeks.push(week)
      week = []
    }
  }
  if (week.length) {
    while (week.length < 7) week.push(null)
    weeks.push(week)
  }
  return weeks
}

export interface DayCell {
  iso: string
  day: number
  count: number
  level: 0 | 1 | 2 | 3 | 4
  keyDates: string[]
  holiday: string | null
}

export interface MonthOverview {
  month: number
  total: number
  weeks: (DayCell | null)[][]
}

/** The whole year: per month, its weeks of day cells and the month's activity count. */
export function yearOverview(
  year: number,
  activities: readonly CountedActivity[],
  keydates: readonly MarkedKeyDate[],
  holidays: ReadonlyMap<string, string> = new Map(),
): MonthOverview[] {
  const counts = countByDate(activities)
  const marks = keyDateDays(keydates)
  return Array.from({ length: 12 }, (_, i) => {
    const month = i + 1
    let total = 0
    const weeks = monthGrid(year, month).map((w) =>
      w.map((iso) => {
        if (!iso) return null
        const count = counts.get(iso) ?? 0
        total += count
        return {
          iso,
          day: Number(iso.slice(8)),
          count,
          level: densityLevel(count),
          keyDates: marks.get(iso) ?? [],
          holiday: holidays.get(iso) ?? null,
        }
      }),
    )
    return { month, total, weeks }
  })
}
