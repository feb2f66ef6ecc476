// End-to-end acceptance test of planning, driving the real app binary through
// tauri-driver + WebKitWebDriver:
//   年度计划 2027: tick nodes → 生成年度计划 → the result names the campaigns created and how
//   many activities were placed and moved off weekends/holidays; 宪法宣传周 2027 shows 待公布;
//   活动模板: apply “12·4宪法宣传周” to 安静村, 石院村, 长安村 → 3 planned activities;
//   日历, December 2027: the three activities are there; a second 安静村 activity (made with
//   the activity editor on 8 Dec) dragged with a real mouse (W3C Actions) onto 1 Dec — the day
//   of 安静村's template activity — raises the “同村同半天两场” warning; 撤销 puts it back;
//   dragged onto Saturday 4 Dec it raises the weekend warning with its reason; 撤销 again;
//   设置 shows the county's school calendar (寒假/暑假 of 2027, 估计).
// The town is set up beforehand with the app's own command line (`init`, a coordinator).
//
//   npm --prefix ui run build && cargo build --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/
//
// Screenshots go to artifacts/e2e/1x-*.png (failure-*.png/.html/.log on a failure).

import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  AppHarness,
  byId,
  chooseOption,
  cli,
  click,
  field,
  fill,
  initTown,
  navigate,
  pointerDrag,
  e2eSuite,
  rectOf,
  waitAppReady,
  waitForScriptElement,
  waitScreen,
} from './harness.mjs'

const TOWN = '双龙镇'
const VILLAGES = ['安静村', '石院村', '长安村', '龙江社区']
const CHOSEN = ['安静村', '石院村', '长安村']
const YEAR = 2027
/** Nodes ticked for the year plan (codes of plan-node-row). */
const NODES = ['national_security_day', 'national_defense_day']
/** A Saturday of December 2027 (12·4 itself). */
const SATURDAY = '2027-12-04'
const TEMPLATE = 'constitution_week'
/** The template puts 安静村's activity here (the first of the three, 09:00—11:30). */
const TEMPLATE_DAY = '2027-12-01'
/** The second 安静村 activity, made in the calendar, then dragged onto TEMPLATE_DAY. */
const EXTRA = { title: '民法典进院坝宣讲', day: '2027-12-08', typed: '2027年12月8日', start: '09:00', end: '11:00' }

const STEP = { timeout: 180_000 }

const suite = await e2eSuite()

// ---- calendar probes (one script call each) ----

/** The titles of the activity events (not key-date markers) in the month view, by day. */
function eventsByDay(session) {
  return session.execute(
    `const out = {};
     for (const td of document.querySelectorAll('[data-testid="calendar-grid"] td.fc-daygrid-day[data-date]')) {
       // Shown events only: not the drag mirror, not the ones hidden behind “+n more”.
       const titles = Array.from(td.querySelectorAll('.fc-event:not(.kd-marker):not(.fc-event-mirror)'))
         .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
         .map((e) => (e.querySelector('.fc-event-title') || e).textContent.trim())
         .filter(Boolean);
       if (titles.length) out[td.dataset.date] = titles;
     }
     return out;`,
  )
}

/** The day (data-date) whose cell shows an activity event with `text` in its title; null if none. */
async function dayOf(session, text) {
  const days = await eventsByDay(session)
  const hit = Object.entries(days).filter(([, titles]) => titles.some((t) => t.includes(text)))
  return hit.length === 1 ? hit[0][0] : hit.length ? `several: ${hit.map(([d]) => d).join(',')}` : null
}

/** The activity event with `text` in its title inside the cell of `day`. */
function eventIn(session, day, text) {
  return waitForScriptElement(
    session,
    `const td = document.querySelector('[data-testid="calendar-grid"] td.fc-daygrid-day[data-date="' + arguments[0] + '"]');
     if (!td) return null;
     return Array.from(td.querySelectorAll('.fc-event:not(.kd-marker):not(.fc-event-mirror)'))
       .find((e) => e.textContent.includes(arguments[1])) || null;`,
    [day, text],
    { what: `the event "${text}" on ${day}` },
  )
}

/** The calendar's title, e.g. "2027年12月". */
async function calendarTitle(session) {
  return (await session.texts(byId('calendar-title')))[0] ?? ''
}

