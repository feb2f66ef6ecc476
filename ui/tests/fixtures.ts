// What the real core answers for the demo town (ui/src/dev/fixtures.json, written by the core's
// `cargo test` — api/fixtures_tests.rs — and checked for staleness like the bindings), typed
// with the generated bindings. Tests answer their mocked IPC with these rows instead of
// hand-written ones.
import raw from '../src/dev/fixtures.json'
import type { Activity } from '../src/bindings/Activity'
import type { AppInfo } from '../src/bindings/AppInfo'
import type { AuditView } from '../src/bindings/AuditView'
import type { Campaign } from '../src/bindings/Campaign'
import type { HolidayYear } from '../src/bindings/HolidayYear'
import type { KeyDate } from '../src/bindings/KeyDate'
import type { Person } from '../src/bindings/Person'
import type { PlanTemplate } from '../src/bindings/PlanTemplate'
import type { SyncConflict } from '../src/bindings/SyncConflict'
import type { Unit } from '../src/bindings/Unit'

export const coreFixtures = raw as unknown as {
  info: AppInfo
  units: Unit[]
  people: Person[]
  campaigns: Campaign[]
  activities: Activity[]
  templates: PlanTemplate[]
  /** The key dates of 2025 … 2028, by year. */
  keydates: Record<string, KeyDate[]>
  /** The holidays of 2025 … 2028, by year. */
  holidays: Record<string, HolidayYear>
  /** One record's history, newest first: returned with a comment, its 参加人数 corrected,
   * reopened, approved, created. */
  record_history: AuditView[]
  /** One open sync conflict: a record's 参加人数 changed on two laptops, the other's change
   * (the later) winning. */
  sync_conflicts: SyncConflict[]
}

type Sent = { cmd: string; args?: Record<string, unknown> }

/** The core's answer to a reference-list request of the demo town, or undefined for others. */
export function coreAnswer(req: Sent): unknown {
  switch (req.cmd) {
    case 'unit_list':
      return coreFixtures.units
    case 'person_list':
      return coreFixtures.people
    case 'campaign_list':
      return coreFixtures.campaigns
    case 'info':
      return coreFixtures.info
    default:
      return undefined
  }
}
