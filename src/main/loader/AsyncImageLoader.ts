/**
 * TypeScript port of wolfhece's `AsyncImageLoader` (DESIGN.md §1): a priority queue of load
 * requests, deduplicated by id, served by at most `maxWorkers` concurrent loads, with
 * cancellation of obsolete requests per texture. It knows nothing of sharp, tiles or IPC.
 */
import { ImageLoadPriority, isPriority } from '../../shared/priority'
import { PriorityQueue } from './PriorityQueue'
import type { AsyncImageLoaderOptions, LoadRequest, LoaderCounters } from './types'

type Callback<T> = LoadRequest<T>['callback']

/** A request waiting in the queue; several schedule calls of one id share it. */
interface PendingLoad<T> {
  id: string
  textureId: string
  load: LoadRequest<T>['load']
  callbacks: Array<Callback<T>>
  priority: ImageLoadPriority
  rank: number
  /** Order of first scheduling: FIFO among equals. */
  sequence: number
  bounds: LoadRequest<T>['bounds']
}

/** A load that is running. */
interface ActiveLoad<T> {
  id: string
  textureId: string
  callbacks: Array<Callback<T>>
  controller: AbortController
}

const DEFAULT_MAX_WORKERS = 4

function servedFirst<T>(a: PendingLoad<T>, b: PendingLoad<T>): number {
  return a.priority - b.priority || a.rank - b.rank || a.sequence - b.sequence
}

export class AsyncImageLoader<T> {
  /** Loads running at once. */
  readonly maxWorkers: number

  private readonly queue = new PriorityQueue<string, PendingLoad<T>>(servedFirst)
  private readonly active = new Map<string, ActiveLoad<T>>()
  /** Ids of pending and active requests of each texture: cancellation touches only these. */
  private readonly byTexture = new Map<string, Set<string>>()
  /** Promises of loads still running, cancelled ones included (their slot stays taken until they end). */
  private readonly running = new Set<Promise<void>>()
  private readonly onCallbackError: (error: unknown, requestId: string) => void
  private started = false
  private pumpScheduled = false
  private sequence = 0
  private readonly counters: LoaderCounters = { scheduled: 0, completed: 0, failed: 0, cancelled: 0 }

