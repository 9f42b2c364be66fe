/**
 * How multi-band rasters written by GDAL open (issue 20): with red, green and blue when the file's
 * colour interpretation or band descriptions say which they are, every band described as
 * `gdalinfo -json` describes it and with statistics of its own, and each band of the composite
 * stretched 2–98 % by default, 8-bit ones too; a grey 8-bit scan stays 0–255 and an RGB photo a
 * picture.
 */
import { describe, expect, it } from 'vitest'
import { openRaster, type RasterSource } from '../../src/main/raster'
import { defaultBandRanges, defaultDisplayBands } from '../../src/renderer/view/bandPixels'
import type { SampleType } from '../../src/shared/raster'
import * as gdal from '../helpers/gdal'
import { useRasterCorpus } from '../helpers/rasterCorpus'

const { tmp, opened, opts } = useRasterCorpus('composite')

const W = 301
const H = 203

/** A GDAL-written tiled GeoTIFF of `bands` bands of `type`, with GDAL's band descriptions and colour interpretations. */
async function make(name: string, bands: number, type: SampleType, source: gdal.SourceOptions, args: string[] = ['-co', 'TILED=YES']): Promise<string> {
  return gdal.gdalRaster(tmp.dir, name, gdal.valueGrid(W, H, bands, type, bands), args, source)
}

async function open(path: string): Promise<RasterSource> {
  const source = await openRaster(path, opts())
  opened.push(source)
  return source
}

const LANDSAT = ['Blue', 'Green', 'Red', 'NIR', 'SWIR1', 'SWIR2']

describe('a multi-band raster opens as a composite', () => {
  it('shows a 6-band Landsat scene described Blue, Green, Red, NIR, SWIR1, SWIR2 as bands 3-2-1, each described as GDAL reads it', async () => {
    const path = await make('landsat-described', 6, 'uint8', { descriptions: LANDSAT })
    const reference = await gdal.gdalInfo(path)
    const { info } = await open(path)
    expect(info.tileKind).toBe('bands')
    expect(info.displayBands).toEqual([2, 1, 0])
    expect(defaultDisplayBands(info)).toEqual([2, 1, 0])
    expect(info.bandInfo.map((band) => band.description)).toEqual(reference.bands.map((band) => band.description))
    expect(info.bandInfo.map((band) => band.colorInterpretation)).toEqual(reference.bands.map(gdal.colorInterpretationOf))
  })

  it('shows a scene whose band 1 is coastal aerosol as bands 4-3-2', async () => {
    const path = await make('landsat-coastal', 7, 'uint16', { descriptions: ['Coastal aerosol', 'B2 blue', 'B3 green', 'B4 red', 'B5 NIR', 'B6 SWIR1', 'B7 SWIR2'] })
    const reference = await gdal.gdalInfo(path)
    const { info } = await open(path)
    expect(info.displayBands).toEqual([3, 2, 1])
    expect(info.bandInfo.map((band) => band.description)).toEqual(reference.bands.map((band) => band.description))
  })

  it("takes red, green and blue from GDAL's colour interpretation when the bands have no description", async () => {
    const path = await make('landsat-interpreted', 6, 'uint8', { colorInterp: ['Blue', 'Green', 'Red', 'Undefined', 'Undefined', 'Undefined'] })
    const reference = await gdal.gdalInfo(path)
    const { info } = await open(path)
    expect(info.bandInfo.map((band) => band.colorInterpretation)).toEqual(reference.bands.map(gdal.colorInterpretationOf))
    expect(info.displayBands).toEqual([2, 1, 0])
    expect(info.bandInfo.every((band) => band.description === undefined)).toBe(true)
  })

  it('gives every band statistics of its own, as GDAL computes them, and stretches each 2–98 % by default, 8-bit ones too', async () => {
    const path = await make('landsat-stretch', 6, 'uint8', { descriptions: LANDSAT })
    const reference = await gdal.gdalInfo(path, ['-mm'])
    const { info } = await open(path)
    expect(info.noData).toBeNull()
    info.bandInfo.forEach((band, b) => {
      expect(band.statistics, `band ${b + 1}`).not.toBeNull()
      expect(band.statistics).toMatchObject({ min: reference.bands[b]!.computedMin, max: reference.bands[b]!.computedMax, exact: true })
    })
    const ranges = defaultBandRanges(info)
    expect(ranges).toEqual(info.bandInfo.map((band) => ({ min: band.statistics!.p2, max: band.statistics!.p98 })))
    // Each band its own range, inside its values and narrower than 0–255.
    for (const range of ranges) expect(range.min > 0 || range.max < 255).toBe(true)
  })

  it('keeps a grey 8-bit scan at 0–255 and an RGB photo a picture', async () => {
    const grey = await open(await make('grey-scan', 1, 'uint8', {}))
    expect(grey.info.tileKind).toBe('bands')
    expect(defaultBandRanges(grey.info)).toEqual([{ min: 0, max: 255 }])
    const photo = await open(await make('rgb-photo', 3, 'uint8', {}, ['-co', 'TILED=YES', '-co', 'PHOTOMETRIC=RGB']))
    expect(photo.info.tileKind).toBe('rgba8')
    expect(photo.info.displayBands).toEqual([0, 1, 2])
  })
})
