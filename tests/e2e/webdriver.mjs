// A small W3C WebDriver client on global fetch, enough to drive the Tauri app through
// tauri-driver → WebKitWebDriver. No dependencies. Every HTTP request carries an
// AbortSignal.timeout so a wedged driver fails the test instead of hanging it.
//
// Also here: starting/stopping tauri-driver, and the process checks the e2e tests need.

import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** The W3C key under which an element reference travels. */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf'

/** WebDriver key codes (W3C “keyboard actions” table) used by the tests. */
export const Keys = Object.freeze({
  NULL: '\uE000',
  BACKSPACE: '\uE003',
  TAB: '\uE004',
  ENTER: '\uE007',
  ESCAPE: '\uE00C',
  CONTROL: '\uE009',
  DELETE: '\uE017',
})

/** Default time limit of one HTTP request to the driver. */
const REQUEST_TIMEOUT_MS = 30_000

/** An error answered by the driver (W3C error object), with the command that caused it. */
export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const code = value?.error ?? `http ${status}`
    const msg = value?.message ?? JSON.stringify(value)
    super(`WebDriver ${method} ${path} failed: ${code}: ${String(msg).split('\n')[0]}`)
    this.name = 'WebDriverError'
    this.code = code
    this.status = status
    this.value = value
  }
}

/**
 * One HTTP request to a WebDriver server. Resolves to the `value` of the answer; rejects with
 * a WebDriverError (driver error) or an Error naming the request (timeout, connection refused).
 */
export async function wdRequest(baseUrl, method, path, body, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const url = baseUrl.replace(/\/$/, '') + path
  let res
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (e) {
    const why = e?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e?.cause?.code ?? e?.message ?? e
    throw new Error(`WebDriver ${method} ${path}: ${why}`, { cause: e })
  }
  const text = await res.text()
  let json = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    throw new Error(`WebDriver ${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`)
  }
  const value = json?.value
  if (!res.ok || (value && typeof value === 'object' && typeof value.error === 'string')) {
    throw new WebDriverError(method, path, res.status, value)
  }
  return value
}

/** A located element of a session. */
export class Element {
  constructor(session, id, selector) {
    this.session = session
    this.id = id
    this.selector = selector
  }

  /** The W3C JSON form, to pass elements as script arguments. */
  toJSON() {
    return { [ELEMENT_KEY]: this.id }
  }

  #cmd(method, sub, body) {
    return this.session.cmd(method, `/element/${this.id}${sub}`, body)
  }

  click() {
    return this.#cmd('POST', '/click', {})
  }

  /** Types `text` (may contain Keys.*) into the element. */
  sendKeys(text) {
    return this.#cmd('POST', '/value', { text: String(text) })
  }

  clear() {
    return this.#cmd('POST', '/clear', {})
  }

  text() {
    return this.#cmd('GET', '/text')
  }

  property(name) {
    return this.#cmd('GET', `/property/${encodeURIComponent(name)}`)
  }

  attribute(name) {
    return this.#cmd('GET', `/attribute/${encodeURIComponent(name)}`)
  }

  displayed() {
    return this.#cmd('GET', '/displayed')
  }

  enabled() {
    return this.#cmd('GET', '/enabled')
  }

  async find(css) {
    const v = await this.#cmd('POST', '/element', { using: 'css selector', value: css })
    return new Element(this.session, v[ELEMENT_KEY], `${this.selector} ${css}`)
  }

  async findAll(css) {
    const list = await this.#cmd('POST', '/elements', { using: 'css selector', value: css })
    return list.map((v) => new Element(this.session, v[ELEMENT_KEY], `${this.selector} ${css}`))
  }
}

/** One WebDriver session (one run of the app). */
export class Session {
  constructor(baseUrl, id, capabilities) {
    this.baseUrl = baseUrl
    this.id = id
    this.capabilities = capabilities
  }

  /** Opens a session: POST /session with the given alwaysMatch capabilities. */
  static async create(baseUrl, alwaysMatch, { timeoutMs = 90_000 } = {}) {
    const v = await wdRequest(baseUrl, 'POST', '/session', { capabilities: { alwaysMatch } }, { timeoutMs })
    if (!v?.sessionId) throw new Error(`WebDriver POST /session: no sessionId in ${JSON.stringify(v)}`)
    return new Session(baseUrl, v.sessionId, v.capabilities)
  }

  /** A command of this session: `path` is relative to /session/{id}. */
  cmd(method, path, body, opts) {
    return wdRequest(this.baseUrl, method, `/session/${this.id}${path}`, body, opts)
  }

