/**
 * The disk cache of web map answers (tiles, capabilities), shared by every web layer of the
 * process: one body file and one JSON file of kept headers per URL (named by the URL's SHA-256),
 * bounded in bytes, the least recently used dropped first (an index in memory, rebuilt from the
 * files' access times when the cache opens). What it keeps and for how long is HTTP's rule
 * (`httpCaching.ts`); a request goes through `fetchCached`.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, rm, stat, writeFile, rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { abortable, isServerUnavailable, isUnavailableStatus } from '../remote/errors'
import { type HttpAnswer, type HttpGetOptions, httpGet } from '../remote/httpGet'
import { type CachedHeaders, cacheableHeaders, isFresh, refreshedHeaders, revalidationHeaders } from './httpCaching'

export interface TileCacheOptions {
  /** Folder of the cache; default os.tmpdir()/tessera-web-cache. */
  dir?: string
  /** Most bytes of bodies kept; default 512 MiB. */
  maxBytes?: number
}

/** An answer as the layer reads it, from the server or the cache. */
export interface WebAnswer {
  status: number
  statusText: string
  contentType: string | null
  body: Uint8Array
  /** 'network': fetched; 'cache': fresh in the cache, no request; 'revalidated': the server said 304; 'stale': kept, its server failing for now. */
  from: 'network' | 'cache' | 'revalidated' | 'stale'
}

interface Entry {
  bytes: number
}

/** What `fetchCached` asks for beyond `httpGet`'s options. */
export interface FetchCachedOptions extends HttpGetOptions {
  /**
   * A request withdrawn by all who asked may land once it is well on its way (see `LANDING_SHARE`):
   * for stored tiles (XYZ, WMTS), whose server has nothing left to save by then. Not for a WMS,
   * whose server renders each GetMap: withdrawn, its render is spared.
   */
  landing?: boolean
}

/** A request on the network, shared by those who ask for its URL meanwhile. */
interface Flight {
  answer: Promise<WebAnswer>
  readonly key: string
  readonly controller: AbortController
  readonly host: string
  /** Those waiting for it and not withdrawn. */
  callers: number
  /** When it last left (performance.now()); null while it waits for its host's connection. */
  sentAt: number | null
  landing: boolean
  /** Answered or failed: a withdrawal no longer touches it. */
  settled: boolean
}

/** A kept answer as read from the disk. */
interface Kept {
  headers: CachedHeaders
  body: Uint8Array
}

/**
 * A request withdrawn once it has been on its way this share of its host's round trip lands: its
 * server has it and is answering, so an abort saves nothing (over HTTP/2 the answer is already on
 * the wire when the RST_STREAM reaches the server; over HTTP/1.1 the abort closes a connection),
 * and the tile, kept here, is not fetched again when the view comes back to it. A moving camera's
 * guesses fetched a twentieth of an XYZ walk's tiles twice (the web bench at 50 ms of latency).
 */
export const LANDING_SHARE = 0.5
/**
 * A host's round trip is the shortest time to an answer's headers of its last answers: a busy
 * process (decoding, drawing) hears of an answer late, never early, so the shortest is the network's.
 */
const ROUND_TRIPS_KEPT = 16

export class TileCache {
  static readonly defaultOptions = { dir: join(tmpdir(), 'tessera-web-cache'), maxBytes: 512 * 1024 * 1024 }

  readonly dir: string
  readonly maxBytes: number
  /** Keys in least-recently-used order (a Map keeps insertion order: a use moves a key to the end). */
  private readonly entries = new Map<string, Entry>()
  private total = 0
  private ready: Promise<void> | null = null
  private counters = { requests: 0, hits: 0, revalidated: 0, stale: 0, stored: 0, evicted: 0, landed: 0, joined: 0 }
  /** Requests on the network, by key: a second ask of the URL joins its flight. */
  private readonly flights = new Map<string, Flight>()
  /** Each host's last times from a request's leaving to its answer's headers (ms), newest last. */
  private readonly roundTrips = new Map<string, number[]>()
  /** Answers being written, by key (`writeBehind`). */
  private readonly writing = new Map<string, Promise<void>>()
  private lastWrite: Promise<void> = Promise.resolve()

