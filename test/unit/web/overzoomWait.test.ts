/**
 * A web tile past the server's deepest zoom (WebTileReader with `overzoom`) waits only for the
 * other fetches at its level or finer, not for ServerDepth's whole DEPTH_WAIT_MS: with the clock
 * stopped (fake timers never advanced), a read that needed the timer would never settle. A fake
 * server (the cache's `fetchCached`) answers 404 at levels 0 and 1 and an image at level 2; the
 * pool "decodes" an image into its level's colour, and magnifies nothing: what is read says which
 * answer it came from.
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

/** Every decoded pixel is (level of the image, 0, 0, 255): the image a tile was drawn from. */
const pool = {
  async run(job: DecodeJob): Promise<TilePixels> {
    if (job.kind !== 'decode-image') throw new Error(`unexpected job ${job.kind}`)
    const pixels = new Uint8Array(job.width * job.height * 4)
    for (let i = 0; i < pixels.length; i += 4) pixels.set([levelOf(job.url), 0, 0, 255], i)
    return { width: job.width, height: job.height, channels: 4, sampleType: 'uint8', buffer: pixels.buffer }
  }
} as unknown as DecodePool

const reader = (): WebTileReader => new WebTileReader(grid, cache, pool, { missingIsEmpty: true, overzoom: true })

/** Lets the promise chains run (no timer moves). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

beforeEach(() => {
  vi.useFakeTimers()
  held = []
  asked = []
  hold = new Set()
})
afterEach(() => vi.useRealTimers())

describe('a tile past the server’s deepest zoom', () => {
  it('is drawn from its nearest ancestor with an image once nothing else is asked at its level, without the depth timer', async () => {
    const tile = await reader().read(0, 3, 2)
    // Level 1 answered 404 too: level 2's image, magnified.
    expect(tile.data.slice(0, 4)).toEqual(new Uint8Array([2, 0, 0, 255]))
    expect(asked).toEqual(['https://tiles.test/0/3/2.png', 'https://tiles.test/1/1/1.png', 'https://tiles.test/2/0/0.png'])
  })

  it('waits for a sibling still asked at its level: its image says the 404 is outside the data (empty)', async () => {
    const source = reader()
    hold.add('https://tiles.test/0/1/1.png')
    hold.add('https://tiles.test/0/0/0.png')
    const sibling = source.read(0, 1, 1)
    const missing = source.read(0, 0, 0)
    let done = false
    void missing.then(() => (done = true))
    // The first sibling (0/0/0) answers 404 while the other is still out: no verdict yet.
    held.find((h) => h.url.endsWith('/0/0/0.png'))!.answer(404)
    await settle()
    expect(done).toBe(false)
    held.find((h) => h.url.endsWith('/0/1/1.png'))!.answer(200)
    const [image, empty] = await Promise.all([sibling, missing])
    expect(image.data.slice(0, 4)).toEqual(new Uint8Array([0, 0, 0, 255]))
    expect(empty.data.every((v) => v === 0)).toBe(true)
    // No ancestor was asked: the server's data reaches level 0.
    expect(asked.filter((url) => levelOf(url) > 0)).toEqual([])
  })

  it('waits for a sibling that then answers 404 too: both are past the depth, drawn from their ancestor', async () => {
    const source = reader()
    hold.add('https://tiles.test/0/2/2.png')
    hold.add('https://tiles.test/0/3/3.png')
    const first = source.read(0, 2, 2)
    const second = source.read(0, 3, 3)
    held.find((h) => h.url.endsWith('/0/2/2.png'))!.answer(404)
    await settle()
    held.find((h) => h.url.endsWith('/0/3/3.png'))!.answer(404)
    const tiles = await Promise.all([first, second])
    for (const tile of tiles) expect(tile.data.slice(0, 4)).toEqual(new Uint8Array([2, 0, 0, 255]))
  })

  it('does not wait on a coarser level’s fetch: it cannot tell whether the data reaches the 404’s level', async () => {
    const source = reader()
    hold.add('https://tiles.test/1/0/0.png')
    const coarser = source.read(1, 0, 0)
    const tile = source.read(0, 3, 3)
    // 0/3/3's ancestor 1/1/1 is not held: level 2's image comes through it.
    expect((await tile).data.slice(0, 4)).toEqual(new Uint8Array([2, 0, 0, 255]))
    held[0]!.answer(404)
    expect((await coarser).data.slice(0, 4)).toEqual(new Uint8Array([2, 0, 0, 255]))
  })
})
