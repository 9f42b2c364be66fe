/**
 * Turns tile requests into `AsyncImageLoader.scheduleLoad` calls for one service, and sends each
 * decoded tile once, as a binary frame. Request id = tile key, textureId = raster id, rank = what
 * the renderer sent. Cancelled requests are never sent (the loader discards their results).
 */
import { AsyncImageLoader } from '../loader/AsyncImageLoader'
import { ImageLoadPriority } from '../../shared/priority'
import { encodeTileFrame } from '../../shared/tileFrame'
import { isTileInPyramid, tileKey } from '../../shared/tiles'
import { toErrorInfo } from '../../shared/errors'
import type { SchedulingMode, ServiceStats, TileRequest } from '../../shared/protocol'
import type { DecodedTile, RasterSource } from '../raster/types'
import type { ServiceSink } from './types'
import { sampleTypeOf } from './tileSampleType'

const EMPTY = new Uint8Array(0)

/** A request the service has scheduled and not yet answered; its callback acts only while it is current. */
interface InFlight {
  rasterId: string
  callback: (tile: DecodedTile | null, error?: Error) => void
}

/** Tile counters of one service. */
export type TileCounters = Omit<ServiceStats, 'openRasters'>

export class TileStreamer {
  private readonly loader: AsyncImageLoader<DecodedTile>
  private readonly inFlight = new Map<string, InFlight>()
  private scheduling: SchedulingMode = 'priority'
  private done = 0
  private cancelled = 0
  private failed = 0
  private bytesSent = 0

  constructor(
    private readonly sink: ServiceSink,
    maxWorkers: number,
    private readonly maxPending: number
  ) {
    this.loader = new AsyncImageLoader<DecodedTile>({
      maxWorkers,
      onCallbackError: (error, id) => console.error(`[TextureService] sending tile ${id} failed:`, error)
    })
    this.loader.start()
  }

  /** 'fifo' switches prioritisation and cancellation off: every request NORMAL, served in arrival order. */
  setScheduling(mode: SchedulingMode): void {
    this.scheduling = mode
  }

  /**
   * Schedules a batch for one raster. Tiles outside the pyramid get `tile-failed` (out-of-range);
   * beyond `maxPending`, the least urgent tiles of the batch are dropped and reported once ('overloaded').
   */
  request(rasterId: string, source: RasterSource, tiles: readonly TileRequest[]): void {
    const { levels, tileSize } = source.info
    const valid: TileRequest[] = []
    for (const tile of tiles) {
      if (isTileInPyramid(levels, tileSize, tile.level, tile.col, tile.row)) valid.push(tile)
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
    let accepted = valid
    const room = Math.max(0, this.maxPending - this.inFlight.size)
    const isFresh = (t: TileRequest): boolean => !this.inFlight.has(tileKey({ rasterId, ...t }))
    const fresh = valid.filter(isFresh)
    if (fresh.length > room) {
      // Keys already in flight only change priority; new ones are admitted most urgent first.
      const order = this.scheduling === 'priority' ? [...fresh].sort((a, b) => a.priority - b.priority || (a.rank ?? 0) - (b.rank ?? 0)) : fresh
      const admitted = new Set(order.slice(0, room))
      accepted = valid.filter((t) => !isFresh(t) || admitted.has(t))
    }
    if (accepted.length < valid.length) {
      const dropped = valid.length - accepted.length
      this.sink.send({
        type: 'error',
        error: { code: 'overloaded', message: `${dropped} tile requests of ${source.info.name} dropped: more than ${this.maxPending} pending` }
      })
    }
    for (const tile of accepted) this.schedule(rasterId, source, tile)
  }

  /** Cancels the raster's pending and active tiles whose key is not in `keep`; ignored in 'fifo' mode. Returns how many. */
  cancelObsolete(rasterId: string, keep: readonly string[]): number {
    if (this.scheduling === 'fifo') return 0
    return this.loader.cancelObsoleteForTexture(rasterId, new Set(keep))
  }

  /** Cancels everything of a raster (closing it), whatever the scheduling mode. */
  cancelRaster(rasterId: string): number {
    return this.loader.cancelTexture(rasterId)
  }

  /** Counters for `stats`. */
  counters(): TileCounters {
    return {
      pending: this.loader.getPendingCount(),
      active: this.loader.getActiveCount(),
      done: this.done,
      cancelled: this.cancelled,
      failed: this.failed,
      tilesSent: this.done,
      bytesSent: this.bytesSent
    }
  }

  /** Cancels everything and ends the running loads. */
  async close(): Promise<void> {
    await this.loader.stop()
    this.inFlight.clear()
  }

  private schedule(rasterId: string, source: RasterSource, tile: TileRequest): void {
    const key = tileKey({ rasterId, ...tile })
    const fifo = this.scheduling === 'fifo'
    let entry = this.inFlight.get(key)
    if (!entry) {
      const created: InFlight = { rasterId, callback: (result, error) => this.settle(key, created, result, error) }
      entry = created
      this.inFlight.set(key, created)
    }
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
    if (error) {
      this.failed++
      this.sink.send({ type: 'tile-failed', rasterId: entry.rasterId, key, error: toErrorInfo(error, 'decode-failed') })
      return
    }
    if (!tile) {
      this.cancelled++
      return
    }
    const [, level, col, row] = key.slice(entry.rasterId.length).split('/').map(Number) as [number, number, number, number]
    // The frame of an empty tile is exactly the prefix (header + padding) of the real one.
    const prefix = encodeTileFrame(
      {
        rasterId: entry.rasterId,
        level,
        col,
        row,
        width: tile.width,
        height: tile.height,
        channels: tile.channels === 1 ? 1 : 4,
        sampleType: sampleTypeOf(tile.data)
      },
      EMPTY
    )
    const pixels = new Uint8Array(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength)
    this.done++
    this.bytesSent += prefix.byteLength + pixels.byteLength
    this.sink.sendTile({ prefix, pixels })
  }
}
