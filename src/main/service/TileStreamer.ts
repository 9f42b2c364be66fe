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
import { isTileInPyramid, tileKey } from '../../shared/tiles'
import { toErrorInfo } from '../../shared/errors'
import type { SchedulingMode, ServiceStats, TileRequest } from '../../shared/protocol'
import { isFileChangedError } from '../raster/fileStamp'
import type { DecodedTile, RasterSource } from '../raster/types'
import type { ServiceSink } from './types'
import { SendQueue, type QueuedTile } from './SendQueue'
import { sampleTypeOf } from './tileSampleType'

const EMPTY = new Uint8Array(0)

/** A request the service has scheduled and not yet answered; its callback acts only while it is current. */
interface InFlight {
  rasterId: string
  /** The most urgent request given for this key: what is asked again if the raster reloads. */
  tile: TileRequest
  callback: (tile: DecodedTile | null, error?: Error) => void
}

/**
 * Tile counters of one service. `withdrawnBeforeSent`: decoded tiles that a withdrawal dropped from
 * the send queue (never sent; also counted in `cancelled`); it rides along in the `stats` reply.
 */
export type TileCounters = Omit<ServiceStats, 'openRasters'> & { withdrawnBeforeSent: number }

export interface TileStreamerOptions {
  /** The loader this service's tiles go through (shared by every service of the process). */
  loader: AsyncImageLoader<DecodedTile>
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

export class TileStreamer {
  private readonly loader: LoaderClient<DecodedTile>
  private readonly inFlight = new Map<string, InFlight>()
  private readonly maxPending: number
  private readonly onFileChanged: TileStreamerOptions['onFileChanged']
  private scheduling: SchedulingMode = 'priority'
  private done = 0
  private cancelled = 0
  private failed = 0
  private bytesSent = 0
  private tilesSent = 0
  private withdrawnBeforeSent = 0
  private readonly sendQueue: SendQueue

  constructor(
    private readonly sink: ServiceSink,
    options: TileStreamerOptions
  ) {
    this.maxPending = options.maxPending
    this.onFileChanged = options.onFileChanged
    this.loader = options.loader.connect({
      maxActive: options.maxWorkers,
      trackLeastUrgent: true,
      onCallbackError: (error, id) => console.error(`[TextureService] sending tile ${id} failed:`, error)
    })
    this.sendQueue = new SendQueue(sink, {
      ...(options.maxBytesInFlight === undefined ? {} : { maxBytesInFlight: options.maxBytesInFlight }),
      onSent: (_tile, bytes) => {
        this.tilesSent++
        this.bytesSent += bytes
      }
    })
  }

  /** 'fifo' switches prioritisation and cancellation off: every request NORMAL, served in arrival order. */
  setScheduling(mode: SchedulingMode): void {
    this.scheduling = mode
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
    const excess = this.inFlight.size - this.maxPending
    if (excess > 0) this.dropLeastUrgent(excess, source.info.name)
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
    const withdrawn: TileRequest[] = []
    for (const entry of this.inFlight.values()) if (entry.rasterId === rasterId) withdrawn.push(entry.tile)
    this.loader.cancelTexture(rasterId)
    // Decoded from the old content and not sent yet: asked again of the new one.
    for (const queued of this.sendQueue.withdraw(rasterId)) withdrawn.push(queued.request)
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
    const unsent = this.sendQueue.withdraw(rasterId, keepSet).length
    this.withdrawnBeforeSent += unsent
    this.cancelled += unsent
    return this.loader.cancelObsoleteForTexture(rasterId, keepSet) + unsent
  }

  /** Cancels everything of a raster (closing it), whatever the scheduling mode. */
  cancelRaster(rasterId: string): number {
    return this.loader.cancelTexture(rasterId) + this.sendQueue.withdraw(rasterId).length
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
    const leaving = this.loader.close()
    this.inFlight.clear()
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
    let entry = this.inFlight.get(key)
    if (!entry) {
      const created: InFlight = { rasterId, tile, callback: (result, error) => this.settle(key, created, result, error) }
      entry = created
      this.inFlight.set(key, created)
    } else if (tile.priority <= entry.tile.priority) entry.tile = tile
    // Scheduling a key again joins its one load (the loader dedups) and may raise its priority;
    // the shared callback acts once, for whichever call comes first.
    this.loader.scheduleLoad({
      id: key,
      textureId: rasterId,
      priority: fifo ? ImageLoadPriority.NORMAL : tile.priority,
      rank: fifo ? 0 : (tile.rank ?? 0),
      load: (signal) => source.readTile(tile.level, tile.col, tile.row, signal),
      callback: entry.callback
    })
  }

  private settle(key: string, entry: InFlight, tile: DecodedTile | null, error?: Error): void {
    if (this.inFlight.get(key) !== entry) return
    this.inFlight.delete(key)
    if (error && isFileChangedError(error)) {
      this.cancelled++
      this.onFileChanged(entry.rasterId, entry.tile)
      return
    }
    if (error) {
      this.failed++
      this.sink.send({ type: 'tile-failed', rasterId: entry.rasterId, key, error: toErrorInfo(error, 'decode-failed') })
      return
    }
    if (!tile) {
      this.cancelled++
      return
    }
    const { level, col, row } = entry.tile
    // The frame of an empty tile is exactly the prefix (header + padding) of the real one.
    const prefix = encodeTileFrame(
      {
        rasterId: entry.rasterId,
        level,
        col,
        row,
        width: tile.width,
        height: tile.height,
        channels: tile.channels,
        sampleType: sampleTypeOf(tile.data)
      },
      EMPTY
    )
    const pixels = new Uint8Array(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength)
    this.done++
    const queued: QueuedTile = { key, rasterId: entry.rasterId, request: entry.tile, frame: { prefix, pixels } }
    if (this.scheduling === 'fifo') {
      // FIFO mode, the baseline: no send queue, every tile goes to the transport as it is decoded.
      this.sink.sendTile(queued.frame)
      this.tilesSent++
      this.bytesSent += prefix.byteLength + pixels.byteLength
    } else this.sendQueue.push(queued)
  }
}
