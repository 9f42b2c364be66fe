/**
 * One client's share of an AsyncImageLoader: its queue (priority, rank, FIFO), its dedup by id,
 * its textures and its caps. A window or connection is one client; the loader's own methods act
 * on a client of its own. Ids and texture ids are the client's: two connections may both have a
 * raster "r1". Which client is served next, and when, is the loader's decision (AsyncImageLoader).
 */
import { expectedMessage } from '../../shared/errors'
import { ImageLoadPriority } from '../../shared/priority'
import { IndexedHeap, type HeapSlot } from './IndexedHeap'
import { TextureIndex, type TextureLink } from './TextureIndex'
import type { LoadLane, LoadRequest, LoaderClientOptions, LoaderCounters } from './types'
import { validateRequest } from './validateRequest'

type Callback<T> = LoadRequest<T>['callback']

/**
 * One request from its first scheduling to its end: pending in the queue, then active. Schedule
 * calls of the same id share it. It threads itself into its texture's list (TextureIndex).
 */
export interface LoadEntry<T> extends TextureLink, HeapSlot {
  readonly id: string
  readonly textureId: string
  readonly load: LoadRequest<T>['load']
  /** The first callback; further ones (dedup, join) go to `moreCallbacks`: most ids have one. */
  readonly callback: Callback<T>
  moreCallbacks: Array<Callback<T>> | null
  priority: ImageLoadPriority
  rank: number
  /** Order of first scheduling: FIFO among equals. */
  readonly sequence: number
  bounds: LoadRequest<T>['bounds']
  /** Its lane, as first scheduled (a join keeps it). */
  readonly lane: LoadLane
  /** Set when the load starts. */
  controller: AbortController | null
  /** Its slot in the eviction order while pending, when the client tracks it (`trackLeastUrgent`). */
  evictionSlot: EvictionSlot<T> | null
}

/** A pending entry's place in the second heap, least urgent on top. */
interface EvictionSlot<T> extends HeapSlot {
  readonly entry: LoadEntry<T>
}

/** A pending or running (not cancelled) request as it stands: the most urgent priority and rank it was given. */
export interface RequestState {
  id: string
  textureId: string
  priority: ImageLoadPriority
  rank: number
  /** Running (not waiting in the queue). */
  active: boolean
}

/** A request given up by `cancelLeastUrgent`. */
export interface DroppedRequest {
  id: string
  textureId: string
}

/** What a client needs from its loader. */
export interface LoaderHost<T> {
  /** Something became ready to run: dispatch in the next microtask. */
  wake(): void
  /** The client was closed: serve it no more, and end its running loads within the grace time. */
  detach(client: LoaderClient<T>): Promise<void>
}

function servedFirst<T>(a: LoadEntry<T>, b: LoadEntry<T>): number {
  return a.priority - b.priority || a.rank - b.rank || a.sequence - b.sequence
}

/**
 * The order in which pending requests are given up under a cap: the least urgent first (highest
 * priority value, then highest rank) and, among equals, the oldest — the one most likely stale.
 * Not the reverse of `servedFirst`, which serves the oldest of equals first.
 */
function droppedFirst<T>(a: EvictionSlot<T>, b: EvictionSlot<T>): number {
  return b.entry.priority - a.entry.priority || b.entry.rank - a.entry.rank || a.entry.sequence - b.entry.sequence
}

export class LoaderClient<T> {
  /** Loads of this client running at once, at most (cancelled ones count until they end). */
  readonly maxActive: number
  private readonly paused: () => boolean
  /** 'decode' loads started and not ended, cancelled ones included: what `maxActive` bounds ('network' loads are not counted). Owned by the loader. */
  inFlight = 0
  /** When the loader last started a load of this client: round-robin among clients at equal priority. Owned by the loader. */
  lastServed = 0

  /** Pending requests per lane (`LoadRequest.lane`), most urgent on top: a full lane never holds back the other. */
  private readonly queues: Record<LoadLane, IndexedHeap<LoadEntry<T>>> = { decode: new IndexedHeap(servedFirst), network: new IndexedHeap(servedFirst) }
  /** The pending requests again, least urgent on top; null unless `trackLeastUrgent` (it costs a second heap operation per queue operation). */
  private readonly evictionQueue: IndexedHeap<EvictionSlot<T>> | null
  /** Pending and active (not cancelled) requests by id: dedup and join look here once. */
  private readonly entries = new Map<string, LoadEntry<T>>()
  private activeCount = 0
  /** Requests of each texture: cancellation touches only these. */
  private readonly byTexture = new TextureIndex<LoadEntry<T>>()
  private readonly onCallbackError: (error: unknown, requestId: string) => void
  private sequence = 0
  private closed = false
  private readonly counters: LoaderCounters = { scheduled: 0, completed: 0, failed: 0, cancelled: 0 }

