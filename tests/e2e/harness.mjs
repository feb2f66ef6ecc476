// Test harness of the e2e suite: preflight checks, one tauri-driver per data folder, app
// sessions, failure artefacts, and the UI helpers the tests share.
//
// Run as:  xvfb-run -a node --test tests/e2e/
// Env:     PUFA_E2E_APP            the app binary (default target/debug/pufa-planner)
//          PUFA_E2E_TAURI_DRIVER   tauri-driver (default: PATH, then ~/.cargo/bin)
//          PUFA_E2E_NATIVE_DRIVER  WebKitWebDriver (default: /usr/bin, then PATH)
//          PUFA_E2E_PORT           tauri-driver port (default 4444; the native driver uses +1)
//          PUFA_E2E_KEEP=1         keep the temporary data folders

import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import {
  ELEMENT_KEY,
  Element,
  Keys,
  Session,
  appProcesses,
  findExecutable,
  portAnswers,
  startTauriDriver,
} from './webdriver.mjs'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e')
export const APP = resolve(process.env.PUFA_E2E_APP || join(ROOT, 'target', 'debug', 'pufa-planner'))
export const PORT = Number(process.env.PUFA_E2E_PORT || 4444)

/**
 * The `describe` for a test file's suite: without an X server, a built binary or the drivers
 * (or one of `extra`, named → found), one test fails saying what is missing and the suite is
 * skipped.
 */
export async function e2eSuite(extra = {}) {
  const missing = await preflight().then(
    () => null,
    (e) => e,
  )
  if (missing) {
    it('e2e preflight (display, app binary, drivers, ports)', () => {
      throw missing
    })
  }
  const absent = Object.entries(extra).filter(([, found]) => !found)
  if (absent.length) {
    it(`${absent.map(([name]) => name).join(', ')}, which this suite needs`, () => {
      throw new Error(
        `${absent.map(([name]) => name).join(' and ')} not found on PATH: scripts/install-deps.sh --test installs them.`,
      )
    })
  }
  return missing || absent.length ? describe.skip : describe
}

/** Everything the suite needs before it can start; throws one message naming what is missing. */
export async function preflight() {
  const problems = []
  if (!process.env.DISPLAY) {
    problems.push(
      'DISPLAY is not set: the app needs an X server. Run the suite as `xvfb-run -a node --test tests/e2e/`.',
    )
  }
  try {
    accessSync(APP, constants.X_OK)
  } catch {
    problems.push(
      `App binary not found or not executable: ${APP}\n` +
        '  Build it first: npm --prefix ui run build && cargo build --features tauri/custom-protocol\n' +
        '  (or point PUFA_E2E_APP at a binary).',
    )
  }
  const driver = tauriDriverPath()
  if (!driver) problems.push('tauri-driver not found (PATH, ~/.cargo/bin): cargo install tauri-driver --locked')
  const native = nativeDriverPath()
  if (!native) problems.push('WebKitWebDriver not found (/usr/bin, PATH): apt-get install webkit2gtk-driver')
  problems.push(...(await busyPorts()))
  if (problems.length) throw new Error(`e2e preflight failed:\n- ${problems.join('\n- ')}`)
}

/** Problems with the ports tauri-driver and WebKitWebDriver will listen on. */
async function busyPorts() {
  const problems = []
  for (const port of [PORT, PORT + 1]) {
    if (await portAnswers(port)) {
      problems.push(`Port ${port} is already in use (another tauri-driver/WebKitWebDriver?); set PUFA_E2E_PORT.`)
    }
  }
  return problems
}

export function tauriDriverPath() {
  return findExecutable([
    process.env.PUFA_E2E_TAURI_DRIVER,
    'tauri-driver',
    join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin', 'tauri-driver'),
  ])
}

export function nativeDriverPath() {
  return findExecutable([process.env.PUFA_E2E_NATIVE_DRIVER, '/usr/bin/WebKitWebDriver', 'WebKitWebDriver'])
}

const slug = (s) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '')

/**
 * One app “installation”: a fresh data folder (PUFA_DATA_DIR) and a tauri-driver whose
 * environment carries it, so every app it starts uses that folder. The app's file dialogs are
 * shown by its backend; in a debug build `PUFA_E2E_DIALOG_ANSWERS` names the file whose answers
 * they give instead (see answerDialog), kept beside the data folder, not in it.
 */
export class AppHarness {
  constructor(name) {
    this.name = name
    this.dataDir = null
    this.driver = null
    /** The open session, if any. */
    this.session = null
    this.failed = false
  }

