/**
 * The renderer's half of issue 11 without a GPU: the float arrays given to the textures of 'bands'
 * tiles (every sample type, mask channel, no-data, NaN), the original values under the cursor, the
 * affine map coordinates, the opacity rule, the band picker's display changes and the info rows.
 */
import { describe, expect, it, vi } from 'vitest'
// Pixi reads `navigator` when imported; Node 20 has none.
vi.hoisted(() => {
  const g = globalThis as { navigator?: unknown }
  g.navigator ??= { userAgent: 'node' }
})
import type { BandStatistics, RasterInfo, SampleType } from '../../src/shared/raster'
import type { TileMessage } from '../../src/shared/protocol'
import {
  applyDisplayChange,
  defaultBandRange,
  defaultBandRanges,
  defaultDisplayBands,
  displayFloats,
  isOpaqueRaster,
  pixelToMap,
  pixelValues,
  rgbBandFloats,
  singleBandFloats,
  tileBandCount,
  withContractDefaults,
  type LayerDisplay
} from '../../src/renderer/view/bandPixels'
import { createTileTexture, rebuildTileTexture, tileDisplay } from '../../src/renderer/view/tileTextures'
import { formatReadoutValues } from '../../src/renderer/ui/StatusBar'
import { formatSample } from '../../src/renderer/ui/format'
import { bandLabel, infoRows } from '../../src/renderer/ui/LayersPanel'

const ARRAYS: Record<SampleType, new (values: number[]) => TileMessage['data']> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array
}

function stats(p2: number, p98: number, extra: Partial<BandStatistics> = {}): BandStatistics {
  return { min: p2 - 1, max: p98 + 1, p2, p98, noData: null, ...extra }
}

function info(patch: Partial<RasterInfo> = {}): RasterInfo {
  return {
    name: 'dem.tif',
    format: 'tiff',
    fileSize: 1000,
    width: 512,
    height: 512,
    tileSize: 256,
    levels: [{ width: 512, height: 512 }, { width: 256, height: 256 }],
    bands: 1,
    sampleType: 'int16',
    hasAlpha: false,
    bandInfo: [{ colorInterpretation: 'gray', statistics: stats(10, 90) }],
    noData: null,
    hasMask: false,
    displayBands: [0],
    tileKind: 'bands',
    tileMask: false,
    warnings: [],
    tileChannels: 1,
    tileSampleType: 'int16',
    statistics: stats(10, 90),
    georeference: null,
    strategy: 'tiled',
    pyramidReady: true,
    ...patch
  }
}

describe('textures of single-band tiles', () => {
  it('keeps values of every sample type as float32, NaN where no data', () => {
    const cases: Array<[SampleType, number[], number | null, number[]]> = [
      ['int16', [331, -32768, -5, 0], -32768, [331, NaN, -5, 0]],
      ['uint16', [65535, 0, 1200, 7], 0, [65535, NaN, 1200, 7]],
      ['int8', [-128, 127, -1, 3], -1, [-128, 127, NaN, 3]],
      ['uint8', [0, 255, 17, 18], null, [0, 255, 17, 18]],
      ['uint32', [4000000000, 1, 2, 3], 2, [4000000000, 1, NaN, 3]],
      ['int32', [-2000000000, 5, -9999, 6], -9999, [-2000000000, 5, NaN, 6]],
      ['float32', [1.5, NaN, -9999, 2.25], -9999, [1.5, NaN, NaN, 2.25]],
      ['float64', [1e-3, 350.6, -3.4028234663852886e38, NaN], -3.4028234663852886e38, [Math.fround(1e-3), Math.fround(350.6), NaN, NaN]]
    ]
    for (const [type, values, noData, expected] of cases) {
      const floats = singleBandFloats({ width: 2, height: 2, channels: 1, values: new ARRAYS[type](values) }, 0, { mask: false, noData })
      expect(floats, type).toBeInstanceOf(Float32Array)
      expect(Array.from(floats), type).toEqual(expected)
    }
  })

  it('takes the chosen band out of interleaved samples and NaNs what the mask channel says is masked', () => {
    // 2 bands + mask, uint16: pixels (10, 20 | valid) (11, 21 | masked) (12, 22 | valid)
    const tile = { width: 3, height: 1, channels: 3, values: new Uint16Array([10, 20, 1, 11, 21, 0, 12, 22, 65535]) }
    expect(Array.from(singleBandFloats(tile, 0, { mask: true, noData: null }))).toEqual([10, NaN, 12])
    expect(Array.from(singleBandFloats(tile, 1, { mask: true, noData: 22 }))).toEqual([20, NaN, NaN])
    expect(() => singleBandFloats(tile, 2, { mask: true, noData: null })).toThrow(/band index in 0\.\.1/)
  })

  it('builds a r32float texture and keeps the original samples on the CPU', () => {
    const data = new Int16Array([331, -32768, 5, 0])
    const tile = createTileTexture(
      { header: { rasterId: 'r', level: 0, col: 0, row: 0, width: 2, height: 2, channels: 1, sampleType: 'int16' }, data },
      tileDisplay(info({ noData: -32768 }), [0])
    )
    expect(tile.texture.source.format).toBe('r32float')
    expect(Array.from(tile.texture.source.resource as Float32Array)).toEqual([331, NaN, 5, 0])
    expect(tile.values).toBe(data)
    expect(tile.bytes).toBe(4 * 4 + 4 * 2)
  })
})

