/**
 * The tile requests of one layer, one record per tile with an explicit state (as OpenLayers'
 * `TileState`): the one place in the renderer that knows what was asked for, when, for which
 * generation of the raster, and what became of it. No Pixi, no IPC: it talks to a `TileTransport`
 * and is told by its layer what the plan wants and what arrived.
 *
 *   queued ──send──▶ requested ──arrived──▶ loaded (the cache holds it from then on)
 *      │                 │ └────failed────▶ failed (not asked again until the raster changes;
 *      │                 │                   ▲  │     'unavailable': asked again at `retryAt`)
 *      │                 │                   └──┘ retryAt passed, still wanted: sent again
 *      └─ replanned      └──not kept──────▶ withdrawn (remembered, bounded: a late arrival still
 *         away: gone                                   times the latency)
 *
 * The generation is stamped when a tile is asked for: a tile asked before the raster changed
 * (a finished pyramid, a reload) that arrives after is not fresh, and is asked for again. A tile
 * whose server failed for now is asked again after a wait that doubles at each failure in a row
 * (`tileRetry.ts`), only while a plan wants it; its record keeps the count until it loads.
 */
import type { ErrorCode, TileRequest } from '../../shared/protocol'
import type { TileLatency } from './CameraMotion'
import { tileKey } from '../../shared/tiles'
import { coordKey, type TileCoord } from './TileScheduler'
import { isRetriedLater, retryDelayMs } from './tileRetry'
import type { PlanHints } from './prefetchHints'

/** Withdrawn tiles whose request time is kept (for the latency of those that arrive anyway). */
const MAX_WITHDRAWN_REMEMBERED = 256

/** The two notifications a layer sends (a subset of the bridge). */
export interface TileTransport {
  requestTiles(rasterId: string, tiles: TileRequest[]): void
  cancelObsolete(rasterId: string, keepKeys: Iterable<string>): void
  /** A remote layer's backlog, whose bytes the host fetches ahead (`prefetchHints.ts`); absent: no hints. */
  prefetch?(rasterId: string, tiles: TileRequest[]): void
}

/** Counters shared by all layers of a viewer (diagnostics). */
export interface TileCounters {
  requested: number
  displayed: number
  cancelled: number
  wasted: number
  /**
   * Tiles that arrived after they were withdrawn (already on their way). Those of the raster's
   * current generation are kept in the cache (wasted only if evicted undrawn); the rest are wasted.
   */
  late: number
}

export type TileRequestState = 'requested' | 'withdrawn' | 'failed' | 'loaded'

/** One tile request as it stands. */
export interface TileRecord {
  readonly key: string
  /** The tile it asks for; null for one that arrived unusable (`unusable`), in flight nowhere. */
  readonly coord: TileCoord | null
  state: TileRequestState
  /** When it was asked for (performance.now()). */
  readonly requestedAt: number
  /** The raster's generation when it was asked for: what an arrival of it is worth. */
  readonly generation: number
  /** Failures for now ('unavailable') in a row, this request's included once failed: what the next wait grows from. */
  failures: number
  /** A 'failed' tile may be asked again from this time on (its server failed for now); null: not until the raster changes. */
  retryAt: number | null
}

export interface TileRequesterDeps {
  transport: TileTransport
  counters: TileCounters
  /** Request-to-arrival time of tiles, shared by the layers. */
  latency: TileLatency
  /** How many more tiles may be put in flight now, for all layers together (flow control). */
  room(): number
  /** The tile (`key`, the `coordKey` of `tile`) is held (cached) for the current generation: nothing to ask for. */
  isFresh(key: string, tile: TileCoord): boolean
  /** Told each plan's backlog (a remote layer's `prefetch` hints); absent for other layers. */
  hints?: PlanHints
  now?: () => number
}

/**
 * What a tile's arrival is: accepted with the generation it was asked for, or not wanted any more.
 * One not wanted may still be worth keeping (`keep`): withdrawn on its way, and of the raster as
 * it is now. Its decode and its bytes on the wire are paid; cached, it costs memory only (its
 * texture is uploaded when first drawn), and a view passing that way again (a wheel zooming back
 * out, a pan returning) draws it instead of asking for it again.
 */
export type Arrival = { wanted: true; generation: number } | { wanted: false; keep: false } | { wanted: false; keep: true; generation: number }

