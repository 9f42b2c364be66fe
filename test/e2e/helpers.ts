/**
 * What the end-to-end specs share: the `npm run serve` host (one per worker), dropping real files
 * through a synthetic DataTransfer, the diagnostics object, and reading screenshot pixels at
 * image positions.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import sharp from 'sharp'
import type { RGB } from './images'
import { startServeProcess, type ServeProcess, type ServeSpawnOptions } from '../helpers/serveProcess'

export { expect }

/** The page's globals used inside `page.evaluate` (this project type-checks tests without the DOM lib). */
interface DiagnosticsStats {
  pending: number
  active: number
  requested: number
  displayed: number
  cancelled: number
  wasted: number
  late: number
  textureBytes: number
  sharp: boolean
  /** Previews of dropped files drawn now, and shown since the page began. */
  previews: number
  previewsShown: number
}
interface FileInput {
  type: string
  multiple: boolean
  id: string
  style: { display: string }
  files: ArrayLike<unknown> | null
  remove(): void
}
interface PageGlobals {
  __tesseraDiagnostics?: {
    stats(): DiagnosticsStats
    setView(view: { centerX: number; centerY: number; zoom: number }): void
    frameNow(): void
    service(): Promise<{ cancelled: number; done: number; pending: number }>
    view(): { centerX: number; centerY: number; zoom: number; width: number; height: number }
    layers(): string[]
    wire(): WireStats
    graphics(): { renderer: string; software: boolean }
    timeline(): Array<{ t: number; step: string; name: string }>
  }
  document: {
    body: { dataset: Record<string, string | undefined>; append(el: unknown): void }
    createElement(tag: 'input'): FileInput
    getElementById(id: string): FileInput | null
  }
  DataTransfer: new () => { items: { add(file: unknown): void } }
  requestAnimationFrame(callback: () => void): number
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots')

/** Path of a generated test image. */
export function imagePath(file: string): string {
  const dir = process.env.TESSERA_E2E_IMAGES
  if (!dir) throw new Error('Expected TESSERA_E2E_IMAGES to be set by the global setup but it is not')
  return join(dir, file)
}

/** Starts `node scripts/serve.mjs --port 0` (as another user, with more environment: `options`) and resolves with its URL once it prints it. */
export function startServe(extraArgs: string[] = [], options: ServeSpawnOptions = {}): Promise<ServeProcess> {
  return startServeProcess(ROOT, extraArgs, undefined, options)
}

/** Collects uncaught page errors and console errors (CSP violations among them). */
export function watchProblems(page: Page): () => string[] {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  // Errors the scenario provokes on purpose (a corrupt file) are expected.
  return () => problems.filter((p) => !/corrupt\.png|Could not open/.test(p))
}

/** Waits until the renderer has started and installed its diagnostics. */
export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const g = globalThis as unknown as PageGlobals
    return g.document.body.dataset.ready === 'true' && !!g.__tesseraDiagnostics
  })
}

/** Fixtures: `serveUrl` (one host per worker) and `viewer` (a fresh page with diagnostics, ready). */
export const test = base.extend<{ viewer: Page }, { serveUrl: string }>({
  serveUrl: [
    async ({}, use) => {
      const server = await startServe()
      await use(server.url)
      await server.stop()
    },
    { scope: 'worker', timeout: 200_000 }
  ],
  viewer: async ({ page, serveUrl }, use) => {
    const problems = watchProblems(page)
    await page.goto(`${serveUrl}&diagnostics`)
    await waitForReady(page)
    await use(page)
    expect(problems()).toEqual([])
  }
})

/**
 * Drops files on the viewer as a person would: dragenter, dragover, drop with a DataTransfer.
 * The File objects come from a file input filled by Playwright, so in Electron they carry their
 * path on disk (webUtils.getPathForFile) like a real drop from the file manager.
 */
export async function dropFiles(page: Page, paths: string[], target = '[data-testid="viewer"]'): Promise<void> {
  const id = `e2e-drop-source-${Date.now()}`
  await page.evaluate((inputId) => {
    const g = globalThis as unknown as PageGlobals
    const input = g.document.createElement('input')
    input.type = 'file'
    input.multiple = true
    input.id = inputId
    input.style.display = 'none'
    g.document.body.append(input)
  }, id)
  await page.setInputFiles(`#${id}`, paths)
  const transfer = await page.evaluateHandle((inputId) => {
    const g = globalThis as unknown as PageGlobals
    const input = g.document.getElementById(inputId)!
    const dt = new g.DataTransfer()
    for (const file of Array.from(input.files ?? [])) dt.items.add(file)
    input.remove()
    return dt
  }, id)
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(target, type, { dataTransfer: transfer })
  }
}

