import { utimesSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import { openRaster, type OpenOptions, type RasterInfo, type RasterSource } from '../../src/main/raster'
import { tileRect } from '../../src/shared/tiles'
import { crop, difference, reduceRaw, referenceRgba, tempDir } from '../helpers/images'

const tmp = tempDir()
const path = tmp.file('big.jpg')
let pool: DecodePool
let background: DecodePool

/** Opens the big JPEG and waits for its pyramid; returns the source and the progress reported. */
async function openAndWait(extra: OpenOptions = {}): Promise<{ source: RasterSource; progress: number[]; ready: boolean }> {
  const progress: number[] = []
  let resolveReady!: (info: RasterInfo | Error) => void
  const ready = new Promise<RasterInfo | Error>((resolve) => (resolveReady = resolve))
  const source = await openRaster(path, {
    pool,
    backgroundPool: background,
    cacheDir: tmp.file('cache'),
    onProgress: (f) => progress.push(f),
    onPyramidReady: resolveReady,
    onPyramidError: resolveReady,
    ...extra
  })
  if (source.info.pyramidReady) return { source, progress, ready: true }
  const outcome = await ready
  if (outcome instanceof Error) throw outcome
  return { source, progress, ready: false }
}

beforeAll(async () => {
  pool = createDecodePool({ size: 2 })
  background = createDecodePool({ size: 1 })
  // 8000×6000, smooth with detail: a gradient plus noise-free stripes, so JPEG stays close.
  await sharp({ create: { width: 8000, height: 6000, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .composite([{ input: Buffer.from('<svg width="8000" height="6000"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff"/></linearGradient></defs><rect width="8000" height="6000" fill="url(#g)" opacity="0.6"/><circle cx="4000" cy="3000" r="1500" fill="#c33"/></svg>') }])
    .jpeg({ quality: 92 })
    .toFile(path)
}, 120_000)
afterAll(async () => {
  await Promise.all([pool.close(), background.close()])
  tmp.cleanup()
})

describe('openRaster: large non-tiled images (pyramid built in the background)', () => {
  it('reports progress 0 → 1, then serves the built pyramid', async () => {
    const { source, progress, ready } = await openAndWait()
    expect(ready).toBe(false)
    expect(source.info).toMatchObject({ strategy: 'pyramid', width: 8000, height: 6000, pyramidReady: true })
    expect(progress[0]).toBe(0)
    expect(progress.at(-1)).toBe(1)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    // Level 0 from the pyramid: JPEG tiles (quality 80), close to the source pixels.
    const reference = await referenceRgba(path)
    const rect = tileRect(source.info.levels[0]!, 256, 15, 11)
    const tile = await source.readTile(0, 15, 11)
    expect(difference(tile.data, crop(reference, rect)).mean).toBeLessThan(3)
    const edge = await source.readTile(0, 31, 23)
    expect([edge.width, edge.height]).toEqual([8000 - 31 * 256, 6000 - 23 * 256])
    const level3 = source.info.levels[3]!
    const reduced = await reduceRaw(reference, level3.width, level3.height)
    const tile3 = await source.readTile(3, 1, 1)
    expect(difference(tile3.data, crop(reduced, tileRect(level3, 256, 1, 1))).mean).toBeLessThan(3)
    await source.close()
  })

  it('serves every level before the pyramid is ready', async () => {
    utimesSync(path, new Date(), new Date(Date.now() + 5_000))
    const source = await openRaster(path, { pool, backgroundPool: background, cacheDir: tmp.file('cache') })
    expect(source.info.pyramidReady).toBe(false)
    const fine = await source.readTile(0, 3, 2)
    expect([fine.width, fine.height, fine.channels]).toEqual([256, 256, 4])
    await source.close()
  })

  it('builds the pyramid of a PNG beside its overview, and stops the build on close', async () => {
    const png = tmp.file('big.png')
    await sharp(path).png({ compressionLevel: 1 }).toFile(png)
    const progress: number[] = []
    let resolveReady!: (info: RasterInfo | Error) => void
    const ready = new Promise<RasterInfo | Error>((resolve) => (resolveReady = resolve))
    const source = await openRaster(png, { pool, backgroundPool: background, cacheDir: tmp.file('cache'), onProgress: (f) => progress.push(f), onPyramidReady: resolveReady, onPyramidError: resolveReady })
    expect(source.info).toMatchObject({ strategy: 'pyramid', format: 'png', pyramidReady: false })
    const outcome = await ready
    if (outcome instanceof Error) throw outcome
    expect(source.info.pyramidReady).toBe(true)
    expect(progress[0]).toBe(0)
    expect(progress.at(-1)).toBe(1)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    const reference = await referenceRgba(png)
    const rect = tileRect(source.info.levels[0]!, 256, 4, 7)
    expect(difference((await source.readTile(0, 4, 7)).data, crop(reference, rect)).mean).toBeLessThan(3)
    await source.close()

    // Touched: rebuilt; closing at once ends the build, and neither readiness nor failure is reported.
    utimesSync(png, new Date(), new Date(Date.now() + 30_000))
    const calls: string[] = []
    const early = await openRaster(png, { pool, backgroundPool: background, cacheDir: tmp.file('cache'), onPyramidReady: () => calls.push('ready'), onPyramidError: () => calls.push('error') })
    expect(early.info.pyramidReady).toBe(false)
    await early.close()
    await expect(background.run({ kind: 'probe', path: png })).resolves.toMatchObject({ format: 'png' })
    expect(calls).toEqual([])
  })

  it('reuses the pyramid on the next open, and rebuilds it when the file was touched', async () => {
    utimesSync(path, new Date(), new Date(Date.now() + 10_000))
    const first = await openAndWait()
    expect(first.ready).toBe(false)
    await first.source.close()
    const second = await openAndWait()
    expect(second.ready).toBe(true)
    expect(second.progress).toEqual([])
    await second.source.close()
    utimesSync(path, new Date(), new Date(Date.now() + 20_000))
    const third = await openAndWait()
    expect(third.ready).toBe(false)
    expect(third.progress.at(-1)).toBe(1)
    await third.source.close()
  })
})

describe('openRaster: pyramid of a 16-bit picture', () => {
  it('keeps a 16-bit RGBA PNG exact at level 0 once its lossless pyramid serves it: 3 bands and a validity channel', async () => {
    const width = 700
    const height = 500
    const values = new Uint16Array(width * height * 4)
    for (let i = 0; i < width * height; i++) {
      values[i * 4] = (i * 7) % 65536
      values[i * 4 + 1] = (i * 13) % 65536
      values[i * 4 + 2] = (i * 29) % 65536
      values[i * 4 + 3] = i % width < 50 ? 0 : 65535 // a transparent strip on the left
    }
    const png16 = tmp.file('rgba16.png')
    await sharp(values, { raw: { width, height, channels: 4 } }).toColourspace('rgb16').png().toFile(png16)
    let resolveReady!: (outcome: RasterInfo | Error) => void
    const ready = new Promise<RasterInfo | Error>((resolve) => (resolveReady = resolve))
    const source = await openRaster(png16, { pool, backgroundPool: background, cacheDir: tmp.file('cache16'), memoryMaxPixels: 100_000, onPyramidReady: resolveReady, onPyramidError: resolveReady })
    expect(source.info).toMatchObject({ strategy: 'pyramid', tileKind: 'bands', tileSampleType: 'uint16', tileChannels: 4, tileMask: true, bands: 3 })
    const outcome = await ready
    if (outcome instanceof Error) throw outcome
    const tile = await source.readTile(0, 1, 1)
    expect(tile.channels).toBe(4)
    for (const [x, y] of [[0, 0], [100, 17], [255, 243], [187, 200]] as const) {
      const i = (256 + y) * width + 256 + x
      const at = (y * tile.width + x) * 4
      expect(Array.from(tile.data.subarray(at, at + 3)), `pixel ${256 + x},${256 + y}`).toEqual([values[i * 4], values[i * 4 + 1], values[i * 4 + 2]])
      expect(tile.data[at + 3]).not.toBe(0)
    }
    const left = await source.readTile(0, 0, 0)
    expect(left.data[3]).toBe(0) // the transparent strip is invalid
    await source.close()
  })
})
