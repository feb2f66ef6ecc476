// End-to-end test of the exports on the demo town, driving the real app binary:
//   in the 台账 the user picks 去年 and a campaign (through the selects), waits for the table
//   to show that campaign's records, and exports Excel (the native save dialog answered by
//   the test); then opens the campaign on 活动专项, writes 主要做法 in 情况报告（Word） and
//   generates the Word report. Both files must then open: LibreOffice prints each to PDF, and
//   the PDF text has the campaign, the numbers the command line's `summary` and
//   `activity list` count for it, and (the report) the text the user wrote. The Excel detail
//   sheet, read straight from the .xlsx, has one row per record the 台账 showed.
// The demo is laid out in last year, so every campaign of it is over and has its records
// whatever the date the test runs on.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/exports.test.mjs
//
// Needs LibreOffice (soffice) and pdftotext: scripts/install-deps.sh --test installs them
// (libreoffice-calc-nogui, libreoffice-writer-nogui, poppler-utils).
// Screenshots go to artifacts/e2e/4x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import {
  AppHarness,
  answerDialog,
  byId,
  chooseOption,
  cli,
  click,
  clickElement,
  dialogRequests,
  fill,
  navigate,
  e2eSuite,
  waitAppReady,
  waitForScriptElement,
  waitTableLoaded,
} from './harness.mjs'
import { findExecutable } from './webdriver.mjs'

const STEP = { timeout: 240_000 }
const YEAR = new Date().getFullYear() - 1
/** The demo campaign exported: records of every review status (approved, pending, returned). */
const CAMPAIGN = `${YEAR}年春风行动·返岗务工送法`
/** What the user writes as 主要做法 in the report dialog. */
const PRACTICES = '在集贸市场和车站设立法律咨询台，向返岗务工人员发放维权手册。'

const SOFFICE = findExecutable(['soffice', 'libreoffice'])
const PDFTOTEXT = findExecutable(['pdftotext'])

// The files are opened the way a user's office suite would: without it the test cannot pass.
const suite = await e2eSuite({ 'LibreOffice (soffice)': SOFFICE, 'pdftotext (poppler-utils)': PDFTOTEXT })

/** Runs a program; resolves with stdout, rejects naming the command and its stderr. */
function run(bin, args, { timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')} failed (${err.code ?? err.signal}): ${stderr || err.message}`))
      else resolve(stdout)
    })
  })
}

/**
 * Prints `file` to PDF with LibreOffice (its own profile under `dir`, so a running LibreOffice
 * or another conversion does not get in the way) and returns the PDF's text without
 * whitespace: pdftotext breaks lines inside cells and puts spaces around digits.
 */
async function pdfText(file, dir) {
  const out = join(dir, 'pdf')
  await run(SOFFICE, [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, file])
  const pdf = join(out, basename(file).replace(/\.[^.]+$/, '.pdf'))
  assert.ok(existsSync(pdf) && statSync(pdf).size > 0, `LibreOffice did not print ${file} to ${pdf}`)
  return (await run(PDFTOTEXT, [pdf, '-'])).replace(/\s+/g, '')
}

/** One member of a zip file (an .xlsx, a .docx), read with the central directory. */
function zipEntry(file, name) {
  const zip = readFileSync(file)
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  assert.ok(eocd >= 0, `${file} is not a zip file`)
  let at = zip.readUInt32LE(eocd + 16)
  for (let i = 0, n = zip.readUInt16LE(eocd + 10); i < n; i++) {
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLen = zip.readUInt16LE(at + 28)
    const skip = nameLen + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    if (zip.toString('utf8', at + 46, at + 46 + nameLen) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
      const data = zip.subarray(start, start + size)
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    }
    at += 46 + skip
  }
  throw new Error(`${file} has no ${name}`)
}

/** The rows of the worksheet `sheet` of an .xlsx: arrays of cell texts/values by column
 * (A is 0; a column without a cell is empty). */
