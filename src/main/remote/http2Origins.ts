/**
 * HTTP/2 for the https origins that offer it, as a browser speaks to them. Node's fetch speaks
 * HTTP/1.1 only: against a tile server on HTTP/2 (most public ones), Tessera held six requests at
 * once where the browser sends a view's tiles together, and every withdrawn request closed its
 * connection, the next one paying a new TCP and TLS handshake.
 *
 * The first request to an https origin opens one TLS connection offering "h2" and "http/1.1"
 * (ALPN). When the server picks h2 the connection is kept as the origin's session: every request is
 * a stream of it, an aborted one a RST_STREAM that leaves the others running, and the origin is
 * reported as multiplexed (its per-host limit is widened to the server's concurrent streams). When
 * it picks HTTP/1.1 (or offers no ALPN) the origin is remembered as such and served by fetch, as
 * plain http always is. Answers are WHATWG Responses either way, so callers read them alike.
 */
import { connect as h2Connect, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2'
import { isIP } from 'node:net'
import { Readable } from 'node:stream'
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls'
import { abortable } from './errors'

export interface OriginFetchInit {
  signal?: AbortSignal
  headers?: Record<string, string>
}

export interface Http2OriginsOptions {
  /** Certificates trusted beside the system's (tests, a company CA); NODE_EXTRA_CA_CERTS works too. */
  ca?: string | Buffer
  /** Most streams at once per origin, whatever more the server allows; default `DEFAULT_MAX_STREAMS`. */
  maxStreams?: number
  /** An idle session is closed after this long; default 60 s. */
  idleMs?: number
  /** An origin's session is up and carries `streams` requests at once (`host` as URL.host). */
  onMultiplexed?: (host: string, streams: number) => void
  /** An origin's session closed: its host is back to one request per connection. */
  onSessionClosed?: (host: string) => void
  /** The HTTP/1.1 fetch (default the global one). */
  fetchH1?: typeof fetch
  /** False: every request goes to fetch, as before HTTP/2 (TESSERA_HTTP2=0, for a proxy that breaks it). */
  enabled?: boolean
}

type Protocol = { kind: 'h1' } | { kind: 'h2'; session: ClientHttp2Session }

/** Headers HTTP/2 forbids (RFC 9113 §8.2.2) or carries as pseudo-headers. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host'])
/**
 * Streams at once per origin: more than HTTP/1.1's six, as many as the loader runs network loads
 * (32): a view of 1020 × 740 px shows 20–35 tiles of 256², all asked in one round trip, where 16
 * took two (a jump's wait was the server's answers at 56 ms, the second round's at 180; measured at
 * 50 ms of latency). Not the server's hundred: the requests a pan withdraws are already answered
 * when their RST_STREAM arrives (a tile of tens of KiB leaves the server at once), so while the
 * camera moves the renderer keeps fewer out (`MOTION_MAX_IN_FLIGHT`), and beyond a view's tiles
 * requests queued here cost nothing.
 */
export const DEFAULT_MAX_STREAMS = 32
const HANDSHAKE_TIMEOUT_MS = 30_000
const STREAM_WINDOW = 6 * 1024 * 1024
const CONNECTION_WINDOW = 15 * 1024 * 1024
/** Statuses whose Response must have a null body (Fetch standard). */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

export class Http2Origins {
  private readonly protocols = new Map<string, Protocol>()
  private readonly probes = new Map<string, Promise<Protocol>>()
  private readonly maxStreams: number
  private readonly idleMs: number
  private readonly fetchH1: typeof fetch
  private closed = false

  constructor(private readonly options: Http2OriginsOptions = {}) {
    this.maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS
    this.idleMs = options.idleMs ?? 60_000
    this.fetchH1 = options.fetchH1 ?? ((input, init) => fetch(input, init))
  }

  /**
   * GETs `url` without following redirects, over the origin's HTTP/2 session when it has one, else
   * by fetch. Rejects as fetch does: with the signal's AbortError, or an error whose cause carries
   * the network's code (ECONNREFUSED, ERR_TLS_…, ECONNRESET for a session lost mid-request).
   */
  async fetch(url: string, init: OriginFetchInit = {}): Promise<Response> {
    const target = new URL(url)
    const h1 = (): Promise<Response> =>
      this.fetchH1(url, { method: 'GET', redirect: 'manual', credentials: 'omit', signal: init.signal, headers: init.headers })
    if (target.protocol !== 'https:' || this.closed || this.options.enabled === false) return h1()
    const protocol = await abortable(this.protocolOf(target), init.signal, `Connecting to ${target.host}`)
    if (protocol.kind === 'h1') return h1()
    return this.request(protocol.session, target, init)
  }

  /** 'h2' or 'h1' for an origin already met, null before its first request. */
  protocolKnown(origin: string): 'h1' | 'h2' | null {
    return this.protocols.get(new URL(origin).origin)?.kind ?? null
  }

  /** Closes every session (their streams end with an error); later requests use fetch. */
  close(): void {
    this.closed = true
    for (const protocol of this.protocols.values()) if (protocol.kind === 'h2') protocol.session.destroy()
    this.protocols.clear()
  }

  private protocolOf(target: URL): Promise<Protocol> {
    const known = this.protocols.get(target.origin)
    if (known) return Promise.resolve(known)
    let probe = this.probes.get(target.origin)
    if (!probe) {
      // One handshake per origin however many requests arrive meanwhile; a failed one is not
      // remembered (the next request tries again, as fetch would connect again).
      probe = this.probe(target).finally(() => this.probes.delete(target.origin))
      this.probes.set(target.origin, probe)
    }
    return probe
  }

  private async probe(target: URL): Promise<Protocol> {
    const socket = await connectTls(target, this.options.ca)
    if (socket.alpnProtocol !== 'h2') {
      socket.destroy()
      const h1: Protocol = { kind: 'h1' }
      this.protocols.set(target.origin, h1)
      return h1
    }
    // HTTP/2's default windows are 64 KiB for the whole connection: a view's tiles (tens of KiB
    // each) would share it and wait a round trip for every WINDOW_UPDATE. Chromium opens 15 MiB for
    // the connection and 6 MiB a stream; so does Tessera.
    const session = h2Connect(target.origin, { createConnection: () => socket, settings: { initialWindowSize: STREAM_WINDOW } })
    session.once('connect', () => session.setLocalWindowSize(CONNECTION_WINDOW))
    const protocol: Protocol = { kind: 'h2', session }
    this.protocols.set(target.origin, protocol)
    const host = target.host
    let reported = false
    const forget = (): void => {
      if (this.protocols.get(target.origin) === protocol) this.protocols.delete(target.origin)
      if (reported) this.options.onSessionClosed?.(host)
      reported = false
    }
    session.on('error', () => undefined) // its streams reject with it; 'close' follows
    session.on('goaway', forget)
    session.on('close', forget)
    session.setTimeout(this.idleMs, () => session.close())
    session.on('remoteSettings', (settings) => {
      if (this.protocols.get(target.origin) !== protocol) return
      const streams = Math.max(1, Math.min(this.maxStreams, settings.maxConcurrentStreams ?? this.maxStreams))
      reported = true
      this.options.onMultiplexed?.(host, streams)
    })
    // The host's process lives on its WebSocket server; an idle session must not keep it (or a test) alive.
    session.unref()
    return protocol
  }

  private request(session: ClientHttp2Session, target: URL, init: OriginFetchInit): Promise<Response> {
    const headers: Record<string, string> = { ':method': 'GET', ':path': `${target.pathname}${target.search}` }
    for (const [name, value] of Object.entries(init.headers ?? {})) {
      const lower = name.toLowerCase()
      if (!CONNECTION_HEADERS.has(lower)) headers[lower] = value
    }
    let stream: ClientHttp2Stream
    try {
      stream = session.request(headers, init.signal ? { signal: init.signal } : {})
    } catch (error) {
      // The session closed between the look-up and now.
      return Promise.reject(lostSession(error))
    }
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown): void => {
        reject(init.signal?.aborted ? init.signal.reason ?? error : lostSession(error))
      }
      stream.once('error', fail)
      stream.once('close', () => fail(new Error(`the stream closed before its answer (code ${stream.rstCode ?? '?'})`)))
      stream.once('response', (answer: IncomingHttpHeaders) => {
        stream.off('error', fail)
        const status = Number(answer[':status'])
        const responseHeaders = new Headers()
        for (const [name, value] of Object.entries(answer)) {
          if (name.startsWith(':') || value === undefined) continue
          for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(one))
        }
        // A stream error after the headers reaches the body's reader; until then it must not be unhandled.
        stream.on('error', () => undefined)
        if (NULL_BODY.has(status)) {
          stream.close()
          resolve(new Response(null, { status, headers: responseHeaders }))
          return
        }
        resolve(new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers: responseHeaders }))
      })
    })
  }
}

