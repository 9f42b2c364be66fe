/**
 * The bad-input corpus (issue 7) through `openRaster` and through a TextureService: each file gives
 * an error naming the file and the cause within 2 s (or, for the animated GIF, shows its first
 * frame), another open raster keeps serving, and memory comes back.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import { openRaster, type OpenOptions, type RasterSource } from '../../src/main/raster'
import { TextureService } from '../../src/main/service/TextureService'
import type { ServerMessage } from '../../src/shared/protocol'
import { type BadCase, type BadCorpus, generateBadCorpus } from '../fixtures/bad/generate'
import { CLAIM_CAUSES } from '../fixtures/bad/claims'
import { collector } from '../helpers/gc'
import { fromRaw, gradient, tempDir } from '../helpers/images'
import { MemorySink } from '../helpers/serviceFixtures'

/** The cause each case must name (besides the file). */
const EXPECTED_CAUSE: Record<Exclude<BadCase, 'gif-thousands-of-frames' | 'truncated-jpeg'>, RegExp> = {
  'zero-byte': /the file is empty/,
  'truncated-png': /it is truncated or damaged \(vipspng: libpng read error\)/,
  'truncated-tiled-tiff': /starts like a TIFF file .* truncated or damaged/,
  'random-bytes': /not a supported image/,
  'png-bomb-header': /100000×100000 = 10 gigapixels, above the limit/,
  'tiff-tile-offsets-past-end': /past the end of the file .* truncated or damaged/,
  'tiff-absurd-tile-size': /its header is damaged or invalid \(.*tile size out of range\)/,
  'svg-external-refs': /its XML uses an entity that is not defined here \(external entities are never loaded\) \(.*Entity 'secret' not defined/,
  directory: /it is a directory/,
  'symlink-loop': /symbolic link loop/,
  netcdf: /it is a NetCDF file \(classic format\), not an image\. .*gdal_translate NETCDF:"model-output\.nc":<variable> model-output\.tif/,
  'text-renamed-tif': /it is a text file \(first line: "Survey notes.*"\), not an image \(its name ends in \.tif, but its content is not a TIFF\)/,
  ...CLAIM_CAUSES
}

const gc = collector()
const memory = (): { rss: number; heap: number } => {
  gc()
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heap: heapUsed }
}
const MB = 1024 * 1024

const tmp = tempDir('tessera-bad-')
let corpus: BadCorpus
let pool: DecodePool
let background: DecodePool
let good: RasterSource
let goodTile: Uint8Array
const opts = (extra: OpenOptions = {}): OpenOptions => ({ pool, backgroundPool: background, cacheDir: tmp.file('cache'), ...extra })
/** Rows of the closing table: case, message, time, memory back. */
const table: Array<{ case: string; layer: string; message: string; ms: number; heapDeltaMB: number; rssDeltaMB: number }> = []

/** Opens `path` and reads its coarsest and finest first tile; resolves with the first error, or null when all worked. */
async function openAndRead(path: string): Promise<Error | null> {
  let source: RasterSource | null = null
  try {
    source = await openRaster(path, opts())
    await source.readTile(source.info.levels.length - 1, 0, 0)
    await source.readTile(0, 0, 0)
    return null
  } catch (error) {
    return error as Error
  } finally {
    await source?.close()
  }
}

async function goodLayerStillRenders(): Promise<void> {
  const tile = await good.readTile(0, 1, 1)
  expect(Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength).equals(goodTile)).toBe(true)
}

beforeAll(async () => {
  pool = createDecodePool({ size: 2, name: 'bad-input tile pool' })
  background = createDecodePool({ size: 1, name: 'bad-input background pool' })
  corpus = await generateBadCorpus(tmp.file('corpus'))
  const goodPath = tmp.file('good.tif')
  await fromRaw(gradient(1024, 1024)).tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'deflate' }).toFile(goodPath)
  good = await openRaster(goodPath, opts())
  const tile = await good.readTile(0, 1, 1)
  goodTile = Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength)
  // Warm every worker and sharp's loaders, so that the times below are of the files, not of start-up.
  for (const path of Object.values(corpus.cases)) await openAndRead(path)
})

afterAll(async () => {
  await good?.close()
  await Promise.all([pool?.close(), background?.close()])
  tmp.cleanup()
  if (table.length) console.table(table)
})

