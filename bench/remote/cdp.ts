/**
 * Chromium driven through the DevTools protocol with no more than the suites need: pages in fresh
 * browser contexts, scripts evaluated, clicks, typing, console errors. Not Playwright, for one
 * reason: Playwright enables the Network domain on every page and dedicated worker it attaches to,
 * and Chromium then reports each WebSocket frame's payload, base64-encoded, to the driver. Tessera's
 * `npm run serve` page receives its tiles as WebSocket frames in its tile worker (256 KiB a decoded
 * web tile; the Electron app receives them over IPC, which nothing reports): in the web bench's XYZ
 * walk that was ~1.8 s of CPU a walk (the bench process 0.9 s parsing them, Chromium's browser 0.45 s
 * and renderer 0.3 s encoding them) on a 2-core machine both contenders saturate, and the walk took
 * 1.0× OpenLayers' time instead of 0.69× (3 walks each, the same run of the machine). OpenLayers'
 * images cost it a few small events each. Driven from here, neither contender's traffic is reported.
 * The flags are those Playwright launches Chromium with (bench/browser.ts adds the suites' own).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'

/** Playwright's own launch flags for headless Chromium (playwright-core's chromiumSwitches), so that both drivers see the same browser. */
const DRIVER_FLAGS = [
  '--disable-field-trial-config',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-back-forward-cache',
  '--disable-breakpad',
  '--disable-component-extensions-with-background-pages',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,OptimizationHints,NetworkTimeServiceQuerying',
  '--allow-pre-commit-input',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--no-service-autorun',
  '--disable-search-engine-choice-screen',
  '--headless',
  '--hide-scrollbars',
  '--mute-audio',
  '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4'
]

type Params = Record<string, unknown>
interface Message {
  id?: number
  method?: string
  params?: Params
  result?: Params
  error?: { message: string }
  sessionId?: string
}

/** A Chromium of its own (a fresh profile), one DevTools connection to it. */
export class CdpBrowser {
  private nextId = 1
  private readonly calls = new Map<number, { resolve(result: Params): void; reject(error: Error): void; method: string }>()
  private readonly sessions = new Map<string, (message: Message) => void>()

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string
  ) {
    socket.on('message', (data) => this.receive(JSON.parse(data.toString()) as Message))
    socket.on('close', () => {
      for (const call of this.calls.values()) call.reject(new Error(`Chromium closed its DevTools connection during ${call.method}`))
      this.calls.clear()
    })
  }

  /** Starts `executable` headless with `args` (and Playwright's flags) and connects to it. */
  static async launch(executable: string, args: string[]): Promise<CdpBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'tessera-bench-chromium-'))
    const child = spawn(executable, [...DRIVER_FLAGS, ...args, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] })
    const endpoint = await new Promise<string>((resolve, reject) => {
      let stderr = ''
      const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools endpoint within 30 s:\n${stderr}`)), 30_000)
      const read = (chunk: Buffer): void => {
        stderr += chunk.toString()
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr)
        if (!match) return
        clearTimeout(timer)
        child.stderr!.off('data', read) // the rest of its log is drained, not kept
        resolve(match[1]!)
      }
      child.stderr!.on('data', read)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`Chromium exited with ${code}:\n${stderr}`))
      })
    })
    child.stderr!.resume()
    // A suite that dies (an error, Ctrl+C) leaves no browser behind, as Playwright's launch did not.
    const orphaned = (): void => {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    process.once('exit', orphaned)
    child.once('exit', () => process.off('exit', orphaned))
    const socket = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    return new CdpBrowser(child, socket, profile)
  }

  /** Sends a command (to a page's session when `sessionId`), resolves with its result. */
  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject, method })
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }))
    })
  }

  /** A page of `viewport` CSS pixels in a browser context of its own (its own cache and storage). */
  async newPage(viewport: { width: number; height: number }): Promise<CdpPage> {
    const { browserContextId } = (await this.send('Target.createBrowserContext')) as { browserContextId: string }
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank', browserContextId })) as { targetId: string }
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }
    const page = new CdpPage(this, sessionId, () => this.send('Target.disposeBrowserContext', { browserContextId }).then(() => this.sessions.delete(sessionId)))
    this.sessions.set(sessionId, (message) => page.event(message))
    await Promise.all([
      page.send('Page.enable'),
      page.send('Runtime.enable'),
      page.send('Log.enable'),
      page.send('Emulation.setFocusEmulationEnabled', { enabled: true }),
      page.send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false, screenWidth: viewport.width, screenHeight: viewport.height })
    ])
    return page
  }

  async close(): Promise<void> {
    await Promise.race([this.send('Browser.close').catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))])
    this.socket.close()
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL')
      await new Promise((r) => this.child.once('exit', r))
    }
    // Chromium's last writes to its profile may land while it is removed: a few tries, then left to the OS.
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
    } catch {
      // a temporary folder
    }
  }

  private receive(message: Message): void {
    if (message.id !== undefined) {
      const call = this.calls.get(message.id)
      if (!call) return
      this.calls.delete(message.id)
      if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`))
      else call.resolve(message.result ?? {})
      return
    }
    if (message.sessionId) this.sessions.get(message.sessionId)?.(message)
  }
}

