/**
 * The `sample-values` call's parameters as the table of calls checks them (issue 23), and the
 * service's reading of values from decoded tiles: bounds, bad input, the no-data rule.
 */
import { describe, expect, it } from 'vitest'
import { MESSAGE_LIMITS, checkParams } from '../../src/shared/calls'
import { TesseraError } from '../../src/shared/errors'
import { bandValuesAt, MAX_SAMPLE_TILES, sampleValues } from '../../src/main/service/sampleValues'
import type { RasterInfo } from '../../src/shared/raster'
import type { DecodedTile } from '../../src/main/raster/types'

const check = (message: Record<string, unknown>): Record<string, unknown> => checkParams('sample-values', message)

function expectRefused(message: Record<string, unknown>, text: string): void {
  try {
    check(message)
  } catch (error) {
    expect(error).toBeInstanceOf(TesseraError)
    expect((error as TesseraError).code).toBe('bad-message')
    expect((error as TesseraError).message).toContain(text)
    return
  }
  throw new Error(`expected ${JSON.stringify(message).slice(0, 80)} to be refused`)
}

describe('sample-values parameters', () => {
  it('takes a raster id and level-0 pixel positions, fractional and outside the raster too', () => {
    expect(check({ rasterId: 'r1', points: [{ x: 1.5, y: 2 }, { x: -3, y: 1e6 }], extra: 1 })).toEqual({ rasterId: 'r1', points: [{ x: 1.5, y: 2 }, { x: -3, y: 1e6 }] })
  })

  it(`refuses more than ${MESSAGE_LIMITS.maxSamplePoints} points`, () => {
    const points = Array.from({ length: MESSAGE_LIMITS.maxSamplePoints + 1 }, () => ({ x: 0, y: 0 }))
    expectRefused({ rasterId: 'r1', points }, `Expected array of at most ${MESSAGE_LIMITS.maxSamplePoints} points for points`)
  })

  it('refuses a point that is not two finite numbers, naming it', () => {
    expectRefused({ rasterId: 'r1', points: [{ x: 0, y: 0 }, { x: Number.POSITIVE_INFINITY, y: 0 }] }, 'points[1].x')
    expectRefused({ rasterId: 'r1', points: [{ x: 0 }] }, 'points[0].y')
    expectRefused({ rasterId: 'r1', points: [[0, 0]] }, 'Expected object for points[0]')
    expectRefused({ rasterId: 'r1', points: [{ x: 2 ** 32, y: 0 }] }, 'points[0].x')
    expectRefused({ rasterId: 'r1', points: 'all' }, 'for points')
    expectRefused({ points: [] }, 'rasterId')
  })
})

const info = (over: Partial<RasterInfo> = {}): RasterInfo =>
  ({ name: 'dem.tif', width: 600, height: 300, tileSize: 256, tileKind: 'bands', tileMask: false, noData: -9999, ...over }) as RasterInfo

function tile(width: number, height: number, channels: number, at: (x: number, y: number, c: number) => number): DecodedTile {
  const data = new Float32Array(width * height * channels)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = at(x, y, c)
  return { width, height, channels, data }
}

describe('sampleValues', () => {
  it('reads each level-0 tile the points fall in once, and the pixel of each point (its floor)', async () => {
    const reads: string[] = []
    const got = await sampleValues(info(), [{ x: 3.9, y: 4.1 }, { x: 257, y: 1 }, { x: 5, y: 5 }, { x: 600, y: 1 }], async (level, col, row) => {
      reads.push(`${level}/${col}/${row}`)
      return tile(col === 2 ? 88 : 256, 256, 1, (x, y) => col * 1000 + y * 10 + x)
    })
    expect(reads.sort()).toEqual(['0/0/0', '0/1/0'])
    expect(got).toEqual([[43], [1011], [55], null])
  })

  it('says no data for NaN, the no-data value, and every band of a masked pixel', () => {
    const t = tile(2, 1, 3, (x, _y, c) => (c === 2 ? x : [[Number.NaN, -9999], [7, 8]][x]![c]!))
    expect(bandValuesAt(t, { tileMask: true, noData: -9999 }, 0, 0)).toEqual([null, null])
    expect(bandValuesAt(t, { tileMask: true, noData: -9999 }, 1, 0)).toEqual([7, 8])
    expect(bandValuesAt(t, { tileMask: false, noData: null }, 1, 0)).toEqual([7, 8, 1])
  })

  it(`refuses points over more than ${MAX_SAMPLE_TILES} tiles before reading any`, async () => {
    let reads = 0
    const points = Array.from({ length: MAX_SAMPLE_TILES + 1 }, (_, i) => ({ x: i * 256, y: 0 }))
    await expect(sampleValues(info({ width: 256 * 40 }), points, async () => (reads++, tile(1, 1, 1, () => 0)))).rejects.toThrow(/at most 16 level-0 tiles of dem\.tif/)
    expect(reads).toBe(0)
  })

  it('refuses a raster of colour tiles', async () => {
    await expect(sampleValues(info({ tileKind: 'rgba8' }), [], async () => tile(1, 1, 4, () => 0))).rejects.toThrow(/Cannot sample values of dem\.tif: its tiles carry colours/)
  })
})
