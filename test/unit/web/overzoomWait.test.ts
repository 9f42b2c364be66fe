/**
 * A web tile past the server's deepest zoom (WebTileReader with `overzoom`) waits only for the
 * other fetches at its level or finer, not for ServerDepth's whole DEPTH_WAIT_MS: with the clock
 * stopped (fake timers never advanced), a read that needed the timer would never settle. A fake
 * server (the cache's `fetchCached`) answers 404 at levels 0 and 1 and an image at level 2; the
 * pool "decodes" an image into pixels (x, y, its level, 255): what is read says which answer it
 * came from (blue) and which part of it (red, green).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebTileReader } from '../../../src/main/web/webTileReader'
import type { WebGrid } from '../../../src/main/web/webGrid'
import type { TileCache, WebAnswer } from '../../../src/main/web/tileCache'
import type { DecodePool } from '../../../src/main/raster/decodePools'
import type { DecodeJob, TilePixels } from '../../../src/main/raster/decode/jobs'

const TILE = 256
/** Level 0: 4 × 4 tiles; level 1: 2 × 2; level 2: one. */
const grid: WebGrid = {
  crs: 'EPSG:3857',
  geoTransform: [0, 1, 0, 0, 0, -1],
  width: 4 * TILE,
  height: 4 * TILE,
  tileSize: TILE,
  levels: [
    { width: 4 * TILE, height: 4 * TILE },
    { width: 2 * TILE, height: 2 * TILE },
    { width: TILE, height: TILE }
  ],
  request: (level, col, row) => ({ url: `https://tiles.test/${level}/${col}/${row}.png`, imageWidth: TILE, imageHeight: TILE })
}

/** An answer the test lets out when it wants. */
interface Held {
  url: string
  answer(status: number): void
}

let held: Held[]
let asked: string[]
/** Answer at once (status by level) unless the URL is in `hold`. */
let hold: Set<string>
const STATUS_BY_LEVEL = [404, 404, 200]

const levelOf = (url: string): number => Number(url.split('/')[3])

const cache = {
  fetchCached(url: string): Promise<WebAnswer> {
    asked.push(url)
    const answer = (status: number): WebAnswer => ({ status, statusText: '', contentType: 'image/png', body: status === 200 ? PNG_SIGNATURE : new Uint8Array(0), from: 'network' })
    if (!hold.has(url)) return Promise.resolve(answer(STATUS_BY_LEVEL[levelOf(url)]!))
    return new Promise((resolve) => held.push({ url, answer: (status) => resolve(answer(status)) }))
  }
} as unknown as TileCache

const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Images decoded, by URL. */
let decoded: string[]
/** Pixel (x, y) of a decoded image is (x, y, the image's level, 255). */
const pool = {
  async run(job: DecodeJob): Promise<TilePixels> {
    if (job.kind !== 'decode-image') throw new Error(`unexpected job ${job.kind}`)
    decoded.push(job.url)
    const pixels = new Uint8Array(job.width * job.height * 4)
    for (let y = 0; y < job.height; y++) for (let x = 0; x < job.width; x++) pixels.set([x, y, levelOf(job.url), 255], (y * job.width + x) * 4)
    return { width: job.width, height: job.height, channels: 4, sampleType: 'uint8', buffer: pixels.buffer }
  }
} as unknown as DecodePool

/** The level of the image a tile was drawn from (its blue), or null for an empty tile. */
const sourceOf = (tile: { data: ArrayLike<number> }): number | null => (tile.data[3] === 0 ? null : tile.data[2]!)

const reader = (): WebTileReader => new WebTileReader(grid, cache, pool, { missingIsEmpty: true, overzoom: true })

/** Holds the answers to these tiles (level/col/row) until `answer` lets each out. */
const holding = (...tiles: string[]): void => tiles.forEach((tile) => hold.add(`https://tiles.test/${tile}.png`))
const answer = (tile: string, status: number): void => held.find((h) => h.url.endsWith(`/${tile}.png`))!.answer(status)

