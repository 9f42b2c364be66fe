/** A class band's statistics from its counts over every pixel equal those taken over the pixels themselves. */
import { describe, expect, it } from 'vitest'
import { bandStatistics, classCounts, statisticsOfClassCounts } from '../../src/main/raster/decode/statistics'

describe('statisticsOfClassCounts', () => {
  it('gives what bandStatistics gives over the same pixels, no-data left out', () => {
    const pixels = new Uint8Array(5000)
    for (let i = 0; i < pixels.length; i++) pixels[i] = i < 300 ? 0 : i % 97 === 0 ? 250 : 10 + (i % 7) * 3
    const counts = classCounts(pixels, 0)
    const fromCounts = statisticsOfClassCounts(counts, 0)
    const fromPixels = bandStatistics(pixels, 0)
    for (const key of ['min', 'max', 'p2', 'p98', 'p0_5', 'p99_5', 'histogram'] as const) expect(fromCounts[key], key).toEqual(fromPixels[key])
    expect(fromCounts.mean).toBeCloseTo(fromPixels.mean!, 9)
    expect(fromCounts.stdDev).toBeCloseTo(fromPixels.stdDev!, 9)
    expect(fromCounts.classCounts).toEqual(counts)
    expect(fromCounts.exact).toBe(true)
  })

  it('gives zeros for a band without a valid pixel', () => {
    expect(statisticsOfClassCounts([], 0)).toMatchObject({ min: 0, max: 0, p2: 0, p98: 0, exact: true, classCounts: [] })
  })
})
