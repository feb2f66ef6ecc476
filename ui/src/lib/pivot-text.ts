// The 透视表's words in the UI's language. The core writes the title, the headings and the
// unit in Chinese (what the Excel export prints); in English they are worded here from the
// table's parts: the dimensions and measure (codes), the keys (month, node code, audience and
// format codes, law, unit of count) and the period. Names the user gave (villages, campaigns,
// materials) stay as they are.
import type { Dim } from '../bindings/Dim'
import type { PivotLabel } from '../bindings/PivotLabel'
import type { PivotTable } from '../bindings/PivotTable'
import EN from '../locales/en/pivot.json'
import { formatDate } from './dates'
import { lawName, stockUnitName } from './catalogue-text'
import { nodeName } from './node-names'

type T = (key: string, named?: Record<string, unknown>) => string
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const isEnglish = (locale: string) => locale.toLowerCase().startsWith('en')

/** A row or column heading; `unfilled` for the records with no value. */
export function pivotHeading(dim: Dim | null, l: PivotLabel, t: T, locale: string): string {
  if (!l.key) return t('pivot.unfilled')
  if (!isEnglish(locale)) return l.label
  switch (dim) {
    case 'month': {
      const [y, m] = l.key.split('-')
      return `${EN_MONTHS[Number(m) - 1] ?? m} ${y}`
    }
    case 'node':
      return nodeName({ code: l.key, name: l.label }, locale)
    case 'law':
      return lawName(l.key, locale)
    case 'audience':
      return t(`enums.audience.${l.key}`)
    case 'format':
      return t(`enums.activityFormat.${l.key}`)
    case 'unit':
      return stockUnitName(l.key, locale)
    case 'material':
      // "宪法读本（册）": the user's name, the unit of count in English.
      return l.label.replace(/（([^（）]+)）$/, (_, u: string) => ` (${stockUnitName(u, locale)})`)
    default:
      return l.label
  }
}

/** The measure's unit: 场次 / activities, 份、册 / copies, booklets. */
export function pivotUnit(tb: Pick<PivotTable, 'measure' | 'measure_unit'>, locale: string): string {
  if (!isEnglish(locale)) return tb.measure_unit
  if (tb.measure !== 'quantity') return EN.units[tb.measure]
  return tb.measure_unit
    .split('、')
    .filter(Boolean)
    .map((u) => stockUnitName(u, locale))
    .join(', ')
}

/** The title line: the core's Chinese, or English from the period, scope and grouping. */
export function pivotTitle(tb: PivotTable, scope: string, t: T, locale: string): string {
  if (!isEnglish(locale)) return tb.title
  const dim = (d: Dim) => t(`pivot.dim.${d}`).toLowerCase()
  return EN.title
    .replace('{from}', formatDate(tb.from, locale))
    .replace('{to}', formatDate(tb.to, locale))
    .replace('{scope}', scope || EN.wholeTown)
    .replace('{measure}', t(`pivot.measure.${tb.measure}`))
    .replace('{by}', tb.cols ? `${dim(tb.rows)} and ${dim(tb.cols)}` : dim(tb.rows))
}
