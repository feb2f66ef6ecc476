// The lists of src/locale-areas.ts against the code: every message area a screen's code
// (its files, and what they import, statically or lazily) names is loaded with it, and every
// area the shell names is in the main bundle. Areas are found as string literals 'area.key'.
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { readLocales } from '../build/locale-split'
import { routes } from './router'
import { SCREEN_AREAS, SHELL_AREAS } from './locale-areas'

const SRC = __dirname
const locales = readLocales(join(SRC, 'locales'))
const AREAS = [...new Set(Object.values(locales).flatMap((a) => Object.keys(a)))]
const AREA_RE = new RegExp(`['"\`](${AREAS.join('|')})\\.[A-Za-z$]`, 'g')

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  const base = resolve(dirname(from), spec)
  for (const c of [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts'), join(base, 'index.vue')]) {
    if (existsSync(c) && statSync(c).isFile() && /\.(ts|vue)$/.test(c)) return c
  }
  return null
}

interface Info {
  imports: string[]
  lazy: string[]
  areas: Set<string>
}
const cache = new Map<string, Info>()
function info(file: string): Info {
  let i = cache.get(file)
  if (!i) {
    const code = readFileSync(file, 'utf8')
    const imports = [...code.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]/g)]
      .map((m) => resolveImport(file, m[1] ?? m[2]))
      .filter((f): f is string => f !== null)
    const lazy = [...code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => resolveImport(file, m[1])).filter((f): f is string => f !== null)
    i = { imports, lazy, areas: new Set([...code.matchAll(AREA_RE)].map((m) => m[1])) }
    cache.set(file, i)
  }
  return i
}

/** The areas named by `entry` and what it reaches (lazily too, when `lazy`). */
function areasOf(entry: string, lazy: boolean): Set<string> {
  const seen = new Set<string>()
  const stack = [entry]
  const out = new Set<string>()
  while (stack.length) {
    const f = stack.pop()!
    if (seen.has(f) || f.endsWith('.test.ts')) continue
    seen.add(f)
    const i = info(f)
    i.areas.forEach((a) => out.add(a))
    stack.push(...i.imports, ...(lazy ? i.lazy : []))
  }
  return out
}

const lazyScreens: Record<string, string> = { setup: join(SRC, 'screens/setup/index.vue') }
for (const m of readFileSync(join(SRC, 'router.ts'), 'utf8').matchAll(/name: '(\w+)', component: \(\) => import\('\.\/([^']+)'\)/g)) {
  lazyScreens[m[1]] = join(SRC, m[2])
}

describe('messages split by screen', () => {
  it('the shell has in its bundle every area its own code names', () => {
    const missing = [...areasOf(join(SRC, 'main.ts'), false)].filter((a) => !(SHELL_AREAS as readonly string[]).includes(a))
    expect(missing).toEqual([])
  })

  it('each screen loads every area its code names', () => {
    // Every named route with a screen, and the set-up.
    expect(Object.keys(lazyScreens).sort()).toEqual([...routes.filter((r) => r.name).map((r) => String(r.name)), 'setup'].sort())
    for (const [name, file] of Object.entries(lazyScreens)) {
      const have = new Set([...SHELL_AREAS, ...(SCREEN_AREAS[name] ?? [])])
      const missing = [...areasOf(file, true)].filter((a) => !have.has(a))
      expect(missing, `${name}: add to SCREEN_AREAS.${name} in src/locale-areas.ts`).toEqual([])
    }
  })

  it('every area listed exists in both languages', () => {
    const listed = new Set([...SHELL_AREAS, ...Object.values(SCREEN_AREAS).flat()])
    for (const lang of ['zh-CN', 'en']) {
      expect([...listed].filter((a) => !(a in locales[lang])), lang).toEqual([])
    }
  })
})
