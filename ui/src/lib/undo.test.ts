import { describe, expect, it } from 'vitest'
import { placeOf, UndoStack } from './undo'

const entry = (id: string, date: string) => ({ label: id, back: { id, date, start_time: '09:00', end_time: null } })

describe('undo stack', () => {
  it('gives the latest move back first', () => {
    const s = new UndoStack()
    s.push(entry('a', '2026-12-01'))
    s.push(entry('b', '2026-12-02'))
    expect(s.size).toBe(2)
    expect(s.peek()?.back.id).toBe('b')
    expect(s.pop()?.back.id).toBe('b')
    expect(s.pop()?.back.id).toBe('a')
    expect(s.pop()).toBeUndefined()
    expect(s.size).toBe(0)
  })

  it('keeps only the last moves', () => {
    const s = new UndoStack(3)
    for (const d of ['01', '02', '03', '04']) s.push(entry(d, `2026-12-${d}`))
    expect(s.size).toBe(3)
    expect([s.pop(), s.pop(), s.pop()].map((e) => e?.back.id)).toEqual(['04', '03', '02'])
  })

  it('forgets moves of a deleted activity', () => {
    const s = new UndoStack()
    s.push(entry('a', '2026-12-01'))
    s.push(entry('b', '2026-12-02'))
    s.push(entry('a', '2026-12-03'))
    s.forget('a')
    expect(s.size).toBe(1)
    expect(s.peek()?.back.id).toBe('b')
  })

  it('remembers where an activity was, times included', () => {
    expect(placeOf({ id: 'x', date: '2026-12-04', start_time: null, end_time: null })).toEqual({
      id: 'x',
      date: '2026-12-04',
      start_time: null,
      end_time: null,
    })
  })
})
