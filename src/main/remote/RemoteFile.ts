/**
 * A file on an HTTP server read by ranges: reads served from the block cache, the missing blocks
 * of the reads arriving within a few milliseconds (`ReadBatch`) fetched together, one request per
 * run of adjacent blocks (runs a small gap apart joined), requests in flight shared between reads
 * and aborted when every read waiting for them was aborted.
 */
import type { BlockCache } from './BlockCache'
import { BlockFetch, type Piece } from './BlockFetch'
import { type BlockRun, type ByteRange, blocksOf, bytesOfRun, mergeRuns, runsOf } from './blockRuns'
import { RemoteFileChangedError, RemoteReadError, abortError } from './errors'
import { fetchRange } from './fetchRange'
import type { HostLimiter } from './HostLimiter'
import type { Http2Origins } from './http2Origins'
import type { ResolvedRemoteOptions } from './options'
import type { KnownFile } from './rangeAnswer'
import type { RangeAnswer, RangeTarget, RequestEnv } from './rangeAttempt'
import { type Claim, ReadBatch } from './ReadBatch'

export interface RemoteFileInfo {
  /** As the person gave it. */
  url: string
  /** After redirects (a pre-signed URL), for logs only. */
  resolvedUrl: string
  /** Bytes, from Content-Range's total (or the whole body's length). */
  size: number
  /** ETag if any, else Last-Modified, else '': the raster's FileVersion key. */
  version: string
  /** HTTP date as the server said it. */
  lastModified: string | null
  contentType: string | null
  /** True when the server ignored Range and the file (<= the whole-body limit) was read whole. */
  wholeBody: boolean
}

export interface RemoteFileStats {
  /** HTTP requests sent (redirect hops and retries included). */
  requests: number
  /** Body bytes received. */
  bytes: number
  /** Body bytes received while every caller of their request had aborted: 0 when cancellation works. */
  bytesAfterAbort: number
  /** Bytes of this file in the block cache now. */
  cacheBytes: number
}

/** The counters a file's requests add to. */
export interface RemoteCounters {
  requests: number
  bytes: number
  bytesAfterAbort: number
}

let nextFileId = 1

/** The most a read of the file's structure is grown by (`prefixBlocks`). */
const PREFIX_GROWTH_LIMIT = 256 * 1024
/** A read continuing the file's structure is grown by this many times what was read from the start (`prefixBlocks`). */
const PREFIX_GROWTH = 3

export class RemoteFile {
  private readonly id = nextFileId++
  private readonly inFlight = new Map<number, BlockFetch>()
  private changed: RemoteFileChangedError | null = null
  private closed = false
  private readonly known: KnownFile
  private readonly batch: ReadBatch<BlockFetch>
  /**
   * Blocks fetched (or asked for) from the start of the file without a gap: the first GET, then
   * what followed it. A read continuing them reads the file's structure (IFDs, tile index arrays,
   * then the smallest overview's tiles): its request is grown to three times as many blocks as
   * they are, up to `PREFIX_GROWTH_LIMIT` (16 KiB, then 64, then 256: one request where geotiff.js
   * asks for its IFDs 1 KiB at a time). GDAL doubles, but reads only the parts of the tile index
   * arrays it needs: doubling, the whole arrays of a 30000² COG took one request more than GDAL's
   * structure reads (4 against 3); what quadrupling reads past them is the smallest overviews'
   * tiles, which an open draws first.
   */
  private prefixBlocks: number

  constructor(
    private readonly fileInfo: RemoteFileInfo,
    private readonly target: RangeTarget,
    private readonly options: ResolvedRemoteOptions,
    private readonly cache: BlockCache,
    private readonly client: { limiter: HostLimiter; origins: Http2Origins },
    private readonly counters: RemoteCounters,
    first: RangeAnswer
  ) {
    this.known = { size: fileInfo.size, etag: first.etag, lastModified: first.lastModified }
    this.keep(first)
    this.prefixBlocks = first.start === 0 ? Math.floor(first.bytes.byteLength / options.blockSize) : 0
    this.batch = new ReadBatch(options.coalesceMs, (claims) => this.plan(claims))
  }

  get info(): RemoteFileInfo {
    return { ...this.fileInfo, resolvedUrl: this.target.resolvedUrl }
  }

