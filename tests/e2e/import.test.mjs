// End-to-end test of 台账 › 导入Excel on the real app binary. One laptop (a data folder with
// the demo town) exports its 台账 to Excel through the command line; the app on another
// laptop (the same town, its villages, schools and materials, with the year before) downloads the 活动登记表 template
// (the save dialog answered by the test), then imports that Excel file (the open dialog
// answered): the preview shows the counts the command line's dry run finds for the same file,
// the import adds exactly the valid rows, and a second import of the same file adds nothing.
// The preview lists every sheet of the workbook and names the columns it does not import.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/import.test.mjs
//
// Screenshots go to artifacts/e2e/6x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppHarness, answerDialog, byId, cli, click, e2eSuite, navigate, waitAppReady } from './harness.mjs'

const STEP = { timeout: 240_000 }
const YEAR = new Date().getFullYear() - 1

const suite = await e2eSuite()

function messages(session) {
  return session.texts('.el-message .el-message__content')
}

async function recordCount(dataDir) {
  const all = await cli(dataDir, ['activity', 'list', '--from', `${YEAR}-01-01`, '--to', `${YEAR}-12-31`], { json: true })
  return all.filter((a) => a.kind === 'record').length
}

suite('import: a 台账 exported on one laptop, imported through the preview on another', () => {
  const h = new AppHarness('import')
  let work
  let ledger
  let template
  let dry
  before(async () => {
    await h.start()
    work = mkdtempSync(join(dirname(h.dataDir), 'pufa-e2e-import-'))
    const other = join(work, 'village-laptop')
    await cli(other, ['demo', '--year', String(YEAR)], { timeoutMs: 120_000 })
    ledger = join(work, '村里的台账.xlsx')
    await cli(other, ['export', 'ledger-xlsx', '--out', ledger, '--from', `${YEAR}-01-01`, '--to', `${YEAR}-12-31`])
    // This laptop keeps the same town (villages, schools, materials) with the year before.
    await cli(h.dataDir, ['demo', '--year', String(YEAR - 1)], { timeoutMs: 120_000 })
    template = join(work, '活动登记表.xlsx')
    dry = await cli(h.dataDir, ['import', 'xlsx', ledger, '--dry-run'], { json: true })
    assert.ok(dry.valid > 10, `the exported 台账 has rows to import: ${JSON.stringify({ valid: dry.valid, errors: dry.errors?.length })}`)
  })
  after(async () => {
    await h.stop()
    if (work && !h.failed && !process.env.PUFA_E2E_KEEP) rmSync(work, { recursive: true, force: true })
  })

  it(
    'downloads the template, previews the file with the counts of a dry run, imports the valid rows once',
    STEP,
    h.step('import', async () => {
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'ledger', byId('ledger-screen'))
      await click(s, byId('ledger-import'))
      await s.waitFor(byId('import-template'))
      await answerDialog(s, 'save', template)
      await click(s, byId('import-template'))
      await s.waitUntil(() => existsSync(template) && statSync(template).size > 0, { what: `the template ${template}` })

      assert.equal(await recordCount(h.dataDir), 0)
      await answerDialog(s, 'open', ledger)
      await click(s, byId('import-choose'))
      const counts = await s.waitUntil(
        async () => {
          const text = (await s.texts(`${byId('import-counts')} .el-alert__title`)).join('\n')
          return text.includes('可导入') ? text : null
        },
        { what: 'the counts of the preview' },
      )
      assert.ok(counts.includes(`可导入 ${dry.valid} 行`), `${counts} — the dry run found ${dry.valid}`)
      if (dry.error_rows) assert.ok(counts.includes(`有错误 ${dry.error_rows} 行`), counts)
      // Every sheet of the workbook is listed: read (with its rows) or skipped, and why.
      const sheets = await s.texts(`${byId('import-sheets')} li`)
      assert.equal(sheets.length, dry.sheets.length, `${sheets.join(' / ')}`)
      for (const sh of dry.sheets) {
        assert.ok(sheets.some((t) => t.includes(`“${sh.name}”表`)), `${sh.name} in ${sheets.join(' / ')}`)
      }
      if (dry.ignored_columns.length) {
        const ignored = await s.texts(`${byId('import-ignored')} .el-alert__title`)
        assert.ok(ignored.some((t) => t.includes(`这些列没有导入：${dry.ignored_columns.join('、')}`)), ignored.join(' / '))
      }
      console.log(`[e2e] screenshot: ${await h.screenshot('60-import-preview.png')}`)
      await click(s, byId('import-go'))
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes(`已导入 ${dry.valid} 条活动记录`)), {
        what: `the message 已导入 ${dry.valid} 条活动记录`,
      })
      assert.equal(await recordCount(h.dataDir), dry.valid, 'the valid rows are records now')
      const kept = await cli(h.dataDir, ['backup', 'list'], { json: true })
      assert.ok(
        kept.some((b) => b.kind === 'before_import'),
        'the data was backed up before the import',
      )

      // The same file again: everything is already recorded.
      await click(s, byId('ledger-import'))
      await answerDialog(s, 'open', ledger)
      await click(s, byId('import-choose'))
      await s.waitUntil(
        async () => (await s.texts(`${byId('import-counts')} .el-alert__title`)).some((t) => t.includes(`已登记过 ${dry.valid + dry.duplicates} 行`)),
        { what: 'every row already recorded' },
      )
      console.log(`[e2e] screenshot: ${await h.screenshot('61-import-again.png')}`)
      assert.equal(await recordCount(h.dataDir), dry.valid)
    }),
  )
})
