/**
 * TypeScript port of wolfhece's `AsyncImageLoader` (DESIGN.md §1): a priority queue of load
 * requests, deduplicated by id, served by at most `maxWorkers` concurrent loads, with
 * cancellation of obsolete requests per texture. It knows nothing of sharp, tiles or IPC.
 *
 * Several clients (windows, connections) may share one loader (`connect`), each with its own
 * queue, ids and caps; the loader decides whom to serve: the most urgent priority first and, at
 * equal priority, the client served longest ago (round-robin), then that client's own order. When
 * the loads run on a shared executor (`slots`, the decode pool), a load starts only when the
 * executor has a free slot, so the loader's order is the order in which work starts.
 */
import { expectedMessage } from '../../shared/errors'
import { LoaderClient, type DroppedRequest, type LoadEntry, type LoaderHost } from './LoaderClient'
import type { AsyncImageLoaderOptions, LoadLane, LoadRequest, LoadSlots, LoaderClientOptions, LoaderCounters } from './types'

export type { DroppedRequest } from './LoaderClient'

/** Of two pending entries of one client, the one its own order serves first (priority, rank, then the older). */
function moreUrgent<T>(a: LoadEntry<T>, b: LoadEntry<T>): LoadEntry<T> {
  return (a.priority - b.priority || a.rank - b.rank || a.sequence - b.sequence) <= 0 ? a : b
}

/** A load started by the loader, until it ends or is abandoned (stop, close, past the grace time). */
interface RunningLoad<T> {
  readonly client: LoaderClient<T>
  readonly lane: LoadLane
  ended: Promise<void>
  released: boolean
}

export class AsyncImageLoader<T> {
  static readonly defaultOptions = { maxWorkers: 4, stopGraceMs: 1000, networkLoads: 32 }

  /** 'decode' loads running at once. */
  readonly maxWorkers: number
  /** 'network' loads running at once, beside the 'decode' ones (`LoadRequest.lane`). */
  readonly networkLoads: number
  private readonly slots: LoadSlots | null
  private readonly stopGraceMs: number
  /** The client that the loader's own request methods act on. */
  private readonly own: LoaderClient<T>
  /** Clients in the order they connected (the loader's own first). */
  private readonly clients = new Set<LoaderClient<T>>()
  /** Loads started and not ended, cancelled ones included: their slot stays taken until they end. */
  private readonly running = new Set<RunningLoad<T>>()
  /** Of `running`, those of the 'network' lane. */
  private networkRunning = 0
  private readonly host: LoaderHost<T>
  private started = false
  /** Stops listening to `slots` (while started only: a stopped loader leaves no listener behind). */
  private unlisten: (() => void) | null = null
  private pumpScheduled = false
  private turn = 0