export class TileRequester {
  private generationValue = 0
  /** Requested and failed tiles by key (local `level/col/row`). */
  private readonly records = new Map<string, TileRecord>()
  /** Withdrawn while on their way, oldest first (bounded). */
  private readonly withdrawn = new Map<string, TileRecord>()
  /** The last plan's requests the flow did not allow yet, most urgent first: sent as room frees up. */
  private queued: TileRequest[] = []
  /** How many records are 'requested' (read every frame and at every send: kept, not counted). */
  private requested = 0
  /** What the last plan wanted (its `keep`): a failed tile waiting to be asked again wakes a frame only if in it. */
  private lastKeep: ReadonlySet<string> = new Set()
  private servedValue = true
  private closed = false
  private readonly now: () => number

  constructor(
    readonly rasterId: string,
    private readonly deps: TileRequesterDeps
  ) {
    this.now = deps.now ?? (() => performance.now())
  }

  /** The raster's generation: bumped when the raster changes (its tiles received so far are stale). */
  get generation(): number {
    return this.generationValue
  }

  /** Tiles requested and neither received, failed nor withdrawn. */
  get pendingCount(): number {
    return this.requested
  }

  /** The service's connection knows this raster: false from a lost connection until it is announced again. */
  get served(): boolean {
    return this.servedValue
  }

  /** A tile's state; undefined when there is no record of it (never asked, or loaded and forgotten). */
  stateOf(key: string): TileRequestState | undefined {
    return this.records.get(key)?.state ?? this.withdrawn.get(key)?.state
  }

  /**
   * The tile is asked for, or failed and not to be asked again yet: the planner must not ask for it.
   * A tile failed for now whose `retryAt` has passed is not: the next plan that wants it asks again.
   */
  isOutstanding(key: string): boolean {
    const record = this.records.get(key)
    return record !== undefined && !this.isDue(record)
  }

  /**
   * When the first tile that failed for now and that the last plan wanted may be asked again: a
   * frame is due then, to plan and ask for it. Null when none waits (a due one that the flow holds
   * back goes as tiles arrive, which plan again anyway).
   */
  nextRetryAt(): number | null {
    let next: number | null = null
    const now = this.now()
    for (const key of this.lastKeep) {
      const at = this.records.get(key)?.retryAt
      if (at !== undefined && at !== null && at > now && (next === null || at < next)) next = at
    }
    return next
  }

  /**
   * Takes a frame's plan: withdraws what is in flight and not kept (one `cancelObsolete` naming
   * everything kept), then asks for the wanted tiles as the flow allows (the rest waits in the
   * queue, where the next plan replaces it: leaving the view withdraws it for free).
   */
  plan(keep: ReadonlySet<string>, wanted: TileRequest[]): void {
    if (this.closed) return
    this.lastKeep = keep
    let obsolete = 0
    for (const [key, record] of this.records) {
      if (record.state !== 'requested' || keep.has(key)) continue
      this.withdraw(record)
      obsolete++
    }
    if (obsolete > 0) {
      this.deps.counters.cancelled += obsolete
      this.deps.transport.cancelObsolete(this.rasterId, this.keptTileKeys(keep, wanted))
    }
    // What is already asked for (or failed, and not due again) waits for nothing: queued, a tile in
    // flight would be asked for again the moment it arrives, before its layer has cached it.
    this.queued = wanted.filter((request) => !this.isOutstanding(coordKey(request)))
    this.sendQueued()
    this.deps.hints?.planned(keep, this.queued)
  }

  /**
   * A tile arrived. Wanted: its record becomes 'loaded' (and is let go: the cache holds the tile),
   * its latency is counted and the next queued request goes at once. Not wanted: withdrawn on its
   * way, counted late, and kept if asked in the current generation (see `Arrival`); never asked, of
   * an older generation, or the requester closed: counted wasted.
   */
  arrived(key: string): Arrival {
    const record = this.records.get(key)
    if (this.closed || record?.state !== 'requested') {
      const withdrawn = this.withdrawn.get(key)
      if (withdrawn) {
        this.withdrawn.delete(key)
        this.deps.latency.add(this.now() - withdrawn.requestedAt)
        this.deps.counters.late++
        if (!this.closed && withdrawn.generation === this.generationValue) return { wanted: false, keep: true, generation: withdrawn.generation }
      }
      this.deps.counters.wasted++
      return { wanted: false, keep: false }
    }
    record.state = 'loaded'
    this.records.delete(key)
    this.requested--
    this.deps.latency.add(this.now() - record.requestedAt)
    this.sendQueued()
    return { wanted: true, generation: record.generation }
  }

  /**
   * The service could not load a tile in flight: not asked for again until the raster changes. One
   * dropped by the service's cap ('overloaded') did not fail: it is only no longer in flight, and
   * the next plan asks for it again if the view still needs it. One whose server failed for now
   * ('unavailable') is asked again by the first plan that wants it after its wait (`tileRetry.ts`).
   */
  failed(key: string, code?: ErrorCode): void {
    const record = this.records.get(key)
    if (record?.state !== 'requested') return
    if (code === 'overloaded') this.records.delete(key)
    else {
      record.state = 'failed'
      if (isRetriedLater(code)) {
        record.failures++
        record.retryAt = this.now() + retryDelayMs(record.failures)
      }
    }
    this.requested--
    this.sendQueued()
  }

