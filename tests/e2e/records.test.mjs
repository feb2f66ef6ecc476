// End-to-end acceptance test of recording (台账), driving the real app binary through
// tauri-driver + WebKitWebDriver:
//   a village cadre (王小芳, 安静村) records a held activity with two materials from the
//   catalogue and attaches a photo (the native file dialog answered by the test, the file
//   then copied and thumbnailed by the app); the profile becomes the coordinator, who opens
//   the record from 审核 and approves it; the stock balances have dropped by what was handed
//   out; the record's history panel shows both steps (新建 by the cadre, 审核通过).
// The town, the catalogue and the receipts are set up beforehand with the app's command line.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/
//
// Screenshots go to artifacts/e2e/2x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { AppHarness, answerDialog, byId, cli, click, clickElement, fill, initTown, navigate, e2eSuite, waitAppReady, waitForScriptElement } from './harness.mjs'

const VILLAGE = '安静村'
const CADRE = '王小芳'
const COORDINATOR = '李明'
const TITLE = '安静村宪法进院坝宣讲'
/** Catalogue, received into the town store, and what the record hands out. */
const MATERIALS = [
  { name: '宪法读本', unit: '册', received: 500, handed: 30 },
  { name: '民法典宣传折页', unit: '份', received: 300, handed: 120 },
]
const PARTICIPANTS = 65

const STEP = { timeout: 180_000 }

const suite = await e2eSuite()

