// End-to-end test of 台账 › 导入Excel on the real app binary. One laptop (a data folder with
// the demo town) exports its 台账 to Excel through the command line; the app on another
// laptop (the same town, its villages, schools and materials, with the year before) downloads the 活动登记表 template
// (the save dialog answered by the test), then imports that Excel file (the open dialog
// answered): the preview shows the counts the command line's dry run finds for the same file,
// the import adds exactly the valid rows, and a second import of the same file adds nothing.
// The preview lists every sheet of the workbook and names the columns it does not import.
// Then a hand-kept sheet: a column the import does not know (情况) is mapped to 活动简述 with the
// mapper's drop-down, and the sheet corrected (参加人数 60 → 75) and imported again shows the
// row as 已修改 with old → new, read with the mapping remembered for its layout, and updates
// the record instead of adding a second one.
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/import.test.mjs
//
// Screenshots go to artifacts/e2e/6x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import { dirname, join } from 'node:path'
import { AppHarness, answerDialog, byId, chooseOption, cli, click, e2eSuite, navigate, waitAppReady } from './harness.mjs'

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

/** A one-sheet .xlsx of text cells (a sheet kept by hand), zipped without compression. */
function writeXlsx(file, sheet, rows) {
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const col = (i) => String.fromCharCode(65 + i)
  const cells = rows
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => `<c r="${col(j)}${i + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`)
    .join('')
  const parts = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${esc(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells}</sheetData></worksheet>`,
  }
  const locals = []
  const central = []
  let offset = 0
  for (const [name, text] of Object.entries(parts)) {
    const data = Buffer.from(text, 'utf8')
    const n = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0)
    head.writeUInt16LE(20, 4)
    head.writeUInt16LE(0x0800, 6)
    head.writeUInt32LE(crc, 14)
    head.writeUInt32LE(data.length, 18)
    head.writeUInt32LE(data.length, 22)
    head.writeUInt16LE(n.length, 26)
    const dir = Buffer.alloc(46)
    dir.writeUInt32LE(0x02014b50, 0)
    dir.writeUInt16LE(20, 4)
    dir.writeUInt16LE(20, 6)
    dir.writeUInt16LE(0x0800, 8)
    dir.writeUInt32LE(crc, 16)
    dir.writeUInt32LE(data.length, 20)
    dir.writeUInt32LE(data.length, 24)
    dir.writeUInt16LE(n.length, 28)
    dir.writeUInt32LE(offset, 42)
    locals.push(head, n, data)
    central.push(dir, n)
    offset += head.length + n.length + data.length
  }
  const dirSize = central.reduce((a, b) => a + b.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(parts).length, 8)
  end.writeUInt16LE(Object.keys(parts).length, 10)
  end.writeUInt32LE(dirSize, 12)
  end.writeUInt32LE(offset, 16)
  writeFileSync(file, Buffer.concat([...locals, ...central, end]))
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

  it(
    'maps an unknown column with the drop-down, then a corrected sheet shows 已修改 old → new and updates the record',
    STEP,
    h.step('import-corrected', async () => {
      const s = h.session
      // The dialog of the step before is still open on its second preview.
      await click(s, byId('import-cancel'))
      await s.waitUntil(
        () => s.execute(`const d = document.querySelector(arguments[0]); return !d || d.offsetParent === null;`, byId('import-dialog')),
        { what: 'the dialog closed' },
      )
      const header = ['日期', '村/社区', '活动名称', '活动形式', '参加人数', '情况']
      const rows = (people) => [
        header,
        [`${YEAR}-12-28`, '安静村', '手工台账宪法宣传', '集中宣传', String(people), '发放宪法读本，律师解答咨询'],
        [`${YEAR}-12-29`, '安静村', '手工台账反诈宣传', '集中宣传', '40', '进院坝讲案例'],
      ]
      const first = join(work, '安静村手工台账.xlsx')
      const corrected = join(work, '安静村手工台账（改）.xlsx')
      writeXlsx(first, '台账', rows(60))
      writeXlsx(corrected, '台账', rows(75))
      const before = await recordCount(h.dataDir)

      await click(s, byId('ledger-import'))
      await answerDialog(s, 'open', first)
      await click(s, byId('import-choose'))
      await s.waitUntil(async () => (await s.texts(`${byId('import-ignored')} .el-alert__title`)).some((t) => t.includes('情况')), {
        what: 'the column 情况 named as not imported',
      })
      // The mapper: 情况 read as 活动简述.
      await click(s, `${byId('import-mapper')} .el-collapse-item__header`)
      await chooseOption(s, byId('import-map-情况'), '活动简述')
      await s.waitUntil(async () => (await s.texts(`${byId('import-ignored')} .el-alert__title`)).length === 0, {
        what: 'no column left out after the mapping',
      })
      const mapped = (await s.texts(`${byId('import-columns')} tbody tr`)).find((t) => t.includes('情况'))
      assert.ok(mapped && mapped.includes('已改'), `the row of 情况 says it was changed: ${mapped}`)
      console.log(`[e2e] screenshot: ${await h.screenshot('62-import-mapper.png')}`)
      await click(s, byId('import-go'))
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes('已导入 2 条活动记录')), { what: '已导入 2 条活动记录' })
      assert.equal(await recordCount(h.dataDir), before + 2)
      const dec = await cli(h.dataDir, ['activity', 'list', '--from', `${YEAR}-12-28`, '--to', `${YEAR}-12-28`], { json: true })
      const rec = dec.find((a) => a.kind === 'record' && a.title === '手工台账宪法宣传')
      assert.ok(rec, JSON.stringify(dec.map((a) => a.title)))
      assert.ok(rec.narrative.includes('发放宪法读本'), `情况 imported as 活动简述: ${rec.narrative}`)

      // The corrected sheet: read with the remembered mapping, the changed row is 已修改 60 → 75.
      await click(s, byId('ledger-import'))
      await answerDialog(s, 'open', corrected)
      await click(s, byId('import-choose'))
      await s.waitUntil(async () => (await s.texts(`${byId('import-counts')} .el-alert__title`)).some((t) => t.includes('已修改 1 行')), {
        what: 'one row 已修改',
      })
      assert.ok((await s.texts(byId('import-remembered'))).some((t) => t.includes('已按上次确认的对应读取')), 'the mapping remembered')
      const change = (await s.texts(byId('import-change'))).join(' / ')
      assert.match(change, /参加人数：\s*60\s*→\s*75/, change)
      assert.ok((await s.texts(byId('import-go'))).some((t) => t.includes('导入 0 行，更新 1 条')))
      console.log(`[e2e] screenshot: ${await h.screenshot('63-import-corrected.png')}`)
      await click(s, byId('import-go'))
      await s.waitUntil(async () => (await messages(s)).some((m) => m.includes('按表中的改动更新 1 条')), { what: 'the update message' })
      assert.equal(await recordCount(h.dataDir), before + 2, 'no second record')
      const after = await cli(h.dataDir, ['activity', 'list', '--from', `${YEAR}-12-28`, '--to', `${YEAR}-12-28`], { json: true })
      const updated = after.find((a) => a.kind === 'record' && a.title === '手工台账宪法宣传')
      assert.equal(updated.participants, 75, JSON.stringify(updated))
    }),
  )

  it(
    'in English, the mapper offers the fields in English and the rows’ problems are said in English',
    STEP,
    h.step('import-english', async () => {
      // The dialog closed itself after the import of the step before.
      const s = h.session
      await navigate(s, 'settings')
      await click(s, byId('locale-en'))
      await s.waitUntil(async () => (await s.execute('return document.documentElement.lang')) === 'en', { what: 'English' })
      await navigate(s, 'ledger')
      const sheet = join(work, 'hand-kept.xlsx')
      writeXlsx(sheet, 'Sheet1', [
        ['日期', '村/社区', '活动名称', '活动形式', '参加人数', '资料名称', '数量', '备注'],
        [`${YEAR}-11-11`, '安静村', '手工台账普法', '集中宣传', '30', '宪法读本', '10', '无'],
        [`${YEAR}-11-12`, '安静村', '手工台账普法二', '集中宣传', '很多', '', '', ''],
        [`${YEAR}-11-13`, '安静村', '手工台账普法三', '集中宣传', '200余', '', '', ''],
      ])
      await click(s, byId('ledger-import'))
      // A CSV saved under an .xlsx name is refused whole, and says why in English.
      const csv = join(work, 'not-a-workbook.xlsx')
      writeFileSync(csv, '日期,村/社区,活动名称\n2025-11-11,安静村,普法\n')
      await answerDialog(s, 'open', csv)
      await click(s, byId('import-choose'))
      await s.waitUntil(
        async () => (await messages(s)).some((m) => m.startsWith('“not-a-workbook.xlsx” is not an Excel workbook (.xlsx or .xls)')),
        { what: 'the refusal in English' },
      )
      await answerDialog(s, 'open', sheet)
      await click(s, byId('import-choose'))
      await s.waitUntil(async () => (await s.texts(`${byId('import-counts')} .el-alert__title`)).length > 0, { what: 'the preview' })
      // What is wrong with a row, and what was read otherwise than written: in English, the
      // cells' own words quoted (“很多”, “200余”, the column “参加人数”).
      const unquoted = (t) => t.replace(/“[^”]*”/g, '')
      const cjk = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/
      const problems = await s.texts(`${byId('import-errors')} tbody td:last-child`)
      assert.deepEqual(problems, ['Should be a number (it says “很多”)'])
      const notes = await s.texts(`${byId('import-warnings')} li`)
      assert.ok(notes.includes('Row 4, “参加人数”: “200余” counted as 200 (approximate)'), notes.join(' / '))
      const ours = notes.filter((t) => /^Row [34],/.test(t))
      assert.deepEqual(ours.filter((t) => cjk.test(unquoted(t))), [], `notes in Chinese: ${ours.join(' / ')}`)
      console.log(`[e2e] screenshot: ${await h.screenshot('65-import-problems-english.png')}`)
      await click(s, `${byId('import-mapper')} .el-collapse-item__header`)
      // The drop-down of 备注 (not a field): every option it lists is English.
      await click(s, byId('import-map-备注'))
      const options = await s.waitUntil(async () => {
        const texts = await s.execute(
          `const input = document.querySelector(arguments[0] + ' input[aria-controls]');
           const list = input && document.getElementById(input.getAttribute('aria-controls'));
           return list ? Array.from(list.querySelectorAll('.el-select-dropdown__item')).map((e) => e.textContent.trim()) : [];`,
          byId('import-map-备注'),
        )
        return texts.length > 20 ? texts : null
      }, { what: 'the mapper options' })
      const chinese = options.filter((o) => /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/.test(o))
      assert.deepEqual(chinese, [], `options in Chinese: ${chinese.join(', ')}`)
      for (const o of ['Not imported', 'Date', 'Village / unit', 'Participants', 'Material 1', 'Quantity 1', 'Summary']) {
        assert.ok(options.includes(o), `${o} in ${options.join(', ')}`)
      }
      console.log(`[e2e] screenshot: ${await h.screenshot('64-import-mapper-english.png')}`)
    }),
  )
})
