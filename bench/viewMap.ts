/**
 * Benchmark suite `viewMap` (issue 13): what a second layer costs the view, and what reprojecting
 * it on the fly costs on top.
 *
 * Measures, in Debian Chromium (headless, 1280×800) on the `npm run serve` host, three stacks of
 * tiled GeoTIFFs with overviews written by GDAL (cached in bench/.cache/view-map):
 * - one layer: an RGB orthophoto-like raster, EPSG:32631, 1 m pixels, 4096² (the baseline);
 * - two layers, one CRS: the same plus a 2 m copy of it in EPSG:32631 (gdalwarp -tr 2 2);
 * - two layers, one CRS, like for like: the same plus the Web Mercator copy below warped back to
 *   EPSG:32631 at 1 m (transparent corners, so it hides nothing: the tiles of both layers load, as in
 *   the reprojected stack; the 2 m stack above loads the top layer's only, a quarter as many, most
 *   of them cached from the fitted view: it measures occlusion, not reprojection);
 * - two layers, two CRSs: the same plus a Web Mercator copy (gdalwarp -t_srs EPSG:3857), reprojected
 *   on the fly (tiles drawn as meshes that proj4js moves).
 * For each, from a fresh page fitted to its layers: time-to-sharp after each of five jumps at 1:1
 * (median), a 2 s pan at 1:1 (frames drawn per second, longest frame, time-to-sharp after it), and
 * an animated zoom from the fitted view to 8× and back, twice (frames per second, longest frame:
 * where a reprojected tile's mesh must grow finer, then coarser).
 * Every stack runs in both browser modes (bench/browser.ts): GPU compositing emulated by SwiftShader,
 * and plain software compositing.
 * Baseline (issue 21): a jump's time-to-sharp about 200 ms reprojected against 10 ms in the 2 m
 * one-CRS stack (14×), blamed on meshes rebuilt at every zoom. A CPU profile of five reprojected
 * jumps (CDP, GPU mode, --quick) found 0.5 ms of 2.8 s in building meshes: the jumps waited for 99
 * tiles where the 2 m stack's took 24. Before the meshes were cached (384e475, --quick), the
 * reprojected jump was 0.85× (GPU) and 1.02× (software) the like-for-like stack's, and 10× and 94×
 * the 2 m stack's. Meshes are now cached per zoom band (src/renderer/view/map/meshCache.ts): in a
 * profile of the zoom below, mesh work fell from about 20 ms to 3 ms of 3.7 s.
 * Goals, in each mode: the reprojected stack within 1.5× the like-for-like one-CRS stack in
 * time-to-sharp and within 0.8× of its frame rates (the mesh work must not be what limits the
 * view); the 2 m stack and the second layer are reported. One run; the machine is noisy: read the
 * ratios, not the digits.
 * Run: node --import tsx bench/viewMap.ts [--quick] [--modes=gpu,software]. Writes
 * bench/results/viewMap.json (only when both modes ran).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { isQuick, printTable, ratioOf, round, writeSuiteResult, type ResultRow } from './report'
import { startServeProcess } from '../test/helpers/serveProcess'
import { addOverviews, gdal, gdalRaster, requireGdal, rgbImage } from '../test/helpers/gdal'
import { CHROMIUM, CHROMIUM_ARGS, MODE_ARGS, WINDOW, type Mode } from './browser'

const quick = isQuick()
const CACHE = resolve('bench/.cache/view-map')
const SIDE = quick ? 2048 : 4096
const ORIGIN = { x: 512000, y: 5594000 }
const JUMPS = 5
const PAN_MS = 2000
/** One way of the animated zoom (fitted view → 8×, or back). */
const ZOOM_MS = 1500
const ALL_MODES: Mode[] = ['gpu', 'software']
/** `--modes=gpu`: an exploration run in the modes named (table printed, nothing written). */
const modesArg = process.argv.find((a) => a.startsWith('--modes='))?.slice('--modes='.length).split(',')
const MODES: Mode[] = ALL_MODES.filter((m) => modesArg?.includes(m) ?? true)
const MODE_LABEL: Record<Mode, string> = { gpu: 'GPU (emulated)', software: 'software' }

