import { createI18n } from 'vue-i18n'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import updateLocale from 'dayjs/plugin/updateLocale'
import zhCN from './locales/zh-CN.json'
import en from './locales/en.json'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type UiLocale = (typeof SUPPORTED_LOCALES)[number]

// Weeks start on Monday in both languages (Chinese calendars do; keep English consistent).
dayjs.extend(updateLocale)
dayjs.updateLocale('en', { weekStart: 1 })

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

/** Any locale string from the backend → one the UI has ("en…" → en, else zh-CN). */
export function normalizeLocale(locale: string | null | undefined): UiLocale {
  return locale && locale.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

/** Applies a UI language everywhere: vue-i18n, <html lang>, dayjs (Element Plus dates). */
export function applyLocale(locale: string | null | undefined): UiLocale {
  const l = normalizeLocale(locale)
  i18n.global.locale.value = l
  if (typeof document !== 'undefined') document.documentElement.lang = l
  dayjs.locale(l === 'en' ? 'en' : 'zh-cn')
  return l
}
