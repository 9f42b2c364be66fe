/**
 * The bands a raster opens with (`src/main/raster/displayBands.ts`): red, green and blue by colour
 * interpretation, else by the bands' descriptions, else the first three, else the first.
 */
import { describe, expect, it } from 'vitest'
import { colourOfDescription, displayBandsOf } from '../../src/main/raster/displayBands'
import { gdalBandDescriptions } from '../../src/main/raster/decode/tiffStructure'
import type { ColorInterpretation } from '../../src/shared/raster'

const undefinedBands = (count: number): ColorInterpretation[] => Array.from({ length: count }, () => 'undefined')

describe('colourOfDescription', () => {
  it('reads a colour alone as plain, whatever its case', () => {
    expect(colourOfDescription('Red')).toEqual({ colour: 'red', plainness: 2 })
    expect(colourOfDescription(' green ')).toEqual({ colour: 'green', plainness: 2 })
    expect(colourOfDescription('BLUE')).toEqual({ colour: 'blue', plainness: 2 })
  })

  it('reads a colour beside a band name or number', () => {
    expect(colourOfDescription('B4 red')).toEqual({ colour: 'red', plainness: 1 })
    expect(colourOfDescription('SR_B3 (Green)')).toEqual({ colour: 'green', plainness: 1 })
    expect(colourOfDescription('Band 2 - blue')).toEqual({ colour: 'blue', plainness: 1 })
  })

  it('names no colour for other bands, two colours or none', () => {
    for (const description of ['NIR', 'Red Edge 1', 'red-edge', 'Coastal aerosol', 'Coastal/Aerosol (deep blue)', 'Ultra blue', 'SWIR1', 'Red/Green', 'reddish', 'B4', '', undefined]) {
      expect(colourOfDescription(description), String(description)).toBeNull()
    }
  })
})

describe('displayBandsOf', () => {
  it('takes red, green and blue from the colour interpretation first', () => {
    expect(displayBandsOf(['blue', 'green', 'red', 'undefined', 'undefined', 'undefined'])).toEqual([2, 1, 0])
    // The interpretation wins over descriptions that say otherwise.
    expect(displayBandsOf(['red', 'green', 'blue', 'undefined'], ['Blue', 'Green', 'Red', 'NIR'])).toEqual([0, 1, 2])
  })

  it('opens a Landsat scene described Blue, Green, Red, NIR, SWIR1, SWIR2 as bands 3-2-1', () => {
    expect(displayBandsOf(['gray', ...undefinedBands(5)], ['Blue', 'Green', 'Red', 'NIR', 'SWIR1', 'SWIR2'])).toEqual([2, 1, 0])
  })

  it('opens a scene whose band 1 is coastal aerosol as bands 4-3-2', () => {
    expect(displayBandsOf(undefinedBands(7), ['Coastal aerosol', 'B2 blue', 'B3 green', 'B4 red', 'B5 NIR', 'B6 SWIR1', 'B7 SWIR2'])).toEqual([3, 2, 1])
  })

  it('prefers the plainest description of a colour, and the first of equals', () => {
    expect(displayBandsOf(undefinedBands(5), ['B1 red', 'Red', 'Green', 'Blue', 'red'])).toEqual([1, 2, 3])
    expect(displayBandsOf(undefinedBands(5), ['B1 red', 'B2 red', 'Green', 'Blue', 'NIR'])).toEqual([0, 2, 3])
  })

  it('never shows an alpha band as a colour, and falls back to the first bands when a colour is missing', () => {
    expect(displayBandsOf(['undefined', 'undefined', 'undefined', 'alpha'], ['Red', 'Green', 'NIR', 'Blue'])).toEqual([0, 1, 2])
    expect(displayBandsOf(undefinedBands(4), ['Red', 'Green', 'NIR', 'SWIR'])).toEqual([0, 1, 2])
    expect(displayBandsOf(['alpha', 'undefined', 'undefined', 'undefined'])).toEqual([1, 2, 3])
    expect(displayBandsOf(['gray', 'undefined'], ['Red', 'Green'])).toEqual([0])
    expect(displayBandsOf(['gray'])).toEqual([0])
  })
})

describe('gdalBandDescriptions', () => {
  it("reads GDAL_METADATA's DESCRIPTION items, entities decoded, '' for bands without one", () => {
    const xml = [
      '<GDALMetadata>',
      '  <Item name="DESCRIPTION" sample="0" role="description">Blue &amp; deep</Item>',
      '  <Item name="COLORINTERP" sample="0" role="colorinterp">Blue</Item>',
      '  <Item name="DESCRIPTION" sample="2" role="description">&lt;B3&gt; red&#33;</Item>',
      '  <Item name="DESCRIPTION" sample="9" role="description">beyond the bands</Item>',
      '</GDALMetadata>'
    ].join('\n')
    expect(gdalBandDescriptions(xml, 3)).toEqual(['Blue & deep', '', '<B3> red!'])
    expect(gdalBandDescriptions('<GDALMetadata><Item name="OFFSET" sample="0" role="offset">0</Item></GDALMetadata>', 3)).toEqual([])
    expect(gdalBandDescriptions(undefined, 3)).toEqual([])
  })
})
