/**
 * The browser side shared by the `remote` and `web` suites: a Tessera page on a fresh `npm run
 * serve` host (fresh process: its block cache and HTTP client start empty) and an OpenLayers page,
 * each in its own browser context of the same Chromium, opened on a layer and timed in the page
 * (from the moment the open is asked to the first frame with pixels of it, and to sharp), then
 * driven through a walk by bench/view/driver.js (the `view` suite's, the same code for both).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CdpBrowser, CdpPage } from './cdp'
import { startServeProcess, type ServeProcess } from '../../test/helpers/serveProcess'
import { WINDOW } from '../browser'
import type { Step } from '../view/script'

const DRIVER = readFileSync(resolve('bench/view/driver.js'), 'utf8')
const TESSERA_ADAPTER = readFileSync(resolve('bench/view/tessera-adapter.js'), 'utf8')

/** What the driver returns (bench/view/driver.js), the part these suites read. */
export interface DriverResult {
  /** `at`: epoch ms of the last move before the wait. */
  settles: Array<{ label: string; ms: number | null; capMs: number; counted: boolean; at: number }>
  decoded: number
  displayed: number | null
  stillBusy: boolean
  longestTaskInMotionMs: number
}

/** Times of an open, ms from the moment it was asked for. */
export interface OpenTimes {
  firstPixelsMs: number | null
  sharpMs: number | null
}

export interface OpenedPage {
  page: CdpPage
  /** Page errors and console errors seen so far (taken: each is reported once). */
  problems: () => string[]
  close(): Promise<void>
}

/** A page in a fresh browser context (empty HTTP cache), of the benches' window size. */
async function newPage(browser: CdpBrowser): Promise<{ page: CdpPage; problems: string[] }> {
  const page = await browser.newPage(WINDOW)
  return { page, problems: page.problems }
}

// ---- Tessera -------------------------------------------------------------------------------------
// Tessera's page forbids eval (its CSP); DevTools' evaluations are not bound by it.

/**
 * Watches, in Tessera's page, an open asked for by the Enter of Open URL… or the click on Add of
 * Add map layer… (capture listeners: they run before the dialogs' own): the first frame where a
 * tile of it is displayed, and the first where the view is sharp.
 */
const TESSERA_WATCH = `(() => {
  const d = window.__tesseraDiagnostics
  const w = (window.__benchWatch = { openAt: 0, firstPixelsAt: 0, sharpAt: 0, asked() { if (!w.openAt) w.openAt = performance.now() } })
  window.addEventListener('keydown', (e) => { if (e.key === 'Enter') w.asked() }, true)
  window.addEventListener('click', (e) => { if (e.target && e.target.closest && e.target.closest('[data-testid="add-map-layer-add"]')) w.asked() }, true)
  const layers = d.layers().length
  const tick = () => {
    if (w.openAt && d.layers().length > layers) {
      const s = d.stats()
      if (!w.firstPixelsAt && s.displayed > 0) w.firstPixelsAt = performance.now()
      if (w.firstPixelsAt && !w.sharpAt && s.sharp) w.sharpAt = performance.now()
    }
    if (!w.sharpAt) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`

export interface TesseraPage extends OpenedPage {
  serve: ServeProcess
  /** The service's counters (ServiceStats, with `remote` when the host says it). */
  serviceStats(): Promise<Record<string, unknown>>
}

/** Whether a host was started in this run: `npm run serve` builds then (when the sources changed), and never again in the run. */
let built = false

/**
 * A fresh host and a page of it with diagnostics, connected and ready. The first host of the run
 * builds the app when its sources changed; the next ones run that build (TESSERA_SKIP_BUILD), so
 * that every run of the suite measures the same code. One retry: the shared machine sometimes
 * stalls a page's first load.
 */
export async function openTessera(browser: CdpBrowser, attempt = 1): Promise<TesseraPage> {
  const serve = await startServeProcess(process.cwd(), [], 240_000, built ? { env: { TESSERA_SKIP_BUILD: '1' } } : {})
  built = true
  const { page, problems } = await newPage(browser)
  try {
    await page.goto(`${serve.url}&diagnostics`)
    await page.waitFor(() => {
      const g = globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } }; __tesseraDiagnostics?: { connected(): boolean } }
      return g.document.body.dataset.ready === 'true' && g.__tesseraDiagnostics?.connected() === true
    }, 60_000)
    return {
      page,
      serve,
      problems: () => problems.splice(0),
      serviceStats: () => page.evaluate('window.__tesseraDiagnostics.service()') as Promise<Record<string, unknown>>,
      close: async () => {
        await page.close()
        await serve.stop()
      }
    }
  } catch (error) {
    await page.close()
    await serve.stop()
    process.stderr.write(`[bench] Tessera's page did not get ready (${(error as Error).message.split('\n')[0]}); ${attempt < 2 ? 'again' : 'giving up'}\n`)
    if (attempt < 2) return openTessera(browser, attempt + 1)
    throw error
  }
}

/** The viewer element's size in Tessera's window (the window minus its panels): the OpenLayers pages get the same. */
export async function tesseraViewSize(browser: CdpBrowser): Promise<{ width: number; height: number }> {
  const t = await openTessera(browser)
  try {
    const view = (await t.page.evaluate('window.__tesseraDiagnostics.view()')) as { width: number; height: number }
    return { width: Math.round(view.width), height: Math.round(view.height) }
  } finally {
    await t.close()
  }
}

