import { describe, expect, it } from 'vitest'
import { classLegendNote, classLegendRows, formatShare } from '../../src/renderer/view/classLegendRows'
import { paletteBytes } from '../../src/renderer/view/paletteClasses'
import { classCounts } from '../../src/main/raster/decode/statistics'
import type { BandStatistics, PaletteEntry, RasterInfo } from '../../src/shared/raster'

type LegendInfo = Parameters<typeof classLegendRows>[0]

/** A 256-entry colour table as GDAL writes one for a Byte band: the classes' colours, black elsewhere. */
function gdalPalette(colours: Record<number, PaletteEntry>): PaletteEntry[] {
  return Array.from({ length: 256 }, (_, i): PaletteEntry => colours[i] ?? [0, 0, 0, 255])
}

const COLOURS: Record<number, PaletteEntry> = {
  11: [70, 107, 159, 255],
  21: [222, 197, 197, 255],
  41: [104, 171, 95, 255],
  52: [204, 186, 125, 255],
  82: [171, 108, 40, 255],
  90: [184, 217, 235, 255]
}
const NAMES = [
  { value: 11, name: 'Open Water' },
  { value: 21, name: 'Developed, Open Space' },
  { value: 52, name: 'Shrub/Scrub' },
  { value: 90, name: 'Woody Wetlands' }
]

function stats(counts: number[] | undefined, exact = true): BandStatistics {
  return { min: 0, max: 255, p2: 0, p98: 255, noData: null, exact, ...(counts ? { classCounts: counts } : {}) }
}

function info(fields: Partial<RasterInfo>): LegendInfo {
  return { palette: gdalPalette(COLOURS), classNames: NAMES, noData: null, bandInfo: [{ colorInterpretation: 'palette', statistics: null }], statistics: null, ...fields }
}

function countsOf(pixels: Record<number, number>): number[] {
  const values = Object.entries(pixels).flatMap(([value, n]) => Array.from({ length: n }, () => Number(value)))
  return classCounts(values, null)
}