/** A small real PNG (a sky over a field), as a camera photo stands in for. */
function photoPng(width = 320, height = 240) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf) => {
    let c = 0xffffffff
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    out.write(type, 4, 'ascii')
    data.copy(out, 8)
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    for (let x = 0; x < width; x++) {
      const sky = y < height * 0.55
      const i = row + 1 + x * 3
      raw[i] = sky ? 140 + (y % 40) : 90 + (x % 30)
      raw[i + 1] = sky ? 190 : 150 + (y % 50)
      raw[i + 2] = sky ? 235 : 80
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Picks, in the select `selectCss`, the option whose text starts with `start` (labels carry the stock). */
async function chooseOptionStarting(session, selectCss, start) {
  await click(session, selectCss)
  const option = await waitForScriptElement(
    session,
    `const input = document.querySelector(arguments[1] + ' input[aria-controls]');
     const list = input && document.getElementById(input.getAttribute('aria-controls'));
     if (!list) return null;
     return Array.from(list.querySelectorAll('.el-select-dropdown__item'))
       .find((e) => e.offsetParent !== null && e.textContent.trim().startsWith(arguments[0])) || null;`,
    [start, selectCss],
    { what: `an option starting "${start}" in ${selectCss}` },
  )
  await session.painted()
  await session.execute(`arguments[0].scrollIntoView({ block: 'center' });`, option)
  await clickElement(session, option, `the option "${start}…" of ${selectCss}`)
  await session.waitUntil(
    async () =>
      (
        await session.execute(
          `const s = document.querySelector(arguments[0]);
           const item = s && s.querySelector('.el-select__placeholder:not(.is-transparent)');
           return item ? item.textContent.trim() : '';`,
          selectCss,
        )
      ).startsWith(start),
    { timeoutMs: 5_000, what: `${selectCss} to show "${start}…"` },
  )
}

/** The balance numbers the materials screen shows, by material name. */
async function balances(session) {
  const out = {}
  for (const m of MATERIALS) {
    const text = (await session.texts(byId(`stock-balance-${m.name}`)))[0] ?? ''
    out[m.name] = Number((text.match(/-?\d[\d,]*/) ?? [''])[0].replace(/,/g, ''))
  }
  return out
}

suite('records: a cadre records a held activity; the coordinator approves; stock and history follow', () => {
  const h = new AppHarness('records')
  let photo
  before(async () => {
    await h.start()
    await initTown(h.dataDir, { user: CADRE, village: VILLAGE })
    for (const m of MATERIALS) {
      await cli(h.dataDir, ['material', 'add', '--name', m.name, '--unit', m.unit])
      await cli(h.dataDir, ['stock', 'receive', '--material', m.name, '--quantity', String(m.received), '--date', '2026-01-05', '--source', '县司法局配发'])
    }
    photo = join(h.dataDir, '..', `现场照片-${process.pid}.png`)
    writeFileSync(photo, photoPng())
  })
  after(async () => {
    await h.stop()
    if (photo) rmSync(photo, { force: true })
  })

  it(
    'the cadre records the activity with two materials and a photo',
    STEP,
    h.step('record', async () => {
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'records', `${byId('record-screen')}[data-ready="true"]`)
      await fill(s, 'record-title', TITLE)
      // The cadre's own village is the default.
      const village = await s.execute(
        `const i = document.querySelector('[data-testid="record-village"] .el-select__placeholder'); return i ? i.textContent.trim() : '';`,
      )
      assert.equal(village, VILLAGE, "a cadre's records start in the cadre's village")
      await click(s, byId('record-format-courtyard_meeting'))
      await fill(s, 'record-participants', String(PARTICIPANTS))
      await fill(s, 'record-recorder', CADRE)
      await click(s, byId('record-more'))
      // The panel grows open under overflow: hidden; until that ends its buttons are in place
      // but clipped, and a click on them reaches the panel instead (seen in CI).
      await s.waitUntil(
        () =>
          s.execute(
            `const w = document.querySelector('[data-testid="record-more-panel"] .el-collapse-item__wrap');
             return !!w && w.offsetHeight > 0 && w.style.maxHeight === '' && w.style.overflow !== 'hidden';`,
          ),
        { what: 'the 更多 panel to finish opening' },
      )
      for (const [i, m] of MATERIALS.entries()) {
        await click(s, byId('record-material-add'))
        await chooseOptionStarting(s, byId(`record-material-item-${i}`), m.name)
        await fill(s, `record-material-qty-${i}`, String(m.handed))
      }
      await click(s, byId('record-save'))
      const status = await s.waitFor(byId('record-status'))
      assert.match(await status.text(), /待审核/, "a cadre's record waits for review")

      await answerDialog(s, 'open', [photo])
      await click(s, byId('record-attach'))
      const thumb = await s.waitFor(byId('attachment-thumb'))
      const src = await thumb.attribute('src')
      assert.ok(src?.startsWith('data:image/jpeg;base64,'), `the photo shows as its thumbnail, got ${src?.slice(0, 40)}`)
      const shot = await h.screenshot('20-record-saved-with-photo.png')
      console.log(`[e2e] screenshot: ${shot}`)

      // What the app stored, read back through its command line.
      const listed = await cli(h.dataDir, ['activity', 'list', '--from', '2026-01-01', '--to', '2026-12-31'], { json: true })
      const rec = listed.find((e) => e.title === TITLE)
      assert.ok(rec, `the record is listed: ${JSON.stringify(listed.map((e) => e.title))}`)
      assert.equal(rec.participants, PARTICIPANTS)
      assert.deepEqual(
        rec.materials.map((m) => [m.material_name, m.quantity]).sort(),
        MATERIALS.map((m) => [m.name, m.handed]).sort(),
      )
    }),
  )

  it(
    'the coordinator approves it; the history panel shows both steps',
    STEP,
    h.step('approve', async () => {
      const s = h.session
      await navigate(s, 'settings', byId('settings-user-name'))
      await fill(s, 'settings-user-name', COORDINATOR)
      await click(s, byId('settings-user-role-coordinator'))
      await click(s, byId('settings-user-save'))
      await s.waitUntil(async () => (await cli(h.dataDir, ['info'], { json: true })).user?.role === 'coordinator', {
        what: 'the profile to become the coordinator',
      })

      await navigate(s, 'review', byId('review-screen'))
      const row = await waitForScriptElement(
        s,
        `return Array.from(document.querySelectorAll('[data-testid="review-row-title"]')).find((e) => e.textContent.trim() === arguments[0]) || null;`,
        [TITLE],
        { what: `the pending record "${TITLE}"` },
      )
      await clickElement(s, row, 'the pending record')
      await s.waitFor(byId('record-drawer'))
      // The drawer's own 通过 (the table row behind it has one too); click waits for the
      // drawer to finish sliding in.
      const approve = `${byId('record-drawer')} ${byId('review-approve')}`
      // Clicked again while the record is still pending and the button still there: a click
      // during the slide can be lost (seen in a fresh-clone run); a second one cannot approve
      // twice (the button ignores clicks while its request runs, and is gone once approved).
      await s.waitUntil(
        async () => {
          if (/已通过/.test((await s.texts(byId('record-drawer-status')))[0] ?? '')) return true
          const button = await s.find(approve).catch(() => null)
          if (button) await clickElement(s, button, 'the drawer\'s 通过').catch(() => {})
          await sleep(1_500)
          return /已通过/.test((await s.texts(byId('record-drawer-status')))[0] ?? '')
        },
        { timeoutMs: 30_000, what: 'the drawer to show the record approved' },
      )
      await s.waitUntil(
        async () => {
          const entries = await s.texts(byId('history-entry'))
          return (
            entries.some((e) => e.includes('审核通过') && e.includes(COORDINATOR)) &&
            entries.some((e) => e.includes('新建活动记录') && e.includes(CADRE))
          )
        },
        { what: `the history panel to show 新建 by ${CADRE} and 审核通过 by ${COORDINATOR}` },
      )
      const entries = await s.texts(byId('history-entry'))
      console.log(`[e2e] history:\n  ${entries.map((e) => e.replace(/\s+/g, ' ')).join('\n  ')}`)
      const shot = await h.screenshot('21-approved-history.png')
      console.log(`[e2e] screenshot: ${shot}`)
      await click(s, `${byId('record-drawer')} .el-drawer__close-btn`)
      await s.waitUntil(async () => !(await s.execute(`const d = document.querySelector('[data-testid="record-drawer"]'); return !!d && d.offsetParent !== null;`)), {
        what: 'the drawer to close',
      })
    }),
  )

  it(
    'the stock balances have dropped by what was handed out',
    STEP,
    h.step('stock', async () => {
      const s = h.session
      await navigate(s, 'materials', byId('material-table'))
      const want = Object.fromEntries(MATERIALS.map((m) => [m.name, m.received - m.handed]))
      await s.waitUntil(async () => JSON.stringify(await balances(s)) === JSON.stringify(want), {
        what: `the balances ${JSON.stringify(want)}`,
      })
      const shot = await h.screenshot('22-stock-after.png')
      console.log(`[e2e] balances: ${JSON.stringify(await balances(s))}\n[e2e] screenshot: ${shot}`)
    }),
  )
})
