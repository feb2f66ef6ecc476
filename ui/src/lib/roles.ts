// What each role sees in the window (issue 19). The same laptop serves a town's coordinator,
// its leader and village cadres, so this shapes menus and the home page; it is not a security
// boundary (the core checks what it must, e.g. that reviewers are coordinators).
import type { UserRole } from '../bindings/UserRole'

export type NavKey =
  | 'home'
  | 'plan'
  | 'calendar'
  | 'campaigns'
  | 'conflicts'
  | 'records'
  | 'ledger'
  | 'review'
  | 'dashboard'
  | 'pivot'
  | 'materials'
  | 'units'
  | 'people'
  | 'exchange'
  | 'audit'
  | 'settings'

export interface NavItem {
  key: NavKey
  path: string
  /** The menu's words for this role (locale key under nav.*); defaults to `key`. */
  label: string
}

const PATHS: Record<NavKey, string> = {
  home: '/home',
  plan: '/plan',
  calendar: '/calendar',
  campaigns: '/campaigns',
  conflicts: '/conflicts',
  records: '/records',
  ledger: '/ledger',
  review: '/review',
  dashboard: '/dashboard',
  pivot: '/pivot',
  materials: '/materials',
  units: '/units',
  people: '/people',
  exchange: '/exchange',
  audit: '/audit',
  settings: '/settings',
}

/** The coordinator's menu: everything, in the order of the year's work. */
const COORDINATOR: NavKey[] = [
  'home',
  'plan',
  'calendar',
  'campaigns',
  'conflicts',
  'records',
  'ledger',
  'review',
  'dashboard',
  'pivot',
  'materials',
  'units',
  'people',
  'exchange',
  'audit',
]

/**
 * A village cadre: 录入活动, 我的记录, 本村计划, 宣传资料 (本村领用), 数据包 (发给镇里), 设置.
 * His home is the record screen's front door ("录入一场活动").
 */
const CADRE: [NavKey, string][] = [
  ['home', 'cadreHome'],
  ['records', 'cadreRecords'],
  ['ledger', 'cadreLedger'],
  ['calendar', 'cadrePlan'],
  ['materials', 'cadreMaterials'],
  ['exchange', 'cadreExchange'],
]

/** A leader: 统计, 台账, 透视表, 报告 (on 统计), the plan read-only. */
const LEADER: [NavKey, string][] = [
  ['dashboard', 'dashboard'],
  ['ledger', 'ledger'],
  ['pivot', 'pivot'],
  ['plan', 'leaderPlan'],
  ['calendar', 'calendar'],
]

/** The menu of a role, without 设置 (always pinned at the bottom of the sidebar). */
export function menuFor(role: UserRole | null | undefined): NavItem[] {
  const pairs: [NavKey, string][] =
    role === 'village_cadre' ? CADRE : role === 'leader' ? LEADER : COORDINATOR.map((k) => [k, k])
  return pairs.map(([key, label]) => ({ key, path: PATHS[key], label }))
}

/** Every menu ends with 设置, shown apart so it never falls below the fold. */
export const SETTINGS_ITEM: NavItem = { key: 'settings', path: PATHS.settings, label: 'settings' }

/** Where a role's window opens. */
export function homeFor(role: UserRole | null | undefined): string {
  return role === 'leader' ? PATHS.dashboard : PATHS.home
}

/** Whether a role changes the plan (a leader reads it; a cadre records what was held). */
export function canEditPlan(role: UserRole | null | undefined): boolean {
  return role !== 'leader' && role !== 'village_cadre'
}

/** The menu entry a path belongs to, for highlighting (deepest prefix wins). */
export function activeItem(items: NavItem[], path: string): string | null {
  const hit = [...items, SETTINGS_ITEM]
    .filter((i) => path === i.path || path.startsWith(i.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0]
  return hit ? hit.path : null
}
