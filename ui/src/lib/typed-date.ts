// A date as people type it (issue 19): 2027-12-04, 2027.12.4, 2027/12/4, 2027年12月4日,
// 20271204, 12月4日, 12/4, 12-4, 今天/昨天/前天; full-width digits and punctuation from a
// Chinese input method too. One function, so every date box reads the same things.
import { addDays } from './dates'

export type TypedDate = { iso: string } | { error: 'empty' | 'unreadable' | 'invalid' }

const FULL_WIDTH = /[\uff01-\uff5e]/g
const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2, today: 0, yesterday: -1 }

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** y-m-d as ISO when it is a real calendar day, else null. */
function isoOf(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return d > days ? null : `${y}-${pad(m)}-${pad(d)}`
}

/**
 * Reads a typed date. Without a year, the month and day are taken in the latest year that puts
 * them at most two months after `today` (see below).
 */
export function parseTypedDate(text: string, today: string): TypedDate {
  const s = text
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3002/g, '.')
    .replace(/\s+/g, '')
    .toLowerCase()
  if (!s) return { error: 'empty' }
  if (s in RELATIVE) return { iso: addDays(today, RELATIVE[s]) }
  let m = /^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})[日号]?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (m) {
    const iso = isoOf(Number(m[1]), Number(m[2]), Number(m[3]))
    return iso ? { iso } : { error: 'invalid' }
  }
  m = /^(\d{1,2})[-./月](\d{1,2})[日号]?$/.exec(s)
  if (m) {
    const month = Number(m[1])
    const day = Number(m[2])
    const year = Number(today.slice(0, 4))
    // The latest of next, this or last year's that is not more than two months ahead: records
    // are of what was held, so "6月1日" in December is this June, "1/5" late in December the
    // coming January (which then explains it is in the future), "12/4" in January last December.
    const horizon = addDays(today, 60)
    const iso = [year + 1, year, year - 1]
      .map((y) => isoOf(y, month, day))
      .find((x): x is string => x !== null && x <= horizon)
    return iso ? { iso } : { error: 'invalid' }
  }
  return { error: 'unreadable' }
}

/** What is wrong with a typed date for something that already happened (a record), if anything. */
export function pastDateProblem(text: string, today: string): { iso: string | null; problem: 'unreadable' | 'invalid' | 'future' | null } {
  const r = parseTypedDate(text, today)
  if ('error' in r) return { iso: null, problem: r.error === 'empty' ? null : r.error }
  return { iso: r.iso, problem: r.iso > today ? 'future' : null }
}
