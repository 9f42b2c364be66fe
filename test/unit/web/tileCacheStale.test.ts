/**
 * A kept web answer stands in, stale, when its server fails for now: a real HTTP server on loopback
 * (node's) whose answers the test sets per path — a tile first served with an ETag and no lifetime
 * (revalidated at every use), then the server failing (503, or closed) or the tile gone (404) —
 * and a cache folder of the test's own. Retries are off: each case is one request.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheableHeaders } from '../../../src/main/web/httpCaching'
import { TileCache } from '../../../src/main/web/tileCache'
import { useLoopbackHttp } from '../../helpers/loopbackHttp'

type Behaviour = { status: number; cacheControl?: string } | 'reset'
const behaviours = new Map<string, Behaviour>()
const http = useLoopbackHttp('cache-stale', (request, response) => {
  const behaviour = behaviours.get(request.url ?? '') ?? { status: 404 }
  if (behaviour === 'reset') {
    request.socket.destroy()
    return
  }
  const headers: Record<string, string> = { 'Content-Type': 'image/png', ETag: '"v1"' }
  if (behaviour.cacheControl) headers['Cache-Control'] = behaviour.cacheControl
  response.writeHead(behaviour.status, headers)
  response.end(behaviour.status === 200 ? Buffer.from('tile bytes') : 'failure')
})

let count = 0
/** A cache of its own, with `path` kept from a first answer with `cacheControl` (no lifetime: revalidated at every use). */
async function keptTile(path: string, cacheControl?: string): Promise<TileCache> {
  const cache = new TileCache({ dir: join(http.root, String(++count)) })
  behaviours.set(path, { status: 200, ...(cacheControl ? { cacheControl } : {}) })
  expect((await cache.fetchCached(`${http.origin}${path}`, { maxRetries: 0 })).from).toBe('network')
  await cache.written()
  return cache
}

describe('a kept web answer whose server fails for now', () => {
  it('stands in, stale, for a 503, and stays kept: the server back, it is revalidated again', async () => {
    const cache = await keptTile('/a.png')
    behaviours.set('/a.png', { status: 503 })
    const stale = await cache.fetchCached(`${http.origin}/a.png`, { maxRetries: 0 })
    expect(stale.from).toBe('stale')
    expect(stale.status).toBe(200)
    expect(Buffer.from(stale.body).toString()).toBe('tile bytes')
    expect(cache.stats().stale).toBe(1)
    behaviours.set('/a.png', { status: 200 })
    expect((await cache.fetchCached(`${http.origin}/a.png`, { maxRetries: 0 })).from).toBe('network')
  })

  it('stands in when the connection fails (reset), but an aborted read is aborted', async () => {
    const cache = await keptTile('/b.png')
    behaviours.set('/b.png', 'reset')
    expect((await cache.fetchCached(`${http.origin}/b.png`, { maxRetries: 0 })).from).toBe('stale')
    const controller = new AbortController()
    controller.abort()
    await expect(cache.fetchCached(`${http.origin}/b.png`, { maxRetries: 0, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('does not stand in when its server said must-revalidate or no-cache: the failure is said', async () => {
    for (const [path, directive] of [['/c.png', 'must-revalidate'], ['/d.png', 'no-cache']] as const) {
      const cache = await keptTile(path, directive)
      behaviours.set(path, { status: 503 })
      const answer = await cache.fetchCached(`${http.origin}${path}`, { maxRetries: 0 })
      expect(answer.from).toBe('network')
      expect(answer.status).toBe(503)
      // Still kept: the server's failure for now does not say the tile changed.
      behaviours.set(path, { status: 200, cacheControl: directive })
      expect((await cache.fetchCached(`${http.origin}${path}`, { maxRetries: 0 })).status).toBe(200)
    }
  })

  it('is forgotten when the server says it is gone (404): no stale stand-in then', async () => {
    const cache = await keptTile('/e.png')
    behaviours.set('/e.png', { status: 404 })
    expect((await cache.fetchCached(`${http.origin}/e.png`, { maxRetries: 0 })).status).toBe(404)
    behaviours.set('/e.png', { status: 503 })
    const answer = await cache.fetchCached(`${http.origin}/e.png`, { maxRetries: 0 })
    expect([answer.from, answer.status]).toEqual(['network', 503])
  })

  it('records which answers may stand in stale (RFC 9111 §4.2.4)', () => {
    const headers = (cacheControl: string): Headers => new Headers({ etag: '"x"', 'cache-control': cacheControl })
    expect(cacheableHeaders(headers('max-age=60'), 0)!.servableStale).toBe(true)
    expect(cacheableHeaders(headers('max-age=60, must-revalidate'), 0)!.servableStale).toBe(false)
    expect(cacheableHeaders(headers('proxy-revalidate'), 0)!.servableStale).toBe(false)
    expect(cacheableHeaders(headers('no-cache'), 0)!.servableStale).toBe(false)
  })
})
