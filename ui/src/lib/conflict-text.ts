// A planning warning in the UI's language. The core words it in Chinese (`message`, also what
// the CLI prints) and sends its parts (`params`); English is worded here from those parts.
import type { Conflict } from '../bindings/Conflict'
import EN from '../locales/en/conflicts.json'
import { formatDate, formatDateWeek } from './dates'
import { holidayName } from './catalogue-text'

type Key = keyof typeof EN

function fill(key: Key, values: Record<string, string>): string {
  return EN[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')
}

/** "days ending in 3, 6 and 9" (0 stands for the 10th, 20th and 30th). */
function digitList(digits: readonly number[]): string {
  const words = digits.map(String)
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : (words[0] ?? '')
}

/** The warning's text: the core's Chinese, or English from its parts. */
export function conflictMessage(c: Conflict, locale: string): string {
  if (!locale.toLowerCase().startsWith('en')) return c.message
  const p = c.params
  const en = 'en'
  const base = { title: c.activity_title, other: c.other_title ?? '', date: formatDateWeek(c.date, en) }
  switch (c.kind) {
    case 'person_double':
      return fill('person_double', {
        ...base,
        person: p.person ?? EN.samePerson,
        time: p.time ?? EN.allDay,
        otherTime: p.other_time ?? EN.allDay,
      })
    case 'venue_double':
      return fill('venue_double', { ...base, unit: p.unit ?? '', venue: p.venue ?? '' }).trimStart()
    case 'village_half_day':
      return fill('village_half_day', { ...base, unit: p.unit ?? '', half: p.afternoon ? EN.afternoon : EN.morning })
    case 'outside_campaign':
      return fill('outside_campaign', {
        ...base,
        date: formatDate(c.date, en),
        campaign: p.campaign ?? '',
        start: formatDate(p.campaign_start, en),
        end: formatDate(p.campaign_end, en),
      })
    case 'holiday':
      return fill('holiday', { ...base, holiday: holidayName(p.holiday ?? '', en) })
    case 'school_break':
      return fill('school_break', {
        ...base,
        break: p.school_break === 'summer' ? EN.summer : EN.winter,
        start: formatDate(p.break_start, en),
        end: formatDate(p.break_end, en),
        estimated: p.break_estimated ? EN.estimated : '',
      })
    case 'weekend': {
      const market =
        p.market_lunar == null
          ? ''
          : fill('market', {
              unit: p.unit ?? '',
              calendar: p.market_lunar ? EN.lunar : EN.solar,
              digits: digitList(p.market_digits),
              kept: p.market_kept ? EN.kept : '',
            })
      return fill('weekend', { ...base, who: p.school ? EN.noLessons : EN.notWorkday, market })
    }
  }
}
