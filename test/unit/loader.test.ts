/**
 * AsyncImageLoader against the loader contract of DESIGN.md §1, one `it` per clause.
 * Loads are controllable: each returns a deferred promise that the test settles, so every
 * interleaving is chosen by the test, not by timers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AsyncImageLoader, ImageLoadPriority, type LoadRequest } from '../../src/main/loader'

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (reason: unknown) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets the loader's microtask dispatch and any settled loads run to completion. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

interface Call {
  result: string | null
  error: Error | undefined
}

/** A loader whose loads wait for the test, with a record of what started and what was called back. */
function harness(maxWorkers = 1) {
  const callbackErrors: Array<[unknown, string]> = []
  const loader = new AsyncImageLoader<string>({
    maxWorkers,
    onCallbackError: (error, id) => callbackErrors.push([error, id])
  })
  /** Ids in the order their load started. */
  const started: string[] = []
  /** Running loads by id (the latest start of that id). */
  const running = new Map<string, { deferred: Deferred<string | null>; signal: AbortSignal }>()
  /** Callback calls, per schedule call label. */
  const calls = new Map<string, Call[]>()
  let loadCalls = 0

  function request(id: string, options: Partial<LoadRequest<string>> & { label?: string } = {}): LoadRequest<string> {
    const label = options.label ?? id
    return {
      id,
      textureId: options.textureId ?? 'texture',
      priority: options.priority,
      rank: options.rank,
      bounds: options.bounds,
      load:
        options.load ??
        ((signal) => {
          loadCalls++
          started.push(id)
          const d = deferred<string | null>()
          running.set(id, { deferred: d, signal })
          return d.promise
        }),
      callback:
        options.callback ??
        ((result, error) => {
          const list = calls.get(label) ?? []
          list.push({ result, error })
          calls.set(label, list)
        })
    }
  }

  function schedule(id: string, options: Partial<LoadRequest<string>> & { label?: string } = {}): void {
    loader.scheduleLoad(request(id, options))
  }

  /** Resolves the running load of `id` with `value` (default `image:<id>`) and lets the loader react. */
  async function finish(id: string, value: string | null = `image:${id}`): Promise<void> {
    const load = running.get(id)
    if (!load) throw new Error(`test: ${id} is not running`)
    running.delete(id)
    load.deferred.resolve(value)
    await flush()
  }

  async function fail(id: string, reason: unknown): Promise<void> {
    const load = running.get(id)
    if (!load) throw new Error(`test: ${id} is not running`)
    running.delete(id)
    load.deferred.reject(reason)
    await flush()
  }

  /** Finishes loads one at a time as they start, until the queue is empty. */
  async function drain(): Promise<void> {
    await flush()
    while (running.size > 0) await finish(running.keys().next().value!)
  }

  return {
    loader,
    started,
    running,
    calls,
    callbackErrors,
    schedule,
    request,
    finish,
    fail,
    drain,
    get loadCalls() {
      return loadCalls
    },
    callsOf: (label: string): Call[] => calls.get(label) ?? []
  }
}

const loaders: Array<AsyncImageLoader<string>> = []
const harnesses: Array<ReturnType<typeof harness>> = []
function tracked(h: ReturnType<typeof harness>): ReturnType<typeof harness> {
  harnesses.push(h)
  return h
}

afterEach(async () => {
  // Release every loader a test left behind: stop it, then end its loads so that stop() resolves.
  const stopping = [...loaders.splice(0), ...harnesses.map((h) => h.loader)].map((l) => l.stop())
  for (const h of harnesses.splice(0)) {
    for (const load of h.running.values()) load.deferred.resolve(null)
    h.running.clear()
  }
  await Promise.all(stopping)
})

