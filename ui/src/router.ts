import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { loadMessages } from './i18n'
import { SCREEN_AREAS } from './locale-areas'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/home' },
  { path: '/home', name: 'home', component: () => import('./screens/home/index.vue') },
  { path: '/plan', name: 'plan', component: () => import('./screens/plan/index.vue') },
  { path: '/calendar', name: 'calendar', component: () => import('./screens/calendar/index.vue') },
  { path: '/conflicts', name: 'conflicts', component: () => import('./screens/conflicts/index.vue') },
  { path: '/campaigns', name: 'campaigns', component: () => import('./screens/campaigns/index.vue') },
  // record keeping (issue 4)
  { path: '/records', name: 'records', component: () => import('./screens/records/index.vue') },
  { path: '/ledger', name: 'ledger', component: () => import('./screens/ledger/index.vue') },
  { path: '/review', name: 'review', component: () => import('./screens/review/index.vue') },
  { path: '/materials', name: 'materials', component: () => import('./screens/materials/index.vue') },
  { path: '/dashboard', name: 'dashboard', component: () => import('./screens/dashboard/index.vue') },
  { path: '/pivot', name: 'pivot', component: () => import('./screens/pivot/index.vue') },
  { path: '/exchange', name: 'exchange', component: () => import('./screens/exchange/index.vue') },
  { path: '/audit', name: 'audit', component: () => import('./screens/audit/index.vue') },
  { path: '/units', name: 'units', component: () => import('./screens/units/index.vue') },
  { path: '/people', name: 'people', component: () => import('./screens/people/index.vue') },
  { path: '/settings', name: 'settings', component: () => import('./screens/settings/index.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/home' },
]

export function makeRouter() {
  const router = createRouter({ history: createWebHashHistory(), routes })
  // A screen's messages arrive with it (src/locale-areas.ts); a failure shows the keys rather
  // than no screen.
  router.beforeEach(async (to) => {
    await loadMessages(SCREEN_AREAS[String(to.name)] ?? []).catch(() => undefined)
  })
  return router
}