  constructor(options: AsyncImageLoaderOptions = {}) {
    const maxWorkers = options.maxWorkers ?? AsyncImageLoader.defaultOptions.maxWorkers
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw new TypeError(expectedMessage('positive integer', 'maxWorkers', maxWorkers, String(maxWorkers)))
    }
    const stopGraceMs = options.stopGraceMs ?? AsyncImageLoader.defaultOptions.stopGraceMs
    if (!(stopGraceMs >= 0)) {
      throw new TypeError(expectedMessage('non-negative number', 'stopGraceMs', stopGraceMs, String(stopGraceMs)))
    }
    const networkLoads = options.networkLoads ?? AsyncImageLoader.defaultOptions.networkLoads
    if (!Number.isInteger(networkLoads) || networkLoads < 1) {
      throw new TypeError(expectedMessage('positive integer', 'networkLoads', networkLoads, String(networkLoads)))
    }
    this.maxWorkers = maxWorkers
    this.networkLoads = networkLoads
    this.stopGraceMs = stopGraceMs
    this.slots = options.slots ?? null
    this.host = { wake: () => this.schedulePump(), detach: (client) => this.detach(client) }
    this.own = this.connect({ trackLeastUrgent: options.trackLeastUrgent, onCallbackError: options.onCallbackError })
  }

  /**
   * A new client of this loader (a window or a connection): its own queue, ids, textures and caps,
   * served fairly with the others at equal priority. `close()` it when the connection ends.
   */
  connect(options: LoaderClientOptions = {}): LoaderClient<T> {
    const client = new LoaderClient<T>(this.host, options)
    this.clients.add(client)
    return client
  }

  /** Starts serving the queue. Requests scheduled before are served now, most urgent first. */
  start(): void {
    if (this.started) return
    this.started = true
    this.unlisten = this.slots?.onSlotFreed(() => this.schedulePump()) ?? null
    this.schedulePump()
  }

  /**
   * Cancels everything pending and active of every client (callbacks get null) and aborts the
   * running loads. Resolves when they have ended or, for loads that ignore their signal, after
   * `stopGraceMs`: those are abandoned (their slots released, their late results discarded). The
   * loader can be started again afterwards.
   */
  async stop(): Promise<void> {
    this.started = false
    this.unlisten?.()
    this.unlisten = null
    const running = [...this.running]
    for (const client of this.clients) client.cancelAll()
    await this.release(running)
  }

  /** Schedules a load of the loader's own client (see `LoaderClient.scheduleLoad`). O(log n). */
  scheduleLoad(request: LoadRequest<T>): void {
    this.own.scheduleLoad(request)
  }

  /** See `LoaderClient.cancelObsoleteForTexture`. O(k log n) for the texture's k requests. */
  cancelObsoleteForTexture(textureId: string, keep: string | Iterable<string>): number {
    return this.own.cancelObsoleteForTexture(textureId, keep)
  }

  /** See `LoaderClient.cancelLeastUrgent`. Needs `trackLeastUrgent`. */
  cancelLeastUrgent(count: number): DroppedRequest[] {
    return this.own.cancelLeastUrgent(count)
  }

  /** Cancels every pending and active load of a texture (closing a layer). Returns how many. */
  cancelTexture(textureId: string): number {
    return this.own.cancelTexture(textureId)
  }

  /** Requests scheduled and neither started nor ended, of every client. O(clients). */
  getPendingCount(): number {
    let count = 0
    for (const client of this.clients) count += client.getPendingCount()
    return count
  }

  /** Loads running and not cancelled, of every client. O(clients). */
  getActiveCount(): number {
    let count = 0
    for (const client of this.clients) count += client.getActiveCount()
    return count
  }

  /** True while `id` (of the loader's own client) waits in the queue. */
  isPending(id: string): boolean {
    return this.own.isPending(id)
  }

  /** Bounds of a pending request of the loader's own client, or undefined. */
  getPendingBounds(id: string): LoadRequest<T>['bounds'] {
    return this.own.getPendingBounds(id)
  }

  /** True while `id` (of the loader's own client) is being loaded (and not cancelled). */
  isActive(id: string): boolean {
    return this.own.isActive(id)
  }

  /** Counters of the loader's own client since construction. */
  getCounters(): Readonly<LoaderCounters> {
    return this.own.getCounters()
  }

  /** Loads started and not ended, cancelled ones included (what the slots count). */
  get runningCount(): number {
    return this.running.size
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

  /**
   * Starts loads while their lane has room: a 'decode' load needs a worker of `slots` (when given)
   * and one of `maxWorkers`; a 'network' load one of `networkLoads`.
   */
  private pump(): void {
    while (this.started) {
      const decodeFree = this.running.size - this.networkRunning < this.maxWorkers && (this.slots === null || this.slots.freeSlots > 0)
      const networkFree = this.networkRunning < this.networkLoads
      if (!decodeFree && !networkFree) return
      const chosen = this.pick(decodeFree, networkFree)
      if (!chosen) return
      this.run(chosen.client, chosen.entry)
    }
  }

  /**
   * The load to start next: of each client, the more urgent head of the lanes that have room; of
   * those, the most urgent priority, and among equals the client served longest ago. O(clients).
   */
  private pick(decodeFree: boolean, networkFree: boolean): { client: LoaderClient<T>; entry: LoadEntry<T> } | null {
    let best: LoaderClient<T> | null = null
    let bestEntry: LoadEntry<T> | null = null
    let bestPriority = Infinity
    for (const client of this.clients) {
      const decode = decodeFree ? client.next('decode') : undefined
      const network = networkFree ? client.next('network') : undefined
      const entry = decode && network ? moreUrgent(decode, network) : (decode ?? network)
      if (!entry) continue
      if (entry.priority < bestPriority || (entry.priority === bestPriority && client.lastServed < best!.lastServed)) {
        best = client
        bestEntry = entry
        bestPriority = entry.priority
      }
    }
    return best && bestEntry ? { client: best, entry: bestEntry } : null
  }

  private run(client: LoaderClient<T>, entry: LoadEntry<T>): void {
    client.begin(entry)
    if (entry.lane === 'network') this.networkRunning++
    else client.inFlight++
    client.lastServed = ++this.turn
    const load: RunningLoad<T> = { client, lane: entry.lane, ended: Promise.resolve(), released: false }
    this.running.add(load)
    load.ended = client.execute(entry).finally(() => this.end(load))
  }

  /** A load ended (or was abandoned): its slot is free. */
  private end(load: RunningLoad<T>): void {
    if (load.released) return
    load.released = true
    this.running.delete(load)
    if (load.lane === 'network') this.networkRunning--
    else load.client.inFlight--
    this.schedulePump()
  }

  /** Waits for `loads` to end, at most `stopGraceMs`; abandons those still running then. */
  private async release(loads: ReadonlyArray<RunningLoad<T>>): Promise<void> {
    const waiting = loads.filter((load) => !load.released)
    if (waiting.length === 0) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.stopGraceMs)
      // A load that never ends must not keep the process alive either.
      timer.unref?.()
    })
    await Promise.race([Promise.all(waiting.map((load) => load.ended)), grace])
    clearTimeout(timer)
    for (const load of waiting) this.end(load)
  }

  private detach(client: LoaderClient<T>): Promise<void> {
    if (client === this.own) return this.release([...this.running].filter((load) => load.client === client))
    this.clients.delete(client)
    return this.release([...this.running].filter((load) => load.client === client))
  }
}
