import { describe, expect, it } from 'vitest'
import { loadRemembered, newRecordDefaults, remember, REMEMBERED_KEY, type KeyValueStore } from './remembered'

function memory(initial: Record<string, string> = {}): KeyValueStore & { data: Record<string, string> } {
  const data = { ...initial }
  return {
    data,
    getItem: (k) => (k in data ? data[k] : null),
    setItem: (k, v) => {
      data[k] = v
    },
  }
}

describe('remembered record defaults', () => {
  it('remembers the village and recorder of the last saved record', () => {
    const s = memory()
    expect(loadRemembered(s)).toEqual({ unit_id: '', recorder: '' })
    remember({ unit_id: 'v2', recorder: '王小芳' }, s)
    expect(loadRemembered(s)).toEqual({ unit_id: 'v2', recorder: '王小芳' })
    expect(JSON.parse(s.data[REMEMBERED_KEY])).toEqual({ unit_id: 'v2', recorder: '王小芳' })
  })

  it('keeps the old value when a blank one is saved', () => {
    const s = memory()
    remember({ unit_id: 'v2', recorder: '王小芳' }, s)
    remember({ unit_id: '', recorder: '  ' }, s)
    expect(loadRemembered(s)).toEqual({ unit_id: 'v2', recorder: '王小芳' })
  })

  it('survives garbage and missing storage', () => {
    expect(loadRemembered(memory({ [REMEMBERED_KEY]: '{not json' }))).toEqual({ unit_id: '', recorder: '' })
    expect(loadRemembered(memory({ [REMEMBERED_KEY]: '{"unit_id": 5}' }))).toEqual({ unit_id: '', recorder: '' })
    expect(loadRemembered(null)).toEqual({ unit_id: '', recorder: '' })
    expect(() => remember({ unit_id: 'v1' }, null)).not.toThrow()
  })

  it("a new record: today's date, the remembered village if it still exists, else the cadre's own", () => {
    const now = new Date(2026, 10, 27, 20, 30)
    const known = ['v1', 'v2']
    expect(newRecordDefaults({ unit_id: 'v2', recorder: '王小芳' }, { name: '李明', unit_id: 'v1' }, known, now)).toEqual({
      date: '2026-11-27',
      unit_id: 'v2',
      recorder: '王小芳',
    })
    // The remembered village was deleted: the user's own village instead.
    expect(newRecordDefaults({ unit_id: 'gone', recorder: '' }, { name: '李明', unit_id: 'v1' }, known, now)).toEqual({
      date: '2026-11-27',
      unit_id: 'v1',
      recorder: '李明',
    })
    // A coordinator (no village) with nothing remembered: the village is left to choose.
    expect(newRecordDefaults({ unit_id: '', recorder: '' }, { name: '李明', unit_id: null }, known, now).unit_id).toBe('')
    expect(newRecordDefaults({ unit_id: '', recorder: '' }, null, known, now)).toEqual({ date: '2026-11-27', unit_id: '', recorder: '' })
  })
})