/** Lets the promise chains run (no timer moves). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

beforeEach(() => {
  vi.useFakeTimers()
  held = []
  asked = []
  decoded = []
  hold = new Set()
})
afterEach(() => vi.useRealTimers())

describe('a tile past the server’s deepest zoom', () => {
  it('is drawn from its nearest ancestor with an image once nothing else is asked at its level, without the depth timer', async () => {
    const tile = await reader().read(0, 3, 2)
    // Level 1 answered 404 too: level 2's image, magnified.
    expect(sourceOf(tile)).toBe(2)
    expect(asked).toEqual(['https://tiles.test/0/3/2.png', 'https://tiles.test/1/1/1.png', 'https://tiles.test/2/0/0.png'])
  })

  it('waits for a sibling still asked at its level: its image says the 404 is outside the data (empty)', async () => {
    const source = reader()
    holding('0/1/1', '0/0/0')
    const sibling = source.read(0, 1, 1)
    const missing = source.read(0, 0, 0)
    let done = false
    void missing.then(() => (done = true))
    // The first sibling (0/0/0) answers 404 while the other is still out: no verdict yet.
    answer('0/0/0', 404)
    await settle()
    expect(done).toBe(false)
    answer('0/1/1', 200)
    const [image, empty] = await Promise.all([sibling, missing])
    expect(sourceOf(image)).toBe(0)
    expect(empty.data.every((v) => v === 0)).toBe(true)
    // No ancestor was asked: the server's data reaches level 0.
    expect(asked.filter((url) => levelOf(url) > 0)).toEqual([])
  })

  it('waits for a sibling that then answers 404 too: both are past the depth, drawn from their ancestor', async () => {
    const source = reader()
    holding('0/2/2', '0/3/3')
    const first = source.read(0, 2, 2)
    const second = source.read(0, 3, 3)
    answer('0/2/2', 404)
    await settle()
    answer('0/3/3', 404)
    const tiles = await Promise.all([first, second])
    for (const tile of tiles) expect(sourceOf(tile)).toBe(2)
  })

  it('does not wait on a coarser level’s fetch: it cannot tell whether the data reaches the 404’s level', async () => {
    const source = reader()
    holding('1/0/0')
    const coarser = source.read(1, 0, 0)
    const tile = source.read(0, 3, 3)
    // 0/3/3's ancestor 1/1/1 is not held: level 2's image comes through it.
    expect(sourceOf(await tile)).toBe(2)
    answer('1/0/0', 404)
    expect(sourceOf(await coarser)).toBe(2)
  })

  it('shares its ancestor’s one decode with its siblings, each its own part magnified', async () => {
    const source = reader()
    // Level 0's tiles (2..3, 2..3) lie under level 1's (1, 1), all under level 2's one tile (factor 4).
    const coords = [
      [2, 2],
      [3, 2],
      [2, 3],
      [3, 3]
    ] as const
    const tiles = await Promise.all(coords.map(([col, row]) => source.read(0, col, row)))
    expect(decoded).toEqual(['https://tiles.test/2/0/0.png'])
    coords.forEach(([col, row], i) => {
      const tile = tiles[i]!
      // Pixel (x, y) of tile (col, row) is the ancestor's (64·(col mod 4) + ⌊x / 4⌋, 64·(row mod 4) + ⌊y / 4⌋).
      for (const [x, y] of [
        [0, 0],
        [3, 3],
        [4, 0],
        [255, 255],
        [130, 7]
      ] as const) {
        const at = (y * TILE + x) * 4
        expect([...tile.data.slice(at, at + 4)]).toEqual([64 * (col % 4) + Math.floor(x / 4), 64 * (row % 4) + Math.floor(y / 4), 2, 255])
      }
    })
    // Read again later (a pan back): still no second decode.
    await source.read(0, 2, 2)
    expect(decoded).toHaveLength(1)
  })
})
