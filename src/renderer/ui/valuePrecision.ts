/**
 * The precision of a band's values, for the numbers the stretch shows and sets: an integer raster
 * shows integers, a float raster stored in steps of 0.01 shows two decimals. Derived from the
 * statistics the host sent: their min, max and percentiles are values of the band itself
 * (`main/raster/decode/statistics.ts`), so the decimals that write all of them exactly are the
 * data's. A band of continuous floats (no such step within MAX_DECIMALS) gets four significant
 * digits across its span. Pure functions.
 */
import type { BandStatistics } from '../../shared/raster'
import type { BandRange } from '../view/bandPixels'

/** Most decimals a step is looked for in (float32 holds about 7 significant digits). */
export const MAX_DECIMALS = 6

/** Decimals that show every value of the band as it is stored (see the module's comment). */
export function valueDecimals(stats: BandStatistics | null | undefined): number {
  if (!stats) return 2
  const values = [stats.min, stats.max, stats.p2, stats.p98, stats.p0_5, stats.p99_5].filter((v): v is number => v !== undefined && Number.isFinite(v))
  if (values.length === 0) return 2
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    if (values.every((v) => onStep(v, decimals))) return decimals
  }
  const span = Math.max(...values) - Math.min(...values) || Math.max(...values.map(Math.abs)) || 1
  return Math.max(0, Math.min(8, 4 - Math.ceil(Math.log10(span))))
}

/** True when `value` is a whole number of 10^−decimals, allowing for float32 storage (12.34 as 12.340000152…). */
function onStep(value: number, decimals: number): boolean {
  const scaled = value * 10 ** decimals
  // A float32 holds 24 bits: its rounding error is 2^-24 of the value, scaled with it. A step finer
  // than a float32 can tell apart at this value says nothing (every value would be "on" it).
  const tolerance = Math.max(1e-9, Math.abs(scaled) * 2 ** -23)
  if (tolerance > 0.05) return false
  return Math.abs(scaled - Math.round(scaled)) <= tolerance
}

/** A value written with `decimals` decimals ("12.30", "-4"; never "-0"). */
export function formatAtPrecision(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : String(value)
  const text = value.toFixed(decimals)
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text
}

/** A value rounded to `decimals` decimals (a number, for a range set by dragging). */
export function roundToPrecision(value: number, decimals: number): number {
  return Number(value.toFixed(decimals))
}

/**
 * The range a drag across the value axis sets: from where it started to where it is (either
 * way), each end rounded to the data's precision; never empty (a click without a move gives one
 * step of width).
 */
export function dragRange(axis: BandRange, from: number, to: number, decimals: number): BandRange {
  const at = (fraction: number): number => roundToPrecision(axis.min + Math.min(1, Math.max(0, fraction)) * (axis.max - axis.min), decimals)
  const a = at(Math.min(from, to))
  const b = at(Math.max(from, to))
  return b > a ? { min: a, max: b } : { min: a, max: roundToPrecision(a + 10 ** -decimals, decimals) }
}