  /** Ends the session; for Tauri this closes the app. */
  async delete() {
    await this.cmd('DELETE', '', undefined, { timeoutMs: 30_000 })
  }

  setTimeouts(t) {
    return this.cmd('POST', '/timeouts', t)
  }

  title() {
    return this.cmd('GET', '/title')
  }

  url() {
    return this.cmd('GET', '/url')
  }

  source() {
    return this.cmd('GET', '/source')
  }

  /**
   * The viewport as a PNG (Buffer). WebKitGTK without compositing (the app's default on Linux,
   * gui::lighter_webview) takes the snapshot at the page's next paint: on a page that has
   * settled nothing paints and the request never returns. A one-pixel box at the corner,
   * nearly transparent, changes colour for two seconds so that a paint comes.
   */
  async screenshot() {
    await this.execute(`const d = document.createElement('div')
      d.style.cssText = 'position:fixed;left:0;bottom:0;width:1px;height:1px;opacity:0.01;pointer-events:none;z-index:2147483647'
      document.body.appendChild(d)
      let n = 0
      const t = setInterval(() => {
        d.style.background = n++ % 2 ? '#fff' : '#000'
        if (n > 40) { clearInterval(t); d.remove() }
      }, 50)`)
    const b64 = await this.cmd('GET', '/screenshot', undefined, { timeoutMs: 60_000 })
    return Buffer.from(b64, 'base64')
  }

