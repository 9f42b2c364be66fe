import { describe, expect, it } from 'vitest'
import { noDataInSampleType } from '../../src/shared/raster'
import { fromWireJson, toWireJson } from '../../src/shared/wireJson'
import { gdalNoData } from '../../src/main/raster/decode/tiffStructure'
import { bandStatistics } from '../../src/main/raster/decode/statistics'
import { reduceBlocks } from '../../src/main/raster/decode/reduce'
import { pixelValues } from '../../src/renderer/view/bandPixels'

describe('noDataInSampleType', () => {
  it('gives a float32 band the float32 rounding of its no-data, which its pixels hold', () => {
    expect(noDataInSampleType(-3.4e38, 'float32')).toBe(Math.fround(-3.4e38))
    expect(new Float32Array([-3.4e38])[0]).toBe(noDataInSampleType(-3.4e38, 'float32'))
  })

  it('keeps a float64 band\'s no-data as it is', () => {
    expect(noDataInSampleType(-3.4e38, 'float64')).toBe(-3.4e38)
  })

  it('truncates an integer band\'s no-data toward zero as GDAL\'s cast does, and keeps one the type cannot hold', () => {
    expect(noDataInSampleType(1.4, 'uint8')).toBe(1)
    expect(noDataInSampleType(0.6, 'uint8')).toBe(0)
    expect(noDataInSampleType(-2.5, 'int16')).toBe(-2)
    expect(noDataInSampleType(-9999, 'uint8')).toBe(-9999)
  })

  it('keeps NaN and null', () => {
    expect(noDataInSampleType(Number.NaN, 'float32')).toBeNaN()
    expect(noDataInSampleType(null, 'float32')).toBeNull()
  })
})

describe('gdalNoData', () => {
  it('reads GDAL_NODATA as GDAL prints it', () => {
    expect(gdalNoData('-3.4e+38\0')).toBe(-3.4e38)
    expect(gdalNoData('-9999')).toBe(-9999)
    expect(gdalNoData('nan')).toBeNaN()
    expect(gdalNoData('-inf')).toBe(-Infinity)
    expect(gdalNoData('inf')).toBe(Infinity)
  })

  it('gives null for no tag or text that is not a number', () => {
    expect(gdalNoData(undefined)).toBeNull()
    expect(gdalNoData('')).toBeNull()
    expect(gdalNoData('none')).toBeNull()
  })
})

describe('no-data in the float32 rounding, compared everywhere', () => {
  const noData = noDataInSampleType(-3.4e38, 'float32')!
  const samples = new Float32Array([-3.4e38, 2, -3.4e38, 4])

  it('leaves no-data out of the statistics', () => {
    expect(bandStatistics(samples, noData)).toMatchObject({ min: 2, max: 4 })
  })

  it('never mixes no-data into a reduction', () => {
    const { data } = reduceBlocks(samples, 2, 2, 1, 2, { noData, validity: 'none' })
    expect(data[0]).toBe(3)
  })

  it('reads out no-data, and NaN samples of a NaN no-data, as no value', () => {
    const info = { tileKind: 'bands' as const, tileMask: false, bands: 1, hasAlpha: false, hasMask: false, bandInfo: [] }
    const tile = { width: 4, height: 1, channels: 1, values: samples }
    expect(pixelValues(tile, { ...info, noData }, 0, 0)).toEqual([null])
    expect(pixelValues(tile, { ...info, noData }, 1, 0)).toEqual([2])
    const nanTile = { ...tile, values: new Float32Array([Number.NaN, 5, 0, 0]) }
    expect(pixelValues(nanTile, { ...info, noData: Number.NaN }, 0, 0)).toEqual([null])
    expect(pixelValues(nanTile, { ...info, noData: Number.NaN }, 1, 0)).toEqual([5])
  })
})

describe('wire JSON', () => {
  it('carries NaN and infinities, which JSON writes as null', () => {
    const message = { type: 'raster-opened', info: { noData: Number.NaN, statistics: { noData: Number.NaN, min: -Infinity, max: Infinity } } }
    expect(JSON.parse(JSON.stringify(message)).info.noData).toBeNull()
    const back = fromWireJson(toWireJson(message)) as typeof message
    expect(back.info.noData).toBeNaN()
    expect(back.info.statistics).toEqual({ noData: Number.NaN, min: -Infinity, max: Infinity })
  })

  it('reads plain JSON as JSON.parse does, strings "NaN" staying strings', () => {
    const plain = { name: 'NaN', noData: -9999, list: [1, null, 'Infinity'], nested: { $numberDouble: 'NaN', other: 1 } }
    expect(fromWireJson(JSON.stringify(plain))).toEqual(plain)
  })

  it('throws on text that does not parse', () => {
    expect(() => fromWireJson('{')).toThrow()
  })
})
