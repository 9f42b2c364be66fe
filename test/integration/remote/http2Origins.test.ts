/**
 * HTTP/2 to the https origins that offer it (remote/http2Origins.ts): one TLS connection per origin
 * carrying every request as a stream, ALPN telling h2 from HTTP/1.1, an abort that resets its
 * stream and leaves the others, a lost session reported as a reset (retriable), the per-host limit
 * widened to the session's streams; against Node's own HTTP/2 server (faults on demand) and
 * Debian's nginx with TLS and http2 (what public tile servers run).
 */
import { createSecureServer, type Http2SecureServer, type ServerHttp2Stream } from 'node:http2'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { HostLimiter } from '../../../src/main/remote/HostLimiter'
import { DEFAULT_MAX_STREAMS, Http2Origins } from '../../../src/main/remote/http2Origins'
import { httpGet } from '../../../src/main/remote/httpGet'
import { RemoteReadError, networkError } from '../../../src/main/remote/errors'
import { openRemoteFile } from '../../../src/main/remote'
import { requireNginx, startNginx, type NginxServer } from '../../helpers/nginx'
import { selfSignedCert, type SelfSignedCert } from '../../helpers/selfSignedCert'

let certDir: string
let cert: SelfSignedCert

beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'tessera-h2-cert-'))
  cert = selfSignedCert(certDir)
})
afterAll(() => rmSync(certDir, { recursive: true, force: true }))

/** What Node's HTTP/2 server saw: streams at once, streams reset by the client, sessions opened. */
interface H2Server {
  origin: string
  server: Http2SecureServer
  peakStreams: () => number
  resets: () => number
  sessions: () => number
  close: () => Promise<void>
}

/**
 * An https server on loopback speaking HTTP/2 only; `/slow/*` answers after 300 ms, `/empty`
 * with 204, `/kill` destroys its session, anything else answers its path after 40 ms.
 */
