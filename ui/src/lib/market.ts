// Market days (赶集日): a village's cycle of the month, as the core reads it — "农历1/4/7" —
// and as a cadre says it — "农历逢一、四、七".
import type { MarketCycle } from '../bindings/MarketCycle'

/** The digits a cycle may use: 1–9 and 0 (the 10th, 20th and 30th). */
export const MARKET_DIGITS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0] as const
const NUMERALS = ['十', '一', '二', '三', '四', '五', '六', '七', '八', '九']

export type MarketCalendar = 'none' | 'lunar' | 'solar'

/** The text the core stores ("农历1/4/7"); empty when there is no market. */
export function marketText(calendar: MarketCalendar, digits: readonly number[]): string {
  if (calendar === 'none' || !digits.length) return ''
  const sorted = [...new Set(digits)].sort((a, b) => a - b)
  return `${calendar === 'lunar' ? '农历' : '公历'}${sorted.join('/')}`
}

/** "农历逢一、四、七" (zh) or "lunar days ending in 1, 4, 7" (en). */
export function describeMarket(c: MarketCycle | null | undefined, locale = 'zh-CN'): string {
  if (!c || !c.digits.length) return ''
  if (locale.toLowerCase().startsWith('en')) {
    const days = c.digits.map((d) => (d === 0 ? '10' : String(d))).join(', ')
    return `${c.lunar ? 'lunar' : 'solar'} days ending in ${days}`
  }
  return `${c.lunar ? '农历' : '公历'}逢${c.digits.map((d) => NUMERALS[d % 10]).join('、')}`
}

/** The digit's label in the picker: 逢一 … 逢十. */
export function digitLabel(d: number, locale = 'zh-CN'): string {
  return locale.toLowerCase().startsWith('en') ? (d === 0 ? '10/20/30' : String(d)) : `逢${NUMERALS[d % 10]}`
}
