/**
 * Which bands a raster opens with (pure): red, green and blue when the file says which they are —
 * by GDAL's colour interpretation (Photometric, ExtraSamples, GDAL_METADATA's COLORINTERP items), else
 * by the bands' descriptions ("Red", "B4 red", "SR_B3 (green)") — else the first three bands of
 * three or more, else the first.
 */
import type { ColorInterpretation } from '../../shared/raster'

/** The three colours a description can name. */
type Colour = 'red' | 'green' | 'blue'

/**
 * Words that make a colour word name another band: Sentinel-2's "Red Edge 1", Landsat 8's
 * "Coastal/Aerosol (deep blue)", "Ultra blue", a "Red/NIR ratio".
 */
const OTHER_BAND_WORDS = new Set(['edge', 'rededge', 'coastal', 'aerosol', 'deep', 'ultra', 'nir', 'infrared', 'swir', 'tir', 'thermal', 'ratio'])

/**
 * The colour a band's description names, and how plainly: 2 when the description is the colour
 * alone ("Red", "red"), 1 when the colour is one of its words beside a band name or number
 * ("B4 red", "SR_B4 (Red)", "Band 3 - green"), 0 otherwise (no colour, two colours, or a word
 * that makes it another band: "Red Edge 1", "Coastal blue").
 */
export function colourOfDescription(description: string | undefined): { colour: Colour; plainness: 1 | 2 } | null {
  if (!description) return null
  const words = description.toLowerCase().split(/[^a-z]+/).filter((word) => word.length > 0)
  if (words.some((word) => OTHER_BAND_WORDS.has(word))) return null
  const colours = (['red', 'green', 'blue'] as const).filter((colour) => words.includes(colour))
  if (colours.length !== 1) return null
  const colour = colours[0]!
  return { colour, plainness: description.trim().toLowerCase() === colour ? 2 : 1 }
}

/**
 * The bands shown when the raster opens, 0-based: red, green, blue by colour interpretation, else
 * by description (the plainest description of each colour, the first of equals), else the first
 * three bands that are not alpha, else the first band.
 */
export function displayBandsOf(interpretations: readonly ColorInterpretation[], descriptions: ReadonlyArray<string | undefined> = []): [number] | [number, number, number] {
  const red = interpretations.indexOf('red')
  const green = interpretations.indexOf('green')
  const blue = interpretations.indexOf('blue')
  if (red >= 0 && green >= 0 && blue >= 0) return [red, green, blue]
  const described = bandsDescribedAs(interpretations, descriptions)
  if (described) return described
  const values = interpretations.map((c, band) => (c === 'alpha' ? -1 : band)).filter((band) => band >= 0)
  return values.length >= 3 ? [values[0]!, values[1]!, values[2]!] : [values[0] ?? 0]
}

/** Red, green and blue bands by description, when each colour is named by a band that is not alpha. */
function bandsDescribedAs(interpretations: readonly ColorInterpretation[], descriptions: ReadonlyArray<string | undefined>): [number, number, number] | null {
  const best: Record<Colour, { band: number; plainness: number }> = { red: { band: -1, plainness: 0 }, green: { band: -1, plainness: 0 }, blue: { band: -1, plainness: 0 } }
  interpretations.forEach((interpretation, band) => {
    if (interpretation === 'alpha') return
    const named = colourOfDescription(descriptions[band])
    if (named && named.plainness > best[named.colour].plainness) best[named.colour] = { band, plainness: named.plainness }
  })
  const bands: [number, number, number] = [best.red.band, best.green.band, best.blue.band]
  return bands.every((band) => band >= 0) ? bands : null
}
