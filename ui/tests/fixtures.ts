// What the real core answers for the demo town (ui/src/dev/fixtures.json, dumped through the
// CLI by `bash ui/src/dev/gen-fixtures.sh`), typed with the generated bindings. Tests answer
// their mocked IPC with these rows instead of hand-written ones where the shape matters.
import raw from '../src/dev/fixtures.json'
import type { AppInfo } from '../src/bindings/AppInfo'
import type { Campaign } from '../src/bindings/Campaign'
import type { Person } from '../src/bindings/Person'
import type { Unit } from '../src/bindings/Unit'

export const coreFixtures = raw as unknown as {
  info: AppInfo
  units: Unit[]
  people: Person[]
  campaigns: Campaign[]
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