  /** Bytes [offset, offset+length), clamped to the file's size. See `readRanges`. */
  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.readRanges([{ offset, length }], signal))[0]!
  }

  /**
   * The bytes of each range (clamped to the size): cached blocks at once, missing ones fetched,
   * with those of the other reads arriving within `coalesceMs`: adjacent missing blocks (or a gap
   * of at most `mergeGapBytes` apart) of all of them in one request. Rejects with an AbortError
   * as soon as `signal` aborts (the request itself is aborted only when no other read waits for
   * it), a RemoteFileChangedError when the server's version is no longer the one opened, or a
   * RemoteReadError naming the URL and the cause.
   */
  async readRanges(ranges: readonly ByteRange[], signal?: AbortSignal): Promise<Uint8Array[]> {
    ranges.forEach(checkRange)
    if (this.closed) throw new RemoteReadError(this.fileInfo.url, 'closed', 'the file was closed')
    if (this.changed) throw this.changed
    if (signal?.aborted) throw abortError(`Reading ${this.fileInfo.url}`)
    const { blockSize } = this.options
    const size = this.fileInfo.size
    const pieces = new Map<number, Piece>()
    const waitingFor = new Set<BlockFetch>()
    const missing: number[] = []
    for (const block of blocksOf(ranges, blockSize, size)) {
      const cached = this.cache.get(this.id, block)
      const fetching = this.inFlight.get(block)
      if (cached) pieces.set(block, { offset: block * blockSize, bytes: cached })
      else if (fetching) waitingFor.add(fetching)
      else missing.push(block)
    }
    if (missing.length > 0) {
      for (const fetch of await this.batch.claim(missing, signal, `Reading ${this.fileInfo.url}`)) waitingFor.add(fetch)
    }
    if (waitingFor.size > 0) {
      const fetches = [...waitingFor]
      const fetched = await this.waitFor(fetches, signal)
      fetched.forEach((piece, i) => {
        const { run } = fetches[i]!
        for (let block = run.first; block <= run.last; block++) if (!pieces.has(block)) pieces.set(block, piece)
      })
    }
    return ranges.map((range) => assemble(range, size, blockSize, pieces))
  }

  stats(): RemoteFileStats {
    return { ...this.counters, cacheBytes: this.cache.bytesOf(this.id) }
  }

  /** Aborts the requests in flight and frees the file's cached blocks. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.batch.rejectAll(new RemoteReadError(this.fileInfo.url, 'closed', 'the file was closed'))
    for (const fetch of new Set(this.inFlight.values())) fetch.controller.abort()
    this.inFlight.clear()
    this.cache.dropFile(this.id)
  }

  /**
   * The fetches of the blocks the reads of a window still want: one per run of blocks neither
   * cached nor in flight (runs at most `mergeGapBytes` apart joined), each read given those that
   * bring its blocks (some already in flight, started by an earlier window).
   */
  private plan(claims: Claim<BlockFetch>[]): void {
    if (this.closed) throw new RemoteReadError(this.fileInfo.url, 'closed', 'the file was closed')
    if (this.changed) throw this.changed
    const { blockSize, mergeGapBytes } = this.options
    const wanted = new Set<number>()
    for (const claim of claims) for (const block of claim.blocks) if (!this.inFlight.has(block)) wanted.add(block)
    const mayFetch = (block: number): boolean => !this.inFlight.has(block) && !this.cache.has(this.id, block)
    const runs: BlockRun[] = mergeRuns(runsOf([...wanted].sort((a, b) => a - b)), Math.floor(mergeGapBytes / blockSize), mayFetch)
    for (const run of runs) {
      if (this.prefixBlocks > 0 && run.first === this.prefixBlocks) {
        const lastBlock = Math.floor((this.fileInfo.size - 1) / blockSize)
        const grownTo = Math.min(lastBlock, run.first + Math.min(PREFIX_GROWTH * this.prefixBlocks, Math.floor(PREFIX_GROWTH_LIMIT / blockSize)) - 1)
        while (run.last < grownTo && mayFetch(run.last + 1)) run.last++
        this.prefixBlocks = run.last + 1
      }
      this.startFetch(run)
    }
    for (const claim of claims) claim.resolve([...new Set(claim.blocks.map((block) => this.inFlight.get(block)!))])
  }

  private startFetch(run: BlockRun): BlockFetch {
    const fetch = new BlockFetch(run, (self) => this.fetchRun(self), (ended) => this.forget(ended))
    for (let block = run.first; block <= run.last; block++) this.inFlight.set(block, fetch)
    return fetch
  }

  private async fetchRun(fetch: BlockFetch): Promise<Piece> {
    const env: RequestEnv = {
      options: this.options,
      limiter: this.client.limiter,
      origins: this.client.origins,
      onRequest: () => this.counters.requests++,
      onBytes: (count) => {
        this.counters.bytes += count
        if (fetch.abandoned) this.counters.bytesAfterAbort += count
      }
    }
    const asked = bytesOfRun(fetch.run, this.options.blockSize, this.fileInfo.size)
    try {
      const answer = await fetchRange(this.target, asked, this.known, env, fetch.controller.signal)
      if (answer.whole && answer.bytes.byteLength !== this.known.size) {
        throw new RemoteFileChangedError(this.fileInfo.url, `its size ${this.known.size} became ${answer.bytes.byteLength}`)
      }
      if (!this.closed) this.keep(answer)
      return { offset: answer.start, bytes: answer.bytes }
    } catch (error) {
      if (error instanceof RemoteFileChangedError) this.markChanged(error)
      throw error
    }
  }

  /** Keeps an answer's bytes as cache blocks (each its own copy: the cache counts what it holds). */
  private keep(answer: RangeAnswer): void {
    const { blockSize } = this.options
    const end = answer.start + answer.bytes.byteLength
    for (let at = answer.start; at < end; at += blockSize) {
      // A short last piece is a block only when it ends the file.
      const blockEnd = Math.min(at + blockSize, this.fileInfo.size)
      if (blockEnd > end) break
      this.cache.put(this.id, at / blockSize, answer.bytes.slice(at - answer.start, blockEnd - answer.start))
    }
  }

  private forget(fetch: BlockFetch): void {
    for (let block = fetch.run.first; block <= fetch.run.last; block++) {
      if (this.inFlight.get(block) === fetch) this.inFlight.delete(block)
    }
  }

  /** Once the server's file changed, every read says so, and nothing of the old version is served. */
  private markChanged(error: RemoteFileChangedError): void {
    if (this.changed) return
    this.changed = error
    this.batch.rejectAll(error)
    for (const fetch of new Set(this.inFlight.values())) fetch.controller.abort()
    this.inFlight.clear()
    this.cache.dropFile(this.id)
  }

  /** The pieces of `fetches`, in order; an AbortError as soon as `signal` aborts (leaving every fetch). */
  private waitFor(fetches: BlockFetch[], signal?: AbortSignal): Promise<Piece[]> {
    const waiter = {}
    for (const fetch of fetches) fetch.join(waiter)
    const leaveAll = (): void => fetches.forEach((fetch) => fetch.leave(waiter))
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        leaveAll()
        reject(abortError(`Reading ${this.fileInfo.url}`))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      Promise.all(fetches.map((fetch) => fetch.promise)).then(
        (pieces) => {
          signal?.removeEventListener('abort', onAbort)
          leaveAll()
          resolve(pieces)
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', onAbort)
          // The other runs of this read are not needed any more (unless another read waits for them).
          leaveAll()
          reject(error)
        }
      )
    })
  }
}

/** The bytes of `range` (clamped to `size`) copied from the pieces holding its blocks. */
function assemble(range: ByteRange, size: number, blockSize: number, pieces: Map<number, Piece>): Uint8Array {
  const start = Math.min(range.offset, size)
  const end = Math.min(range.offset + range.length, size)
  const out = new Uint8Array(end - start)
  for (let at = start; at < end; ) {
    const block = Math.floor(at / blockSize)
    const piece = pieces.get(block)
    if (!piece) throw new Error(`Internal error: block ${block} was neither cached nor fetched`)
    const upTo = Math.min(end, (block + 1) * blockSize, piece.offset + piece.bytes.byteLength)
    out.set(piece.bytes.subarray(at - piece.offset, upTo - piece.offset), at - start)
    at = upTo
  }
  return out
}

function checkRange(range: ByteRange, index: number): void {
  for (const name of ['offset', 'length'] as const) {
    const value = range[name]
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(`Expected a non-negative integer for ranges[${index}].${name} but received ${String(value)} of type ${typeof value}`)
    }
  }
}
