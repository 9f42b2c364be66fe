/**
 * The web cache's requests on their way (`TileCache.fetchCached`): asks of one URL meanwhile share
 * its request, the last asker's withdrawal aborts it, and a stored tile's request withdrawn once it
 * is well on its way (`LANDING_SHARE` of its host's round trip) lands in the cache instead,
 * so that the view coming back to it does not fetch it again. A real HTTP server on loopback that
 * holds each answer until the test releases it, and tells which requests were aborted.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LANDING_SHARE, TileCache } from '../../../src/main/web/tileCache'
import { useLoopbackHttp } from '../../helpers/loopbackHttp'

interface Held {
  release: () => void
  /** Resolves when the server saw the client go away before the answer (true) or sent it (false). */
  outcome: Promise<boolean>
}
const received = new Map<string, Held[]>()
const arrivals: Array<(path: string) => void> = []
const http = useLoopbackHttp('cache-flights', (request, response) => {
  const path = request.url ?? ''
  let release = (): void => undefined
  const outcome = new Promise<boolean>((resolve) => {
    release = () => {
      if (response.destroyed) return
      response.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=3600' })
      response.end(Buffer.from(`tile ${path}`), () => resolve(false))
    }
    response.on('close', () => {
      if (!response.writableFinished) resolve(true)
    })
  })
  received.set(path, [...(received.get(path) ?? []), { release, outcome }])
  for (const arrival of arrivals.splice(0)) arrival(path)
})

/** Resolves when the server has received `path` `times` times. */
async function serverHas(path: string, times = 1): Promise<Held> {
  while ((received.get(path)?.length ?? 0) < times) await new Promise<string>((resolve) => arrivals.push(resolve))
  return received.get(path)![times - 1]!
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
let count = 0
/** A cache of its own, whose host's round trip is about `answerMs` (one request answered after it). */
async function calibrated(answerMs: number): Promise<TileCache> {
  const cache = new TileCache({ dir: join(http.root, String(++count)) })
  const path = `/calibrate-${count}.png`
  const asked = cache.fetchCached(`${http.origin}${path}`, { maxRetries: 0 })
  const held = await serverHas(path)
  await sleep(answerMs)
  held.release()
  await asked
  return cache
}

function withdrawable(): { signal: AbortSignal; withdraw: () => void } {
  const controller = new AbortController()
  return { signal: controller.signal, withdraw: () => controller.abort() }
}

/** `path` asked for (with `landing`) of a cache whose host's round trip is 1 s, withdrawn `afterMs` after the server received it; the asker's rejection checked. */
async function askThenWithdraw(path: string, options: { afterMs: number; landing: boolean }): Promise<{ cache: TileCache; url: string; held: Held }> {
  const cache = await calibrated(1000)
  const url = `${http.origin}${path}`
  const ask = withdrawable()
  const withdrawn = cache.fetchCached(url, { maxRetries: 0, signal: ask.signal, ...(options.landing ? { landing: true } : {}) })
  const held = await serverHas(path)
  if (options.afterMs > 0) await sleep(options.afterMs)
  ask.withdraw()
  await expect(withdrawn).rejects.toThrow(/aborted/)
  return { cache, url, held }
}

describe('TileCache requests on their way', () => {
  it('shares one request among the asks of its URL meanwhile', async () => {
    const cache = new TileCache({ dir: join(http.root, String(++count)) })
    const url = `${http.origin}/shared.png`
    const first = cache.fetchCached(url, { maxRetries: 0 })
    const held = await serverHas('/shared.png')
    const second = cache.fetchCached(url, { maxRetries: 0 })
    held.release()
    const answers = await Promise.all([first, second])
    expect(answers.map((a) => Buffer.from(a.body).toString())).toEqual(['tile /shared.png', 'tile /shared.png'])
    expect(received.get('/shared.png')).toHaveLength(1)
    expect(cache.stats()).toMatchObject({ requests: 1, joined: 1 })
  })

  it('keeps the request for the asker left when another withdraws', async () => {
    const cache = new TileCache({ dir: join(http.root, String(++count)) })
    const url = `${http.origin}/two-askers.png`
    const leaving = withdrawable()
    const withdrawn = cache.fetchCached(url, { maxRetries: 0, signal: leaving.signal, landing: true })
    const staying = cache.fetchCached(url, { maxRetries: 0 })
    const held = await serverHas('/two-askers.png')
    leaving.withdraw()
    await expect(withdrawn).rejects.toThrow(/aborted/)
    held.release()
    expect(Buffer.from((await staying).body).toString()).toBe('tile /two-askers.png')
    expect(await held.outcome).toBe(false)
  })

  it('aborts a request withdrawn before it is well on its way, and asks again when asked again', async () => {
    // At once: far from half of the host's 1 s.
    const { cache, url, held } = await askThenWithdraw('/early.png', { afterMs: 0, landing: true })
    expect(await held.outcome).toBe(true)
    // Asked again at once: a request of its own, not the aborted one.
    const again = cache.fetchCached(url, { maxRetries: 0 })
    ;(await serverHas('/early.png', 2)).release()
    expect((await again).from).toBe('network')
    expect(cache.stats().landed).toBe(0)
  })

  it('lets a stored tile withdrawn past half its host’s round trip land, and serves it from the cache after', async () => {
    const { cache, url, held } = await askThenWithdraw('/landing.png', { afterMs: 1000 * LANDING_SHARE + 200, landing: true })
    // The asker heard of its withdrawal at once; the request goes on.
    held.release()
    expect(await held.outcome).toBe(false)
    expect(cache.stats().landed).toBe(1)
    // Asked again: its landing answer (joined, or kept by now), not a second request.
    const back = await cache.fetchCached(url, { maxRetries: 0 })
    expect(Buffer.from(back.body).toString()).toBe('tile /landing.png')
    await cache.written()
    expect((await cache.fetchCached(url, { maxRetries: 0 })).from).toBe('cache')
    expect(received.get('/landing.png')).toHaveLength(1)
  })

  it('aborts a WMS’s request however far on its way (its server renders each GetMap)', async () => {
    const { cache, held } = await askThenWithdraw('/getmap.png', { afterMs: 1000 * LANDING_SHARE + 200, landing: false })
    expect(await held.outcome).toBe(true)
    expect(cache.stats().landed).toBe(0)
  })

  it('aborts a withdrawn request while its host’s round trip is not known yet', async () => {
    const cache = new TileCache({ dir: join(http.root, String(++count)) })
    const ask = withdrawable()
    const withdrawn = cache.fetchCached(`${http.origin}/first.png`, { maxRetries: 0, signal: ask.signal, landing: true })
    const held = await serverHas('/first.png')
    ask.withdraw()
    await expect(withdrawn).rejects.toThrow(/aborted/)
    expect(await held.outcome).toBe(true)
  })
})
