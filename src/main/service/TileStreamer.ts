/**
 * Turns tile requests of one service into `scheduleLoad` calls on its client of the process-wide
 * loader, and sends each decoded tile once, as a binary frame. Request id = tile key, textureId =
 * raster id, rank = what the renderer sent. Cancelled requests are never sent (the loader discards
 * their results), and a decoded tile waits in the connection's `SendQueue` while the transport is
 * behind, where a withdrawal still drops it ("withdrawn before sent"); FIFO mode sends at once.
 */
import type { AsyncImageLoader } from '../loader/AsyncImageLoader'
import type { LoaderClient } from '../loader/LoaderClient'
import { ImageLoadPriority } from '../../shared/priority'
import { encodeTileFrame } from '../../shared/tileFrame'
import { tileMapBounds } from '../../shared/geo/tileBounds'
import { isTileInPyramid, parseTileKey, tileKey } from '../../shared/tiles'
import { toErrorInfo } from '../../shared/errors'
import type { SchedulingMode, ServiceStats, TileEncoding, TileRequest } from '../../shared/protocol'
import { isFileChangedError } from '../raster/fileStamp'
import { type LoadedTile, type RasterSource, isEncodedTile } from '../raster/types'
import type { ServiceSink } from './types'
import { SendQueue, type QueuedTile } from './SendQueue'
import { sampleTypeOf } from './tileSampleType'

/** A web map layer's raster (`open-web-layer`): its tiles are a server's images. */
function isWebSource(info: RasterSource['info']): boolean {
  return info.source?.kind === 'web'
}

const EMPTY = new Uint8Array(0)

/** Scheduling a key again only joins its load: the first scheduling's callback answers it. */
const JOINED = (): void => undefined
const NO_LOAD = (): null => null

/**
 * Tile counters of one service. `withdrawnBeforeSent`: decoded tiles that a withdrawal dropped from
 * the send queue (never sent; also counted in `cancelled`); it rides along in the `stats` reply.
 */
export type TileCounters = Omit<ServiceStats, 'openRasters' | 'remote'> & { withdrawnBeforeSent: number }

export interface TileStreamerOptions {
  /** The loader this service's tiles go through (shared by every service of the process). */
  loader: AsyncImageLoader<LoadedTile>
  /** Loads of this service running at once, at most (the loader's slots bound them all). */
  maxWorkers: number
  /** Most tile loads pending or active; beyond, the least urgent pending ones are dropped. */
  maxPending: number
  /**
   * A tile whose file changed under it (its source threw a FileChangedError): it is neither sent
   * nor reported failed; the raster reloads and asks for it again.
   */
  onFileChanged(rasterId: string, tile: TileRequest): void
  /** Most tile bytes handed to a flow-controlled transport and not yet written; default `SendQueue.defaultOptions`. */
  maxBytesInFlight?: number
}

/**
 * Decoded tile bytes waiting to be sent above which a connection starts no new decode (~380 RGBA
 * tiles): a page busy for a few seconds no longer makes the host decode until the connection's
 * 256 MiB limit ends it, while a view's worth of tiles (and a test's 64 MiB) still queues.
 */
const HOLD_DECODES_ABOVE_BYTES = 96 * 1024 * 1024

export class TileStreamer {
  private readonly loader: LoaderClient<LoadedTile>
  private readonly maxPending: number
  private readonly onFileChanged: TileStreamerOptions['onFileChanged']
  private scheduling: SchedulingMode = 'priority'
  /** Encodings the client decodes (`tile-encodings`); none by default: raw samples only. */
  private accepted: ReadonlySet<TileEncoding> = new Set()
  private done = 0
  private cancelled = 0
  private failed = 0
  private bytesSent = 0
  private tilesSent = 0
  private withdrawnBeforeSent = 0
  private readonly sendQueue: SendQueue
  /** The source each remote raster's tiles were last requested of: where its `prefetch` hints go. */
  private readonly prefetchSources = new Map<string, RasterSource>()
  /** Each remote raster's hinted tiles (`hint`) by key, with the signal of their prefetch. */
  private readonly hints = new Map<string, Map<string, AbortController>>()

