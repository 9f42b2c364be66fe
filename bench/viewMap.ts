/**
 * Benchmark suite `viewMap` (issue 13): what a second layer costs the view, and what reprojecting
 * it on the fly costs on top.
 *
 * Measures, in Debian Chromium (headless, 1280×800) on the `npm run serve` host, three stacks of
 * tiled GeoTIFFs with overviews written by GDAL (cached in bench/.cache/view-map):
 * - one layer: an RGB orthophoto-like raster, EPSG:32631, 1 m pixels, 4096² (the baseline);
 * - two layers, one CRS: the same plus a 2 m copy of it in EPSG:32631 (gdalwarp -tr 2 2);
 * - two layers, two CRSs: the same plus a Web Mercator copy (gdalwarp -t_srs EPSG:3857), reprojected
 *   on the fly (tiles drawn as meshes that proj4js moves).
 * For each, from a fresh page fitted to its layers: time-to-sharp after each of five jumps at 1:1
 * (median), and a 2 s pan at 1:1 (frames drawn per second, longest frame, time-to-sharp after it).
 * Goals: the reprojected stack within 1.5× the two-layer one-CRS stack in time-to-sharp and within
 * 0.8× of its frame rate (the mesh work must not be what limits the view); the second layer is
 * reported against the single layer. One run; the machine is noisy: read the ratios, not the digits.
 * Run: node --import tsx bench/viewMap.ts [--quick]. Writes bench/results/viewMap.json.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { isQuick, printTable, ratioOf, round, writeSuiteResult, type ResultRow } from './report'
import { startServeProcess } from '../test/helpers/serveProcess'
import { addOverviews, gdal, gdalRaster, requireGdal, rgbImage } from '../test/helpers/gdal'
import { CHROMIUM, CHROMIUM_ARGS, MODE_ARGS, WINDOW } from './browser'

const quick = isQuick()
const CACHE = resolve('bench/.cache/view-map')
const SIDE = quick ? 2048 : 4096
const ORIGIN = { x: 512000, y: 5594000 }
const JUMPS = 5
const PAN_MS = 2000

type StackName = 'one layer' | 'two layers, one CRS' | 'two layers, two CRSs'

/** Writes the three rasters once (their names carry the size). */
async function ensureFiles(): Promise<{ utm: string; coarse: string; mercator: string }> {
  requireGdal()
  mkdirSync(CACHE, { recursive: true })
  const files = {
    utm: join(CACHE, `utm-${SIDE}.tif`),
    coarse: join(CACHE, `utm-2m-${SIDE}.tif`),
    mercator: join(CACHE, `mercator-${SIDE}.tif`)
  }
  if (existsSync(files.mercator)) return files
  const tiled = ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE']
  await gdalRaster(CACHE, `utm-${SIDE}`, rgbImage(SIDE, SIDE), [
    '-q', ...tiled, '-a_srs', 'EPSG:32631', '-a_ullr', String(ORIGIN.x), String(ORIGIN.y), String(ORIGIN.x + SIDE), String(ORIGIN.y - SIDE)
  ], { colorInterp: ['Red', 'Green', 'Blue'] })
  await gdal('gdalwarp', ['-q', '-tr', '2', '2', ...tiled, files.utm, files.coarse])
  await gdal('gdalwarp', ['-q', '-t_srs', 'EPSG:3857', '-dstalpha', ...tiled, files.utm, files.mercator])
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
}

/** Opens a stack on a fresh host and page, then jumps and pans in the page (timed there, per animation frame). */
async function runStack(paths: string[]): Promise<StackResult> {
  const server = await startServeProcess(process.cwd(), paths, 240_000)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...MODE_ARGS.gpu] })
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
    return { jumpsMs, fps: (pan.gaps.length / total) * 1000, longestFrameMs: Math.max(...pan.gaps), panSharpMs: pan.sharpMs }
  } finally {
    await browser.close()
    await server.stop()
  }
}

/**
 * The code run in the page, as text (tsx would wrap functions passed to page.evaluate in helpers
 * the page lacks): `timeToSharp` places the camera, then counts animation frames until the view is
 * sharp (ms); `pan` moves the camera at 400 px/s for `ms`, then waits for sharpness.
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
    }
  }
})()`

async function inPage<T>(page: Page, name: 'timeToSharp' | 'pan', arg: unknown): Promise<T> {
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
    'two layers, two CRSs': [files.utm, files.mercator]
  }
  const results = {} as Record<StackName, StackResult>
  for (const [name, paths] of Object.entries(stacks) as Array<[StackName, string[]]>) {
    process.stderr.write(`[viewMap] ${name}\n`)
    results[name] = await runStack(paths)
  }
  const one = results['one layer']
  const same = results['two layers, one CRS']
  const reprojected = results['two layers, two CRSs']
  const row = (figure: string, value: number, unit: string, baseline: number, goal: string, met: boolean | null): ResultRow => ({
    figure,
    value: round(value, 1),
    unit,
    baseline: round(baseline, 1),
    ratio: ratioOf(value, baseline),
    goal,
    met
  })
  const rows: ResultRow[] = [
    row('jump time-to-sharp (median), two layers one CRS vs one layer', median(same.jumpsMs), 'ms', median(one.jumpsMs), 'reported', null),
    row('jump time-to-sharp (median), reprojected vs one CRS', median(reprojected.jumpsMs), 'ms', median(same.jumpsMs), '≤ 1.5×', median(reprojected.jumpsMs) <= 1.5 * median(same.jumpsMs)),
    row('pan frames per second, two layers one CRS vs one layer', same.fps, 'fps', one.fps, 'reported', null),
    row('pan frames per second, reprojected vs one CRS', reprojected.fps, 'fps', same.fps, '≥ 0.8×', reprojected.fps >= 0.8 * same.fps),
    row('pan longest frame, reprojected vs one CRS', reprojected.longestFrameMs, 'ms', same.longestFrameMs, 'reported', null),
    row('time-to-sharp after the pan, reprojected vs one CRS', reprojected.panSharpMs, 'ms', same.panSharpMs, '≤ 1.5×', reprojected.panSharpMs <= 1.5 * same.panSharpMs)
  ]
  printTable(rows)
  const path = writeSuiteResult('viewMap', rows, {
    notes: [
      `Rasters ${SIDE}² RGB, 1 m UTM 31N; the second layer 2 m UTM or its Web Mercator warp; 1280×800 Chromium (SwiftShader); one run.`,
      `Jumps: ${JUMPS} at 1:1 along the diagonal; pan: ${quick ? PAN_MS / 2 : PAN_MS} ms at 400 px/s at 1:1.`
    ],
    charts: [
      {
        kind: 'bars',
        title: 'time-to-sharp per stack',
        unit: 'ms',
        groups: ['jump (median)', 'after the pan'],
        series: (Object.keys(results) as StackName[]).map((name) => ({ name, values: [round(median(results[name].jumpsMs), 1), round(results[name].panSharpMs, 1)] }))
      }
    ],
    details: results
  })
  console.log(`wrote ${path}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
