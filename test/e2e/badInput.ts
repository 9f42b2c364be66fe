/**
 * The bad-input corpus (issue 7) end to end, shared by the browser and the Electron specs: the
 * cause each case must name in the window, and the steps of a person handing the viewer a bad
 * file — drop it (or name it on the command line), read the error it gives, dismiss it — with the
 * time from the drop to the error on screen, recorded in the page itself (pageTimes.ts). Each step also checks
 * that the good layer (QUAD) still renders, that no layer or service raster was added, and
 * records the page's JS heap and the host's RSS around it.
 */
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Page } from '@playwright/test'
import sharp from 'sharp'
import type { BadCase, BadCorpus } from '../fixtures/bad/generate'
import { fromRaw, gradient } from '../helpers/images'
import { QUAD, quadColor } from './images'
import { dropFiles, expect, expectColor, frames, imagePath, setView, shoot, stats, waitForLayers, waitForSharp } from './helpers'
import { type MemoryAtRest, mb, memoryAtRest } from './memory'
import { errorDelay, recordedTimes } from './pageTimes'

/** Content cases dropped on the window and the cause each error must name. */
export const DROPPED_ERRORS: ReadonlyArray<{ name: BadCase; cause: RegExp }> = [
  { name: 'zero-byte', cause: /the file is empty/ },
  { name: 'truncated-png', cause: /it is truncated or damaged \(vipspng: libpng read error\)/ },
  { name: 'truncated-tiled-tiff', cause: /starts like a TIFF file .* truncated or damaged/ },
  { name: 'random-bytes', cause: /not a supported image/ },
  { name: 'png-bomb-header', cause: /100000×100000 = 10 gigapixels, above the limit/ },
  { name: 'tiff-tile-offsets-past-end', cause: /past the end of the file .* truncated or damaged/ },
  { name: 'tiff-absurd-tile-size', cause: /its header is damaged or invalid \(.*tile size out of range\)/ },
  // The external entity is refused, not read: the SVG does not open (the secret never shows).
  { name: 'svg-external-refs', cause: /its XML uses an entity that is not defined here \(external entities are never loaded\) \(.*Entity 'secret' not defined/ },
  // Issue 22: what a file is, named, and what to do; sizes refused from the header, nothing decoded.
  { name: 'netcdf', cause: /it is a NetCDF file .*gdal_translate NETCDF:"model-output\.nc"/ },
  { name: 'text-renamed-tif', cause: /it is a text file .*its name ends in \.tif, but its content is not a TIFF/ },
  { name: 'claim-striped-tiff', cause: /200000×200000 = 40 gigapixels .*above the limit of 1 gigapixel/ },
  { name: 'claim-png', cause: /200000×200000 = 40 gigapixels, above the limit of 1 gigapixel/ },
  { name: 'claim-webp', cause: /40 gigapixels, above the limit of 1 gigapixel/ }
]

/** Cases a person can only name by path (no bytes to drop), and the cause each error must name. */
export const PATH_ERRORS = {
  directory: /it is a directory/,
  'symlink-loop': /symbolic link loop/,
  'no-read-permission': /permission denied/,
  // Said when the service notices the deletion, or at the next tile read from the file.
  'deleted-while-open': /deleted or moved away|Input file is missing|no such file/i
} as const

/** One row of the closing table. */
export interface BadInputRow {
  case: string
  route: string
  message: string
  ms: number | null
  memory: string
}

/** A page with the good layer(s) open, the host process whose RSS is read, and where rows go. */
export interface BadInputContext {
  page: Page
  hostPid: number
  /** Screenshot name prefix ('browser', 'electron'). */
  prefix: string
  /** Layers (and service rasters) open before any bad file: there must be as many after. */
  layers: number
  /** Image points where QUAD shows on screen whatever else is open. */
  quadPoints: ReadonlyArray<readonly [number, number]>
  rows: BadInputRow[]
}

/**
 * Files of the path cases, written into `dir`: a copy of QUAD (the good layer), a PNG without read
 * permission, and a tiled TIFF to delete while open (its tiles are read from the file as asked for).
 */
export async function writePathCases(dir: string): Promise<{ good: string; unreadable: string; deleted: string }> {
  mkdirSync(dir, { recursive: true })
  const good = join(dir, QUAD.file)
  copyFileSync(imagePath(QUAD.file), good)
  const unreadable = join(dir, 'unreadable.png')
  writeFileSync(unreadable, await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer())
  chmodSync(unreadable, 0o000)
  const deleted = join(dir, 'deleted.tif')
  await fromRaw(gradient(1024, 1024)).tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'deflate' }).toFile(deleted)
  return { good, unreadable, deleted }
}

