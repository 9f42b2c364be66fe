/**
 * Rasters opened by URL (issue 24): GDAL-written COGs served by Debian's nginx, opened with
 * `openRasterLocation` and read through the decode workers, which ask the main thread for their
 * bytes. Every level (level 0 and each overview) is compared with GDAL's own read of the same URL
 * (`gdal_translate /vsicurl/…`), as the fidelity corpus compares local files. Also: a JPEG COG's
 * stored tiles sent as they are, tiles withdrawn while their ranges are in flight (requests
 * aborted, no byte received after), and the refusals (an HTML page, a 404, another scheme).
 */
import { renameSync, utimesSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRasterLocation, type RasterSource } from '../../../src/main/raster'
import { remoteLocation } from '../../../src/main/raster/decode/remoteLocation'
import { resetSharedRemoteFiles, sharedRemoteFiles } from '../../../src/main/raster/remoteFiles'
import { isEncodedTile } from '../../../src/main/raster/types'
import type { RemoteSource } from '../../../src/shared/raster'
import { startFaultProxy, type FaultProxy } from '../../helpers/faultProxy'
import * as gdal from '../../helpers/gdal'
import { requireNginx, startNginx, type NginxServer } from '../../helpers/nginx'
import { useRasterCorpus } from '../../helpers/rasterCorpus'

const { tmp, opened, opts } = useRasterCorpus('open-remote')

/**
 * 4 × 3 tiles of 256 with odd edge tiles (232 × 188); the COG driver adds overviews of 500 × 350 and
 * 250 × 175, the sizes of Tessera's levels 1 and 2 (a size GDAL rounds down would not be one).
 */
const W = 1000
const H = 700

let nginx: NginxServer
let proxy: FaultProxy

beforeAll(async () => {
  requireNginx()
  resetSharedRemoteFiles({ retryBaseDelayMs: 10 })
  nginx = await startNginx(tmp.dir)
  proxy = await startFaultProxy(nginx.port)
})

afterAll(async () => {
  await proxy?.close()
  await nginx?.stop()
  resetSharedRemoteFiles()
})

/** A COG written by GDAL into the served folder; its URL on nginx. */
async function cog(name: string, grid: gdal.Grid, args: string[], source: gdal.SourceOptions = {}): Promise<string> {
  await gdal.gdalRaster(tmp.dir, name, grid, ['-of', 'COG', '-co', 'BLOCKSIZE=256', ...args], source)
  return nginx.url(`/${name}.tif`)
}

async function open(url: string): Promise<RasterSource> {
  const source = await openRasterLocation(url, opts())
  opened.push(source)
  return source
}

const same = (actual: number, expected: number, tolerance: number): boolean =>
  actual === expected || (Number.isNaN(actual) && Number.isNaN(expected)) || Math.abs(actual - expected) <= tolerance

/**
 * Every tile of `level` against GDAL's read of the same URL at the same size (level 0, or the
 * overview GDAL reads with OVERVIEW_LEVEL), within `tolerance`. RGBA8 tiles: R, G, B of GDAL's
 * three bands, opaque; value tiles: every band.
 */
async function expectLevelAsGdal(source: RasterSource, url: string, level: number, tolerance: number): Promise<void> {
  const args = level === 0 ? [] : ['-oo', `OVERVIEW_LEVEL=${level - 1}`]
  const ref = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir, args)
  const { tileSize, tileKind, tileChannels } = source.info
  const size = source.info.levels[level]!
  expect({ width: ref.width, height: ref.height }, `level ${level} is GDAL's ${level === 0 ? 'full resolution' : `overview ${level - 1}`}`).toEqual(size)
  const plane = ref.width * ref.height
  let differ = 0
  let samples = 0
  const first: string[] = []
  for (let row = 0; row < Math.ceil(size.height / tileSize); row++) {
    for (let col = 0; col < Math.ceil(size.width / tileSize); col++) {
      const tile = await source.readTile(level, col, row)
      const left = col * tileSize
      const top = row * tileSize
      expect([tile.width, tile.height]).toEqual([Math.min(tileSize, size.width - left), Math.min(tileSize, size.height - top)])
      for (let y = 0; y < tile.height; y++) {
        for (let x = 0; x < tile.width; x++) {
          const i = (top + y) * ref.width + left + x
          const t = (y * tile.width + x) * tileChannels
          const bands = tileKind === 'rgba8' ? 3 : ref.bands
          for (let b = 0; b < bands; b++) {
            samples++
            const actual = tile.data[t + b]!
            const expected = ref.data[b * plane + i]!
            if (!same(actual, expected, tolerance)) {
              differ++
              if (first.length < 5) first.push(`level ${level} pixel (${left + x}, ${top + y}) band ${b + 1}: Tessera ${actual}, GDAL ${expected}`)
            }
          }
          if (tileKind === 'rgba8' && tile.data[t + 3] !== 255) {
            differ++
            if (first.length < 5) first.push(`level ${level} pixel (${left + x}, ${top + y}): alpha ${tile.data[t + 3]}, opaque in GDAL`)
          }
        }
      }
    }
  }
  expect(samples).toBe(plane * (tileKind === 'rgba8' ? 3 : ref.bands))
  expect(differ, `${differ} of ${samples} samples differ from GDAL's /vsicurl/ read: ${first.join('; ')}`).toBe(0)
}

