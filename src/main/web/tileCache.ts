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
import { isServerUnavailable, isUnavailableStatus } from '../remote/errors'
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

export class TileCache {
  static readonly defaultOptions = { dir: join(tmpdir(), 'tessera-web-cache'), maxBytes: 512 * 1024 * 1024 }

  readonly dir: string
  readonly maxBytes: number
  /** Keys in least-recently-used order (a Map keeps insertion order: a use moves a key to the end). */
  private readonly entries = new Map<string, Entry>()
  private total = 0
  private ready: Promise<void> | null = null
  private counters = { requests: 0, hits: 0, revalidated: 0, stale: 0, stored: 0, evicted: 0 }
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

  /** Requests sent, answers served from the cache without one, 304s, stale stand-ins, bodies stored and dropped. */
  stats(): { requests: number; hits: number; revalidated: number; stale: number; stored: number; evicted: number; bytes: number } {
    return { ...this.counters, bytes: this.total }
  }

  /**
   * The answer for `url`: a fresh kept one without a request; a stale one asked again with its
   * validators (a 304 serves the kept body); otherwise fetched, and kept when HTTP allows it and
   * it is a 200. A kept answer stands in, stale, when its revalidation finds the server failing for
   * now (unreachable, 408/429/5xx after the retries) and its headers allow it. Otherwise rejects as
   * `httpGet` does.
   */
  async fetchCached(url: string, options: HttpGetOptions = {}): Promise<WebAnswer> {
    await this.open()
    const key = keyOf(url)
    const kept = await this.read(key)
    const now = Date.now()
    if (kept && isFresh(kept.headers, now)) {
      this.touch(key)
      this.counters.hits++
      return { status: 200, statusText: 'OK', contentType: kept.headers.contentType, body: kept.body, from: 'cache' }
    }
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

  private async read(key: string): Promise<{ headers: CachedHeaders; body: Uint8Array } | null> {
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