/** Ids of the layers the viewer shows. */
export function layerIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __tesseraDiagnostics: { layers(): string[] } }).__tesseraDiagnostics.layers())
}

/** Rasters the service holds open for this page. */
export async function serviceOpenRasters(page: Page): Promise<number> {
  return page.evaluate(async () => (await (globalThis as unknown as { __tesseraDiagnostics: { service(): Promise<{ openRasters: number }> } }).__tesseraDiagnostics.service()).openRasters)
}

const entryText = (text: string): string => text.replace(/\s*×\s*$/, '').replace(/\s+/g, ' ').trim()

/**
 * Every error entry naming `name` (at least one; the service may say it, and the layer's failed
 * tiles too): each names the file, one names `cause`. Their texts are returned, joined, and all
 * are dismissed as a person would, so that the next identical error shows again.
 */
export async function readAndDismissErrors(page: Page, name: string, cause: RegExp): Promise<string> {
  const entries = page.getByTestId('error').filter({ hasText: name })
  await expect(entries.first()).toBeVisible({ timeout: 10_000 })
  const texts = (await entries.allInnerTexts()).map(entryText)
  for (const text of texts) expect(text).toContain(name)
  expect(texts.some((t) => cause.test(t)), `one of ${JSON.stringify(texts)} names the cause ${cause}`).toBe(true)
  while ((await entries.count()) > 0) await entries.first().getByRole('button', { name: 'Dismiss' }).click()
  return texts.join(' / ')
}

/** Drops `path` on the viewer and waits for its layer (`layers` in all): milliseconds from the drop to the layer. */
export async function dropExpectingLayer(page: Page, path: string, layers: number): Promise<number> {
  const dropsBefore = (await recordedTimes(page)).drops.length
  await dropFiles(page, [path])
  await page.waitForFunction((n) => (globalThis as unknown as { __tesseraDiagnostics: { layers(): string[] } }).__tesseraDiagnostics.layers().length === n, layers, { polling: 'raf', timeout: 30_000 })
  const openedAt = await page.evaluate(() => Date.now())
  return openedAt - (await recordedTimes(page)).drops[dropsBefore]!
}

/** Drops `path` and reads the error it gives: the message shown and the time from the drop to the error entry. */
export async function dropExpectingError(page: Page, path: string, cause: RegExp): Promise<{ message: string; ms: number }> {
  const name = basename(path)
  const dropsBefore = (await recordedTimes(page)).drops.length
  await dropFiles(page, [path])
  const message = await readAndDismissErrors(page, name, cause)
  const droppedAt = (await recordedTimes(page)).drops[dropsBefore]
  if (droppedAt === undefined) throw new Error(`Expected the drop of ${name} to be recorded but it was not`)
  return { message, ms: await errorDelay(page, name, droppedAt) }
}

/** Removes the layer named `name` through its button in the layers panel, and waits until `layers` remain. */
export async function removeLayer(page: Page, name: string, layers: number): Promise<void> {
  await page.getByRole('button', { name: `Remove ${name}` }).click()
  await waitForLayers(page, layers)
}

/** Image points of QUAD checked on screen: one in each quadrant. */
export const QUAD_POINTS: ReadonlyArray<readonly [number, number]> = [
  [900, 200],
  [300, 600],
  [900, 600],
  [1100, 300]
]

const memoryDelta = (before: MemoryAtRest, after: MemoryAtRest): string => `heap ${mb(after.heap - before.heap, true)} MB, RSS ${mb(after.rss - before.rss, true)} MB`

