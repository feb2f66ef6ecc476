// Test harness of the e2e suite: preflight checks, one tauri-driver per data folder, app
// sessions, failure artefacts, and the UI helpers the tests share.
//
// Run as:  xvfb-run -a node --test tests/e2e/
// Env:     PUFA_E2E_APP            the app binary (default target/debug/pufa-planner)
//          PUFA_E2E_TAURI_DRIVER   tauri-driver (default: PATH, then ~/.cargo/bin)
//          PUFA_E2E_NATIVE_DRIVER  WebKitWebDriver (default: /usr/bin, then PATH)
//          PUFA_E2E_PORT           tauri-driver port (default 4444; the native driver uses +1)
//          PUFA_E2E_KEEP=1         keep the temporary data folders

import { accessSync, constants, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import {
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
 * environment carries it, so every app it starts uses that folder.
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
    this.driver = await startTauriDriver({
      bin: tauriDriverPath(),
      port: PORT,
      nativeDriver: nativeDriverPath(),
      env: { ...process.env, PUFA_DATA_DIR: this.dataDir },
    })
  }

  /** Starts the app: a new WebDriver session. */
  async launch() {
    if (this.session) throw new Error('launch(): a session is already open')
    this.session = await Session.create(this.driver.baseUrl, {
      'tauri:options': { application: APP },
    })
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
 * Clicks the first visible element of `css` (waiting for it). A click the driver reports as
 * intercepted (an overlay still fading out over the target) is retried for up to 5 s.
 */
export async function click(session, css, opts) {
  const el = await session.waitFor(css, opts)
  await session.waitUntil(
    async () => {
      try {
        await el.click()
        return true
      } catch (e) {
        if (e.code === 'element click intercepted') throw e
        throw Object.assign(e, { fatal: true })
      }
    },
    { timeoutMs: 5_000, what: `a click on "${css}" that is not intercepted` },
  )
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