  constructor(options: TileCacheOptions = {}) {
    this.dir = options.dir ?? TileCache.defaultOptions.dir
    this.maxBytes = options.maxBytes ?? TileCache.defaultOptions.maxBytes
    if (!Number.isSafeInteger(this.maxBytes) || this.maxBytes < 0) {
      throw new TypeError(`Expected a non-negative integer for maxBytes but received ${String(options.maxBytes)}`)
    }
  }

  /**
   * Requests sent, answers served from the cache without one, 304s, stale stand-ins, bodies stored
   * and dropped, requests withdrawn and let land (`LANDING_SHARE`), asks that joined a request on its way.
   */
  stats(): { requests: number; hits: number; revalidated: number; stale: number; stored: number; evicted: number; landed: number; joined: number; bytes: number } {
    return { ...this.counters, bytes: this.total }
  }

  /**
   * The answer for `url`: a fresh kept one without a request; a stale one asked again with its
   * validators (a 304 serves the kept body); otherwise fetched, and kept when HTTP allows it and
   * it is a 200. A kept answer stands in, stale, when its revalidation finds the server failing for
   * now (unreachable, 408/429/5xx after the retries) and its headers allow it. Otherwise rejects as
   * `httpGet` does.
   */
  async fetchCached(url: string, options: FetchCachedOptions = {}): Promise<WebAnswer> {
    await this.open()
    const key = keyOf(url)
    const flying = this.flights.get(key)
    if (flying) return this.join(flying, url, options, true)
    const kept = await this.read(key)
    const now = Date.now()
    if (kept && isFresh(kept.headers, now)) {
      this.touch(key)
      this.counters.hits++
      return { status: 200, statusText: 'OK', contentType: kept.headers.contentType, body: kept.body, from: 'cache' }
    }
    // Another ask of the URL may have left while this one read the disk.
    const raced = this.flights.get(key)
    return raced ? this.join(raced, url, options, true) : this.join(this.fly(key, url, kept, options), url, options, false)
  }

  /** Starts the request for `url` on its own signal (its askers withdraw through `join`). */
  private fly(key: string, url: string, kept: Kept | null, options: FetchCachedOptions): Flight {
    const { signal: _asker, landing, onSent, onHeaders, ...get } = options
    const controller = new AbortController()
    const flight: Flight = { key, controller, host: new URL(url).host, callers: 0, sentAt: null, landing: landing === true, settled: false, answer: Promise.resolve(null as never) }
    const sent = (): void => {
      flight.sentAt = performance.now()
      onSent?.()
    }
    const headers = (): void => {
      if (flight.sentAt !== null) this.roundTrip(flight.host, performance.now() - flight.sentAt)
      onHeaders?.()
    }
    flight.answer = this.network(key, url, kept, { ...get, signal: controller.signal, onSent: sent, onHeaders: headers }).finally(() => {
      flight.settled = true
      if (this.flights.get(key) === flight) this.flights.delete(key)
    })
    // Landing with no one waiting, its failure is nobody's to handle.
    flight.answer.catch(() => undefined)
    this.flights.set(key, flight)
    return flight
  }

  /** `flight`'s answer for one more asker, who may withdraw by `options.signal` (see `withdraw`). */
  private join(flight: Flight, url: string, options: FetchCachedOptions, joining: boolean): Promise<WebAnswer> {
    if (joining) this.counters.joined++
    // An asker who would not let it land (a WMS) decides for the flight.
    if (options.landing !== true) flight.landing = false
    flight.callers++
    const signal = options.signal
    if (!signal) return flight.answer
    const onAbort = (): void => this.withdraw(flight)
    if (signal.aborted) onAbort()
    else {
      signal.addEventListener('abort', onAbort, { once: true })
      flight.answer.then(
        () => signal.removeEventListener('abort', onAbort),
        () => signal.removeEventListener('abort', onAbort)
      )
    }
    return abortable(flight.answer, signal, `Reading ${url}`)
  }

