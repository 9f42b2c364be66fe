/**
 * Main side: the bytes of a remote raster's tiles fetched when they are scheduled, not when a decode
 * worker starts them. The service knows a view's whole tile list then: their reads, started in the
 * same turn, reach the RemoteFile's batch window together and are fetched as one request per run of
 * blocks (a row of tiles in a COG), as GDAL reads a window; the workers, started later in the
 * loader's order, find their bytes in the block cache or join the request in flight. Decodes are
 * not reordered: this only warms the cache. The tiles come from the service's requests and from the
 * renderer's `prefetch` hints (the plan's tiles its flow control has not asked for yet), so that a
 * view's whole plan, not only the tiles in flight, reaches the batch together. At most `maxTiles`
 * tiles and `maxBytes` bytes are being fetched at once, the most urgent first, so that a flood of
 * requests never fetches tens of megabytes ahead; a tile whose request or hint is withdrawn leaves
 * (its bytes are fetched only if a wanted tile shares the request).
 */
import type { ByteRange } from './decode/remoteLocation'

/** How urgent a scheduled tile is: the loader's order (lower priority value first, then lower rank). */
export interface PrefetchUrgency {
  priority: number
  rank: number
}

export interface PrefetchOptions {
  /** Tiles whose bytes are being fetched at once, at most. */
  maxTiles: number
  /**
   * Bytes being fetched at once, at most: a tile that would pass it waits for others to end (one
   * tile alone may, up to `maxBytesPerTile`).
   */
  maxBytes: number
  /** A tile whose decode reads more (a region reduced from a much finer image) is left to its worker. */
  maxBytesPerTile: number
}

/** A view of 1920 × 1080 wants 20–42 tiles of 256 (two levels): its whole plan fits. */
export const defaultPrefetchOptions: PrefetchOptions = { maxTiles: 64, maxBytes: 16 * 1024 * 1024, maxBytesPerTile: 4 * 1024 * 1024 }

interface Waiting {
  ranges: () => Promise<ByteRange[] | null>
  signal: AbortSignal
  urgency: PrefetchUrgency
  order: number
  onAbort: () => void
}

export class RemotePrefetcher {
  private readonly waiting = new Set<Waiting>()
  private running = 0
  /** Bytes of the tiles being fetched now. */
  private bytesRunning = 0
  /** Tiles whose bytes would pass `maxBytes`: woken, one at a time, as fetches end. */
  private readonly overBudget: Array<() => void> = []
  private scheduled = false
  private closed = false
  private order = 0
  private readonly options: PrefetchOptions

  constructor(
    /** Reads the ranges (the RemoteFile's `readRanges`) under the tile's signal. */
    private readonly read: (ranges: ByteRange[], signal: AbortSignal) => Promise<unknown>,
    options: Partial<PrefetchOptions> = {}
  ) {
    this.options = { ...defaultPrefetchOptions, ...options }
  }

  /**
   * Fetches the bytes `ranges()` names (once its turn comes), until `signal` aborts. Never fails:
   * a failed fetch is the decode's to report, when it reads the same bytes.
   */
  prefetch(ranges: () => Promise<ByteRange[] | null>, signal: AbortSignal, urgency: PrefetchUrgency): void {
    if (this.closed || signal.aborted) return
    const entry: Waiting = { ranges, signal, urgency, order: this.order++, onAbort: () => this.waiting.delete(entry) }
    signal.addEventListener('abort', entry.onAbort, { once: true })
    this.waiting.add(entry)
    // The tiles of one `request` batch are scheduled in one turn: the most urgent of them start first.
    if (!this.scheduled) {
      this.scheduled = true
      queueMicrotask(() => {
        this.scheduled = false
        this.pump()
      })
    }
  }

  /** Tiles waiting for their turn and tiles being fetched (tests). */
  get counts(): { waiting: number; running: number } {
    return { waiting: this.waiting.size, running: this.running }
  }

  /** Forgets the waiting tiles (those being fetched leave when their signals abort). Idempotent. */
  close(): void {
    this.closed = true
    for (const entry of this.waiting) entry.signal.removeEventListener('abort', entry.onAbort)
    this.waiting.clear()
    for (const wake of this.overBudget.splice(0)) wake()
  }

  private pump(): void {
    while (!this.closed && this.running < this.options.maxTiles && this.waiting.size > 0) {
      const next = mostUrgent(this.waiting)
      this.waiting.delete(next)
      next.signal.removeEventListener('abort', next.onAbort)
      this.running++
      void this.run(next).finally(() => {
        this.running--
        this.pump()
      })
    }
  }

  private async run(entry: Waiting): Promise<void> {
    try {
      const ranges = await entry.ranges()
      if (!ranges || ranges.length === 0 || entry.signal.aborted) return
      const bytes = ranges.reduce((sum, r) => sum + r.length, 0)
      if (bytes > this.options.maxBytesPerTile) return
      while (this.bytesRunning > 0 && this.bytesRunning + bytes > this.options.maxBytes) {
        await this.fitsLater(entry.signal)
        if (this.closed || entry.signal.aborted) return
      }
      this.bytesRunning += bytes
      try {
        await this.read(ranges, entry.signal)
      } finally {
        this.bytesRunning -= bytes
        // Tiles held back by the byte bound try again (those that still do not fit wait anew).
        for (const wake of this.overBudget.splice(0)) wake()
      }
    } catch {
      // Aborted (withdrawn), or failed: the decode reads the same bytes and reports its own failure.
    }
  }

  /** Resolves when a fetch ends (the bytes may fit then) or `signal` aborts. */
  private fitsLater(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        signal.removeEventListener('abort', wake)
        resolve()
      }
      signal.addEventListener('abort', wake, { once: true })
      this.overBudget.push(wake)
    })
  }
}

function mostUrgent(waiting: Iterable<Waiting>): Waiting {
  let best: Waiting | null = null
  for (const entry of waiting) {
    if (!best || compare(entry, best) < 0) best = entry
  }
  return best!
}

function compare(a: Waiting, b: Waiting): number {
  return a.urgency.priority - b.urgency.priority || a.urgency.rank - b.urgency.rank || a.order - b.order
}