  async start() {
    const busy = await busyPorts()
    if (busy.length) throw new Error(busy.join('\n'))
    this.appPath = realpathSync(APP)
    this.dataDir = mkdtempSync(join(tmpdir(), `pufa-e2e-${slug(this.name)}-`))
    this.dialogDir = mkdtempSync(join(tmpdir(), `pufa-e2e-dialogs-${slug(this.name)}-`))
    this.dialogAnswers = join(this.dialogDir, 'answers.json')
    this.driver = await startTauriDriver({
      bin: tauriDriverPath(),
      port: PORT,
      nativeDriver: nativeDriverPath(),
      env: { ...process.env, PUFA_DATA_DIR: this.dataDir, PUFA_E2E_DIALOG_ANSWERS: this.dialogAnswers },
    })
  }

  /** Starts the app: a new WebDriver session. */
  async launch() {
    if (this.session) throw new Error('launch(): a session is already open')
    const create = () => Session.create(this.driver.baseUrl, { 'tauri:options': { application: APP } })
    try {
      this.session = await create()
    } catch (e) {
      // Once in a loaded full run the app could not open the X display at start ("Failed to
      // initialize GTK"), a moment after the previous app had closed: one more try.
      console.error(`[e2e] the app did not start (${e.message.split('\n')[0]}); trying once more`)
      await sleep(1_000)
      this.session = await create()
    }
    this.session.dialogAnswers = this.dialogAnswers
    return this.session
  }

  /** Running app processes on this harness's data folder. */
  appPids() {
    return appProcesses(this.appPath, 'PUFA_DATA_DIR', this.dataDir)
  }

  /** Quits the app (deletes the session) and waits until its process is gone. */
  async quit({ timeoutMs = 15_000 } = {}) {
    const s = this.session
    if (!s) return
    this.session = null
    await s.delete()
    const deadline = Date.now() + timeoutMs
    let pids = this.appPids()
    while (pids.length && Date.now() < deadline) {
      await sleep(100)
      pids = this.appPids()
    }
    if (pids.length) throw new Error(`the app is still running ${timeoutMs} ms after the session was deleted: pid ${pids}`)
  }

  /** Ends everything this harness started; removes the data folder unless a test failed. */
  async stop() {
    try {
      if (this.session) await this.quit().catch(() => {})
    } finally {
      if (this.driver) {
        await this.driver.stop()
        // The port must be free again for the next harness.
        for (let i = 0; i < 50 && (await portAnswers(PORT)); i++) await sleep(100)
      }
      if (this.dialogDir) rmSync(this.dialogDir, { recursive: true, force: true })
      if (this.dataDir) {
        if (this.failed || process.env.PUFA_E2E_KEEP) {
          console.error(`[e2e] kept data folder of "${this.name}": ${this.dataDir}`)
        } else {
          rmSync(this.dataDir, { recursive: true, force: true })
        }
      }
    }
  }

  /** Saves a screenshot of the open session under artifacts/e2e/<file>; returns the path. */
  async screenshot(file) {
    const s = this.session
    if (!s) throw new Error('screenshot(): no open session')
    await s.painted()
    const png = await s.screenshot()
    mkdirSync(ARTIFACTS, { recursive: true })
    const path = join(ARTIFACTS, file)
    writeFileSync(path, png)
    return path
  }

  /** On a failure: screenshot, page source and driver output, best effort. Returns the paths. */
  async saveFailure(name) {
    this.failed = true
    mkdirSync(ARTIFACTS, { recursive: true })
    const base = join(ARTIFACTS, `failure-${slug(name)}`)
    const saved = []
    if (this.session) {
      try {
        writeFileSync(`${base}.png`, await this.session.screenshot())
        saved.push(`${base}.png`)
      } catch (e) {
        saved.push(`(no screenshot: ${e.message})`)
      }
      try {
        writeFileSync(`${base}.html`, await this.session.source())
        saved.push(`${base}.html`)
      } catch (e) {
        saved.push(`(no page source: ${e.message})`)
      }
    }
    if (this.driver) {
      writeFileSync(`${base}.log`, this.driver.output())
      saved.push(`${base}.log`)
    }
    return saved
  }

