/**
 * The disk cache of web answers is bounded in bytes and drops the least recently used first: a
 * real HTTP server on loopback (node's) serving bodies of known sizes, fresh for an hour, and a
 * cache folder of the test's own. What is kept is told by the server's request count, the cache's
 * counters and the files on disk.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TileCache } from '../../../src/main/web/tileCache'
import { useLoopbackHttp } from '../../helpers/loopbackHttp'

const BODY = 1000
const served: string[] = []
const http = useLoopbackHttp('cache-bound', (request, response) => {
  served.push(request.url ?? '')
  // /big: a body larger than any bound below; anything else BODY bytes of its own letter.
  const size = request.url === '/big' ? 5 * BODY : BODY
  response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': size, 'Cache-Control': 'max-age=3600' })
  response.end(Buffer.alloc(size, (request.url ?? '/?').charCodeAt(1)))
})

let count = 0
const cacheDir = (): string => join(http.root, String(++count))

/** Fetches each path through `cache`; returns the paths that reached the server. */
async function fetchAll(cache: TileCache, ...paths: string[]): Promise<string[]> {
  const before = served.length
  for (const path of paths) {
    const answer = await cache.fetchCached(`${http.origin}${path}`)
    expect(answer.status).toBe(200)
    expect(answer.body[0]).toBe(path.charCodeAt(1))
  }
  // The answers are kept behind them: what the cache holds is read once written.
  await cache.written()
  return served.slice(before)
}

/** Bytes of bodies in the folder. */
function bodyBytesOnDisk(dir: string): number {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.body'))
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0)
}

describe('TileCache: the byte bound and LRU eviction', () => {
  it('keeps bodies up to maxBytes and serves them without a request', async () => {
    const dir = cacheDir()
    const cache = new TileCache({ dir, maxBytes: 3 * BODY })
    expect(await fetchAll(cache, '/a', '/b', '/c')).toEqual(['/a', '/b', '/c'])
    expect(await fetchAll(cache, '/a', '/b', '/c')).toEqual([])
    expect(cache.stats()).toMatchObject({ stored: 3, hits: 3, evicted: 0, bytes: 3 * BODY })
    expect(bodyBytesOnDisk(dir)).toBe(3 * BODY)
  })

  it('drops the least recently used when a new body passes the bound: a use counts, not the first fetch', async () => {
    const dir = cacheDir()
    const cache = new TileCache({ dir, maxBytes: 3 * BODY })
    await fetchAll(cache, '/a', '/b', '/c')
    // /a used again: /b is now the least recently used.
    expect(await fetchAll(cache, '/a')).toEqual([])
    expect(await fetchAll(cache, '/d')).toEqual(['/d'])
    expect(cache.stats()).toMatchObject({ evicted: 1, bytes: 3 * BODY })
    expect(bodyBytesOnDisk(dir)).toBe(3 * BODY)
    // /a, /c and /d are kept, used in that order; /b was dropped and is asked for again, which drops /a.
    expect(await fetchAll(cache, '/a', '/c', '/d')).toEqual([])
    expect(await fetchAll(cache, '/b')).toEqual(['/b'])
    expect(await fetchAll(cache, '/c', '/d', '/b', '/a')).toEqual(['/a'])
    expect(cache.stats().bytes).toBeLessThanOrEqual(3 * BODY)
  })

  it('never keeps a body larger than the bound, and keeps what it had', async () => {
    const dir = cacheDir()
    const cache = new TileCache({ dir, maxBytes: 3 * BODY })
    await fetchAll(cache, '/a', '/b')
    expect(await fetchAll(cache, '/big', '/big')).toEqual(['/big', '/big'])
    expect(await fetchAll(cache, '/a', '/b')).toEqual([])
    expect(cache.stats()).toMatchObject({ stored: 2, evicted: 0, bytes: 2 * BODY })
  })

  it('reopened on the same folder with a smaller bound, drops bodies down to it and serves the rest', async () => {
    const dir = cacheDir()
    const first = new TileCache({ dir, maxBytes: 4 * BODY })
    await fetchAll(first, '/a', '/b', '/c', '/d')
    const reopened = new TileCache({ dir, maxBytes: 2 * BODY })
    const asked = await fetchAll(reopened, '/a', '/b', '/c', '/d')
    // Two were dropped when it opened, and asked for again (each then dropping another): at least two requests.
    expect(asked.length).toBeGreaterThanOrEqual(2)
    expect(reopened.stats().evicted).toBeGreaterThanOrEqual(2)
    expect(reopened.stats().bytes).toBeLessThanOrEqual(2 * BODY)
    expect(bodyBytesOnDisk(dir)).toBeLessThanOrEqual(2 * BODY)
  })

  it('answers without waiting for the disk, and a second read of the URL right after is served by the cache', async () => {
    const dir = cacheDir()
    const cache = new TileCache({ dir, maxBytes: 3 * BODY })
    const before = served.length
    // The second read is asked before the first answer's write can have finished: it waits for it.
    const first = await cache.fetchCached(`${http.origin}/w`)
    const second = await cache.fetchCached(`${http.origin}/w`)
    expect([first.from, second.from]).toEqual(['network', 'cache'])
    expect(served.slice(before)).toEqual(['/w'])
    await cache.written()
    expect(bodyBytesOnDisk(dir)).toBe(BODY)
  })

  it('with maxBytes 0 keeps nothing', async () => {
    const dir = cacheDir()
    const cache = new TileCache({ dir, maxBytes: 0 })
    expect(await fetchAll(cache, '/a', '/a')).toEqual(['/a', '/a'])
    expect(bodyBytesOnDisk(dir)).toBe(0)
  })

  it('refuses a bound that is not a byte count, naming it', () => {
    expect(() => new TileCache({ dir: cacheDir(), maxBytes: -1 })).toThrow('Expected a non-negative integer for maxBytes but received -1')
    expect(() => new TileCache({ dir: cacheDir(), maxBytes: 1.5 })).toThrow('Expected a non-negative integer for maxBytes but received 1.5')
  })
})
