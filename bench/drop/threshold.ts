/**
 * How large a non-tiled image Tessera should decode once into memory (`memoryMaxPixels`, issue 14):
 * the memory strategy against the pyramid strategy on photo-like JPEGs of 16.8, 24 and 36 Mpx.
 * Each case runs in a fresh Node process (clean RSS, cold pools, a fresh pyramid cache): time to
 * open, to the first tile (centre tile of the fit level), to every tile of a fit view
 * (1280×800; for the pyramid strategy that is the overview's, then again once the pyramid is built,
 * when they are exact), and the peak RSS. Medians over `--runs N` (default 3).
 * Run: node --import tsx bench/drop/threshold.ts [--runs N]. Prints a table; writes nothing.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { printCells } from '../report'
import { ensurePhotoJpeg } from './images'

type Strategy = 'memory' | 'pyramid'
interface Figures {
  openMs: number
  firstTileMs: number
  fitViewMs: number
  /** Fit view with exact tiles: the memory strategy's fit view, or the pyramid's once built. */
  exactFitMs: number
  peakRssMB: number
}

const VIEW = { width: 1280, height: 800 }

/** One case, in this process (the child's side). */
async function measure(path: string, strategy: Strategy): Promise<Figures> {
  const { registerModulePathHook } = await import('../modulePathHook')
  registerModulePathHook()
  const { openRaster } = await import('../../src/main/raster/index')
  const { closeDefaultPool, getDefaultPools } = await import('../../src/main/raster/index')
  const pools = getDefaultPools()
  // Let the workers start and load sharp before the clock starts, as an app that has been open a while.
  await new Promise((r) => setTimeout(r, 1500))
  void pools
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  const cacheDir = mkdtempSync(join(tmpdir(), 'tessera-threshold-'))
  let ready: () => void = () => {}
  const pyramidReady = new Promise<void>((r) => (ready = r))
  const t0 = performance.now()
  const raster = await openRaster(path, { cacheDir, memoryMaxPixels: strategy === 'memory' ? 1e9 : 1, onPyramidReady: () => ready() })
  const openMs = performance.now() - t0
  const { levels, tileSize } = raster.info
  const fitZoom = Math.min(VIEW.width / raster.info.width, VIEW.height / raster.info.height)
  // The level the renderer picks at fit: the finest whose pixels are not finer than the screen's.
  const level = Math.max(0, Math.min(levels.length - 1, Math.floor(Math.log2(1 / fitZoom))))
  const { width, height } = levels[level]!
  const cols = Math.ceil(width / tileSize)
  const rows = Math.ceil(height / tileSize)
  const all = (): Promise<unknown[]> => {
    const reads: Array<Promise<unknown>> = []
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) reads.push(raster.readTile(level, c, r))
    return Promise.all(reads)
  }
  await raster.readTile(level, cols >> 1, rows >> 1)
  const firstTileMs = performance.now() - t0
  await all()
  const fitViewMs = performance.now() - t0
  if (strategy === 'pyramid' && !raster.info.pyramidReady) await pyramidReady
  if (strategy === 'pyramid') await all()
  const exactFitMs = performance.now() - t0
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  raster.close?.()
  await closeDefaultPool()
  rmSync(cacheDir, { recursive: true, force: true })
  return { openMs, firstTileMs, fitViewMs, exactFitMs, peakRssMB: peak / 2 ** 20 }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const args = process.argv.slice(2)
if (args[0] === '--case') {
  const figures = await measure(args[1]!, args[2] as Strategy)
  process.stdout.write(`${JSON.stringify(figures)}\n`)
  process.exit(0)
}

const runsAt = args.indexOf('--runs')
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3
const sizes: Array<[number, number]> = [
  [4096, 4096], // 16.8 Mpx
  [6000, 4000], // 24 Mpx
  [7360, 4912] // 36 Mpx
]
const cache = resolve('bench/.cache')
const rowsOut: string[][] = []
const load = [loadavg()[0]!]
for (const [w, h] of sizes) {
  const path = await ensurePhotoJpeg(cache, w, h)
  const results: Record<Strategy, Figures[]> = { memory: [], pyramid: [] }
  for (let run = 0; run < runs; run++) {
    for (const strategy of run % 2 ? (['pyramid', 'memory'] as const) : (['memory', 'pyramid'] as const)) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/drop/threshold.ts', '--case', path, strategy], { encoding: 'utf8' })
      if (child.status !== 0) throw new Error(`case ${path} ${strategy} failed: ${child.stderr}`)
      results[strategy].push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures)
      load.push(loadavg()[0]!)
    }
  }
  for (const strategy of ['memory', 'pyramid'] as const) {
    const m = (k: keyof Figures): string => String(Math.round(median(results[strategy].map((f) => f[k]))))
    rowsOut.push([`${((w * h) / 1e6).toFixed(1)} Mpx (${w}×${h})`, strategy, m('openMs'), m('firstTileMs'), m('fitViewMs'), m('exactFitMs'), m('peakRssMB')])
  }
}
printCells(['image', 'strategy', 'open ms', 'first tile ms', 'fit view ms', 'exact fit view ms', 'peak RSS MB'], rowsOut)
console.log(`\nMedians of ${runs} runs each, each in a fresh process; load average (1 min) during the runs ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} on ${process.env.CI ? 'CI' : 'a shared 2-core machine'}.`)
