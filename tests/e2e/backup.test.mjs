// End-to-end test of 设置 › 备份与恢复 on the real app binary: the app makes today's automatic
// backups when it starts and lists them; the user backs up to a file (the native save dialog
// answered by the test); a campaign added afterwards (through the command line) is gone again
// after the user restores that file (the native open dialog answered, the preview confirmed),
// the current data having been backed up first, and the restore is in the audit trail. The
// window refuses a request naming a file no dialog offered (as an injected script would send),
// and another town's backup is restored only after a second confirmation naming both towns.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/backup.test.mjs
//
// Screenshots go to artifacts/e2e/5x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppHarness, answerDialog, byId, cli, click, e2eSuite, navigate, waitAppReady } from './harness.mjs'

const STEP = { timeout: 240_000 }
const YEAR = new Date().getFullYear() - 1
const ADDED = '备份之后新增的专项'

const suite = await e2eSuite()

/** The text of the message toasts on screen. */
function messages(session) {
  return session.texts('.el-message .el-message__content')
}

suite('backup: back up to a file, restore it, the data is as it was', () => {
  const h = new AppHarness('backup')
  let saveDir
  let file
  before(async () => {
    await h.start()
    await cli(h.dataDir, ['demo', '--year', String(YEAR)], { timeoutMs: 120_000 })
    saveDir = mkdtempSync(join(dirname(h.dataDir), 'pufa-e2e-backup-saved-'))
    file = join(saveDir, '双龙镇备份.pufabak')
  })
  after(async () => {
    await h.stop()
    if (saveDir && !h.failed && !process.env.PUFA_E2E_KEEP) rmSync(saveDir, { recursive: true, force: true })
  })

  it(
    'lists the automatic backups, backs up to a file, and restores it after a preview',
    STEP,
    h.step('backup-restore', async () => {
      const s = await h.launch()
      await waitAppReady(s)
      // Today's daily and weekly backups, made beside the window's work when the app started.
      await s.waitUntil(
        async () => {
          const kinds = (await cli(h.dataDir, ['backup', 'list'], { json: true })).map((b) => b.kind)
          return kinds.includes('daily') && kinds.includes('weekly')
        },
        { what: 'the automatic backups of the app start' },
      )
      await navigate(s, 'settings', byId('backup-card'))
      await s.waitUntil(
        async () => {
          const text = (await s.texts(`${byId('backup-list')} .el-table__body tr`)).join('\n')
          return text.includes('每日自动') && text.includes('每周自动')
        },
        { what: 'the daily and weekly backups in the list' },
      )
      const campaigns = (await cli(h.dataDir, ['campaign', 'list'], { json: true })).length

      await answerDialog(s, 'save', file)
      await click(s, byId('backup-now'))
      await s.waitUntil(() => existsSync(file) && statSync(file).size > 0, { what: `the backup ${file}` })
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes('已备份到') && m.includes(file)), {
        what: 'the message 已备份到…',
      })
      console.log(`[e2e] screenshot: ${await h.screenshot('50-backup-made.png')}`)

      await cli(h.dataDir, ['campaign', 'add', '--name', ADDED, '--start', `${YEAR}-06-01`, '--end', `${YEAR}-06-30`])
      assert.equal((await cli(h.dataDir, ['campaign', 'list'], { json: true })).length, campaigns + 1)

      await answerDialog(s, 'open', file)
      await click(s, byId('restore-file'))
      const preview = await s.waitUntil(
        async () => {
          const text = (await s.texts('.restore-confirm .el-message-box__message')).join('\n')
          return text.includes('乡镇：双龙镇') ? text : null
        },
        { what: 'the preview of the backup' },
      )
      assert.match(preview, /活动记录 \d+ 条/)
      console.log(`[e2e] screenshot: ${await h.screenshot('51-restore-preview.png')}`)
      await click(s, '.restore-confirm .el-message-box__btns .el-button--primary')
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes('已恢复')), { what: 'the message 已恢复…' })

      const after = await cli(h.dataDir, ['campaign', 'list'], { json: true })
      assert.equal(after.length, campaigns, 'the campaign added after the backup is gone')
      assert.ok(!after.some((c) => c.name === ADDED))
      const kept = await cli(h.dataDir, ['backup', 'list'], { json: true })
      assert.equal(kept[0].kind, 'before_restore', 'the data before the restore was backed up first')
      const trail = await cli(h.dataDir, ['audit', '--entity', 'backup'], { json: true })
      assert.equal(trail.length, 1, 'the restore is in the audit trail')
      await s.waitUntil(
        async () => (await s.texts(`${byId('backup-list')} .el-table__body tr`)).some((t) => t.includes('恢复前')),
        { what: 'the before-restore backup in the list' },
      )
      console.log(`[e2e] screenshot: ${await h.screenshot('52-restored.png')}`)
    }),
  )

  it(
    'refuses a file the user did not choose in one of its dialogs',
    STEP,
    h.step('chosen-files-only', async () => {
      const s = h.session
      const outside = join(saveDir, '脚本想写的.csv')
      // What a script injected into the page could send: the app's own command, a path of its own.
      const answer = await s.execute(
        `return window.__TAURI_INTERNALS__.invoke('call', { request: { cmd: 'export_csv', args: { path: arguments[0] } } })
           .then(() => 'written', (e) => e);`,
        outside,
      )
      assert.equal(answer?.code, 'forbidden', JSON.stringify(answer))
      assert.match(answer.message, /只能使用在对话框中选择的文件/)
      assert.ok(!existsSync(outside), 'nothing was written')
      // Chosen in the save dialog, the same request is taken.
      const chosen = join(saveDir, '台账.csv')
      await answerDialog(s, 'save', chosen)
      const path = await s.execute(`return window.__TAURI_INTERNALS__.invoke('choose_save', { defaultName: 'CON.csv', filterName: 'CSV', extension: 'csv' });`)
      assert.equal(path, chosen)
      const asked = await s.execute(
        `return window.__TAURI_INTERNALS__.invoke('call', { request: { cmd: 'export_csv', args: { path: arguments[0] } } })
           .then((r) => r, (e) => e);`,
        chosen,
      )
      assert.ok(existsSync(chosen), JSON.stringify(asked))
    }),
  )

  it(
    "restores another town's backup only after a second confirmation naming both towns",
    STEP,
    h.step('other-town', async () => {
      const s = h.session
      const other = mkdtempSync(join(dirname(h.dataDir), 'pufa-e2e-other-town-'))
      const otherFile = join(saveDir, '石院镇备份.pufabak')
      try {
        await cli(other, ['init', '--town', '石院镇', '--villages', '石院村,桃园村', '--user', '赵六', '--role', 'coordinator'])
        await cli(other, ['backup', '--out', otherFile])
      } finally {
        rmSync(other, { recursive: true, force: true })
      }
      const campaigns = (await cli(h.dataDir, ['campaign', 'list'], { json: true })).length
      await navigate(s, 'settings', byId('backup-card'))
      const restoreOther = async () => {
        await answerDialog(s, 'open', otherFile)
        await click(s, byId('restore-file'))
        await s.waitUntil(
          async () => (await s.texts('.restore-confirm .el-message-box__message')).join('\n').includes('乡镇：石院镇'),
          { what: 'the preview of the other town\'s backup' },
        )
        await click(s, '.restore-confirm .el-message-box__btns .el-button--primary')
        return s.waitUntil(
          async () => {
            const text = (await s.texts('.restore-other-town .el-message-box__message')).join('\n')
            return text.includes('石院镇') ? text : null
          },
          { what: 'the second confirmation naming both towns' },
        )
      }
      const warning = await restoreOther()
      assert.match(warning, /这是“石院镇”的备份，本机是“双龙镇”的台账/)
      const button = (await s.texts('.restore-other-town .el-message-box__btns .el-button--primary')).join('')
      assert.match(button, /确认用“石院镇”的数据替换“双龙镇”/)
      console.log(`[e2e] screenshot: ${await h.screenshot('53-restore-other-town.png')}`)
      // Cancelled: nothing changes.
      await click(s, '.restore-other-town .el-message-box__btns .el-button:not(.el-button--primary)')
      await s.waitGone('.restore-other-town')
      assert.equal((await cli(h.dataDir, ['campaign', 'list'], { json: true })).length, campaigns)
      assert.equal((await cli(h.dataDir, ['info'], { json: true })).town.name, '双龙镇')
      // Confirmed: the other town's data.
      await restoreOther()
      await click(s, '.restore-other-town .el-message-box__btns .el-button--primary')
      // The first step's 已恢复 toast may still be showing: wait for the one naming this file.
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes('已恢复') && m.includes('石院镇备份')), {
        what: 'the message 已恢复“石院镇备份.pufabak”的数据',
      })
      assert.equal((await cli(h.dataDir, ['info'], { json: true })).town.name, '石院镇')
    }),
  )
})
