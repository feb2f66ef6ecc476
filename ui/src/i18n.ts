import { createI18n } from 'vue-i18n'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import updateLocale from 'dayjs/plugin/updateLocale'
import zhShell from 'virtual:locale/zh-CN/@shell'
import loaders from 'virtual:locale/loaders'
// Types only: the messages' shape, as the full Chinese file has it.
import type ZhMessages from './locales/zh-CN.json'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type UiLocale = (typeof SUPPORTED_LOCALES)[number]

// Weeks start on Monday in both languages (Chinese calendars do; keep English consistent).
dayjs.extend(updateLocale)
dayjs.updateLocale('en', { weekStart: 1 })

// Messages split by screen (build/locale-split.ts, src/locale-areas.ts): the shell's Chinese
// is here from the start; a screen's areas load with its route, English when it is chosen.
export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhShell as typeof ZhMessages, en: {} as typeof ZhMessages },
  missingWarn: false,
  fallbackWarn: false,
})

/** The areas the window has asked for so far (loaded in the current language). */
const wanted = new Set<string>(Object.keys(zhShell))
/** "<lang>/<area>" already merged into vue-i18n. */
const loaded = new Set<string>(Object.keys(zhShell).map((a) => `zh-CN/${a}`))

async function loadArea(lang: UiLocale, area: string): Promise<void> {
  const key = `${lang}/${area}`
  const load = loaders[key]
  if (loaded.has(key) || !load) return
  const messages = (await load()).default
  i18n.global.mergeLocaleMessage(lang, { [area]: messages })
  loaded.add(key)
}

function missing(lang: UiLocale, areas: Iterable<string>): string[] {
  return [...areas].filter((a) => !loaded.has(`${lang}/${a}`) && loaders[`${lang}/${a}`])
}

/**
 * Loads these areas (in Chinese, the fallback, and in the current language) before a screen
 * that uses them is shown.
 */
export async function loadMessages(areas: Iterable<string>): Promise<void> {
  const list = [...areas]
  for (const a of list) wanted.add(a)
  // Again while the language changed meanwhile.
  for (;;) {
    const langs = new Set<UiLocale>(['zh-CN', normalizeLocale(i18n.global.locale.value)])
    const need = [...langs].flatMap((l) => missing(l, list).map((a) => [l, a] as const))
    if (need.length === 0) return
    await Promise.all(need.map(([l, a]) => loadArea(l, a)))
  }
}

/** Every area in every language (tests, which mount screens without their routes). */
export async function loadAllMessages(): Promise<void> {
  await Promise.all(
    Object.keys(loaders).map((key) => {
      const [lang, area] = key.split('/')
      wanted.add(area)
      return loadArea(lang as UiLocale, area)
    }),
  )
}

/** Any locale string from the backend → one the UI has ("en…" → en, else zh-CN). */
export function normalizeLocale(locale: string | null | undefined): UiLocale {
  return locale && locale.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

function setLocale(l: UiLocale): UiLocale {
  i18n.global.locale.value = l
  if (typeof document !== 'undefined') document.documentElement.lang = l
  dayjs.locale(l === 'en' ? 'en' : 'zh-cn')
  return l
}

/**
 * Applies a UI language everywhere: vue-i18n, <html lang>, dayjs (Element Plus dates) — at
 * once when its messages are here, else as soon as they are loaded.
 */
export async function applyLocale(locale: string | null | undefined): Promise<UiLocale> {
  const l = normalizeLocale(locale)
  // Synchronous when nothing is missing; again while a screen asked for more meanwhile.
  for (let need = missing(l, wanted); need.length > 0; need = missing(l, wanted)) {
    await Promise.all(need.map((a) => loadArea(l, a)))
  }
  return setLocale(l)
}
