import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp, { type Sharp } from 'sharp'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import { openRaster, type OpenOptions, type RasterSource } from '../../src/main/raster'
import { tileRect } from '../../src/shared/tiles'
import { crop, difference, fromRaw, gradient, reduceRaw, referenceRgba, tempDir, writeFloatGeoTiff, writePng16, writeSubifdPyramid } from '../helpers/images'

const tmp = tempDir()
let pool: DecodePool
let background: DecodePool
const opts = (extra: OpenOptions = {}): OpenOptions => ({ pool, backgroundPool: background, cacheDir: tmp.file('cache'), ...extra })

beforeAll(() => {
  pool = createDecodePool({ size: 2, name: 'test tile pool' })
  background = createDecodePool({ size: 1, name: 'test background pool' })
})
afterAll(async () => {
  await Promise.all([pool.close(), background.close()])
  tmp.cleanup()
})

/** Every level-0 tile equals the source; the last (edge) tile has the edge size. */
async function expectLevel0Exact(source: RasterSource, path: string): Promise<void> {
  const reference = await referenceRgba(path)
  const { levels, tileSize } = source.info
  const cols = Math.ceil(levels[0]!.width / tileSize)
  const rows = Math.ceil(levels[0]!.height / tileSize)
  for (const [col, row] of [[0, 0], [cols - 1, rows - 1], [Math.floor(cols / 2), 0]] as const) {
    const tile = await source.readTile(0, col, row)
    const rect = tileRect(levels[0]!, tileSize, col, row)
    expect([tile.width, tile.height, tile.channels]).toEqual([rect.width, rect.height, 4])
    expect(difference(tile.data, crop(reference, rect)).max).toBe(0)
  }
}

/** A level-L tile matches a reduction of the source to that level's size within a small tolerance. */
async function expectLevelClose(source: RasterSource, path: string, level: number, col = 0, row = 0): Promise<void> {
  const size = source.info.levels[level]!
  const reference = await reduceRaw(await referenceRgba(path), size.width, size.height)
  const tile = await source.readTile(level, col, row)
  const rect = tileRect(size, source.info.tileSize, col, row)
  expect([tile.width, tile.height]).toEqual([rect.width, rect.height])
  const { mean } = difference(tile.data, crop(reference, rect))
  expect(mean).toBeLessThan(3)
}

describe('openRaster: tiled TIFF read in place', () => {
  it('reads a pyramid of pages: level 0 exact, level 1 and 2 close to a reduction', async () => {
    const path = tmp.file('pages.tif')
    await fromRaw(gradient(1000, 700)).tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'deflate' }).toFile(path)
    const source = await openRaster(path, opts())
    expect(source.info).toMatchObject({ strategy: 'tiled', width: 1000, height: 700, tileChannels: 4, format: 'tiff', pyramidReady: true })
    await expectLevel0Exact(source, path)
    await expectLevelClose(source, path, 1, 1, 1)
    await expectLevelClose(source, path, 2)
    await source.close()
  })

  it('reads a pyramid of sub-IFDs', async () => {
    const path = tmp.file('subifd.tif')
    const full = gradient(600, 520)
    const levels = [full, await reduceRaw(full, 300, 260), await reduceRaw(full, 150, 130)]
    writeSubifdPyramid(path, levels, 128)
    const source = await openRaster(path, opts())
    expect(source.info.strategy).toBe('tiled')
    await expectLevel0Exact(source, path)
    const tile = await source.readTile(2, 0, 0)
    expect(difference(tile.data, crop({ ...(await referenceRgba(path, { width: 150, height: 130 })) }, { left: 0, top: 0, width: 150, height: 130 })).mean).toBeLessThan(3)
    await source.close()
  })

  it('shrinks the lower levels of a tiled TIFF without a pyramid on demand', async () => {
    const path = tmp.file('tiled.tif')
    await fromRaw(gradient(900, 530)).tiff({ tile: true, tileWidth: 128, tileHeight: 128, compression: 'lzw' }).toFile(path)
    const source = await openRaster(path, opts())
    expect(source.info.levels.length).toBe(3)
    await expectLevel0Exact(source, path)
    await expectLevelClose(source, path, 1, 1, 0)
    await expectLevelClose(source, path, 2)
    await source.close()
  })
})

