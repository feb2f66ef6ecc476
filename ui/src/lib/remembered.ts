// What the record form remembers between records: the village of the last saved record, per
// data folder (the WebView's storage is shared by every data folder on this computer, so the
// key carries the folder's device id). Who records is never remembered here: it is the person
// using this data folder (the current user, kept in the data folder itself). The date is
// always today's: records are mostly entered right after the event.
import { todayIso } from './dates'
import type { NewRecordDefaults } from './records'

export const REMEMBERED_KEY = 'pufa.record.defaults'

export interface Remembered {
  unit_id: string
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

/** The key of a data folder's remembered values. */
export function rememberedKey(folder: string): string {
  return `${REMEMBERED_KEY}.${folder}`
}

export function loadRemembered(folder: string, store: KeyValueStore | null = storage()): Remembered {
  const empty = { unit_id: '' }
  if (!store) return empty
  try {
    const raw = JSON.parse(store.getItem(rememberedKey(folder)) ?? 'null') as Partial<Remembered> | null
    return { unit_id: typeof raw?.unit_id === 'string' ? raw.unit_id : '' }
  } catch {
    return empty
  }
}

/** Remembers the village of a saved record (a blank one is not remembered). */
export function remember(folder: string, values: Partial<Remembered>, store: KeyValueStore | null = storage()): void {
  if (!store) return
  const next = { unit_id: values.unit_id?.trim() || loadRemembered(folder, store).unit_id }
  try {
    store.setItem(rememberedKey(folder), JSON.stringify(next))
  } catch {
    /* full or disabled: nothing to do */
  }
}

/**
 * The defaults of a new record: today; the remembered village if it still exists, else the
 * user's own village (a cadre's); the current user as 记录人.
 */
export function newRecordDefaults(
  remembered: Remembered,
  user: { name: string; unit_id: string | null } | null,
  knownUnitIds: readonly string[],
  now: Date = new Date(),
): NewRecordDefaults {
  const known = (id: string | null | undefined) => !!id && knownUnitIds.includes(id)
  const unit_id = known(remembered.unit_id) ? remembered.unit_id : known(user?.unit_id) ? (user?.unit_id as string) : ''
  return { date: todayIso(now), unit_id, recorder: user?.name ?? '' }
}
