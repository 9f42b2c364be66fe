import { describe, expect, it } from 'vitest'
import { classAt, cssColour, paletteBytes, paletteRgba } from '../../src/renderer/view/paletteClasses'
import { classNamesOfPam } from '../../src/main/raster/rasterAttributeTable'
import { reduceBlocks } from '../../src/main/raster/decode/reduce'
import type { PaletteEntry } from '../../src/shared/raster'

const palette: PaletteEntry[] = [
  [0, 0, 0, 255],
  [10, 20, 30, 255],
  [204, 186, 125, 255]
]

describe('paletteRgba', () => {
  it('draws each class value in its colour, no data and values past the table transparent', () => {
    const tile = { width: 5, height: 1, channels: 1, values: new Uint8Array([2, 1, 0, 9, 7]) }
    expect(Array.from(paletteRgba(tile, paletteBytes(palette), { mask: false, noData: 9 }))).toEqual([204, 186, 125, 255, 10, 20, 30, 255, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('leaves masked pixels transparent', () => {
    const tile = { width: 2, height: 1, channels: 2, values: new Uint8Array([2, 0, 2, 1]) }
    expect(Array.from(paletteRgba(tile, paletteBytes(palette), { mask: true, noData: null }))).toEqual([0, 0, 0, 0, 204, 186, 125, 255])
  })
})

describe('classAt', () => {
  const info = { palette, classNames: [{ value: 2, name: 'Shrub/Scrub' }] }

  it('gives the value, its colour and its class name', () => {
    expect(classAt(info, [2])).toEqual({ value: 2, colour: [204, 186, 125, 255], name: 'Shrub/Scrub' })
    expect(classAt(info, [1])).toEqual({ value: 1, colour: [10, 20, 30, 255], name: null })
  })

  it('gives nothing where there is no data, or for a raster without palette or classes', () => {
    expect(classAt(info, [null])).toBeNull()
    expect(classAt({}, [2])).toBeNull()
  })

  it('names the class of a raster with an attribute table and no palette', () => {
    expect(classAt({ classNames: [{ value: 7, name: 'Clay' }] }, [7])).toEqual({ value: 7, colour: null, name: 'Clay' })
  })

  it('spells the colour for CSS', () => {
    expect(cssColour([204, 186, 125, 255])).toBe('rgb(204 186 125)')
  })
})

describe('classNamesOfPam', () => {
  const pam = (table: string, band = 1): string => `<PAMDataset><PAMRasterBand band="${band}">${table}</PAMRasterBand></PAMDataset>`

  it('reads the name column by the value column, XML entities decoded', () => {
    const table = `<GDALRasterAttributeTable tableType="thematic">
      <FieldDefn index="0"><Name>Value</Name><Type>0</Type><Usage>5</Usage></FieldDefn>
      <FieldDefn index="1"><Name>Count</Name><Type>0</Type><Usage>1</Usage></FieldDefn>
      <FieldDefn index="2"><Name>Class_Name</Name><Type>2</Type><Usage>2</Usage></FieldDefn>
      <Row index="0"><F>11</F><F>300</F><F>Open Water</F></Row>
      <Row index="1"><F>71</F><F>2</F><F>Grassland &amp; Herbaceous</F></Row>
      <Row index="2"><F>90</F><F>0</F><F/></Row>
    </GDALRasterAttributeTable>`
    expect(classNamesOfPam(pam(table))).toEqual([
      { value: 11, name: 'Open Water' },
      { value: 71, name: 'Grassland & Herbaceous' }
    ])
  })

  it('takes the row index as the value when no column holds it, binned by Row0Min and BinSize', () => {
    const table = `<GDALRasterAttributeTable Row0Min="10" BinSize="5" tableType="thematic">
      <FieldDefn index="0"><Name>Label</Name><Type>2</Type><Usage>0</Usage></FieldDefn>
      <Row index="0"><F>low</F></Row><Row index="1"><F>high</F></Row>
    </GDALRasterAttributeTable>`
    expect(classNamesOfPam(pam(table))).toEqual([
      { value: 10, name: 'low' },
      { value: 15, name: 'high' }
    ])
  })

  it('gives null without a table of band 1 or without names', () => {
    expect(classNamesOfPam('<PAMDataset><SRS>EPSG:4326</SRS></PAMDataset>')).toBeNull()
    expect(classNamesOfPam(pam('<GDALRasterAttributeTable><FieldDefn index="0"><Name>N</Name><Type>2</Type><Usage>2</Usage></FieldDefn><Row index="0"><F>x</F></Row></GDALRasterAttributeTable>', 2))).toBeNull()
    expect(classNamesOfPam(pam('<GDALRasterAttributeTable><FieldDefn index="0"><Name>V</Name><Type>0</Type><Usage>5</Usage></FieldDefn><Row index="0"><F>1</F></Row></GDALRasterAttributeTable>'))).toBeNull()
  })
})

describe('reduceBlocks with nearest', () => {
  it('keeps one class value of each block, never their mean', () => {
    const source = new Uint8Array([11, 90, 90, 90])
    expect(Array.from(reduceBlocks(source, 2, 2, 1, 2, { noData: null, validity: 'none', nearest: true }).data)).toEqual([11])
  })

  it('takes the first valid pixel of a block, skipping no-data and masked ones', () => {
    expect(Array.from(reduceBlocks(new Uint8Array([0, 52, 90, 90]), 2, 2, 1, 2, { noData: 0, validity: 'none', nearest: true }).data)).toEqual([52])
    const masked = new Uint8Array([11, 0, 52, 1, 90, 1, 90, 1])
    expect(Array.from(reduceBlocks(masked, 2, 2, 2, 2, { noData: null, validity: 'mask', nearest: true }).data)).toEqual([52, 1])
  })
})