describe('textures of three bands as RGB', () => {
  it('puts the three bands in r, g, b and validity in a (mask, no-data in any band, NaN)', () => {
    // 4 bands + mask, int16; pixels: valid; masked; band 2 (shown as g) no-data; band 4 (not shown) no-data
    const values = new Int16Array([
      1, 2, 3, 4, 1,
      5, 6, 7, 8, 0,
      9, -9999, 11, 12, 1,
      13, 14, 15, -9999, 1
    ])
    const floats = rgbBandFloats({ width: 2, height: 2, channels: 5, values }, [2, 1, 0], { mask: true, noData: -9999 })
    expect(Array.from(floats)).toEqual([3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 15, 14, 13, 1])
  })

  it('treats NaN in float bands as no data, for every sample type the same way', () => {
    const values = new Float64Array([0.5, NaN, 2, 3, 4, 5])
    expect(Array.from(rgbBandFloats({ width: 2, height: 1, channels: 3, values }, [0, 1, 2], { mask: false, noData: null }))).toEqual([
      0, 0, 0, 0, 3, 4, 5, 1
    ])
    const u32 = new Uint32Array([4000000000, 1, 2])
    expect(Array.from(displayFloats({ width: 1, height: 1, channels: 3, values: u32 }, [0, 1, 2], { mask: false, noData: null }))).toEqual([
      4000000000, 1, 2, 1
    ])
  })

  it('builds a rgba32float texture, and another one from the same CPU samples when other bands are picked', () => {
    const raster = info({ bands: 3, tileChannels: 3, sampleType: 'uint16', tileSampleType: 'uint16', displayBands: [0, 1, 2] })
    const data = new Uint16Array([100, 200, 300, 400, 500, 600])
    const tile = createTileTexture(
      { header: { rasterId: 'r', level: 0, col: 0, row: 0, width: 2, height: 1, channels: 3, sampleType: 'uint16' }, data },
      tileDisplay(raster, [0, 1, 2])
    )
    expect(tile.texture.source.format).toBe('rgba32float')
    expect(Array.from(tile.texture.source.resource as Float32Array)).toEqual([100, 200, 300, 1, 400, 500, 600, 1])
    const single = rebuildTileTexture(tile, tileDisplay(raster, [2]))
    expect(single.texture.source.format).toBe('r32float')
    expect(Array.from(single.texture.source.resource as Float32Array)).toEqual([300, 600])
    expect(single.values).toBe(data)
  })

  it("leaves 'rgba8' tiles as RGBA8 textures", () => {
    const data = new Uint8Array([1, 2, 3, 255])
    const tile = createTileTexture(
      { header: { rasterId: 'r', level: 0, col: 0, row: 0, width: 1, height: 1, channels: 4, sampleType: 'uint8' }, data },
      tileDisplay(info({ tileKind: 'rgba8', tileChannels: 4 }), [0])
    )
    expect(tile.texture.source.format).toBe('rgba8unorm')
    expect(tile.values).toBe(data)
  })
})

