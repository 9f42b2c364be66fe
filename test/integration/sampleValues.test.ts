/**
 * `sample-values` through a real TextureService (real decode workers) on GeoTIFFs written by GDAL:
 * the values at level-0 pixels are `gdallocationinfo`'s, no-data is null, and bad calls are refused
 * with a clear error (issue 23, the profile's reference values).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import { MAX_SAMPLE_TILES } from '../../src/main/service/sampleValues'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import { MESSAGE_LIMITS, type SampledValues } from '../../src/shared/calls'
import type { OpenedRaster, ServerMessage } from '../../src/shared/protocol'
import { demInt16, floatWithHoles, gdalRaster, requireGdal, rgbImage } from '../helpers/gdal'
import { gdalLocationValues } from '../helpers/locationInfo'
import { MemorySink, serviceCall, serviceOpen } from '../helpers/serviceFixtures'

requireGdal()

let dir: string
let service: TextureService
const NO_DATA = -9999

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-sample-values-'))
  service = new TextureService({ sink: new MemorySink(), openRaster: rasterOpener, maxWorkers: 2 })
})

afterAll(async () => {
  await service.close()
  await closeRasterRuntime()
  rmSync(dir, { recursive: true, force: true })
})

function sample(rasterId: string, points: Array<{ x: number; y: number }>): Promise<SampledValues[]> {
  return serviceCall<SampledValues[]>(service, { type: 'sample-values', id: 7, rasterId, points })
}

async function refusal(message: Record<string, unknown>): Promise<{ code: string; message: string }> {
  const reply = (await service.receive({ type: 'sample-values', id: 8, ...message })) as ServerMessage
  if (reply.type !== 'reply-error') throw new Error(`expected a refusal, got ${JSON.stringify(reply)}`)
  return reply.error
}

/** Pixels spread over the raster (tile corners and edges included), inside it. */
function spreadPixels(width: number, height: number): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [
    { x: 0, y: 0 },
    { x: width - 1, y: height - 1 },
    { x: 255, y: 255 },
    { x: 256, y: 256 },
    { x: 10.7, y: 10.2 }
  ]
  for (let i = 0; i < 40; i++) out.push({ x: (i * 37 + 3) % width, y: (i * 53 + 11) % height })
  return out
}

describe('sample-values', () => {
  it("gives gdallocationinfo's Float32 values at level-0 pixels of a striped LZW GeoTIFF, no data as null", async () => {
    const grid = floatWithHoles(600, 500, NO_DATA)
    const path = await gdalRaster(dir, 'depth', grid, ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=3'], {
      noData: NO_DATA,
      srs: 'EPSG:32631',
      geoTransform: [500000, 2, 0, 5600000, 0, -2]
    })
    const opened = await serviceOpen(service, path)
    const pixels = spreadPixels(600, 500)
    const got = await sample(opened.rasterId, pixels)
    const expected = await gdalLocationValues(path, pixels)
    let holes = 0
    pixels.forEach((p, i) => {
      const gdalValue = expected[i]![0]!
      if (gdalValue === NO_DATA) {
        holes++
        expect(got[i], `pixel ${p.x},${p.y}`).toEqual([null])
      } else {
        // GDAL prints %.15g: the Float32 sample is the float nearest its figure.
        expect(got[i]![0], `pixel ${p.x},${p.y}`).toBe(Math.fround(gdalValue))
      }
    })
    expect(holes).toBeGreaterThan(0)
  })

  it("gives gdallocationinfo's Int16 values of a tiled DEFLATE DEM", async () => {
    const grid = demInt16(700, 520)
    const path = await gdalRaster(dir, 'dem', grid, ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'], { noData: -32768 })
    const opened = await serviceOpen(service, path)
    const pixels = spreadPixels(700, 520)
    const got = await sample(opened.rasterId, pixels)
    const expected = await gdalLocationValues(path, pixels)
    pixels.forEach((p, i) => expect(got[i], `pixel ${p.x},${p.y}`).toEqual(expected[i]![0] === -32768 ? [null] : expected[i]))
    expect(got[4]).toEqual([331]) // (10.7, 10.2) is pixel (10, 10)
  })

  it('gives null for a point outside the raster', async () => {
    const path = await gdalRaster(dir, 'small', demInt16(300, 200), [], { noData: -32768 })
    const opened = await serviceOpen(service, path)
    expect(await sample(opened.rasterId, [{ x: -0.5, y: 3 }, { x: 300, y: 0 }, { x: 12, y: 200.5 }, { x: 11, y: 10 }])).toEqual([null, null, null, [-45]])
  })

  it("gives every band of a pixel-interleaved RGB GeoTIFF as gdallocationinfo does", async () => {
    const path = await gdalRaster(dir, 'rgb', rgbImage(300, 280), ['-co', 'INTERLEAVE=PIXEL'])
    const opened = await serviceOpen(service, path)
    const pixels = spreadPixels(300, 280)
    expect(await sample(opened.rasterId, pixels)).toEqual(await gdalLocationValues(path, pixels, 3))
  })

  it('refuses a raster of colour tiles (a PNG), naming it', async () => {
    const path = await gdalRaster(dir, 'photo', rgbImage(64, 64), ['-of', 'PNG'], {}, 'png')
    const opened = await serviceOpen(service, path)
    expect(opened.info.tileKind).toBe('rgba8')
    const error = await refusal({ rasterId: opened.rasterId, points: [{ x: 1, y: 1 }] })
    expect(error.code).toBe('not-allowed')
    expect(error.message).toContain('photo.png')
  })

  describe('refuses a bad call clearly', () => {
    let opened: OpenedRaster
    beforeAll(async () => {
      opened = await serviceOpen(service, await gdalRaster(dir, 'big', demInt16(256 * 5, 256 * 4), ['-co', 'TILED=YES'], { noData: -32768 }))
    })

    it('more points than the limit', async () => {
      const points = Array.from({ length: MESSAGE_LIMITS.maxSamplePoints + 1 }, () => ({ x: 1, y: 1 }))
      const error = await refusal({ rasterId: opened.rasterId, points })
      expect(error).toMatchObject({ code: 'bad-message' })
      expect(error.message).toContain(`array of at most ${MESSAGE_LIMITS.maxSamplePoints} points`)
    })

    it('points spread over more tiles than one call reads', async () => {
      const points = Array.from({ length: 20 }, (_, i) => ({ x: (i % 5) * 256 + 1, y: Math.floor(i / 5) * 256 + 1 }))
      const error = await refusal({ rasterId: opened.rasterId, points })
      expect(error.code).toBe('bad-message')
      expect(error.message).toContain(`at most ${MAX_SAMPLE_TILES} level-0 tiles`)
      expect(error.message).toContain('received points in 20 tiles')
    })

    it('a point that is not a pair of finite numbers', async () => {
      for (const point of [{ x: 'a', y: 1 }, { x: 1 }, { x: Number.NaN, y: 0 }, [1, 2], null]) {
        const error = await refusal({ rasterId: opened.rasterId, points: [{ x: 0, y: 0 }, point] })
        expect(error.code).toBe('bad-message')
        expect(error.message).toContain('points[1]')
      }
    })

    it('an unknown raster', async () => {
      expect((await refusal({ rasterId: 'r999', points: [] })).code).toBe('unknown-raster')
    })
  })
})