/** The good layers are still there, alone, and QUAD still shows its own colours. */
export async function expectGoodLayersRender(ctx: BadInputContext, shotName: string): Promise<void> {
  expect(await layerIds(ctx.page), 'layers open').toHaveLength(ctx.layers)
  expect(await serviceOpenRasters(ctx.page), 'rasters open in the service').toBe(ctx.layers)
  const shot = await shoot(ctx.page, `${ctx.prefix}-${shotName}`)
  for (const [x, y] of ctx.quadPoints) expectColor(shot.image(x, y), quadColor(x, y), `${QUAD.file} still drawn at ${x},${y}`)
}

/** Times above this fail the case: issue 7's "within 2 s". */
export const ERROR_WITHIN_MS = 2000

/** A dropped bad file: an error naming it and the cause within 2 s; nothing added; the good layer renders. */
export async function droppedFileFails(ctx: BadInputContext, name: string, path: string, cause: RegExp): Promise<void> {
  const before = await memoryAtRest(ctx.page, ctx.hostPid)
  const { message, ms } = await dropExpectingError(ctx.page, path, cause)
  ctx.rows.push({ case: name, route: 'drop', message, ms, memory: memoryDelta(before, await memoryAtRest(ctx.page, ctx.hostPid)) })
  expect(message, 'named as dropped, not by a temporary path').not.toContain('tessera-uploads')
  expect(message).not.toContain('TOP SECRET')
  await expectGoodLayersRender(ctx, `bad-${name}`)
  expect(ms, `${name}: ${ms} ms from the drop to the error`).toBeLessThanOrEqual(ERROR_WITHIN_MS)
}

/** The GIF of 3000 frames opens at once on its first frame (black), and its removal leaves nothing. */
export async function thousandFrameGifOpensAndCloses(ctx: BadInputContext, path: string): Promise<void> {
  const before = await memoryAtRest(ctx.page, ctx.hostPid)
  const ms = await dropExpectingLayer(ctx.page, path, ctx.layers + 1)
  await waitForSharp(ctx.page)
  const shot = await shoot(ctx.page, `${ctx.prefix}-bad-gif-first-frame`)
  // Frame 0 is black; frame f is grey f & 255. Drawn on top of QUAD's top-left corner.
  expect(shot.image(16, 16)).toEqual([0, 0, 0])
  await removeLayer(ctx.page, basename(path), ctx.layers)
  await expect(ctx.page.getByTestId('error')).toHaveCount(0)
  ctx.rows.push({ case: 'gif-thousands-of-frames', route: 'drop', message: '(opens on its first frame, 32×32; removed)', ms, memory: memoryDelta(before, await memoryAtRest(ctx.page, ctx.hostPid)) })
  await expectGoodLayersRender(ctx, 'bad-gif-removed')
  expect(ms, `${ms} ms from the drop to the layer`).toBeLessThanOrEqual(ERROR_WITHIN_MS)
}

/**
 * A JPEG cut short opens (its first rows decode, the rest is grey) with a visible warning in its
 * layer's row naming the damage, and no error; removing it leaves nothing.
 */
export async function truncatedJpegOpensWithWarning(ctx: BadInputContext, path: string): Promise<void> {
  const before = await memoryAtRest(ctx.page, ctx.hostPid)
  const ms = await dropExpectingLayer(ctx.page, path, ctx.layers + 1)
  const warning = ctx.page.getByTestId('layer-warning').filter({ hasText: 'truncated' })
  await expect(warning).toBeVisible()
  await expect(warning).toContainText('it is truncated (its end-of-image marker is missing)')
  await expect(ctx.page.getByTestId('error')).toHaveCount(0)
  await waitForSharp(ctx.page)
  await shoot(ctx.page, `${ctx.prefix}-bad-truncated-jpeg-warning`)
  await removeLayer(ctx.page, basename(path), ctx.layers)
  ctx.rows.push({ case: 'truncated-jpeg', route: 'drop', message: '(opens with a warning: its end-of-image marker is missing; removed)', ms, memory: memoryDelta(before, await memoryAtRest(ctx.page, ctx.hostPid)) })
  await expectGoodLayersRender(ctx, 'bad-truncated-jpeg-removed')
}