describe('readout values', () => {
  it("gives every band's original value of 'bands' tiles, without the mask channel; null for no data", () => {
    const raster = info({ bands: 3, tileMask: true, tileChannels: 4, noData: -32768 })
    const tile = { width: 2, height: 2, channels: 4, values: new Int16Array([331, -4, 7, 1, 1, 2, 3, 0, -32768, 5, 6, 1, 8, 9, 10, 1]) }
    expect(pixelValues(tile, raster, 0.5, 0.9)).toEqual([331, -4, 7])
    expect(pixelValues(tile, raster, 1, 0)).toEqual([null, null, null])
    expect(pixelValues(tile, raster, 0, 1)).toEqual([null, 5, 6])
    expect(pixelValues(tile, raster, 2, 0)).toBeNull()
    expect(pixelValues(tile, raster, -0.5, 0)).toBeNull()
  })

  it('gives NaN float samples as no data', () => {
    const raster = info({ sampleType: 'float32', tileSampleType: 'float32' })
    const tile = { width: 2, height: 1, channels: 1, values: new Float32Array([NaN, 12.5]) }
    expect(pixelValues(tile, raster, 0, 0)).toEqual([null])
    expect(pixelValues(tile, raster, 1, 0)).toEqual([12.5])
  })

  it("gives only the file's bands of 'rgba8' tiles: no made-up alpha", () => {
    const rgb = info({ tileKind: 'rgba8', tileChannels: 4, bands: 3, sampleType: 'uint8', bandInfo: [] })
    const tile = { width: 1, height: 1, channels: 4, values: new Uint8Array([10, 20, 30, 255]) }
    expect(pixelValues(tile, rgb, 0, 0)).toEqual([10, 20, 30])
    expect(pixelValues(tile, { ...rgb, bands: 1 }, 0, 0)).toEqual([10])
    const rgba = { ...rgb, bands: 4, hasAlpha: true, bandInfo: ['red', 'green', 'blue', 'alpha'].map((c) => ({ colorInterpretation: c as 'red', statistics: null })) }
    expect(pixelValues({ ...tile, values: new Uint8Array([10, 20, 30, 0]) }, rgba, 0, 0)).toEqual([10, 20, 30, 0])
    const greyAlpha = { ...rgb, bands: 2, hasAlpha: true }
    expect(pixelValues(tile, greyAlpha, 0, 0)).toEqual([10, 255])
  })

  it("says no data where an 'rgba8' raster's mask made the pixel transparent", () => {
    const masked = info({ tileKind: 'rgba8', tileChannels: 4, bands: 3, sampleType: 'uint8', hasMask: true, hasAlpha: true, bandInfo: [] })
    expect(pixelValues({ width: 1, height: 1, channels: 4, values: new Uint8Array([0, 0, 0, 0]) }, masked, 0, 0)).toEqual([null, null, null])
    expect(pixelValues({ width: 1, height: 1, channels: 4, values: new Uint8Array([5, 6, 7, 255]) }, masked, 0, 0)).toEqual([5, 6, 7])
  })

  it('formats values and no data for the status bar', () => {
    expect(formatReadoutValues([331])).toBe('331')
    expect(formatReadoutValues([null])).toBe('no data')
    expect(formatReadoutValues([null, null, null])).toBe('no data')
    expect(formatReadoutValues([12, null, 0.5])).toBe('12, no data, 0.5')
    expect(formatReadoutValues(undefined)).toBe('')
  })

  it('formats samples with every digit the file holds, no more', () => {
    expect(formatSample(Math.fround(350.6))).toBe('350.6')
    expect(formatSample(new Float32Array([0.1])[0]!)).toBe('0.1')
    expect(formatSample(1234567.891)).toBe('1234567.891')
    expect(formatSample(-32768)).toBe('-32768')
    expect(formatSample(4000000000)).toBe('4000000000')
    expect(formatReadoutValues([Math.fround(2.25), 1e-7])).toBe('2.25, 1e-7')
  })
})

describe('map coordinates', () => {
  it('go through the full affine geotransform (north-up, south-up, rotated)', () => {
    expect(pixelToMap([500000, 2, 0, 6000000, 0, -2], 44.5, 30.5)).toEqual({ x: 500089, y: 5999939 })
    expect(pixelToMap([0, 1, 0, 100, 0, 1], 3, 4)).toEqual({ x: 3, y: 104 })
    // Rotated by 30° with 10 m pixels: x' = gt0 + x·10cos − y·10sin, y' = gt3 − x·10sin − y·10cos.
    const c = 10 * Math.cos(Math.PI / 6)
    const s = 10 * Math.sin(Math.PI / 6)
    const gt: [number, number, number, number, number, number] = [1000, c, -s, 2000, -s, -c]
    const map = pixelToMap(gt, 2, 3)
    expect(map.x).toBeCloseTo(1000 + 2 * c - 3 * s, 9)
    expect(map.y).toBeCloseTo(2000 - 2 * s - 3 * c, 9)
    // A shear only: the column term moves Y along the row.
    expect(pixelToMap([0, 1, 0.5, 0, 0.25, -1], 4, 2)).toEqual({ x: 5, y: -1 })
  })
})

