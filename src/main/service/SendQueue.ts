/**
 * The tiles of one connection that are decoded and not yet handed to the transport. A transport
 * that says how many bytes it has not yet written out (`SinkFlow`, the WebSocket) gets a tile only
 * while fewer than `maxBytesInFlight` are unwritten; the rest wait here, most urgent first, where a
 * withdrawal (`cancelObsolete`, closing or reloading a raster) can still drop them. Bytes handed to
 * the socket cannot be called back: on a page that reads its socket slowly (the renderer's main
 * thread, 131 kB at a time) they used to be hundreds of milliseconds of stale tiles. A transport
 * without flow control (Electron's MessagePort posts at once) gets every tile at once.
 */
import type { TileRequest } from '../../shared/protocol'
import type { ServiceSink, TileFrameParts } from './types'

/** A decoded tile waiting for the transport. */
export interface QueuedTile {
  key: string
  rasterId: string
  /** What was asked: the queue sends the most urgent first (priority, then rank, lower first). */
  request: TileRequest
  frame: TileFrameParts
}

export interface SendQueueOptions {
  /** Most bytes handed to a flow-controlled transport and not yet written out; default 1 MiB: four RGBA tiles of 256², or seven PNG tiles of an orthophoto's web layer (at 512 KiB the host held a view's PNG tiles 30–40 ms each waiting for the page's pong, the bytes already read). */
  maxBytesInFlight?: number
  /** Called when a tile is handed to the transport, with its frame's size. */
  onSent?: (tile: QueuedTile, bytes: number) => void
}

export class SendQueue {
  static readonly defaultOptions = { maxBytesInFlight: 1024 * 1024 } as const

  private readonly maxBytesInFlight: number
  /** Sorted by (priority, rank, arrival); short: bounded by the tiles the renderer keeps in flight. */
  private readonly waiting: QueuedTile[] = []
  private readonly byKey = new Map<string, QueuedTile>()
  private waitingBytes = 0
  private readonly onSent: SendQueueOptions['onSent']
  private readonly unlisten: () => void
  private closed = false

  constructor(
    private readonly sink: ServiceSink,
    options: SendQueueOptions = {}
  ) {
    const max = options.maxBytesInFlight ?? SendQueue.defaultOptions.maxBytesInFlight
    if (!Number.isFinite(max) || max <= 0) throw new RangeError(`Expected positive number for maxBytesInFlight but received ${String(max)} of type ${typeof max}`)
    this.maxBytesInFlight = max
    this.onSent = options.onSent
    this.unlisten = sink.flow?.onWritten(() => this.pump()) ?? (() => {})
  }

  /** Tiles waiting. */
  get length(): number {
    return this.waiting.length
  }

  has(key: string): boolean {
    return this.byKey.has(key)
  }

  /** Queues a tile (a key already waiting is replaced) and sends what the transport takes now. O(n) in the tiles waiting. */
  push(tile: QueuedTile): void {
    if (this.closed) return
    this.remove(this.byKey.get(tile.key))
    const at = this.waiting.findIndex((t) => moreUrgent(tile.request, t.request))
    if (at < 0) this.waiting.push(tile)
    else this.waiting.splice(at, 0, tile)
    this.byKey.set(tile.key, tile)
    this.waitingBytes += bytesOf(tile)
    this.pump()
    if (this.waiting.length > 0) this.sink.flow?.holding(this.waitingBytes)
  }

  /** Bytes of the tiles waiting. */
  get bytesWaiting(): number {
    return this.waitingBytes
  }

  /** Makes a waiting tile more urgent (a request given again with a lower priority value). */
  raise(key: string, request: TileRequest): void {
    const tile = this.byKey.get(key)
    if (!tile || !moreUrgent(request, tile.request)) return
    this.push({ ...tile, request })
  }

  /** Drops the waiting tiles of `rasterId` that `keep` does not hold (all of them without `keep`); returns them. */
  withdraw(rasterId: string, keep?: ReadonlySet<string>): QueuedTile[] {
    const dropped = this.waiting.filter((t) => t.rasterId === rasterId && !keep?.has(t.key))
    for (const tile of dropped) this.remove(tile)
    return dropped
  }

  /** Hands waiting tiles to the transport, most urgent first, while it has room. */
  pump(): void {
    const flow = this.sink.flow
    while (this.waiting.length > 0 && !this.closed && (!flow || flow.bytesInFlight() < this.maxBytesInFlight)) {
      const tile = this.waiting.shift()!
      this.byKey.delete(tile.key)
      this.waitingBytes -= bytesOf(tile)
      this.sink.sendTile(tile.frame)
      this.onSent?.(tile, bytesOf(tile))
    }
  }

  /** Drops every waiting tile and stops listening to the transport. Idempotent. */
  close(): void {
    this.closed = true
    this.waiting.length = 0
    this.byKey.clear()
    this.waitingBytes = 0
    this.unlisten()
  }

  private remove(tile: QueuedTile | undefined): void {
    if (!tile) return
    this.byKey.delete(tile.key)
    const at = this.waiting.indexOf(tile)
    if (at >= 0) {
      this.waiting.splice(at, 1)
      this.waitingBytes -= bytesOf(tile)
    }
  }
}

/** Whether `a` goes before `b`: a lower priority value, or the same and a lower rank. */
function moreUrgent(a: TileRequest, b: TileRequest): boolean {
  return a.priority < b.priority || (a.priority === b.priority && (a.rank ?? 0) < (b.rank ?? 0))
}

function bytesOf(tile: QueuedTile): number {
  return tile.frame.prefix.byteLength + tile.frame.pixels.byteLength
}