  /** One asker withdrew: the last one aborts the request, unless it is landing (`LANDING_SHARE`). */
  private withdraw(flight: Flight): void {
    if (flight.settled) return
    flight.callers--
    if (flight.callers > 0) return
    const roundTrip = this.roundTripOf(flight.host)
    if (flight.landing && flight.sentAt !== null && roundTrip !== null && performance.now() - flight.sentAt >= LANDING_SHARE * roundTrip) {
      this.counters.landed++
      return
    }
    // Out of the flights at once: an ask of the URL from now on is a request of its own, not this aborted one.
    if (this.flights.get(flight.key) === flight) this.flights.delete(flight.key)
    flight.controller.abort()
  }

  private roundTrip(host: string, ms: number): void {
    const kept = this.roundTrips.get(host) ?? []
    kept.push(ms)
    if (kept.length > ROUND_TRIPS_KEPT) kept.shift()
    this.roundTrips.set(host, kept)
  }

  /** `host`'s round trip (see `ROUND_TRIPS_KEPT`), or null before its first answer. */
  private roundTripOf(host: string): number | null {
    const kept = this.roundTrips.get(host)
    return kept && kept.length > 0 ? Math.min(...kept) : null
  }

  /** The request itself: the answer fetched (revalidated with `kept`'s validators), kept when HTTP allows. */
  private async network(key: string, url: string, kept: Kept | null, options: HttpGetOptions): Promise<WebAnswer> {
    const conditional = kept ? revalidationHeaders(kept.headers) : {}
    this.counters.requests++
    // A kept answer stands in, stale, when its server fails for now (down, 5xx after the retries)
    // and its headers allow it: a map whose server went away keeps the tiles it had, as a browser's
    // offline page does, where deleting them left holes. The entry stays for the next try.
    const staleStandIn = (): WebAnswer | null => {
      if (!kept?.headers.servableStale) return null
      this.touch(key)
      this.counters.stale++
      return { status: 200, statusText: 'OK', contentType: kept.headers.contentType, body: kept.body, from: 'stale' }
    }
    let answer: HttpAnswer
    try {
      answer = await httpGet(url, { ...options, headers: { ...options.headers, ...conditional } })
    } catch (error) {
      const stale = !options.signal?.aborted && isServerUnavailable(error) ? staleStandIn() : null
      if (stale) return stale
      throw error
    }
    if (isUnavailableStatus(answer.status)) {
      const stale = staleStandIn()
      if (stale) return stale
    }
    if (answer.status === 304 && kept) {
      this.counters.revalidated++
      const refreshed = refreshedHeaders(kept.headers, answer.headers, Date.now())
      if (refreshed) await this.writeHeaders(key, refreshed).catch(() => undefined)
      else await this.remove(key)
      this.touch(key)
      return { status: 200, statusText: 'OK', contentType: kept.headers.contentType, body: kept.body, from: 'revalidated' }
    }
    // Kept on disk behind the answer, not before it: the write took 14 ms (51 ms at the 90th
    // percentile) of each tile's way to the screen on a loaded machine. A read of the same URL waits for it.
    if (answer.status === 200) this.writeBehind(key, () => this.store(key, answer).catch((error: unknown) => console.error(`[web cache] keeping ${url}:`, error)))
    // Gone (404, 410…) or refused: the kept answer no longer holds. A server failing for now leaves it.
    else if (kept && !isUnavailableStatus(answer.status)) await this.remove(key)
    return { status: answer.status, statusText: answer.statusText, contentType: answer.headers.get('content-type'), body: answer.body, from: 'network' }
  }