  constructor(options: AsyncImageLoaderOptions = {}) {
    const maxWorkers = options.maxWorkers ?? DEFAULT_MAX_WORKERS
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw new TypeError(`Expected positive integer for maxWorkers but received ${String(maxWorkers)} of type ${typeof maxWorkers}`)
    }
    this.maxWorkers = maxWorkers
    this.onCallbackError =
      options.onCallbackError ?? ((error, id) => console.error(`[AsyncImageLoader] callback of ${id} threw:`, error))
  }

  /** Starts serving the queue. Requests scheduled before are served now, most urgent first. */
  start(): void {
    if (this.started) return
    this.started = true
    this.schedulePump()
  }

  /**
   * Cancels everything pending and active (their callbacks get null), aborts running loads and
   * resolves when every running load has ended. The loader can be started again afterwards.
   */
  async stop(): Promise<void> {
    this.started = false
    const toNotify: Array<Callback<T>> = []
    for (const pending of this.queue.clear()) {
      toNotify.push(...pending.callbacks)
      this.counters.cancelled++
    }
    for (const load of this.active.values()) {
      load.controller.abort()
      toNotify.push(...load.callbacks)
      this.counters.cancelled++
    }
    this.active.clear()
    this.byTexture.clear()
    for (const callback of toNotify) this.call(callback, null, undefined, '(stopped)')
    await Promise.allSettled([...this.running])
  }

  /**
   * Schedules a load. An id already pending keeps its one queue slot and takes the more urgent
   * priority, the newer bounds and this callback too; an id being loaded is joined. O(log n).
   */
  scheduleLoad(request: LoadRequest<T>): void {
    validateRequest(request)
    this.counters.scheduled++
    const priority = request.priority ?? ImageLoadPriority.NORMAL
    const rank = request.rank ?? 0

    const active = this.active.get(request.id)
    if (active) {
      active.callbacks.push(request.callback)
      return
    }
    const pending = this.queue.get(request.id)
    if (pending) {
      pending.callbacks.push(request.callback)
      if (request.bounds) pending.bounds = request.bounds
      if (priority < pending.priority || (priority === pending.priority && rank !== pending.rank)) {
        pending.priority = priority
        pending.rank = rank
        this.queue.update(pending.id, pending)
      }
      return
    }
    this.queue.push(request.id, {
      id: request.id,
      textureId: request.textureId,
      load: request.load,
      callbacks: [request.callback],
      priority,
      rank,
      sequence: this.sequence++,
      bounds: request.bounds
    })
    this.index(request.textureId, request.id)
    this.schedulePump()
  }

  /**
   * Cancels every pending and active load of `textureId` except the id(s) in `keep`: pending ones
   * leave the queue, active ones are aborted; their callbacks get null. Returns how many requests
   * were cancelled. Costs O(k log n) for the texture's k requests, whatever the queue's size.
   */
  cancelObsoleteForTexture(textureId: string, keep: string | Iterable<string>): number {
    const ids = this.byTexture.get(textureId)
    if (!ids) return 0
    const kept = typeof keep === 'string' ? new Set([keep]) : keep instanceof Set ? (keep as Set<string>) : new Set(keep)
    const toNotify: Array<[Callback<T>, string]> = []
    let cancelled = 0
    for (const id of ids) {
      if (kept.has(id)) continue
      const pending = this.queue.remove(id)
      if (pending) {
        for (const callback of pending.callbacks) toNotify.push([callback, id])
      } else {
        const active = this.active.get(id)
        if (!active) continue
        this.active.delete(id)
        active.controller.abort()
        for (const callback of active.callbacks) toNotify.push([callback, id])
      }
      ids.delete(id)
      cancelled++
    }
    if (ids.size === 0) this.byTexture.delete(textureId)
    this.counters.cancelled += cancelled
    for (const [callback, id] of toNotify) this.call(callback, null, undefined, id)
    return cancelled
  }

  /** Cancels every pending and active load of a texture (closing a layer). Returns how many. */
  cancelTexture(textureId: string): number {
    return this.cancelObsoleteForTexture(textureId, [])
  }

  /** Requests scheduled and neither started nor ended. O(1). */
  getPendingCount(): number {
    return this.queue.size
  }

  /** Loads running and not cancelled. O(1). */
  getActiveCount(): number {
    return this.active.size
  }

  /** True while `id` waits in the queue. */
  isPending(id: string): boolean {
    return this.queue.has(id)
  }

  /** Bounds of a pending request (the newest given for its id), or undefined. */
  getPendingBounds(id: string): LoadRequest<T>['bounds'] {
    return this.queue.get(id)?.bounds
  }

  /** True while `id` is being loaded (and not cancelled). */
  isActive(id: string): boolean {
    return this.active.has(id)
  }

  /** Counters since construction: scheduled calls, completed and failed loads, cancelled requests. */
  getCounters(): Readonly<LoaderCounters> {
    return { ...this.counters }
  }

  get isStarted(): boolean {
    return this.started
  }

  // Dispatch runs in a microtask so that a batch scheduled synchronously (one frame's tile
  // requests) is ordered as a whole before the first load starts.
  private schedulePump(): void {
    if (this.pumpScheduled || !this.started) return
    this.pumpScheduled = true
    queueMicrotask(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  private pump(): void {
    while (this.started && this.running.size < this.maxWorkers) {
      const next = this.queue.pop()
      if (!next) return
      this.run(next)
    }
  }

  private run(pending: PendingLoad<T>): void {
    const load: ActiveLoad<T> = {
      id: pending.id,
      textureId: pending.textureId,
      callbacks: pending.callbacks,
      controller: new AbortController()
    }
    this.active.set(load.id, load)
    const settled = this.execute(pending.load, load).finally(() => {
      this.running.delete(settled)
      this.schedulePump()
    })
    this.running.add(settled)
  }

  private async execute(loadFn: LoadRequest<T>['load'], load: ActiveLoad<T>): Promise<void> {
    let result: T | null = null
    let error: Error | undefined
    try {
      result = await loadFn(load.controller.signal)
    } catch (thrown) {
      error = thrown instanceof Error ? thrown : new Error(`Load of ${load.id} failed: ${String(thrown)}`)
    }
    // Cancelled or stopped meanwhile: callbacks were already called with null; discard the result.
    if (this.active.get(load.id) !== load) return
    this.active.delete(load.id)
    this.unindex(load.textureId, load.id)
    if (error) this.counters.failed++
    else this.counters.completed++
    for (const callback of load.callbacks) this.call(callback, error ? null : result, error, load.id)
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

  private index(textureId: string, id: string): void {
    let ids = this.byTexture.get(textureId)
    if (!ids) this.byTexture.set(textureId, (ids = new Set()))
    ids.add(id)
  }

  private unindex(textureId: string, id: string): void {
    const ids = this.byTexture.get(textureId)
    if (!ids) return
    ids.delete(id)
    if (ids.size === 0) this.byTexture.delete(textureId)
  }
}

function validateRequest<T>(request: LoadRequest<T>): void {
  if (typeof request !== 'object' || request === null) {
    throw new TypeError(`Expected object for request but received ${String(request)} of type ${typeof request}`)
  }
  expect(typeof request.id === 'string', 'string', 'id', request.id)
  expect(typeof request.textureId === 'string', 'string', 'textureId', request.textureId)
  expect(typeof request.load === 'function', 'function', 'load', request.load)
  expect(typeof request.callback === 'function', 'function', 'callback', request.callback)
  if (request.priority !== undefined) expect(isPriority(request.priority), 'ImageLoadPriority 1, 2 or 3', 'priority', request.priority)
  if (request.rank !== undefined) expect(typeof request.rank === 'number' && !Number.isNaN(request.rank), 'number', 'rank', request.rank)
}

// At module level, not inside validateRequest: scheduleLoad is hot (one call per tile per frame).
function expect(ok: boolean, what: string, name: string, value: unknown): void {
  if (!ok) throw new TypeError(`Expected ${what} for ${name} but received ${String(value)} of type ${typeof value}`)
}