describe('openRaster on the bad-input corpus', () => {
  for (const [name, cause] of Object.entries(EXPECTED_CAUSE)) {
    it(`${name}: fails within 2 s naming the file and the cause, while another raster keeps rendering`, async () => {
      const path = corpus.cases[name as BadCase]
      const before = memory()
      const started = performance.now()
      const error = await openAndRead(path)
      const ms = performance.now() - started
      const after = memory()
      table.push({ case: name, layer: 'openRaster', message: error?.message ?? '(opened)', ms: Math.round(ms), heapDeltaMB: round((after.heap - before.heap) / MB), rssDeltaMB: round((after.rss - before.rss) / MB) })
      expect(error).toBeInstanceOf(Error)
      expect(error!.message).toContain(path)
      expect(error!.message).toMatch(cause)
      expect(ms).toBeLessThan(2000)
      await goodLayerStillRenders()
    })
  }

  it('truncated-jpeg: opens within 2 s with a warning naming the damage; its first rows decode, the rest is grey', async () => {
    const path = corpus.cases['truncated-jpeg']
    const started = performance.now()
    const source = await openRaster(path, opts())
    const first = await source.readTile(0, 0, 0)
    const last = source.info.levels[0]!
    const bottom = await source.readTile(0, 0, Math.ceil(last.height / source.info.tileSize) - 1)
    const ms = performance.now() - started
    table.push({ case: 'truncated-jpeg', layer: 'openRaster', message: `(opened with a warning: ${source.info.warnings.join('; ')})`, ms: Math.round(ms), heapDeltaMB: 0, rssDeltaMB: 0 })
    expect(source.info.warnings).toEqual([expect.stringMatching(/it is truncated \(its end-of-image marker is missing\)/)])
    // The noise of the first rows decodes (not flat); the last rows, after the cut, are one flat grey.
    const spread = (data: ArrayLike<number>, from: number, to: number): number => {
      let lo = 255
      let hi = 0
      for (let i = from; i < to; i += 4) {
        lo = Math.min(lo, data[i]!)
        hi = Math.max(hi, data[i]!)
      }
      return hi - lo
    }
    expect(spread(first.data, 0, 256 * 4)).toBeGreaterThan(30)
    const lastRow = (bottom.height - 1) * bottom.width * 4
    expect(spread(bottom.data, lastRow, lastRow + bottom.width * 4)).toBeLessThan(4)
    expect(ms).toBeLessThan(2000)
    await source.close()
    await goodLayerStillRenders()
  })

  it('gif-thousands-of-frames: shows the first frame within 2 s, without decoding the others', async () => {
    const path = corpus.cases['gif-thousands-of-frames']
    const started = performance.now()
    const source = await openRaster(path, opts())
    const tile = await source.readTile(0, 0, 0)
    const ms = performance.now() - started
    table.push({ case: 'gif-thousands-of-frames', layer: 'openRaster', message: `(opened: first frame, ${source.info.width}×${source.info.height})`, ms: Math.round(ms), heapDeltaMB: 0, rssDeltaMB: 0 })
    expect([source.info.width, source.info.height]).toEqual([32, 32])
    expect(tile.data[0]).toBe(0) // frame 0 is black; frame f is grey f & 255
    expect(ms).toBeLessThan(2000)
    await source.close()
  })

  it('svg: never reads the images or entities it references (the pixels stay those of the SVG without them)', async () => {
    const control = await openRaster(corpus.svgControl, opts())
    const withImages = await openRaster(corpus.svgImages, opts())
    const expected = await control.readTile(0, 0, 0)
    const actual = await withImages.readTile(0, 0, 0)
    // Read, red.png would paint two 32×32 red squares; the control is white everywhere.
    expect(Buffer.from(actual.data).equals(Buffer.from(expected.data))).toBe(true)
    expect(isColour(actual.data, [255, 255, 255])).toBe(true)
    await Promise.all([control.close(), withImages.close()])
  })

  it('a file deleted while open: the next tile fails naming the file; the others keep rendering', async () => {
    const path = tmp.file('deleted.tif')
    await fromRaw(gradient(1024, 1024)).tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'deflate' }).toFile(path)
    const source = await openRaster(path, opts())
    rmSync(path)
    const started = performance.now()
    const error = await source.readTile(0, 3, 3).then(() => null, (e: Error) => e)
    const ms = performance.now() - started
    table.push({ case: 'deleted-while-open', layer: 'openRaster', message: error?.message ?? '(tile served)', ms: Math.round(ms), heapDeltaMB: 0, rssDeltaMB: 0 })
    expect(error?.message).toContain(path)
    expect(ms).toBeLessThan(2000)
    await goodLayerStillRenders()
    await source.close()
  })

  it('a file rewritten after its pyramid was built is not served from the stale pyramid', async () => {
    const path = tmp.file('rewritten.png')
    const solid = (colour: string) => sharp({ create: { width: 600, height: 400, channels: 3, background: colour } }).png().toFile(path)
    await solid('#ff0000')
    const pyramidOptions = (onReady: () => void): OpenOptions => opts({ memoryMaxPixels: 1000, onPyramidReady: onReady })
    const first = await new Promise<RasterSource>((resolve, reject) => {
      let source: RasterSource | null = null
      let ready = false
      openRaster(path, pyramidOptions(() => { ready = true; if (source) resolve(source) })).then((s) => { source = s; if (ready) resolve(s) }, reject)
    })
    expect(first.info.strategy).toBe('pyramid')
    expect(isColour((await first.readTile(0, 0, 0)).data, [255, 0, 0])).toBe(true)
    await first.close()
    await solid('#0000ff')
    const second = await openRaster(path, opts({ memoryMaxPixels: 1000 }))
    expect(second.info.pyramidReady).toBe(false) // not the stale cached pyramid
    expect(isColour((await second.readTile(0, 0, 0)).data, [0, 0, 255])).toBe(true)
    await second.close()
  })

  it('memory returns to where it was after the whole corpus, twice over', async () => {
    const before = memory()
    for (let round = 0; round < 2; round++) {
      for (const path of Object.values(corpus.cases)) await openAndRead(path)
    }
    const after = memory()
    const heapDeltaMB = (after.heap - before.heap) / MB
    const rssDeltaMB = (after.rss - before.rss) / MB
    table.push({ case: '(whole corpus ×2)', layer: 'openRaster', message: '', ms: 0, heapDeltaMB: round(heapDeltaMB), rssDeltaMB: round(rssDeltaMB) })
    expect(heapDeltaMB).toBeLessThan(10)
    expect(rssDeltaMB).toBeLessThan(64)
  })
})

