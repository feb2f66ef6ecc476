// Undo for calendar moves: each drag & drop pushes how to move the activity back.
import type { CalendarItem } from '../bindings/CalendarItem'

export interface Reschedule {
  id: string
  date: string
  start_time: string | null
  end_time: string | null
}

export interface UndoEntry {
  /** What the user sees: "已将“…”改到 12月3日". */
  label: string
  /** The reschedule that puts things back. */
  back: Reschedule
}

/** Where an activity is now, as a reschedule that would put it back there. */
export function placeOf(a: Pick<CalendarItem, 'id' | 'date' | 'start_time' | 'end_time'>): Reschedule {
  return { id: a.id, date: a.date, start_time: a.start_time, end_time: a.end_time }
}

/** A bounded last-in-first-out list of undoable moves. */
export class UndoStack {
  private entries: UndoEntry[] = []
  constructor(private readonly limit = 20) {}

  push(entry: UndoEntry): void {
    this.entries.push(entry)
    if (this.entries.length > this.limit) this.entries.shift()
  }

  /** Takes the latest entry off (to run its `back`). */
  pop(): UndoEntry | undefined {
    return this.entries.pop()
  }

  peek(): UndoEntry | undefined {
    return this.entries[this.entries.length - 1]
  }

  /** Drops entries for an activity that no longer exists (deleted). */
  forget(id: string): void {
    this.entries = this.entries.filter((e) => e.back.id !== id)
  }

  get size(): number {
    return this.entries.length
  }

  clear(): void {
    this.entries = []
  }
}