/** Waits until the calendar has stopped loading (no v-loading mask over it). */
function waitCalendarLoaded(session) {
  return session.waitUntil(
    () =>
      session.execute(
        `const b = document.querySelector('.calendar .cal-body');
         return !!b && !b.querySelector('.el-loading-mask') && !!document.querySelector('.fc-daygrid-day[data-date]');`,
      ),
    { what: 'the calendar to finish loading' },
  )
}

/** Steps the month view forward/back until it shows `year`-`month`. */
async function goToMonth(session, year, month) {
  const want = `${year}年${month}月`
  for (let i = 0; i < 36; i++) {
    const title = await calendarTitle(session)
    if (title === want) return
    const m = /^(\d{4})年(\d{1,2})月$/.exec(title)
    if (!m) throw new Error(`the calendar title "${title}" is not a month (want "${want}")`)
    const diff = (year - Number(m[1])) * 12 + (month - Number(m[2]))
    await click(session, byId(diff > 0 ? 'calendar-next' : 'calendar-prev'))
    await session.waitUntil(async () => (await calendarTitle(session)) !== title, {
      timeoutMs: 5_000,
      what: `the calendar title to change from "${title}"`,
    })
  }
  throw new Error(`could not reach ${want}; the calendar shows "${await calendarTitle(session)}"`)
}

/** Scrolls every scroller around `css` back to its top (for a screenshot of the whole page head). */
function scrollToTop(session, css) {
  return session.execute(
    `for (let e = document.querySelector(arguments[0]); e; e = e.parentElement) {
       if (e.scrollHeight > e.clientHeight) e.scrollTop = 0;
     }
     window.scrollTo(0, 0);`,
    css,
  )
}

/** Drags the activity event `title` from the cell of `fromDay` onto `toDay` with a real mouse
 *  (W3C Actions) and waits until the calendar shows it there. */
async function dragEventOnto(session, title, fromDay, toDay) {
  await waitCalendarLoaded(session)
  const ev = await eventIn(session, fromDay, title)
  const target = await session.find(`[data-testid="calendar-grid"] td.fc-daygrid-day[data-date="${toDay}"]`)
  const from = await rectOf(session, ev)
  const to = await rectOf(session, target, { scroll: false })
  // The event's middle; the lower part of the target day (below its events), still inside it.
  const a = { x: from.x + from.width / 2, y: from.y + from.height / 2 }
  const b = { x: to.x + to.width / 2, y: to.y + to.height - 8 }
  await pointerDrag(session, a, b)
  await session.waitUntil(async () => (await dayOf(session, title)) === toDay, {
    what: `“${title}” to land on ${toDay} after the mouse drag (W3C Actions) from ${JSON.stringify(a)} to ${JSON.stringify(b)}`,
  })
}

/** Activities of December 2027 as the command line lists them (JSON). */
function decemberActivities(dataDir) {
  return cli(dataDir, ['activity', 'list', '--from', '2027-12-01', '--to', '2027-12-31'], { json: true })
}