/** A TLS connection offering h2 and http/1.1, resolved once its handshake is done. */
function connectTls(target: URL, ca: string | Buffer | undefined): Promise<TLSSocket> {
  const host = target.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port: Number(target.port || 443),
      // SNI takes a name, never an address (RFC 6066 §3).
      ...(isIP(host) ? {} : { servername: host }),
      ALPNProtocols: ['h2', 'http/1.1'],
      ...(ca ? { ca: [...rootCertificates, ca.toString()] } : {})
    })
    // A server that never finishes the handshake must not hold its origin's probe (and every
    // request waiting on it) for ever: each request's own timeout would end it, but not the probe.
    const timer = setTimeout(() => {
      const error = new Error(`no TLS handshake with ${target.host} within ${HANDSHAKE_TIMEOUT_MS / 1000} s`) as Error & { code: string }
      error.code = 'ETIMEDOUT'
      socket.destroy(error)
    }, HANDSHAKE_TIMEOUT_MS)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      socket.off('error', fail)
      resolve(socket)
    })
    const fail = (error: Error): void => {
      clearTimeout(timer)
      reject(error)
    }
    socket.once('error', fail)
  })
}

/** The session's loss as fetch reports a dropped connection: retriable, a reset. */
function lostSession(error: unknown): Error {
  const code = (error as { code?: string } | null)?.code ?? ''
  if (code && !code.startsWith('ERR_HTTP2')) return error as Error
  const reset = new Error(`the HTTP/2 connection was lost (${code || (error as Error)?.message || 'closed'})`) as Error & { code: string }
  reset.code = 'ECONNRESET'
  return new TypeError('fetch failed', { cause: reset })
}