/** An SVG pulling in red.png by relative path and by file: URL opens white: neither was read. */
export async function svgReferencesAreNotRead(ctx: BadInputContext, path: string): Promise<void> {
  const before = await memoryAtRest(ctx.page, ctx.hostPid)
  const ms = await dropExpectingLayer(ctx.page, path, ctx.layers + 1)
  const view = await ctx.page.evaluate(() => (globalThis as unknown as { __tesseraDiagnostics: { view(): { centerX: number; centerY: number; zoom: number } } }).__tesseraDiagnostics.view())
  await setView(ctx.page, { centerX: 32, centerY: 32, zoom: 4 })
  await waitForSharp(ctx.page)
  const shot = await shoot(ctx.page, `${ctx.prefix}-bad-svg-images`)
  // red.png by relative path fills the left half, by absolute file: URL the right half, if read.
  for (const [x, y] of [[16, 32], [48, 32], [8, 8], [56, 56]] as const) expect(shot.image(x, y), `SVG pixel ${x},${y}`).toEqual([255, 255, 255])
  await removeLayer(ctx.page, basename(path), ctx.layers)
  await setView(ctx.page, view)
  await waitForSharp(ctx.page)
  ctx.rows.push({ case: 'svg-images-by-path-and-url', route: 'drop', message: '(opens white: its references are not read; removed)', ms, memory: memoryDelta(before, await memoryAtRest(ctx.page, ctx.hostPid)) })
  await expectGoodLayersRender(ctx, 'bad-svg-removed')
}

/**
 * Registers the tests of the dropped corpus that both specs run, in this order: each case of
 * DROPPED_ERRORS, the thousand-frame GIF, the SVG's references. `state` is read when a test runs
 * (the specs set it in `beforeAll`); `test` is the spec's own test function.
 */
export function droppedCorpusTests(test: (title: string, body: () => Promise<void>) => void, state: () => { ctx: BadInputContext; corpus: BadCorpus }): void {
  for (const { name, cause } of DROPPED_ERRORS) {
    test(`${name}: an error naming the file and the cause within 2 s; the open layer keeps rendering and no layer is added`, async () => {
      const { ctx, corpus } = state()
      await droppedFileFails(ctx, name, corpus.cases[name], cause)
    })
  }

  test('truncated-jpeg: opens with a visible warning naming the damage (its first rows decode), no error, and its removal leaves nothing', async () => {
    const { ctx, corpus } = state()
    await truncatedJpegOpensWithWarning(ctx, corpus.cases['truncated-jpeg'])
  })

  test('gif-thousands-of-frames: opens within 2 s as one layer on its first frame, and its removal leaves nothing', async () => {
    const { ctx, corpus } = state()
    await thousandFrameGifOpensAndCloses(ctx, corpus.cases['gif-thousands-of-frames'])
  })

  test('an SVG referencing an image by path and by file: URL opens white: neither is read', async () => {
    const { ctx, corpus } = state()
    await svgReferencesAreNotRead(ctx, corpus.svgImages)
  })
}

/** How far memory may stay above where it was after the whole corpus (the integration test allows 10 / 64 MB in-process). */
export const HEAP_TOLERANCE = 16 * 1024 * 1024
export const RSS_TOLERANCE = 64 * 1024 * 1024

/**
 * Drops the whole corpus once more (the cases above were the first round) and compares memory at
 * rest with `baseline`, taken before any bad file: within the tolerances, and no growth per round.
 */
