// The national catalogue's words in the UI's language: a key date's rule (from the rule as
// data the core sends with it), its theme (the catalogue's English of a published theme),
// law names and statutory holiday names. Chinese is the default and comes from the core as
// it is; what the user typed — a local node, an own theme, a law not in the list, a holiday
// named in the notice — keeps the user's words.
import type { DateRule } from '../bindings/DateRule'
import type { KeyDate } from '../bindings/KeyDate'
import LAWS_EN from '../locales/en/laws.json'
import HOLIDAYS_EN from '../locales/en/holidays.json'
import UNITS_EN from '../locales/en/units.json'
import TEMPLATES_EN from '../locales/en/templates.json'
import { describeRule } from './rule-form'

const isEnglish = (locale: string) => locale.toLowerCase().startsWith('en')

const LAWS: Record<string, string> = LAWS_EN
const HOLIDAYS: Record<string, string> = HOLIDAYS_EN
const UNITS: Record<string, string[]> = UNITS_EN

/** A node's rule as data: start, end or length, published each year. */
export interface RuleParts {
  start: DateRule
  end: DateRule | null
  days: number | null
  announced: boolean
}

const SCHOOL_CALENDAR_EN = ' (school calendar)'

/**
 * A rule in English, the way the core words it in Chinese: "1 Dec to 7 Dec (published each
 * year; this is the default)", "7 days from the 3rd Monday of Sep".
 */
export function ruleInEnglish(r: RuleParts): string {
  let text = describeRule(r.start, 'en')
  if (r.end && JSON.stringify(r.end) !== JSON.stringify(r.start)) text = `${text} to ${describeRule(r.end, 'en')}`
  else if (!r.end && r.days && r.days > 1) text = `${r.days} days from ${text}`
  // Both ends on the school calendar: say so once, at the end.
  if (text.split(SCHOOL_CALENDAR_EN).length > 2) text = text.replace(SCHOOL_CALENDAR_EN, '')
  if (r.announced) text += ' (published each year; this is the default)'
  return text
}

/** A key date's rule: the core's Chinese, or English from the rule as data. */
export function keydateRule(k: KeyDate, locale: string): string {
  if (!isEnglish(locale)) return k.rule
  return ruleInEnglish({ start: k.start_rule, end: k.end_rule, days: k.days, announced: k.announced })
}

/** This year's theme (the user's words when typed in). */
export function keydateTheme(k: Pick<KeyDate, 'theme' | 'theme_en'>, locale: string): string {
  return isEnglish(locale) && k.theme_en ? k.theme_en : k.theme
}

/** The earlier year's theme offered as a draft. */
export function keydateThemeDraft(k: Pick<KeyDate, 'theme_draft' | 'theme_draft_en'>, locale: string): string {
  return isEnglish(locale) && k.theme_draft_en ? k.theme_draft_en : k.theme_draft
}

/** A law's (or usual theme's) name; one typed in by the user stays as typed. */
export function lawName(law: string, locale: string): string {
  return isEnglish(locale) ? (LAWS[law] ?? law) : law
}

/** Laws as one line: "宪法、民法典" / "Constitution, Civil Code". */
export function lawList(laws: readonly string[], locale: string): string {
  return laws.map((l) => lawName(l, locale)).join(isEnglish(locale) ? ', ' : '、')
}

/** A statutory holiday's name (元旦 → New Year's Day); a name from the notice stays. */
export function holidayName(name: string, locale: string): string {
  return isEnglish(locale) ? (HOLIDAYS[name] ?? name) : name
}

/**
 * A materials' unit of count (份, 册 … the core's list) in the UI's language: "copies", or
 * "copy" for a count of one; Chinese as it is.
 */
export function stockUnitName(unit: string, locale: string, count?: number): string {
  if (!isEnglish(locale)) return unit
  const words = UNITS[unit]
  if (!words) return unit
  return count === 1 ? words[0] : words[1]
}

/** "24册" / "24 booklets". */
export function quantityText(quantity: number | string, unit: string, locale: string): string {
  const n = Number(quantity)
  return isEnglish(locale) ? `${quantity} ${stockUnitName(unit, locale, n)}` : `${quantity}${unit}`
}

/** The units of count that have an English name. */
export const ENGLISH_STOCK_UNITS = Object.keys(UNITS)
const TEMPLATES: Record<string, { name: string; description: string }> = TEMPLATES_EN

/** A plan template's name and description: the built-in ones in English, the town's own as typed. */
export function templateText(
  tpl: { key: string; builtin: boolean; name: string; description: string; campaign_name: string },
  locale: string,
): { name: string; description: string } {
  const en = isEnglish(locale) && tpl.builtin ? TEMPLATES[tpl.key] : undefined
  return en ?? { name: tpl.name, description: tpl.description || tpl.campaign_name }
}

/** The built-in templates that have English. */
export const ENGLISH_TEMPLATE_KEYS = Object.keys(TEMPLATES)
/** The law names that have an English name (a test checks the catalogues are covered). */
export const ENGLISH_LAW_NAMES = Object.keys(LAWS)
/** The statutory holiday names that have an English name. */
export const ENGLISH_HOLIDAY_NAMES = Object.keys(HOLIDAYS)