type StackName = 'one layer' | 'two layers, one CRS' | 'two layers, one CRS, like for like' | 'two layers, two CRSs'

/** Writes the three rasters once (their names carry the size). */
async function ensureFiles(): Promise<{ utm: string; coarse: string; mercator: string; utmLikeMercator: string }> {
  requireGdal()
  mkdirSync(CACHE, { recursive: true })
  const files = {
    utm: join(CACHE, `utm-${SIDE}.tif`),
    coarse: join(CACHE, `utm-2m-${SIDE}.tif`),
    mercator: join(CACHE, `mercator-${SIDE}.tif`),
    utmLikeMercator: join(CACHE, `utm-from-mercator-${SIDE}.tif`)
  }
  const tiled = ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE']
  if (existsSync(files.mercator)) {
    if (!existsSync(files.utmLikeMercator)) {
      await gdal('gdalwarp', ['-q', '-t_srs', 'EPSG:32631', '-tr', '1', '1', '-dstalpha', ...tiled, files.mercator, files.utmLikeMercator])
      await addOverviews(files.utmLikeMercator, [2, 4, 8, 16, 32])
    }
    return files
  }
  await gdalRaster(CACHE, `utm-${SIDE}`, rgbImage(SIDE, SIDE), [
    '-q', ...tiled, '-a_srs', 'EPSG:32631', '-a_ullr', String(ORIGIN.x), String(ORIGIN.y), String(ORIGIN.x + SIDE), String(ORIGIN.y - SIDE)
  ], { colorInterp: ['Red', 'Green', 'Blue'] })
  await gdal('gdalwarp', ['-q', '-tr', '2', '2', ...tiled, files.utm, files.coarse])
  await gdal('gdalwarp', ['-q', '-t_srs', 'EPSG:3857', '-dstalpha', ...tiled, files.utm, files.mercator])
  await gdal('gdalwarp', ['-q', '-t_srs', 'EPSG:32631', '-tr', '1', '1', '-dstalpha', ...tiled, files.mercator, files.utmLikeMercator])
  for (const path of Object.values(files)) await addOverviews(path, [2, 4, 8, 16, 32])
  return files
}

interface PageGlobals {
  __tesseraDiagnostics: {
    stats(): { sharp: boolean }
    layers(): string[]
  }
}

interface StackResult {
  jumpsMs: number[]
  fps: number
  longestFrameMs: number
  panSharpMs: number
  zoomFps: number
  zoomLongestFrameMs: number
}

/** Opens a stack on a fresh host and page, then jumps and pans in the page (timed there, per animation frame). */
async function runStack(paths: string[], mode: Mode): Promise<StackResult> {
  const server = await startServeProcess(process.cwd(), paths, 240_000)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...MODE_ARGS[mode]] })
  try {
    const page: Page = await browser.newPage({ viewport: WINDOW })
    await page.goto(`${server.url}&diagnostics`)
    await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).__tesseraDiagnostics?.layers().length === n, paths.length, { timeout: 120_000 })
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics.stats().sharp, undefined, { timeout: 120_000 })
    const jumpsMs: number[] = []
    for (let i = 0; i < JUMPS; i++) {
      const t = (i + 1) / (JUMPS + 1)
      const centre = { x: ORIGIN.x + SIDE * t, y: ORIGIN.y - SIDE * (1 - t) }
      jumpsMs.push(await inPage<number>(page, 'timeToSharp', { centerX: centre.x, centerY: -centre.y, zoom: 1 }))
    }
    const pan = await inPage<{ gaps: number[]; sharpMs: number }>(page, 'pan', {
      from: { x: ORIGIN.x + SIDE * 0.2, y: -(ORIGIN.y - SIDE * 0.5) },
      ms: quick ? PAN_MS / 2 : PAN_MS
    })
    const total = pan.gaps.reduce((a, b) => a + b, 0)
    const centre = { x: ORIGIN.x + SIDE / 2, y: -(ORIGIN.y - SIDE / 2) }
    const zoom = await inPage<{ gaps: number[] }>(page, 'zoom', { centre, ms: quick ? ZOOM_MS / 2 : ZOOM_MS, times: 2 })
    const zoomTotal = zoom.gaps.reduce((a, b) => a + b, 0)
    return {
      jumpsMs,
      fps: (pan.gaps.length / total) * 1000,
      longestFrameMs: Math.max(...pan.gaps),
      panSharpMs: pan.sharpMs,
      zoomFps: (zoom.gaps.length / zoomTotal) * 1000,
      zoomLongestFrameMs: Math.max(...zoom.gaps)
    }
  } finally {
    await browser.close()
    await server.stop()
  }
}

