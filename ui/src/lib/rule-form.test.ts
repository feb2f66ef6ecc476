import { describe, expect, it } from 'vitest'
import { blankNodeForm, describeRule, formToRule, lunarDayName, nodeFormToInput, ruleToForm } from './rule-form'
import type { DateRule } from '../bindings/DateRule'

describe('date rule form', () => {
  it('round-trips every kind of rule', () => {
    const rules: DateRule[] = [
      { kind: 'fixed', month: 4, day: 15 },
      { kind: 'nth_weekday', month: 9, n: 3, weekday: 6 },
      { kind: 'last_weekday', month: 3, weekday: 1 },
      { kind: 'month', month: 5 },
      { kind: 'lunar', month: 9, day: 9, leap: false },
      { kind: 'solar_term', term: '秋分' },
      { kind: 'week_of', month: 12, day: 4 },
      { kind: 'school', event: 'winter_break', offset: -14 },
    ]
    for (const r of rules) expect(formToRule(ruleToForm(r))).toEqual(r)
  })

  it('describes rules as the core does', () => {
    expect(describeRule({ kind: 'nth_weekday', month: 9, n: 3, weekday: 6 })).toBe('9月第三个星期六')
    expect(describeRule({ kind: 'last_weekday', month: 3, weekday: 1 })).toBe('3月最后一个星期一')
    expect(describeRule({ kind: 'lunar', month: 9, day: 9, leap: false })).toBe('农历九月初九')
    expect(describeRule({ kind: 'lunar', month: 1, day: 8, leap: false })).toBe('农历正月初八')
    expect(describeRule({ kind: 'week_of', month: 12, day: 4 })).toBe('含12月4日的一周（周一至周日）')
    expect(describeRule({ kind: 'fixed', month: 4, day: 15 }, 'en')).toBe('15 Apr')
    expect(describeRule({ kind: 'school', event: 'spring_term', offset: 0 })).toBe('春季开学日（按校历）')
    expect(describeRule({ kind: 'school', event: 'winter_break', offset: -14 })).toBe('寒假首日前14天（按校历）')
    expect(describeRule({ kind: 'school', event: 'summer_break', offset: -1 }, 'en')).toBe(
      '1 day before the first day of the summer break (school calendar)',
    )
    expect([1, 10, 11, 20, 21, 30].map(lunarDayName)).toEqual(['初一', '初十', '十一', '二十', '廿一', '三十'])
  })

  it('sends an end rule or a number of days, never both', () => {
    const f = { ...blankNodeForm(), name: '法治赶集日', endMode: 'days' as const, days: 3, before: 2, after: 1 }
    const input = nodeFormToInput(f)
    expect(input.end).toBeNull()
    expect(input.days).toBe(3)
    expect(input.window).toEqual({ before: 2, after: 1 })
    expect(input.lead_agency).toBeNull()
    const withEnd = nodeFormToInput({ ...f, endMode: 'rule', end: ruleToForm({ kind: 'fixed', month: 12, day: 7 }) })
    expect(withEnd.days).toBeNull()
    expect(withEnd.end).toEqual({ kind: 'fixed', month: 12, day: 7 })
    expect(nodeFormToInput({ ...f, endMode: 'none' })).toMatchObject({ end: null, days: null })
  })
})