  /** Resolves when every answer being kept has been written (or failed to be). */
  async written(): Promise<void> {
    while (this.writing.size > 0) await Promise.all(this.writing.values())
  }

  /** Forgets every kept answer (files deleted). */
  async clear(): Promise<void> {
    await this.open()
    await this.written()
    await Promise.all([...this.entries.keys()].map((key) => this.remove(key)))
  }

  private open(): Promise<void> {
    this.ready ??= this.scan()
    return this.ready
  }

  /** Rebuilds the index from the folder: bodies by access time, oldest first. */
  private async scan(): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const found: { key: string; bytes: number; atimeMs: number }[] = []
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.body')) continue
      const info = await stat(join(this.dir, name)).catch(() => null)
      if (info) found.push({ key: name.slice(0, -5), bytes: info.size, atimeMs: info.atimeMs })
    }
    found.sort((a, b) => a.atimeMs - b.atimeMs)
    for (const { key, bytes } of found) {
      this.entries.set(key, { bytes })
      this.total += bytes
    }
    await this.evict()
  }

  /**
   * Runs `write` after the writes still going, one at a time in the order the answers came (the
   * least recently used stays the first fetched); `read` of `key` waits for it.
   */
  private writeBehind(key: string, write: () => Promise<void>): void {
    const done = this.lastWrite.then(write).finally(() => {
      if (this.writing.get(key) === done) this.writing.delete(key)
    })
    this.writing.set(key, done)
    this.lastWrite = done
  }

  private async read(key: string): Promise<Kept | null> {
    await this.writing.get(key)
    if (!this.entries.has(key)) return null
    try {
      const [headers, body] = await Promise.all([readFile(this.path(key, 'json'), 'utf8'), readFile(this.path(key, 'body'))])
      return { headers: JSON.parse(headers) as CachedHeaders, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) }
    } catch {
      await this.remove(key)
      return null
    }
  }

  private async store(key: string, answer: HttpAnswer): Promise<void> {
    const headers = cacheableHeaders(answer.headers, Date.now())
    if (!headers || answer.body.byteLength > this.maxBytes) {
      if (this.entries.has(key)) await this.remove(key)
      return
    }
    // Written beside and renamed: a reader never sees half a body.
    const temporary = `${this.path(key, 'body')}.${process.pid}.${Math.random().toString(36).slice(2)}`
    await writeFile(temporary, answer.body)
    await rename(temporary, this.path(key, 'body'))
    await this.writeHeaders(key, headers)
    const before = this.entries.get(key)
    if (before) this.total -= before.bytes
    this.entries.delete(key)
    this.entries.set(key, { bytes: answer.body.byteLength })
    this.total += answer.body.byteLength
    this.counters.stored++
    await this.evict()
  }

  private writeHeaders(key: string, headers: CachedHeaders): Promise<void> {
    return writeFile(this.path(key, 'json'), JSON.stringify(headers))
  }

  private touch(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.entries.delete(key)
    this.entries.set(key, entry)
  }

  private async evict(): Promise<void> {
    for (const key of this.entries.keys()) {
      if (this.total <= this.maxBytes) break
      await this.remove(key)
      this.counters.evicted++
    }
  }

  private async remove(key: string): Promise<void> {
    const entry = this.entries.get(key)
    if (entry) {
      this.entries.delete(key)
      this.total -= entry.bytes
    }
    await Promise.all([rm(this.path(key, 'body'), { force: true }), rm(this.path(key, 'json'), { force: true })])
  }

  private path(key: string, kind: 'body' | 'json'): string {
    return join(this.dir, `${key}.${kind}`)
  }
}

function keyOf(url: string): string {
  return createHash('sha256').update(url).digest('hex')
}

let shared: TileCache | null = null

/** The process's cache of web answers (os.tmpdir()/tessera-web-cache, 512 MiB). */
export function sharedTileCache(): TileCache {
  shared ??= new TileCache()
  return shared
}
