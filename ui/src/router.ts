import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/home' },
  { path: '/home', name: 'home', component: () => import('./screens/home/index.vue') },
  { path: '/campaigns', name: 'campaigns', component: () => import('./screens/campaigns/index.vue') },
  { path: '/units', name: 'units', component: () => import('./screens/units/index.vue') },
  { path: '/people', name: 'people', component: () => import('./screens/people/index.vue') },
  { path: '/settings', name: 'settings', component: () => import('./screens/settings/index.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/home' },
]

export function makeRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