/** Diagnostics stats of the page. */
export async function stats(page: Page): Promise<DiagnosticsStats> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.stats())
}

/** Tiles received by the page: how many, bytes on the wire, how many came compressed, how many were unpacked in the tile worker. */
export interface WireStats {
  tiles: number
  bytes: number
  compressed: number
  inWorker: number
}

export async function wireStats(page: Page): Promise<WireStats> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.wire())
}

/** When each dropped file reached each step of its opening (dropped, preview or preview late, sent, opened, first tile). */
export async function openTimeline(page: Page): Promise<Array<{ t: number; step: string; name: string }>> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.timeline())
}

export async function graphicsInfo(page: Page): Promise<{ renderer: string; software: boolean }> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.graphics())
}

/** The service's counters for this page's connection, asked for now. */
export async function serviceStats(page: Page): Promise<{ cancelled: number; done: number; pending: number }> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.service())
}

/** Waits until `count` layers are open. */
export async function waitForLayers(page: Page, count: number): Promise<void> {
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.layers().length), { timeout: 60_000 }).toBe(count)
}

/** Waits until every visible tile is at the wanted level and nothing is pending. */
export async function waitForSharp(page: Page, timeout = 90_000): Promise<void> {
  await expect.poll(async () => (await stats(page)).sharp, { timeout, intervals: [100, 250, 500] }).toBe(true)
}

/** Places the camera (image pixels, screen pixels per image pixel). */
export async function setView(page: Page, view: { centerX: number; centerY: number; zoom: number }): Promise<void> {
  await page.evaluate((v) => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.setView(v), view)
}

/** Drags the view with the mouse from the viewer's centre: `moves` moves of (dx, dy) screen pixels each, then releases. */
export async function dragFromCentre(page: Page, dx: number, dy: number, moves = 10): Promise<void> {
  const box = (await page.getByTestId('viewer').boundingBox())!
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  for (let i = 1; i <= moves; i++) await page.mouse.move(start.x + dx * i, start.y + dy * i)
  await page.mouse.up()
}

/** A screenshot of the viewer, decoded, with the view it was taken at. */
export interface Shot {
  width: number
  height: number
  view: { centerX: number; centerY: number; zoom: number; width: number; height: number }
  /** Screen colour at viewer pixel (x, y). */
  at(x: number, y: number): RGB
  /** Screen colour where image pixel (ix, iy) is drawn (its centre). */
  image(ix: number, iy: number): RGB
}

/** Takes a screenshot of the viewer and saves a copy under test-results/screenshots/<name>.png. */
export async function shoot(page: Page, name: string): Promise<Shot> {
  const viewer: Locator = page.getByTestId('viewer')
  const png = await viewer.screenshot()
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
  const view = await page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.view())
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const at = (x: number, y: number): RGB => {
    const px = Math.min(info.width - 1, Math.max(0, Math.floor(x)))
    const py = Math.min(info.height - 1, Math.max(0, Math.floor(y)))
    const i = (py * info.width + px) * info.channels
    return [data[i]!, data[i + 1]!, data[i + 2]!]
  }
  return {
    width: info.width,
    height: info.height,
    view,
    at,
    image: (ix, iy) => at((ix + 0.5 - view.centerX) * view.zoom + view.width / 2, (iy + 0.5 - view.centerY) * view.zoom + view.height / 2)
  }
}

/** Asserts a colour within `tolerance` per channel, naming where. */
export function expectColor(actual: RGB, expected: RGB, where: string, tolerance = 6): void {
  const off = actual.some((v, i) => Math.abs(v - expected[i]!) > tolerance)
  expect(off, `${where}: screen ${actual.join(',')} vs image ${expected.join(',')}`).toBe(false)
}

/** Advances `frames` animation frames in the page. */
export async function frames(page: Page, count = 1): Promise<void> {
  await page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) await new Promise((r) => (globalThis as unknown as PageGlobals).requestAnimationFrame(() => r(null)))
  }, count)
}
