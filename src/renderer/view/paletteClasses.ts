/**
 * Paletted rasters (a land cover, a classified scene), as QGIS shows them: the tiles carry the class
 * value, the colour table turns it into pixels on the CPU (a sprite, as an RGBA8 tile), and the
 * readout gives the class value, its colour and its name from the raster attribute table. Pure: no
 * GPU, no DOM.
 */
import type { ClassName, PaletteEntry, RasterInfo } from '../../shared/raster'
import { isNoDataSample, type TileSamples, type Validity } from './bandPixels'

/**
 * A colour table as RGBA8 bytes, entry i at 4·i (a value past its end is transparent). The classes
 * in `hidden` are transparent too: a class unticked in the legend is not drawn, as in QGIS.
 */
export function paletteBytes(palette: readonly PaletteEntry[], hidden: ReadonlySet<number> = NO_CLASSES): Uint8Array {
  const bytes = new Uint8Array(palette.length * 4)
  palette.forEach((entry, i) => bytes.set(entry, i * 4))
  for (const value of hidden) if (Number.isInteger(value) && value >= 0 && value < palette.length) bytes[value * 4 + 3] = 0
  return bytes
}

const NO_CLASSES: ReadonlySet<number> = new Set()

/**
 * The RGBA8 pixels of a tile of class values (band 0) through `colours` (`paletteBytes`): the
 * colour of each value, transparent where the validity channel or the no-data value says no data.
 */
export function paletteRgba(tile: TileSamples, colours: Uint8Array, validity: Validity): Uint8Array {
  const { width, height, channels, values } = tile
  const count = width * height
  const out = new Uint8Array(count * 4)
  const maskAt = channels - 1
  const entries = colours.length / 4
  for (let i = 0, at = 0; i < count; i++, at += channels) {
    const v = values[at]!
    if ((validity.mask && values[at + maskAt] === 0) || isNoDataSample(v, validity.noData) || !(v >= 0 && v < entries)) continue
    const from = v * 4
    const o = i * 4
    out[o] = colours[from]!
    out[o + 1] = colours[from + 1]!
    out[o + 2] = colours[from + 2]!
    out[o + 3] = colours[from + 3]!
  }
  return out
}

/** The class under the cursor: its value, its colour in the palette (when the raster has one), its name (when the attribute table gives one). */
export interface ClassReadout {
  value: number
  colour: PaletteEntry | null
  name: string | null
}

/**
 * The class of a single-band raster with a palette or a raster attribute table at the values read
 * out there (`pixelValues`), or null (no such raster, no data there).
 */
export function classAt(info: Pick<RasterInfo, 'palette' | 'classNames'>, values: ReadonlyArray<number | null> | null | undefined): ClassReadout | null {
  if (!info.palette && !info.classNames) return null
  const value = values?.[0]
  if (value === null || value === undefined || values!.length !== 1) return null
  const colour = info.palette?.[value] ?? null
  return { value, colour: colour ? ([...colour] as PaletteEntry) : null, name: classNameOf(info.classNames, value) }
}

function classNameOf(classes: readonly ClassName[] | undefined, value: number): string | null {
  return classes?.find((c) => c.value === value)?.name ?? null
}

/** A palette colour as CSS: "rgb(204 186 125)". */
export function cssColour(colour: PaletteEntry): string {
  return `rgb(${colour[0]} ${colour[1]} ${colour[2]}${colour[3] < 255 ? ` / ${(colour[3] / 255).toFixed(3)}` : ''})`
}
