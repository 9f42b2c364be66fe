/** Value statistics of a band, for the renderer's linear stretch. Pure; runs in the worker. */
import { type BandStatistics, HISTOGRAM_BINS } from '../../../shared/raster'

/**
 * min, max, 2nd and 98th percentiles of `values`, leaving out NaN and the no-data value. A band
 * with no valid value gets zeros (the renderer then shows it flat instead of failing).
 */
export function bandStatistics(values: ArrayLike<number>, noData: number | null): BandStatistics {
  // Min, max and moments over every valid value; percentiles over an even sample of at most
  // PERCENTILE_SAMPLES of them: sorting a million took ~0.2 s of every value raster's open, and 65,536
  // samples place the 2nd and 98th percentiles within a fraction of a percent of the sorted whole.
  const step = Math.max(1, Math.floor(values.length / PERCENTILE_SAMPLES))
  const sample = new Float64Array(Math.ceil(values.length / step))
  let count = 0
  let sampled = 0
  let min = Infinity
  let max = -Infinity
  let sum = 0
  let squares = 0
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (value !== value || value === noData || value === Infinity || value === -Infinity) continue
    count++
    if (value < min) min = value
    if (value > max) max = value
    sum += value
    squares += value * value
    if (i % step === 0) sample[sampled++] = value
  }
  if (count === 0) return { min: 0, max: 0, p2: 0, p98: 0, noData }
  const sorted = sample.subarray(0, sampled).sort()
  const at = (q: number): number => (sampled === 0 ? min : sorted[Math.min(sampled - 1, Math.floor(q * (sampled - 1)))]!)
  const mean = sum / count
  const stdDev = Math.sqrt(Math.max(0, squares / count - mean * mean))
  return { min, max, p2: at(0.02), p98: at(0.98), p0_5: at(0.005), p99_5: at(0.995), mean, stdDev, noData, histogram: histogram(values, noData, min, max) }
}

/** Counts of the valid values in HISTOGRAM_BINS equal bins from min to max (a second pass: min and max come first). */
function histogram(values: ArrayLike<number>, noData: number | null, min: number, max: number): number[] {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  const scale = max > min ? HISTOGRAM_BINS / (max - min) : 0
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (value !== value || value === noData || value === Infinity || value === -Infinity) continue
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((value - min) * scale))]!++
  }
  return counts
}

/** Values whose percentiles are computed, at most. */
const PERCENTILE_SAMPLES = 65_536

/**
 * How many valid pixels hold each class value, indexed by the value (a paletted band's classes, for
 * its legend): NaN (masked) and the no-data value left out, as are values that are not a class index
 * (negative, fractional, past MAX_CLASS_VALUE). Empty when no pixel is valid.
 */
export function classCounts(values: ArrayLike<number>, noData: number | null): number[] {
  const counts: number[] = []
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (value === noData || !(value >= 0 && value <= MAX_CLASS_VALUE) || !Number.isInteger(value)) continue
    while (counts.length <= value) counts.push(0)
    counts[value]!++
  }
  return counts
}

/** The largest class value counted: a TIFF colour table has at most 65,536 entries (16-bit indices). */
export const MAX_CLASS_VALUE = 65_535

/**
 * The statistics of a class band from its class counts over every pixel (`classCounts`): exact,
 * percentiles included, as `bandStatistics` would give over those pixels (its percentile at rank
 * floor(q · (n − 1)) of the sorted values), without holding the pixels.
 */
export function statisticsOfClassCounts(counts: readonly number[], noData: number | null): BandStatistics {
  let count = 0
  let sum = 0
  let squares = 0
  let min = Infinity
  let max = -Infinity
  counts.forEach((n, value) => {
    if (n === 0) return
    count += n
    sum += n * value
    squares += n * value * value
    min = Math.min(min, value)
    max = Math.max(max, value)
  })
  if (count === 0) return { min: 0, max: 0, p2: 0, p98: 0, noData, exact: true, classCounts: [...counts] }
  const at = (q: number): number => {
    const rank = Math.floor(q * (count - 1))
    let seen = 0
    for (let value = min; value <= max; value++) {
      seen += counts[value] ?? 0
      if (seen > rank) return value
    }
    return max
  }
  const histogram = new Array<number>(HISTOGRAM_BINS).fill(0)
  const scale = max > min ? HISTOGRAM_BINS / (max - min) : 0
  counts.forEach((n, value) => {
    if (n > 0) histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor((value - min) * scale))]! += n
  })
  const mean = sum / count
  const stdDev = Math.sqrt(Math.max(0, squares / count - mean * mean))
  return { min, max, p2: at(0.02), p98: at(0.98), p0_5: at(0.005), p99_5: at(0.995), mean, stdDev, noData, histogram, exact: true, classCounts: [...counts] }
}
