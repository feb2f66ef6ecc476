// What the record form remembers between records on this computer (localStorage): the
// village and the recorder of the last saved record. The date is always today's: records are
// mostly entered right after the event.
import { todayIso } from './dates'
import type { NewRecordDefaults } from './records'

export const REMEMBERED_KEY = 'pufa.record.defaults'

export interface Remembered {
  unit_id: string
  recorder: string
}

/** The minimal Storage this needs (window.localStorage, or a stand-in in tests). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>

function storage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null // storage disabled
  }
}

export function loadRemembered(store: KeyValueStore | null = storage()): Remembered {
  const empty = { unit_id: '', recorder: '' }
  if (!store) return empty
  try {
    const raw = JSON.parse(store.getItem(REMEMBERED_KEY) ?? 'null') as Partial<Remembered> | null
    return {
      unit_id: typeof raw?.unit_id === 'string' ? raw.unit_id : '',
      recorder: typeof raw?.recorder === 'string' ? raw.recorder : '',
    }
  } catch {
    return empty
  }
}

/** Remembers the village and recorder of a saved record (blank values are not remembered). */
export function remember(values: Partial<Remembered>, store: KeyValueStore | null = storage()): void {
  if (!store) return
  const now = loadRemembered(store)
  const next = {
    unit_id: values.unit_id?.trim() || now.unit_id,
    recorder: values.recorder?.trim() || now.recorder,
  }
  try {
    store.setItem(REMEMBERED_KEY, JSON.stringify(next))
  } catch {
    /* full or disabled: nothing to do */
  }
}

/**
 * The defaults of a new record: today; the remembered village if it still exists, else the
 * user's own village (a cadre's); the remembered recorder, else the user's name.
 */
export function newRecordDefaults(
  remembered: Remembered,
  user: { name: string; unit_id: string | null } | null,
  knownUnitIds: readonly string[],
  now: Date = new Date(),
): NewRecordDefaults {
  const known = (id: string | null | undefined) => !!id && knownUnitIds.includes(id)
  const unit_id = known(remembered.unit_id) ? remembered.unit_id : known(user?.unit_id) ? (user?.unit_id as string) : ''
  return { date: todayIso(now), unit_id, recorder: remembered.recorder || user?.name || '' }
}