/** Waits for the open watched by TESSERA_WATCH to be sharp (or `timeoutMs`), and returns its times. */
async function watchedTimes(page: CdpPage, timeoutMs: number): Promise<OpenTimes> {
  await page
    .waitFor(() => ((globalThis as unknown as { __benchWatch?: { sharpAt: number } }).__benchWatch?.sharpAt ?? 0) > 0, timeoutMs)
    .catch((error: Error) => process.stderr.write(`[bench] Tessera's open was not sharp: ${error.message.split('\n')[0]}\n`))
  const w = (await page.evaluate('({ ...window.__benchWatch })')) as { openAt: number; firstPixelsAt: number; sharpAt: number }
  return { firstPixelsMs: w.firstPixelsAt ? w.firstPixelsAt - w.openAt : null, sharpMs: w.sharpAt ? w.sharpAt - w.openAt : null }
}

/** Opens `url` as a person does: Ctrl+L, the URL typed in Open URL…, Enter. */
export async function tesseraOpenUrl(t: TesseraPage, url: string, timeoutMs: number): Promise<OpenTimes> {
  await t.page.evaluate(TESSERA_WATCH)
  await t.page.press('Control+L')
  await t.page.click(testId('open-url-input')) // visible, and focused
  await t.page.fill(testId('open-url-input'), url)
  await t.page.press('Enter')
  return watchedTimes(t.page, timeoutMs)
}

/**
 * Opens a web map layer as a person does: Add map layer…, the capabilities URL (or XYZ template)
 * typed and loaded, the layer `name` picked (an XYZ template's one layer is picked by the dialog),
 * Add; timed from the click on Add.
 */
export async function tesseraAddMapLayer(t: TesseraPage, url: string, name: string | null, timeoutMs: number): Promise<OpenTimes> {
  await t.page.evaluate(TESSERA_WATCH)
  await t.page.click(testId('toolbar-add-map-layer'))
  await t.page.fill(testId('add-map-layer-url'), url)
  await t.page.click(testId('add-map-layer-load'))
  if (name !== null) await t.page.click(`[data-testid="add-map-layer-item"][data-name="${name}"]`, 30_000)
  await t.page.click(testId('add-map-layer-add'), 30_000)
  return watchedTimes(t.page, timeoutMs)
}

/** Installs the driver and Tessera's adapter (after the layer is open). */
export async function tesseraReadyToDrive(t: TesseraPage): Promise<void> {
  await t.page.evaluate(TESSERA_ADAPTER)
  await t.page.evaluate(DRIVER)
}

// ---- OpenLayers ----------------------------------------------------------------------------------

export interface OlPage extends OpenedPage {
  counts(): Promise<Record<string, number>>
}

/** An OpenLayers page (`/remote.html` or `/web.html` of the page server) of the viewer's size, opened on `options`, timed. */
export async function openOpenLayers(
  browser: CdpBrowser,
  pageUrl: string,
  options: Record<string, unknown>,
  timeoutMs: number
): Promise<{ ol: OlPage; times: OpenTimes }> {
  const { page, problems } = await newPage(browser)
  await page.goto(pageUrl)
  await page.waitFor(() => (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } }).document.body.dataset.ready === 'true', 30_000)
  const opened = (await page.evaluate(`window.__benchOpen(${JSON.stringify(options)})`)) as { ok: boolean; error?: string }
  if (!opened.ok) problems.push(`OpenLayers could not open ${JSON.stringify(options)}: ${opened.error}`)
  await page
    .waitFor(() => {
      const c = (globalThis as unknown as { __benchCounts: { completeAt: number; firstPixelsAt: number } }).__benchCounts
      return c.completeAt > 0 && c.firstPixelsAt > 0
    }, timeoutMs)
    .catch(() => undefined)
  const c = (await page.evaluate('({ ...window.__benchCounts })')) as Record<string, number>
  await page.evaluate(DRIVER)
  const ol: OlPage = {
    page,
    problems: () => problems.splice(0),
    counts: () => page.evaluate('({ ...window.__benchCounts })') as Promise<Record<string, number>>,
    close: async () => {
      await page.close()
    }
  }
  return { ol, times: { firstPixelsMs: c.firstPixelsAt ? c.firstPixelsAt - c.openAt! : null, sharpMs: c.completeAt && c.firstPixelsAt ? c.completeAt - c.openAt! : null } }
}

// ---- driving -------------------------------------------------------------------------------------

/** Runs `steps` in the page with the view suite's driver. */
export function drive(page: CdpPage, steps: Step[], quick: boolean): Promise<DriverResult> {
  return page.evaluate<DriverResult>(
    ([s, o]: [unknown, unknown]) => (globalThis as unknown as { __benchDriver: { run(s: unknown, o: unknown): Promise<DriverResult> } }).__benchDriver.run(s, o),
    [steps, { drainCapMs: quick ? 2_000 : 5_000, sampleMs: 1_000 }]
  )
}

/** The CSS selector of an element by its data-testid. */
function testId(id: string): string {
  return `[data-testid="${id}"]`
}

/** A walk's time-to-sharp: the sum of its counted settle points, a point not sharp in time counted as its cap; and how many were not. */
export function walkTime(result: DriverResult): { ms: number; censored: number } {
  const counted = result.settles.filter((s) => s.counted)
  return { ms: counted.reduce((sum, s) => sum + (s.ms ?? s.capMs), 0), censored: counted.filter((s) => s.ms === null).length }
}