describe('AsyncImageLoader', () => {
  // ---- order --------------------------------------------------------------------------------

  it('serves a lower priority value first', async () => {
    const h = tracked(harness(1))
    h.schedule('low', { priority: ImageLoadPriority.LOW })
    h.schedule('normal')
    h.schedule('high', { priority: ImageLoadPriority.HIGH })
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['high', 'normal', 'low'])
  })

  it('orders by rank within one priority level, lower rank first', async () => {
    const h = tracked(harness(1))
    h.schedule('far', { rank: 9 })
    h.schedule('near', { rank: 1 })
    h.schedule('urgent-far', { priority: ImageLoadPriority.HIGH, rank: 100 })
    h.schedule('middle', { rank: 5 })
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['urgent-far', 'near', 'middle', 'far'])
  })

  it('serves requests of equal priority and rank in the order they were first scheduled', async () => {
    const h = tracked(harness(1))
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    for (const id of ids) h.schedule(id, { rank: 3 })
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(ids)
  })

  it('orders a batch scheduled synchronously after start as a whole before the first load starts', async () => {
    const h = tracked(harness(1))
    h.loader.start()
    h.schedule('low', { priority: ImageLoadPriority.LOW })
    h.schedule('high', { priority: ImageLoadPriority.HIGH })
    expect(h.started).toEqual([])
    await h.drain()
    expect(h.started).toEqual(['high', 'low'])
  })

  it('runs at most maxWorkers loads at once and starts the next when one ends', async () => {
    const h = tracked(harness(2))
    for (const id of ['a', 'b', 'c', 'd']) h.schedule(id)
    h.loader.start()
    await flush()
    expect(h.started).toEqual(['a', 'b'])
    expect(h.loader.getActiveCount()).toBe(2)
    await h.finish('b')
    expect(h.started).toEqual(['a', 'b', 'c'])
    expect(h.loader.getActiveCount()).toBe(2)
  })

  // ---- dedup of pending ids -------------------------------------------------------------------

  it('keeps one queue slot for an id scheduled again while pending', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { label: 'first' })
    h.schedule('a', { label: 'second' })
    expect(h.loader.getPendingCount()).toBe(1)
    h.loader.start()
    await h.drain()
    expect(h.loadCalls).toBe(1)
  })

  it('takes the more urgent priority when a pending id is scheduled again', async () => {
    const h = tracked(harness(1))
    h.schedule('x', { priority: ImageLoadPriority.NORMAL })
    h.schedule('a', { priority: ImageLoadPriority.LOW })
    h.schedule('a', { priority: ImageLoadPriority.HIGH })
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['a', 'x'])
  })

  it('does not demote a pending id scheduled again with a less urgent priority', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { priority: ImageLoadPriority.HIGH })
    h.schedule('x', { priority: ImageLoadPriority.NORMAL })
    h.schedule('a', { priority: ImageLoadPriority.LOW })
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['a', 'x'])
  })

  it('takes the newer rank when a pending id is scheduled again at the same priority', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { rank: 1 })
    h.schedule('b', { rank: 2 })
    h.schedule('a', { rank: 3 })
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['b', 'a'])
  })

  it('keeps the first-scheduled FIFO position of a pending id scheduled again', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.schedule('b')
    h.schedule('a')
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['a', 'b'])
  })

  it('takes the newer bounds when a pending id is scheduled again', () => {
    const h = tracked(harness(1))
    h.schedule('a', { bounds: [0, 1, 0, 1] })
    expect(h.loader.getPendingBounds('a')).toEqual([0, 1, 0, 1])
    h.schedule('a', { bounds: [5, 6, 7, 8] })
    expect(h.loader.getPendingBounds('a')).toEqual([5, 6, 7, 8])
    h.schedule('a')
    expect(h.loader.getPendingBounds('a')).toEqual([5, 6, 7, 8])
  })

  it('calls every callback given for a deduplicated id once with the one result', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { label: 'one' })
    h.schedule('a', { label: 'two' })
    h.schedule('a', { label: 'three' })
    h.loader.start()
    await flush()
    await h.finish('a', 'the image')
    for (const label of ['one', 'two', 'three']) {
      expect(h.callsOf(label)).toEqual([{ result: 'the image', error: undefined }])
    }
  })

  // ---- join and forget ------------------------------------------------------------------------

  it('joins an active id instead of loading it twice', async () => {
    const h = tracked(harness(2))
    h.schedule('a', { label: 'first' })
    h.loader.start()
    await flush()
    expect(h.loader.isActive('a')).toBe(true)
    h.schedule('a', { label: 'joined' })
    expect(h.loader.getPendingCount()).toBe(0)
    await flush()
    expect(h.loadCalls).toBe(1)
    await h.finish('a', 'shared')
    expect(h.callsOf('first')).toEqual([{ result: 'shared', error: undefined }])
    expect(h.callsOf('joined')).toEqual([{ result: 'shared', error: undefined }])
  })

  it('forgets a finished id so that scheduling it again loads it again', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { label: 'first' })
    h.loader.start()
    await flush()
    await h.finish('a', 'v1')
    expect(h.loader.isActive('a')).toBe(false)
    h.schedule('a', { label: 'second' })
    expect(h.loader.getPendingCount()).toBe(1)
    await flush()
    await h.finish('a', 'v2')
    expect(h.loadCalls).toBe(2)
    expect(h.callsOf('first')).toEqual([{ result: 'v1', error: undefined }])
    expect(h.callsOf('second')).toEqual([{ result: 'v2', error: undefined }])
  })

  it('forgets a failed id so that scheduling it again loads it again', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { label: 'first' })
    h.loader.start()
    await flush()
    await h.fail('a', new Error('disk'))
    h.schedule('a', { label: 'second' })
    await flush()
    await h.finish('a', 'v2')
    expect(h.loadCalls).toBe(2)
    expect(h.callsOf('second')).toEqual([{ result: 'v2', error: undefined }])
  })

  // ---- callbacks ------------------------------------------------------------------------------

  it('calls the callback exactly once with the result of the load', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.loader.start()
    await flush()
    await h.finish('a', 'pixels')
    await flush()
    expect(h.callsOf('a')).toEqual([{ result: 'pixels', error: undefined }])
    expect(h.loader.getCounters()).toMatchObject({ scheduled: 1, completed: 1, failed: 0, cancelled: 0 })
  })

  it('accepts a load that returns its result synchronously', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { load: () => 'sync image' })
    h.loader.start()
    await flush()
    expect(h.callsOf('a')).toEqual([{ result: 'sync image', error: undefined }])
  })

  it('passes a null result of the load on as null without an error', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.loader.start()
    await flush()
    await h.finish('a', null)
    expect(h.callsOf('a')).toEqual([{ result: null, error: undefined }])
  })

  it('calls the callback with null and the error when the load rejects', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.loader.start()
    await flush()
    const error = new Error('corrupt file')
    await h.fail('a', error)
    expect(h.callsOf('a')).toEqual([{ result: null, error }])
    expect(h.loader.getCounters()).toMatchObject({ completed: 0, failed: 1 })
  })

  it('calls the callback with null and the error when the load throws synchronously', async () => {
    const h = tracked(harness(1))
    const error = new Error('bad argument')
    h.schedule('a', {
      load: () => {
        throw error
      }
    })
    h.loader.start()
    await flush()
    expect(h.callsOf('a')).toEqual([{ result: null, error }])
  })

  it('wraps a rejection that is not an Error in an Error naming the request id', async () => {
    const h = tracked(harness(1))
    h.schedule('tile-7')
    h.loader.start()
    await flush()
    await h.fail('tile-7', 'plain string')
    const [call] = h.callsOf('tile-7')
    expect(call?.result).toBeNull()
    expect(call?.error).toBeInstanceOf(Error)
    expect(call?.error?.message).toBe('Load of tile-7 failed: plain string')
  })

  it('calls every joined callback with null and the same error when a shared load fails', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { label: 'one' })
    h.loader.start()
    await flush()
    h.schedule('a', { label: 'two' })
    const error = new Error('gone')
    await h.fail('a', error)
    expect(h.callsOf('one')).toEqual([{ result: null, error }])
    expect(h.callsOf('two')).toEqual([{ result: null, error }])
  })

  // ---- cancelObsoleteForTexture ---------------------------------------------------------------

  it('cancels the pending loads of a texture except the one id kept, calling their callbacks with null', async () => {
    const h = tracked(harness(1))
    for (const id of ['a', 'b', 'c']) h.schedule(id)
    expect(h.loader.cancelObsoleteForTexture('texture', 'b')).toBe(2)
    expect(h.loader.getPendingCount()).toBe(1)
    expect(h.callsOf('a')).toEqual([{ result: null, error: undefined }])
    expect(h.callsOf('c')).toEqual([{ result: null, error: undefined }])
    expect(h.callsOf('b')).toEqual([])
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['b'])
    expect(h.callsOf('b')).toEqual([{ result: 'image:b', error: undefined }])
  })

  it('keeps every id of a set when cancelling obsolete loads of a texture', async () => {
    const h = tracked(harness(1))
    for (const id of ['a', 'b', 'c', 'd']) h.schedule(id)
    expect(h.loader.cancelObsoleteForTexture('texture', new Set(['a', 'd']))).toBe(2)
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['a', 'd'])
  })

  it('accepts any iterable of ids to keep', () => {
    const h = tracked(harness(1))
    for (const id of ['a', 'b', 'c']) h.schedule(id)
    expect(h.loader.cancelObsoleteForTexture('texture', ['c'])).toBe(2)
    expect(h.loader.isPending('c')).toBe(true)
  })

  it('leaves the requests of other textures alone', () => {
    const h = tracked(harness(1))
    h.schedule('a1', { textureId: 'A' })
    h.schedule('b1', { textureId: 'B' })
    h.schedule('b2', { textureId: 'B' })
    expect(h.loader.cancelObsoleteForTexture('A', [])).toBe(1)
    expect(h.loader.getPendingCount()).toBe(2)
    expect(h.loader.isPending('b1') && h.loader.isPending('b2')).toBe(true)
  })

  it('returns 0 for a texture that has no requests', () => {
    const h = tracked(harness(1))
    h.schedule('a')
    expect(h.loader.cancelObsoleteForTexture('unknown', 'a')).toBe(0)
    expect(h.loader.cancelObsoleteForTexture('texture', 'a')).toBe(0)
    expect(h.loader.getPendingCount()).toBe(1)
  })

  it('counts a deduplicated id as one cancelled request and calls each of its callbacks with null', () => {
    const h = tracked(harness(1))
    h.schedule('a', { label: 'one' })
    h.schedule('a', { label: 'two' })
    expect(h.loader.cancelObsoleteForTexture('texture', [])).toBe(1)
    expect(h.callsOf('one')).toEqual([{ result: null, error: undefined }])
    expect(h.callsOf('two')).toEqual([{ result: null, error: undefined }])
  })

  it('cancels active loads too, aborting their AbortSignal, and counts pending and active together', async () => {
    const h = tracked(harness(2))
    for (const id of ['a', 'b', 'c', 'keep']) h.schedule(id)
    h.loader.start()
    await flush()
    expect(h.started).toEqual(['a', 'b'])
    const signalA = h.running.get('a')!.signal
    const signalB = h.running.get('b')!.signal
    expect(h.loader.cancelObsoleteForTexture('texture', ['b', 'keep'])).toBe(2)
    expect(signalA.aborted).toBe(true)
    expect(signalB.aborted).toBe(false)
    expect(h.loader.getActiveCount()).toBe(1)
    expect(h.loader.getPendingCount()).toBe(1)
    expect(h.callsOf('a')).toEqual([{ result: null, error: undefined }])
    expect(h.callsOf('c')).toEqual([{ result: null, error: undefined }])
  })

  it('discards the late result of a cancelled active load', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.loader.start()
    await flush()
    h.loader.cancelTexture('texture')
    await h.finish('a', 'too late')
    expect(h.callsOf('a')).toEqual([{ result: null, error: undefined }])
    expect(h.loader.getCounters()).toMatchObject({ completed: 0, cancelled: 1 })
  })

  it('discards the late error of a cancelled active load', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.loader.start()
    await flush()
    h.loader.cancelTexture('texture')
    await h.fail('a', new Error('aborted'))
    expect(h.callsOf('a')).toEqual([{ result: null, error: undefined }])
    expect(h.loader.getCounters()).toMatchObject({ failed: 0, cancelled: 1 })
  })

  it('keeps the slot of a cancelled active load taken until the load ends', async () => {
    const h = tracked(harness(1))
    h.schedule('a', { textureId: 'A' })
    h.schedule('b', { textureId: 'B' })
    h.loader.start()
    await flush()
    h.loader.cancelTexture('A')
    await flush()
    expect(h.started).toEqual(['a'])
    expect(h.loader.getPendingCount()).toBe(1)
    await h.finish('a')
    expect(h.started).toEqual(['a', 'b'])
  })

  it('loads an id again when it is scheduled after its active load was cancelled', async () => {
    const h = tracked(harness(2))
    h.schedule('a', { label: 'old' })
    h.loader.start()
    await flush()
    const oldLoad = h.running.get('a')!
    h.loader.cancelTexture('texture')
    h.schedule('a', { label: 'new' })
    expect(h.loader.getPendingCount()).toBe(1)
    await flush()
    expect(h.loadCalls).toBe(2)
    oldLoad.deferred.resolve('stale')
    await h.finish('a', 'fresh')
    expect(h.callsOf('old')).toEqual([{ result: null, error: undefined }])
    expect(h.callsOf('new')).toEqual([{ result: 'fresh', error: undefined }])
  })

  it('cancels every request of a texture with cancelTexture', () => {
    const h = tracked(harness(1))
    for (const id of ['a', 'b']) h.schedule(id)
    expect(h.loader.cancelTexture('texture')).toBe(2)
    expect(h.loader.getPendingCount()).toBe(0)
  })

  // ---- counts ---------------------------------------------------------------------------------

  it('counts exactly the requests scheduled and neither started nor ended as pending', async () => {
    const h = tracked(harness(1))
    expect(h.loader.getPendingCount()).toBe(0)
    h.schedule('a')
    h.schedule('b')
    h.schedule('b')
    h.schedule('c')
    expect(h.loader.getPendingCount()).toBe(3)
    h.loader.cancelObsoleteForTexture('texture', ['a', 'b'])
    expect(h.loader.getPendingCount()).toBe(2)
    h.loader.start()
    await flush()
    expect(h.loader.getPendingCount()).toBe(1)
    await h.finish('a')
    expect(h.loader.getPendingCount()).toBe(0)
    await h.finish('b')
    expect(h.loader.getPendingCount()).toBe(0)
  })

  it('counts running loads that are not cancelled as active', async () => {
    const h = tracked(harness(3))
    for (const id of ['a', 'b', 'c', 'd']) h.schedule(id)
    expect(h.loader.getActiveCount()).toBe(0)
    h.loader.start()
    await flush()
    expect(h.loader.getActiveCount()).toBe(3)
    h.loader.cancelObsoleteForTexture('texture', ['b', 'c', 'd'])
    expect(h.loader.getActiveCount()).toBe(2)
    await flush()
    expect(h.loader.isPending('d')).toBe(true)
    await h.finish('b')
    expect(h.loader.getActiveCount()).toBe(2)
    expect(h.loader.isActive('d')).toBe(true)
    await h.finish('a')
    expect(h.loader.getActiveCount()).toBe(2)
    await h.finish('c')
    await h.finish('d')
    expect(h.loader.getActiveCount()).toBe(0)
  })

  // ---- lifecycle ------------------------------------------------------------------------------

  it('queues requests scheduled before start and runs nothing until started', async () => {
    const h = tracked(harness(4))
    h.schedule('a')
    h.schedule('b')
    await flush()
    expect(h.loader.isStarted).toBe(false)
    expect(h.started).toEqual([])
    expect(h.loader.getPendingCount()).toBe(2)
    h.loader.start()
    await flush()
    expect(h.started).toEqual(['a', 'b'])
  })

  it('starts only once when start is called twice', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.schedule('b')
    h.loader.start()
    h.loader.start()
    await flush()
    expect(h.started).toEqual(['a'])
  })

  it('stop cancels everything pending and active, calling their callbacks with null', async () => {
    const h = tracked(harness(1))
    h.schedule('active', { label: 'active' })
    h.loader.start()
    await flush()
    h.schedule('active', { label: 'joined' })
    h.schedule('pending')
    const signal = h.running.get('active')!.signal
    const stopped = h.loader.stop()
    expect(signal.aborted).toBe(true)
    for (const label of ['active', 'joined', 'pending']) {
      expect(h.callsOf(label)).toEqual([{ result: null, error: undefined }])
    }
    expect(h.loader.getPendingCount()).toBe(0)
    expect(h.loader.getActiveCount()).toBe(0)
    expect(h.loader.isStarted).toBe(false)
    h.running.get('active')!.deferred.resolve('late')
    await stopped
    expect(h.callsOf('active')).toHaveLength(1)
    expect(h.loader.getCounters().cancelled).toBe(2)
  })

  it('stop resolves only after the running loads have ended', async () => {
    const h = tracked(harness(2))
    h.schedule('a')
    h.schedule('b')
    h.loader.start()
    await flush()
    let resolved = false
    const stopped = h.loader.stop().then(() => {
      resolved = true
    })
    await flush()
    expect(resolved).toBe(false)
    h.running.get('a')!.deferred.resolve('x')
    await flush()
    expect(resolved).toBe(false)
    h.running.get('b')!.deferred.reject(new Error('y'))
    await stopped
    expect(resolved).toBe(true)
  })

  it('stop resolves at once when nothing runs, and twice in a row', async () => {
    const h = tracked(harness(1))
    await h.loader.stop()
    h.schedule('a')
    await h.loader.stop()
    await h.loader.stop()
    expect(h.callsOf('a')).toEqual([{ result: null, error: undefined }])
  })

  it('can be started again after stop and then loads what is scheduled', async () => {
    const h = tracked(harness(1))
    h.schedule('a')
    h.loader.start()
    await flush()
    const stopped = h.loader.stop()
    await h.finish('a', 'ignored')
    await stopped
    h.schedule('b')
    h.schedule('a', { label: 'a again' })
    await flush()
    expect(h.started).toEqual(['a'])
    h.loader.start()
    await h.drain()
    expect(h.started).toEqual(['a', 'b', 'a'])
    expect(h.callsOf('a again')).toEqual([{ result: 'image:a', error: undefined }])
    expect(h.callsOf('b')).toEqual([{ result: 'image:b', error: undefined }])
  })

  it('does not run loads scheduled after stop until started again', async () => {
    const h = tracked(harness(1))
    h.loader.start()
    await h.loader.stop()
    h.schedule('a')
    await flush()
    expect(h.started).toEqual([])
    expect(h.loader.getPendingCount()).toBe(1)
  })

  // ---- robustness -----------------------------------------------------------------------------

  it('reports a throwing callback to onCallbackError and keeps serving the queue', async () => {
    const h = tracked(harness(1))
    const boom = new Error('callback bug')
    h.schedule('a', {
      callback: () => {
        throw boom
      }
    })
    h.schedule('b')
    h.loader.start()
    await flush()
    await h.finish('a')
    expect(h.callbackErrors).toEqual([[boom, 'a']])
    await h.finish('b')
    expect(h.callsOf('b')).toEqual([{ result: 'image:b', error: undefined }])
  })

  it('calls the other callbacks of an id when one of them throws', async () => {
    const h = tracked(harness(1))
    h.schedule('a', {
      callback: () => {
        throw new Error('first callback bug')
      }
    })
    h.schedule('a', { label: 'second' })
    h.loader.start()
    await flush()
    await h.finish('a')
    expect(h.callsOf('second')).toEqual([{ result: 'image:a', error: undefined }])
  })

  it('survives a callback that throws during cancellation and stop', async () => {
    const h = tracked(harness(1))
    const thrower = (): void => {
      throw new Error('bug')
    }
    h.schedule('a', { callback: thrower })
    h.schedule('b', { callback: thrower })
    expect(h.loader.cancelObsoleteForTexture('texture', 'b')).toBe(1)
    await h.loader.stop()
    expect(h.callbackErrors.map(([, id]) => id)).toEqual(['a', 'b'])
  })

  it('survives an onCallbackError that throws', async () => {
    const loader = new AsyncImageLoader<string>({
      maxWorkers: 1,
      onCallbackError: () => {
        throw new Error('reporter bug')
      }
    })
    loaders.push(loader)
    const results: Array<string | null> = []
    loader.scheduleLoad({
      id: 'a',
      textureId: 't',
      load: () => 'x',
      callback: () => {
        throw new Error('callback bug')
      }
    })
    loader.scheduleLoad({ id: 'b', textureId: 't', load: () => 'y', callback: (r) => results.push(r) })
    loader.start()
    await flush()
    expect(results).toEqual(['y'])
  })

  it('logs a throwing callback with console.error when no onCallbackError is given', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const loader = new AsyncImageLoader<string>()
      loaders.push(loader)
      loader.scheduleLoad({
        id: 'a',
        textureId: 't',
        load: () => 'x',
        callback: () => {
          throw new Error('callback bug')
        }
      })
      loader.start()
      await flush()
      expect(spy).toHaveBeenCalledTimes(1)
      expect(String(spy.mock.calls[0]?.[0])).toContain('callback of a threw')
    } finally {
      spy.mockRestore()
    }
  })

  it('keeps serving the queue after loads that throw and reject', async () => {
    const h = tracked(harness(1))
    h.schedule('throws', {
      load: () => {
        throw new Error('sync')
      }
    })
    h.schedule('rejects', { load: () => Promise.reject(new Error('async')) })
    h.schedule('ok')
    h.loader.start()
    await h.drain()
    expect(h.callsOf('throws')[0]?.error?.message).toBe('sync')
    expect(h.callsOf('rejects')[0]?.error?.message).toBe('async')
    expect(h.callsOf('ok')).toEqual([{ result: 'image:ok', error: undefined }])
    expect(h.loader.getActiveCount()).toBe(0)
  })

  // ---- validation -----------------------------------------------------------------------------

  it('uses 4 workers by default', () => {
    expect(new AsyncImageLoader().maxWorkers).toBe(4)
  })

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2' as unknown as number])(
    'rejects maxWorkers %s with an error naming it',
    (maxWorkers) => {
      expect(() => new AsyncImageLoader({ maxWorkers })).toThrow(
        `Expected positive integer for maxWorkers but received ${String(maxWorkers)} of type ${typeof maxWorkers}`
      )
    }
  )

  it('rejects a malformed request with an error naming the field, and counts nothing', () => {
    const h = tracked(harness(1))
    const bad = (patch: Record<string, unknown>): LoadRequest<string> => ({ ...h.request('a'), ...patch }) as LoadRequest<string>
    expect(() => h.loader.scheduleLoad(null as unknown as LoadRequest<string>)).toThrow('Expected object for request but received null')
    expect(() => h.loader.scheduleLoad(bad({ id: 3 }))).toThrow('Expected string for id but received 3 of type number')
    expect(() => h.loader.scheduleLoad(bad({ textureId: undefined }))).toThrow('for textureId')
    expect(() => h.loader.scheduleLoad(bad({ load: 'nope' }))).toThrow('Expected function for load')
    expect(() => h.loader.scheduleLoad(bad({ callback: null }))).toThrow('Expected function for callback')
    expect(() => h.loader.scheduleLoad(bad({ priority: 0 }))).toThrow('Expected ImageLoadPriority 1, 2 or 3 for priority but received 0')
    expect(() => h.loader.scheduleLoad(bad({ rank: Number.NaN }))).toThrow('Expected number for rank but received NaN')
    expect(h.loader.getPendingCount()).toBe(0)
    expect(h.loader.getCounters().scheduled).toBe(0)
  })
})
