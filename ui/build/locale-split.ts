// The UI's messages split by screen at build time (issue 19, weight). The sources stay one
// file per language (src/locales/zh-CN.json, en.json) plus optional files per area
// (src/locales/<lang>/<area>.json, merged over the big file's key of that name); the window
// gets one small module per area and language:
//   virtual:locale/<lang>/<area>   one area's messages
//   virtual:locale/<lang>/@shell   the shell's areas (SHELL_AREAS), for the main bundle
//   virtual:locale/loaders         { '<lang>/<area>': () => import(…) } for every area
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'vite'

type Messages = Record<string, unknown>
const PREFIX = 'virtual:locale/'

function isObject(v: unknown): v is Messages {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `over` merged into `base`, key by key (objects deeply; other values replaced). */
export function deepMerge(base: Messages, over: Messages): Messages {
  const out: Messages = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Messages, v) : v
  return out
}

/** Every language's areas: the big file's top-level keys and the files beside it. */
export function readLocales(dir: string): Record<string, Record<string, Messages>> {
  const out: Record<string, Record<string, Messages>> = {}
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue
    const lang = f.slice(0, -5)
    const areas: Record<string, Messages> = {}
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Messages)) areas[k] = v as Messages
    const sub = join(dir, lang)
    if (existsSync(sub)) {
      for (const g of readdirSync(sub)) {
        if (!g.endsWith('.json')) continue
        const area = g.slice(0, -5)
        const extra = JSON.parse(readFileSync(join(sub, g), 'utf8')) as Messages
        areas[area] = isObject(areas[area]) ? deepMerge(areas[area], extra) : extra
      }
    }
    out[lang] = areas
  }
  return out
}

export function localeSplit(dir: string, shellAreas: readonly string[]): Plugin {
  const files = () => {
    const list = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f))
    for (const f of readdirSync(dir)) {
      const sub = join(dir, f)
      if (!f.includes('.') && existsSync(sub)) list.push(...readdirSync(sub).filter((g) => g.endsWith('.json')).map((g) => join(sub, g)))
    }
    return list
  }
  return {
    name: 'pufa-locale-split',
    resolveId(id) {
      return id.startsWith(PREFIX) ? '\0' + id : null
    },
    load(id) {
      if (!id.startsWith('\0' + PREFIX)) return null
      for (const f of files()) this.addWatchFile(f)
      const all = readLocales(dir)
      const rest = id.slice(1 + PREFIX.length)
      if (rest === 'loaders') {
        const lines = Object.entries(all).flatMap(([lang, areas]) =>
          Object.keys(areas).map((a) => `  ${JSON.stringify(`${lang}/${a}`)}: () => import(${JSON.stringify(`${PREFIX}${lang}/${a}`)}),`),
        )
        return `export default {\n${lines.join('\n')}\n}\n`
      }
      const [lang, area] = rest.split('/')
      const areas = all[lang]
      if (!areas) throw new Error(`no messages for ${lang}`)
      if (area === '@shell') {
        const picked: Messages = {}
        for (const a of shellAreas) if (a in areas) picked[a] = areas[a]
        return `export default ${JSON.stringify(picked)}\n`
      }
      return `export default ${JSON.stringify(areas[area] ?? {})}\n`
    },
  }
}
