/** Tile keys and pyramid arithmetic shared by main and renderer (src/shared/tiles.ts). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isTileInPyramid,
  levelForZoom,
  parseTileKey,
  pyramidLevels,
  tileCoordKey,
  tileGrid,
  tileKey,
  tileRect,
  type TileAddress
} from '../../src/shared/tiles'

describe('tileKey and parseTileKey', () => {
  it('writes a tile address as rasterId/level/col/row', () => {
    expect(tileKey({ rasterId: 'r1', level: 2, col: 3, row: 4 })).toBe('r1/2/3/4')
  })

  it('writes the place of a tile in its pyramid as level/col/row, the tail of its key', () => {
    expect(tileCoordKey({ level: 2, col: 3, row: 4 })).toBe('2/3/4')
    expect(tileKey({ rasterId: 'r1', level: 2, col: 3, row: 4 }).endsWith(`/${tileCoordKey({ level: 2, col: 3, row: 4 })}`)).toBe(true)
  })

  it('parses a key back into its address', () => {
    expect(parseTileKey('r1/2/3/4')).toEqual({ rasterId: 'r1', level: 2, col: 3, row: 4 })
  })

  it('keeps slashes inside the raster id, reading the address from the last three parts', () => {
    const address = { rasterId: '/home/me/ortho 2024/1/2/3.tif', level: 0, col: 10, row: 7 }
    expect(parseTileKey(tileKey(address))).toEqual(address)
  })

  it.each(['', 'abc', 'r/1/2', 'r/1/2/x', 'r/-1/2/3', 'r/1.5/2/3', '/1/2/3', 'r/1/2/3/', 'r/1/2/1234567890', 'r//2/3'])(
    'returns null for %j, which is not a tile key',
    (key) => {
      expect(parseTileKey(key)).toBeNull()
    }
  )

  it('roundtrips any address with a non-empty raster id (property)', () => {
    const address: fc.Arbitrary<TileAddress> = fc.record({
      rasterId: fc.oneof(fc.string({ minLength: 1 }), fc.stringMatching(/^[a-z0-9/.]{1,20}$/)),
      level: fc.nat(40),
      col: fc.nat(999_999_999),
      row: fc.nat(999_999_999)
    })
    fc.assert(
      fc.property(address, (a) => {
        expect(parseTileKey(tileKey(a))).toEqual(a)
      })
    )
  })
})

describe('pyramidLevels', () => {
  it('halves each level, rounding up, down to the first level that fits in one tile', () => {
    expect(pyramidLevels(1000, 600, 256)).toEqual([
      { width: 1000, height: 600 },
      { width: 500, height: 300 },
      { width: 250, height: 150 }
    ])
  })

  it('has a single level for an image that fits in one tile', () => {
    expect(pyramidLevels(256, 256, 256)).toEqual([{ width: 256, height: 256 }])
    expect(pyramidLevels(1, 1, 256)).toEqual([{ width: 1, height: 1 }])
  })

  it('continues until both sides fit, for a long thin image', () => {
    const levels = pyramidLevels(2049, 1, 256)
    expect(levels.map((l) => l.width)).toEqual([2049, 1025, 513, 257, 129])
    expect(levels.every((l) => l.height === 1)).toBe(true)
  })

  it.each([
    [0, 10, 256],
    [10, -1, 256],
    [10, 10, 0],
    [Number.NaN, 10, 256],
    [Number.POSITIVE_INFINITY, 10, 256],
    [100, 100, 0.5],
    [100.5, 100, 256]
  ])('rejects width %s, height %s, tileSize %s with a RangeError naming them', (width, height, tileSize) => {
    expect(() => pyramidLevels(width, height, tileSize)).toThrow(RangeError)
    expect(() => pyramidLevels(width, height, tileSize)).toThrow(`received ${width}×${height}, tile ${tileSize}`)
  })

  it('ends with a level that fits and each level is the rounded-up half of the previous (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 1024 }), (w, h, t) => {
        const levels = pyramidLevels(w, h, t)
        expect(levels[0]).toEqual({ width: w, height: h })
        const last = levels[levels.length - 1]!
        expect(last.width <= t && last.height <= t).toBe(true)
        for (let i = 1; i < levels.length; i++) {
          const prev = levels[i - 1]!
          expect(prev.width > t || prev.height > t).toBe(true)
          expect(levels[i]).toEqual({ width: Math.ceil(prev.width / 2), height: Math.ceil(prev.height / 2) })
        }
      })
    )
  })
})

describe('tileGrid', () => {
  it('counts columns and rows, a partial edge tile included', () => {
    expect(tileGrid({ width: 1000, height: 600 }, 256)).toEqual({ cols: 4, rows: 3 })
    expect(tileGrid({ width: 512, height: 256 }, 256)).toEqual({ cols: 2, rows: 1 })
    expect(tileGrid({ width: 1, height: 1 }, 256)).toEqual({ cols: 1, rows: 1 })
  })
})

describe('tileRect', () => {
  it('gives a full tile inside the level', () => {
    expect(tileRect({ width: 1000, height: 600 }, 256, 1, 1)).toEqual({ left: 256, top: 256, width: 256, height: 256 })
  })

  it('gives a smaller tile at the right and bottom edges', () => {
    expect(tileRect({ width: 1000, height: 600 }, 256, 3, 2)).toEqual({ left: 768, top: 512, width: 232, height: 88 })
  })

  it('tiles the level exactly, without overlap or gap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 512 }), (width, height, t) => {
        const level = { width, height }
        const { cols, rows } = tileGrid(level, t)
        let area = 0
        for (let col = 0; col < cols; col++) {
          const rect = tileRect(level, t, col, 0)
          expect(rect.left).toBe(col * t)
          expect(rect.width).toBeGreaterThan(0)
          expect(rect.width).toBeLessThanOrEqual(t)
          expect(rect.left + rect.width).toBeLessThanOrEqual(width)
          area += rect.width
        }
        expect(area).toBe(width)
        let tall = 0
        for (let row = 0; row < rows; row++) tall += tileRect(level, t, 0, row).height
        expect(tall).toBe(height)
      })
    )
  })
})

describe('isTileInPyramid', () => {
  const levels = pyramidLevels(1000, 600, 256)

  it('accepts every tile of every level', () => {
    for (let level = 0; level < levels.length; level++) {
      const { cols, rows } = tileGrid(levels[level]!, 256)
      expect(isTileInPyramid(levels, 256, level, 0, 0)).toBe(true)
      expect(isTileInPyramid(levels, 256, level, cols - 1, rows - 1)).toBe(true)
    }
  })

  it.each([
    ['a level past the last', 3, 0, 0],
    ['a negative level', -1, 0, 0],
    ['a column past the edge', 0, 4, 0],
    ['a row past the edge', 0, 0, 3],
    ['a negative column', 0, -1, 0],
    ['a fractional row', 0, 0, 0.5],
    ['a fractional level', 0.5, 0, 0],
    ['a NaN column', 0, Number.NaN, 0]
  ])('rejects %s', (_what, level, col, row) => {
    expect(isTileInPyramid(levels, 256, level, col, row)).toBe(false)
  })
})

describe('levelForZoom', () => {
  it.each([
    [1, 0],
    [4, 0],
    [0.75, 0],
    [0.5, 1],
    [0.3, 1],
    [0.25, 2],
    [0.125, 3],
    [1 / 3, 1]
  ])('chooses the coarsest level whose pixels are no larger than a screen pixel: zoom %s → level %s', (zoom, level) => {
    expect(levelForZoom(zoom, 10)).toBe(level)
  })

  it('clamps to the coarsest level of the pyramid when zoomed far out', () => {
    expect(levelForZoom(1e-6, 4)).toBe(3)
  })

  it.each([0, -1, Number.NaN])('returns the coarsest level for a zoom of %s', (zoom) => {
    expect(levelForZoom(zoom, 5)).toBe(4)
  })

  it('never picks a level whose pixels are larger than a screen pixel, nor a finer one than needed (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 64, noNaN: true }), fc.integer({ min: 1, max: 20 }), (zoom, count) => {
        const level = levelForZoom(zoom, count)
        expect(level).toBeGreaterThanOrEqual(0)
        expect(level).toBeLessThan(count)
        // A level-L pixel spans 2^L full pixels, i.e. 2^L * zoom screen pixels.
        if (level > 0) expect(2 ** level * zoom).toBeLessThanOrEqual(1 + 1e-9)
        if (level < count - 1) expect(2 ** (level + 1) * zoom).toBeGreaterThan(1 - 1e-9)
      })
    )
  })

  it.each([
    [1, 0],
    [0.7, 0],
    [0.68, 0],
    [0.6, 1],
    [0.5, 1],
    [0.34, 1],
    [0.33, 2],
    [0.125, 3],
    [0.1, 3]
  ])("'nearest' picks the level whose resolution is nearest the view's, as web maps do: zoom %s → level %s", (zoom, level) => {
    expect(levelForZoom(zoom, 10, 'nearest')).toBe(level)
  })

  it("'nearest' is never further from the view's resolution than a neighbouring level, and never finer than 'finer' (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 64, noNaN: true }), fc.integer({ min: 1, max: 20 }), (zoom, count) => {
        const level = levelForZoom(zoom, count, 'nearest')
        expect(level).toBeGreaterThanOrEqual(levelForZoom(zoom, count, 'finer'))
        expect(level).toBeLessThan(count)
        const resolution = 1 / zoom
        const off = (l: number): number => Math.abs(2 ** l - resolution)
        if (level > 0) expect(off(level)).toBeLessThanOrEqual(off(level - 1) + 1e-9)
        if (level < count - 1) expect(off(level)).toBeLessThanOrEqual(off(level + 1) + 1e-9)
      })
    )
  })
})
