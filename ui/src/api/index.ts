// The only way the window talks to the core: one Tauri command, `call`, carrying a Request.
// Every rejection is normalised to an AppError so screens handle one shape.
import { invoke } from '@tauri-apps/api/core'
import type { AppError } from '../bindings/AppError'
import type { AppInfo } from '../bindings/AppInfo'
import type { Campaign } from '../bindings/Campaign'
import type { CampaignFilter } from '../bindings/CampaignFilter'
import type { CampaignInput } from '../bindings/CampaignInput'
import type { CheckReport } from '../bindings/CheckReport'
import type { DemoInput } from '../bindings/DemoInput'
import type { ErrorCode } from '../bindings/ErrorCode'
import type { Person } from '../bindings/Person'
import type { PersonFilter } from '../bindings/PersonFilter'
import type { PersonInput } from '../bindings/PersonInput'
import type { Request } from '../bindings/Request'
import type { SetupInput } from '../bindings/SetupInput'
import type { Unit } from '../bindings/Unit'
import type { UnitFilter } from '../bindings/UnitFilter'
import type { UnitInput } from '../bindings/UnitInput'
import type { UserInput } from '../bindings/UserInput'
import { ERROR_CODES } from '../lib/enums'

export type { AppError }

/** What a delete command answers. */
export interface Deleted {
  deleted: string
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message
  if (typeof value === 'string') return value
  if (value === undefined || value === null) return String(value)
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
}

/** True for a well-formed AppError (known code, string message). */
export function isAppError(value: unknown): value is AppError {
  if (!value || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return isErrorCode(v.code) && typeof v.message === 'string'
}

/**
 * Any rejection → AppError. An AppError passes through (field defaults to null); a string,
 * an Error or anything else becomes `bad_request` carrying its text.
 */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) {
    const field = (value as { field?: unknown }).field
    return { code: value.code, message: value.message, field: typeof field === 'string' && field ? field : null }
  }
  if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    return { code: 'bad_request', message: (value as { message: string }).message, field: null }
  }
  return { code: 'bad_request', message: describe(value), field: null }
}

/** Sends one request to the core. Rejects with an AppError. */
export async function call<T>(req: Request): Promise<T> {
  try {
    return await invoke<T>('call', { request: req })
  } catch (e) {
    throw toAppError(e)
  }
}

// ---- typed wrappers, one per Request variant ----

export const appInfo = () => call<AppInfo>({ cmd: 'app_info' })
/** Persists the UI language ("zh-CN" | "en"); answers the new AppInfo. */
export const setLocale = (locale: string) => call<AppInfo>({ cmd: 'set_locale', args: { locale } })
export const setup = (input: SetupInput) => call<AppInfo>({ cmd: 'setup', args: input })
export const loadDemo = (input: DemoInput) => call<AppInfo>({ cmd: 'load_demo', args: input })
export const updateUser = (input: UserInput) => call<AppInfo>({ cmd: 'update_user', args: input })

export const unitList = (filter: UnitFilter) => call<Unit[]>({ cmd: 'unit_list', args: filter })
export const unitCreate = (input: UnitInput) => call<Unit>({ cmd: 'unit_create', args: input })
export const unitUpdate = (id: string, input: UnitInput) => call<Unit>({ cmd: 'unit_update', args: { id, input } })
export const unitArchive = (id: string, archived: boolean) =>
  call<Unit>({ cmd: 'unit_archive', args: { id, archived } })
export const unitDelete = (id: string) => call<Deleted>({ cmd: 'unit_delete', args: { id } })

export const personList = (filter: PersonFilter) => call<Person[]>({ cmd: 'person_list', args: filter })
export const personCreate = (input: PersonInput) => call<Person>({ cmd: 'person_create', args: input })
export const personUpdate = (id: string, input: PersonInput) =>
  call<Person>({ cmd: 'person_update', args: { id, input } })
export const personArchive = (id: string, archived: boolean) =>
  call<Person>({ cmd: 'person_archive', args: { id, archived } })
export const personDelete = (id: string) => call<Deleted>({ cmd: 'person_delete', args: { id } })

export const campaignList = (filter: CampaignFilter) => call<Campaign[]>({ cmd: 'campaign_list', args: filter })
export const campaignGet = (id: string) => call<Campaign>({ cmd: 'campaign_get', args: { id } })
export const campaignCreate = (input: CampaignInput) => call<Campaign>({ cmd: 'campaign_create', args: input })
export const campaignUpdate = (id: string, input: CampaignInput) =>
  call<Campaign>({ cmd: 'campaign_update', args: { id, input } })
export const campaignArchive = (id: string, archived: boolean) =>
  call<Campaign>({ cmd: 'campaign_archive', args: { id, archived } })
export const campaignDelete = (id: string) => call<Deleted>({ cmd: 'campaign_delete', args: { id } })

export const check = () => call<CheckReport>({ cmd: 'check' })