  constructor(
    private readonly sink: ServiceSink,
    options: TileStreamerOptions
  ) {
    this.maxPending = options.maxPending
    this.onFileChanged = options.onFileChanged
    this.loader = options.loader.connect({
      maxActive: options.maxWorkers,
      trackLeastUrgent: true,
      onCallbackError: (error, id) => console.error(`[TextureService] sending tile ${id} failed:`, error),
      // No new decode while decoded tiles wait to be sent: they would only pile up in the host (a
      // client busy for a second was cut off for it), and the requests still queued stay
      // cancellable for free. FIFO mode, the benchmark baseline, does not hold back.
      paused: () => this.scheduling === 'priority' && this.sendQueue.bytesWaiting > HOLD_DECODES_ABOVE_BYTES
    })
    this.sendQueue = new SendQueue(sink, {
      ...(options.maxBytesInFlight === undefined ? {} : { maxBytesInFlight: options.maxBytesInFlight }),
      onSent: (_tile, bytes) => {
        this.tilesSent++
        this.bytesSent += bytes
        if (this.sendQueue.bytesWaiting <= HOLD_DECODES_ABOVE_BYTES) this.loader.resume()
      }
    })
  }

  /** 'fifo' switches prioritisation and cancellation off: every request NORMAL, served in arrival order. */
  setScheduling(mode: SchedulingMode): void {
    this.scheduling = mode
  }

  /**
   * The compressed encodings the client decodes: from now on, a tile whose level keeps it stored
   * in one of them (decided at open) is sent as stored. Loads already scheduled keep what they were.
   */
  setAcceptedEncodings(accept: readonly TileEncoding[]): void {
    this.accepted = new Set(accept)
  }

  /** False in 'fifo' mode, where obsolescence cancellations are ignored. */
  get prioritised(): boolean {
    return this.scheduling === 'priority'
  }

  /**
   * Schedules a batch for one raster. Tiles outside the pyramid get `tile-failed` (out-of-range).
   * When more than `maxPending` loads would then wait or run, the least urgent pending ones of
   * the whole connection — queued earlier or in this batch alike — are dropped (`dropLeastUrgent`).
   */
  request(rasterId: string, source: RasterSource, tiles: readonly TileRequest[]): void {
    const { levels, tileSize } = source.info
    if (source.prefetch) this.prefetchSources.set(rasterId, source)
    for (const tile of tiles) {
      if (isTileInPyramid(levels, tileSize, tile.level, tile.col, tile.row)) this.schedule(rasterId, source, tile)
      else {
        const key = tileKey({ rasterId, ...tile })
        this.sink.send({
          type: 'tile-failed',
          rasterId,
          key,
          error: { code: 'out-of-range', message: `Tile ${key} is outside the pyramid of ${source.info.name} (${levels.length} levels)` }
        })
      }
    }
    // The batch is scheduled first and the excess dropped after, all synchronously: no load starts
    // in between (the loader dispatches in a microtask), and one order decides for old and new alike.
    const excess = this.loader.getPendingCount() + this.loader.getActiveCount() - this.maxPending
    if (excess > 0) this.dropLeastUrgent(excess, source.info.name)
  }

  /**
   * A remote raster's backlog (`prefetch` notification): the tiles its plan wants that the renderer
   * has not asked for yet. Their bytes are fetched (`RasterSource.prefetch`, bounded there), never
   * decoded, so that the whole plan reaches the server together; the tiles of the previous set
   * left out of this one are aborted (their requests too, when no wanted tile shares them). Hints
   * go to the source the raster's tiles were last requested of: none before a request, none in
   * 'fifo' mode, none for a raster read from disk.
   */
  hint(rasterId: string, tiles: readonly TileRequest[]): void {
    const source = this.prefetchSources.get(rasterId)
    const before = this.hints.get(rasterId) ?? new Map<string, AbortController>()
    const now = new Map<string, AbortController>()
    if (source?.prefetch && this.scheduling === 'priority') {
      const { levels, tileSize } = source.info
      for (const tile of tiles) {
        if (!isTileInPyramid(levels, tileSize, tile.level, tile.col, tile.row)) continue
        const key = tileKey({ rasterId, ...tile })
        if (now.has(key)) continue
        const kept = before.get(key)
        before.delete(key)
        if (kept) {
          now.set(key, kept)
          continue
        }
        const controller = new AbortController()
        now.set(key, controller)
        source.prefetch(tile.level, tile.col, tile.row, controller.signal, { priority: tile.priority, rank: tile.rank ?? 0 })
      }
    }
    for (const dropped of before.values()) dropped.abort()
    if (now.size > 0) this.hints.set(rasterId, now)
    else this.hints.delete(rasterId)
  }