/** What a page's evaluation threw, as DevTools describes it. */
interface ExceptionDetails {
  text: string
  exception?: { description?: string; value?: unknown }
}

/** A page: the subset of Playwright's Page the benches use, over DevTools. */
export class CdpPage {
  /** Page errors and console errors (as Playwright's 'pageerror' and 'console' of type error). */
  readonly problems: string[] = []
  private loadWaiters: Array<() => void> = []

  constructor(
    private readonly browser: CdpBrowser,
    private readonly sessionId: string,
    private readonly dispose: () => Promise<unknown>
  ) {}

  send(method: string, params: Params = {}): Promise<Params> {
    return this.browser.send(method, params, this.sessionId)
  }

  /** Navigates and resolves at the page's load event. */
  async goto(url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => this.loadWaiters.push(resolve))
    const { errorText } = (await this.send('Page.navigate', { url })) as { errorText?: string }
    if (errorText) throw new Error(`Cannot open ${url}: ${errorText}`)
    await loaded
  }

  /** Evaluates an expression, or calls a function with `arg` (JSON), in the page; resolves with its (awaited) value. */
  async evaluate<T = unknown>(script: string | ((arg: never) => unknown), arg?: unknown): Promise<T> {
    const expression = typeof script === 'string' ? script : `(${script.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`
    const { result, exceptionDetails } = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
      result: { value?: unknown }
      exceptionDetails?: ExceptionDetails
    }
    if (exceptionDetails) throw new Error(`Evaluating in the page: ${describe(exceptionDetails)}`)
    return result.value as T
  }

  /** Resolves once `script` is truthy, polled every `pollMs`; rejects after `timeoutMs`. */
  async waitFor(script: string | (() => unknown), timeoutMs: number, pollMs = 50): Promise<void> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      if (await this.evaluate(script)) return
      if (performance.now() > deadline) throw new Error(`Timeout ${timeoutMs} ms waiting for ${String(script).slice(0, 120)}`)
      await new Promise((r) => setTimeout(r, pollMs))
    }
  }

  /** Clicks the centre of the first element matching `selector` once it is visible and enabled, with the mouse (as a person, and as Playwright does). */
  async click(selector: string, timeoutMs = 10_000): Promise<void> {
    const centre = `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e || e.disabled) return null; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null })()`
    await this.waitFor(centre, timeoutMs)
    const { x, y } = (await this.evaluate<{ x: number; y: number }>(centre))!
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y })
    await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount: 1 })
    await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount: 1 })
  }

  /** Replaces the text of the input matching `selector` (focused, selected, typed over: its input events fire). */
  async fill(selector: string, text: string, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(`!!document.querySelector(${JSON.stringify(selector)})`, timeoutMs)
    await this.evaluate(`(() => { const e = document.querySelector(${JSON.stringify(selector)}); e.focus(); e.select() })()`)
    await this.send('Input.insertText', { text })
  }

  /** Presses a key (`Enter`, or a letter with Control: `Control+L`) on the focused element. */
  async press(combo: string): Promise<void> {
    const parts = combo.split('+')
    const key = parts.pop()!
    const modifiers = parts.includes('Control') ? 2 : 0
    const event =
      key === 'Enter'
        ? { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' }
        : { key: key.toLowerCase(), code: `Key${key.toUpperCase()}`, windowsVirtualKeyCode: key.toUpperCase().charCodeAt(0), ...(modifiers ? {} : { text: key.toLowerCase() }) }
    await this.send('Input.dispatchKeyEvent', { type: 'keyDown', modifiers, ...event })
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers, ...event, text: undefined })
  }

  /** Closes the page with its browser context. */
  close(): Promise<unknown> {
    return this.dispose()
  }

  /** A DevTools event of this page's session. */
  event(message: Message): void {
    const params = message.params ?? {}
    switch (message.method) {
      case 'Page.loadEventFired':
        for (const resolve of this.loadWaiters.splice(0)) resolve()
        return
      case 'Runtime.exceptionThrown':
        this.problems.push(`page error: ${describe((params as { exceptionDetails: ExceptionDetails }).exceptionDetails)}`)
        return
      case 'Runtime.consoleAPICalled': {
        const { type, args } = params as { type: string; args: Array<{ value?: unknown; description?: string }> }
        if (type === 'error') this.problems.push(`console: ${args.map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? ''))).join(' ')}`)
        return
      }
      case 'Log.entryAdded': {
        const { entry } = params as { entry: { level: string; text: string } }
        if (entry.level === 'error') this.problems.push(`console: ${entry.text}`)
        return
      }
    }
  }
}

function describe(details: ExceptionDetails): string {
  return details.exception?.description?.split('\n')[0] ?? (details.exception?.value !== undefined ? String(details.exception.value) : details.text)
}