  /**
   * A step of a sequential scenario for node:test's `it`: skipped once an earlier step of the
   * same harness failed; on failure saves artefacts and names them in the error.
   */
  step(name, fn) {
    return async (t) => {
      if (this.failed) {
        t.skip('an earlier step failed')
        return
      }
      try {
        await fn(t)
      } catch (e) {
        const saved = await this.saveFailure(name)
        e.message += `\n[e2e] step "${name}" failed; artefacts:\n  ${saved.join('\n  ')}`
        throw e
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// UI helpers

/** CSS for the text field of a data-testid: Element Plus puts the attribute on the inner
 * <input>/<textarea>; a wrapper carrying it (date pickers) has the field inside. */
export function field(testid) {
  const a = `[data-testid="${testid}"]`
  return `input${a}, textarea${a}, ${a} input, ${a} textarea`
}

export const byId = (testid) => `[data-testid="${testid}"]`

/** Empties a text field the way a user does (select all, backspace); checks it is empty. */
export async function clearField(el) {
  await el.click()
  await el.sendKeys(`${Keys.CONTROL}a${Keys.NULL}${Keys.BACKSPACE}`)
  const left = await el.property('value')
  // WebDriver's element/clear empties the DOM value but Vue's v-model does not hear it, so
  // it is not used; this is the fallback should select-all not be honoured.
  if (left !== '') {
    for (let i = 0; i < left.length; i++) await el.sendKeys(Keys.BACKSPACE)
  }
  const now = await el.property('value')
  if (now !== '') throw new Error(`could not clear ${el.selector}: still "${now}"`)
}

/** Types `text` into the field of `testid` (replacing what is there); "\n" becomes Enter. */
export async function fill(session, testid, text) {
  const el = await session.waitFor(field(testid))
  await clearField(el)
  await el.sendKeys(text.replaceAll('\n', Keys.ENTER))
  const value = await el.property('value')
  if (value !== text) {
    throw new Error(`typing into ${testid} gave ${JSON.stringify(value)}, expected ${JSON.stringify(text)}`)
  }
  return el
}

/**
 * Clicks the first visible element of `css` (waiting for it). A click the driver refuses
 * because the element is still moving in or covered by a fading overlay is retried (see
 * clickElement).
 */
export async function click(session, css, opts) {
  const el = await session.waitFor(css, opts)
  await clickElement(session, el, `"${css}"`)
  return el
}

/** What the window shows once loading is over: 'ready' | 'setup' | 'error: <text>' (or null). */
const SCREEN_SCRIPT = `
  const q = (s) => document.querySelector(s);
  const err = q('[data-testid="app-error"]');
  if (err) return 'error: ' + ((q('[data-testid="app-error-text"]') || err).textContent || '').trim();
  if (q('[data-testid="app-ready"]')) return 'ready';
  if (q('[data-testid="setup-town"]')) return 'setup';
  return null;`

/** Waits until the window shows the set-up, the main shell or the error page; returns which. */
export async function waitScreen(session, { timeoutMs = 30_000 } = {}) {
  const screen = await session.waitUntil(() => session.execute(SCREEN_SCRIPT), {
    timeoutMs,
    what: 'the app to show set-up, main shell or error page',
  })
  if (screen.startsWith('error: ')) throw new Error(`the app shows its error page: ${screen.slice(7)}`)
  return screen
}

/** Waits for the main shell (app-ready); fails at once on the error page. */
export async function waitAppReady(session, { timeoutMs = 30_000 } = {}) {
  return session.waitUntil(
    async () => {
      const screen = await session.execute(SCREEN_SCRIPT)
      if (screen?.startsWith('error: ')) {
        throw Object.assign(new Error(`the app shows its error page: ${screen.slice(7)}`), { fatal: true })
      }
      return screen === 'ready'
    },
    { timeoutMs, what: 'the main shell (data-testid="app-ready")' },
  )
}

/** Opens a screen from the side menu and waits for `readyCss` on it. */
export async function navigate(session, key, readyCss) {
  await click(session, byId(`nav-${key}`))
  if (readyCss) await session.waitFor(readyCss)
}

/** The campaign names the table shows. */
export function campaignNames(session) {
  return session.texts(byId('campaign-row-name'))
}

/** Waits until the campaigns table has finished loading (no v-loading mask over it). */
export function waitTableLoaded(session) {
  return session.waitUntil(
    () =>
      session.execute(
        `const t = document.querySelector('[data-testid="campaign-table"]');
         return !!t && !t.querySelector('.el-loading-mask');`,
      ),
    { what: 'the campaigns table to load' },
  )
}

// ---------------------------------------------------------------------------------------------
// Helpers of the planning tests: the app's command line on a harness's data folder, select
// options, elements found by script, and pointer drags (W3C Actions).

/**
 * Runs the app binary's command line on `dataDir` (`--data-dir DIR args…`); returns stdout,
 * parsed as JSON when `json` is set. Throws with stderr on a non-zero exit.
 */
export async function cli(dataDir, args, { json = false, timeoutMs = 30_000 } = {}) {
  const { execFile } = await import('node:child_process')
  const argv = ['--data-dir', dataDir, ...args, ...(json ? ['--json'] : [])]
  const out = await new Promise((resolve, reject) => {
    execFile(APP, argv, { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`pufa-planner ${argv.join(' ')} failed (${err.code ?? err.signal}): ${stderr || err.message}`))
      else resolve(stdout)
    })
  })
  return json ? JSON.parse(out) : out
}

/** A town set up through the command line (as `init` does it), with a coordinator or, given
 * `village`, a village cadre of that village as the local user. */
export function initTown(dataDir, { town = '双龙镇', villages = ['安静村', '石院村', '长安村', '龙江社区'], user = '李明', village = null } = {}) {
  const who = village ? ['--role', 'village_cadre', '--village', village] : ['--role', 'coordinator']
  return cli(dataDir, ['init', '--town', town, '--villages', villages.join(','), '--user', user, ...who])
}

/**
 * Answers the app's next native file dialogs of `kind` ('open' | 'save') with `answer`, as a
 * user picking there would: for 'open' the chosen paths (an array, or one path), for 'save' the
 * chosen path (a string); null is a cancel. The backend shows the dialogs (choose_open,
 * choose_save) and remembers what was chosen; in a debug build it reads the answer from the
 * session's answers file instead of showing a native dialog, so everything after — the check
 * that a request names only chosen files, copying a file in, writing an export — is the app's
 * own. Stays in force until answered anew; the questions asked are kept for `dialogRequests`.
 */
export async function answerDialog(session, kind, answer) {
  const file = session.dialogAnswers
  if (!file) throw new Error('answerDialog: the session was not launched by an AppHarness')
  const answers = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  answers[kind] = answer
  writeFileSync(file, JSON.stringify(answers))
}

/** The dialogs answered by `answerDialog` so far: [{ kind, args }], args as the app asked
 * ({ options: { defaultPath, filters } }; defaultPath after the backend made it safe). */
export async function dialogRequests(session) {
  const log = `${session.dialogAnswers}.requests.jsonl`
  if (!existsSync(log)) return []
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
}

/** Wraps an element reference returned by a script (or null). */
export function elementOf(session, value, selector = '(script)') {
  return value && value[ELEMENT_KEY] ? new Element(session, value[ELEMENT_KEY], selector) : null
}

/** Waits until `script` (run with `args`) returns an element; returns it as an Element. */
export async function waitForScriptElement(session, script, args = [], { what = 'an element', timeoutMs = 15_000 } = {}) {
  return session.waitUntil(async () => elementOf(session, await session.execute(script, ...args), what), {
    timeoutMs,
    what,
  })
}

/**
 * Chooses `label` in the Element Plus select `selectCss`: opens it, clicks the visible option
 * with exactly that text, and checks the select shows it.
 */
export async function chooseOption(session, selectCss, label) {
  await click(session, selectCss)
  const option = await waitForScriptElement(
    session,
    // The select's own list (its combobox names it): another select's dropdown may still be
    // fading out with the same option texts.
    `const input = document.querySelector(arguments[1] + ' input[aria-controls]');
     const list = input && document.getElementById(input.getAttribute('aria-controls'));
     if (!list) return null;
     const items = Array.from(list.querySelectorAll('.el-select-dropdown__item'));
     return items.find((e) => e.offsetParent !== null && e.textContent.trim() === arguments[0]) || null;`,
    [label, selectCss],
    { what: `the option "${label}" of ${selectCss}` },
  )
  // The dropdown zooms in: clicks during the transition are refused (not interactable);
  // and an option at the edge of the dropdown's scroll area is scrolled to its middle first.
  await session.painted()
  await session.execute(`arguments[0].scrollIntoView({ block: 'center' });`, option)
  await clickElement(session, option, `the option "${label}" of ${selectCss}`)
  await session.waitUntil(
    async () => {
      const shown = await session.execute(
        `const s = document.querySelector(arguments[0]);
         if (!s) return null;
         const item = s.querySelector('.el-select__placeholder:not(.is-transparent)');
         const input = s.querySelector('input');
         return (item && item.textContent.trim()) || (input && input.value) || '';`,
        selectCss,
      )
      return shown === label
    },
    { timeoutMs: 5_000, what: `${selectCss} to show "${label}"` },
  )
}

/**
 * Clicks an element already found; a click refused because the element is still moving in
 * (not interactable) or covered (a fading overlay, a sticky bar) is retried for up to 5 s.
 */
export async function clickElement(session, el, what = el.selector) {
  await waitSettled(session, el)
  await session.waitUntil(
    async () => {
      try {
        await el.click()
        return true
      } catch (e) {
        if (e.code !== 'element click intercepted' && e.code !== 'element not interactable') throw Object.assign(e, { fatal: true })
        // The driver scrolls a target only to the edge of the view, where a sticky bar (the
        // record form's save bar) may cover it: the next try has it in the middle.
        await session.execute(`arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });`, el).catch(() => {})
        throw e
      }
    },
    { timeoutMs: 5_000, what: `a click on ${what} that the driver accepts` },
  )
}

/**
 * Waits (best effort, up to 3 s) until `el` has stopped moving and nothing covers its middle.
 * A drawer sliding in, a collapse opening or a dropdown growing moves its buttons for ~300 ms;
 * the driver computes the click point first, so a click in that window is accepted by the
 * driver yet lands where the button was a moment before. If the element never settles the
 * click goes ahead and the driver decides.
 */
export async function waitSettled(session, el) {
  let last = ''
  await session
    .waitUntil(
      async () => {
        const now = await session.execute(
          `const e = arguments[0];
           let r = e.getBoundingClientRect();
           if (r.width === 0 || r.height === 0) return 'empty';
           // Only up/down: a drawer sliding in from the side is off-screen for a moment, and
           // scrolling for it moves the whole window.
           if (r.top < 0 || r.bottom > innerHeight) {
             e.scrollIntoView({ block: 'center', inline: 'nearest' });
             r = e.getBoundingClientRect();
           }
           const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
           // Its own box or a child of it: an ancestor there means the element is clipped (a panel
           // still opening) and a click would reach the ancestor.
           const onTop = !!top && (top === e || e.contains(top));
           return JSON.stringify([r.left, r.top, r.width, r.height, onTop]);`,
          el,
        )
        const settled = now === last && now.endsWith('true]')
        last = now
        return settled
      },
      { timeoutMs: 3_000, intervalMs: 80, what: 'the element to stop moving' },
    )
    .catch(() => {})
}

/** The viewport rectangle of an element (after scrolling it into the middle of its scroller). */
export function rectOf(session, el, { scroll = true } = {}) {
  return session.execute(
    `const e = arguments[0];
     if (arguments[1]) e.scrollIntoView({ block: 'center', inline: 'nearest' });
     const r = e.getBoundingClientRect();
     return { x: r.left, y: r.top, width: r.width, height: r.height };`,
    el,
    scroll,
  )
}

/**
 * Drags with a real (W3C Actions) mouse from viewport point `from` to `to`: press, a few
 * small moves (so libraries that wait for a minimum distance start the drag), a glide in
 * `steps` moves, a rest over the target, release. Points are {x, y} in CSS pixels.
 */
export async function pointerDrag(session, from, to, { steps = 8, stepMs = 60 } = {}) {
  const pt = (p) => ({ x: Math.round(p.x), y: Math.round(p.y) })
  const a = pt(from)
  const b = pt(to)
  const actions = [
    { type: 'pointerMove', duration: 0, origin: 'viewport', ...a },
    { type: 'pause', duration: 100 },
    { type: 'pointerDown', button: 0 },
    { type: 'pause', duration: 150 },
  ]
  // First a short wiggle past the drag threshold, then the glide.
  for (const d of [3, 6, 10]) actions.push({ type: 'pointerMove', duration: 40, origin: 'viewport', x: a.x + d, y: a.y + d })
  for (let i = 1; i <= steps; i++) {
    const f = i / steps
    actions.push({
      type: 'pointerMove',
      duration: stepMs,
      origin: 'viewport',
      x: Math.round(a.x + (b.x - a.x) * f),
      y: Math.round(a.y + (b.y - a.y) * f),
    })
  }
  actions.push({ type: 'pause', duration: 250 }, { type: 'pointerMove', duration: 50, origin: 'viewport', ...b })
  actions.push({ type: 'pause', duration: 150 }, { type: 'pointerUp', button: 0 })
  await session.cmd('POST', '/actions', {
    actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }],
  })
  await session.cmd('DELETE', '/actions')
}
