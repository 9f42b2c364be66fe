/** The scale bar: a round ground length and how many screen pixels it takes. Pure. */

export interface ScaleBar {
  /** Length of the bar on screen, CSS pixels. */
  pixels: number
  /** "500 m", "2 km", "20 cm"; "200 px" in the layer's pixels where no ground length is known. */
  label: string
}

/** What a scale bar measures: ground metres (a known CRS), map units, or the layer's pixels. */
export type ScaleUnit = 'metres' | 'map units' | 'pixels'

/**
 * The longest round length (1, 2 or 5 × 10^n) that fits in `maxPixels` at `unitsPerPixel` units
 * per screen pixel, labelled in `unit` (metres as m/km/cm).
 */
export function scaleBar(unitsPerPixel: number, maxPixels = 120, unit: ScaleUnit = 'metres'): ScaleBar | null {
  if (!(unitsPerPixel > 0) || !Number.isFinite(unitsPerPixel)) return null
  const most = unitsPerPixel * maxPixels
  const power = 10 ** Math.floor(Math.log10(most))
  const length = [5, 2, 1].map((m) => m * power).find((l) => l <= most) ?? power
  const label = unit === 'metres' ? formatMetres(length) : unit === 'pixels' ? `${trim(length)} px` : `${trim(length)} map units`
  return { pixels: length / unitsPerPixel, label }
}

function formatMetres(m: number): string {
  if (m >= 1000) return `${trim(m / 1000)} km`
  if (m >= 1) return `${trim(m)} m`
  if (m >= 0.01) return `${trim(m * 100)} cm`
  return `${trim(m * 1000)} mm`
}

function trim(value: number): string {
  return String(Number(value.toPrecision(6)))
}
