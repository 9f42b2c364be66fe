/**
 * The class legend of a land cover written by GDAL (issue 23): the probe counts its classes over
 * every pixel as GDAL's histogram does (no-data left out), and the legend lists the six classes the
 * pixels use — not the 256 entries of its colour table, nor the two classes its tables define and no
 * pixel uses — each in the colour `gdalinfo` gives and by the name of its attribute table.
 */
import { describe, expect, it } from 'vitest'
import { openRaster } from '../../src/main/raster'
import { classLegendRows } from '../../src/renderer/view/classLegendRows'
import * as gdal from '../helpers/gdal'
import { useRasterCorpus } from '../helpers/rasterCorpus'
import { USED_CLASSES, landCover } from '../helpers/landCover'

const { tmp, opened, opts } = useRasterCorpus('class-legend')

const W = 301
const H = 203

/** GDAL's histogram of band 1 over every pixel (256 buckets of one value each for a Byte band), its trailing zeros cut. */
async function gdalClassCounts(path: string): Promise<number[]> {
  // Without PAM: the histogram is not written into the .aux.xml that holds the attribute table.
  const json = JSON.parse(await gdal.gdal('gdalinfo', ['--config', 'GDAL_PAM_ENABLED', 'NO', '-json', '-hist', path])) as {
    bands: Array<{ histogram: { count: number; min: number; max: number; buckets: number[] } }>
  }
  const histogram = json.bands[0]!.histogram
  expect([histogram.count, histogram.min, histogram.max], 'one bucket per byte value').toEqual([256, -0.5, 255.5])
  const buckets = [...histogram.buckets]
  while (buckets.at(-1) === 0) buckets.pop()
  return buckets
}

describe('the class legend of a land cover written by GDAL', () => {
  it('counts each class over every pixel as GDAL\'s histogram does, no-data left out, and lists the six used, coloured and named as GDAL reads them', async () => {
    const { grid, source } = landCover(W, H)
    const path = await gdal.gdalRaster(tmp.dir, 'landcover', grid, ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'], source)
    const reference = await gdal.gdalInfo(path)
    const gdalTable = reference.bands[0]!.colorTable!
    expect(gdalTable.count, 'GDAL pads the colour table to 256 entries').toBe(256)
    const raster = await openRaster(path, opts())
    opened.push(raster)
    const { info } = raster
    expect(info.noData).toBe(0)
    expect(info.palette, 'a land cover with a no-data value keeps its colour table').toHaveLength(256)
    const statistics = info.bandInfo[0]!.statistics!
    expect(statistics.exact).toBe(true)
    expect(statistics.classCounts).toEqual(await gdalClassCounts(path))

    const legend = classLegendRows(info)!
    expect(legend.source).toBe('every-pixel')
    expect(legend.paletteEntries).toBe(256)
    expect(legend.rows.map((r) => r.value)).toEqual(USED_CLASSES.map((c) => c.value))
    for (const row of legend.rows) {
      expect(row.colour, `class ${row.value}'s colour as gdalinfo gives it`).toEqual(gdalTable.entries[row.value])
      expect(row.name).toBe(USED_CLASSES.find((c) => c.value === row.value)!.name)
    }
    expect(legend.rows.reduce((sum, r) => sum + r.share!, 0)).toBeCloseTo(1, 12)
  })
})
