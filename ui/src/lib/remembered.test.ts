import { describe, expect, it } from 'vitest'
import { loadRemembered, newRecordDefaults, remember, rememberedKey, type KeyValueStore } from './remembered'

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
  it('remembers the village of the last saved record, per data folder', () => {
    const s = memory()
    expect(loadRemembered('dev-a', s)).toEqual({ unit_id: '' })
    remember('dev-a', { unit_id: 'v2' }, s)
    expect(loadRemembered('dev-a', s)).toEqual({ unit_id: 'v2' })
    expect(JSON.parse(s.data[rememberedKey('dev-a')])).toEqual({ unit_id: 'v2' })
    // Another data folder on the same computer shares the WebView's storage, not the value.
    expect(loadRemembered('dev-b', s)).toEqual({ unit_id: '' })
  })

  it('keeps the old value when a blank one is saved', () => {
    const s = memory()
    remember('dev-a', { unit_id: 'v2' }, s)
    remember('dev-a', { unit_id: '  ' }, s)
    expect(loadRemembered('dev-a', s)).toEqual({ unit_id: 'v2' })
  })

  it('survives garbage and missing storage', () => {
    expect(loadRemembered('d', memory({ [rememberedKey('d')]: '{not json' }))).toEqual({ unit_id: '' })
    expect(loadRemembered('d', memory({ [rememberedKey('d')]: '{"unit_id": 5}' }))).toEqual({ unit_id: '' })
    expect(loadRemembered('d', null)).toEqual({ unit_id: '' })
    expect(() => remember('d', { unit_id: 'v1' }, null)).not.toThrow()
  })

  it("a new record: today's date, the remembered village if it still exists, else the cadre's own; always the current user", () => {
    const now = new Date(2026, 10, 27, 20, 30)
    const known = ['v1', 'v2']
    expect(newRecordDefaults({ unit_id: 'v2' }, { name: '李明', unit_id: 'v1' }, known, now)).toEqual({
      date: '2026-11-27',
      unit_id: 'v2',
      recorder: '李明',
    })
    // The remembered village was deleted: the user's own village instead.
    expect(newRecordDefaults({ unit_id: 'gone' }, { name: '李明', unit_id: 'v1' }, known, now)).toEqual({
      date: '2026-11-27',
      unit_id: 'v1',
      recorder: '李明',
    })
    // A coordinator (no village) with nothing remembered: the village is left to choose.
    expect(newRecordDefaults({ unit_id: '' }, { name: '李明', unit_id: null }, known, now).unit_id).toBe('')
    expect(newRecordDefaults({ unit_id: '' }, null, known, now)).toEqual({ date: '2026-11-27', unit_id: '', recorder: '' })
  })

  it('an old remembered recorder from before never overrides the current user', () => {
    const s = memory({ [rememberedKey('d')]: JSON.stringify({ unit_id: 'v1', recorder: '别人' }) })
    expect(newRecordDefaults(loadRemembered('d', s), { name: '张三', unit_id: null }, ['v1']).recorder).toBe('张三')
  })
})
