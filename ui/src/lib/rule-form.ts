// Local 普法 nodes: a friendly form for a date rule (fixed day, n-th weekday, lunar date …)
// and the LocalNodeInput it becomes.
import type { DateRule } from '../bindings/DateRule'
import type { SchoolEvent } from '../bindings/SchoolEvent'
import type { KeyDateNode } from '../bindings/KeyDateNode'
import type { LocalNodeInput } from '../bindings/LocalNodeInput'

export type RuleKind = DateRule['kind']
export const RULE_KINDS: readonly RuleKind[] = [
  'fixed',
  'nth_weekday',
  'last_weekday',
  'month',
  'lunar',
  'solar_term',
  'week_of',
  'school',
]

/** The days of the county's school calendar a rule may follow. */
export const SCHOOL_EVENTS: readonly SchoolEvent[] = ['spring_term', 'autumn_term', 'winter_break', 'summer_break']
const SCHOOL_EVENT_ZH: Record<SchoolEvent, string> = {
  spring_term: '春季开学日',
  autumn_term: '秋季开学日',
  winter_break: '寒假首日',
  summer_break: '暑假首日',
}
const SCHOOL_EVENT_EN: Record<SchoolEvent, string> = {
  spring_term: 'the first day of the spring term',
  autumn_term: 'the first day of the autumn term',
  winter_break: 'the first day of the winter break',
  summer_break: 'the first day of the summer break',
}

export const SOLAR_TERMS = [
  '小寒', '大寒', '立春', '雨水', '惊蛰', '春分', '清明', '谷雨', '立夏', '小满', '芒种', '夏至',
  '小暑', '大暑', '立秋', '处暑', '白露', '秋分', '寒露', '霜降', '立冬', '小雪', '大雪', '冬至',
] as const

export interface RuleForm {
  kind: RuleKind
  month: number
  day: number
  n: number
  weekday: number
  leap: boolean
  term: string
  event: SchoolEvent
  /** Days after (negative: before) the school-calendar day. */
  offset: number
}

export function blankRule(): RuleForm {
  return { kind: 'fixed', month: 1, day: 1, n: 1, weekday: 1, leap: false, term: '清明', event: 'spring_term', offset: 0 }
}

export function ruleToForm(r: DateRule): RuleForm {
  const f = blankRule()
  f.kind = r.kind
  switch (r.kind) {
    case 'fixed':
    case 'week_of':
      f.month = r.month
      f.day = r.day
      break
    case 'nth_weekday':
      f.month = r.month
      f.n = r.n
      f.weekday = r.weekday
      break
    case 'last_weekday':
      f.month = r.month
      f.weekday = r.weekday
      break
    case 'month':
      f.month = r.month
      break
    case 'lunar':
      f.month = r.month
      f.day = r.day
      f.leap = r.leap
      break
    case 'solar_term':
      f.term = r.term
      break
    case 'school':
      f.event = r.event
      f.offset = r.offset
      break
  }
  return f
}

export function formToRule(f: RuleForm): DateRule {
  switch (f.kind) {
    case 'fixed':
      return { kind: 'fixed', month: f.month, day: f.day }
    case 'week_of':
      return { kind: 'week_of', month: f.month, day: f.day }
    case 'nth_weekday':
      return { kind: 'nth_weekday', month: f.month, n: f.n, weekday: f.weekday }
    case 'last_weekday':
      return { kind: 'last_weekday', month: f.month, weekday: f.weekday }
    case 'month':
      return { kind: 'month', month: f.month }
    case 'lunar':
      return { kind: 'lunar', month: f.month, day: f.day, leap: f.leap }
    case 'solar_term':
      return { kind: 'solar_term', term: f.term }
    case 'school':
      return { kind: 'school', event: f.event, offset: Math.round(Number(f.offset) || 0) }
  }
}

const ZH_WD = ['一', '二', '三', '四', '五', '六', '日']
const ZH_NTH = ['一', '二', '三', '四', '五']
const LUNAR_MONTHS = ['正', '二', '三', '四', '五', '六', '七', '八', '九', '十', '冬', '腊']
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const EN_WD = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const EN_NTH = ['1st', '2nd', '3rd', '4th', '5th']
/** The 24 solar terms in English, in the order of SOLAR_TERMS. */
const EN_SOLAR_TERMS = [
  'Minor Cold', 'Major Cold', 'Start of Spring', 'Rain Water', 'Awakening of Insects', 'Spring Equinox',
  'Pure Brightness (Qingming)', 'Grain Rain', 'Start of Summer', 'Grain Buds', 'Grain in Ear', 'Summer Solstice',
  'Minor Heat', 'Major Heat', 'Start of Autumn', 'End of Heat', 'White Dew', 'Autumn Equinox',
  'Cold Dew', 'Frost’s Descent', 'Start of Winter', 'Minor Snow', 'Major Snow', 'Winter Solstice',
]

function ordinal(n: number): string {
  const tens = n % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}

/** A solar term's name in the UI's language ("秋分", "Autumn Equinox"). */
export function solarTermName(term: string, locale = 'zh-CN'): string {
  if (!locale.toLowerCase().startsWith('en')) return term
  const i = (SOLAR_TERMS as readonly string[]).indexOf(term)
  return i < 0 ? term : EN_SOLAR_TERMS[i]
}

