import { describe, expect, it } from 'vitest'
import {
  addDays,
  campaignTiming,
  daysBetween,
  formatListDate,
  defaultCampaignDates,
  formatDate,
  formatRange,
  parseIso,
  todayIso,
} from './dates'

describe('Chinese dates', () => {
  it('formats a single date the Chinese way', () => {
    expect(formatDate('2026-12-04')).toBe('2026年12月4日')
    expect(formatDate('2026-01-09')).toBe('2026年1月9日')
    expect(formatDate('2026-12-04', 'en')).toBe('4 Dec 2026')
  })

  it('omits the year of the end date within one year', () => {
    expect(formatRange('2026-12-01', '2026-12-07')).toBe('2026年12月1日—12月7日')
    expect(formatRange('2026-03-30', '2026-04-02')).toBe('2026年3月30日—4月2日')
  })

  it('keeps both years across a year end', () => {
    expect(formatRange('2026-12-28', '2027-01-03')).toBe('2026年12月28日—2027年1月3日')
    expect(formatRange('2026-12-28', '2027-01-03', 'en')).toBe('28 Dec 2026 – 3 Jan 2027')
  })

  it('shows a one-day campaign once', () => {
    expect(formatRange('2026-12-04', '2026-12-04')).toBe('2026年12月4日')
  })

  it('leaves unparseable input visible', () => {
    expect(formatDate('soon')).toBe('soon')
    expect(parseIso('2026-02-30')).toBeNull()
    expect(parseIso('2028-02-29')).toEqual({ y: 2028, m: 2, d: 29 })
  })
})

describe('date arithmetic', () => {
  it('defaults a new campaign to today and six days after', () => {
    const d = defaultCampaignDates(new Date(2026, 11, 1, 15, 30))
    expect(d).toEqual({ start_date: '2026-12-01', end_date: '2026-12-07' })
  })

  it('crosses month and year ends, and leap days', () => {
    expect(defaultCampaignDates(new Date(2026, 11, 29))).toEqual({ start_date: '2026-12-29', end_date: '2027-01-04' })
    expect(addDays('2028-02-26', 6)).toBe('2028-03-03')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })

  it('uses the local calendar day, late in the evening too', () => {
    expect(todayIso(new Date(2026, 11, 4, 23, 59))).toBe('2026-12-04')
    expect(todayIso(new Date(2026, 11, 5, 0, 1))).toBe('2026-12-05')
  })

  it('counts days and places campaigns relative to today', () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3)
    const today = '2026-12-04'
    expect(campaignTiming('2026-12-01', '2026-12-07', today)).toBe('running')
    expect(campaignTiming('2026-12-04', '2026-12-04', today)).toBe('running')
    expect(campaignTiming('2026-12-20', '2026-12-21', today)).toBe('upcoming')
    expect(campaignTiming('2027-01-03', '2027-01-04', today)).toBe('upcoming')
    expect(campaignTiming('2027-01-04', '2027-01-05', today)).toBe('later')
    expect(campaignTiming('2026-11-01', '2026-12-03', today)).toBe('finished')
  })
})

describe('formatListDate', () => {
  it('omits the year of this year only', () => {
    expect(formatListDate('2026-12-04', 'zh-CN', '2026-11-27')).toBe('12月4日')
    expect(formatListDate('2016-01-01', 'zh-CN', '2026-11-27')).toBe('2016年1月1日')
    expect(formatListDate('2016-01-01', 'en', '2026-11-27')).toBe('1 Jan 2016')
  })
})