  execute(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args })
  }

  /** Runs an async script; it ends by calling its last argument (the callback). */
  executeAsync(script, ...args) {
    return this.cmd('POST', '/execute/async', { script, args })
  }

  /**
   * Resolves once the page is painted: finite CSS transitions/animations (dialog fades, tag
   * zoom-ins) have finished — waiting at most `maxWaitMs` — and then two animation frames ran.
   * Infinite ones (loading spinners) are not waited for.
   */
  async painted({ maxWaitMs = 2_000 } = {}) {
    await this.executeAsync(
      `const done = arguments[arguments.length - 1];
       const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
       const running = (document.getAnimations ? document.getAnimations() : []).filter((a) => {
         const t = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : {};
         return a.playState !== 'finished' && t.iterations !== Infinity;
       });
       Promise.race([
         Promise.all(running.map((a) => a.finished.catch(() => null))),
         new Promise((r) => setTimeout(r, arguments[0])),
       ]).then(frames, frames);`,
      maxWaitMs,
    )
  }

  /** The first element matching `css`; throws WebDriverError "no such element" if none. */
  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css })
    return new Element(this, v[ELEMENT_KEY], css)
  }

  async findAll(css) {
    const list = await this.cmd('POST', '/elements', { using: 'css selector', value: css })
    return list.map((v) => new Element(this, v[ELEMENT_KEY], css))
  }

  /** Sends key strokes to whatever has focus (W3C actions). */
  async keys(text) {
    const actions = []
    for (const ch of String(text)) actions.push({ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch })
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] })
    await this.cmd('DELETE', '/actions')
  }

  /**
   * Polls `probe` until it returns a truthy value (which is returned) or `timeoutMs` passes.
   * Errors thrown by the probe count as “not yet”; the last one is named in the timeout error.
   */
  async waitUntil(probe, { timeoutMs = 15_000, intervalMs = 150, what = 'condition' } = {}) {
    const deadline = Date.now() + timeoutMs
    let last = null
    let lastValue
    for (;;) {
      try {
        lastValue = await probe()
        if (lastValue) return lastValue
      } catch (e) {
        last = e
        // A probe that knows waiting is pointless (e.g. the app shows its error page) says so.
        if (e?.fatal) throw e
        // A dead driver will not get better: stop at once.
        if (!(e instanceof WebDriverError) && /ECONNREFUSED|ECONNRESET|no answer/.test(e.message)) throw e
      }
      if (Date.now() >= deadline) {
        const why = last ? ` (last error: ${last.message})` : lastValue !== undefined ? ` (last value: ${JSON.stringify(lastValue)})` : ''
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${why}`)
      }
      await sleep(intervalMs)
    }
  }

  /** Waits for an element matching `css` (displayed, unless `visible: false`). */
  waitFor(css, { timeoutMs = 15_000, visible = true } = {}) {
    return this.waitUntil(
      async () => {
        const els = await this.findAll(css)
        for (const el of els) if (!visible || (await el.displayed())) return el
        return null
      },
      { timeoutMs, what: `${visible ? 'a visible' : 'an'} element "${css}"` },
    )
  }

  /** Waits until no displayed element matches `css`. */
  waitGone(css, { timeoutMs = 15_000 } = {}) {
    return this.waitUntil(
      async () => {
        for (const el of await this.findAll(css)) if (await el.displayed()) return false
        return true
      },
      { timeoutMs, what: `"${css}" to disappear` },
    )
  }

  /** The trimmed textContent of every element matching `css` (in one script call). */
  texts(css) {
    return this.execute(
      'return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.textContent.trim());',
      css,
    )
  }

  /** Waits for a displayed element matching `css` whose text contains `text`. */
  waitForText(css, text, { timeoutMs = 15_000 } = {}) {
    return this.waitUntil(
      async () => {
        for (const el of await this.findAll(css)) {
          if ((await el.displayed()) && (await el.text()).includes(text)) return el
        }
        return null
      },
      { timeoutMs, what: `"${css}" with text "${text}"` },
    )
  }
}

/** Polls GET /status until the server says ready. */
export async function waitForDriver(baseUrl, { timeoutMs = 20_000, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`WebDriver at ${baseUrl} exited before it answered /status`)
    try {
      const v = await wdRequest(baseUrl, 'GET', '/status', undefined, { timeoutMs: 2_000 })
      if (v && v.ready !== false) return v
      last = new Error(`not ready: ${JSON.stringify(v)}`)
    } catch (e) {
      last = e
    }
    await sleep(200)
  }
  throw new Error(`WebDriver at ${baseUrl} did not answer /status within ${timeoutMs} ms: ${last?.message}`)
}

/** The first executable found: each candidate is a path or a bare name looked up on PATH. */
export function findExecutable(candidates) {
  for (const c of candidates) {
    if (!c) continue
    if (c.includes('/')) {
      if (existsSync(c)) return c
      continue
    }
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, c))) return join(dir, c)
    }
  }
  return null
}

/**
 * Starts tauri-driver in its own process group (so stop() also ends the WebKitWebDriver it
 * spawned) and waits until it answers /status. `env` is the environment of the driver, and so
 * of the app it starts.
 */
export async function startTauriDriver({ bin, port = 4444, nativeDriver, env, log = () => {} }) {
  // The native WebDriver next to ours (4444 → 4445, tauri-driver's default), so that runs on
  // different ports (one per engineer) do not fight over the same native port.
  const args = ['--port', String(port), '--native-port', String(port + 1)]
  if (nativeDriver) args.push('--native-driver', nativeDriver)
  const child = spawn(bin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk) => {
    const s = chunk.toString()
    output = (output + s).slice(-20_000)
    log(s)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      resolve(exited)
    })
    child.on('error', (e) => {
      exited = { error: e }
      resolve(exited)
    })
  })
  const baseUrl = `http://127.0.0.1:${port}`
  const driver = {
    baseUrl,
    pid: child.pid,
    output: () => output,
    /** Ends tauri-driver and its children (its process group), waits for it to exit. */
    async stop() {
      if (exited) return exited
      const signalGroup = (sig) => {
        try {
          process.kill(-child.pid, sig)
        } catch {
          /* already gone */
        }
      }
      signalGroup('SIGTERM')
      const done = await Promise.race([exitPromise, sleep(5_000).then(() => null)])
      if (!done) {
        signalGroup('SIGKILL')
        await exitPromise
      }
      // Children that ignored SIGTERM (WebKitWebDriver, a stuck app) go too.
      signalGroup('SIGKILL')
      return exited
    },
  }
  try {
    await waitForDriver(baseUrl, { isAlive: () => !exited })
  } catch (e) {
    await driver.stop()
    throw new Error(`${e.message}\n--- tauri-driver output ---\n${output}`)
  }
  return driver
}

/** True if a TCP port on 127.0.0.1 accepts connections. */
export async function portAnswers(port) {
  const { connect } = await import('node:net')
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

/**
 * Pids of running processes of `exe` (absolute path) whose environment has `envName=envValue`:
 * the app instances started on one test's data folder, and nobody else's.
 */
export function appProcesses(exe, envName, envValue) {
  const want = `${envName}=${envValue}`
  const pids = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readlinkSync(`/proc/${name}/exe`).replace(/ \(deleted\)$/, '') !== exe) continue
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0')
      // A zombie has neither exe nor environ, so it never gets here.
      if (env.includes(want)) pids.push(Number(name))
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids
}
