// End-to-end test of toasts and notices against the real app binary (issue 19, point 6):
// - an approval is undone from its toast: 通过 on 审核, then 撤销 on the toast, and the record
//   is back to 待审核 (in the window and for the command line);
// - a notice (here the persistent 自动备份失败: a file stands where the backups folder should
//   be) never covers a drawer's or a dialog's buttons: the record drawer opens under the
//   notice's corner, and at every button's centre — and at every point where the notice and
//   the drawer overlap — the element on top belongs to the drawer/dialog; its close button
//   (right under the notice) closes it.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/toasts.test.mjs
//
// Screenshots: artifacts/e2e/95-undo-toast.png, 96-notice-under-drawer.png, 97-notice-under-dialog.png.

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppHarness, byId, cli, click, clickElement, e2eSuite, navigate, waitAppReady, waitForScriptElement } from './harness.mjs'

const STEP = { timeout: 180_000 }
const suite = await e2eSuite()

/** Review status counts of the records titled `title`, as the command line sees them. */
async function statuses(dataDir, title) {
  const all = await cli(dataDir, ['activity', 'list'], { json: true })
  const out = { pending: 0, approved: 0, returned: 0 }
  for (const a of all) if (a.kind === 'record' && a.title === title) out[a.review_status] += 1
  return out
}

/**
 * What covers what: for the overlay `panelCss` (a drawer or dialog), the notice's box, the
 * panel's, their overlap, the points of the overlap where something else than the panel is on
 * top, and the visible buttons of the panel whose centre is not the button itself.
 */
const VISIBLE = `const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };`
const COVER_SCRIPT = `${VISIBLE}
  const notice = Array.from(document.querySelectorAll('.el-notification')).find(visible);
  const panel = Array.from(document.querySelectorAll(arguments[0])).find(visible);
  if (!notice || !panel) return { missing: !notice ? 'notice' : 'panel' };
  const box = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
  const n = box(notice.getBoundingClientRect());
  const p = box(panel.getBoundingClientRect());
  const o = { left: Math.max(n.left, p.left), top: Math.max(n.top, p.top), right: Math.min(n.right, p.right), bottom: Math.min(n.bottom, p.bottom) };
  const overlap = o.right > o.left && o.bottom > o.top ? o : null;
  const coveredPoints = [];
  if (overlap) {
    for (let x = overlap.left + 2; x < overlap.right; x += 12) {
      for (let y = overlap.top + 2; y < overlap.bottom; y += 12) {
        const top = document.elementFromPoint(x, y);
        if (!top || !panel.contains(top)) coveredPoints.push([Math.round(x), Math.round(y), top ? top.className : null]);
      }
    }
  }
  const buttons = Array.from(panel.querySelectorAll('button')).filter(visible);
  const coveredButtons = buttons
    .filter((b) => {
      const r = b.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !top || !b.contains(top);
    })
    .map((b) => (b.textContent || b.getAttribute('aria-label') || b.className).trim());
  return { notice: n, panel: p, overlap, coveredPoints, buttons: buttons.length, coveredButtons };
`

