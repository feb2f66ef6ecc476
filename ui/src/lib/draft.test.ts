import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDraftAutosave, recordDraftBody, recordDraftKey, restoreDraft, type DraftStore } from './draft'
import { blankForm, type RecordForm } from './records'

function fakeStore() {
  const calls: string[] = []
  const saved = new Map<string, unknown>()
  const store: DraftStore = {
    save: async (key, body) => {
      calls.push(`save ${key} ${JSON.stringify(body)}`)
      saved.set(key, body)
    },
    discard: async (key) => {
      calls.push(`discard ${key}`)
      saved.delete(key)
    },
  }
  return { store, calls, saved }
}

describe('draft autosave', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('saves once input has been quiet for 500 ms, with the last value', async () => {
    const { store, calls } = fakeStore()
    const a = createDraftAutosave(store)
    a.schedule('record:new', { title: '宪' })
    await vi.advanceTimersByTimeAsync(300)
    a.schedule('record:new', { title: '宪法' })
    await vi.advanceTimersByTimeAsync(300)
    a.schedule('record:new', { title: '宪法进院坝' })
    expect(a.pending).toBe(true)
    await vi.advanceTimersByTimeAsync(499)
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toEqual(['save record:new {"title":"宪法进院坝"}'])
    expect(a.pending).toBe(false)
  })

  it('flush saves at once; cancel forgets', async () => {
    const { store, calls } = fakeStore()
    const a = createDraftAutosave(store)
    a.schedule('record:r1', { n: 1 })
    await a.flush()
    expect(calls).toEqual(['save record:r1 {"n":1}'])
    a.schedule('record:r1', { n: 2 })
    a.cancel()
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls).toHaveLength(1)
    await a.flush() // nothing pending: nothing saved
    expect(calls).toHaveLength(1)
  })

  it('a discard after saving the record is never overtaken by a draft still being written', async () => {
    let release: () => void = () => undefined
    const calls: string[] = []
    const store: DraftStore = {
      save: (key) =>
        new Promise<void>((resolve) => {
          release = () => {
            calls.push(`save ${key}`)
            resolve()
          }
        }),
      discard: async (key) => {
        calls.push(`discard ${key}`)
      },
    }
    const a = createDraftAutosave(store)
    a.schedule('record:new', { title: 'x' })
    await vi.advanceTimersByTimeAsync(500) // the save is now in flight
    const discarded = a.discard('record:new')
    await vi.advanceTimersByTimeAsync(50)
    expect(calls).toEqual([]) // the discard waits for the draft being written
    release()
    await discarded
    expect(calls).toEqual(['save record:new', 'discard record:new'])
  })

  it('discard drops a scheduled draft instead of writing it', async () => {
    const { store, calls } = fakeStore()
    const a = createDraftAutosave(store)
    a.schedule('record:new', { title: 'x' })
    await a.discard('record:new')
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toEqual(['discard record:new'])
  })

  it('reports a failed save and keeps working', async () => {
    const errors: unknown[] = []
    let fail = true
    const calls: string[] = []
    const store: DraftStore = {
      save: async (key) => {
        if (fail) throw { code: 'too_long' }
        calls.push(key)
      },
      discard: async () => undefined,
    }
    const a = createDraftAutosave(store, { delay: 100, onError: (e) => errors.push(e) })
    a.schedule('k', 1)
    await vi.advanceTimersByTimeAsync(100)
    expect(errors).toEqual([{ code: 'too_long' }])
    fail = false
    a.schedule('k', 2)
    await vi.advanceTimersByTimeAsync(100)
    expect(calls).toEqual(['k'])
  })
})

describe('record drafts', () => {
  const base = (): RecordForm => blankForm({ date: '2026-11-27', unit_id: 'u1', recorder: '李明' })

  it('keys a new record and an existing one apart', () => {
    expect(recordDraftKey(null)).toBe('record:new')
    expect(recordDraftKey('')).toBe('record:new')
    expect(recordDraftKey('01ab')).toBe('record:01ab')
  })

  it('restores what was typed over the current form', () => {
    const typed = { ...base(), title: '宪法进院坝', participants: 42, formats: ['courtyard_meeting'] }
    const body = JSON.parse(JSON.stringify(recordDraftBody(typed)))
    const restored = restoreDraft(body, base())
    expect(restored).toEqual(typed)
  })

  it('fills fields an older draft did not have and ignores ones of the wrong type', () => {
    const body = { v: 1, form: { title: '普法讲座', formats: 'lecture', participants: 30, unknown_field: 1 } }
    const restored = restoreDraft(body, base())
    expect(restored?.title).toBe('普法讲座')
    expect(restored?.participants).toBe(30)
    expect(restored?.formats).toEqual([]) // a string where a list belongs is not taken
    expect(restored?.unit_id).toBe('u1')
    expect(restored).not.toHaveProperty('unknown_field')
  })

  it('refuses bodies that are not record drafts', () => {
    expect(restoreDraft(null, base())).toBeNull()
    expect(restoreDraft('text', base())).toBeNull()
    expect(restoreDraft({ title: 'no version' }, base())).toBeNull()
    expect(restoreDraft({ v: 2, form: { title: 'x' } }, base())).toBeNull()
    expect(restoreDraft({ v: 1, form: { nothing: 'known' } }, base())).toBeNull()
  })
})
