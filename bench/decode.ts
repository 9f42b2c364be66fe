/**
 * Benchmark suite `decode` (issue 3).
 *
 * Measures, on generated 16384² images (4096² with --quick):
 * - tiles/s read from a tiled pyramidal TIFF through the worker pool, against sharp in-process on
 *   the main thread (one thread handing concurrent jobs to libuv threads) in the same run;
 *   goal ≥ 0.9×, with the main event-loop delay p99 ≤ 5 ms while the pool is saturated;
 * - for a JPEG and a PNG: time to first overview (goal ≤ 0.4 s for the JPEG), and time to a ready
 *   pyramid against a plain sharp `tiff({ tile: true, pyramid: true })` conversion (goal ≤ 1.3×).
 *
 * Fairness: the baseline conversion writes with exactly Tessera's TIFF options
 * (`pyramidTiffOptions`: 256² tiles, JPEG quality 80 for RGB), in the same process, so with the
 * same libvips concurrency (`sharp.concurrency()` is process-wide); worker start-up is measured on
 * its own row and kept out of the other figures (the pools are warmed first, as the app's are).
 * This machine is shared, so each figure is the median of several rounds in which baseline and
 * Tessera alternate (ratios are medians of the per-round ratios).
 * Run: node --import tsx bench/decode.ts [--quick]. Writes bench/results/decode.json.
 */
import { registerModulePathHook } from './modulePathHook'
import type { ResultRow } from './report'
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

registerModulePathHook()

const { default: sharp } = await import('sharp')
const { WorkerPool } = await import('../src/main/pool/index')
const { openRaster } = await import('../src/main/raster/index')
const { pyramidTiffOptions } = await import('../src/main/raster/decode/pyramid')

type Row = ResultRow

const quick = process.argv.includes('--quick')
const side = quick ? 4096 : 16384
const cacheRoot = resolve('bench/.cache')
mkdirSync(cacheRoot, { recursive: true })
const cores = availableParallelism()
const rows: Row[] = []
const round = (n: number, digits = 3): number => Number(n.toPrecision(digits))
const rounds = quick ? 1 : 3
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const seconds = (since: number): number => (performance.now() - since) / 1000

async function makeImages(): Promise<{ tif: string; jpg: string; png: string }> {
  const base = join(cacheRoot, `decode-${side}`)
  const files = { tif: `${base}.tif`, jpg: `${base}.jpg`, png: `${base}.png` }
  if (Object.values(files).every(existsSync)) return files
  const svg = `<svg width="${side}" height="${side}"><defs><linearGradient id="g"><stop offset="0" stop-color="#103"/><stop offset="1" stop-color="#fe8"/></linearGradient></defs><rect width="${side}" height="${side}" fill="url(#g)"/>${Array.from({ length: 200 }, (_, i) => `<circle cx="${(i * 7919) % side}" cy="${(i * 104729) % side}" r="${50 + (i % 17) * 40}" fill="hsl(${i * 37},70%,50%)" opacity="0.7"/>`).join('')}</svg>`
  const image = sharp(Buffer.from(svg), { limitInputPixels: false, unlimited: true })
  const raw = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const make = () => sharp(raw.data, { raw: { width: side, height: side, channels: 3 }, limitInputPixels: false })
  await make().tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'jpeg', quality: 90 }).toFile(files.tif)
  await make().jpeg({ quality: 90 }).toFile(files.jpg)
  await make().png({ compressionLevel: 6 }).toFile(files.png)
  return files
}

/** Level-0 tiles in a fixed pseudo-random order. */
function tileList(count: number): [number, number][] {
  const grid = side / 256
  return Array.from({ length: count }, (_, i) => [(i * 7919) % grid, (i * 104729) % grid] as [number, number])
}