/** 初一 … 三十. */
export function lunarDayName(day: number): string {
  const digits = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九']
  if (day >= 1 && day <= 10) return `初${day === 10 ? '十' : digits[day]}`
  if (day < 20) return `十${digits[day - 10]}`
  if (day === 20) return '二十'
  if (day < 30) return `廿${digits[day - 20]}`
  if (day === 30) return '三十'
  return `${day}日`
}

export function lunarMonthName(month: number): string {
  return `${LUNAR_MONTHS[month - 1] ?? '?'}月`
}

/** The rule in words, the way the core describes it ("9月第三个星期六", "农历九月初九"). */
export function describeRule(r: DateRule, locale = 'zh-CN'): string {
  const zh = !locale.toLowerCase().startsWith('en')
  switch (r.kind) {
    case 'fixed':
      return zh ? `${r.month}月${r.day}日` : `${r.day} ${EN_MONTHS[r.month - 1]}`
    case 'week_of':
      return zh ? `含${r.month}月${r.day}日的一周（周一至周日）` : `the Mon–Sun week of ${r.day} ${EN_MONTHS[r.month - 1]}`
    case 'nth_weekday':
      return zh
        ? `${r.month}月第${ZH_NTH[r.n - 1] ?? '?'}个星期${ZH_WD[r.weekday - 1] ?? '?'}`
        : `${EN_NTH[r.n - 1] ?? '?'} ${EN_WD[r.weekday - 1] ?? '?'} of ${EN_MONTHS[r.month - 1]}`
    case 'last_weekday':
      return zh
        ? `${r.month}月最后一个星期${ZH_WD[r.weekday - 1] ?? '?'}`
        : `last ${EN_WD[r.weekday - 1] ?? '?'} of ${EN_MONTHS[r.month - 1]}`
    case 'month':
      return zh ? `${r.month}月` : `all of ${EN_MONTHS[r.month - 1]}`
    case 'lunar': {
      const text = `农历${r.leap ? '闰' : ''}${lunarMonthName(r.month)}${lunarDayName(r.day)}`
      return zh ? text : `the ${ordinal(r.day)} day of the ${r.leap ? 'leap ' : ''}${ordinal(r.month)} lunar month`
    }
    case 'solar_term':
      return zh ? r.term : `the solar term ${solarTermName(r.term, locale)}`
    case 'school': {
      if (zh) {
        const base = SCHOOL_EVENT_ZH[r.event]
        const shift = r.offset === 0 ? '' : r.offset < 0 ? `前${-r.offset}天` : `后${r.offset}天`
        return `${base}${shift}（按校历）`
      }
      const base = SCHOOL_EVENT_EN[r.event]
      if (r.offset === 0) return `${base} (school calendar)`
      const n = Math.abs(r.offset)
      return `${n} day${n === 1 ? '' : 's'} ${r.offset < 0 ? 'before' : 'after'} ${base} (school calendar)`
    }
  }
}

/** The label of a school-calendar day ("春季开学日"). */
export function schoolEventName(e: SchoolEvent, locale = 'zh-CN'): string {
  return locale.toLowerCase().startsWith('en') ? SCHOOL_EVENT_EN[e] : SCHOOL_EVENT_ZH[e]
}

export type EndMode = 'none' | 'rule' | 'days'

export interface NodeForm {
  name: string
  start: RuleForm
  endMode: EndMode
  end: RuleForm
  days: number
  announced: boolean
  before: number
  after: number
  laws: string[]
  audiences: string[]
  lead_agency: string
  note: string
}

export function blankNodeForm(): NodeForm {
  return {
    name: '',
    start: blankRule(),
    endMode: 'none',
    end: blankRule(),
    days: 7,
    announced: false,
    before: 0,
    after: 0,
    laws: [],
    audiences: [],
    lead_agency: '',
    note: '',
  }
}

export function nodeToForm(n: KeyDateNode): NodeForm {
  return {
    name: n.name,
    start: ruleToForm(n.start),
    endMode: n.end ? 'rule' : n.days ? 'days' : 'none',
    end: n.end ? ruleToForm(n.end) : blankRule(),
    days: n.days ?? 7,
    announced: n.announced,
    before: n.window.before,
    after: n.window.after,
    laws: [...n.laws],
    audiences: [...n.audiences],
    lead_agency: n.lead_agency,
    note: n.note,
  }
}

export function nodeFormToInput(f: NodeForm): LocalNodeInput {
  return {
    name: f.name,
    start: formToRule(f.start),
    end: f.endMode === 'rule' ? formToRule(f.end) : null,
    days: f.endMode === 'days' ? Math.round(Number(f.days) || 0) : null,
    announced: f.announced,
    window: { before: Math.max(0, Math.round(Number(f.before) || 0)), after: Math.max(0, Math.round(Number(f.after) || 0)) },
    laws: [...f.laws],
    audiences: [...f.audiences],
    lead_agency: f.lead_agency.trim() || null,
    note: f.note.trim() || null,
  }
}
