import { describe, expect, it } from 'vitest'
import { hasContent } from './first-content'

function doc(html: string): Document {
  const d = document.implementation.createHTMLDocument('t')
  d.body.innerHTML = html
  return d
}

describe('first content', () => {
  it('waits for a screen with nothing loading', () => {
    expect(hasContent(doc('<div class="app-loading"></div>'))).toBe(false)
    expect(hasContent(doc('<main class="shell-main"></main>'))).toBe(false)
    expect(hasContent(doc('<main class="shell-main"><div class="page"><div class="el-loading-mask"></div></div></main>'))).toBe(false)
    expect(hasContent(doc('<main class="shell-main"><div class="page">本周</div></main>'))).toBe(true)
    expect(hasContent(doc('<main class="shell-main"><div class="page"><div class="el-loading-mask el-loading-fade-leave-active"></div></div></main>'))).toBe(true)
    expect(hasContent(doc('<div class="setup"></div>'))).toBe(true)
    expect(hasContent(doc('<div class="error-page"></div>'))).toBe(true)
  })
})
