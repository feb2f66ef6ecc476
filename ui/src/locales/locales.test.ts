import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import zhCN from './zh-CN.json'
import en from './en.json'
import { ENUM_KEYS } from '../lib/enums'
import { FIELDS } from '../lib/errors'

type Tree = { [k: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

const SRC = join(__dirname, '..')
const zh = flatten(zhCN as Tree)
const enFlat = flatten(en as Tree)

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) {
      if (name !== 'bindings') out.push(...sourceFiles(p))
    } else if (/\.(vue|ts)$/.test(name) && !/\.test\.ts$/.test(name)) {
      out.push(p)
    }
  }
  return out
}

/** Literal keys passed to t('…') / $t("…") / t(`…`) without interpolation. */
function usedKeys(text: string): string[] {
  const keys: string[] = []
  const re = /(?<![\w$])\$?t\(\s*(['"`])([^'"`$]+?)\1/g
  for (const m of text.matchAll(re)) keys.push(m[2])
  return keys
}

/** Any quoted literal that looks like a key of one of our namespaces ('units.tabAll'). */
function namespacedLiterals(text: string, namespaces: string[]): string[] {
  const re = new RegExp(`(['"\`])((?:${namespaces.join('|')})\\.[A-Za-z_][\\w.]*)\\1`, 'g')
  return Array.from(text.matchAll(re), (m) => m[2])
}

function errorCodes(): string[] {
  const ts = readFileSync(join(SRC, 'bindings', 'ErrorCode.ts'), 'utf8')
  const body = ts.slice(ts.indexOf('export type ErrorCode'))
  return Array.from(body.matchAll(/"([a-z_]+)"/g), (m) => m[1])
}

describe('locales', () => {
  it('zh-CN and en have the same keys', () => {
    const a = [...zh.keys()].sort()
    const b = [...enFlat.keys()].sort()
    expect(a.filter((k) => !enFlat.has(k))).toEqual([])
    expect(b.filter((k) => !zh.has(k))).toEqual([])
    expect(a.length).toBeGreaterThan(100)
  })

  it('has no empty texts', () => {
    for (const [k, v] of [...zh, ...enFlat]) expect(v.trim(), k).not.toBe('')
  })

  it('every key used in .vue/.ts files exists', () => {
    const files = sourceFiles(SRC)
    expect(files.length).toBeGreaterThan(10)
    const namespaces = Object.keys(zhCN)
    const missing: string[] = []
    let count = 0
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      for (const key of [...usedKeys(text), ...namespacedLiterals(text, namespaces)]) {
        count++
        if (!zh.has(key)) missing.push(`${relative(SRC, f)}: ${key}`)
      }
    }
    expect(missing).toEqual([])
    expect(count).toBeGreaterThan(100)
  })

  it('the key scanner finds what it should (and would catch a missing key)', () => {
    const sample = `{{ $t('app.title') }} t("nav.home") t(\`enums.unitKind.\${k}\`) emit('x') label: 'units.tabAll'`
    expect(usedKeys(sample)).toEqual(['app.title', 'nav.home'])
    expect(namespacedLiterals(sample, ['app', 'nav', 'units'])).toEqual(['app.title', 'nav.home', 'units.tabAll'])
    expect(zh.has('nav.nonexistent')).toBe(false)
  })

  it('every ErrorCode has a text in both languages', () => {
    const codes = errorCodes()
    expect(codes).toContain('date_order')
    expect(codes.length).toBeGreaterThanOrEqual(16)
    for (const c of codes) {
      expect(zh.get(`errors.${c}`), `zh-CN errors.${c}`).toBeTruthy()
      expect(enFlat.get(`errors.${c}`), `en errors.${c}`).toBeTruthy()
    }
  })

  it('every field and enum code has a label', () => {
    for (const f of FIELDS) {
      expect(zh.get(`fields.${f}`), f).toBeTruthy()
      expect(enFlat.get(`fields.${f}`), f).toBeTruthy()
    }
    for (const [name, codes] of Object.entries(ENUM_KEYS)) {
      for (const c of codes) {
        expect(zh.get(`enums.${name}.${c}`), `${name}.${c}`).toBeTruthy()
        expect(enFlat.get(`enums.${name}.${c}`), `${name}.${c}`).toBeTruthy()
      }
    }
  })

  it('uses the agreed Chinese labels', () => {
    const labels = (name: string) => Object.values((zhCN.enums as Record<string, Record<string, string>>)[name])
    expect(labels('unitKind')).toEqual(['村', '社区', '学校', '企业', '场所'])
    expect(labels('userRole')).toEqual(['普法协调员', '村干部', '领导'])
    expect(labels('campaignKind')).toEqual(['国家节点', '专项行动', '本地活动'])
    expect(labels('personRole')).toEqual([
      '村干部', '法律顾问', '法治副校长', '民警', '法官', '律师', '法律明白人', '志愿者', '司法所工作人员', '其他',
    ])
    expect(labels('audience')).toEqual([
      '领导干部', '国家工作人员', '村(社区)两委干部', '法律明白人', '青少年学生', '教师家长', '村(居)民',
      '农民工', '企业经营管理人员', '老年人', '妇女', '残疾人', '社区矫正对象', '其他',
    ])
    expect(zh.get('errors.required')).toBe('{field}不能为空')
  })

  it('enum code lists match the generated bindings', () => {
    const files: Record<string, string> = {
      unitKind: 'UnitKind',
      personRole: 'PersonRole',
      userRole: 'UserRole',
      audience: 'Audience',
      campaignKind: 'CampaignKind',
    }
    for (const [name, file] of Object.entries(files)) {
      const ts = readFileSync(join(SRC, 'bindings', `${file}.ts`), 'utf8')
      const body = ts.slice(ts.indexOf(`export type ${file}`))
      const codes = Array.from(body.matchAll(/"([a-z_]+)"/g), (m) => m[1])
      expect([...ENUM_KEYS[name as keyof typeof ENUM_KEYS]].sort(), name).toEqual(codes.sort())
    }
  })

  // vue-i18n picks a form of "one | many" by the named count `n` (1 → the first), so a count
  // of one reads "1 row", not "1 rows".
  it('English counts of things have a form for one', () => {
    // Counts that are never one: the standard nodes of a year's plan.
    const neverOne = new Set(['plan.noneTicked', 'plan.standardUsed', 'plan.generateStandardConfirm'])
    const plural = /\{n\} (?:[a-z]+ )?[a-z]+s\b/
    const missing = [...enFlat].filter(([k, v]) => plural.test(v) && !v.includes('|') && !neverOne.has(k)).map(([k]) => k)
    expect(missing).toEqual([])
    for (const [k, v] of enFlat) {
      if (!v.includes('|')) continue
      const forms = v.split('|').map((f) => f.trim())
      expect(forms.length, k).toBe(2)
      expect(forms[1], k).toContain('{n}')
      // Only English has forms: a Chinese text says it once.
      expect(zh.get(k) ?? '', k).not.toContain('|')
    }
  })
})