  constructor(
    private readonly host: LoaderHost<T>,
    options: LoaderClientOptions = {}
  ) {
    const maxActive = options.maxActive ?? Infinity
    if (maxActive !== Infinity && (!Number.isInteger(maxActive) || maxActive < 1)) {
      throw new TypeError(expectedMessage('positive integer', 'maxActive', maxActive, String(maxActive)))
    }
    this.maxActive = maxActive
    this.paused = options.paused ?? (() => false)
    this.evictionQueue = options.trackLeastUrgent ? new IndexedHeap<EvictionSlot<T>>(droppedFirst) : null
    this.onCallbackError =
      options.onCallbackError ?? ((error, id) => console.error(`[AsyncImageLoader] callback of ${id} threw:`, error))
  }

  /**
   * Schedules a load. An id already pending keeps its one queue slot and takes the more urgent
   * priority, the newer bounds and this callback too; an id being loaded is joined. A closed
   * client calls the callback with null at once. O(log n).
   */
  scheduleLoad(request: LoadRequest<T>): void {
    validateRequest(request)
    this.counters.scheduled++
    if (this.closed) {
      this.counters.cancelled++
      this.call(request.callback, null, undefined, request.id)
      return
    }
    const priority = request.priority ?? ImageLoadPriority.NORMAL
    const rank = request.rank ?? 0

    const known = this.entries.get(request.id)
    if (known) {
      ;(known.moreCallbacks ??= []).push(request.callback)
      if (known.controller) return // active: joined
      if (request.bounds) known.bounds = request.bounds
      if (priority < known.priority || (priority === known.priority && rank !== known.rank)) {
        known.priority = priority
        known.rank = rank
        this.queues[known.lane].update(known)
        if (known.evictionSlot) this.evictionQueue!.update(known.evictionSlot)
      }
      return
    }
    const entry: LoadEntry<T> = {
      id: request.id,
      textureId: request.textureId,
      load: request.load,
      callback: request.callback,
      moreCallbacks: null,
      priority,
      rank,
      sequence: this.sequence++,
      bounds: request.bounds,
      lane: request.lane ?? 'decode',
      controller: null,
      evictionSlot: null,
      heapIndex: -1,
      prevInTexture: null,
      nextInTexture: null
    }
    this.entries.set(entry.id, entry)
    this.queues[entry.lane].push(entry)
    if (this.evictionQueue) this.evictionQueue.push((entry.evictionSlot = { entry, heapIndex: -1 }))
    this.byTexture.add(entry)
    this.host.wake()
  }

  /**
   * Cancels every pending and active load of `textureId` except the id(s) in `keep`: pending ones
   * leave the queue, active ones are aborted; their callbacks get null. Returns how many requests
   * were cancelled. Costs O(k log n) for the texture's k requests, whatever the queue's size.
   */
  cancelObsoleteForTexture(textureId: string, keep: string | Iterable<string>): number {
    if (this.byTexture.sizeOf(textureId) === 0) return 0
    const kept = typeof keep === 'string' ? new Set([keep]) : keep instanceof Set ? (keep as Set<string>) : new Set(keep)
    const cancelled: Array<LoadEntry<T>> = []
    for (const entry of this.byTexture.entriesOf(textureId)) {
      if (kept.has(entry.id)) continue
      this.cancelOne(entry)
      cancelled.push(entry)
    }
    this.counters.cancelled += cancelled.length
    for (const entry of cancelled) this.settle(entry, null, undefined)
    return cancelled.length
  }

  /**
   * Cancels up to `count` pending requests, whatever their texture, in the order `droppedFirst`
   * gives: least urgent (priority, then rank) first, the oldest first among equals. Active loads
   * are never touched. Their callbacks get null. Returns the requests given up, in that order.
   * O(count · log n). Needs `trackLeastUrgent`.
   */
  cancelLeastUrgent(count: number): DroppedRequest[] {
    const heap = this.evictionQueue
    if (!heap) throw new Error('cancelLeastUrgent needs an AsyncImageLoader constructed with trackLeastUrgent: true')
    const cancelled: Array<LoadEntry<T>> = []
    while (cancelled.length < count) {
      const slot = heap.peek()
      if (!slot) break
      this.cancelOne(slot.entry)
      cancelled.push(slot.entry)
    }
    this.counters.cancelled += cancelled.length
    for (const entry of cancelled) this.settle(entry, null, undefined)
    return cancelled.map((entry) => ({ id: entry.id, textureId: entry.textureId }))
  }

  /** Cancels every pending and active load of a texture (closing a layer). Returns how many. */
  cancelTexture(textureId: string): number {
    return this.cancelObsoleteForTexture(textureId, [])
  }

  /**
   * Cancels everything pending and active (callbacks get null, running loads are aborted).
   * Returns how many requests were cancelled. O(n).
   */
  cancelAll(): number {
    const ended = [...this.entries.values()]
    for (const entry of ended) this.cancelOne(entry)
    this.counters.cancelled += ended.length
    for (const entry of ended) this.settle(entry, null, undefined)
    return ended.length
  }

