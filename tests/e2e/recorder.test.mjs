// End-to-end test of 记录人 on the real app binary: two data folders on one computer, each used
// by a different person. The WebView's own storage is shared by both (one app identifier), so
// nothing remembered there may decide who recorded: a record saved in each folder carries that
// folder's user as 记录人, without the user typing it.
//
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/recorder.test.mjs

import { it } from 'node:test'
import assert from 'node:assert/strict'
import { AppHarness, byId, cli, click, e2eSuite, field, fill, initTown, navigate, waitAppReady } from './harness.mjs'

const STEP = { timeout: 180_000 }
const suite = await e2eSuite()

/** Records an activity in the open app without touching 记录人; returns what the field showed. */
async function recordOne(h, title) {
  const s = await h.launch()
  await waitAppReady(s)
  await navigate(s, 'records', `${byId('record-screen')}[data-ready="true"]`)
  await fill(s, 'record-title', title)
  await click(s, byId('record-format-courtyard_meeting'))
  await fill(s, 'record-participants', '40')
  const shown = await s.execute(`return document.querySelector(arguments[0])?.value ?? ''`, field('record-recorder'))
  await click(s, byId('record-save'))
  await s.waitFor(byId('record-status'))
  await h.screenshot(`25-recorder-${h.name}.png`)
  await h.quit()
  return shown
}

suite('记录人: each data folder records under its own user', () => {
  for (const [folder, user, village] of [
    ['one', '张三', '安静村'],
    ['another', '李四', '石院村'],
  ]) {
    it(`a record saved in the ${folder} folder is recorded by ${user}`, STEP, async () => {
      const h = new AppHarness(`recorder-${folder}`)
      try {
        await h.start()
        await initTown(h.dataDir, { user, village })
        const title = `${user}录入的院坝会`
        let shown = ''
        await h.step('record', async () => {
          shown = await recordOne(h, title)
        })()
        assert.equal(shown, user, `the form starts with this folder's user as 记录人`)
        const listed = await cli(h.dataDir, ['activity', 'list', '--from', '2000-01-01', '--to', '2100-12-31'], { json: true })
        const rec = listed.find((e) => e.title === title)
        assert.ok(rec, `the record is listed: ${JSON.stringify(listed.map((e) => e.title))}`)
        assert.equal(rec.recorder, user)
      } finally {
        await h.stop()
      }
    })
  }
})