  /** Aborts the raster's hinted prefetches but those of `keep`; with no `keep`, all, and forgets its source. */
  private dropHints(rasterId: string, keep?: ReadonlySet<string>): void {
    if (!keep) this.prefetchSources.delete(rasterId)
    const hinted = this.hints.get(rasterId)
    if (!hinted) return
    for (const [key, controller] of hinted) {
      if (keep?.has(key)) continue
      controller.abort()
      hinted.delete(key)
    }
    if (hinted.size === 0) this.hints.delete(rasterId)
  }

  /**
   * Gives up `count` pending loads, least urgent first and the oldest among equals (in 'fifo' mode,
   * where all are equal, the oldest); running loads are never dropped. Each dropped tile gets a
   * `tile-failed` with code 'overloaded' — not failed: the renderer may ask for it again — and the
   * batch one 'overloaded' error. O(count · log n).
   */
  private dropLeastUrgent(count: number, name: string): void {
    const dropped = this.loader.cancelLeastUrgent(count)
    if (dropped.length === 0) return
    const tileError = { code: 'overloaded' as const, message: `Dropped: more than ${this.maxPending} tile requests were pending; ask again when the view needs it` }
    for (const { id, textureId } of dropped) this.sink.send({ type: 'tile-failed', rasterId: textureId, key: id, error: tileError })
    this.sink.send({
      type: 'error',
      error: { code: 'overloaded', message: `${dropped.length} least urgent tile requests dropped: more than ${this.maxPending} pending (while requesting tiles of ${name})` }
    })
  }

  /**
   * Cancels every pending and active load of a raster and returns what was asked (its file is
   * being reopened; the requests are asked again of the new content). O(tiles in flight): rare.
   */
  withdrawRaster(rasterId: string): TileRequest[] {
    // The loader's requests are the record of what was asked: their address is their key.
    const withdrawn: TileRequest[] = this.loader.requestsOf(rasterId).map(({ id, priority, rank }) => {
      const { level, col, row } = parseTileKey(id)!
      return { level, col, row, priority, rank }
    })
    this.loader.cancelTexture(rasterId)
    this.dropHints(rasterId)
    // Decoded from the old content and not sent yet: asked again of the new one.
    for (const queued of this.withdrawQueued(rasterId)) withdrawn.push(queued.request)
    return withdrawn
  }

  /**
   * Cancels the raster's pending and active tiles whose key is not in `keep`, and drops its decoded
   * tiles still waiting to be sent (counted as withdrawn before sent); ignored in 'fifo' mode.
   * Returns how many in all.
   */
  cancelObsolete(rasterId: string, keep: readonly string[]): number {
    if (this.scheduling === 'fifo') return 0
    const keepSet = new Set(keep)
    this.dropHints(rasterId, keepSet)
    const unsent = this.withdrawQueued(rasterId, keepSet).length
    this.withdrawnBeforeSent += unsent
    this.cancelled += unsent
    return this.loader.cancelObsoleteForTexture(rasterId, keepSet) + unsent
  }

  /** Cancels everything of a raster (closing it), whatever the scheduling mode. */
  cancelRaster(rasterId: string): number {
    this.dropHints(rasterId)
    return this.loader.cancelTexture(rasterId) + this.withdrawQueued(rasterId).length
  }

  /** Drops the raster's decoded tiles waiting to be sent (but those in `keep`); decoding may go on. */
  private withdrawQueued(rasterId: string, keep?: ReadonlySet<string>): ReturnType<SendQueue['withdraw']> {
    const withdrawn = this.sendQueue.withdraw(rasterId, keep)
    if (withdrawn.length > 0) this.loader.resume()
    return withdrawn
  }

  /** Counters for `stats`. */
  counters(): TileCounters {
    return {
      pending: this.loader.getPendingCount(),
      active: this.loader.getActiveCount(),
      done: this.done,
      cancelled: this.cancelled,
      failed: this.failed,
      tilesSent: this.tilesSent,
      bytesSent: this.bytesSent,
      withdrawnBeforeSent: this.withdrawnBeforeSent
    }
  }

