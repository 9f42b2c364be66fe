/**
 * A band's stretch range as a person sets it: typed limits checked (a maximum at or below the
 * minimum is refused and said), presets from the band's statistics (min–max, 2–98 %, 0.5–99.5 %,
 * mean ± 2σ), and where they and the range lie on the band's value axis. Pure functions.
 */
import type { BandStatistics } from '../../shared/raster'
import type { BandRange } from '../view/bandPixels'
import { formatValue } from './format'

export type PresetId = 'minmax' | 'p2' | 'p0_5' | 'sigma2'

export interface StretchPreset {
  id: PresetId
  label: string
  range: BandRange
}

/** The presets the statistics allow, each with a non-empty range (a band without spread has none). */
export function stretchPresets(stats: BandStatistics | null | undefined): StretchPreset[] {
  if (!stats) return []
  const presets: StretchPreset[] = []
  const add = (id: PresetId, label: string, min: number | undefined, max: number | undefined): void => {
    if (min !== undefined && max !== undefined && Number.isFinite(min) && Number.isFinite(max) && max > min) presets.push({ id, label, range: { min, max } })
  }
  add('minmax', 'min – max', stats.min, stats.max)
  add('p2', '2 – 98 %', stats.p2, stats.p98)
  add('p0_5', '0.5 – 99.5 %', stats.p0_5, stats.p99_5)
  if (stats.mean !== undefined && stats.stdDev !== undefined) add('sigma2', 'mean ± 2σ', stats.mean - 2 * stats.stdDev, stats.mean + 2 * stats.stdDev)
  return presets
}

/** What typed limits say: a range, or which field is wrong and why. */
export type RangeInput = { range: BandRange } | { field: 'min' | 'max'; error: string }

/** Checks the text of the two fields: numbers, finite, the maximum above the minimum. */
export function parseRange(minText: string, maxText: string): RangeInput {
  const min = Number(minText)
  const max = Number(maxText)
  if (minText.trim() === '' || !Number.isFinite(min)) return { field: 'min', error: `The minimum must be a number (received "${minText}")` }
  if (maxText.trim() === '' || !Number.isFinite(max)) return { field: 'max', error: `The maximum must be a number (received "${maxText}")` }
  if (max <= min) return { field: 'max', error: `The maximum must be above the minimum (${formatValue(max)} ≤ ${formatValue(min)})` }
  return { range: { min, max } }
}

/** The axis a band's range is drawn on: its values from min to max, widened to hold the range. */
export function valueAxis(stats: BandStatistics | null | undefined, range: BandRange): BandRange {
  const lo = Math.min(range.min, stats && Number.isFinite(stats.min) ? stats.min : range.min)
  const hi = Math.max(range.max, stats && Number.isFinite(stats.max) ? stats.max : range.max)
  return hi > lo ? { min: lo, max: hi } : { min: lo - 0.5, max: lo + 0.5 }
}

/** Where a value lies on an axis, 0 (its minimum) to 1 (its maximum). */
export function axisPosition(axis: BandRange, value: number): number {
  return Math.min(1, Math.max(0, (value - axis.min) / (axis.max - axis.min)))
}

/** The preset whose range is the given one, if any (to within a relative 1e-9). */
export function presetOf(presets: readonly StretchPreset[], range: BandRange): PresetId | null {
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
  return presets.find((p) => close(p.range.min, range.min) && close(p.range.max, range.max))?.id ?? null
}

/** The range centred on 0 that holds `range` (a diverging colour map's: differences, 0 in the middle); null when it has no extent. */
export function centredRange(range: BandRange): BandRange | null {
  const half = Math.max(Math.abs(range.min), Math.abs(range.max))
  return half > 0 && Number.isFinite(half) ? { min: -half, max: half } : null
}
