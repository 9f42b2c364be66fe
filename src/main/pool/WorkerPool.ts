/**
 * A fixed-size pool of worker threads: an executor that runs the jobs it is handed, one job per
 * worker at a time. It knows jobs, not what they compute: its creator hands it the worker script
 * and where each kind of job waits in line (`PoolWorker`); the decode pools are made in
 * `raster/decodePools.ts`. Priorities are decided by the loader above it (DESIGN.md §2): the loader
 * starts a tile only when `freeSlots` says a worker is free (the pool is its `LoadSlots`), so tiles
 * never wait here and the pool never reorders them. Jobs run outside the loader (opening a raster:
 * probe, decode-shared) that find every worker busy wait in the pool's `PoolLine`, which says what
 * a free worker runs next. A worker that throws, crashes or exits fails only its own job and is
 * replaced; cancelled work leaves the line, or has its result discarded while its worker (and its
 * slot) stays busy until done, or (for long jobs, `terminateOnAbort`) ends its worker. A running
 * job may ask the main thread questions (`askMain` in the worker): the creator's `answer` handler
 * answers them with the job's own AbortSignal, aborted when the job is cancelled or ends.
 */
import { availableParallelism } from 'node:os'
import { expectedMessage, messageOf } from '../../shared/errors'
import type { Worker } from 'node:worker_threads'
import type { LoadSlots } from '../loader/types'
import { abortError } from './errors'
import { DECODE_YIELD_MS, PoolLine, type LinePlace } from './PoolLine'
import { spawnWorker } from './spawnWorker'
import type { AnswerHandler, AnswerMessage, PoolJob, WorkerMessage, WorkerRequest } from './workerMessages'

/** The worker a pool runs: its script, and where each of its jobs waits in line. */
export interface PoolWorker<Job extends PoolJob> {
  /** The module every worker thread runs (a path or a file: URL; a `.ts` one starts through tsx). */
  script: string | URL
  /** A job's place in the line when `run` is given none (`RunOptions.priority`). */
  linePlace: (job: Job) => LinePlace
  /** Answers the questions its jobs ask the main thread (`askMain`); without it, every question is refused. */
  answer?: AnswerHandler
}

export interface WorkerPoolOptions<Job extends PoolJob> {
  /** What the workers run. */
  worker: PoolWorker<Job>
  /** Worker threads; default: number of cores, at least 2. */
  size?: number
  /** Name used in error messages ("tile pool", "background pool"). */
  name?: string
  /** Let workers honour the `test:*` jobs (crash, throw, sleep); default false. */
  testHooks?: boolean
  /** How long a long decode in line gives way to tiles; default DECODE_YIELD_MS. */
  decodeYieldMs?: number
}

export interface RunOptions {
  /** Aborting takes a waiting job out of the line, or discards a running job's result (its worker stays busy until done). */
  signal?: AbortSignal
  /** Receives progress (0…1) that the job reports. */
  onProgress?: (fraction: number) => void
  /**
   * End the worker when a running job is aborted (and start a replacement) instead of letting it
   * finish: for long jobs such as a pyramid build, whose result nobody will use.
   */
  terminateOnAbort?: boolean
  /**
   * Place in the line of jobs waiting for a worker (`PoolLine`): a kind (probe, tile, decode) or
   * a number, lower first, FIFO among equals. Default: the worker's `linePlace(job)`.
   */
  priority?: LinePlace
}

/** Counters since construction. */
export interface WorkerPoolStats {
  size: number
  workers: number
  busy: number
  queued: number
  completed: number
  failed: number
  cancelled: number
  /** Workers that died (crash, exit, or ended on abort) and were replaced. */
  replaced: number
}

interface Entry<Job> {
  id: number
  job: Job
  options: RunOptions
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  /** Set once the caller has been answered (abort); a late result is then dropped. */
  settled: boolean
  unlisten: () => void
  /** The signal of the questions the job asked, made at its first; aborted once the job is settled. */
  asks: AbortController | null
}