describe('opacity rule', () => {
  it("is opaque only for 'rgba8' without alpha, or 'bands' without mask and without no-data", () => {
    expect(isOpaqueRaster(info({ tileKind: 'rgba8', hasAlpha: false }))).toBe(true)
    expect(isOpaqueRaster(info({ tileKind: 'rgba8', hasAlpha: true }))).toBe(false)
    expect(isOpaqueRaster(info({ tileKind: 'bands' }))).toBe(true)
    expect(isOpaqueRaster(info({ tileKind: 'bands', noData: -9999 }))).toBe(false)
    expect(isOpaqueRaster(info({ tileKind: 'bands', tileMask: true, hasMask: true }))).toBe(false)
    // A single-channel raster is no longer transparent merely for being single-channel.
    expect(isOpaqueRaster(info({ tileKind: 'bands', tileChannels: 1 }))).toBe(true)
  })
})

describe('band display', () => {
  const four = info({
    bands: 4,
    tileChannels: 4,
    sampleType: 'uint16',
    displayBands: [2, 1, 0],
    bandInfo: [stats(1, 2), stats(3, 4), stats(5, 6), stats(7, 8)].map((s) => ({ colorInterpretation: 'undefined' as const, statistics: s }))
  })

  it('starts from the raster\'s display bands and each band\'s 2–98 % range', () => {
    expect(defaultDisplayBands(four)).toEqual([2, 1, 0])
    expect(defaultDisplayBands(info({ bands: 2, tileChannels: 2, displayBands: [5] }))).toEqual([0])
    // A 16-bit grey + alpha picture: its alpha is the tiles' validity channel, not a band to show.
    const greyAlpha = info({ bands: 2, tileChannels: 2, tileMask: true, hasAlpha: true, displayBands: [1] })
    expect(tileBandCount(greyAlpha)).toBe(1)
    expect(defaultDisplayBands(greyAlpha)).toEqual([0])
    expect(tileBandCount(info({ bands: 4, tileChannels: 5, tileMask: true }))).toBe(4)
    expect(tileBandCount(info({ tileKind: 'rgba8', bands: 3, tileChannels: 4 }))).toBe(3)
    expect(defaultBandRange(four, 3)).toEqual({ min: 7, max: 8 })
    expect(defaultBandRange(info({ bandInfo: [{ colorInterpretation: 'gray', statistics: stats(4, 4, { min: 4, max: 4 }) }] }), 0)).toEqual({ min: 3.5, max: 4.5 })
    // A grey 8-bit picture is shown as it is (0–255) until stretched; with no-data, by its percentiles.
    const grey8 = { bandInfo: [{ colorInterpretation: 'gray' as const, statistics: stats(20, 200) }] }
    expect(defaultBandRange(info({ ...grey8, tileSampleType: 'uint8', noData: null }), 0)).toEqual({ min: 0, max: 255 })
    expect(defaultBandRange(info({ ...grey8, tileSampleType: 'uint8', noData: 0 }), 0)).toEqual({ min: 20, max: 200 })
  })

  it('stretches every band of a multi-band 8-bit raster 2–98 % by default; one 8-bit band stays 0–255', () => {
    const landsat = info({
      bands: 6,
      tileChannels: 6,
      sampleType: 'uint8',
      tileSampleType: 'uint8',
      displayBands: [2, 1, 0],
      bandInfo: [1, 2, 3, 4, 5, 6].map((b) => ({ colorInterpretation: 'undefined' as const, statistics: stats(b * 10, b * 20) }))
    })
    expect(defaultBandRanges(landsat)).toEqual([1, 2, 3, 4, 5, 6].map((b) => ({ min: b * 10, max: b * 20 })))
    // An 8-bit grey scan with alpha: its alpha is the validity channel, one band is shown as it is.
    const greyAlpha = info({ bands: 2, tileChannels: 2, tileMask: true, hasAlpha: true, sampleType: 'uint8', tileSampleType: 'uint8' })
    expect(defaultBandRanges(greyAlpha)[0]).toEqual({ min: 0, max: 255 })
  })

  it('labels bands with their description and colour interpretation', () => {
    expect(bandLabel({ colorInterpretation: 'green', statistics: null }, 1)).toBe('Band 2 (green)')
    expect(bandLabel({ colorInterpretation: 'undefined', statistics: null, description: 'NIR' }, 3)).toBe('Band 4: NIR')
    expect(bandLabel({ colorInterpretation: 'red', statistics: null, description: 'Red' }, 2)).toBe('Band 3: Red (red)')
    const described = info({ bandInfo: [{ colorInterpretation: 'gray', statistics: null, description: 'Elevation' }], statistics: null })
    expect(infoRows(described)).toContainEqual(['Band 1', 'Elevation; gray'])
  })

  it("describes a web layer by its server: the CRS it serves the layer in, and no file size", () => {
    const crs = { id: 'EPSG:3857', epsg: 3857, proj4: null, name: 'WGS 84 / Pseudo-Mercator', source: 'service' as const }
    const web = info({
      fileSize: 0,
      georeference: { geoTransform: [0, 1, 0, 0, 0, -1], rasterType: 'area', epsg: 3857, rotated: false, crs },
      source: { kind: 'web', service: 'wms', url: 'http://example.org/wms', layer: 'ortho', attribution: '' }
    } as Partial<RasterInfo>)
    const rows = infoRows(web)
    expect(rows).toContainEqual(['CRS from', 'the map server (the CRS it serves the layer in)'])
    expect(rows.map(([label]) => label)).not.toContain('File size')
    expect(infoRows(info({ fileSize: 2048 })).map(([label]) => label)).toContain('File size')
  })

  it('applies band picks and per-band ranges, ignoring invalid ones', () => {
    const display: LayerDisplay = { bands: [2, 1, 0], ranges: [{ min: 1, max: 2 }, { min: 3, max: 4 }, { min: 5, max: 6 }, { min: 7, max: 8 }], colormap: 'grey' }
    const rgb = applyDisplayChange(display, { bands: [3, 2, 1] }, 4)
    expect(rgb.bands).toEqual([3, 2, 1])
    expect(applyDisplayChange(display, { bands: [4, 2, 1] }, 4).bands).toBe(display.bands)
    expect(applyDisplayChange(display, { bands: [2, 1, 0] }, 4).bands).toBe(display.bands) // unchanged: no texture rebuild
    const single = applyDisplayChange(display, { bands: [3], min: 0, max: 100, colormap: 'viridis' }, 4)
    expect(single).toEqual({ bands: [3], ranges: [{ min: 1, max: 2 }, { min: 3, max: 4 }, { min: 5, max: 6 }, { min: 0, max: 100 }], colormap: 'viridis' })
    expect(applyDisplayChange(display, { ranges: { 1: { min: -5, max: 5 }, 2: { min: 3, max: 3 } } }, 4).ranges).toEqual([
      { min: 1, max: 2 }, { min: -5, max: 5 }, { min: 5, max: 6 }, { min: 7, max: 8 }
    ])
  })

  it('reads a description of the contract before issue 11 the same way', () => {
    const old = {
      ...info(),
      tileKind: undefined,
      tileMask: undefined,
      noData: undefined,
      bandInfo: undefined,
      displayBands: undefined,
      warnings: undefined,
      hasMask: undefined,
      statistics: stats(0, 10, { noData: -9999 }),
      georeference: { originX: 10, originY: 20, pixelSizeX: 2, pixelSizeY: -2, epsg: 32631 }
    } as unknown as RasterInfo
    const now = withContractDefaults(old)
    expect(now).toMatchObject({ tileKind: 'bands', tileMask: false, noData: -9999, displayBands: [0], warnings: [], hasMask: false })
    expect(now.georeference).toEqual({ geoTransform: [10, 2, 0, 20, 0, -2], rasterType: 'area', epsg: 32631, rotated: false })
    expect(withContractDefaults({ ...old, tileChannels: 4 }).tileKind).toBe('rgba8')
  })
})

