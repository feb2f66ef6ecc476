// Pasting a year's holiday arrangement (from the State Council notice) as lines:
//   2027-01-01 元旦
//   2027-02-05至2027-02-11 春节
//   2027-02-20 春节 上班        (a make-up working day: 上班 / 调休 / 补班)
import type { HolidayDay } from '../bindings/HolidayDay'
import { addDays, parseIso } from './dates'

export type LineProblem = 'date' | 'year' | 'name' | 'duplicate' | 'range'

export interface LineError {
  /** 1-based line number in the pasted text. */
  line: number
  text: string
  problem: LineProblem
}

const DATE = String.raw`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?`
const LINE = new RegExp(String.raw`^${DATE}(?:\s*(?:至|到|~|～|—|–|--)\s*${DATE})?\s*(.*)$`)
const WORK = /(?:调休)?(?:上班|补班)$|^调休$/

function iso(y: string, m: string, d: string): string | null {
  const s = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
  return parseIso(s) ? s : null
}

/** Reads the lines; blank lines and lines starting with # are skipped. */
export function parseHolidayLines(text: string, year: number): { days: HolidayDay[]; errors: LineError[] } {
  const days: HolidayDay[] = []
  const errors: LineError[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const fail = (problem: LineProblem) => errors.push({ line: i + 1, text: line, problem })
    const m = LINE.exec(line)
    if (!m) return fail('date')
    const start = iso(m[1], m[2], m[3])
    const end = m[4] ? iso(m[4], m[5], m[6]) : start
    if (!start || !end) return fail('date')
    if (end < start) return fail('range')
    let rest = m[7].trim()
    let work = false
    const parts = rest.split(/\s+/)
    if (parts.length > 1 && WORK.test(parts[parts.length - 1])) {
      work = true
      rest = parts.slice(0, -1).join(' ')
    } else if (/（(?:调休)?(?:上班|补班)）$|\((?:调休)?(?:上班|补班)\)$/.test(rest)) {
      work = true
      rest = rest.replace(/[（(][^（(]*[）)]$/, '').trim()
    }
    if (!rest) return fail('name')
    const dates: string[] = []
    for (let d = start; d <= end && dates.length < 40; d = addDays(d, 1)) dates.push(d)
    if (dates.some((d) => !d.startsWith(`${year}-`))) return fail('year')
    if (dates.some((d) => seen.has(d))) return fail('duplicate')
    for (const d of dates) {
      seen.add(d)
      days.push({ date: d, name: rest, work })
    }
  })
  days.sort((a, b) => a.date.localeCompare(b.date))
  return { days, errors }
}

/** The days back as lines (runs of days off with the same name become one range). */
export function holidayLines(days: readonly HolidayDay[], workWord = '上班'): string {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date))
  const out: string[] = []
  let i = 0
  while (i < sorted.length) {
    const d = sorted[i]
    let j = i
    while (
      !d.work &&
      j + 1 < sorted.length &&
      !sorted[j + 1].work &&
      sorted[j + 1].name === d.name &&
      sorted[j + 1].date === addDays(sorted[j].date, 1)
    )
      j++
    const when = j > i ? `${d.date}至${sorted[j].date}` : d.date
    out.push(d.work ? `${when} ${d.name} ${workWord}` : `${when} ${d.name}`)
    i = j + 1
  }
  return out.join('\n')
}