function sheetRows(file, sheet) {
  const workbook = zipEntry(file, 'xl/workbook.xml')
  const rid = workbook.match(new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`))?.[1]
  assert.ok(rid, `${file} has no sheet "${sheet}"`)
  const rels = zipEntry(file, 'xl/_rels/workbook.xml.rels')
  const target = rels.match(new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`))?.[1]
  const unescape = (t) => t.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e])
  const texts = (xml) => [...xml.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => unescape(t[1])).join('')
  let shared = []
  try {
    shared = [...zipEntry(file, 'xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]))
  } catch {
    // Strings written inline only.
  }
  const column = (ref) => [...ref].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1
  return [...zipEntry(file, `xl/${target}`).matchAll(/<row[ >][\s\S]*?<\/row>/g)].map((row) => {
    const cells = []
    for (const [, attrs, inner = ''] of row[0].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const value = inner.match(/<v>([^<]*)<\/v>/)?.[1] ?? ''
      cells[column(attrs.match(/r="([A-Z]+)\d+"/)[1])] = /t="inlineStr"/.test(attrs) ? texts(inner) : /t="s"/.test(attrs) ? shared[Number(value)] : value
    }
    return Array.from(cells, (c) => c ?? '')
  })
}

/** The text of the message toasts on screen. */
function messages(session) {
  return session.texts('.el-message .el-message__content')
}

/** Waits until `path` exists and is not empty (the app writes exports atomically). */
function waitFile(session, path) {
  return session.waitUntil(() => existsSync(path) && statSync(path).size > 0, { timeoutMs: 30_000, what: `the file ${path}` })
}

suite('exports: a campaign filtered in the 台账 to Excel, its 情况报告 to Word; both files open', () => {
  const h = new AppHarness('exports')
  /** The folder the user saves to (beside the data folder), its PDFs and LibreOffice profile. */
  let saveDir
  let xlsx
  let docx
  /** The campaign and what the command line counts for it in the demo year. */
  let campaign
  let records
  let summary
  before(async () => {
    await h.start()
    await cli(h.dataDir, ['demo', '--year', String(YEAR)], { timeoutMs: 120_000 })
    saveDir = mkdtempSync(join(dirname(h.dataDir), 'pufa-e2e-exports-saved-'))
    xlsx = join(saveDir, `${CAMPAIGN}台账.xlsx`)
    docx = join(saveDir, `${CAMPAIGN}情况报告.docx`)
    campaign = (await cli(h.dataDir, ['campaign', 'list'], { json: true })).find((c) => c.name === CAMPAIGN)
    assert.ok(campaign, `the demo has the campaign ${CAMPAIGN}`)
    const period = ['--from', `${YEAR}-01-01`, '--to', `${YEAR}-12-31`]
    records = (await cli(h.dataDir, ['activity', 'list', '--campaign', campaign.id, ...period], { json: true })).filter(
      (a) => a.kind === 'record',
    )
    summary = await cli(h.dataDir, ['summary', '--campaign', campaign.id, ...period], { json: true })
    const approved = records.filter((r) => r.review_status === 'approved').length
    assert.ok(approved > 0 && records.length > approved, `the campaign has approved and other records: ${records.length}, ${approved} approved`)
    assert.equal(summary.activities, approved, '`summary` counts the approved records')
  })
  after(async () => {
    await h.stop()
    if (saveDir && !h.failed && !process.env.PUFA_E2E_KEEP) rmSync(saveDir, { recursive: true, force: true })
    else if (saveDir) console.error(`[e2e] kept the saved files: ${saveDir}`)
  })

  it(
    'the 台账 filtered to a campaign exports Excel where the user saves it',
    STEP,
    h.step('ledger-xlsx', async () => {
      const s = await h.launch()
      await waitAppReady(s)
      await navigate(s, 'ledger', byId('ledger-table'))
      await chooseOption(s, byId('ledger-period'), '去年')
      await chooseOption(s, byId('ledger-campaign'), CAMPAIGN)
      const count = (st) => records.filter((r) => r.review_status === st).length
      /** What the 台账 shows: the records counted, the rows, the status tags, the basis line. */
      const shownNow = () =>
        s.execute(
          `const t = document.querySelector('[data-testid="ledger-table"]');
           const n = (s) => Number(((s || '').match(/\\d[\\d,]*/) || ['NaN'])[0].replace(/,/g, ''));
           const tags = Array.from(document.querySelectorAll('[data-testid="ledger-stats"] .status-stat .el-tag')).map((e) => e.textContent.trim());
           const tag = (label) => { const x = tags.find((x) => x.startsWith(label)); return x ? n(x) : 0; };
           return {
             loading: !t || !!t.querySelector('.el-loading-mask:not([style*="display: none"])'),
             total: n(document.querySelector('[data-testid="ledger-stats"] .stat-n').textContent),
             rows: t ? t.querySelectorAll('.el-table__body tr').length : 0,
             approved: tag('已通过'), pending: tag('待审核'), returned: tag('已退回'),
             basis: (document.querySelector('[data-testid="ledger-basis"]') || {}).textContent || '',
             footer: t ? (t.querySelector('.el-table__footer') || {}).textContent || '' : '',
           };`,
        )
      const showing = (want, what) =>
        s.waitUntil(
          async () => {
            const now = await shownNow()
            const done = !now.loading && now.rows === want.total && ['total', 'approved', 'pending', 'returned'].every((k) => now[k] === want[k])
            return done ? now : null
          },
          { what: `the 台账 to show ${what} (${JSON.stringify(want)})` },
        )
      // By default the 台账 lists what the numbers count: the approved records, as `summary`.
      const counted = await showing(
        { total: summary.activities, approved: summary.activities, pending: 0, returned: 0 },
        `the ${summary.activities} approved records of ${CAMPAIGN}`,
      )
      assert.equal(counted.basis, summary.basis_line, 'the 台账 states the 统计口径 in the core\'s words')
      // The working list of every record: the 合计 shows the split.
      await chooseOption(s, byId('ledger-status'), '全部记录')
      const want = { total: records.length, approved: count('approved'), pending: count('pending'), returned: count('returned') }
      const shown = await showing(want, `the ${want.total} records of ${CAMPAIGN}`)
      assert.match(shown.basis, /^统计口径：全部活动记录（其中待审核 \d+ 场、已退回 \d+ 场）$/)
      assert.ok(shown.footer.includes(`其中待审核 ${want.pending} 场、已退回 ${want.returned} 场`), shown.footer)
      console.log(`[e2e] 台账 of ${CAMPAIGN}: ${JSON.stringify(shown)}`)

      await answerDialog(s, 'save', xlsx)
      await click(s, byId('ledger-export'))
      await click(s, byId('ledger-export-xlsx'))
      await waitFile(s, xlsx)
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes(`已导出 ${want.total} 条记录`) && m.includes(xlsx)), {
        what: `the message 已导出 ${want.total} 条记录：${xlsx}`,
      })
      const asked = (await dialogRequests(s)).filter((r) => r.kind === 'save')
      assert.equal(asked.length, 1, 'the app asked once where to save')
      const options = asked[0].args?.options ?? {}
      assert.deepEqual(options.filters?.[0]?.extensions, ['xlsx'], `the save dialog offers .xlsx: ${JSON.stringify(options)}`)
      assert.match(options.defaultPath ?? '', new RegExp(`台账_${YEAR}-01-01至${YEAR}-12-31\\.xlsx$`), 'the suggested name carries the period')
      console.log(`[e2e] screenshot: ${await h.screenshot('40-ledger-exported.png')}`)
    }),
  )

  it(
    "the campaign's 情况报告 exports Word with the text the user wrote",
    STEP,
    h.step('campaign-docx', async () => {
      const s = h.session
      await navigate(s, 'campaigns', byId('campaign-table'))
      await waitTableLoaded(s)
      const row = await waitForScriptElement(
        s,
        `return Array.from(document.querySelectorAll('[data-testid="campaign-row-name"]')).find((e) => e.textContent.trim() === arguments[0]) || null;`,
        [CAMPAIGN],
        { what: `the campaign row "${CAMPAIGN}"` },
      )
      await clickElement(s, row, `the campaign row "${CAMPAIGN}"`)
      await click(s, `${byId('campaign-drawer')} ${byId('campaign-report')}`)
      // The saved text loads into the form: typed before it lands, it would be overwritten.
      await s.waitFor(byId('report-dialog'))
      await s.waitUntil(
        () =>
          s.execute(
            `const d = document.querySelector('[data-testid="report-dialog"]');
             return !!d && !Array.from(d.querySelectorAll('.el-loading-mask')).some((m) => m.offsetParent !== null);`,
          ),
        { what: 'the report dialog to load its text' },
      )
      await fill(s, 'report-practices', PRACTICES)

      await answerDialog(s, 'save', docx)
      await click(s, byId('report-generate'))
      await waitFile(s, docx)
      const other = records.length - summary.activities
      const want = `已生成（计入 ${summary.activities} 场；另有 ${other} 场待审核或已退回，未计入）：${docx}`
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes(want)), { what: `the message ${want}` })
      const asked = (await dialogRequests(s)).filter((r) => r.kind === 'save')
      assert.equal(asked.length, 2, 'the app asked once more where to save')
      const options = asked[1].args?.options ?? {}
      assert.deepEqual(options.filters?.[0]?.extensions, ['docx'], `the save dialog offers .docx: ${JSON.stringify(options)}`)
      assert.equal(options.defaultPath, `关于${CAMPAIGN}开展情况的报告.docx`)
      await s.waitGone(byId('report-dialog'))
      console.log(`[e2e] screenshot: ${await h.screenshot('41-campaign-report-exported.png')}`)
    }),
  )

  it(
    'both files open: LibreOffice prints them with the campaign and its numbers',
    STEP,
    h.step('files-open', async () => {
      // The Excel detail: a title, the 统计口径, the date it was made, the head row, one row per
      // record the 台账 showed, the 合计 row with the split; every record of the campaign.
      const all = sheetRows(xlsx, '活动台账')
      const top = all.findIndex((r) => r[0] === '序号')
      assert.equal(top, 3, 'a title, the basis and the date above the headings')
      assert.match(all[1][0], /^统计口径：全部活动记录（其中待审核/)
      const rows = all.slice(top)
      const head = rows[0].map((h) => h.replace(/\n/g, ''))
      const detail = rows.slice(1, -1)
      assert.equal(detail.length, records.length, `the detail sheet has one row per record (${rows.length} rows in all)`)
      assert.equal(rows.at(-1)[0], '合计')
      assert.match(rows.at(-1)[head.indexOf('活动名称')], new RegExp(`^${records.length} 场（其中待审核`))
      const campaignCol = head.indexOf('活动专项')
      assert.ok(detail.every((r) => r[campaignCol] === CAMPAIGN), 'every detail row is of the campaign')
      assert.deepEqual(detail.map((r) => r[head.indexOf('活动名称')]).sort(), records.map((r) => r.title).sort(), 'the rows are the records `activity list` gives')

      const sheet = await pdfText(xlsx, saveDir)
      assert.ok(sheet.includes('序号') && sheet.includes('活动名称'), 'the workbook prints its detail sheet')
      // The campaign's name wraps in its column when printed: look for a piece of it that does not.
      const piece = CAMPAIGN.replace(/^\d+年/, '').slice(0, 4)
      const times = sheet.split(piece).length - 1
      assert.ok(times >= records.length, `the printed workbook names ${CAMPAIGN} on every record row (${times} times "${piece}" for ${records.length})`)
      assert.ok(sheet.replace(/\s+/g, '').includes(`${records.length}场`), `the printed workbook has the 合计 of ${records.length} 场`)

      const report = await pdfText(docx, saveDir)
      for (const expected of [
        // The campaign's name in running text is in quotation marks after its year.
        `关于${CAMPAIGN.replace(/^(\d+年)(.+)$/, '$1“$2”')}开展情况的报告`,
        '情况报告',
        `共开展各类普法活动${summary.activities}场次`,
        PRACTICES.replace(/\s+/g, ''),
        '附件',
      ]) {
        assert.ok(report.includes(expected), `the printed report lacks “${expected}”:\n${report.slice(0, 2000)}`)
      }
      console.log(`[e2e] printed: ${xlsx} (${records.length} records), ${docx} (${summary.activities} 场次)`)
    }),
  )
})
