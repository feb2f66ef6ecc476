// End-to-end: every screen of the coordinator's (full) menu, and of the village cadre's and
// the leader's own menus, in English shows no Chinese UI text, on the demo town (a year of
// campaigns, plans and records of every review status), so the screens' data-driven texts —
// ledger rows, review queue, charts, pivot, audit trail, calendar, conflicts — are looked at
// too. What users entered is Chinese by nature and is taken out before looking: every name,
// title, place, note … read from the data folder's database (userData below); so is the
// language button 简体中文 (a language is named in its own words). Everything else — labels,
// codes rendered by the UI, the national catalogue's names, rules, laws and themes, holiday
// names, the core's own sentences, Chinese punctuation — must be English. Each screen's
// Chinese leftovers are listed in the failure.
//
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/english.test.mjs

import { it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { AppHarness, byId, cli, click, e2eSuite, navigate, waitAppReady } from './harness.mjs'

const STEP = { timeout: 900_000 }
const suite = await e2eSuite()

/** Labels that stay Chinese in English: the language's own name and the brand mark's 法. */
const LABELS = ['简体中文', '法']

/**
 * What the user entered, read from the database: names of the town, units, people, users,
 * stores, materials, campaigns and local nodes; titles, places, notes, narratives, partners,
 * speakers, materials handed out, recorders, review comments, themes and 文号 typed in.
 * Codes (formats, audiences, statuses …) and laws picked from the catalogue are not here.
 */
const USER_DATA_SQL = `
  SELECT name FROM town UNION SELECT county FROM town
  UNION SELECT name FROM unit UNION SELECT address FROM unit UNION SELECT notes FROM unit
  UNION SELECT name FROM person UNION SELECT notes FROM person UNION SELECT name FROM user_profile
  UNION SELECT name FROM campaign UNION SELECT notes FROM campaign UNION SELECT lead_unit FROM campaign
  UNION SELECT title FROM activity UNION SELECT venue FROM activity UNION SELECT notes FROM activity
  UNION SELECT status_reason FROM activity
  UNION SELECT j.value FROM activity, json_each(activity.partners) j
  UNION SELECT json_extract(j.value, '$.item') FROM activity, json_each(activity.materials) j
  UNION SELECT title FROM record UNION SELECT venue FROM record UNION SELECT narrative FROM record
  UNION SELECT recorder FROM record UNION SELECT review_comment FROM record
  UNION SELECT j.value FROM record, json_each(record.partners) j
  UNION SELECT json_extract(j.value, '$.name') FROM record, json_each(record.speakers) j
  UNION SELECT name FROM material UNION SELECT category FROM material UNION SELECT name FROM store
  UNION SELECT name FROM keydate_node UNION SELECT note FROM keydate_node UNION SELECT lead_agency FROM keydate_node
  UNION SELECT theme FROM keydate_override UNION SELECT doc_number FROM keydate_override
  UNION SELECT name FROM plan_template`

function userData(dataDir) {
  const out = execFileSync('sqlite3', ['-readonly', '-json', join(dataDir, 'pufa.db'), USER_DATA_SQL], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const values = (out.trim() ? JSON.parse(out) : []).map((row) => Object.values(row)[0]).filter((v) => typeof v === 'string' && v.trim())
  // Longest first, so a village's name inside a place's name does not leave the rest behind.
  return [...new Set(values)].sort((a, b) => b.length - a.length)
}

/**
 * The visible text nodes holding Han characters or Chinese punctuation (：、，（）“” and the
 * full-width forms) once user data is taken out.
 */
function chineseLeft(s, allowed) {
  return s.execute(
    `const allowed = arguments[0]
     const out = new Set()
     const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
     for (let n = walker.nextNode(); n; n = walker.nextNode()) {
       const el = n.parentElement
       if (!el || !el.offsetParent && getComputedStyle(el).position !== 'fixed') continue
       let text = n.textContent
       for (const a of allowed) text = text.split(a).join('')
       if (/[\\u3000-\\u303f\\u3400-\\u9fff\\uff01-\\uff5e]/.test(text)) out.add(n.textContent.trim().slice(0, 60))
     }
     return [...out]`,
    allowed,
  )
}

/**
 * Waits for a screen to settle: no loading mask, and the same text twice in a row (lists and
 * charts load after the screen shows). A slow answer of the web process (a long list in a
 * debug build on a loaded machine) is waited for, not taken as a failure.
 */
async function settled(s, what) {
  let last = null
  let same = 0
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    let now
    try {
      now = await s.execute(
        `return document.querySelector('.el-loading-mask:not([style*="display: none"])') ? null : document.body.innerText`,
      )
    } catch (e) {
      if (!/no answer within/.test(String(e))) throw e
      continue
    }
    if (now !== null && now === last) {
      if (++same >= 2) return
    } else same = 0
    last = now
    await new Promise((r) => setTimeout(r, 400))
  }
  throw new Error(`${what} did not settle within 90 s`)
}

/** The coordinator's menu (lib/roles.ts), 设置 last. */
const SCREENS = ['home', 'plan', 'calendar', 'campaigns', 'conflicts', 'records', 'ledger', 'review', 'dashboard', 'pivot', 'materials', 'units', 'people', 'exchange', 'audit', 'settings']
/** The other roles, switched to through the command line (`user --add` makes the new person the current user). */
const ROLES = [
  { role: 'village_cadre', name: '王芳', village: '安静村' },
  { role: 'leader', name: '赵强', village: null },
]

/** The screens of the menu on show: its nav keys. */
function menuKeys(s) {
  return s.execute(`return [...document.querySelectorAll('[data-testid^="nav-"].el-menu-item')].map((e) => e.dataset.testid.slice(4))`)
}

/**
 * Visits every screen of the menu on show and every tab of each, and returns the Chinese left
 * per screen (`prefix` + key). Screens whose words come from the core's catalogues are
 * photographed to look at; so is any screen with leftovers.
 */
async function walk(h, s, keys, allowed, prefix = '') {
  const found = {}
  for (const key of keys) {
    await navigate(s, key)
    await settled(s, `${prefix}${key}`)
    const left = new Set(await chineseLeft(s, allowed))
    if (!prefix && ['plan', 'conflicts', 'pivot', 'settings'].includes(key)) await h.screenshot(`40-english-${key}.png`)
    // A screen's other tabs (the plan's templates and local nodes, the units' kinds …).
    const tabs = await s.execute(`return document.querySelectorAll('.el-tabs__item').length`)
    for (let i = 1; i < tabs; i++) {
      await s.execute(`document.querySelectorAll('.el-tabs__item')[arguments[0]].click()`, i)
      await settled(s, `${prefix}${key} tab ${i + 1}`)
      for (const t of await chineseLeft(s, allowed)) left.add(t)
    }
    found[`${prefix}${key}`] = [...left]
    if (left.size) await h.screenshot(`40-english-${prefix.replace(':', '-')}${key}-left.png`)
  }
  return found
}

suite('English: no Chinese UI text on any screen', () => {
  const found = {}
  const roleKeys = {}
  it('walks every screen of each role’s menu in English, on the demo town', STEP, async () => {
    const h = new AppHarness('english')
    try {
      await h.start()
      await cli(h.dataDir, ['demo'], { timeoutMs: 180_000 })
      const allowed = [...userData(h.dataDir), ...ROLES.map((r) => r.name), ...LABELS].sort((a, b) => b.length - a.length)
      assert.ok(allowed.length > 100, `the demo town's user data is read (${allowed.length} values)`)
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'settings')
      await click(s, byId('locale-en'))
      await s.waitUntil(async () => (await s.execute('return document.documentElement.lang')) === 'en', { what: 'English' })
      assert.deepEqual(await menuKeys(s), SCREENS)
      Object.assign(found, await walk(h, s, SCREENS, allowed))
      // The cadre's and the leader's own windows (their homes and menus differ).
      for (const r of ROLES) {
        await cli(h.dataDir, ['user', '--add', '--name', r.name, '--role', r.role, ...(r.village ? ['--village', r.village] : [])])
        await s.execute('location.reload()')
        await waitAppReady(s)
        await s.waitUntil(async () => (await s.execute('return document.documentElement.lang')) === 'en', { what: `English for the ${r.role}` })
        roleKeys[r.role] = await menuKeys(s)
        assert.ok(roleKeys[r.role].length >= 5 && roleKeys[r.role].length < SCREENS.length, `${r.role}'s menu: ${roleKeys[r.role]}`)
        Object.assign(found, await walk(h, s, roleKeys[r.role], allowed, `${r.role}:`))
      }
    } finally {
      await h.stop()
    }
  })
  for (const key of SCREENS) {
    it(`${key} shows no Chinese UI text in English`, () => {
      assert.ok(found[key], `${key} was not visited`)
      assert.deepEqual(found[key], [], `Chinese UI text on ${key} in English:\n${found[key].join('\n')}`)
    })
  }
  for (const r of ROLES) {
    it(`the ${r.role}'s screens show no Chinese UI text in English`, () => {
      assert.ok(roleKeys[r.role]?.length, `the ${r.role}'s menu was not walked`)
      const left = roleKeys[r.role].flatMap((key) => found[`${r.role}:${key}`].map((t) => `${key}: ${t}`))
      assert.deepEqual(left, [], `Chinese UI text on the ${r.role}'s screens in English:\n${left.join('\n')}`)
    })
  }
})
