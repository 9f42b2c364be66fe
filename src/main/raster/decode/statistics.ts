/** Value statistics of a band, for the renderer's linear stretch. Pure; runs in the worker. */
import type { BandStatistics } from '../../../shared/raster'

/**
 * min, max, 2nd and 98th percentiles of `values`, leaving out NaN and the no-data value. A band
 * with no valid value gets zeros (the renderer then shows it flat instead of failing).
 */
export function bandStatistics(values: ArrayLike<number>, noData: number | null): BandStatistics {
  const valid = new Float64Array(values.length)
  let count = 0
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (Number.isNaN(value) || value === noData || !Number.isFinite(value)) continue
    valid[count++] = value
  }
  if (count === 0) return { min: 0, max: 0, p2: 0, p98: 0, noData }
  const sorted = valid.subarray(0, count).sort()
  const at = (q: number): number => sorted[Math.min(count - 1, Math.floor(q * (count - 1)))]!
  return { min: sorted[0]!, max: sorted[count - 1]!, p2: at(0.02), p98: at(0.98), noData }
}
