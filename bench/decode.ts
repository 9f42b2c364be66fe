/**
 * Benchmark suite `decode` (issue 3).
 *
 * Measures, on generated 16384² images (4096² with --quick):
 * - tiles/s read from a tiled pyramidal TIFF through the worker pool, against sharp in-process on
 *   the main thread (one thread handing concurrent jobs to libuv threads) in the same run;
 *   goal ≥ 0.9×, with the main event-loop delay p99 ≤ 5 ms while the pool is saturated;
 * - for a JPEG and a PNG: time to first overview (goal ≤ 0.4 s for the JPEG), and time to a ready
 *   pyramid against a plain sharp `tiff({ tile: true, pyramid: true })` conversion (goal ≤ 1.3×);
 * - what lossless pyramids cost (issue 11: built pyramids are deflate + horizontal predictor
 *   whatever the source, where they were JPEG q80 for 8-bit colour without alpha): for a
 *   photo-like striped 8-bit RGB TIFF and a JPEG of 36 Mpx (17.6 with --quick), the build time
 *   and file size of the lossless pyramid against the old JPEG q80 one (the baseline, converted
 *   in the same run with `pyramidTiffOptions(true, …)`), and the largest error at level 0 against
 *   the decoded source (Tessera's tiles after the build; the baseline's level-0 page).
 *
 * Fairness: the baseline conversion of the overhead rows writes with exactly Tessera's TIFF options
 * (`pyramidTiffOptions(false, 256)`: 256² tiles, deflate + horizontal predictor), in the same
 * process, so with the same libvips concurrency (`sharp.concurrency()` is process-wide); worker
 * start-up is measured on its own row and kept out of the other figures (the pools are warmed
 * first, as the app's are).
 * This machine is shared, so each figure is the median of several rounds in which baseline and
 * Tessera alternate (ratios are medians of the per-round ratios).
 * Run: node --import tsx bench/decode.ts [--quick]. Writes bench/results/decode.json.
 */
import { registerModulePathHook } from './modulePathHook'
import { printTable, writeSuiteResult, type ResultRow } from './report'
import { mkdirSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

registerModulePathHook()

const { default: sharp } = await import('sharp')
const { createDecodePool } = await import('../src/main/raster/decodePools')
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
    const pool = createDecodePool({ size })
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
    const pool = createDecodePool({ size: 1 })
    const start = performance.now()
    await pool.run({ kind: 'probe', path: file })
    times.push(seconds(start))
    await pool.close()
  }
  rows.push({ figure: 'worker start-up to first answer (under tsx; paid once, at pool creation, not by an open)', value: round(median(times)), unit: 's', baseline: null, ratio: null, goal: '—', met: null })
}