describe('openRaster: images kept in memory', () => {
  it('gives a grey 8-bit picture as its one band of values, stretchable like any value raster', async () => {
    const path = tmp.file('grey.png')
    const values = Uint8Array.from({ length: 300 * 200 }, (_, i) => (i * 7) % 256)
    await sharp(values, { raw: { width: 300, height: 200, channels: 1 } }).toColourspace('b-w').png().toFile(path)
    const source = await openRaster(path, opts())
    expect(source.info).toMatchObject({ tileKind: 'bands', tileSampleType: 'uint8', tileChannels: 1, bands: 1 })
    expect(source.info.bandInfo[0]!.statistics).toMatchObject({ min: 0, max: 255 })
    const tile = await source.readTile(0, 1, 0)
    expect(Array.from(tile.data.subarray(0, 4))).toEqual(Array.from(values.subarray(256, 260)))
    await source.close()
  })

  it('shows a camera JPEG from its overview first, its finer levels from the full decode in the background lane', async () => {
    const path = tmp.file('photo.jpg')
    await fromRaw(gradient(3000, 2000)).jpeg({ quality: 90 }).toFile(path)
    const decodesBefore = background.stats().completed
    const source = await openRaster(path, opts({ overviewMaxSide: 1600 }))
    expect(source.info.strategy).toBe('memory')
    // Level 1 (1500×1000) comes from the overview decoded at open; level 0 waits for the full decode.
    const coarse = await source.readTile(1, 0, 0)
    expect(coarse.width).toBe(256)
    await expectLevel0Exact(source, path)
    expect(background.stats().completed).toBe(decodesBefore + 1)
    await expectLevelClose(source, path, 1, 0, 0)
    await source.close()
  })

  it('starts the full decode of a camera JPEG only when a fine tile is wanted, not while the overview serves its tiles', async () => {
    const path = tmp.file('photo-deferred.jpg')
    await fromRaw(gradient(3000, 2000)).jpeg({ quality: 90 }).toFile(path)
    const decodesBefore = background.stats().completed
    // Never on its own: only a fine tile starts it.
    const never = { quietMs: 1e9, latestMs: 1e9 }
    const source = await openRaster(path, opts({ overviewMaxSide: 1600, deferFullDecode: never }))
    for (const [col, row] of [[0, 0], [1, 1], [5, 3]] as const) await source.readTile(1, col, row)
    await source.readTile(3, 0, 0)
    expect(background.stats()).toMatchObject({ completed: decodesBefore, busy: 0, queued: 0 })
    await expectLevel0Exact(source, path)
    expect(background.stats().completed).toBe(decodesBefore + 1)
    await source.close()
  })

  it('starts the full decode of a camera JPEG on its own once the overview served a tile and the tile pool is idle', async () => {
    const path = tmp.file('photo-follows.jpg')
    await fromRaw(gradient(3000, 2000)).jpeg({ quality: 90 }).toFile(path)
    const decodesBefore = background.stats().completed
    const source = await openRaster(path, opts({ overviewMaxSide: 1600, deferFullDecode: { quietMs: 0, latestMs: 1e9 } }))
    await source.readTile(1, 0, 0)
    await expect.poll(() => background.stats().completed).toBe(decodesBefore + 1)
    await expectLevel0Exact(source, path)
    expect(background.stats().completed).toBe(decodesBefore + 1)
    await source.close()
  })

  it('never starts the full decode of a raster closed before it started', async () => {
    const path = tmp.file('photo-closed.jpg')
    await fromRaw(gradient(3000, 2000)).jpeg({ quality: 90 }).toFile(path)
    const decodesBefore = background.stats().completed
    const source = await openRaster(path, opts({ overviewMaxSide: 1600, deferFullDecode: { quietMs: 0, latestMs: 0 } }))
    await source.close()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(background.stats()).toMatchObject({ completed: decodesBefore, busy: 0, queued: 0 })
  })

  it('serves a PNG with alpha exactly at level 0 and close at level 1', async () => {
    const path = tmp.file('alpha.png')
    await fromRaw(gradient(700, 500, 4)).png().toFile(path)
    const source = await openRaster(path, opts())
    expect(source.info).toMatchObject({ strategy: 'memory', hasAlpha: true, tileChannels: 4 })
    await expectLevel0Exact(source, path)
    await expectLevelClose(source, path, 1, 1, 0)
    await source.close()
  })

  it.each([
    ['lossless WebP', 'lossless.webp', (p: Sharp) => p.webp({ lossless: true })],
    ['GIF', 'image.gif', (p: Sharp) => p.gif()]
  ])('serves a %s exactly at level 0', async (_name, file, encode) => {
    const path = tmp.file(file)
    await encode(fromRaw(gradient(520, 300))).toFile(path)
    const source = await openRaster(path, opts())
    await expectLevel0Exact(source, path)
    await expectLevelClose(source, path, 1)
    await source.close()
  })

  it('serves an AVIF close to its decoded pixels', async () => {
    const path = tmp.file('image.avif')
    await fromRaw(gradient(400, 300)).avif({ quality: 80 }).toFile(path)
    const source = await openRaster(path, opts())
    expect(source.info.format).toBe('heif')
    await expectLevel0Exact(source, path)
    await source.close()
  })

  it('applies the EXIF orientation', async () => {
    const path = tmp.file('rotated.jpg')
    // Stored 300 wide and 200 high; orientation 6 means "rotate 90° clockwise to show".
    await fromRaw(gradient(300, 200)).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(path)
    const source = await openRaster(path, opts())
    expect([source.info.width, source.info.height]).toEqual([200, 300])
    await expectLevel0Exact(source, path)
    // The checker (top-left when stored) is now at the top-right.
    const tile = await source.readTile(0, 0, 0)
    const at = (x: number, y: number): number => tile.data[(y * tile.width + x) * 4]!
    expect(at(199 - 8, 8)).toBeGreaterThan(200)
    expect(at(8, 8)).toBeLessThan(100)
    await source.close()
  })

  it('gives a 16-bit PNG as one uint16 band with statistics', async () => {
    const path = tmp.file('value16.png')
    const values = await writePng16(path, 300, 280)
    const source = await openRaster(path, opts())
    expect(source.info).toMatchObject({ tileChannels: 1, sampleType: 'uint16', tileSampleType: 'uint16' })
    const tile = await source.readTile(0, 1, 1)
    expect(tile.data).toBeInstanceOf(Uint16Array)
    expect([tile.width, tile.height]).toEqual([300 - 256, 280 - 256])
    expect(tile.data[0]).toBe(values[256 * 300 + 256])
    const stats = source.info.statistics!
    expect(stats.min).toBe(0)
    expect(stats.max).toBe(299 * 7 + 279 * 3)
    expect(stats.p2).toBeGreaterThan(stats.min)
    expect(stats.p98).toBeLessThan(stats.max)
    expect(stats.noData).toBeNull()
    await source.close()
  })

  it('gives a float32 GeoTIFF as one float band, with no-data, statistics and georeferencing', async () => {
    const path = tmp.file('dem.tif')
    const values = writeFloatGeoTiff(path, 300, 260)
    const source = await openRaster(path, opts())
    expect(source.info).toMatchObject({ tileChannels: 1, sampleType: 'float32' })
    expect(source.info.georeference).toMatchObject({ geoTransform: [500000, 2, 0, 6000000, 0, -2], rasterType: 'area', epsg: 32631, rotated: false })
    // Its CRS in full since issue 21: the code it names, with its definition.
    expect(source.info.georeference?.crs).toMatchObject({ id: 'EPSG:32631', epsg: 32631, source: 'geokeys' })
    expect(source.info.georeference?.crs?.proj4).toMatch(/\+proj=utm \+zone=31|\+proj=tmerc/)
    const tile = await source.readTile(0, 0, 0)
    expect(tile.data).toBeInstanceOf(Float32Array)
    expect(Array.from(tile.data.slice(256, 260))).toEqual(Array.from(values.slice(300, 304)))
    const stats = source.info.statistics!
    expect(stats.noData).toBe(-9999)
    expect(stats.min).toBeGreaterThan(-9999)
    expect(stats.max).toBeCloseTo(100 + 299 * 0.5 - 0.25, 3)
    const level1 = await source.readTile(1, 0, 0)
    expect([level1.width, level1.height, level1.channels]).toEqual([150, 130, 1])
    await source.close()
  })
})

