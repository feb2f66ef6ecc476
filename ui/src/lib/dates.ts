// Dates travel as ISO strings ("2026-12-04"); they are shown the Chinese way (2026年12月4日)
// in the zh-CN UI. Everything works on local calendar days, never on UTC timestamps.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/

export interface Ymd {
  y: number
  m: number
  d: number
}

export function parseIso(iso: string | null | undefined): Ymd | null {
  const m = ISO.exec((iso ?? '').trim())
  if (!m) return null
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const probe = new Date(y, mo - 1, d)
  if (probe.getFullYear() !== y || probe.getMonth() !== mo - 1 || probe.getDate() !== d) return null
  return { y, m: mo, d }
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** A local Date as "YYYY-MM-DD". */
export function toIso(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

export function todayIso(now: Date = new Date()): string {
  return toIso(now)
}

/** ISO date plus n calendar days (n may be negative). */
export function addDays(iso: string, n: number): string {
  const p = parseIso(iso)
  if (!p) throw new Error(`not an ISO date: ${iso}`)
  return toIso(new Date(p.y, p.m - 1, p.d + n))
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  const pa = parseIso(a)
  const pb = parseIso(b)
  if (!pa || !pb) return NaN
  const ua = Date.UTC(pa.y, pa.m - 1, pa.d)
  const ub = Date.UTC(pb.y, pb.m - 1, pb.d)
  return Math.round((ub - ua) / 86_400_000)
}

/** The default window of a new campaign: today and the six days after (one week). */
export function defaultCampaignDates(now: Date = new Date()): { start_date: string; end_date: string } {
  const start = todayIso(now)
  return { start_date: start, end_date: addDays(start, 6) }
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function isZh(locale: string): boolean {
  return !locale.toLowerCase().startsWith('en')
}

/** "2026年12月4日" (zh-CN) or "4 Dec 2026" (en). Unparseable input is returned as is. */
export function formatDate(iso: string | null | undefined, locale = 'zh-CN'): string {
  const p = parseIso(iso)
  if (!p) return iso ?? ''
  return isZh(locale) ? `${p.y}年${p.m}月${p.d}日` : `${p.d} ${EN_MONTHS[p.m - 1]} ${p.y}`
}

/**
 * "2026年12月1日—12月7日": the end omits the year when it is the same year;
 * "2026年12月28日—2027年1月3日" across years; a single day is shown once.
 */
export function formatRange(start: string, end: string, locale = 'zh-CN'): string {
  const a = parseIso(start)
  const b = parseIso(end)
  if (!a || !b) return [start, end].filter(Boolean).join(' — ')
  if (start === end) return formatDate(start, locale)
  if (isZh(locale)) {
    const tail = a.y === b.y ? `${b.m}月${b.d}日` : `${b.y}年${b.m}月${b.d}日`
    return `${formatDate(start, locale)}—${tail}`
  }
  const head = a.y === b.y ? `${a.d} ${EN_MONTHS[a.m - 1]}` : formatDate(start, locale)
  return `${head} – ${formatDate(end, locale)}`
}

/** "2026-12-04T08:30:00Z"-like timestamps → "2026年12月4日 16:30" in local time. */
export function formatTimestamp(ts: string | null | undefined, locale = 'zh-CN'): string {
  if (!ts) return ''
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return ts
  return `${formatDate(toIso(d), locale)} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Display format for Element Plus date pickers. */
export function pickerFormat(locale: string): string {
  return isZh(locale) ? 'YYYY年M月D日' : 'YYYY-MM-DD'
}

/** Where a campaign stands relative to today. */
export type CampaignTiming = 'running' | 'upcoming' | 'finished' | 'later'

export function campaignTiming(start: string, end: string, today: string, horizonDays = 30): CampaignTiming {
  if (end < today) return 'finished'
  if (start <= today) return 'running'
  return daysBetween(today, start) <= horizonDays ? 'upcoming' : 'later'
}

const ZH_WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']
const EN_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** Day of the week the Chinese way: Monday = 1 … Sunday = 7 (NaN for bad input). */
export function weekdayOf(iso: string): number {
  const p = parseIso(iso)
  if (!p) return NaN
  const js = new Date(p.y, p.m - 1, p.d).getDay()
  return js === 0 ? 7 : js
}

/** "星期五" / "Fri" for a weekday 1 (Monday) … 7 (Sunday). */
export function weekdayName(weekday: number, locale = 'zh-CN'): string {
  const i = weekday % 7
  return isZh(locale) ? ZH_WEEKDAYS[i] : EN_WEEKDAYS[i]
}

/** "2026年12月4日 星期五" (zh-CN) or "Fri 4 Dec 2026" (en). */
export function formatDateWeek(iso: string | null | undefined, locale = 'zh-CN'): string {
  const p = parseIso(iso)
  if (!p) return iso ?? ''
  const wd = weekdayName(weekdayOf(iso as string), locale)
  return isZh(locale) ? `${formatDate(iso, locale)} ${wd}` : `${wd} ${formatDate(iso, locale)}`
}

/** "12月4日" / "4 Dec": a day within a year that is shown elsewhere. */
export function formatMonthDay(iso: string | null | undefined, locale = 'zh-CN'): string {
  const p = parseIso(iso)
  if (!p) return iso ?? ''
  return isZh(locale) ? `${p.m}月${p.d}日` : `${p.d} ${EN_MONTHS[p.m - 1]}`
}

/** A date in a list: "12月4日" in this year, "2016年1月1日" in another (a county's queue spans years). */
export function formatListDate(iso: string | null | undefined, locale = 'zh-CN', today: string = todayIso()): string {
  return iso?.slice(0, 4) === today.slice(0, 4) ? formatMonthDay(iso, locale) : formatDate(iso, locale)
}

/** A range inside one known year without the year: "12月1日—12月7日", a single day once. */
export function formatMonthDayRange(start: string, end: string, locale = 'zh-CN'): string {
  if (start === end) return formatMonthDay(start, locale)
  const a = parseIso(start)
  const b = parseIso(end)
  if (a && b && a.y !== b.y) return formatRange(start, end, locale)
  return `${formatMonthDay(start, locale)}${isZh(locale) ? '—' : ' – '}${formatMonthDay(end, locale)}`
}

/** The Monday of the Monday–Sunday week holding `iso`. */
export function mondayOf(iso: string): string {
  return addDays(iso, 1 - weekdayOf(iso))
}

/**
 * The year a planner most likely wants: from October on, next year (the plan for next year is
 * drawn up in the fourth quarter); otherwise this year.
 */
export function defaultPlanYear(now: Date = new Date()): number {
  return now.getMonth() >= 9 ? now.getFullYear() + 1 : now.getFullYear()
}

/** "09:00—11:30", "09:00", or '' for an all-day activity. */
export function formatTimeRange(start: string | null | undefined, end: string | null | undefined): string {
  if (!start) return ''
  return end ? `${start}—${end}` : start
}

/** "12月4日 星期五" / "Fri 4 Dec": a day of the current week or year. */
export function formatMonthDayWeek(iso: string, locale = 'zh-CN'): string {
  const wd = weekdayName(weekdayOf(iso), locale)
  return isZh(locale) ? `${formatMonthDay(iso, locale)} ${wd}` : `${wd} ${formatMonthDay(iso, locale)}`
}