describe('classLegendRows', () => {
  it('lists one row per class the data uses, not every entry of a 256-entry palette', () => {
    const counts = countsOf({ 11: 40, 21: 10, 41: 5, 52: 30, 82: 10, 90: 5 })
    const legend = classLegendRows(info({ bandInfo: [{ colorInterpretation: 'palette', statistics: stats(counts) }] }))!
    expect(legend.paletteEntries).toBe(256)
    expect(legend.source).toBe('every-pixel')
    expect(legend.rows.map((r) => r.value)).toEqual([11, 21, 41, 52, 82, 90])
  })

  it('gives each row its colour, its name from the attribute table, else its value, and its share of the pixels', () => {
    const counts = countsOf({ 11: 40, 41: 60 })
    const [water, forest] = classLegendRows(info({ bandInfo: [{ colorInterpretation: 'palette', statistics: stats(counts) }] }))!.rows
    expect(water).toEqual({ value: 11, colour: [70, 107, 159, 255], name: 'Open Water', label: 'Open Water', share: 0.4 })
    expect(forest).toEqual({ value: 41, colour: [104, 171, 95, 255], name: null, label: '41', share: 0.6 })
  })

  it('never lists the no-data value as a class, counted or named', () => {
    const counts = countsOf({ 0: 50, 11: 50 })
    const legend = classLegendRows(info({ noData: 0, classNames: [...NAMES, { value: 0, name: 'No data' }], bandInfo: [{ colorInterpretation: 'palette', statistics: stats(counts) }] }))!
    expect(legend.rows.map((r) => r.value)).toEqual([11])
    const uncounted = classLegendRows(info({ noData: 11 }))!
    expect(uncounted.rows.map((r) => r.value)).not.toContain(11)
  })

  it('keeps the classes the attribute table names when the counts come from a reduction (a rare class may be missed)', () => {
    const counts = countsOf({ 11: 70, 41: 30 })
    const legend = classLegendRows(info({ bandInfo: [{ colorInterpretation: 'palette', statistics: stats(counts, false) }] }))!
    expect(legend.source).toBe('reduction')
    expect(legend.rows.map((r) => [r.value, r.share])).toEqual([
      [11, 0.7],
      [21, 0],
      [41, 0.3],
      [52, 0],
      [90, 0]
    ])
  })

  it('without counts lists the palette entries but for black and transparent ones (GDAL fills unused entries so), named ones kept', () => {
    const palette = gdalPalette(COLOURS)
    palette[200] = [0, 0, 0, 0]
    palette[3] = [0, 0, 0, 255]
    const legend = classLegendRows(info({ palette, classNames: [...NAMES, { value: 3, name: 'Burnt' }] }))!
    expect(legend.source).toBe('palette')
    expect(legend.rows.map((r) => r.value)).toEqual([3, 11, 21, 41, 52, 82, 90])
    expect(legend.rows.every((r) => r.share === null)).toBe(true)
  })

  it('takes the raster statistics when the band has none of its own', () => {
    const legend = classLegendRows(info({ bandInfo: [{ colorInterpretation: 'palette', statistics: null }], statistics: stats(countsOf({ 52: 1 })) }))!
    expect(legend.rows.map((r) => r.label)).toEqual(['Shrub/Scrub'])
  })

  it('lists a value past the end of the palette without a colour (it is drawn transparent)', () => {
    const legend = classLegendRows(info({ palette: [[1, 2, 3, 255]], classNames: [], bandInfo: [{ colorInterpretation: 'palette', statistics: stats(countsOf({ 0: 1, 7: 1 })) }] }))!
    expect(legend.rows.map((r) => [r.value, r.colour])).toEqual([
      [0, [1, 2, 3, 255]],
      [7, null]
    ])
  })

  it('is null for a raster without a palette', () => {
    expect(classLegendRows(info({ palette: undefined }))).toBeNull()
  })

  it('says how many classes of how many entries, and where the list came from', () => {
    const counted = classLegendRows(info({ bandInfo: [{ colorInterpretation: 'palette', statistics: stats(countsOf({ 11: 1, 21: 1 })) }] }))!
    expect(classLegendNote(counted)).toBe('2 classes in the data (every pixel counted), of 256 palette entries')
    expect(classLegendNote({ ...counted, source: 'reduction' })).toMatch(/^2 classes of 256 palette entries: counted over a reduction of the raster/)
    expect(classLegendNote({ rows: counted.rows.slice(0, 1), source: 'palette', paletteEntries: 1 })).toMatch(/^1 class of 1 palette entry: the data's classes are not counted/)
  })
})

describe('formatShare', () => {
  it('writes a share as a percentage, a present class never as 0 %', () => {
    expect(formatShare(0.4)).toBe('40 %')
    expect(formatShare(0.0125)).toBe('1.3 %')
    expect(formatShare(0.0004)).toBe('< 0.1 %')
    expect(formatShare(0)).toBe('0 %')
  })
})

describe('classCounts', () => {
  it('counts the valid pixels of each class value, indexed by the value, leaving out no-data, masked (NaN) and non-class values', () => {
    expect(classCounts([2, 2, 0, 5, 9, Number.NaN, -1, 1.5, 2], 9)).toEqual([1, 0, 3, 0, 0, 1])
    expect(classCounts([9, 9], 9)).toEqual([])
  })
})

describe('paletteBytes with hidden classes', () => {
  it('makes the hidden classes transparent and leaves the others as the palette says', () => {
    const palette: PaletteEntry[] = [
      [1, 2, 3, 255],
      [4, 5, 6, 255],
      [7, 8, 9, 255]
    ]
    expect(Array.from(paletteBytes(palette, new Set([1, 40])))).toEqual([1, 2, 3, 255, 4, 5, 6, 0, 7, 8, 9, 255])
    expect(Array.from(paletteBytes(palette))).toEqual([1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255])
  })
})