export async function memoryComesBack(ctx: BadInputContext, corpus: BadCorpus, baseline: MemoryAtRest): Promise<void> {
  const afterFirst = await memoryAtRest(ctx.page, ctx.hostPid)
  for (const { name, cause } of DROPPED_ERRORS) await dropExpectingError(ctx.page, corpus.cases[name], cause)
  const gif = corpus.cases['gif-thousands-of-frames']
  await dropExpectingLayer(ctx.page, gif, ctx.layers + 1)
  await removeLayer(ctx.page, basename(gif), ctx.layers)
  await waitForSharp(ctx.page)
  const afterSecond = await memoryAtRest(ctx.page, ctx.hostPid)
  const summary = `at start heap ${mb(baseline.heap)} MB, RSS ${mb(baseline.rss)} MB; after round 1: ${memoryDelta(baseline, afterFirst)}; after round 2: ${memoryDelta(baseline, afterSecond)}`
  ctx.rows.push({ case: '(whole corpus, dropped twice)', route: 'drop', message: 'page JS heap / host RSS', ms: null, memory: summary })
  console.log(`[${ctx.prefix} bad input] memory ${summary}`)
  expect(afterSecond.heap - baseline.heap).toBeLessThan(HEAP_TOLERANCE)
  expect(afterSecond.rss - baseline.rss).toBeLessThan(RSS_TOLERANCE)
  // A second round costs little more than the first: no growth per bad file.
  expect(afterSecond.rss - afterFirst.rss).toBeLessThan(RSS_TOLERANCE / 2)
  await expectGoodLayersRender(ctx, 'bad-after-corpus')
}

/**
 * A path the host was asked to open (command line, File > Open) that cannot open: an error naming
 * it and the cause within 2 s of `since` (when the host was asked, or the page connected).
 */
export async function openedPathFails(ctx: BadInputContext, name: string, route: string, path: string, cause: RegExp, since: number): Promise<void> {
  const before = await memoryAtRest(ctx.page, ctx.hostPid)
  const message = await readAndDismissErrors(ctx.page, basename(path), cause)
  const ms = await errorDelay(ctx.page, basename(path), since)
  ctx.rows.push({ case: name, route, message, ms, memory: memoryDelta(before, await memoryAtRest(ctx.page, ctx.hostPid)) })
  await expectGoodLayersRender(ctx, `bad-${name}`)
  expect(ms, `${name}: ${ms} ms from asking the host to the error`).toBeLessThanOrEqual(ERROR_WITHIN_MS)
}

/**
 * An open layer (`path`, a tiled TIFF over QUAD's left part) whose file is deleted: within 2 s an
 * error naming it says so; its tiles asked for afterwards are answered (nothing stays pending); its
 * layer stays (with what it showed) and QUAD keeps rendering.
 */
export async function fileDeletedWhileOpenFails(ctx: BadInputContext, route: string, path: string): Promise<void> {
  const name = basename(path)
  const before = await memoryAtRest(ctx.page, ctx.hostPid)
  const removedAt = Date.now()
  rmSync(path)
  // At 1:1 the TIFF's full-resolution tiles are asked for: none was read before the deletion.
  await setView(ctx.page, { centerX: 850, centerY: 400, zoom: 1 })
  // Failed tiles never turn the view sharp: wait until nothing is pending instead.
  await expect.poll(async () => (await stats(ctx.page)).pending, { timeout: 30_000 }).toBe(0)
  const message = await readAndDismissErrors(ctx.page, name, PATH_ERRORS['deleted-while-open'])
  const ms = await errorDelay(ctx.page, name, removedAt)
  await frames(ctx.page, 2)
  ctx.rows.push({ case: 'deleted-while-open', route: `${route}, then rm`, message, ms, memory: memoryDelta(before, await memoryAtRest(ctx.page, ctx.hostPid)) })
  await expectGoodLayersRender(ctx, 'bad-deleted-while-open')
  expect(ms, `${ms} ms from the deletion to the error`).toBeLessThanOrEqual(ERROR_WITHIN_MS)
}

/** Prints the closing table (case, route, message shown, time, memory). */
export function printTable(title: string, rows: readonly BadInputRow[]): void {
  if (rows.length === 0) return
  const header = ['case', 'route', 'message shown', 'ms', 'memory']
  const cells = rows.map((r) => [r.case, r.route, r.message, r.ms === null ? '–' : String(r.ms), r.memory])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]): string => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`
  console.log([`\n${title}`, line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'))
}
