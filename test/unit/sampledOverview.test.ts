/** The quick overview of a striped raster read in place: which rows it reads, how its work is split. */
import { describe, expect, it } from 'vitest'
import { sampledRows } from '../../src/main/raster/decode/sampledOverview'
import { rowBands } from '../../src/main/raster/inPlaceOverview'

describe('sampledRows', () => {
  it('reads the one-row strip in the middle of the rows an overview row stands for', () => {
    expect(sampledRows(0, 4, 1, 4000)).toEqual({ top: 2, height: 1 })
    expect(sampledRows(10, 8, 1, 4000)).toEqual({ top: 84, height: 1 })
  })

  it('reads every row of that strip that lies within those rows', () => {
    // Strips of 3 rows, 8 rows per overview row: rows 8…15, middle 12, strip 12…14.
    expect(sampledRows(1, 8, 3, 4000)).toEqual({ top: 12, height: 3 })
    // Rows 16…23, middle 20, strip 18…20: only 18…20 (all within).
    expect(sampledRows(2, 8, 3, 4000)).toEqual({ top: 18, height: 3 })
    // A strip that starts before the overview row's rows is cut to them: rows 24…31, middle 28, strip 27…29.
    expect(sampledRows(3, 8, 3, 4000)).toEqual({ top: 27, height: 3 })
    expect(sampledRows(0, 8, 5, 4000)).toEqual({ top: 0, height: 5 }) // middle 4, strip 0…4
  })

  it('stays inside an image whose last overview row stands for fewer rows', () => {
    // 4001 rows by 4: the last overview row (1000) stands for row 4000 alone.
    expect(sampledRows(1000, 4, 1, 4001)).toEqual({ top: 4000, height: 1 })
  })
})

describe('rowBands', () => {
  it('cuts the rows into bands that start at multiples of the alignment and cover every row once', () => {
    const bands = rowBands(1000, 8, 2)
    expect(bands).toEqual([
      { from: 0, to: 496 },
      { from: 496, to: 1000 }
    ])
  })

  it('makes no more bands than aligned units, nor empty ones', () => {
    expect(rowBands(5, 8, 4)).toEqual([{ from: 0, to: 5 }])
    const bands = rowBands(17, 4, 3)
    expect(bands.every((b) => b.from % 4 === 0 && b.to > b.from)).toBe(true)
    expect(bands.map((b) => b.to - b.from).reduce((a, b) => a + b, 0)).toBe(17)
  })
})
