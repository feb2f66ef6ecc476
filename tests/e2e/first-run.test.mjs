// End-to-end acceptance test of the first run, driving the real app binary through
// tauri-driver + WebKitWebDriver:
//   first-run set-up → create a campaign → quit → start again → the campaign is still there;
// plus an empty-name check, and “load demo town” on a fresh data folder.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a node --test tests/e2e/
//
// Screenshots go to artifacts/e2e/ (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  AppHarness,
  byId,
  campaignNames,
  clearField,
  click,
  field,
  fill,
  navigate,
  e2eSuite,
  waitAppReady,
  waitScreen,
  waitTableLoaded,
} from './harness.mjs'

const TOWN = '双龙镇'
const COUNTY = '巫山县'
const VILLAGES = '安静村\n石院村\n长安村'
const USER = '李明'
const CAMPAIGN = '2026年宪法宣传周'

/** Generous per-step limit, so a wedged app fails the step instead of hanging the run. */
const STEP = { timeout: 180_000 }

// Without an X server, a built binary or the drivers, one test fails saying what is missing.
const suite = await e2eSuite()

suite('first run: set up, create a campaign, quit, restart', () => {
  const h = new AppHarness('first-run')
  before(() => h.start())
  after(() => h.stop())

  it(
    'first-run set-up opens the main window',
    STEP,
    h.step('setup', async () => {
      const s = await h.launch()
      assert.equal(await waitScreen(s), 'setup', 'a fresh data folder should show the first-run set-up')
      await fill(s, 'setup-town', TOWN)
      await fill(s, 'setup-county', COUNTY)
      await fill(s, 'setup-villages', VILLAGES)
      const count = await s.texts(byId('setup-villages-count'))
      assert.match(count[0] ?? '', /3/, `the village count should say 3, says ${JSON.stringify(count)}`)
      await fill(s, 'setup-user-name', USER)
      await click(s, byId('setup-submit'))
      await waitAppReady(s)
      const town = await (await s.waitFor(byId('header-town'))).text()
      assert.ok(town.includes(TOWN), `header-town should contain ${TOWN}, is "${town}"`)
      const user = await (await s.waitFor(byId('header-user'))).text()
      assert.ok(user.includes(USER), `header-user should name ${USER}, is "${user}"`)
    }),
  )

  it(
    `creates the campaign “${CAMPAIGN}”`,
    STEP,
    h.step('create-campaign', async () => {
      const s = h.session
      await navigate(s, 'campaigns', byId('campaign-new'))
      await waitTableLoaded(s)
      assert.deepEqual(await campaignNames(s), [], 'a new town has no campaigns')
      await click(s, byId('campaign-new'))
      await fill(s, 'campaign-name', CAMPAIGN)
      // The dialog pre-fills the dates (today … today+6).
      const start = await (await s.waitFor(field('campaign-start-date'))).property('value')
      const end = await (await s.waitFor(field('campaign-end-date'))).property('value')
      assert.ok(start && end, `the dates should be pre-filled, are "${start}" … "${end}"`)
      await click(s, byId('campaign-save'))
      await s.waitForText(byId('campaign-row-name'), CAMPAIGN)
      await s.waitGone('.campaign-dialog')
      assert.deepEqual(await campaignNames(s), [CAMPAIGN])
      const shot = await h.screenshot('01-campaign-created.png')
      console.log(`[e2e] screenshot: ${shot}`)
    }),
  )

  it(
    'quitting (deleting the session) ends the app process',
    STEP,
    h.step('quit', async () => {
      assert.ok(h.appPids().length > 0, 'the app should be running before the quit')
      await h.quit()
      assert.deepEqual(h.appPids(), [], 'no app process should be left on this data folder')
    }),
  )

  it(
    'after a restart there is no set-up and the campaign is still there',
    STEP,
    h.step('restart', async () => {
      const s = await h.launch()
      const screen = await waitScreen(s)
      assert.equal(screen, 'ready', 'the restarted app should open the main shell, not the set-up (data not kept?)')
      const town = await (await s.waitFor(byId('header-town'))).text()
      assert.ok(town.includes(TOWN), `header-town should contain ${TOWN}, is "${town}"`)
      await navigate(s, 'campaigns', byId('campaign-new'))
      await s.waitForText(byId('campaign-row-name'), CAMPAIGN)
      assert.deepEqual(await campaignNames(s), [CAMPAIGN])
      const shot = await h.screenshot('02-after-restart.png')
      console.log(`[e2e] screenshot: ${shot}`)
    }),
  )

  it(
    'an empty campaign name is refused with a message and adds no row',
    STEP,
    h.step('empty-name', async () => {
      const s = h.session
      await waitTableLoaded(s)
      const before = await campaignNames(s)
      await click(s, byId('campaign-new'))
      const name = await fill(s, 'campaign-name', '临时')
      await clearField(name)
      await click(s, byId('campaign-save'))
      const err = await s.waitFor('.campaign-dialog .el-form-item__error')
      const text = (await err.text()).trim()
      assert.match(text, /不能为空|请填写|请输入/, `the error should say the name is missing, says "${text}"`)
      assert.match(text, /名称/, `the error should name the field, says "${text}"`)
      assert.ok(await (await s.find('.campaign-dialog')).displayed(), 'the dialog should stay open')
      await h.screenshot('03-empty-name-error.png')
      // Close without saving; the table is unchanged.
      await click(s, '.campaign-dialog .el-dialog__footer .el-button:not(.el-button--primary)')
      await s.waitGone('.campaign-dialog')
      await sleep(300)
      await waitTableLoaded(s)
      assert.deepEqual(await campaignNames(s), before, 'no campaign should have been added')
      await h.quit()
    }),
  )
})

suite('load demo town', () => {
  const h = new AppHarness('demo')
  before(() => h.start())
  after(() => h.stop())

  it(
    '“load demo town” opens the main window with at least 10 campaigns',
    STEP,
    h.step('demo', async () => {
      const s = await h.launch()
      assert.equal(await waitScreen(s), 'setup', 'a fresh data folder should show the first-run set-up')
      await click(s, byId('setup-demo'))
      // It asks first (ElMessageBox.confirm).
      await click(s, '.el-message-box .el-message-box__btns .el-button--primary')
      await s.waitGone('.el-message-box')
      await waitAppReady(s, { timeoutMs: 60_000 })
      const town = await (await s.waitFor(byId('header-town'))).text()
      assert.ok(town.includes(TOWN), `the demo town is ${TOWN}; header-town is "${town}"`)
      await navigate(s, 'campaigns', byId('campaign-new'))
      const names = await s.waitUntil(
        async () => {
          const n = await campaignNames(s)
          return n.length >= 10 ? n : null
        },
        { what: 'at least 10 rows in the campaigns table' },
      )
      assert.ok(names.every((n) => n.length > 0), 'every row has a name')
      const shot = await h.screenshot('04-demo-campaigns.png')
      console.log(`[e2e] demo: ${names.length} campaigns; screenshot: ${shot}`)
      await h.quit()
    }),
  )
})
