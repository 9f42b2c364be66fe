/**
 * Issue 23, a value raster opens at once: it opens with provisional statistics (a few blocks spread
 * over it), its whole-raster statistics follow from the background lane, once, in an `info-update`
 * event of the service for that raster id, and never after it is closed. A striped LZW Float32
 * raster, written by GDAL, reads exactly as GDAL reads it through Tessera's own LZW decoder.
 */
import { describe, expect, it } from 'vitest'
import { openRaster } from '../../src/main/raster'
import { TextureService } from '../../src/main/service'
import type { RasterHooks } from '../../src/main/service/types'
import type { RasterInfo } from '../../src/shared/raster'
import * as gdal from '../helpers/gdal'
import { useRasterCorpus } from '../helpers/rasterCorpus'
import { MemorySink, serviceOpen } from '../helpers/serviceFixtures'

const corpus = useRasterCorpus('provisional-statistics')
const { tmp, opened, opts } = corpus

/** A 1000 × 800 Float32 DEM in GDAL's default strips, LZW + predictor, no-data −32768 in a disk and a strip. */
async function stripedDem(name: string): Promise<string> {
  const dem = gdal.demInt16(1000, 800)
  const data = Float32Array.from(dem.data, (v, i) => (v === -32768 ? v : v + (i % 7) / 8))
  return gdal.gdalRaster(tmp.dir, name, { ...dem, type: 'float32', data }, ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2'], { noData: -32768 })
}

/** GDAL's own statistics of the whole raster (`gdalinfo -stats`, exact). */
async function gdalMinMax(path: string): Promise<{ min: number; max: number }> {
  const info = (await gdal.gdalInfo(path, ['-stats'])) as unknown as { bands: Array<{ minimum: number; maximum: number }> }
  return { min: info.bands[0]!.minimum, max: info.bands[0]!.maximum }
}

describe('a value raster opening with provisional statistics', () => {
  it('opens with provisional statistics and is given the whole raster’s once, as GDAL computes them', async () => {
    const path = await stripedDem('dem-final')
    const finals: RasterInfo[] = []
    const source = await openRaster(path, opts({ onStatistics: (info) => finals.push(structuredClone(info)) }))
    opened.push(source)
    expect(source.info.statisticsState).toBe('provisional')
    expect(source.info.statistics).not.toBeNull()
    await expect.poll(() => finals.length, { timeout: 30_000 }).toBe(1)
    const final = finals[0]!
    expect(final.statisticsState).toBe('final')
    expect(source.info.statisticsState).toBe('final')
    // 800 000 pixels are read whole: the figures are exact, GDAL's.
    expect(final.statistics!.exact).toBe(true)
    expect({ min: final.statistics!.min, max: final.statistics!.max }).toEqual(await gdalMinMax(path))
    expect(final.bandInfo[0]!.statistics).toEqual(final.statistics)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(finals).toHaveLength(1)
  })

  it('a raster small enough to read at open is final at once, and nothing follows', async () => {
    const dem = gdal.demInt16(300, 200)
    const path = await gdal.gdalRaster(tmp.dir, 'small', dem, ['-co', 'COMPRESS=LZW'], { noData: -32768 })
    let called = 0
    const source = await openRaster(path, opts({ onStatistics: () => called++ }))
    opened.push(source)
    expect(source.info.statisticsState).toBe('final')
    expect(source.info.statistics!.exact).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(called).toBe(0)
  })

  it('a raster closed before its statistics are in never gets them', async () => {
    const path = await stripedDem('dem-closed')
    let called = 0
    const source = await openRaster(path, opts({ onStatistics: () => called++ }))
    expect(source.info.statisticsState).toBe('provisional')
    await source.close()
    // A second open of the same file gets its own, so the first had every chance to speak.
    const again: RasterInfo[] = []
    const second = await openRaster(path, opts({ onStatistics: (info) => again.push(info) }))
    opened.push(second)
    await expect.poll(() => again.length, { timeout: 30_000 }).toBe(1)
    expect(called).toBe(0)
  })

  it('reads level 0 of a striped LZW + predictor Float32 raster exactly as GDAL does', async () => {
    const path = await stripedDem('dem-pixels')
    const source = await openRaster(path, opts())
    opened.push(source)
    for (const [col, row] of [[0, 0], [1, 1], [3, 3]] as const) {
      const tile = await source.readTile(0, col, row)
      const window = ['-srcwin', String(col * 256), String(row * 256), String(tile.width), String(tile.height)]
      const expected = await gdal.gdalRead(path, tmp.dir, window)
      expect(Array.from(new Float32Array(tile.data.buffer, tile.data.byteOffset, tile.width * tile.height))).toEqual(Array.from(expected.data))
    }
  })
})

describe('the info-update event', () => {
  function serviceWith(extra: (hooks: RasterHooks) => Partial<Parameters<typeof openRaster>[1]> = () => ({})) {
    const sink = new MemorySink()
    const service = new TextureService({
      sink,
      maxWorkers: 2,
      openRaster: (path, hooks) => openRaster(path, opts({ onStatistics: hooks.onStatistics, ...extra(hooks) }))
    })
    return { sink, service }
  }

  it('is sent once, for the raster id the open gave, with the final statistics', async () => {
    const path = await stripedDem('dem-service')
    const { sink, service } = serviceWith()
    try {
      const first = await serviceOpen(service, path)
      expect(first.info.statisticsState).toBe('provisional')
      await sink.until(() => sink.ofType('info-update').length > 0)
      const [update, ...more] = sink.ofType('info-update')
      expect(more).toHaveLength(0)
      expect(update!.rasterId).toBe(first.rasterId)
      expect(update!.statisticsState).toBe('final')
      expect({ min: update!.statistics!.min, max: update!.statistics!.max }).toEqual(await gdalMinMax(path))
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(sink.ofType('info-update')).toHaveLength(1)
    } finally {
      await service.close()
    }
  })

  it('is not sent for a raster closed while its statistics were on their way', async () => {
    const path = await stripedDem('dem-service-closed')
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let arrived!: () => void
    const computed = new Promise<void>((resolve) => (arrived = resolve))
    // The statistics are computed, then held back until the raster is closed: they reach the service after.
    const { sink, service } = serviceWith((hooks) => ({
      onStatistics: (info: RasterInfo) => {
        arrived()
        void held.then(() => hooks.onStatistics?.(info))
      }
    }))
    try {
      const first = await serviceOpen(service, path)
      await computed
      const reply = (await service.receive({ type: 'close', id: 2, rasterId: first.rasterId })) as { type: string }
      expect(reply.type).toBe('reply')
      release()
      await held
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(sink.ofType('info-update')).toHaveLength(0)
    } finally {
      await service.close()
    }
  })
})
