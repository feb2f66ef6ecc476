import { describe, expect, it } from 'vitest'
import catalogue from '../../../crates/pufa-core/data/keydates.json'
import { ENGLISH_NODE_CODES, nodeName } from './node-names'

describe('node names', () => {
  it('every national node of the core catalogue has an English name', () => {
    const nodes = (catalogue as unknown as { nodes: { code: string }[] }).nodes
    expect(nodes.length).toBeGreaterThan(30)
    for (const n of nodes) expect(ENGLISH_NODE_CODES, n.code).toContain(n.code)
  })

  it('English names for national nodes, the user’s words for local ones', () => {
    expect(nodeName({ code: 'constitution_week', name: '宪法宣传周' }, 'en')).toBe('Constitution Week')
    expect(nodeName({ code: 'constitution_week', name: '宪法宣传周' }, 'zh-CN')).toBe('宪法宣传周')
    expect(nodeName({ code: 'f3a1', name: '赶集日普法' }, 'en')).toBe('赶集日普法')
  })
})
