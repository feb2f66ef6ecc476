import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createApp } from 'vue'
import { installElementPlus, REGISTERED_TAGS } from './element'

function vueFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? vueFiles(p) : p.endsWith('.vue') ? [p] : []
  })
}

describe('Element Plus on demand', () => {
  it('registers every <el-…> component a template uses', () => {
    const used = new Set<string>()
    for (const f of vueFiles(join(__dirname))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/<(el-[a-z-]+)/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(30)
    const missing = [...used].filter((t) => !(REGISTERED_TAGS as readonly string[]).includes(t))
    expect(missing).toEqual([])
  })

  it('each under the name its tag resolves to, and v-loading', () => {
    const app = createApp({})
    installElementPlus(app)
    for (const tag of REGISTERED_TAGS) {
      const pascal = tag.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())
      expect(app.component(pascal), tag).toBeTruthy()
    }
    expect(app.directive('loading')).toBeTruthy()
  })
})
