// End-to-end test of 数据包 on the real app binary: the town's laptop (the app, on the demo
// town) exports a package through the save dialog; a village laptop (another data folder,
// through the command line, its user a cadre of 安静村) takes the town from it, records an
// activity of its village and renames a campaign — which a village laptop may not — and sends
// its changes back; the app imports that package through the open dialog: the report names its
// maker and shows what came in, the new record is in the 台账, and the campaign rename is held
// back for the coordinator with the reason, then taken by the user's choice. A package from a
// laptop never seen that says it is the town's is imported only once the user confirms.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/package.test.mjs
//
// Screenshots go to artifacts/e2e/7x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppHarness, answerDialog, byId, chooseOption, cli, click, e2eSuite, fill, navigate, waitAppReady } from './harness.mjs'

const STEP = { timeout: 240_000 }
const TITLE = '村里补录：宪法进院坝'

const suite = await e2eSuite()

function messages(session) {
  return session.texts('.el-message .el-message__content')
}

function today() {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

suite('package: the town exports, a village laptop sends its changes back, the town merges them', () => {
  const h = new AppHarness('package')
  let work
  let village
  let campaign
  before(async () => {
    await h.start()
    work = mkdtempSync(join(dirname(h.dataDir), 'pufa-e2e-package-'))
    village = join(work, 'village-laptop')
    await cli(h.dataDir, ['demo'], { timeoutMs: 120_000 })
    const list = await cli(h.dataDir, ['campaign', 'list'], { json: true })
    campaign = list[0]
  })
  after(async () => {
    await h.stop()
    if (work && !h.failed && !process.env.PUFA_E2E_KEEP) rmSync(work, { recursive: true, force: true })
  })

  it(
    'exports the whole town to a file, which another data folder takes in',
    STEP,
    h.step('export', async () => {
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'exchange', byId('exchange-screen'))
      const file = join(work, '双龙镇数据包.pufapkg')
      await click(s, byId('package-everything'))
      await answerDialog(s, 'save', file)
      await click(s, byId('package-export'))
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes('已导出数据包')), { what: 'the message 已导出数据包' })
      assert.ok(existsSync(file) && statSync(file).size > 1000, `the package ${file}`)

      const adopted = await cli(village, ['package', 'import', file], { json: true, timeoutMs: 120_000 })
      assert.equal(adopted.adopted_town, true)
      assert.equal(adopted.conflicts, 0)
      await cli(village, ['user', '--name', '王五', '--role', 'village_cadre', '--village', '安静村'])
      const records = await cli(h.dataDir, ['summary'], { json: true })
      assert.ok(adopted.added > records.activities, `${adopted.added} rows added`)
    }),
  )

  it(
    'imports the village package: the report, the new record in the 台账, the conflict settled',
    STEP,
    h.step('import', async () => {
      const s = h.session
      // The village records an activity and renames a campaign; the town renames it too.
      const record = join(work, 'record.json')
      writeFileSync(
        record,
        JSON.stringify({ title: TITLE, date: today(), unit_id: '安静村', formats: ['院坝会'], participants: 45, reach: 60, recorder: '王五' }),
      )
      await cli(village, ['activity', 'add', '--json-file', record])
      const rename = (dir, name) =>
        cli(dir, ['campaign', 'edit', campaign.id, '--name', name, '--kind', campaign.kind, '--start', campaign.start_date, '--end', campaign.end_date])
      await rename(village, `${campaign.name}（村里改）`)
      const back = join(work, '安静村回传.pufapkg')
      await cli(village, ['package', 'export', '--out', back, '--since-last'])

      await answerDialog(s, 'open', back)
      await click(s, byId('package-import'))
      const line = await s.waitUntil(
        async () => {
          const t = (await s.texts(byId('package-report-line')))[0] ?? ''
          return t.includes('新增') ? t : null
        },
        { what: 'the import report' },
      )
      assert.match(line, /新增 1，更新 0，冲突 1，/, line)
      const maker = (await s.texts(byId('package-report-maker')))[0] ?? ''
      assert.match(maker, /安静村的电脑（王五）/, maker)
      const held = (await s.texts(byId('package-report-out-of-scope')))[0] ?? ''
      assert.match(held, /其中 1 处修改超出了制作者的权限/, held)
      const table = (await s.texts(byId('package-report-table')))[0] ?? ''
      assert.ok(table.includes('活动记录') && table.includes('活动专项'), table)
      const reason = (await s.texts(byId('sync-conflict-reason')))[0] ?? ''
      assert.match(reason, /未导入：村里的电脑不能修改活动专项/, reason)
      // Not applied: the town's campaign is as it was.
      assert.equal((await cli(h.dataDir, ['campaign', 'show', campaign.id], { json: true })).name, campaign.name)
      await s.waitUntil(async () => ((await s.texts(byId('sync-conflict-table')))[0] ?? '').includes('待处理'), {
        what: 'the open conflict listed',
      })
      console.log(`[e2e] screenshot: ${await h.screenshot('70-package-report.png')}`)

      await click(s, byId('sync-conflict-open'))
      const lines = await s.waitUntil(
        async () => {
          const t = (await s.texts(`${byId('conflict-dialog')} ${byId('conflict-lines')}`))[0] ?? ''
          return t.includes('村里改') ? t : null
        },
        { what: 'both versions side by side' },
      )
      assert.ok(lines.includes(campaign.name), lines)
      const why = (await s.texts(`${byId('conflict-dialog')} ${byId('conflict-held-back')}`))[0] ?? ''
      assert.match(why, /没有导入：村里的电脑不能修改活动专项/, why)
      console.log(`[e2e] screenshot: ${await h.screenshot('71-package-conflict.png')}`)
      await click(s, byId('conflict-keep-incoming'))
      await s.waitUntil(async () => ((await s.texts(byId('sync-conflict-table')))[0] ?? '').includes('已保留导入版本'), {
        what: 'the conflict settled',
      })
      const kept = await cli(h.dataDir, ['campaign', 'show', campaign.id], { json: true })
      assert.equal(kept.name, `${campaign.name}（村里改）`)

      // The village's record is in the town's 台账, waiting for review: the counted list leaves it
      // out and says so; the list of pending records shows it.
      await navigate(s, 'ledger', byId('ledger-screen'))
      await fill(s, 'ledger-search', '村里补录')
      await s.waitUntil(async () => ((await s.texts(byId('ledger-basis')))[0] ?? '').includes('另有待审核 1 场'), {
        what: 'the basis line naming the pending record',
      })
      await chooseOption(s, byId('ledger-status'), '待审核')
      await s.waitUntil(async () => (await s.texts(byId('ledger-row-title'))).includes(TITLE), { what: `${TITLE} in the 台账` })
      const trail = await cli(h.dataDir, ['audit', '--entity', 'sync'], { json: true })
      assert.deepEqual(trail.map((e) => e.action).sort(), ['export', 'import'])
      // The record's own history names the package and the village laptop it came from.
      const rec = (await cli(h.dataDir, ['activity', 'list'], { json: true })).find((e) => e.kind === 'record' && e.title === TITLE)
      const history = await cli(h.dataDir, ['audit', '--entity', 'record', '--id', rec.id], { json: true })
      assert.ok(history.some((e) => e.summary.includes('数据包导入') && e.summary.includes('安静村的电脑（王五）')), JSON.stringify(history))
    }),
  )

  it(
    "asks before importing from a laptop never seen that says it is the town's",
    STEP,
    h.step('unknown-laptop', async () => {
      const s = h.session
      // A second laptop started from the town's package, with no user set: it speaks for the town.
      const other = join(work, 'other-laptop')
      const first = join(work, '双龙镇数据包.pufapkg')
      await cli(other, ['package', 'import', first], { json: true, timeoutMs: 120_000 })
      const rename = `${campaign.name}（另一台电脑改）`
      await cli(other, ['campaign', 'edit', campaign.id, '--name', rename, '--kind', campaign.kind, '--start', campaign.start_date, '--end', campaign.end_date])
      const pkg = join(work, '另一台电脑.pufapkg')
      await cli(other, ['package', 'export', '--out', pkg, '--since-last'])
      await navigate(s, 'exchange', byId('exchange-screen'))
      await answerDialog(s, 'open', pkg)
      await click(s, byId('package-import'))
      const asked = await s.waitUntil(
        async () => {
          const t = (await s.texts('.unknown-device-confirm .el-message-box__message')).join('\n')
          return t.includes('本机以前没有收到过这台电脑的数据包') ? t : null
        },
        { what: 'the question about the unknown laptop' },
      )
      assert.match(asked, /自称由“双龙镇的电脑”制作/)
      console.log(`[e2e] screenshot: ${await h.screenshot('72-package-unknown-laptop.png')}`)
      await click(s, '.unknown-device-confirm .el-message-box__btns .el-button--primary')
      await s.waitUntil(async () => ((await s.texts(byId('package-report-maker')))[0] ?? '').includes('双龙镇的电脑'), {
        what: 'the report of the confirmed import',
      })
      assert.equal((await cli(h.dataDir, ['campaign', 'show', campaign.id], { json: true })).name, rename)
    }),
  )
})