  /** A tile arrived but cannot be used (it does not match its raster): failed, not asked for again. */
  unusable(key: string): void {
    if (this.records.get(key)?.state === 'requested') this.requested--
    this.records.set(key, { key, coord: this.records.get(key)?.coord ?? null, state: 'failed', requestedAt: this.now(), generation: this.generationValue, failures: 0, retryAt: null })
  }

  /** Withdraws everything in flight and queued (a hidden or covered layer): one `cancelObsolete` keeping nothing. */
  withdrawAll(): void {
    this.queued = []
    this.deps.hints?.withdrawn()
    this.lastKeep = new Set()
    let obsolete = 0
    for (const record of this.records.values()) {
      if (record.state !== 'requested') continue
      this.withdraw(record)
      obsolete++
    }
    if (obsolete === 0) return
    this.deps.counters.cancelled += obsolete
    this.deps.transport.cancelObsolete(this.rasterId, [])
  }

  /** The raster changed: tiles received so far are stale, and what failed may load now. */
  nextGeneration(): void {
    this.generationValue++
    for (const [key, record] of this.records) if (record.state === 'failed') this.records.delete(key)
  }

  /**
   * The connection was lost: what was in flight died with it, and the next connection does not know
   * this raster until the host announces it again (`resume`); asking before would be refused.
   */
  suspend(): void {
    this.servedValue = false
    this.queued = []
    this.deps.hints?.lost()
    this.records.clear()
    this.requested = 0
    this.withdrawn.clear()
  }

  resume(): void {
    this.servedValue = true
  }

  /** Withdraws everything; later arrivals are waste. Idempotent. */
  close(): void {
    if (this.closed) return
    this.withdrawAll()
    this.closed = true
  }

  /** Sends as much of the queue as the flow allows, skipping what was asked for or arrived since. */
  private sendQueued(): void {
    if (this.closed || !this.servedValue || this.queued.length === 0) return
    const room = this.deps.room()
    if (room <= 0) return
    const requests: TileRequest[] = []
    let taken = 0
    for (const request of this.queued) {
      if (requests.length >= room) break
      taken++
      const key = coordKey(request)
      if (this.isOutstanding(key) || this.deps.isFresh(key, request)) continue
      requests.push(request)
    }
    this.queued = this.queued.slice(taken)
    if (requests.length === 0) return
    const now = this.now()
    for (const request of requests) {
      const key = coordKey(request)
      this.withdrawn.delete(key)
      // A retry carries its failures in a row: its next wait, if it fails again, is longer.
      const failures = this.records.get(key)?.failures ?? 0
      this.records.set(key, { key, coord: { level: request.level, col: request.col, row: request.row }, state: 'requested', requestedAt: now, generation: this.generationValue, failures, retryAt: null })
      this.requested++
    }
    this.deps.counters.requested += requests.length
    this.deps.transport.requestTiles(this.rasterId, requests)
  }

  /** A failed tile whose wait has passed: the next plan that wants it asks for it again. */
  private isDue(record: TileRecord): boolean {
    return record.state === 'failed' && record.retryAt !== null && record.retryAt <= this.now()
  }

  /** Moves a requested tile to the withdrawn ones (bounded: the oldest are forgotten first). */
  private withdraw(record: TileRecord): void {
    this.records.delete(record.key)
    this.requested--
    record.state = 'withdrawn'
    this.withdrawn.delete(record.key)
    this.withdrawn.set(record.key, record)
    if (this.withdrawn.size > MAX_WITHDRAWN_REMEMBERED) this.withdrawn.delete(this.withdrawn.keys().next().value!)
  }

  /**
   * The tile keys (`tileKey`) of the tiles kept, in the order kept. A tile kept is in flight (its
   * record knows it) or wanted now (its request does); one with neither, such as a tile that
   * arrived unusable, is pending nowhere: the service has nothing of it to keep.
   */
  private keptTileKeys(keep: ReadonlySet<string>, wanted: readonly TileRequest[]): string[] {
    const asked = new Map(wanted.map((request) => [coordKey(request), request]))
    const keys: string[] = []
    for (const key of keep) {
      const coord = this.records.get(key)?.coord ?? asked.get(key)
      if (coord) keys.push(tileKey({ rasterId: this.rasterId, level: coord.level, col: coord.col, row: coord.row }))
    }
    return keys
  }
}
