/**
 * A raster read in place whose file has no overviews (GDAL's default striped GeoTIFF, a tiled TIFF
 * without gdaladdo): its coarse levels come from an overview decoded once in the background,
 * averaging valid samples only, equal to the block means of GDAL's own read of the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import { openRaster, type OpenOptions } from '../../src/main/raster'
import { demInt16, gdalRead, requireGdal, translate, writeSource } from '../helpers/gdal'
import { tempDir } from '../helpers/images'

const tmp = tempDir('tessera-overview-')
let pool: DecodePool
let background: DecodePool
const opts = (extra: OpenOptions = {}): OpenOptions => ({ pool, backgroundPool: background, cacheDir: tmp.file('cache'), ...extra })

beforeAll(() => {
  requireGdal()
  pool = createDecodePool({ size: 2, name: 'overview test tiles' })
  background = createDecodePool({ size: 1, name: 'overview test background' })
})
afterAll(async () => {
  await Promise.all([pool.close(), background.close()])
  tmp.cleanup()
})

/** Mean of the valid samples of the factor × factor block at (bx, by), rounded; null when none is valid. */
function blockMean(data: ArrayLike<number>, width: number, height: number, factor: number, bx: number, by: number, noData: number): number | null {
  let sum = 0
  let count = 0
  for (let y = by * factor; y < Math.min(height, (by + 1) * factor); y++) {
    for (let x = bx * factor; x < Math.min(width, (bx + 1) * factor); x++) {
      const v = data[y * width + x]!
      if (v === noData) continue
      sum += v
      count++
    }
  }
  return count === 0 ? null : Math.round(sum / count) + 0 // + 0: -0 is 0 in an Int16Array
}

describe('coarse levels of a file without overviews', () => {
  it('serves a striped Int16 DEM in place, its coarse levels from an overview that never mixes no-data', async () => {
    const width = 3000
    const height = 2200
    const noData = -32768
    const source = writeSource(tmp.dir, 'dem', demInt16(width, height, noData), { noData })
    const path = tmp.file('dem-striped.tif')
    await translate(source, path, ['-co', 'COMPRESS=DEFLATE']) // GDAL's default layout: strips of a few rows
    const reference = await gdalRead(path, tmp.dir)
    const backgroundJobs = background.stats().completed
    let replaced!: () => void
    const exactServes = new Promise<void>((resolve) => (replaced = resolve))
    const raster = await openRaster(path, opts({ overviewMaxSide: 800, onPyramidReady: () => replaced() }))
    expect(raster.info.strategy).toBe('tiled')
    // Levels: 3000, 1500, 750 (the first within 800: the overview starts there, a 4× reduction).
    expect(raster.info.levels[2]).toEqual({ width: 750, height: 550 })
    // First from the quick overview: each row the mean of the valid samples of the one strip row in
    // the middle of its 4 rows (GDAL's default strips here hold 1 row), never mixing no-data.
    const quickTile = await raster.readTile(2, 1, 1)
    let approximate = 0
    for (let y = 0; y < quickTile.height; y++) {
      const middle = (256 + y) * 4 + 2
      for (let x = 0; x < quickTile.width; x++) {
        const row = reference.data.subarray(middle * width, (middle + 1) * width)
        const expected = blockMean(row, width, 1, 4, 256 + x, 0, noData) ?? noData
        expect(quickTile.data[y * quickTile.width + x], `quick level-2 pixel (${256 + x}, ${256 + y})`).toBe(expected)
        if (expected !== blockMean(reference.data, width, height, 4, 256 + x, 256 + y, noData)) approximate++
      }
    }
    expect(approximate).toBeGreaterThan(0) // a sample, not the exact overview
    // Then the exact overview replaces it, and says so (the renderer asks those tiles again).
    await exactServes
    const tile = await raster.readTile(2, 1, 1)
    let compared = 0
    for (let y = 0; y < tile.height; y++) {
      for (let x = 0; x < tile.width; x++) {
        const expected = blockMean(reference.data, width, height, 4, 256 + x, 256 + y, noData) ?? noData
        expect(tile.data[y * tile.width + x], `level-2 pixel (${256 + x}, ${256 + y})`).toBe(expected)
        compared++
      }
    }
    expect(compared).toBe(256 * 256)
    // The overview was decoded once, in the background lane (with the whole-raster statistics at most); every coarse tile is cut from it.
    expect(background.stats().completed - backgroundJobs).toBeGreaterThanOrEqual(1)
    expect(background.stats().completed - backgroundJobs).toBeLessThanOrEqual(2)
    const tileJobs = pool.stats().completed
    await raster.readTile(2, 0, 0)
    await raster.readTile(3, 0, 0)
    expect(pool.stats().completed).toBe(tileJobs + 2) // two cuts, no region decode of the file
    // Coarser levels: halvings of the overview, with no value outside the valid range but no-data itself.
    const coarsest = raster.info.levels.length - 1
    const top = await raster.readTile(coarsest, 0, 0)
    const values = Array.from(top.data as Int16Array)
    expect(values.every((v) => v === noData || (v >= -120 && v <= 4000))).toBe(true)
    expect(values.some((v) => v === noData)).toBe(true)
    // Level 0 stays exact.
    const fine = await raster.readTile(0, 3, 2)
    for (let y = 0; y < fine.height; y += 37) {
      for (let x = 0; x < fine.width; x += 41) {
        expect(fine.data[y * fine.width + x]).toBe(reference.data[(512 + y) * width + 768 + x])
      }
    }
    await raster.close()
  })
})