interface Slot<Job> {
  worker: Worker
  current: Entry<Job> | null
  dead: boolean
}

/** Default pool size: every core, but at least 2 so a slow tile never holds up all others. */
export function defaultPoolSize(): number {
  return Math.max(2, availableParallelism())
}

export class WorkerPool<Job extends PoolJob = PoolJob> implements LoadSlots {
  static readonly defaultOptions = {
    name: 'worker pool',
    testHooks: false,
    decodeYieldMs: DECODE_YIELD_MS
  } as const satisfies Required<Omit<WorkerPoolOptions<PoolJob>, 'size' | 'worker'>>

  /** Worker threads this pool runs at most. */
  readonly size: number
  private readonly worker: PoolWorker<Job>
  private readonly name: string
  private readonly testHooks: boolean
  private readonly slots: Slot<Job>[] = []
  private readonly line: PoolLine<Entry<Job>>
  private nextId = 1
  private readonly slotListeners = new Set<() => void>()
  /** A dispatch after the slot listeners' turn (`dispatch`), when one is due. */
  private yieldedDispatch: ReturnType<typeof setImmediate> | null = null
  private closing: Promise<void> | null = null
  private counters = { completed: 0, failed: 0, cancelled: 0, replaced: 0 }

  constructor(options: WorkerPoolOptions<Job>) {
    const size = options.size ?? defaultPoolSize()
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(expectedMessage('positive integer', 'size', size, String(size)))
    }
    this.size = size
    this.worker = options.worker
    this.name = options.name ?? WorkerPool.defaultOptions.name
    this.testHooks = options.testHooks ?? WorkerPool.defaultOptions.testHooks
    this.line = new PoolLine({ decodeYieldMs: options.decodeYieldMs ?? WorkerPool.defaultOptions.decodeYieldMs })
  }

  /** Workers running a job now. */
  get busyCount(): number {
    return this.slots.filter((slot) => slot.current !== null).length
  }

  /** Jobs waiting for a worker. */
  get queuedCount(): number {
    return this.line.length
  }

  /**
   * Jobs that would start at once: workers neither busy (a cancelled job keeps its worker busy
   * until it ends) nor claimed by a job waiting in line, except a long decode still giving way to
   * tiles (`PoolLine.claimed`). A closed pool reports its size: its jobs fail at once, they wait for nothing.
   */
  get freeSlots(): number {
    if (this.closing) return this.size
    return Math.max(0, this.size - this.busyCount - this.line.claimed(this.tilesTaken))
  }

  /**
   * Whether someone takes this pool's free workers for tiles (listens for free slots: the loader).
   * A long decode in line gives way only to them: a free worker is offered to them first, and
   * taken by the decode only if none is started by then (`dispatch`).
   */
  private get tilesTaken(): boolean {
    return this.slotListeners.size > 0
  }

  /** Calls `listener` whenever a slot may have become free (a job ended, a worker was replaced). Returns the unsubscribe. */
  onSlotFreed(listener: () => void): () => void {
    this.slotListeners.add(listener)
    return () => this.slotListeners.delete(listener)
  }

  get closed(): boolean {
    return this.closing !== null
  }

  stats(): WorkerPoolStats {
    return { size: this.size, workers: this.slots.length, busy: this.busyCount, queued: this.queuedCount, ...this.counters }
  }

  /**
   * Runs `job` on the first free worker, after the jobs waiting in line at its place or a more
   * urgent one (`RunOptions.priority`, default the worker's `linePlace(job)`). Resolves with the
   * worker's result; rejects with the worker's error, with an Error when the worker dies, with an
   * AbortError when `signal` aborts, or with an Error when the pool is closed.
   */
  run<T>(job: Job, options: RunOptions = {}): Promise<T> {
    if (this.closing) return Promise.reject(new Error(`Cannot run ${job.kind} job: the ${this.name} is closed`))
    if (options.signal?.aborted) return Promise.reject(abortError(`Decode job ${job.kind}`))
    return new Promise<T>((resolve, reject) => {
      const entry: Entry<Job> = {
        id: this.nextId++,
        job,
        options,
        resolve: resolve as (value: unknown) => void,
        reject,
        settled: false,
        unlisten: () => {},
        asks: null
      }
      const signal = options.signal
      if (signal) {
        const onAbort = (): void => this.abort(entry)
        signal.addEventListener('abort', onAbort, { once: true })
        entry.unlisten = () => signal.removeEventListener('abort', onAbort)
      }
      this.line.add(entry, options.priority ?? this.worker.linePlace(job))
      this.dispatch()
    })
  }

  /**
   * Starts the workers that are not running yet (up to `size`), so that the first jobs do not pay
   * for a thread's start-up and sharp's loading. Returns at once; idle workers do not keep the
   * process alive. Does nothing once the pool is closed.
   */
  warm(): void {
    while (!this.closing && this.slots.length < this.size) this.start()
  }

  /** Ends every worker and rejects every queued and running job. Idempotent; resolves when all workers have ended. */
  close(): Promise<void> {
    if (this.closing) return this.closing
    const error = (): Error => new Error(`The ${this.name} was closed`)
    for (const entry of this.line.clear()) this.settle(entry, error())
    const endings = this.slots.splice(0).map((slot) => {
      slot.dead = true
      if (slot.current) this.settle(slot.current, error())
      return slot.worker.terminate().then(() => undefined)
    })
    this.closing = Promise.all(endings).then(() => undefined)
    this.slotFreed()
    return this.closing
  }

  private abort(entry: Entry<Job>): void {
    if (entry.settled) return
    this.counters.cancelled++
    const waited = this.line.remove(entry)
    this.settle(entry, abortError(`Decode job ${entry.job.kind}`))
    if (waited) return this.slotFreed()
    // A running job keeps its worker, and so its slot, until it ends, unless its worker is ended.
    if (!entry.options.terminateOnAbort) return
    const slot = this.slots.find((s) => s.current === entry)
    if (slot) this.retire(slot)
  }

  private settle(entry: Entry<Job>, error: Error | null, value?: unknown): void {
    if (entry.settled) return
    entry.settled = true
    entry.unlisten()
    // Nobody waits for the job any more: what its questions started (range requests) may stop.
    entry.asks?.abort(abortError(`Decode job ${entry.job.kind}`))
    if (error) entry.reject(error)
    else entry.resolve(value)
  }

  /**
   * Hands waiting jobs to idle workers, starting workers up to `size`, in the line's order. A
   * decode giving way to tiles is handed a worker only after the slot listeners had their turn
   * (they start tiles in a microtask, before the `setImmediate` of `yielded`), unless `yielded`.
   */
  private dispatch(yielded = false): void {
    while (this.line.length > 0 && !this.closing) {
      let slot = this.slots.find((s) => s.current === null && !s.dead)
      if (!slot) {
        if (this.slots.length >= this.size) return
        slot = this.start()
      }
      if (!yielded && this.line.firstGivesWay(this.tilesTaken)) {
        if (!this.yieldedDispatch) {
          this.yieldedDispatch = setImmediate(() => {
            this.yieldedDispatch = null
            this.dispatch(true)
          })
        }
        return
      }
      const entry = this.line.shift()!
      slot.current = entry
      slot.worker.ref()
      const request: WorkerRequest<Job> = { id: entry.id, job: entry.job }
      slot.worker.postMessage(request)
    }
  }

  private start(): Slot<Job> {
    const worker = spawnWorker(this.worker.script, { testHooks: this.testHooks })
    const slot: Slot<Job> = { worker, current: null, dead: false }
    // An idle worker does not keep the process alive; a busy one does (its caller is waiting).
    worker.unref()
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message))
    worker.on('error', (error: Error) => this.onDeath(slot, `threw ${error.message}`))
    worker.on('messageerror', (error: Error) => this.onDeath(slot, `sent a message that cannot be read (${error.message})`))
    worker.on('exit', (code: number) => this.onDeath(slot, `exited with code ${code}`))
    this.slots.push(slot)
    return slot
  }

  private onMessage(slot: Slot<Job>, message: WorkerMessage): void {
    if (message.type === 'ask') return this.answerAsk(slot, message)
    const entry = slot.current
    if (!entry || entry.id !== message.id) return
    if (message.type === 'progress') {
      if (!entry.settled) entry.options.onProgress?.(message.value)
      return
    }
    slot.current = null
    slot.worker.unref()
    if (message.type === 'result') {
      if (!entry.settled) this.counters.completed++
      this.settle(entry, null, message.value)
    } else {
      if (!entry.settled) this.counters.failed++
      // Its name kept: an AbortError, or a FileChangedError of a file that changed under the job.
      const error = new Error(message.message)
      error.name = message.name
      this.settle(entry, error)
    }
    this.dispatch()
    this.slotFreed()
  }

  /**
   * Answers a question of the job running on `slot` with the creator's handler, under the job's
   * signal; a question of a job already settled (cancelled) is refused at once with an AbortError.
   */
  private answerAsk(slot: Slot<Job>, ask: Extract<WorkerMessage, { type: 'ask' }>): void {
    const reply = (answer: AnswerMessage, transfer: ArrayBuffer[] = []): void => {
      if (slot.dead) return
      try {
        slot.worker.postMessage(answer, transfer)
      } catch (error) {
        slot.worker.postMessage({ type: 'answer', askId: ask.askId, error: { name: 'Error', message: `The answer could not be sent: ${messageOf(error)}` } })
      }
    }
    const refuse = (name: string, message: string): void => reply({ type: 'answer', askId: ask.askId, error: { name, message } })
    const entry = slot.current
    if (!entry || entry.id !== ask.id) return refuse('Error', 'The job that asked has ended')
    if (entry.settled) return refuse('AbortError', `Decode job ${entry.job.kind} was aborted`)
    const handler = this.worker.answer
    if (!handler) return refuse('Error', `The ${this.name} answers no questions of its jobs`)
    const signal = (entry.asks ??= new AbortController()).signal
    Promise.resolve()
      .then(() => handler(ask.question, signal))
      .then(
        (answer) => reply({ type: 'answer', askId: ask.askId, value: answer.value }, answer.transfer),
        (error: unknown) => refuse(error instanceof Error ? error.name : 'Error', messageOf(error))
      )
  }

  /** A worker died on its own: fail its job (only that one) and start a replacement. */
  private onDeath(slot: Slot<Job>, how: string): void {
    if (slot.dead) return
    const entry = slot.current
    if (entry && !entry.settled) {
      this.counters.failed++
      this.settle(entry, new Error(`A worker of the ${this.name} ${how} while running a ${entry.job.kind} job`))
    }
    this.retire(slot)
  }

  /** Ends a worker that can no longer be trusted or whose job was abandoned, and replaces it. */
  private retire(slot: Slot<Job>): void {
    slot.dead = true
    slot.current = null
    void slot.worker.terminate()
    const at = this.slots.indexOf(slot)
    if (at >= 0) this.slots.splice(at, 1)
    if (this.closing) return
    this.counters.replaced++
    // Start the replacement now, so that the next job does not pay for a worker's start-up.
    if (this.slots.length < this.size) this.start()
    this.dispatch()
    this.slotFreed()
  }

  /** Tells the listeners (the loader) that a slot may be free, once the line has been served. */
  private slotFreed(): void {
    for (const listener of this.slotListeners) {
      try {
        listener()
      } catch (error) {
        console.error(`[WorkerPool] a slot listener of the ${this.name} threw:`, error)
      }
    }
  }
}
