// Reference data every screen reads: the town's units, people, materials and campaigns.
// One copy for the whole window. A screen calls loadReference(...) when it opens (so it shows
// what the core has now, as before); any screen or dialog that writes one of these calls
// refreshReference(...) afterwards, so every open screen and dialog sees the change.
// The store fetches archived rows too and derives the active lists (archived = false), the
// same rows in the same order as the core's `include_archived: false` / `status: 'active'`.
import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue'
import * as api from '../api'
import type { Campaign } from '../bindings/Campaign'
import type { Material } from '../bindings/Material'
import type { Person } from '../bindings/Person'
import type { Unit } from '../bindings/Unit'

export type ReferenceKind = 'units' | 'people' | 'materials' | 'campaigns'

const lists = {
  units: shallowRef<Unit[]>([]),
  people: shallowRef<Person[]>([]),
  materials: shallowRef<Material[]>([]),
  campaigns: shallowRef<Campaign[]>([]),
}

const fetchers: { [K in ReferenceKind]: () => Promise<(typeof lists)[K]['value']> } = {
  units: () => api.unitList({ kind: null, search: null, include_archived: true }),
  people: () => api.personList({ role: null, unit_id: null, search: null, include_archived: true }),
  materials: () => api.materialList(true),
  campaigns: () => api.campaignList({ search: null, kind: null, year: null, audience: null, status: 'all' }),
}

/** Loads in flight, so that two parts of a screen opening together ask the core once. */
const inFlight: Partial<Record<ReferenceKind, Promise<void>>> = {}
/** Kinds loaded at least once: refreshReference only reloads what someone has shown. */
const loaded = new Set<ReferenceKind>()

/** `fresh`: a load already running may predate a write, so wait for it and load again. */
function fetchKind(kind: ReferenceKind, fresh = false): Promise<void> {
  const running = inFlight[kind]
  if (running) return fresh ? running.catch(() => undefined).then(() => fetchKind(kind)) : running
  const p = fetchers[kind]()
    .then((rows) => {
      ;(lists[kind] as ShallowRef<unknown[]>).value = rows
      loaded.add(kind)
    })
    .finally(() => {
      delete inFlight[kind]
    })
  inFlight[kind] = p
  return p
}

/** Fetches the given lists from the core now; rejects with the core's error. */
export async function loadReference(...kinds: ReferenceKind[]): Promise<void> {
  await Promise.all(kinds.map((k) => fetchKind(k)))
}

/** After a write: reloads the given lists if any screen has loaded them (errors are ignored:
 *  the next screen to open loads again). */
export function refreshReference(...kinds: ReferenceKind[]): Promise<void> {
  return Promise.all(kinds.filter((k) => loaded.has(k) || inFlight[k]).map((k) => fetchKind(k, true).catch(() => undefined))).then(() => undefined)
}

const active = <T extends { archived: boolean }>(rows: ShallowRef<T[]>): ComputedRef<T[]> =>
  computed(() => rows.value.filter((r) => !r.archived))

/** Read-only views of the store. "all…" include archived rows. */
export const reference = {
  units: active(lists.units),
  allUnits: computed(() => lists.units.value),
  people: active(lists.people),
  materials: active(lists.materials),
  allMaterials: computed(() => lists.materials.value),
  campaigns: active(lists.campaigns),
  allCampaigns: computed(() => lists.campaigns.value),
}

/** Empties the store (tests: each starts from nothing). */
export function resetReference(): void {
  for (const k of Object.keys(lists) as ReferenceKind[]) (lists[k] as ShallowRef<unknown[]>).value = []
  loaded.clear()
  for (const k of Object.keys(inFlight) as ReferenceKind[]) delete inFlight[k]
}