async function startH2(maxConcurrentStreams = 100): Promise<H2Server> {
  let active = 0
  let peak = 0
  let resets = 0
  let sessions = 0
  const server = createSecureServer({ key: cert.key, cert: cert.cert, settings: { maxConcurrentStreams } })
  server.on('session', () => sessions++)
  server.on('stream', (stream: ServerHttp2Stream, headers) => {
    const path = String(headers[':path'])
    active++
    peak = Math.max(peak, active)
    stream.on('close', () => {
      active--
      if (stream.rstCode === 8) resets++
    })
    stream.on('error', () => undefined)
    if (path === '/kill') {
      stream.session?.destroy()
      return
    }
    if (path === '/goaway') {
      // As nginx after http2_max_requests (1000): this stream is answered, no new one is taken.
      stream.session?.goaway(0, stream.id)
    }
    if (path === '/empty') {
      stream.respond({ ':status': 204 })
      stream.end()
      return
    }
    const delay = path.startsWith('/slow/') ? 300 : 40
    const timer = setTimeout(() => {
      if (stream.destroyed || stream.closed) return
      stream.respond({ ':status': 200, 'content-type': 'text/plain', etag: '"v1"' })
      stream.end(`answer to ${path} over ${headers['x-tessera'] ?? 'no header'}`)
    }, delay)
    stream.on('close', () => clearTimeout(timer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    origin: `https://127.0.0.1:${port}`,
    server,
    peakStreams: () => peak,
    resets: () => resets,
    sessions: () => sessions,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

const opened: Array<{ close: () => unknown }> = []
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close()
})

function origins(extra: ConstructorParameters<typeof Http2Origins>[0] = {}): Http2Origins {
  const made = new Http2Origins({ ca: cert.cert, ...extra })
  opened.push(made)
  return made
}

async function h2(maxConcurrentStreams?: number): Promise<H2Server> {
  const server = await startH2(maxConcurrentStreams)
  opened.push(server)
  return server
}

describe('Http2Origins against an HTTP/2 server', () => {
  it('sends requests as streams of one connection, all at once, with their headers, and reports the origin multiplexed', async () => {
    const server = await h2(100)
    const multiplexed: Array<[string, number]> = []
    const client = origins({ onMultiplexed: (host, streams) => multiplexed.push([host, streams]) })
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => client.fetch(`${server.origin}/tile/${i}?x=1`, { headers: { 'X-Tessera': 'h2' } })))
    const texts = await Promise.all(answers.map((a) => a.text()))
    expect(texts[7]).toBe('answer to /tile/7?x=1 over h2')
    expect(answers.every((a) => a.status === 200 && a.headers.get('etag') === '"v1"')).toBe(true)
    expect(server.sessions()).toBe(1)
    expect(server.peakStreams()).toBe(20)
    expect(client.protocolKnown(server.origin)).toBe('h2')
    expect(multiplexed).toEqual([[new URL(server.origin).host, DEFAULT_MAX_STREAMS]])
  })

  it('reports the server’s own limit when it allows fewer streams', async () => {
    const server = await h2(5)
    const multiplexed: number[] = []
    const client = origins({ onMultiplexed: (_, streams) => multiplexed.push(streams) })
    await (await client.fetch(`${server.origin}/one`)).text()
    expect(multiplexed).toEqual([5])
  })

  it('caps the streams it reports at its own maximum', async () => {
    const server = await h2(1000)
    const multiplexed: number[] = []
    const client = origins({ maxStreams: 24, onMultiplexed: (_, streams) => multiplexed.push(streams) })
    await (await client.fetch(`${server.origin}/one`)).text()
    expect(multiplexed).toEqual([24])
  })

  it('resets an aborted request’s stream and keeps the connection for the others', async () => {
    const server = await h2()
    const client = origins()
    const controller = new AbortController()
    const slow = client.fetch(`${server.origin}/slow/1`, { signal: controller.signal })
    const other = client.fetch(`${server.origin}/slow/2`)
    await new Promise((r) => setTimeout(r, 80))
    controller.abort()
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' })
    expect(await (await other).text()).toBe('answer to /slow/2 over no header')
    await new Promise((r) => setTimeout(r, 50))
    expect(server.resets()).toBe(1)
    expect(server.sessions()).toBe(1)
  })

  it('gives a null body for 204, as fetch does', async () => {
    const server = await h2()
    const answer = await origins().fetch(`${server.origin}/empty`)
    expect(answer.status).toBe(204)
    expect(answer.body).toBeNull()
  })

  it('reports a session lost mid-request as a connection reset (retried), and opens a new one for the next request', async () => {
    const server = await h2()
    const closed: string[] = []
    const client = origins({ onSessionClosed: (host) => closed.push(host) })
    await (await client.fetch(`${server.origin}/warm`)).text()
    const error = await client.fetch(`${server.origin}/kill`).then(
      () => null,
      (e: unknown) => e
    )
    const classified = networkError(`${server.origin}/kill`, error)
    expect(classified).toBeInstanceOf(RemoteReadError)
    expect(classified.failure).toBe('reset')
    expect(classified.retriable).toBe(true)
    await new Promise((r) => setTimeout(r, 30))
    expect(closed).toEqual([new URL(server.origin).host])
    expect(await (await client.fetch(`${server.origin}/again`)).text()).toBe('answer to /again over no header')
    expect(server.sessions()).toBe(2)
  })

  it('opens a new session after the server’s GOAWAY (nginx sends one every 1000 requests), losing no request', async () => {
    const server = await h2()
    const client = origins()
    expect(await (await client.fetch(`${server.origin}/goaway`)).text()).toBe('answer to /goaway over no header')
    await new Promise((r) => setTimeout(r, 30))
    const texts = await Promise.all(Array.from({ length: 5 }, async (_, i) => (await client.fetch(`${server.origin}/after/${i}`)).text()))
    expect(texts).toEqual(Array.from({ length: 5 }, (_, i) => `answer to /after/${i} over no header`))
    expect(server.sessions()).toBe(2)
  })

  it('fails on a certificate it does not trust, with the TLS error named', async () => {
    const server = await h2()
    const untrusting = new Http2Origins()
    opened.push(untrusting)
    const error = await untrusting.fetch(`${server.origin}/x`).then(
      () => null,
      (e: unknown) => e
    )
    const classified = networkError(`${server.origin}/x`, error)
    expect(classified.failure).toBe('tls')
    expect(classified.message).toMatch(/TLS error with 127\.0\.0\.1:\d+ \(.*(SELF_SIGNED|self-signed)/i)
  })

  it('fails on a refused connection as fetch does', async () => {
    const server = await h2()
    await server.close()
    const error = await origins().fetch(`${server.origin}/x`).then(
      () => null,
      (e: unknown) => e
    )
    expect(networkError(`${server.origin}/x`, error).failure).toBe('refused')
  })
})

describe('Http2Origins with other servers', () => {
  let https: HttpsServer
  let httpsOrigin: string
  beforeAll(async () => {
    https = createHttpsServer({ key: cert.key, cert: cert.cert }, (_, response) => response.end('h1'))
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve))
    httpsOrigin = `https://127.0.0.1:${(https.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((resolve) => https.close(() => resolve())))

  it('remembers an https origin that offers only HTTP/1.1 and hands its requests to fetch', async () => {
    const asked: string[] = []
    const client = origins({
      fetchH1: async (input) => {
        asked.push(String(input))
        return new Response('from fetch')
      }
    })
    expect(await (await client.fetch(`${httpsOrigin}/a`)).text()).toBe('from fetch')
    expect(await (await client.fetch(`${httpsOrigin}/b`)).text()).toBe('from fetch')
    expect(asked).toEqual([`${httpsOrigin}/a`, `${httpsOrigin}/b`])
    expect(client.protocolKnown(httpsOrigin)).toBe('h1')
  })

  it('hands every request to fetch when HTTP/2 is turned off (TESSERA_HTTP2=0)', async () => {
    const server = await h2()
    const asked: string[] = []
    const client = origins({ enabled: false, fetchH1: async (input) => (asked.push(String(input)), new Response('fetched')) })
    expect(await (await client.fetch(`${server.origin}/x`)).text()).toBe('fetched')
    expect(asked).toEqual([`${server.origin}/x`])
    expect(server.sessions()).toBe(0)
  })

  it('hands plain http to fetch without a TLS handshake', async () => {
    const asked: string[] = []
    const client = origins({ fetchH1: async (input) => (asked.push(String(input)), new Response('plain')) })
    expect(await (await client.fetch('http://127.0.0.1:9/x')).text()).toBe('plain')
    expect(asked).toEqual(['http://127.0.0.1:9/x'])
    expect(client.protocolKnown('http://127.0.0.1:9')).toBeNull()
  })
})

describe('HostLimiter.setLimit', () => {
  it('starts waiting requests when a host is widened, and goes back to the default when it closes', async () => {
    const limiter = new HostLimiter(2)
    const releases = await Promise.all([limiter.acquire('a'), limiter.acquire('a')])
    let third: (() => void) | null = null
    const waiting = limiter.acquire('a').then((release) => (third = release))
    await Promise.resolve()
    expect(third).toBeNull()
    limiter.setLimit('a', 8)
    await waiting
    expect(limiter.active('a')).toBe(3)
    expect(limiter.limitOf('a')).toBe(8)
    limiter.setLimit('a', null)
    expect(limiter.limitOf('a')).toBe(2)
    expect(() => limiter.setLimit('a', 0)).toThrow(/positive integer for limit/)
    for (const release of [...releases, third!]) release()
    expect(limiter.active('a')).toBe(0)
  })

  it('lets httpGet run a whole view of tiles at once to an origin on HTTP/2 (32 streams), not six', async () => {
    const server = await h2()
    const limiter = new HostLimiter(6)
    const client = origins({ onMultiplexed: (host, streams) => limiter.setLimit(host, streams) })
    // A 1020 × 740 view between two levels shows up to 35 tiles of 256²: 32 go in the first round trip.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => httpGet(`${server.origin}/t/${i}`, { limiter, origins: client })))
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200))
    expect(DEFAULT_MAX_STREAMS).toBe(32)
    expect(limiter.peakActive).toBe(32)
    expect(server.peakStreams()).toBe(32)
    expect(server.sessions()).toBe(1)
  })
})

describe('nginx with TLS and http2', () => {
  let nginx: NginxServer
  let root: string
  beforeAll(async () => {
    requireNginx()
    root = mkdtempSync(join(tmpdir(), 'tessera-h2-nginx-'))
    mkdirSync(join(root, 'tiles'))
    for (let i = 0; i < 12; i++) writeFileSync(join(root, 'tiles', `${i}.bin`), Buffer.alloc(40_000 + i, i))
    writeFileSync(join(root, 'file.bin'), Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251)))
    nginx = await startNginx(root, { tls: cert })
  })
  afterAll(async () => {
    await nginx?.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('serves tiles over one HTTP/2 connection, every byte intact', async () => {
    nginx.clearAccessLog()
    const client = origins()
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => httpGet(nginx.url(`/tiles/${i}.bin`), { origins: client, limiter: new HostLimiter(64) })))
    answers.forEach((a, i) => {
      expect(a.body.byteLength).toBe(40_000 + i)
      expect(a.body.every((b) => b === i)).toBe(true)
    })
    const log = await nginx.waitForAccessLog(12)
    expect(new Set(log.map((e) => e.request.split(' ')[2]))).toEqual(new Set(['HTTP/2.0']))
    expect(new Set(log.map((e) => e.connection)).size).toBe(1)
  })

  it('reads a remote file’s ranges over HTTP/2', async () => {
    nginx.clearAccessLog()
    const file = await openRemoteFile(nginx.url('/file.bin'), { httpOrigins: origins(), headerBytes: 4096, blockSize: 4096 })
    const bytes = await file.read(150_000, 1000)
    expect(Array.from(bytes.slice(0, 4))).toEqual([150_000 % 251, 150_001 % 251, 150_002 % 251, 150_003 % 251])
    expect(file.info.size).toBe(200_000)
    const log = await nginx.waitForAccessLog(2)
    expect(log.every((e) => e.request.endsWith('HTTP/2.0') && e.range.startsWith('bytes='))).toBe(true)
    await file.close()
  })
})
