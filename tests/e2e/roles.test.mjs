// End-to-end test of issue 19 on the real app binary: the three roles' menus and home pages,
// switching the data folder's person from the header, the cadre's record with typed dates
// (and the future-date message, and a count's instant message), where the first window opens,
// and screenshots at 1280×720 and 1366×768.
//
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/roles.test.mjs

import { it } from 'node:test'
import assert from 'node:assert/strict'
import { AppHarness, byId, cli, click, e2eSuite, fill, initTown, navigate, waitAppReady } from './harness.mjs'

const STEP = { timeout: 300_000 }
const suite = await e2eSuite()

const pad = (n) => String(n).padStart(2, '0')
function isoDaysFromNow(n) {
  const d = new Date()
  d.setDate(d.getDate() + n)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** The menu's entries, by their test ids (nav-…), settings included. */
function menuKeys(s) {
  return s.execute(`return [...document.querySelectorAll('[data-testid^="nav-"].el-menu-item')].map((e) => e.dataset.testid.slice(4))`)
}

async function textOf(s, css) {
  return (await s.texts(css))[0] ?? ''
}

async function role(s) {
  return s.execute(`return document.querySelector('[data-testid="app-ready"]')?.dataset.role ?? ''`)
}

/** 设置 is on screen, not below the fold; nothing spills over sideways. */
async function fitsWindow(s) {
  return s.execute(`
    const el = document.querySelector('[data-testid="nav-settings"]')
    const r = el.getBoundingClientRect()
    return { settingsVisible: r.top >= 0 && r.bottom <= window.innerHeight,
             sideways: document.documentElement.scrollWidth - window.innerWidth,
             w: window.innerWidth, h: window.innerHeight }`)
}

async function switchTo(s, name) {
  await click(s, byId('header-user'))
  await click(s, byId(`user-pick-${name}`))
  await s.waitUntil(async () => (await textOf(s, byId('header-user'))).includes(name), { what: `${name} in the header` })
}

suite('roles, identity, the cadre’s record, the window on small screens', () => {
  it('each role gets its own menu and home; the header switches people', STEP, async () => {
    const h = new AppHarness('roles')
    try {
      await h.start()
      await initTown(h.dataDir, { user: '李明' })
      await cli(h.dataDir, ['user', '--add', '--name', '王领导', '--role', 'leader'])
      await cli(h.dataDir, ['user', '--add', '--name', '张三', '--role', 'village_cadre', '--village', '安静村'])
      const s = await h.launch()
      await waitAppReady(s)

      await h.step('first window: ≤90% of the screen, centred', async () => {
        const win = await s.execute(
          `return { x: window.screenX, y: window.screenY, w: window.outerWidth, h: window.outerHeight, sw: screen.availWidth, sh: screen.availHeight }`,
        )
        assert.ok(win.w <= Math.ceil(win.sw * 0.9) + 1 && win.h <= Math.ceil(win.sh * 0.9) + 1, JSON.stringify(win))
        assert.ok(win.x >= 0 && win.y >= 0, `on screen: ${JSON.stringify(win)}`)
        assert.ok(Math.abs(win.x - (win.sw - win.w) / 2) <= 2, `centred: ${JSON.stringify(win)}`)
      })()

      await h.step('the cadre: his menu and his home', async () => {
        assert.equal(await role(s), 'village_cadre')
        assert.deepEqual(await menuKeys(s), ['home', 'records', 'ledger', 'calendar', 'materials', 'exchange', 'settings'])
        await s.waitFor(byId('cadre-home'))
        assert.match(await textOf(s, byId('cadre-record')), /录入一场活动/)
        await h.screenshot('30-cadre-home.png')
      })()

      await h.step('the cadre records with typed dates', async () => {
        await click(s, byId('cadre-record'))
        await s.waitFor(`${byId('record-screen')}[data-ready="true"]`)
        await fill(s, 'record-title', '宪法进院坝（手输日期）')
        // A date after today explains itself.
        const tomorrow = isoDaysFromNow(1)
        await fill(s, 'record-date-text', tomorrow)
        await click(s, byId('record-title'))
        await s.waitUntil(async () => (await s.execute(`return document.body.innerText`)).includes('活动还没有开展，不能登记为已开展；可在计划中安排'), { what: 'the future-date message' })
        await h.screenshot('31-record-future-date.png')
        // 2027年12月4日 style: three days ago, typed the Chinese way.
        const past = isoDaysFromNow(-3)
        const [y, m, d] = past.split('-').map(Number)
        await fill(s, 'record-date-text', `${y}年${m}月${d}日`)
        await click(s, byId('record-title'))
        await s.waitUntil(async () => !(await s.execute(`return document.body.innerText`)).includes('活动还没有开展'), { what: 'the message to go' })
        // Letters in a count are explained at once and the explanation goes when mended.
        await click(s, byId('record-format-courtyard_meeting'))
        await fill(s, 'record-participants', '4o')
        await s.waitFor(byId('count-problem'))
        assert.match(await textOf(s, byId('count-problem')), /只能填数字/)
        await fill(s, 'record-participants', '40')
        await s.waitUntil(async () => !(await s.execute(`return !!document.querySelector('[data-testid="count-problem"]')`)), { what: 'the count message to go' })
        await click(s, byId('record-save'))
        await s.waitFor(byId('record-status'))
        const listed = await cli(h.dataDir, ['activity', 'list', '--from', '2000-01-01', '--to', '2100-12-31'], { json: true })
        const rec = listed.find((e) => e.title === '宪法进院坝（手输日期）')
        assert.ok(rec, JSON.stringify(listed.map((e) => e.title)))
        assert.equal(rec.date, past)
        assert.equal(rec.recorder, '张三')
        // A toast belongs to its page: changing page closes it.
        await s.waitFor('.el-message')
        await navigate(s, 'ledger')
        await s.waitGone('.el-message', { timeoutMs: 3_000 })
        await s.execute('history.back()')
        await s.waitFor(byId('record-status'))
        // 12/4 style too (slash, no year): read as the same day.
        await click(s, byId('record-next'))
        await s.waitFor(`${byId('record-screen')}[data-ready="true"]`)
        await fill(s, 'record-date-text', `${m}/${d}`)
        await click(s, byId('record-title'))
        const shown = () => s.execute(`return document.querySelector('[data-testid="record-date-text"] input, input[data-testid="record-date-text"]').value`)
        await s.waitUntil(async () => (await shown()) === `${y}年${m}月${d}日`, { what: `${m}/${d} shown as ${y}年${m}月${d}日` })
      })()

      await h.step('the leader: 统计 first, no review hint meant for cadres', async () => {
        await switchTo(s, '王领导')
        await s.waitUntil(async () => (await role(s)) === 'leader', { what: 'the leader role' })
        assert.deepEqual(await menuKeys(s), ['dashboard', 'ledger', 'pivot', 'plan', 'calendar', 'settings'])
        await s.waitUntil(async () => (await s.execute('return location.hash')).startsWith('#/dashboard'), { what: 'the leader to land on 统计' })
        await h.screenshot('32-leader-home.png')
        // The plan, read-only: no generate, copy, template or local-node buttons.
        await navigate(s, 'plan')
        await s.waitFor(`.plan[data-readonly="true"]`)
        for (const id of ['plan-generate', 'plan-copy', 'template-new', 'local-node-new', 'plan-node-override']) {
          assert.equal(await s.execute(`return !!document.querySelector('[data-testid="${id}"]')`), false, `${id} shown to the leader`)
        }
        assert.equal(await s.execute(`return !!document.querySelector('[data-testid="plan-export-xlsx"]')`), true, 'the leader exports the plan')
        await s.execute(`location.hash = '#/review'`)
        await s.waitFor(byId('review-screen'))
        assert.equal(await s.execute(`return !!document.querySelector('[data-testid="review-role-note"]')`), false)
      })()

      await h.step('the coordinator: everything', async () => {
        await switchTo(s, '李明')
        await s.waitUntil(async () => (await role(s)) === 'coordinator', { what: 'the coordinator role' })
        const keys = await menuKeys(s)
        assert.equal(keys.length, 16, keys.join(','))
        for (const k of ['audit', 'review', 'pivot', 'units', 'people', 'settings']) assert.ok(keys.includes(k), k)
        await navigate(s, 'home')
      })()

      for (const [w, hgt] of [
        [1280, 720],
        [1366, 768],
      ]) {
        await h.step(`every screen at ${w}×${hgt}: 设置 in sight, nothing spills sideways`, async () => {
          await s.cmd('POST', '/window/rect', { width: w, height: hgt })
          await s.waitUntil(async () => (await s.execute('return window.outerWidth')) <= w + 2, { what: 'the window to resize' })
          for (const key of (await menuKeys(s)).filter((k) => k !== 'settings').concat('settings')) {
            await navigate(s, key)
            await s.waitUntil(async () => !(await s.execute(`return !!document.querySelector('.el-loading-mask:not([style*="display: none"])')`)), { timeoutMs: 30_000, what: `${key} to load` })
            const fit = await fitsWindow(s)
            assert.ok(fit.settingsVisible, `${key} at ${w}×${hgt}: 设置 below the fold ${JSON.stringify(fit)}`)
            assert.ok(fit.sideways <= 1, `${key} at ${w}×${hgt}: spills ${fit.sideways}px sideways`)
          }
          await navigate(s, 'home')
          await s.painted?.()
          await h.screenshot(`33-home-${w}x${hgt}.png`)
          await navigate(s, 'records')
          await s.waitFor(`${byId('record-screen')}[data-ready="true"]`)
          await h.screenshot(`34-records-${w}x${hgt}.png`)
          // The collapsed sidebar.
          const asideWidth = () => s.execute(`return document.querySelector('.shell-aside').getBoundingClientRect().width`)
          await click(s, byId('nav-collapse'))
          // It narrows with a short transition.
          await s.waitUntil(async () => (await asideWidth()) <= 70, { what: 'the sidebar to collapse' })
          await h.screenshot(`35-collapsed-${w}x${hgt}.png`)
          await click(s, byId('nav-collapse'))
          await s.waitUntil(async () => (await asideWidth()) >= 200, { what: 'the sidebar to expand' })
        })()
      }
    } finally {
      await h.stop()
    }
  })
})
