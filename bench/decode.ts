/**
 * Benchmark suite `decode` (issue 3).
 *
 * Measures, on generated 16384² images (4096² with --quick):
 * - tiles/s read from a tiled pyramidal TIFF through the worker pool, against sharp in-process on
 *   the main thread (one thread handing concurrent jobs to libuv threads) in the same run;
 *   goal ≥ 0.9×, with the main event-loop delay p99 ≤ 5 ms while the pool is saturated;
 * - for a JPEG and a PNG: time to first overview (goal ≤ 0.4 s for the JPEG), and time to a ready
 *   pyramid against a plain sharp `tiff({ tile: true, pyramid: true })` conversion (goal ≤ 1.3×).
 * Run: node --import tsx bench/decode.ts [--quick]. Writes bench/results/decode.json.
 */
import { register } from 'node:module'
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

// Outside Vite, `x?modulePath` imports mean nothing: map them to the file's path, as the build does.
register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { fileURLToPath } from 'node:url'
export async function resolve(specifier, context, next) {
  if (!specifier.endsWith('?modulePath')) return next(specifier, context)
  const target = await next(specifier.slice(0, -'?modulePath'.length), context)
  return { url: 'data:text/javascript,export default ' + encodeURIComponent(JSON.stringify(fileURLToPath(target.url))), shortCircuit: true }
}`)
)

const { default: sharp } = await import('sharp')
const { WorkerPool } = await import('../src/main/pool/index')
const { openRaster } = await import('../src/main/raster/index')

interface Row {
  figure: string
  value: number
  unit: string
  baseline: number | null
  ratio: number | null
  goal: string
  met: boolean | null
}

const quick = process.argv.includes('--quick')
const side = quick ? 4096 : 16384
const cacheRoot = resolve('bench/.cache')
mkdirSync(cacheRoot, { recursive: true })
const cores = availableParallelism()
const rows: Row[] = []
const round = (n: number, digits = 3): number => Number(n.toPrecision(digits))

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
  const tiles = tileList(quick ? 400 : 1500)
  const inFlight = cores * 2
  const run = async (read: (col: number, row: number) => Promise<unknown>): Promise<number> => {
    let next = 0
    const start = performance.now()
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < tiles.length) {
          const [col, row] = tiles[next++]!
          await read(col, row)
        }
      })
    )
    return tiles.length / ((performance.now() - start) / 1000)
  }
  const inProcess = (col: number, row: number) =>
    sharp(files.tif, { limitInputPixels: false }).extract({ left: col * 256, top: row * 256, width: 256, height: 256 }).ensureAlpha().raw().toUint8Array()
  await run(inProcess) // warm the file cache
  const baseline = await run(inProcess)
  for (const size of [...new Set([1, cores, cores * 2])]) {
    const pool = new WorkerPool({ size })
    const source = await openRaster(files.tif, { pool, backgroundPool: pool, cacheDir: join(cacheRoot, 'pyramids') })
    await run((c, r) => source.readTile(0, c, r))
    const delay = monitorEventLoopDelay({ resolution: 1 })
    delay.enable()
    const value = await run((c, r) => source.readTile(0, c, r))
    delay.disable()
    const p99 = delay.percentile(99) / 1e6
    rows.push({ figure: `tiles/s, pool of ${size} vs sharp in-process (libuv ${process.env.UV_THREADPOOL_SIZE ?? 4} threads, concurrency ${sharp.concurrency()})`, value: round(value), unit: 'tiles/s', baseline: round(baseline), ratio: round(value / baseline), goal: '≥ 0.9×', met: value / baseline >= 0.9 })
    rows.push({ figure: `event-loop delay p99, pool of ${size} saturated`, value: round(p99), unit: 'ms', baseline: null, ratio: null, goal: '≤ 5 ms', met: p99 <= 5 })
    await source.close()
    await pool.close()
  }
}

async function pyramids(files: { jpg: string; png: string }): Promise<void> {
  for (const [kind, file] of [['JPEG', files.jpg], ['PNG', files.png]] as const) {
    const start = performance.now()
    await sharp(file, { limitInputPixels: false }).tiff({ tile: true, pyramid: true }).toFile(join(cacheRoot, 'plain.tif'))
    const plain = (performance.now() - start) / 1000
    const cacheDir = join(cacheRoot, `pyramids-${kind}`)
    rmSync(cacheDir, { recursive: true, force: true })
    const pool = new WorkerPool({ size: cores })
    const background = new WorkerPool({ size: 1 })
    // Start the workers first: the figure is the decode, not a thread's start-up (slower under tsx).
    await Promise.all([pool.run({ kind: 'probe', path: file }), background.run({ kind: 'probe', path: file })])
    const t0 = performance.now()
    let ready!: () => void
    const done = new Promise<void>((r) => (ready = r))
    const source = await openRaster(file, { pool, backgroundPool: background, cacheDir, onPyramidReady: () => ready(), onPyramidError: (e) => { console.error(e); ready() } })
    const overview = (performance.now() - t0) / 1000
    await done
    const total = (performance.now() - t0) / 1000
    const goal = kind === 'JPEG' ? 0.4 : null
    rows.push({ figure: `${kind} ${side}²: time to first overview`, value: round(overview), unit: 's', baseline: null, ratio: null, goal: goal ? '≤ 0.4 s' : '—', met: goal ? overview <= goal : null })
    rows.push({ figure: `${kind} ${side}²: time to ready pyramid vs plain sharp tiff pyramid`, value: round(total), unit: 's', baseline: round(plain), ratio: round(total / plain), goal: '≤ 1.3×', met: total / plain <= 1.3 })
    await source.close()
    await Promise.all([pool.close(), background.close()])
  }
}

const files = await makeImages()
await tilesPerSecond(files)
await pyramids(files)
console.table(rows)
mkdirSync('bench/results', { recursive: true })
writeFileSync('bench/results/decode.json', JSON.stringify({ suite: 'decode', date: new Date().toISOString(), rows }, null, 2))