  /**
   * Cancels everything (as `cancelAll`) and leaves the loader: later requests are cancelled at
   * once. Resolves when this client's running loads have ended, or after the loader's grace time
   * for loads that ignore their signal (their results are discarded). Idempotent.
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true
      this.cancelAll()
    }
    return this.host.detach(this)
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Requests scheduled and neither started nor ended. O(1). */
  getPendingCount(): number {
    return this.queues.decode.size + this.queues.network.size
  }

  /** Loads running and not cancelled. O(1). */
  getActiveCount(): number {
    return this.activeCount
  }

  /** True while `id` waits in the queue. */
  isPending(id: string): boolean {
    const entry = this.entries.get(id)
    return entry !== undefined && entry.controller === null
  }

  /** A pending or running request as it stands now, or undefined when there is none. O(1). */
  request(id: string): RequestState | undefined {
    const entry = this.entries.get(id)
    return entry && stateOf(entry)
  }

  /** The pending and running requests of a texture as they stand now. O(k) for its k requests. */
  requestsOf(textureId: string): RequestState[] {
    return this.byTexture.entriesOf(textureId).map(stateOf)
  }

  /** Bounds of a pending request (the newest given for its id), or undefined. */
  getPendingBounds(id: string): LoadRequest<T>['bounds'] {
    const entry = this.entries.get(id)
    return entry && entry.controller === null ? entry.bounds : undefined
  }

  /** True while `id` is being loaded (and not cancelled). */
  isActive(id: string): boolean {
    return this.entries.get(id)?.controller != null
  }

  /** Counters since construction: scheduled calls, completed and failed loads, cancelled requests. */
  getCounters(): Readonly<LoaderCounters> {
    return { ...this.counters }
  }

  // ---- for the loader ---------------------------------------------------------------------------

  /**
   * The request of `lane` this client would start next, if it is not paused and, for a 'decode'
   * load, its cap lets it start one ('network' loads are bounded by the loader alone). O(1).
   */
  next(lane: LoadLane = 'decode'): LoadEntry<T> | undefined {
    if (this.paused() || (lane === 'decode' && this.inFlight >= this.maxActive)) return undefined
    return this.queues[lane].peek()
  }

  /** Says that `paused()` may have turned false: the loader looks at this client's queue again. */
  resume(): void {
    if (!this.closed) this.host.wake()
  }

  /** Takes `entry` (from `next()`) out of the queue and makes it active. O(log n). */
  begin(entry: LoadEntry<T>): AbortController {
    this.unqueue(entry)
    entry.controller = new AbortController()
    this.activeCount++
    return entry.controller
  }

  /** Runs an active entry's load and calls its callbacks, unless it was cancelled meanwhile. Never rejects. */
  async execute(entry: LoadEntry<T>): Promise<void> {
    const controller = entry.controller!
    let result: T | null = null
    let error: Error | undefined
    try {
      result = await entry.load(controller.signal)
    } catch (thrown) {
      error = thrown instanceof Error ? thrown : new Error(`Load of ${entry.id} failed: ${String(thrown)}`)
    }
    // Cancelled, stopped or closed meanwhile: callbacks were already called with null; discard the result.
    if (controller.signal.aborted || this.entries.get(entry.id) !== entry) return
    this.forget(entry)
    if (error) this.counters.failed++
    else this.counters.completed++
    this.settle(entry, error ? null : result, error)
  }

  // ---- internals --------------------------------------------------------------------------------

  /** Forgets a pending or active entry: out of the queue, or its load aborted. Callbacks are the caller's. */
  private cancelOne(entry: LoadEntry<T>): void {
    this.forget(entry)
    if (entry.controller) entry.controller.abort()
    else this.unqueue(entry)
  }

  /** Takes a pending entry out of the queue (and out of the eviction order). O(log n). */
  private unqueue(entry: LoadEntry<T>): void {
    this.queues[entry.lane].remove(entry)
    if (entry.evictionSlot) {
      this.evictionQueue!.remove(entry.evictionSlot)
      entry.evictionSlot = null
    }
  }

  /** Removes an entry from the id map, the texture index and the active count (not from the queue). */
  private forget(entry: LoadEntry<T>): void {
    this.entries.delete(entry.id)
    this.byTexture.remove(entry)
    if (entry.controller) this.activeCount--
  }

  /** Calls every callback of an entry once. */
  private settle(entry: LoadEntry<T>, result: T | null, error: Error | undefined): void {
    this.call(entry.callback, result, error, entry.id)
    if (entry.moreCallbacks) for (const callback of entry.moreCallbacks) this.call(callback, result, error, entry.id)
  }

  private call(callback: Callback<T>, result: T | null, error: Error | undefined, id: string): void {
    try {
      if (error) callback(result, error)
      else callback(result)
    } catch (thrown) {
      try {
        this.onCallbackError(thrown, id)
      } catch {
        // A reporter that throws must not break the loader either.
      }
    }
  }
}

function stateOf<T>(entry: LoadEntry<T>): RequestState {
  return { id: entry.id, textureId: entry.textureId, priority: entry.priority, rank: entry.rank, active: entry.controller !== null }
}
