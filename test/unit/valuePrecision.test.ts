import { describe, expect, it } from 'vitest'
import type { BandStatistics } from '../../src/shared/raster'
import { dragRange, formatAtPrecision, valueDecimals } from '../../src/renderer/ui/valuePrecision'
import { centredRange } from '../../src/renderer/ui/stretchRange'

const stats = (values: number[]): BandStatistics => {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!
  return { min: sorted[0]!, max: sorted.at(-1)!, p2: at(0.02), p98: at(0.98), p0_5: at(0.005), p99_5: at(0.995), mean: 0.123456, stdDev: 0.987654, noData: null }
}

describe('valueDecimals', () => {
  it('shows an integer raster as integers (its mean and σ do not count: they are not values of the band)', () => {
    expect(valueDecimals(stats([-32, 0, 17, 331, 1200]))).toBe(0)
  })

  it('shows a float32 raster stored in steps of 0.01 with two decimals', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.fround((i * 7) / 100 + 12.34))
    expect(valueDecimals(stats(values))).toBe(2)
  })

  it('shows steps of 0.5 with one decimal and steps of 0.25 with two', () => {
    expect(valueDecimals(stats([0.5, 1, 2.5, 7]))).toBe(1)
    expect(valueDecimals(stats([0.25, 1, 2.75]))).toBe(2)
  })

  it('gives continuous floats four significant digits across their span', () => {
    const values = Array.from({ length: 200 }, (_, i) => Math.fround(Math.sin(i) * 3.3333333 + 10.1234567))
    expect(valueDecimals(stats(values))).toBe(3)
    const depths = Array.from({ length: 200 }, (_, i) => Math.fround(Math.PI * i * 0.00123457))
    expect(valueDecimals(stats(depths))).toBe(4)
  })

  it('falls back to two decimals without statistics', () => {
    expect(valueDecimals(null)).toBe(2)
  })
})

describe('formatAtPrecision', () => {
  it('writes the decimals asked, never a negative zero', () => {
    expect(formatAtPrecision(12.340000152587890625, 2)).toBe('12.34')
    expect(formatAtPrecision(331, 0)).toBe('331')
    expect(formatAtPrecision(-0.0001, 2)).toBe('0.00')
    expect(formatAtPrecision(-3.6, 0)).toBe('-4')
  })
})

describe('dragRange', () => {
  const axis = { min: 0, max: 100 }
  it('spans from where the drag began to where it is, either way, rounded to the data\'s precision', () => {
    expect(dragRange(axis, 0.2, 0.755, 0)).toEqual({ min: 20, max: 76 })
    expect(dragRange(axis, 0.755, 0.2, 1)).toEqual({ min: 20, max: 75.5 })
  })
  it('stays on the axis and is never empty', () => {
    expect(dragRange(axis, -0.5, 1.5, 0)).toEqual({ min: 0, max: 100 })
    expect(dragRange(axis, 0.3, 0.3, 2)).toEqual({ min: 30, max: 30.01 })
  })
})

describe('centredRange', () => {
  it('centres a range on 0, holding both its ends (differences under a diverging map)', () => {
    expect(centredRange({ min: -3, max: 5 })).toEqual({ min: -5, max: 5 })
    expect(centredRange({ min: 2, max: 4 })).toEqual({ min: -4, max: 4 })
    expect(centredRange({ min: 0, max: 0 })).toBeNull()
  })
})
