// End-to-end test of background problems on the real app binary: when the automatic backup the
// app makes at start-up fails (here: a file stands where the backups folder should be), the
// window says so — a release build on Windows has no console to print it to — and the log
// file in the data folder's logs/ keeps it.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/notices.test.mjs
//
// Screenshot: artifacts/e2e/90-auto-backup-failed.png.

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppHarness, cli, e2eSuite, waitAppReady } from './harness.mjs'

const STEP = { timeout: 180_000 }
const suite = await e2eSuite()

suite('a failed automatic backup is shown in the window and logged', () => {
  const h = new AppHarness('notices')
  before(async () => {
    await h.start()
    await cli(h.dataDir, ['init', '--town', '双龙镇', '--villages', '安静村,石院村', '--user', '张三'])
    writeFileSync(join(h.dataDir, 'backups'), 'not a folder')
  })
  after(async () => {
    await h.stop()
  })

  it(
    'shows 自动备份失败 with the reason, until the user closes it',
    STEP,
    h.step('auto-backup-failed', async () => {
      const s = await h.launch()
      await waitAppReady(s)
      const text = await s.waitUntil(
        async () => {
          const shown = (await s.texts('.el-notification')).join('\n')
          return shown.includes('自动备份失败') ? shown : null
        },
        { what: 'the notification 自动备份失败' },
      )
      assert.match(text, /backups/, 'the reason names the folder')
      assert.match(text, /数据没有受影响/)
      console.log(`[e2e] screenshot: ${await h.screenshot('90-auto-backup-failed.png')}`)
      const logs = readdirSync(join(h.dataDir, 'logs'))
      assert.equal(logs.length, 1, `one log file: ${logs}`)
      const log = readFileSync(join(h.dataDir, 'logs', logs[0]), 'utf8')
      assert.match(log, /WARN .*AutoBackupFailed/, log)
    }),
  )
})