describe('layer info rows', () => {
  it('shows no-data, mask, compression, every band, the geotransform with rotation, and the CRS', () => {
    const rows = new Map(
      infoRows(
        info({
          bands: 2,
          noData: -32768,
          hasMask: true,
          compression: 'ZSTD',
          bandInfo: [
            { colorInterpretation: 'gray', statistics: stats(10, 90, { min: 1, max: 99, mean: 50.5, stdDev: 3, exact: false }) },
            { colorInterpretation: 'undefined', statistics: null }
          ],
          georeference: { geoTransform: [1000, 8.66, -5, 2000, -5, -8.66], rasterType: 'point', epsg: 32631, rotated: true },
          warnings: ['a row is truncated']
        })
      )
    )
    expect(rows.get('No data')).toBe('-32768')
    expect(rows.get('Mask')).toMatch(/^yes/)
    expect(rows.get('Compression')).toBe('ZSTD')
    expect(rows.get('Band 1')).toBe('gray; min 1, max 99, 2–98 %: 10 … 90, mean 50.5, σ 3 (approximate)')
    expect(rows.get('Band 2')).toBe('undefined')
    expect(rows.get('CRS')).toBe('EPSG:32631')
    expect(rows.get('Origin')).toBe('1000.00, 2000.00')
    expect(rows.get('Pixel size')).toBe('8.66 × -8.66')
    expect(rows.get('Rotation')).toMatch(/^rotated/)
    expect(rows.get('Raster type')).toBe('PixelIsPoint')
  })
})
