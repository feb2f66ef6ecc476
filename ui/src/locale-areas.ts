// Which parts ("areas": the top-level keys of locales/<lang>.json, or a file
// locales/<lang>/<area>.json) of the UI's messages each screen needs (issue 19, weight). The
// shell's own areas are in the main bundle (zh-CN; English is loaded when chosen); a screen's
// load with its route, before it is shown. src/locale-areas.test.ts checks these lists
// against the keys the code actually uses: add an area here when it says so.

/** Used by the shell itself (layout, header, notices, errors, enums, the user form). */
export const SHELL_AREAS = [
  'app',
  'common',
  'enums',
  'errorDetails',
  'errorPage',
  'errors',
  'fields',
  'nav',
  'notices',
  'settings',
  'shell',
] as const

/** Per route name (and 'setup', the first-start screen): the areas beyond the shell's. */
export const SCREEN_AREAS: Record<string, readonly string[]> = {
  home: ['activity', 'cadreHome', 'campaigns', 'conflicts', 'home', 'records'],
  plan: ['activity', 'conflicts', 'plan'],
  calendar: ['activity', 'calendar', 'campaigns', 'conflicts'],
  conflicts: ['activity', 'campaigns', 'conflicts'],
  campaigns: ['activity', 'campaigns', 'conflicts', 'dashboard', 'docReport'],
  records: ['records', 'review'],
  ledger: ['audit', 'auditFields', 'basis', 'dashboard', 'exchange', 'importXlsx', 'job', 'ledger', 'records', 'review'],
  review: ['audit', 'auditFields', 'exchange', 'ledger', 'records', 'review'],
  materials: ['audit', 'auditFields', 'exchange', 'ledger', 'materials', 'records', 'review'],
  dashboard: ['basis', 'dashboard', 'docReport', 'ledger'],
  pivot: ['basis', 'dashboard', 'ledger', 'pivot'],
  exchange: ['audit', 'auditFields', 'exchange', 'job'],
  audit: ['audit', 'auditFields', 'exchange'],
  units: ['units'],
  people: ['people'],
  settings: ['job'],
  setup: ['exchange', 'job', 'setup'],
}
