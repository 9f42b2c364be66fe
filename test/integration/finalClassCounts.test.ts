/**
 * A paletted raster's class counts hand over from the provisional statistics it opens with (blocks
 * spread over it: a rare class may be missed) to the whole-raster pass that follows, which counts
 * every pixel as GDAL's histogram does even where its value statistics read a strided sample
 * (above 4 Mpx); the legend then lists the exact classes and says every pixel was counted.
 */
import { describe, expect, it } from 'vitest'
import { openRaster, type RasterInfo } from '../../src/main/raster'
import { classLegendRows } from '../../src/renderer/view/classLegendRows'
import { withFinalStatistics } from '../../src/renderer/view/finalStatistics'
import * as gdal from '../helpers/gdal'
import { useRasterCorpus } from '../helpers/rasterCorpus'
import { landCover } from '../helpers/landCover'

const { tmp, opened, opts } = useRasterCorpus('final-class-counts')

/** GDAL's histogram of band 1 over every pixel (one bucket per byte value), its trailing zeros cut. */
async function gdalClassCounts(path: string): Promise<number[]> {
  const json = JSON.parse(await gdal.gdal('gdalinfo', ['--config', 'GDAL_PAM_ENABLED', 'NO', '-json', '-hist', path])) as {
    bands: Array<{ histogram: { count: number; min: number; max: number; buckets: number[] } }>
  }
  const histogram = json.bands[0]!.histogram
  expect([histogram.count, histogram.min, histogram.max], 'one bucket per byte value').toEqual([256, -0.5, 255.5])
  const buckets = [...histogram.buckets]
  while (buckets.at(-1) === 0) buckets.pop()
  return buckets
}

const RARE_CLASS = 7

describe('the class counts of a paletted raster after its open', () => {
  it('come from every pixel in the final statistics, equal to gdalinfo -hist, and the legend lists the class the provisional sample missed', async () => {
    // 4.3 Mpx, in GDAL's default strips: the final value statistics read a strided sample of it.
    const width = 2400
    const height = 1800
    const { grid, source } = landCover(width, height)
    const data = grid.data as Uint8Array
    for (let y = 1000; y < 1006; y++) for (let x = 1500; x < 1506; x++) data[y * width + x] = RARE_CLASS // 36 pixels between the sampled strips
    const colorTable = [...source.colorTable!]
    colorTable[RARE_CLASS] = [250, 20, 200, 255]
    const path = await gdal.gdalRaster(tmp.dir, 'landcover-striped', grid, ['-co', 'COMPRESS=DEFLATE'], { ...source, colorTable })
    let final!: (info: RasterInfo) => void
    const finalInfo = new Promise<RasterInfo>((resolve) => (final = resolve))
    const raster = await openRaster(path, opts({ onStatistics: (info) => final(structuredClone(info)) }))
    opened.push(raster)
    const provisional = structuredClone(raster.info)
    expect(provisional.statisticsState).toBe('provisional')
    const before = provisional.bandInfo[0]!.statistics!
    expect(before.exact).toBe(false)
    expect(before.classCounts![RARE_CLASS] ?? 0, 'the provisional sample misses the rare class (the test needs it)').toBe(0)
    const provisionalLegend = classLegendRows(provisional)!
    expect(provisionalLegend.source).toBe('reduction')
    expect(provisionalLegend.rows.map((r) => r.value)).not.toContain(RARE_CLASS)

    const info = await finalInfo
    expect(info.statisticsState).toBe('final')
    const after = info.bandInfo[0]!.statistics!
    expect(after.exact).toBe(true)
    const reference = await gdalClassCounts(path)
    expect(after.classCounts).toEqual(reference)
    expect(after.classCounts![RARE_CLASS]).toBe(36)
    // Min and max are the classes present, valid pixels only (no-data 0 left out).
    expect(after.min).toBe(reference.findIndex((n, value) => value !== 0 && n > 0))
    expect(after.max).toBe(reference.length - 1)

    // The renderer's hand-over: the info-update's statistics in place of the provisional ones.
    const shown = withFinalStatistics(provisional, { bandInfo: info.bandInfo, statistics: info.statistics })
    const legend = classLegendRows(shown)!
    expect(legend.source).toBe('every-pixel')
    expect(legend.rows.map((r) => r.value)).toContain(RARE_CLASS)
    expect(legend.rows.find((r) => r.value === RARE_CLASS)!.share).toBeCloseTo(36 / reference.reduce((sum, n, value) => (value === 0 ? sum : sum + n), 0), 12)
  })
})
