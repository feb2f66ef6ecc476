import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import * as ElementPlus from 'element-plus'
import { compileTemplate } from '@vue/compiler-sfc'
import { kebabOf, pascalOf, rewrite } from '../build/element-on-demand'

function vueFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? vueFiles(p) : p.endsWith('.vue') ? [p] : []
  })
}

const styleOf = (kebab: string) => join(__dirname, '..', 'node_modules', 'element-plus', 'es', 'components', kebab, 'style', 'css.mjs')

describe('Element Plus on demand', () => {
  it('every <el-…> a template uses is an Element Plus component the plugin can import', () => {
    const used = new Set<string>()
    for (const f of vueFiles(__dirname)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/<(el-[a-z-]+)/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(30)
    const unknown = [...used].filter((t) => !(pascalOf(kebabOf(t)) in ElementPlus))
    expect(unknown).toEqual([])
    // The big ones have their own stylesheet (imported with them).
    for (const kebab of ['table', 'date-picker', 'select', 'dialog', 'button']) expect(existsSync(styleOf(kebab)), kebab).toBe(true)
  })

  it('turns a compiled template\'s look-ups into imports of the component, its styles and v-loading', () => {
    const { code } = compileTemplate({
      id: 't',
      filename: 't.vue',
      source: '<div v-loading="busy"><el-table-column label="a" /><ElButton /><el-table-column /></div>',
    })
    const out = rewrite(code, (k) => existsSync(styleOf(k)))!
    expect(out).not.toMatch(/resolveComponent\("el-|resolveDirective\("loading"/)
    expect(out).toContain("import { ElTableColumn as __ep_ElTableColumn } from 'element-plus'")
    expect(out).toContain("import 'element-plus/es/components/table-column/style/css'")
    expect(out).toContain("import { ElButton as __ep_ElButton } from 'element-plus'")
    expect(out).toContain("import { vLoading as __ep_vLoading } from 'element-plus'")
    expect(out.match(/ElTableColumn as/g)).toHaveLength(1)
    expect(rewrite('const x = 1', () => true)).toBeNull()
  })
})
