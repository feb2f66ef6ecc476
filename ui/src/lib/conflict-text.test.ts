import { describe, expect, it } from 'vitest'
import type { Conflict } from '../bindings/Conflict'
import type { ConflictParams } from '../bindings/ConflictParams'
import { CONFLICT_KINDS } from './enums'
import { conflictMessage } from './conflict-text'

const HAN = /[\u3400-\u9fff]/
const NONE: ConflictParams = {
  person: null,
  time: null,
  other_time: null,
  unit: null,
  venue: null,
  afternoon: false,
  campaign: null,
  campaign_start: null,
  campaign_end: null,
  holiday: null,
  school_break: null,
  break_start: null,
  break_end: null,
  break_estimated: false,
  school: false,
  market_lunar: null,
  market_digits: [],
  market_kept: false,
}

function conflict(kind: Conflict['kind'], params: Partial<ConflictParams>): Conflict {
  return {
    kind,
    a: 'a1',
    b: 'a2',
    activity_id: 'a1',
    activity_title: 'Lecture',
    other_activity_id: 'a2',
    other_title: 'Quiz',
    campaign_id: null,
    date: '2026-10-03',
    message: '中文提醒',
    params: { ...NONE, ...params },
    ignored: false,
  }
}

describe('planning warnings in English', () => {
  it('are worded from their parts; Chinese is the core’s message', () => {
    const c = conflict('person_double', { person: 'Li', time: '09:00—11:30' })
    expect(conflictMessage(c, 'zh-CN')).toBe('中文提醒')
    expect(conflictMessage(c, 'en')).toBe('Li is in charge of both “Lecture” (09:00—11:30) and “Quiz” (all day)')
  })

  it('every kind has an English wording without Chinese (but the user’s names)', () => {
    const params: Record<Conflict['kind'], Partial<ConflictParams>> = {
      person_double: { person: 'Li' },
      venue_double: { unit: 'Anjing', venue: 'Hall' },
      village_half_day: { unit: 'Anjing', afternoon: true },
      outside_campaign: { campaign: 'Week', campaign_start: '2026-12-01', campaign_end: '2026-12-07' },
      holiday: { holiday: '国庆节' },
      school_break: { school_break: 'summer', break_start: '2026-07-11', break_end: '2026-08-31', break_estimated: true },
      weekend: { unit: 'Anjing', market_lunar: true, market_digits: [3, 6, 9], market_kept: true },
    }
    for (const kind of CONFLICT_KINDS) {
      const text = conflictMessage(conflict(kind, params[kind]), 'en')
      expect(text, kind).not.toMatch(HAN)
      expect(text, kind).toContain('Lecture')
    }
    expect(conflictMessage(conflict('holiday', params.holiday), 'en')).toContain('National Day holiday')
    expect(conflictMessage(conflict('village_half_day', params.village_half_day), 'en')).toContain('afternoon')
    expect(conflictMessage(conflict('weekend', params.weekend), 'en')).toBe(
      '“Lecture” is on Sat 3 Oct 2026, a weekend: not a working day; it is Anjing’s market day (days of the lunar month ending in 3, 6 and 9), a street campaign can keep the day',
    )
    expect(conflictMessage(conflict('school_break', params.school_break), 'en')).toContain('summer break (11 Jul 2026 – 31 Aug 2026, estimated)')
  })
})
