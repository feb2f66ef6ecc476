import { describe, expect, it } from 'vitest'
import catalogue from '../../../crates/pufa-core/data/keydates.json'
import templates from '../../../crates/pufa-core/data/templates.json'
import fixtures from '../dev/fixtures.json'
import type { KeyDate } from '../bindings/KeyDate'
import { THEME_SUGGESTIONS, STOCK_UNITS } from './enums'
import {
  ENGLISH_HOLIDAY_NAMES,
  ENGLISH_LAW_NAMES,
  ENGLISH_STOCK_UNITS,
  ENGLISH_TEMPLATE_KEYS,
  templateText,
  holidayName,
  keydateRule,
  keydateTheme,
  keydateThemeDraft,
  lawList,
  lawName,
  quantityText,
  ruleInEnglish,
  stockUnitName,
} from './catalogue-text'
import { describeRule, SOLAR_TERMS } from './rule-form'

const HAN = /[\u3400-\u9fff]/
const byYear = fixtures.keydates as unknown as Record<string, KeyDate[]>
const keydates = Object.values(byYear).flat()

/** Every law or theme named in a JSON tree under `laws` or `themes`. */
function lawsIn(tree: unknown, out = new Set<string>(), key = ''): Set<string> {
  if (Array.isArray(tree)) for (const v of tree) typeof v === 'string' && /laws|themes/.test(key) ? out.add(v) : lawsIn(v, out, key)
  else if (tree && typeof tree === 'object') for (const [k, v] of Object.entries(tree)) lawsIn(v, out, k)
  return out
}

describe('the national catalogue in English', () => {
  it('every law of the catalogue, the templates and the usual list has an English name', () => {
    const laws = new Set([...lawsIn(catalogue), ...lawsIn(templates), ...THEME_SUGGESTIONS])
    expect(laws.size).toBeGreaterThan(40)
    for (const l of laws) expect(ENGLISH_LAW_NAMES, l).toContain(l)
    for (const l of ENGLISH_LAW_NAMES) expect(lawName(l, 'en'), l).not.toMatch(HAN)
  })

  it('laws: English by name, the user’s own words and Chinese as they are', () => {
    expect(lawName('民法典', 'en')).toBe('Civil Code')
    expect(lawName('民法典', 'zh-CN')).toBe('民法典')
    expect(lawName('村规民约', 'en')).toBe('村规民约')
    expect(lawList(['宪法', '民法典'], 'en')).toBe('Constitution, Civil Code')
    expect(lawList(['宪法', '民法典'], 'zh-CN')).toBe('宪法、民法典')
  })

  it('every key date of a year has its rule in English, without Chinese', () => {
    expect(byYear['2027'].length).toBeGreaterThan(30)
    for (const k of keydates) {
      expect(keydateRule(k, 'zh-CN')).toBe(k.rule)
      expect(keydateRule(k, 'en'), k.code).not.toMatch(HAN)
    }
    const week = byYear['2027'].find((k) => k.code === 'constitution_week')!
    expect(keydateRule(week, 'en')).toBe('1 Dec to 7 Dec (published each year; this is the default)')
  })

  it('rules word ranges, lengths, lunar days, solar terms and school days in English', () => {
    expect(
      ruleInEnglish({ start: { kind: 'nth_weekday', month: 9, n: 2, weekday: 1 }, end: null, days: 7, announced: true }),
    ).toBe('7 days from 2nd Monday of Sep (published each year; this is the default)')
    expect(
      ruleInEnglish({
        start: { kind: 'school', event: 'winter_break', offset: -14 },
        end: { kind: 'school', event: 'winter_break', offset: -1 },
        days: null,
        announced: false,
      }),
    ).toBe('14 days before the first day of the winter break to 1 day before the first day of the winter break (school calendar)')
    expect(describeRule({ kind: 'lunar', month: 1, day: 8, leap: false }, 'en')).toBe('the 8th day of the 1st lunar month')
    expect(describeRule({ kind: 'lunar', month: 9, day: 9, leap: false }, 'en')).toBe('the 9th day of the 9th lunar month')
    for (const term of SOLAR_TERMS) expect(describeRule({ kind: 'solar_term', term }, 'en'), term).not.toMatch(HAN)
    expect(describeRule({ kind: 'solar_term', term: '秋分' }, 'en')).toBe('the solar term Autumn Equinox')
  })

  it('published themes in English; a theme the town typed stays as typed', () => {
    const week = byYear['2027'].find((k) => k.code === 'constitution_week')!
    const themed = { theme: '大力弘扬宪法精神，建设社会主义法治文化', theme_en: 'Carry forward the spirit of the Constitution' }
    expect(keydateTheme(themed, 'en')).toBe(themed.theme_en)
    expect(keydateTheme(themed, 'zh-CN')).toBe(themed.theme)
    expect(keydateTheme({ theme: '本镇自定主题', theme_en: '' }, 'en')).toBe('本镇自定主题')
    expect(week.theme_draft).toMatch(HAN)
    expect(keydateThemeDraft(week, 'en')).toMatch(/Constitution/)
    for (const o of catalogue.overrides as { theme?: string; theme_en?: string }[]) {
      if (o.theme) expect(o.theme_en ?? '', o.theme).not.toMatch(HAN)
    }
  })

  it('statutory holidays and units of count in English', () => {
    const holidays = Object.values(fixtures.holidays as Record<string, { days: { name: string }[] }>).flatMap((y) => y.days)
    expect(holidays.length).toBeGreaterThan(20)
    for (const h of holidays) expect(ENGLISH_HOLIDAY_NAMES, h.name).toContain(h.name)
    expect(holidayName('春节', 'en')).toBe('Spring Festival')
    expect(holidayName('春节', 'zh-CN')).toBe('春节')
    expect(ENGLISH_STOCK_UNITS).toEqual([...STOCK_UNITS])
    expect(stockUnitName('册', 'en')).toBe('booklets')
    expect(stockUnitName('册', 'en', 1)).toBe('booklet')
    expect(quantityText(24, '册', 'en')).toBe('24 booklets')
    expect(quantityText(24, '册', 'zh-CN')).toBe('24册')
  })

  it('built-in plan templates in English, the town’s own as typed', () => {
    const keys = (templates as { templates: { key: string }[] }).templates.map((t) => t.key)
    expect(ENGLISH_TEMPLATE_KEYS.sort()).toEqual([...keys].sort())
    const own = { key: 'x', builtin: false, name: '赶集日普法', description: '', campaign_name: '{year}年赶集日普法' }
    expect(templateText(own, 'en')).toEqual({ name: '赶集日普法', description: '{year}年赶集日普法' })
    const week = { key: 'constitution_week', builtin: true, name: '12·4宪法宣传周', description: '宪法宣传周', campaign_name: '' }
    expect(templateText(week, 'en').name).toBe('12·4 Constitution Week')
    expect(templateText(week, 'zh-CN').name).toBe('12·4宪法宣传周')
  })
})