async function tilesPerSecond(files: { tif: string }): Promise<void> {
  const tiles = tileList(quick ? 400 : 1000)
  const inFlight = cores * 2
  const run = async (read: (col: number, row: number) => Promise<unknown>, concurrent = inFlight): Promise<number> => {
    let next = 0
    const start = performance.now()
    await Promise.all(
      Array.from({ length: concurrent }, async () => {
        while (next < tiles.length) {
          const [col, row] = tiles[next++]!
          await read(col, row)
        }
      })
    )
    return tiles.length / seconds(start)
  }
  const inProcess = (col: number, row: number) =>
    sharp(files.tif, { limitInputPixels: false }).extract({ left: col * 256, top: row * 256, width: 256, height: 256 }).ensureAlpha().raw().toUint8Array()
  await run(inProcess) // warm the file cache
  const threads = `libuv ${process.env.UV_THREADPOOL_SIZE ?? 4} threads, concurrency ${sharp.concurrency()}`
  for (const size of [...new Set([1, cores, cores * 2])]) {
    const pool = new WorkerPool({ size })
    const source = await openRaster(files.tif, { pool, backgroundPool: pool, cacheDir: join(cacheRoot, 'pyramids') })
    await run((c, r) => source.readTile(0, c, r))
    const values: number[] = []
    const baselines: number[] = []
    const ratios: number[] = []
    const delays: number[] = []
    for (let i = 0; i < rounds; i++) {
      const baseline = await run(inProcess)
      const delay = monitorEventLoopDelay({ resolution: 1 })
      delay.enable()
      const value = await run((c, r) => source.readTile(0, c, r))
      delay.disable()
      values.push(value)
      baselines.push(baseline)
      ratios.push(value / baseline)
      delays.push(delay.percentile(99) / 1e6)
    }
    const ratio = median(ratios)
    const p99 = median(delays)
    rows.push({ figure: `tiles/s, pool of ${size} vs sharp in-process (${inFlight} in flight, ${threads})`, value: round(median(values)), unit: 'tiles/s', baseline: round(median(baselines)), ratio: round(ratio), goal: '≥ 0.9×', met: ratio >= 0.9 })
    if (size === 1) {
      // Same parallelism on both sides: one tile at a time (a pool of 1 never decodes two at once).
      const single: number[] = []
      for (let i = 0; i < rounds; i++) single.push((await run((c, r) => source.readTile(0, c, r), 1)) / (await run(inProcess, 1)))
      rows.push({ figure: 'tiles/s, pool of 1 vs sharp in-process, one tile at a time on both sides', value: round(median(single)), unit: '×', baseline: null, ratio: round(median(single)), goal: '—', met: null })
    }
    rows.push({ figure: `event-loop delay p99, pool of ${size} saturated`, value: round(p99), unit: 'ms', baseline: null, ratio: null, goal: '≤ 5 ms', met: p99 <= 5 })
    await source.close()
    await pool.close()
  }
}

/** Time from a new pool to its first answer: thread start-up, module loading (tsx here, a bundle in the app) and sharp's loading. */
async function workerStartup(file: string): Promise<void> {
  const times: number[] = []
  for (let i = 0; i < rounds; i++) {
    const pool = new WorkerPool({ size: 1 })
    const start = performance.now()
    await pool.run({ kind: 'probe', path: file })
    times.push(seconds(start))
    await pool.close()
  }
  rows.push({ figure: 'worker start-up to first answer (under tsx; paid once, at pool creation, not by an open)', value: round(median(times)), unit: 's', baseline: null, ratio: null, goal: '—', met: null })
}

async function pyramids(files: { jpg: string; png: string }): Promise<void> {
  const settings = pyramidTiffOptions(true, 256)
  const described = `${settings.compression} q${settings.quality}, ${settings.tileWidth}² tiles, both sides`
  for (const [kind, file] of [['JPEG', files.jpg], ['PNG', files.png]] as const) {
    const pool = new WorkerPool({ size: cores })
    const background = new WorkerPool({ size: 1 })
    // Start the workers first, as the app's shared pools are at creation: the figure is the decode, not a thread's start-up.
    pool.warm()
    background.warm()
    await Promise.all([...Array.from({ length: cores }, () => pool.run({ kind: 'probe', path: file })), background.run({ kind: 'probe', path: file })])
    const overviews: number[] = []
    const totals: number[] = []
    const plains: number[] = []
    const ratios: number[] = []
    for (let i = 0; i < rounds; i++) {
      const start = performance.now()
      await sharp(file, { limitInputPixels: false }).tiff(settings).toFile(join(cacheRoot, 'plain.tif'))
      const plain = seconds(start)
      const cacheDir = join(cacheRoot, `pyramids-${kind}`)
      rmSync(cacheDir, { recursive: true, force: true })
      const t0 = performance.now()
      let ready!: () => void
      const done = new Promise<void>((r) => (ready = r))
      const source = await openRaster(file, { pool, backgroundPool: background, cacheDir, onPyramidReady: () => ready(), onPyramidError: (e) => { console.error(e); ready() } })
      overviews.push(seconds(t0))
      await done
      const total = seconds(t0)
      totals.push(total)
      plains.push(plain)
      ratios.push(total / plain)
      await source.close()
    }
    const overview = median(overviews)
    const ratio = median(ratios)
    const goal = kind === 'JPEG' ? 0.4 : null
    rows.push({ figure: `${kind} ${side}²: time to first overview`, value: round(overview), unit: 's', baseline: null, ratio: null, goal: goal ? '≤ 0.4 s' : '—', met: goal ? overview <= goal : null })
    rows.push({ figure: `${kind} ${side}²: time to ready pyramid vs plain sharp tiff pyramid (${described}, concurrency ${sharp.concurrency()})`, value: round(median(totals)), unit: 's', baseline: round(median(plains)), ratio: round(ratio), goal: '≤ 1.3×', met: ratio <= 1.3 })
    await Promise.all([pool.close(), background.close()])
  }
}

const files = await makeImages()
await workerStartup(files.jpg)
await tilesPerSecond(files)
await pyramids(files)
console.table(rows)
mkdirSync('bench/results', { recursive: true })
writeFileSync('bench/results/decode.json', JSON.stringify({ suite: 'decode', date: new Date().toISOString(), rows }, null, 2))
