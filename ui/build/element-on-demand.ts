// Element Plus on demand, per chunk (issue 19, weight). A compiled template asks for a
// component by name (`resolveComponent("el-table")`); this turns each such look-up into an
// import of that component and its stylesheet in the module that uses it. So each screen's
// chunk brings the components it shows — the table and the date picker load with the screens
// that have them, not at start — and no list of components has to be kept by hand.
// (What unplugin-vue-components' ElementPlusResolver does, in a few lines and no dependency.)
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Plugin } from 'vite'

const LOOKUP = /_?resolveComponent\(\s*"(el-[a-z-]+|El[A-Za-z]+)"\s*\)/g
const DIRECTIVE = /_?resolveDirective\(\s*"loading"\s*\)/g

/** "el-table-column" | "ElTableColumn" → "table-column". */
export function kebabOf(tag: string): string {
  return tag.startsWith('el-')
    ? tag.slice(3)
    : tag
        .slice(2)
        .replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())
        .replace(/^-/, '')
}

/** "table-column" → "ElTableColumn". */
export function pascalOf(kebab: string): string {
  return 'El' + kebab.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())
}

/**
 * The module's code with every Element Plus look-up replaced by an import, or null when it
 * has none. `hasStyle(kebab)` says whether the component has its own stylesheet.
 */
export function rewrite(code: string, hasStyle: (kebab: string) => boolean): string | null {
  const used = new Set<string>()
  let out = code.replace(LOOKUP, (_, tag: string) => {
    const kebab = kebabOf(tag)
    used.add(kebab)
    return `__ep_${pascalOf(kebab)}`
  })
  let loading = false
  out = out.replace(DIRECTIVE, () => {
    loading = true
    return '__ep_vLoading'
  })
  if (used.size === 0 && !loading) return null
  const imports: string[] = []
  for (const kebab of [...used].sort()) {
    imports.push(`import { ${pascalOf(kebab)} as __ep_${pascalOf(kebab)} } from 'element-plus'`)
    if (hasStyle(kebab)) imports.push(`import 'element-plus/es/components/${kebab}/style/css'`)
  }
  if (loading) {
    imports.push(`import { vLoading as __ep_vLoading } from 'element-plus'`)
    imports.push(`import 'element-plus/es/components/loading/style/css'`)
  }
  return imports.join('\n') + '\n' + out
}

export function elementOnDemand(): Plugin {
  const require = createRequire(import.meta.url)
  const root = join(dirname(require.resolve('element-plus/package.json')), 'es', 'components')
  const styles = new Map<string, boolean>()
  const hasStyle = (kebab: string) => {
    if (!styles.has(kebab)) styles.set(kebab, existsSync(join(root, kebab, 'style', 'css.mjs')))
    return styles.get(kebab)!
  }
  return {
    name: 'pufa-element-on-demand',
    enforce: 'post',
    transform(code, id) {
      if (!id.split('?')[0].endsWith('.vue')) return null
      const out = rewrite(code, hasStyle)
      return out === null ? null : { code: out, map: null }
    },
  }
}
