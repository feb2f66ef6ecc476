// Not a test (no .test. in the name): opens the app on a county-scale data folder and times
// the 统计, 台账, 审核 and 透视表 screens. PUFA_SCALE_DIR=/path node tests/e2e/scale-look.mjs
import { rmSync, symlinkSync } from 'node:fs'
import { AppHarness, byId, waitAppReady } from './harness.mjs'

const dir = process.env.PUFA_SCALE_DIR
process.env.PUFA_E2E_KEEP = '1'
const h = new AppHarness('scale-look')
await h.start()
rmSync(h.dataDir, { recursive: true, force: true })
symlinkSync(dir, h.dataDir)
try {
  const s = await h.launch()
  let t = Date.now()
  await waitAppReady(s, { timeoutMs: 300_000 })
  console.log(`app ready in ${Date.now() - t} ms`)
  for (const [key, ready] of [
    ['dashboard', `${byId('dashboard-screen')}[data-ready="true"]`],
    ['ledger', byId('ledger-screen')],
    ['review', byId('review-screen')],
    ['pivot', byId('pivot-screen')],
  ]) {
    await s.execute(`window.__t0 = performance.now(); document.querySelector('[data-testid="nav-${key}"]').click()`)
    await s.waitFor(ready, { timeoutMs: 120_000 })
    await s.waitUntil(async () => !(await s.execute(`return !!document.querySelector('.el-loading-mask:not([style*="display: none"])')`)), { timeoutMs: 120_000, what: 'loading to end' })
    console.log(`${key}: ${Math.round(await s.execute('return performance.now() - window.__t0'))} ms`)
    console.log(await h.screenshot(`scale-${key}.png`))
  }
} finally {
  await h.stop()
}
