// End-to-end: every screen of the coordinator's (full) menu in English shows no Chinese UI
// text. What the user entered — the town, its villages, the user's name — is Chinese by
// nature and is taken out before looking; so is the language button 简体中文 (a language is
// named in its own words). Each screen's Chinese leftovers are listed in the failure.
//
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/english.test.mjs

import { it } from 'node:test'
import assert from 'node:assert/strict'
import { AppHarness, byId, click, e2eSuite, initTown, navigate, waitAppReady } from './harness.mjs'

const STEP = { timeout: 300_000 }
const suite = await e2eSuite()

const TOWN = '双龙镇'
const VILLAGES = ['安静村', '石院村', '长安村', '龙江社区']
const USER = '李明'
/** User data and the one legitimately Chinese label. */
const ALLOWED = [TOWN, ...VILLAGES, USER, '简体中文', '法'] // 法: the brand mark's one character

/** The visible text nodes holding Han characters once user data is taken out. */
function chineseLeft(s) {
  return s.execute(
    `const allowed = arguments[0]
     const out = new Set()
     const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
     for (let n = walker.nextNode(); n; n = walker.nextNode()) {
       const el = n.parentElement
       if (!el || !el.offsetParent && getComputedStyle(el).position !== 'fixed') continue
       let text = n.textContent
       for (const a of allowed) text = text.split(a).join('')
       if (/[\\u3400-\\u9fff]/.test(text)) out.add(n.textContent.trim().slice(0, 60))
     }
     return [...out]`,
    ALLOWED,
  )
}

/** The coordinator's menu (lib/roles.ts), 设置 last. */
const SCREENS = ['home', 'plan', 'calendar', 'campaigns', 'conflicts', 'records', 'ledger', 'review', 'dashboard', 'pivot', 'materials', 'units', 'people', 'exchange', 'audit', 'settings']
/**
 * Screens still showing Chinese text that comes from the core's catalogues (issue 19, left):
 * reported as todo — run, listed, but not failing the suite — until they have English.
 */
const KNOWN_LEFT = {
  plan: 'date rules, themes and law names of the national catalogue are Chinese only',
  pivot: 'the pivot title and unit are written by the core in Chinese',
  settings: 'holiday names (元旦, 春节 …) come from the core in Chinese',
}

suite('English: no Chinese UI text on any screen', () => {
  const found = {}
  it('walks every screen of the full menu in English', STEP, async () => {
    const h = new AppHarness('english')
    try {
      await h.start()
      await initTown(h.dataDir, { town: TOWN, villages: VILLAGES, user: USER })
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'settings')
      await click(s, byId('locale-en'))
      await s.waitUntil(async () => (await s.execute('return document.documentElement.lang')) === 'en', { what: 'English' })
      const keys = await s.execute(`return [...document.querySelectorAll('[data-testid^="nav-"].el-menu-item')].map((e) => e.dataset.testid.slice(4))`)
      assert.deepEqual(keys, SCREENS)
      for (const key of keys) {
        await navigate(s, key)
        await s.waitUntil(async () => !(await s.execute(`return !!document.querySelector('.el-loading-mask:not([style*="display: none"])')`)), { timeoutMs: 30_000, what: `${key} to load` })
        await new Promise((r) => setTimeout(r, 300))
        found[key] = await chineseLeft(s)
        if (found[key].length) await h.screenshot(`40-english-${key}.png`)
      }
    } finally {
      await h.stop()
    }
  })
  for (const key of SCREENS) {
    it(`${key} shows no Chinese UI text in English`, KNOWN_LEFT[key] ? { todo: KNOWN_LEFT[key] } : {}, () => {
      assert.ok(found[key], `${key} was not visited`)
      assert.deepEqual(found[key], [], `Chinese UI text on ${key} in English:\n${found[key].join('\n')}`)
    })
  }
})