describe('openRaster: damaged but decodable', () => {
  it('opens a PNG whose chunk checksum fails with a warning naming the damage', async () => {
    const bytes = Buffer.from(await fromRaw(gradient(200, 120)).png().toBuffer())
    const idat = bytes.indexOf('IDAT')
    bytes[idat + 4 + bytes.readUInt32BE(idat - 4)] ^= 0xff
    const path = tmp.file('bad-crc.png')
    writeFileSync(path, bytes)
    const source = await openRaster(path, opts())
    expect(source.info.warnings).toEqual([expect.stringMatching(/checksum of its IDAT chunk fails/)])
    await source.readTile(0, 0, 0)
    await source.close()
  })

  it('opens a sound file without warnings', async () => {
    const path = tmp.file('sound.png')
    await fromRaw(gradient(200, 120)).png().toFile(path)
    const source = await openRaster(path, opts())
    expect(source.info.warnings).toEqual([])
    await source.close()
  })
})

describe('openRaster: bad input', () => {
  it('rejects a missing file, naming it', async () => {
    await expect(openRaster(tmp.file('missing.png'), opts())).rejects.toThrow(`Cannot open ${tmp.file('missing.png')}: no such file`)
  })

  it('rejects a file that is not an image, saying so', async () => {
    const path = tmp.file('notes.png')
    await import('node:fs/promises').then((fs) => fs.writeFile(path, 'just some text, not pixels'))
    // Named for what it is since issue 22 (it was "not a supported image").
    await expect(openRaster(path, opts())).rejects.toThrow(new RegExp(`Cannot open ${path}: it is a text (file|table)`))
  })

  it('rejects a truncated image when its pixels are decoded', async () => {
    const fs = await import('node:fs/promises')
    const path = tmp.file('truncated.png')
    const png = await fromRaw(gradient(300, 300)).png().toBuffer()
    await fs.writeFile(path, png.subarray(0, png.length >> 1))
    await expect(openRaster(path, opts())).rejects.toThrow(`Cannot open ${path}: it is truncated or damaged (vipspng: libpng read error)`)
  })

  it('refuses a non-tiled image above the pixel limit, naming the limit', async () => {
    const path = tmp.file('big-for-limit.png')
    await fromRaw(gradient(200, 100)).png().toFile(path)
    // Refused from the header, before any decode, since issue 22.
    await expect(openRaster(path, opts({ maxPixels: 10_000 }))).rejects.toThrow(
      `Cannot open ${path}: it is 200×100 = 20000 pixels, above the limit of 10000 pixels for non-tiled images (its PNG header says so; nothing was decoded)`
    )
  })

  it('rejects a tile outside the pyramid, and an aborted read with an AbortError', async () => {
    const path = tmp.file('small.png')
    await fromRaw(gradient(100, 100)).png().toFile(path)
    const source = await openRaster(path, opts())
    await expect(source.readTile(0, 1, 0)).rejects.toThrow(`Tile 0/1/0 is outside the pyramid of ${path}`)
    const controller = new AbortController()
    controller.abort()
    await expect(source.readTile(0, 0, 0, controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
    await source.close()
    await source.close()
  })
})