/** Opens `url` and compares every level with GDAL's read of it. */
async function expectAsGdal(url: string, tolerance = 0): Promise<RasterSource> {
  const source = await open(url)
  const info = source.info
  expect(info.strategy).toBe('tiled')
  expect(info.levels.length, 'the COG has overviews, each a level').toBeGreaterThan(2)
  for (let level = 0; level < info.levels.length; level++) await expectLevelAsGdal(source, url, level, tolerance)
  return source
}

const rgb = { colorInterp: ['Red', 'Green', 'Blue'] }

describe('a COG opened by URL reads as GDAL reads the same URL', () => {
  it.each([
    ['DEFLATE Int16, PREDICTOR=2', 'int16', ['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=YES']],
    ['DEFLATE Float32, floating-point predictor', 'float32', ['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=FLOATING_POINT']],
    ['LZW UInt16', 'uint16', ['-co', 'COMPRESS=LZW']],
    ['ZSTD Float32', 'float32', ['-co', 'COMPRESS=ZSTD']],
    ['LERC Float32 (MAX_Z_ERROR=0)', 'float32', ['-co', 'COMPRESS=LERC', '-co', 'MAX_Z_ERROR=0']],
    ['uncompressed Float64', 'float64', ['-co', 'COMPRESS=NONE']],
    ['DEFLATE UInt8', 'uint8', ['-co', 'COMPRESS=DEFLATE']],
    ['DEFLATE UInt32', 'uint32', ['-co', 'COMPRESS=DEFLATE']],
    ['DEFLATE Int32', 'int32', ['-co', 'COMPRESS=DEFLATE']]
  ] as const)('%s: level 0 and every overview', async (label, type, args) => {
    const url = await cog(`value-${label.replace(/\W+/g, '-')}`, gdal.valueGrid(W, H, 1, type, 3), [...args, '-co', 'RESAMPLING=NEAREST'])
    const source = await expectAsGdal(url)
    const info = source.info
    expect(info.sampleType).toBe(type)
    expect(info.tileKind).toBe('bands')
    // Statistics from the smallest overview only: an estimate, said so.
    expect(info.statistics?.exact).toBe(false)
    expect(info.statisticsState ?? 'final').toBe('final')
  })

  it('LZW 8-bit RGB: level 0 and every overview exactly, the info naming the URL, size and date', async () => {
    const url = await cog('lzw-rgb', gdal.rgbImage(W, H), ['-co', 'COMPRESS=LZW'], rgb)
    const source = await expectAsGdal(url)
    const info = source.info
    expect(info.name).toBe('lzw-rgb.tif')
    const [served] = sharedRemoteFiles().filesOf(url)
    expect(info.source).toEqual({ kind: 'url', url, size: served!.info.size, lastModified: served!.info.lastModified, wholeBody: false })
    expect(info.fileSize).toBe(served!.info.size)
    expect(Date.parse((info.source as RemoteSource).lastModified!)).toBeGreaterThan(0)
  })

  it('lossless WebP RGB: exactly', async () => {
    const url = await cog('webp-lossless', gdal.rgbImage(W, H), ['-co', 'COMPRESS=WEBP', '-co', 'QUALITY=100'], rgb)
    await expectAsGdal(url)
  })

  it("a 3-band Float32 raster with no-data keeps its bands and no-data as GDAL reads them", async () => {
    const url = await cog('float-holes', gdal.floatWithHoles(W, H), ['-co', 'COMPRESS=DEFLATE'], { noData: -9999 })
    const source = await expectAsGdal(url)
    expect(source.info.noData).toBe(-9999)
  })
})

describe('a JPEG COG', () => {
  it('sends its stored JPEG tiles as they are, which decode within ±3 of GDAL; the host decodes them within ±5', async () => {
    const url = await cog('jpeg', gdal.rgbImage(1024, 768), ['-co', 'COMPRESS=JPEG', '-co', 'QUALITY=90'], rgb)
    const source = await open(url)
    expect(source.info.compression).toMatch(/JPEG/)
    const ref = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir)
    const stored = await source.readTileAs!(0, 1, 1, new Set(['jpeg']))
    expect(isEncodedTile(stored), 'a stored JPEG tile').toBe(true)
    if (!isEncodedTile(stored)) return
    expect([stored.encoding, stored.width, stored.height]).toEqual(['jpeg', 256, 256])
    const { data, info } = await sharp(stored.bytes).raw().toBuffer({ resolveWithObject: true })
    const plane = ref.width * ref.height
    let worst = 0
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        for (let c = 0; c < 3; c++) {
          const expected = ref.data[c * plane + (256 + y) * ref.width + 256 + x]!
          worst = Math.max(worst, Math.abs(data[(y * info.width + x) * info.channels + c]! - expected))
        }
      }
    }
    expect(worst, 'largest difference of the stored tile, decoded, from GDAL').toBeLessThanOrEqual(3)
    // Every tile decoded by the host (a client that takes no JPEG): geotiff.js, whose chroma
    // upsampling is not libjpeg's "fancy" one: within ±5 of GDAL (19 samples of 2.4 million differ by 5).
    await expectLevelAsGdal(source, url, 0, 5)
  })
})