  /**
   * Cancels everything and leaves the loader. Resolves when the running loads have ended, or after
   * the loader's grace time for loads that ignore their signal: it never hangs on one.
   */
  async close(): Promise<void> {
    for (const rasterId of [...this.prefetchSources.keys(), ...this.hints.keys()]) this.dropHints(rasterId)
    const leaving = this.loader.close()
    this.sendQueue.close()
    await leaving
  }

  private schedule(rasterId: string, source: RasterSource, tile: TileRequest): void {
    const key = tileKey({ rasterId, ...tile })
    const fifo = this.scheduling === 'fifo'
    if (this.sendQueue.has(key)) {
      // Decoded and waiting to be sent: asked again, it is sent once, as urgently as now asked.
      if (!fifo) this.sendQueue.raise(key, tile)
      return
    }
    const priority = fifo ? ImageLoadPriority.NORMAL : tile.priority
    const rank = fifo ? 0 : (tile.rank ?? 0)
    if (this.loader.request(key)) {
      // Its one load is scheduled: asked again, it joins it, and may raise its priority.
      this.loader.scheduleLoad({ id: key, textureId: rasterId, priority, rank, load: NO_LOAD, callback: JOINED })
      return
    }
    // The request as it stood when its load started: the loader keeps the most urgent it was given.
    let asked = tile
    const accepted = this.accepted
    const { georeference, levels, tileSize } = source.info
    // A remote raster's tile: its bytes fetched from now (with the other tiles scheduled now), until its load ends or is withdrawn.
    const prefetch = source.prefetch ? new AbortController() : null
    this.loader.scheduleLoad({
      id: key,
      textureId: rasterId,
      priority,
      rank,
      // Where the tile lies on the ground, as the seed's requests carry it.
      bounds: tileMapBounds(georeference, levels, tileSize, tile.level, tile.col, tile.row),
      // A web tile waits on its server holding no decode worker: its decode, if any, waits for one
      // in the pool once the answer is in. In the decode lane, the pool's two workers held two
      // fetches at a time, and a jump's 20 PNG tiles came in pairs 75 ms apart.
      ...(isWebSource(source.info) ? { lane: 'network' as const } : {}),
      load: (signal) => {
        const now = fifo ? undefined : this.loader.request(key)
        if (now) asked = { level: tile.level, col: tile.col, row: tile.row, priority: now.priority, rank: now.rank }
        // Only the job differs: the loader orders, dedups and cancels this load like any other.
        if (accepted.size > 0 && source.readTileAs) return source.readTileAs(tile.level, tile.col, tile.row, accepted, signal)
        return source.readTile(tile.level, tile.col, tile.row, signal)
      },
      callback: (result, error) => {
        prefetch?.abort()
        this.settle(key, rasterId, asked, result, error)
      }
    })
    if (prefetch && !prefetch.signal.aborted) source.prefetch!(tile.level, tile.col, tile.row, prefetch.signal, { priority, rank })
  }

  private settle(key: string, rasterId: string, asked: TileRequest, tile: LoadedTile | null, error?: Error): void {
    if (error && isFileChangedError(error)) {
      this.cancelled++
      this.onFileChanged(rasterId, asked)
      return
    }
    if (error) {
      this.failed++
      this.sink.send({ type: 'tile-failed', rasterId, key, error: toErrorInfo(error, 'decode-failed') })
      return
    }
    if (!tile) {
      this.cancelled++
      return
    }
    const { level, col, row } = asked
    // The frame of an empty tile is exactly the prefix (header + padding) of the real one. A stored
    // tile says its encoding; once decoded it is RGBA8 of the header's size, like a raw one.
    const encoded = isEncodedTile(tile)
    const prefix = encodeTileFrame(
      {
        rasterId,
        level,
        col,
        row,
        width: tile.width,
        height: tile.height,
        channels: encoded ? 4 : tile.channels,
        sampleType: encoded ? 'uint8' : sampleTypeOf(tile.data),
        ...(encoded ? { encoding: tile.encoding } : {})
      },
      EMPTY
    )
    const payload = encoded ? tile.bytes : tile.data
    const pixels = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
    this.done++
    const queued: QueuedTile = { key, rasterId, request: asked, frame: { prefix, pixels } }
    if (this.scheduling === 'fifo') {
      // FIFO mode, the baseline: no send queue, every tile goes to the transport as it is decoded.
      this.sink.sendTile(queued.frame)
      this.tilesSent++
      this.bytesSent += prefix.byteLength + pixels.byteLength
    } else this.sendQueue.push(queued)
  }
}
