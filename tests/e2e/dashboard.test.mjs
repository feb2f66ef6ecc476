// End-to-end test of the 统计 dashboard on the demo town, driving the real app binary:
// the year's headline and totals are the ones the command line's `summary` prints for the same
// period; a breakdown shown as a table has its 合计; a click on the 场次 figure opens the 台账
// with the same period and only approved records.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/
//
// Screenshots go to artifacts/e2e/3x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { AppHarness, byId, cli, click, navigate, e2eSuite, waitAppReady } from './harness.mjs'

const STEP = { timeout: 180_000 }
const YEAR = new Date().getFullYear()

const suite = await e2eSuite()

suite('dashboard: the demo year in numbers, charts with tables, click through to the 台账', () => {
  const h = new AppHarness('dashboard')
  before(async () => {
    await h.start()
    await cli(h.dataDir, ['demo'], { timeoutMs: 120_000 })
  })
  after(() => h.stop())

  it(
    'shows the numbers the command line counts, and a click opens the records behind them',
    STEP,
    h.step('dashboard', async () => {
      const want = await cli(h.dataDir, ['summary', '--from', `${YEAR}-01-01`, '--to', `${YEAR}-12-31`], { json: true })
      assert.ok(want.activities > 0, 'the demo town has approved records this year')
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'dashboard', `${byId('dashboard-screen')}[data-ready="true"]`)
      const headline = (await s.texts(byId('dashboard-headline')))[0] ?? ''
      assert.ok(headline.includes(want.headline), `headline "${headline}" should contain "${want.headline}"`)
      // Big figures are grouped by thousands on screen ("7,367").
      const kpi = async (id) => Number(((await s.texts(byId(id)))[0] ?? '').match(/\d[\d,]*/)?.[0].replace(/,/g, ''))
      assert.equal(await kpi('kpi-activities'), want.activities)
      assert.equal(await kpi('kpi-participants'), want.participants)
      assert.equal(await kpi('kpi-reach'), want.reach)
      // The window states the basis in the core's words (zh-CN).
      assert.equal((await s.texts(byId('dashboard-basis')))[0], want.basis_line)
      const charts = await s.execute(`return document.querySelectorAll('[data-testid="dashboard-screen"] .echart svg').length`)
      assert.ok(charts >= 5, `the trend and the breakdowns are drawn (${charts} charts)`)
      const shot = await h.screenshot('30-dashboard.png')
      console.log(`[e2e] ${headline}\n[e2e] screenshot: ${shot}`)

      await click(s, byId('dashboard-table-village'))
      const cells = await s.waitUntil(
        async () => {
          const text = await s.execute(
            `const f = document.querySelector('[data-testid="dashboard-rows-village"] .el-table__footer');
             return f ? Array.from(f.querySelectorAll('td')).map((td) => td.textContent.trim()) : [];`,
          )
          const parts = text.filter(Boolean)
          return parts.length >= 2 ? parts : null
        },
        { what: 'the 合计 row of the village table' },
      )
      assert.equal(cells[0], '合计')
      const n = (text) => Number(text.replace(/,/g, ''))
      assert.equal(n(cells[1]), want.by_village.reduce((t, b) => t + b.activities, 0))
      assert.equal(n(cells[1]), want.activities, 'every record counts for exactly one village')

      await click(s, byId('kpi-activities'))
      await s.waitFor(`${byId('ledger-screen')}`)
      await s.waitUntil(async () => ((await s.texts(byId('ledger-stats')))[0] ?? '').includes(String(want.activities)), {
        what: `the 台账 to show the ${want.activities} approved records of ${YEAR}`,
      })
      // The 台账 counts the same records and says so in the same words.
      await s.waitUntil(async () => ((await s.texts(byId('ledger-basis')))[0] ?? '') === want.basis_line, {
        what: `the 台账 to state "${want.basis_line}"`,
      })
      // The table shows a page of 50; the pager counts them all.
      const rows = await s.execute(`return document.querySelectorAll('[data-testid="ledger-table"] .el-table__body tr').length`)
      assert.equal(rows, Math.min(want.activities, 50))
      if (want.activities > 50) {
        const total = (await s.texts(`${byId('ledger-pager')} .el-pagination__total`))[0] ?? ''
        assert.match(total, new RegExp(`\\b${want.activities}\\b`), `the pager says ${want.activities} in all: "${total}"`)
      }
      console.log(`[e2e] screenshot: ${await h.screenshot('31-dashboard-to-ledger.png')}`)
    }),
  )
})
