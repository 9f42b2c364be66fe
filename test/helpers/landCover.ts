/**
 * A land cover as the tests of the class legend write it with GDAL: a Byte band of six classes in
 * vertical stripes under a no-data strip along the top, a 256-entry colour table (the classes'
 * colours and two classes no pixel uses; GDAL pads the rest with black), and a raster attribute
 * table that names four of the classes used and the two unused ones.
 */
import type { Grid, SourceOptions } from './gdal'

type Rgba = [number, number, number, number]

/** The classes the pixels use, left to right, and their colours (NLCD's). */
export const USED_CLASSES: ReadonlyArray<{ value: number; colour: Rgba; name: string | null }> = [
  { value: 11, colour: [70, 107, 159, 255], name: 'Open Water' },
  { value: 21, colour: [222, 197, 197, 255], name: 'Developed, Open Space' },
  { value: 41, colour: [104, 171, 95, 255], name: null },
  { value: 52, colour: [204, 186, 125, 255], name: 'Shrub/Scrub' },
  { value: 82, colour: [171, 108, 40, 255], name: null },
  { value: 90, colour: [184, 217, 235, 255], name: 'Woody Wetlands' }
]
/** Classes the colour table and the attribute table define and no pixel uses. */
export const UNUSED_CLASSES: ReadonlyArray<{ value: number; colour: Rgba; name: string }> = [
  { value: 31, colour: [179, 172, 163, 255], name: 'Barren Land' },
  { value: 71, colour: [227, 227, 194, 255], name: 'Grassland/Herbaceous' }
]
export const NO_DATA = 0
/** Rows of no data along the top. */
export const NO_DATA_ROWS = 20

/** The land cover's grid and what GDAL is given with it (colour interpretation, table, attribute table, no-data). */
export function landCover(width: number, height: number): { grid: Grid; source: SourceOptions; classAt(x: number, y: number): number } {
  const stripe = Math.ceil(width / USED_CLASSES.length)
  const classAt = (x: number, y: number): number => (y < NO_DATA_ROWS ? NO_DATA : USED_CLASSES[Math.floor(x / stripe)]!.value)
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = classAt(x, y)
  const colorTable = Array.from({ length: 256 }, (): Rgba => [0, 0, 0, 255])
  for (const c of [...USED_CLASSES, ...UNUSED_CLASSES]) colorTable[c.value] = c.colour
  const attributeTable = [...USED_CLASSES, ...UNUSED_CLASSES].flatMap((c) => (c.name ? [{ value: c.value, name: c.name }] : [])).sort((a, b) => a.value - b.value)
  return {
    grid: { width, height, bands: 1, type: 'uint8', data },
    source: { colorInterp: ['Palette'], colorTable, attributeTable, noData: NO_DATA },
    classAt
  }
}