/**
 * The code run in the page, as text (tsx would wrap functions passed to page.evaluate in helpers
 * the page lacks): `timeToSharp` places the camera, then counts animation frames until the view is
 * sharp (ms); `pan` moves the camera at 400 px/s for `ms`, then waits for sharpness; `zoom` zooms
 * from the fitted view to 8× it and back over `ms` each way, `times` times, at the raster's centre.
 */
const IN_PAGE = `(() => {
  const d = window.__tesseraDiagnostics
  const frame = () => new Promise((r) => requestAnimationFrame(r))
  const untilSharp = async (since) => {
    while (!d.stats().sharp && performance.now() - since < 60000) await frame()
    return performance.now() - since
  }
  return {
    timeToSharp: async (view) => {
      const start = performance.now()
      d.setWorldView(view)
      await frame()
      return untilSharp(start)
    },
    pan: async ({ from, ms }) => {
      const gaps = []
      const start = await frame()
      let last = start
      for (let now = start; now - start < ms; ) {
        d.setWorldView({ centerX: from.x + (now - start) * 0.4, centerY: from.y, zoom: 1 })
        now = await frame()
        gaps.push(now - last)
        last = now
      }
      return { gaps, sharpMs: await untilSharp(performance.now()) }
    },
    zoom: async ({ centre, ms, times }) => {
      const fitted = d.worldView().zoom
      const gaps = []
      for (let k = 0; k < times * 2; k++) {
        const start = await frame()
        let last = start
        for (let now = start; now - start < ms; ) {
          const t = Math.min(1, (now - start) / ms)
          d.setWorldView({ centerX: centre.x, centerY: centre.y, zoom: fitted * 8 ** (k % 2 ? 1 - t : t) })
          now = await frame()
          gaps.push(now - last)
          last = now
        }
      }
      return { gaps }
    }
  }
})()`