async function pyramids(files: { jpg: string; png: string }): Promise<void> {
  // Tessera's own settings on both sides (lossless since issue 11): the overhead of the build, not the codec's cost.
  const settings = pyramidTiffOptions(false, 256)
  const described = `${settings.compression} + ${settings.predictor} predictor, ${settings.tileWidth}² tiles, both sides`
  for (const [kind, file] of [['JPEG', files.jpg], ['PNG', files.png]] as const) {
    const pool = createDecodePool({ size: cores })
    const background = createDecodePool({ size: 1 })
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
      // The pyramid strategy whatever the size (--quick's 4096² is under memoryMaxPixels, which would decode it in memory and never build one).
      const source = await openRaster(file, { pool, backgroundPool: background, cacheDir, memoryMaxPixels: 0, onPyramidReady: () => ready(), onPyramidError: (e) => { console.error(e); ready() } })
      if (source.info.strategy !== 'pyramid') throw new Error(`Expected the pyramid strategy for ${file} but it opened as ${source.info.strategy}`)
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

/**
 * A photo-like 8-bit RGB picture: smooth shapes, a mid-frequency texture (noise enlarged 8×), fine
 * detail (noise enlarged 2×) and sensor grain, so that neither codec has it easy (flat areas
 * flatter deflate, pure noise flatters nothing). Written as a striped deflate TIFF (lossless: read
 * by libvips, given a built pyramid above 16 Mpx) and a JPEG q90; cached in bench/.cache.
 */
async function makePhotoSources(width: number, height: number): Promise<{ tif: string; jpg: string }> {
  const base = join(cacheRoot, `photo-${width}x${height}`)
  const files = { tif: `${base}-striped.tif`, jpg: `${base}.jpg` }
  if (Object.values(files).every(existsSync)) return files
  const svg = `<svg width="${width}" height="${height}"><defs><linearGradient id="g" x2="0.3" y2="1"><stop offset="0" stop-color="#8ac"/><stop offset="0.55" stop-color="#dca"/><stop offset="1" stop-color="#463"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/>${Array.from({ length: 120 }, (_, i) => `<ellipse cx="${(i * 7919) % width}" cy="${(i * 104729) % height}" rx="${40 + (i % 13) * 45}" ry="${30 + (i % 7) * 50}" fill="hsl(${(i * 37) % 360},${35 + (i % 5) * 10}%,${30 + (i % 4) * 12}%)" opacity="0.6"/>`).join('')}</svg>`
  const limit = { limitInputPixels: false as const }
  const shapes = await sharp(Buffer.from(svg), { ...limit, unlimited: true }).removeAlpha().raw().toBuffer()
  const noise = (factor: number, sigma: number) =>
    sharp({ create: { width: Math.ceil(width / factor), height: Math.ceil(height / factor), channels: 3, background: { r: 128, g: 128, b: 128 }, noise: { type: 'gaussian', mean: 128, sigma } }, ...limit })
      .resize(width, height, { kernel: 'cubic', fit: 'fill' })
      .removeAlpha()
      .raw()
      .toBuffer()
  const texture = await noise(8, 40)
  const detail = await noise(2, 25)
  const grain = await noise(1, 4)
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) {
    const v = shapes[i]! + 0.6 * (texture[i]! - 128) + 0.35 * (detail[i]! - 128) + (grain[i]! - 128)
    pixels[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v)
  }
  const make = () => sharp(pixels, { raw: { width, height, channels: 3 }, ...limit })
  await make().tiff({ compression: 'deflate', predictor: 'horizontal' }).toFile(files.tif)
  await make().jpeg({ quality: 90 }).toFile(files.jpg)
  return files
}

/** Largest |difference| of R, G, B between RGBA tile pixels (or RGB, `channels`) and the decoded source's RGB. */
function maxErrorRgb(tile: Uint8Array | Buffer, channels: number, source: Buffer, sourceWidth: number, left: number, top: number, width: number, height: number): number {
  let max = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (y * width + x) * channels
      const s = ((top + y) * sourceWidth + left + x) * 3
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(tile[t + c]! - source[s + c]!)
        if (d > max) max = d
      }
    }
  }
  return max
}

const fileBytes = (dir: string): number => readdirSync(dir).filter((n) => n.endsWith('.tif')).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0)

/**
 * What lossless pyramids cost (issue 11): for a lossless striped TIFF and a JPEG source, Tessera's
 * build (lossless) against the old JPEG q80 pyramid, converted by sharp in the same run and process;
 * rounds alternate. Size of the pyramid file; level-0 error on sampled tiles against the decoded source.
 */