suite('toasts and notices: an approval undone from its toast; a notice never covers a drawer or dialog', () => {
  const h = new AppHarness('toasts')
  /** The pending record the test approves, by its title. */
  let title
  let before0
  before(async () => {
    await h.start()
    await cli(h.dataDir, ['demo'], { timeoutMs: 120_000 })
    // The automatic backup at start fails and says so until closed (a persistent notice).
    rmSync(join(h.dataDir, 'backups'), { recursive: true, force: true })
    writeFileSync(join(h.dataDir, 'backups'), 'not a folder')
  })
  after(async () => {
    await h.stop()
  })

  it(
    '撤销 on the approval toast puts the record back to 待审核',
    STEP,
    h.step('undo-approval', async () => {
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'review', byId('review-screen'))
      await waitForScriptElement(s, `return document.querySelector('[data-testid="review-table"] [data-testid="review-row-title"]') || null;`, [], {
        what: 'a pending record on 审核',
      })
      title = (await s.texts(`${byId('review-table')} ${byId('review-row-title')}`))[0].trim()
      before0 = await statuses(h.dataDir, title)
      assert.ok(before0.pending >= 1, `"${title}" is pending: ${JSON.stringify(before0)}`)

      // 通过 of the row with that title (the actions column is fixed: its buttons are in the
      // fixed copy of the table, row by row in the same order).
      const approve = await waitForScriptElement(
        s,
        `const titles = Array.from(document.querySelectorAll('[data-testid="review-table"] .el-table__body tr')).map((tr) => {
           const t = tr.querySelector('[data-testid="review-row-title"]'); return t ? t.textContent.trim() : null; });
         const i = titles.indexOf(arguments[0]);
         const buttons = Array.from(document.querySelectorAll('[data-testid="review-table"] [data-testid="review-approve"]')).filter((b) => b.offsetParent !== null);
         return i >= 0 ? buttons[i] || null : null;`,
        [title],
        { what: 'the row\'s 通过' },
      )
      await clickElement(s, approve, 'the row\'s 通过')
      const undo = await waitForScriptElement(
        s,
        `return Array.from(document.querySelectorAll('[data-testid="review-undo"]')).find((e) => e.offsetParent !== null) || null;`,
        [],
        { what: 'the toast with 撤销' },
      )
      await s.waitUntil(async () => (await statuses(h.dataDir, title)).approved === before0.approved + 1, {
        what: `"${title}" approved`,
      })
      console.log(`[e2e] screenshot: ${await h.screenshot('95-undo-toast.png')}`)

      await clickElement(s, undo, '撤销 on the toast')
      await s.waitUntil(async () => {
        const now = await statuses(h.dataDir, title)
        return now.pending === before0.pending && now.approved === before0.approved
      }, { what: `"${title}" back to 待审核 for the command line` })
      // The toast is gone, and the record is listed as pending again.
      await s.waitUntil(
        async () =>
          s.execute(
            `const shown = Array.from(document.querySelectorAll('[data-testid="review-undo"]')).some((e) => e.offsetParent !== null);
             const rows = Array.from(document.querySelectorAll('[data-testid="review-row-title"]')).filter((e) => e.textContent.trim() === arguments[0]);
             return !shown && rows.length === arguments[1];`,
            title,
            before0.pending,
          ),
        { what: `the toast closed and "${title}" listed on 待审核 again` },
      )
      const trail = await cli(h.dataDir, ['audit'], { json: true })
      assert.ok(JSON.stringify(trail).includes('撤销审核通过'), 'the audit trail keeps the reason 撤销审核通过')
    }),
  )

  it(
    'the notice stays below the record drawer and the review dialog: their buttons are on top and work',
    STEP,
    h.step('notice-below-dialogs', async () => {
      const s = h.session
      await s.waitUntil(async () => (await s.texts('.el-notification')).join('\n').includes('自动备份失败'), {
        what: 'the notice 自动备份失败',
      })
      const row = await waitForScriptElement(s, `return document.querySelector('[data-testid="review-row-title"]') || null;`, [], {
        what: 'a pending record',
      })
      await clickElement(s, row, 'a pending record')
      await s.waitFor(byId('record-drawer'))
      // Settled: the drawer has slid in (its box no longer moves).
      let last = ''
      const drawer = await s.waitUntil(async () => {
        const r = await s.execute(COVER_SCRIPT, '.el-drawer')
        const now = JSON.stringify(r.panel)
        const done = r.panel && now === last ? r : null
        last = now
        return done
      }, { what: 'the drawer in place' })
      assert.ok(drawer.overlap, `the notice's corner lies over the drawer (else this checks nothing): ${JSON.stringify(drawer)}`)
      assert.deepEqual(drawer.coveredPoints, [], 'nowhere in the overlap is the notice on top of the drawer')
      assert.ok(drawer.buttons >= 2, `the drawer has buttons: ${drawer.buttons}`)
      assert.deepEqual(drawer.coveredButtons, [], 'every button of the drawer is on top at its centre')
      console.log(`[e2e] screenshot: ${await h.screenshot('96-notice-under-drawer.png')}`)

      // A dialog over the drawer: 退回 asks for the comment.
      await click(s, `${byId('record-drawer')} ${byId('review-return')}`)
      await s.waitFor(byId('review-comment'))
      const dialog = await s.waitUntil(async () => {
        const r = await s.execute(COVER_SCRIPT, '.el-dialog')
        const now = JSON.stringify(r.panel)
        const done = r.panel && now === last ? r : null
        last = now
        return done
      }, { what: 'the review dialog in place' })
      assert.deepEqual(dialog.coveredPoints, [], 'nowhere is the notice on top of the dialog')
      assert.ok(dialog.buttons >= 2, `the dialog has buttons: ${dialog.buttons}`)
      assert.deepEqual(dialog.coveredButtons, [], 'every button of the dialog is on top at its centre')
      console.log(`[e2e] screenshot: ${await h.screenshot('97-notice-under-dialog.png')}`)
      await click(s, byId('review-comment-cancel'))
      await s.waitUntil(async () => !(await s.execute(`${VISIBLE} return Array.from(document.querySelectorAll('.el-dialog')).some(visible);`)), {
        what: 'the dialog closed',
      })

      // The drawer's close button sits right under the notice's corner: it still closes it.
      const close = await waitForScriptElement(
        s,
        `${VISIBLE} const d = Array.from(document.querySelectorAll('.el-drawer')).find(visible);
         return d ? d.querySelector('.el-drawer__close-btn') : null;`,
        [],
        { what: 'the drawer\'s close button' },
      )
      await clickElement(s, close, 'the drawer\'s close button')
      await s.waitUntil(async () => !(await s.execute(`${VISIBLE} return Array.from(document.querySelectorAll('.el-drawer')).some(visible);`)), {
        what: 'the drawer closed',
      })
      assert.ok((await s.texts('.el-notification')).join('\n').includes('自动备份失败'), 'the notice is still there')
    }),
  )
})