describe('a file without read permission', () => {
  it('is refused as "permission denied", naming the file (as user nobody when the tests run as root)', async () => {
    const path = tmp.file('unreadable.png')
    writeFileSync(path, await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer())
    chmodSync(path, 0o000)
    chmodSync(tmp.dir, 0o755)
    // root reads any file: the refusal is only seen as another user, so drop the effective uid
    // (open(2) checks it) for the one call; it fails before any job reaches a worker.
    const asRoot = process.getuid?.() === 0
    if (asRoot) process.seteuid!(65534)
    let error: Error | null
    try {
      error = await openRaster(path, opts()).then(() => null, (e: Error) => e)
    } finally {
      if (asRoot) process.seteuid!(0)
    }
    table.push({ case: 'no-read-permission', layer: asRoot ? 'openRaster (euid 65534)' : 'openRaster', message: error?.message ?? '(opened)', ms: 0, heapDeltaMB: 0, rssDeltaMB: 0 })
    expect(error?.message).toBe(`Cannot open ${path}: permission denied`)
    expect(process.geteuid?.()).toBe(process.getuid?.())
  })
})

describe('TextureService on the bad-input corpus', () => {
  it('answers each bad open with open-failed naming the file, keeps streaming another raster, and ends idle', async () => {
    const sink = new MemorySink()
    const service = new TextureService({ sink, openRaster: (path, hooks) => openRaster(path, opts({ onProgress: hooks.onProgress })), maxWorkers: 2 })
    let id = 1
    const opened = (await service.receive({ type: 'open', id: id++, path: tmp.file('good.tif') })) as Extract<ServerMessage, { type: 'reply' }>
    const rasterId = (opened.result as { rasterId: string }).rasterId
    for (const [name, cause] of Object.entries(EXPECTED_CAUSE)) {
      const path = corpus.cases[name as BadCase]
      const framesBefore = sink.frames.length
      void service.receive({ type: 'request', rasterId, tiles: [{ level: 0, col: 2, row: 2, priority: 1 }, { level: 1, col: 1, row: 0, priority: 1 }] })
      const started = performance.now()
      const reply = await service.receive({ type: 'open', id: id++, path })
      const ms = performance.now() - started
      expect(reply?.type).toBe('reply-error')
      const error = (reply as Extract<ServerMessage, { type: 'reply-error' }>).error
      // Files that probe but fail at their first tile open, and fail there: both are accepted as long as the message is clear.
      table.push({ case: name, layer: 'TextureService', message: `${error.code}: ${error.message}`, ms: Math.round(ms), heapDeltaMB: 0, rssDeltaMB: 0 })
      expect(error.code).toBe('open-failed')
      expect(error.message).toContain(path)
      expect(error.message).toMatch(cause)
      expect(ms).toBeLessThan(2000)
      await sink.until(() => sink.frames.length >= framesBefore + 2 || service.stats().pending + service.stats().active === 0)
    }
    await sink.until(() => service.stats().pending === 0 && service.stats().active === 0)
    expect(sink.ofType('tile-failed')).toEqual([])
    expect(service.stats()).toMatchObject({ pending: 0, active: 0, openRasters: 1 })
    await service.close()
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 })
  })
})

/** True when every RGBA pixel is within 8 of `rgb` (pyramid tiles are JPEG-compressed). */
function isColour(data: ArrayLike<number>, rgb: [number, number, number]): boolean {
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - rgb[0]) > 8 || Math.abs(data[i + 1]! - rgb[1]) > 8 || Math.abs(data[i + 2]! - rgb[2]) > 8) return false
  }
  return true
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