async function losslessCost(): Promise<void> {
  const [width, height] = quick ? [4200, 4200] : [6000, 6000]
  const megapixels = round((width * height) / 1e6)
  const sources = await makePhotoSources(width, height)
  const lossless = pyramidTiffOptions(false, 256)
  const lossy = pyramidTiffOptions(true, 256)
  for (const [kind, file] of [['lossless striped RGB TIFF (deflate)', sources.tif], ['JPEG q90', sources.jpg]] as const) {
    const pool = createDecodePool({ size: cores })
    const background = createDecodePool({ size: 1 })
    pool.warm()
    background.warm()
    await Promise.all([...Array.from({ length: cores }, () => pool.run({ kind: 'probe', path: file })), background.run({ kind: 'probe', path: file })])
    const decoded = await sharp(file, { limitInputPixels: false }).removeAlpha().raw().toBuffer()
    const tiles = Array.from({ length: 24 }, (_, i) => [(i * 7919) % Math.ceil(width / 256), (i * 104729) % Math.ceil(height / 256)] as [number, number])
    const rect = (col: number, row: number) => ({ left: col * 256, top: row * 256, width: Math.min(256, width - col * 256), height: Math.min(256, height - row * 256) })
    const builds: number[] = []
    const jpegBuilds: number[] = []
    const plainLossless: number[] = []
    let bytes = 0
    let jpegBytes = 0
    let error = 0
    let jpegError = 0
    const cacheDir = join(cacheRoot, 'pyramids-lossless-cost')
    const jpegPath = join(cacheRoot, 'old-jpeg-q80-pyramid.tif')
    const plainPath = join(cacheRoot, 'plain-lossless-pyramid.tif')
    for (let i = 0; i < rounds; i++) {
      let start = performance.now()
      await sharp(file, { limitInputPixels: false }).tiff(lossy).toFile(jpegPath)
      jpegBuilds.push(seconds(start))
      start = performance.now()
      await sharp(file, { limitInputPixels: false }).tiff(lossless).toFile(plainPath)
      plainLossless.push(seconds(start))
      rmSync(cacheDir, { recursive: true, force: true })
      start = performance.now()
      let ready!: () => void
      let failed!: (e: Error) => void
      const done = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)))
      const source = await openRaster(file, { pool, backgroundPool: background, cacheDir, memoryMaxPixels: 0, onPyramidReady: () => ready(), onPyramidError: (e) => failed(e) })
      if (source.info.strategy !== 'pyramid') throw new Error(`Expected the pyramid strategy for ${file} but it opened as ${source.info.strategy}`)
      await done
      builds.push(seconds(start))
      if (i === 0) {
        bytes = fileBytes(cacheDir)
        jpegBytes = statSync(jpegPath).size
        for (const [col, row] of tiles) {
          const r = rect(col, row)
          const tile = await source.readTile(0, col, row)
          error = Math.max(error, maxErrorRgb(tile.data as Uint8Array, tile.channels, decoded, width, r.left, r.top, r.width, r.height))
          const old = await sharp(jpegPath, { limitInputPixels: false }).extract(r).removeAlpha().raw().toBuffer()
          jpegError = Math.max(jpegError, maxErrorRgb(old, 3, decoded, width, r.left, r.top, r.width, r.height))
        }
      }
      await source.close()
    }
    const build = median(builds)
    const jpegBuild = median(jpegBuilds)
    const plain = median(plainLossless)
    const sourceMB = round(statSync(file).size / 1e6)
    const label = `${kind} ${width}×${height} (${megapixels} Mpx, ${sourceMB} MB)`
    rows.push({ figure: `${label}: Tessera's lossless pyramid, open to ready, vs the old JPEG q80 pyramid (plain sharp conversion)`, value: round(build), unit: 's', baseline: round(jpegBuild), ratio: round(build / jpegBuild), goal: 'reported', met: null })
    rows.push({ figure: `${label}: plain sharp conversion, deflate + predictor vs JPEG q80 (the codec's share)`, value: round(plain), unit: 's', baseline: round(jpegBuild), ratio: round(plain / jpegBuild), goal: 'reported', met: null })
    rows.push({ figure: `${label}: pyramid file size, lossless vs JPEG q80`, value: round(bytes / 1e6), unit: 'MB', baseline: round(jpegBytes / 1e6), ratio: round(bytes / jpegBytes), goal: 'reported', met: null })
    rows.push({ figure: `${label}: max error at level 0 vs the decoded source (${tiles.length} tiles), lossless vs JPEG q80`, value: error, unit: 'levels', baseline: jpegError, ratio: null, goal: '0 (lossless)', met: error === 0 })
    await Promise.all([pool.close(), background.close()])
  }
}

const loadAtStart = loadavg()[0]!
const files = await makeImages()
process.stderr.write('[decode] worker start-up\n')
await workerStartup(files.jpg)
process.stderr.write('[decode] tiles per second\n')
await tilesPerSecond(files)
process.stderr.write('[decode] pyramids\n')
await pyramids(files)
process.stderr.write('[decode] lossless cost\n')
await losslessCost()
printTable(rows)
writeSuiteResult('decode', rows, {
  quick,
  notes: [
    `Load average (1 min) ${round(loadAtStart, 2)} at the start, ${round(loadavg()[0]!, 2)} at the end: the cores are shared with whatever else runs on this machine.`,
    'Lossless rows: photo-like content (shapes, enlarged noise textures, sensor grain); the baseline is the JPEG q80 pyramid Tessera built before issue 11, converted by sharp in this process (`pyramidTiffOptions(true, 256)`); Tessera\'s figure is from the open to the ready lossless pyramid (first of the rounds measured for size and error).'
  ]
})