async function inPage<T>(page: Page, name: 'timeToSharp' | 'pan' | 'zoom', arg: unknown): Promise<T> {
  return page.evaluate(`${IN_PAGE}.${name}(${JSON.stringify(arg)})`) as Promise<T>
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function main(): Promise<void> {
  const files = await ensureFiles()
  const stacks: Record<StackName, string[]> = {
    'one layer': [files.utm],
    'two layers, one CRS': [files.utm, files.coarse],
    'two layers, one CRS, like for like': [files.utm, files.utmLikeMercator],
    'two layers, two CRSs': [files.utm, files.mercator]
  }
  const results = {} as Record<Mode, Record<StackName, StackResult>>
  for (const mode of MODES) {
    results[mode] = {} as Record<StackName, StackResult>
    for (const [name, paths] of Object.entries(stacks) as Array<[StackName, string[]]>) {
      process.stderr.write(`[viewMap] [${MODE_LABEL[mode]}] ${name}\n`)
      const result = await runStack(paths, mode)
      process.stderr.write(`[viewMap]   jumps ${result.jumpsMs.map((ms) => Math.round(ms)).join(', ')} ms; pan ${result.fps.toFixed(1)} fps, longest frame ${Math.round(result.longestFrameMs)} ms, sharp after ${Math.round(result.panSharpMs)} ms; zoom ${result.zoomFps.toFixed(1)} fps, longest frame ${Math.round(result.zoomLongestFrameMs)} ms\n`)
      results[mode][name] = result
    }
  }
  const row = (figure: string, value: number, unit: string, baseline: number, goal: string, met: boolean | null): ResultRow => ({
    figure,
    value: round(value, 1),
    unit,
    baseline: round(baseline, 1),
    ratio: ratioOf(value, baseline),
    goal,
    met
  })
  const rows: ResultRow[] = MODES.flatMap((mode) => {
    const m = `[${MODE_LABEL[mode]}]`
    const one = results[mode]['one layer']
    const coarse = results[mode]['two layers, one CRS']
    const same = results[mode]['two layers, one CRS, like for like']
    const reprojected = results[mode]['two layers, two CRSs']
    return [
      row(`${m} jump time-to-sharp (median), two layers one CRS (2 m on top) vs one layer`, median(coarse.jumpsMs), 'ms', median(one.jumpsMs), 'reported', null),
      row(`${m} jump time-to-sharp (median), reprojected vs one CRS like for like`, median(reprojected.jumpsMs), 'ms', median(same.jumpsMs), '≤ 1.5×', median(reprojected.jumpsMs) <= 1.5 * median(same.jumpsMs)),
      row(`${m} jump time-to-sharp (median), reprojected vs one CRS (2 m on top: ¼ of the tiles)`, median(reprojected.jumpsMs), 'ms', median(coarse.jumpsMs), 'reported', null),
      row(`${m} pan frames per second, two layers one CRS (2 m on top) vs one layer`, coarse.fps, 'fps', one.fps, 'reported', null),
      row(`${m} pan frames per second, reprojected vs one CRS like for like`, reprojected.fps, 'fps', same.fps, '≥ 0.8×', reprojected.fps >= 0.8 * same.fps),
      row(`${m} pan longest frame, reprojected vs one CRS like for like`, reprojected.longestFrameMs, 'ms', same.longestFrameMs, 'reported', null),
      row(`${m} time-to-sharp after the pan, reprojected vs one CRS like for like`, reprojected.panSharpMs, 'ms', same.panSharpMs, 'reported', null),
      row(`${m} zoom frames per second, reprojected vs one CRS like for like`, reprojected.zoomFps, 'fps', same.zoomFps, '≥ 0.8×', reprojected.zoomFps >= 0.8 * same.zoomFps),
      row(`${m} zoom longest frame, reprojected vs one CRS like for like`, reprojected.zoomLongestFrameMs, 'ms', same.zoomLongestFrameMs, 'reported', null)
    ]
  })
  printTable(rows)
  if (MODES.length < ALL_MODES.length) {
    console.log('exploration run (--modes): nothing written')
    return
  }
  const path = writeSuiteResult('viewMap', rows, {
    notes: [
      `Rasters ${SIDE}² RGB, 1 m UTM 31N; the second layer 2 m UTM or its Web Mercator warp; 1280×800 Chromium; one run.`,
      'Browser modes: "GPU (emulated)" adds --use-angle=swiftshader --use-gl=angle --ignore-gpu-blocklist (GPU compositing through SwiftShader); "software" is Chromium\'s plain software compositing.',
      `Jumps: ${JUMPS} at 1:1 along the diagonal; pan: ${quick ? PAN_MS / 2 : PAN_MS} ms at 400 px/s at 1:1; zoom: fitted → 8× → fitted, twice, ${quick ? ZOOM_MS / 2 : ZOOM_MS} ms each way.`,
      'The pan starts where the jumps left tiles cached: its time-to-sharp is near 0 in every stack (reported, not a goal).',
      'The 2 m one-CRS stack hides its 1 m layer (an opaque layer covering the view) and its tiles at 1:1 are mostly cached from the fitted view: against it the reprojected stack (both layers loaded) measures tile loading, not reprojection; the goal is judged against the like-for-like stack.'
    ],
    charts: MODES.map((mode) => ({
      kind: 'bars' as const,
      title: `time-to-sharp per stack, ${MODE_LABEL[mode]}`,
      unit: 'ms',
      groups: ['jump (median)', 'after the pan'],
      series: (Object.keys(results[mode]) as StackName[]).map((name) => ({
        name,
        values: [round(median(results[mode][name].jumpsMs), 1), round(results[mode][name].panSharpMs, 1)]
      }))
    })),
    details: results
  })
  console.log(`wrote ${path}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
