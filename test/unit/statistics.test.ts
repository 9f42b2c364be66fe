import { describe, expect, it } from 'vitest'
import { bandStatistics } from '../../src/main/raster/decode/statistics'

describe('bandStatistics', () => {
  it('gives exact min, max, mean and standard deviation over every valid value', () => {
    const values = Float32Array.from({ length: 2_000_001 }, (_, i) => i - 1_000_000)
    values[17] = Number.NaN
    values[18] = -9999
    const s = bandStatistics(values, -9999)
    expect(s.min).toBe(-1_000_000)
    expect(s.max).toBe(1_000_000)
    const valid = Array.from(values).filter((v) => !Number.isNaN(v) && v !== -9999)
    const mean = valid.reduce((a, b) => a + b, 0) / valid.length
    const variance = valid.reduce((a, b) => a + (b - mean) ** 2, 0) / valid.length
    expect(s.mean).toBeCloseTo(mean, 6)
    expect(s.stdDev! / Math.sqrt(variance)).toBeCloseTo(1, 6)
    expect(s.noData).toBe(-9999)
  })

  it('places the percentiles of a large band within a fraction of a percent of the sorted whole', () => {
    const values = Float64Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 3_000_000) // every value once, shuffled
    const s = bandStatistics(values, null)
    const near = (value: number | undefined, q: number): void => expect(Math.abs(value! - q * 3_000_000) / 3_000_000).toBeLessThan(0.002)
    near(s.p2, 0.02)
    near(s.p98, 0.98)
    near(s.p0_5, 0.005)
    near(s.p99_5, 0.995)
  })

  it('counts every valid value once in a histogram of equal bins from min to max', () => {
    const values = Int16Array.from([0, 1, 2, 3, 63, 64, 64, -32768, 640])
    const s = bandStatistics(values, -32768)
    expect(s.histogram).toHaveLength(64)
    expect(s.histogram!.reduce((a, b) => a + b, 0)).toBe(8)
    // min 0, max 640: bins 10 wide.
    expect(s.histogram![0]).toBe(4) // 0, 1, 2, 3
    expect(s.histogram![6]).toBe(3) // 63, 64, 64
    expect(s.histogram![63]).toBe(1) // the maximum falls in the last bin
  })

  it('gives zeros for a band without a valid value', () => {
    expect(bandStatistics(Int16Array.from([-32768, -32768]), -32768)).toMatchObject({ min: 0, max: 0, p2: 0, p98: 0 })
  })
})