describe('tiles withdrawn while their ranges are in flight', () => {
  it('abort their requests: no byte is received for them after, and the next reads are served', async () => {
    const name = 'slow-dem'
    await cog(name, gdal.valueGrid(1500, 1500, 1, 'float32', 4), ['-co', 'COMPRESS=DEFLATE'])
    const url = proxy.url(`/${name}.tif`)
    const source = await open(url)
    proxy.reset()
    proxy.always = { latencyMs: 400 }
    const controller = new AbortController()
    const reads = [0, 1, 2, 3].map((col) => source.readTile(0, col, 2, controller.signal))
    const until = Date.now() + 10_000
    while (proxy.active() === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(proxy.active(), 'range requests in flight').toBeGreaterThan(0)
    controller.abort()
    for (const read of reads) await expect(read).rejects.toMatchObject({ name: 'AbortError' })
    await proxy.idle(5000)
    const asked = proxy.requests.filter((r) => r.method === 'GET')
    expect(asked.length).toBeGreaterThan(0)
    expect(asked.every((r) => r.clientClosedEarly), 'every request was left by the client').toBe(true)
    const [file] = sharedRemoteFiles().filesOf(url)
    expect(file!.stats().bytesAfterAbort).toBe(0)
    // Nothing is stuck: the same tiles read afterwards come.
    proxy.always = null
    const tile = await source.readTile(0, 1, 2)
    expect([tile.width, tile.height]).toEqual([256, 256])
  })
})

describe('a file replaced on the server while open', () => {
  it("fails the next read of a block not yet fetched as a changed file's (the service then reopens it), and a new open serves the new pixels", async () => {
    const url = await cog('replaced', gdal.valueGrid(W, H, 1, 'int16', 11), ['-co', 'COMPRESS=DEFLATE'])
    const source = await open(url)
    const before = await source.readTile(0, 0, 0)
    // Written beside it, then renamed over it: nginx's ETag (time and size) changes.
    await gdal.gdalRaster(tmp.dir, 'replaced-next', gdal.valueGrid(W, H, 1, 'int16', 12), ['-of', 'COG', '-co', 'BLOCKSIZE=256', '-co', 'COMPRESS=DEFLATE'])
    utimesSync(tmp.file('replaced-next.tif'), new Date(), new Date(Date.now() + 5000))
    renameSync(tmp.file('replaced-next.tif'), tmp.file('replaced.tif'))
    await expect(source.readTile(0, 3, 2)).rejects.toMatchObject({ name: 'FileChangedError' })
    const reopened = await open(url)
    const after = await reopened.readTile(0, 0, 0)
    const ref = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir, ['-srcwin', '0', '0', '256', '256'])
    expect(Array.from(after.data.subarray(0, 1000))).toEqual(Array.from(ref.data.subarray(0, 1000)))
    expect(Array.from(after.data.subarray(0, 1000))).not.toEqual(Array.from(before.data.subarray(0, 1000)))
  })
})

describe('what does not open, by URL', () => {
  it('names an HTML page as not a TIFF, with what the server answered', async () => {
    writeFileSync(tmp.file('page.html'), '<!DOCTYPE html><html><body>Not here</body></html>\n'.repeat(20))
    const url = nginx.url('/page.html')
    await expect(openRasterLocation(url, opts())).rejects.toThrow(`Cannot open ${url}: it is not a TIFF: the server answered text/html`)
  })

  it('names a 404 by its status', async () => {
    const url = nginx.url('/missing.tif')
    await expect(openRasterLocation(url, opts())).rejects.toThrow(new RegExp(`^Cannot open ${url.replace(/[.?]/g, '\\$&')}: .*404`))
  })

  it('refuses other schemes without fetching anything', async () => {
    await expect(openRasterLocation('file:///etc/passwd', opts())).rejects.toThrow('Cannot open file:///etc/passwd: only http and https URLs are opened, not file URLs')
    await expect(openRasterLocation('ftp://example.com/dem.tif', opts())).rejects.toThrow(/not ftp URLs/)
  })

  it('opens the next file after a failure', async () => {
    const url = await cog('after-failures', gdal.valueGrid(300, 200, 1, 'int16', 5), ['-co', 'COMPRESS=DEFLATE'])
    const source = await open(url)
    expect(source.info.width).toBe(300)
    expect((await source.readTile(0, 0, 0)).width).toBe(256)
  })

  it('names the location of a remote raster in its jobs by URL, version and size', () => {
    expect(remoteLocation({ url: 'https://x.test/a b.tif', version: '"abc 1"', size: 12 })).toBe('remote:%22abc%201%22 12 https://x.test/a b.tif')
  })
})