suite('planning: year plan, template, calendar drag with conflict warning, undo', () => {
  const h = new AppHarness('planning')
  before(async () => {
    await h.start()
    await initTown(h.dataDir, { town: TOWN, villages: VILLAGES })
  })
  after(() => h.stop())

  it(
    `生成年度计划 ${YEAR}: ticked nodes become campaigns`,
    STEP,
    h.step('plan-generate', async () => {
      const s = await h.launch()
      assert.equal(await waitScreen(s), 'ready', 'a town set up with `init` should open the main shell')
      await navigate(s, 'plan', byId('plan-year'))
      await chooseOption(s, byId('plan-year'), `${YEAR}年`)
      for (const code of NODES) {
        await s.waitFor(`${byId('plan-node-row')}[data-code="${code}"]`)
        const check = await waitForScriptElement(
          s,
          `const row = document.querySelector('[data-testid="plan-node-row"][data-code="' + arguments[0] + '"]');
           const tr = row && row.closest('tr');
           return tr ? tr.querySelector('[data-testid="plan-node-check"]') : null;`,
          [code],
          { what: `the tick box of node ${code}` },
        )
        await check.click()
        await s.waitUntil(async () => (await check.attribute('class'))?.includes('is-checked'), {
          timeoutMs: 5_000,
          what: `node ${code} to be ticked`,
        })
      }
      const names = await s.execute(
        `return arguments[0].map((c) => {
           const r = document.querySelector('[data-testid="plan-node-row"][data-code="' + c + '"] .node-name');
           return r ? r.textContent.trim() : null;
         });`,
        NODES,
      )
      assert.ok(names.every(Boolean), `every ticked node has a name, got ${JSON.stringify(names)}`)
      await click(s, byId('plan-generate'))
      const result = await s.waitFor(byId('plan-result'))
      const text = (await result.text()).replace(/\s+/g, ' ')
      assert.match(text, new RegExp(`生成\\s*${NODES.length}\\s*个`), `the result should count ${NODES.length} campaigns: "${text}"`)
      assert.ok(text.includes(String(YEAR)), `the result should name ${YEAR}: "${text}"`)
      for (const n of names) {
        assert.ok(text.includes(n), `the result should list the campaign of “${n}”: "${text}"`)
      }
      // 4·15 has a template: an activity in each of the four villages, on working days.
      const placed = (await s.texts(byId('plan-result-placed')))[0] ?? ''
      assert.match(placed, /安排活动\s*4\s*场/, `the result should count the activities placed: "${placed}"`)
      assert.ok(placed.includes('最近的工作日'), `the result should say how many were moved: "${placed}"`)
      // 宪法宣传周 2027 is not announced yet: 待公布.
      const week = await s.execute(
        `const row = document.querySelector('[data-testid="plan-node-row"][data-code="constitution_week"]');
         const tr = row && row.closest('tr');
         const tag = tr && tr.querySelector('[data-testid="plan-node-source"]');
         return tag ? tag.textContent.trim() : null;`,
      )
      assert.equal(week, '待公布', '宪法宣传周 2027 should be marked 待公布')
      await scrollToTop(s, byId('plan-result'))
      const shot = await h.screenshot('10-plan-generated.png')
      console.log(`[e2e] plan result: ${text}\n[e2e] screenshot: ${shot}`)
    }),
  )

  it(
    `应用模板 12·4宪法宣传周 to ${CHOSEN.join('、')}: 3 activities`,
    STEP,
    h.step('template-apply', async () => {
      const s = h.session
      await click(s, '.el-tabs__item#tab-templates')
      await click(s, byId(`template-apply-${TEMPLATE}`))
      const dialog = await s.waitFor(byId('template-apply-dialog'))
      await chooseOption(s, byId('template-apply-year'), `${YEAR}年`)
      await click(s, byId('template-units-some'))
      await s.waitFor(byId('template-unit'))
      const boxes = await s.findAll(byId('template-unit'))
      const labels = []
      for (const b of boxes) labels.push((await b.text()).trim())
      for (const v of CHOSEN) assert.ok(labels.includes(v), `the unit list should offer ${v}, offers ${JSON.stringify(labels)}`)
      for (let i = 0; i < boxes.length; i++) {
        if (CHOSEN.includes(labels[i])) await boxes[i].click()
      }
      const ticked = await s.execute(
        `return Array.from(document.querySelectorAll('[data-testid="template-unit"].is-checked')).map((e) => e.textContent.trim());`,
      )
      assert.deepEqual([...ticked].sort(), [...CHOSEN].sort(), 'exactly the three villages should be ticked')
      await click(s, byId('template-apply-submit'))
      const result = await s.waitFor(byId('template-apply-result'))
      const text = (await result.text()).replace(/\s+/g, ' ')
      assert.match(text, /3\s*场/, `the result should say 3 activities: "${text}"`)
      assert.ok(text.includes(String(YEAR)), `the result should name the campaign of ${YEAR}: "${text}"`)
      assert.ok(await dialog.displayed(), 'the dialog stays open with its result')
      const shot = await h.screenshot('11-template-applied.png')
      console.log(`[e2e] template result: ${text}\n[e2e] screenshot: ${shot}`)
      await click(s, byId('template-apply-done'))
      await s.waitGone(byId('template-apply-dialog'))
      // The command line sees the same three activities.
      const acts = await decemberActivities(h.dataDir)
      assert.deepEqual(acts.map((a) => a.unit_name).sort(), [...CHOSEN].sort(), 'one activity per chosen village')
      const ours = acts.find((a) => a.unit_name === '安静村')
      assert.equal(ours.date, TEMPLATE_DAY, `安静村's template activity should be on ${TEMPLATE_DAY}`)
    }),
  )

  it(
    `日历 December ${YEAR} shows the three activities; a second 安静村 activity on ${EXTRA.day}`,
    STEP,
    h.step('calendar', async () => {
      const s = h.session
      await navigate(s, 'calendar', byId('calendar-title'))
      await click(s, byId('calendar-view-month'))
      await waitCalendarLoaded(s)
      await goToMonth(s, YEAR, 12)
      const days = await s.waitUntil(
        async () => {
          const d = await eventsByDay(s)
          const n = Object.values(d).flat().filter((t) => t.includes('宪法宣传')).length
          return n === 3 ? d : null
        },
        { what: 'the three template activities in December 2027' },
      )
      for (const v of CHOSEN) {
        const day = Object.entries(days).find(([, ts]) => ts.some((t) => t.includes(v)))?.[0]
        assert.ok(day?.startsWith('2027-12-'), `${v}'s activity should be in December 2027: ${JSON.stringify(days)}`)
      }
      assert.equal(await dayOf(s, '安静村宪法宣传'), TEMPLATE_DAY)

      // A second 安静村 activity, on another day, with the editor.
      await click(s, byId('calendar-new'))
      await s.waitFor(byId('activity-dialog'))
      await fill(s, 'activity-title', EXTRA.title)
      await fill(s, 'activity-date', EXTRA.typed)
      // Enter/blur commits the typed date; the hint under the field names the day.
      await click(s, field('activity-title'))
      await s.waitUntil(
        async () => {
          const hint = await s.execute(
            `const d = document.querySelector('[data-testid="activity-date"]');
             const h = d && d.parentElement.querySelector('.form-hint');
             return h ? h.textContent.trim() : '';`,
          )
          return hint.includes('12月8日') ? hint : null
        },
        { timeoutMs: 5_000, what: `the date hint to show 12月8日` },
      )
      await chooseOption(s, byId('activity-start-time'), EXTRA.start)
      await chooseOption(s, byId('activity-end-time'), EXTRA.end)
      await chooseOption(s, byId('activity-unit'), '安静村')
      await click(s, byId('activity-save'))
      await s.waitGone('.activity-dialog')
      const day = await s.waitUntil(async () => ((await dayOf(s, EXTRA.title)) === EXTRA.day ? EXTRA.day : null), {
        what: `“${EXTRA.title}” on ${EXTRA.day} in the calendar`,
      })
      assert.equal(day, EXTRA.day)
    }),
  )

  it(
    `dragging it onto ${TEMPLATE_DAY} warns: 安静村 has two activities that morning`,
    STEP,
    h.step('drag-conflict', async () => {
      const s = h.session
      await dragEventOnto(s, EXTRA.title, EXTRA.day, TEMPLATE_DAY)
      const warning = await s.waitFor(byId('conflict-warnings'))
      const text = (await warning.text()).replace(/\s+/g, ' ')
      assert.ok(text.includes('安静村'), `the warning should name 安静村: "${text}"`)
      assert.ok(/上午|两场活动/.test(text), `the warning should say two activities the same morning: "${text}"`)
      assert.ok(text.includes('同村同半天两场'), `the warning should be of kind 同村同半天两场: "${text}"`)
      const moved = (await decemberActivities(h.dataDir)).find((a) => a.title === EXTRA.title)
      assert.equal(moved?.date, TEMPLATE_DAY, 'the move should be saved')
      assert.equal(moved?.start_time, EXTRA.start, 'a move in the month view keeps the time of day')
      const shot = await h.screenshot('12-conflict-warning.png')
      console.log(`[e2e] warning: ${text}\n[e2e] screenshot: ${shot}`)
    }),
  )

  it(
    `撤销 puts the activity back on ${EXTRA.day}`,
    STEP,
    h.step('undo', async () => {
      const s = h.session
      await click(s, byId('undo-button'))
      await s.waitUntil(async () => (await dayOf(s, EXTRA.title)) === EXTRA.day, {
        what: `“${EXTRA.title}” back on ${EXTRA.day}`,
      })
      await s.waitUntil(async () => (await s.execute(`return document.querySelector('[data-testid="undo-button"]').disabled`)), {
        timeoutMs: 5_000,
        what: 'the undo button to be disabled (nothing left to undo)',
      })
      const back = (await decemberActivities(h.dataDir)).find((a) => a.title === EXTRA.title)
      assert.equal(back?.date, EXTRA.day, `the command line should list “${EXTRA.title}” on ${EXTRA.day}`)
      assert.equal(back?.start_time, EXTRA.start)
      assert.equal(back?.end_time, EXTRA.end)
      // The screenshot shows the screen as it is right after the undo (the warning
      // notification of the move is not closed by the undo; it goes after its 12 s).
      const shot = await h.screenshot('13-after-undo.png')
      console.log(`[e2e] screenshot: ${shot}`)
    }),
  )

  it(
    `dragged onto Saturday ${SATURDAY} it warns: a weekend, with the reason; 撤销 puts it back`,
    STEP,
    h.step('weekend-warning', async () => {
      const s = h.session
      await dragEventOnto(s, EXTRA.title, EXTRA.day, SATURDAY)
      const warning = await s.waitUntil(
        async () => {
          const texts = await s.texts(byId('conflict-warnings'))
          const text = texts.join(' ').replace(/\s+/g, ' ')
          return text.includes('周末') ? text : null
        },
        { what: 'the weekend warning' },
      )
      assert.ok(warning.includes('星期六'), `the warning should name the day: "${warning}"`)
      assert.ok(warning.includes(EXTRA.title), `the warning should name the activity: "${warning}"`)
      assert.ok(warning.includes('不是工作日'), `the warning should give the reason: "${warning}"`)
      const conflicts = await cli(h.dataDir, ['conflicts', '--year', String(YEAR)], { json: true })
      assert.ok(
        conflicts.some((c) => c.kind === 'weekend' && c.date === SATURDAY),
        `conflicts --year ${YEAR} should list the weekend placement: ${JSON.stringify(conflicts.map((c) => c.kind))}`,
      )
      const shot = await h.screenshot('14-weekend-warning.png')
      console.log(`[e2e] weekend warning: ${warning}\n[e2e] screenshot: ${shot}`)
      await click(s, byId('undo-button'))
      await s.waitUntil(async () => (await dayOf(s, EXTRA.title)) === EXTRA.day, {
        what: `“${EXTRA.title}” back on ${EXTRA.day}`,
      })
    }),
  )

  it(
    `设置 shows the school calendar of ${YEAR}: 寒假 and 暑假, estimated until the notice is entered`,
    STEP,
    h.step('school-calendar', async () => {
      const s = h.session
      await navigate(s, 'settings', byId('settings-school-calendar'))
      await chooseOption(s, byId('school-year'), `${YEAR}年`)
      const lines = await s.waitUntil(
        async () => {
          const winter = (await s.texts(byId('school-winter-line')))[0] ?? ''
          return winter.includes('1月23日') ? winter : null
        },
        { what: `the ${YEAR} winter break in the school calendar card` },
      )
      assert.ok(lines.includes('寒假'), `the card should show the winter break: "${lines}"`)
      const summer = (await s.texts(byId('school-summer-line')))[0] ?? ''
      assert.ok(summer.includes('暑假') && summer.includes('7月3日') && summer.includes('8月31日'), `the summer break: "${summer}"`)
      assert.equal((await s.texts(byId('school-source')))[0], '估计', 'not entered yet: 估计')
      await s.execute(`document.querySelector('[data-testid="settings-school-calendar"]').scrollIntoView({ block: 'center' })`)
      const shot = await h.screenshot('15-school-calendar.png')
      console.log(`[e2e] school calendar: ${lines} / ${summer}\n[e2e] screenshot: ${shot}`)
      await h.quit()
      const conflicts = await cli(h.dataDir, ['conflicts', '--year', String(YEAR)], { json: true })
      const open = (Array.isArray(conflicts) ? conflicts : conflicts.conflicts ?? []).filter(
        (c) => (c.kind === 'village_half_day' || c.kind === 'weekend') && !c.ignored,
      )
      assert.deepEqual(open, [], 'after the undos there is no 同村同半天 or weekend conflict left')
    }),
  )
})
