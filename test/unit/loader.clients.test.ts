/**
 * One loader shared by several clients (windows, connections; issue 12): fairness at equal
 * priority, per-client caps, slots of a shared executor, and a stop or close that never hangs on a
 * load that ignores its signal.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AsyncImageLoader, ImageLoadPriority, type LoadRequest, type LoadSlots } from '../../src/main/loader'

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Loads that end when the test says (`finish`), recording the order in which they started. */
function loads() {
  const started: string[] = []
  const running = new Map<string, (value: string) => void>()
  const results = new Map<string, Array<string | null>>()
  const request = (id: string, priority = ImageLoadPriority.NORMAL, label = id): LoadRequest<string> => ({
    id,
    textureId: 't',
    priority,
    load: () => {
      started.push(label)
      return new Promise<string>((resolve) => running.set(label, resolve))
    },
    callback: (result) => results.set(label, [...(results.get(label) ?? []), result])
  })
  const finish = async (label: string): Promise<void> => {
    running.get(label)!(`image:${label}`)
    running.delete(label)
    await flush()
  }
  return { started, running, results, request, finish }
}

/** A stand-in for the pool: `busy` slots of `size` taken by others. */
function fakeSlots(size: number): LoadSlots & { busy: number; free(): void } {
  const listeners = new Set<() => void>()
  return {
    busy: 0,
    get freeSlots() {
      return size - this.busy
    },
    onSlotFreed(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    free() {
      this.busy--
      for (const listener of listeners) listener()
    }
  }
}

const stops: Array<AsyncImageLoader<string>> = []
afterEach(async () => {
  await Promise.all(stops.splice(0).map((loader) => loader.stop()))
})

function started(options: ConstructorParameters<typeof AsyncImageLoader<string>>[0]): AsyncImageLoader<string> {
  const loader = new AsyncImageLoader<string>(options)
  loader.start()
  stops.push(loader)
  return loader
}

describe('AsyncImageLoader shared by clients', () => {
  it('serves clients in turn at equal priority', async () => {
    const loader = started({ maxWorkers: 1, stopGraceMs: 0 })
    const l = loads()
    const a = loader.connect()
    const b = loader.connect()
    for (const n of [1, 2, 3]) a.scheduleLoad(l.request(`${n}`, ImageLoadPriority.NORMAL, `a${n}`))
    for (const n of [1, 2, 3]) b.scheduleLoad(l.request(`${n}`, ImageLoadPriority.NORMAL, `b${n}`))
    await flush()
    for (const label of ['a1', 'b1', 'a2', 'b2', 'a3']) await l.finish(label)
    expect(l.started).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3'])
  })

  it('starts nothing for a paused client, serves the others, and starts its loads once resumed', async () => {
    const loader = started({ maxWorkers: 2, stopGraceMs: 0 })
    const l = loads()
    let paused = true
    const a = loader.connect({ paused: () => paused })
    const b = loader.connect()
    a.scheduleLoad(l.request('1', ImageLoadPriority.HIGH, 'a1'))
    b.scheduleLoad(l.request('1', ImageLoadPriority.LOW, 'b1'))
    await flush()
    expect(l.started).toEqual(['b1'])
    expect(a.getPendingCount()).toBe(1)
    paused = false
    a.resume()
    await flush()
    expect(l.started).toEqual(['b1', 'a1'])
  })

  it('serves a more urgent priority first, whichever client asked', async () => {
    const loader = started({ maxWorkers: 1, stopGraceMs: 0 })
    const l = loads()
    const a = loader.connect()
    const b = loader.connect()
    a.scheduleLoad(l.request('x', ImageLoadPriority.LOW, 'a-low'))
    a.scheduleLoad(l.request('y', ImageLoadPriority.NORMAL, 'a-normal'))
    b.scheduleLoad(l.request('x', ImageLoadPriority.HIGH, 'b-high'))
    await flush()
    await l.finish('b-high')
    await l.finish('a-normal')
    expect(l.started).toEqual(['b-high', 'a-normal', 'a-low'])
  })

  it('keeps ids and textures apart between clients', async () => {
    const loader = started({ maxWorkers: 2, stopGraceMs: 0 })
    const l = loads()
    const a = loader.connect()
    const b = loader.connect()
    a.scheduleLoad(l.request('same', ImageLoadPriority.NORMAL, 'a'))
    b.scheduleLoad(l.request('same', ImageLoadPriority.NORMAL, 'b'))
    expect(a.cancelTexture('t')).toBe(1)
    await flush()
    expect(l.started).toEqual(['b'])
    expect(l.results.get('a')).toEqual([null])
  })

  it("bounds each client's running loads by its maxActive, leaving the other slots to the others", async () => {
    const loader = started({ maxWorkers: 3, stopGraceMs: 0 })
    const l = loads()
    const a = loader.connect({ maxActive: 1 })
    const b = loader.connect()
    for (const n of [1, 2, 3]) a.scheduleLoad(l.request(`${n}`, ImageLoadPriority.HIGH, `a${n}`))
    for (const n of [1, 2, 3]) b.scheduleLoad(l.request(`${n}`, ImageLoadPriority.LOW, `b${n}`))
    await flush()
    expect(l.started).toEqual(['a1', 'b1', 'b2'])
    await l.finish('a1')
    expect(l.started).toEqual(['a1', 'b1', 'b2', 'a2'])
  })

  it('starts a load only when the executor has a free slot, and the most urgent one then', async () => {
    const slots = fakeSlots(1)
    const loader = started({ maxWorkers: 1, slots, stopGraceMs: 0 })
    const l = loads()
    slots.busy = 1 // a cancelled job still decoding
    loader.scheduleLoad(l.request('low', ImageLoadPriority.LOW))
    loader.scheduleLoad(l.request('high', ImageLoadPriority.HIGH))
    await flush()
    expect(l.started).toEqual([])
    slots.free()
    await flush()
    expect(l.started).toEqual(['high'])
  })

  it('a closed client cancels its requests, is served no more, and cancels what it is asked later', async () => {
    const loader = started({ maxWorkers: 1, stopGraceMs: 0 })
    const l = loads()
    const a = loader.connect()
    const b = loader.connect()
    a.scheduleLoad(l.request('1', ImageLoadPriority.NORMAL, 'a1'))
    a.scheduleLoad(l.request('2', ImageLoadPriority.NORMAL, 'a2'))
    b.scheduleLoad(l.request('1', ImageLoadPriority.LOW, 'b1'))
    await flush()
    const closed = a.close()
    a.scheduleLoad(l.request('3', ImageLoadPriority.HIGH, 'a3'))
    await l.finish('a1')
    await closed
    expect(l.results.get('a1')).toEqual([null])
    expect(l.results.get('a2')).toEqual([null])
    expect(l.results.get('a3')).toEqual([null])
    expect(l.started).toEqual(['a1', 'b1'])
    expect(loader.getPendingCount()).toBe(0)
  })
})

describe('AsyncImageLoader stop and close never hang', () => {
  it('stop calls every callback with null, releases the slots and resolves although a load never settles', async () => {
    const loader = started({ maxWorkers: 1, stopGraceMs: 20 })
    const results: Array<string | null> = []
    loader.scheduleLoad({ id: 'stuck', textureId: 't', load: () => new Promise<string>(() => {}), callback: (r) => results.push(r) })
    loader.scheduleLoad({ id: 'queued', textureId: 't', load: () => 'queued', callback: (r) => results.push(r) })
    await flush()
    expect(loader.runningCount).toBe(1)
    await loader.stop()
    expect(results).toEqual([null, null])
    expect(loader.runningCount).toBe(0)
    // Its slot is free again: a restarted loader runs the next load at once.
    loader.start()
    loader.scheduleLoad({ id: 'next', textureId: 't', load: () => 'next', callback: (r) => results.push(r) })
    await flush()
    expect(results).toEqual([null, null, 'next'])
  })

  it('discards the late result of a load abandoned by stop', async () => {
    const loader = started({ maxWorkers: 1, stopGraceMs: 10 })
    const results: Array<string | null> = []
    let release!: (value: string) => void
    loader.scheduleLoad({ id: 'slow', textureId: 't', load: () => new Promise<string>((resolve) => (release = resolve)), callback: (r) => results.push(r) })
    await flush()
    await loader.stop()
    release('late')
    await flush()
    expect(results).toEqual([null])
    expect(loader.getCounters()).toMatchObject({ completed: 0, cancelled: 1 })
  })

  it("a client's close resolves although its load never settles, and its slot goes to the others", async () => {
    const loader = started({ maxWorkers: 1, stopGraceMs: 20 })
    const a = loader.connect()
    const b = loader.connect()
    const results: Array<string | null> = []
    a.scheduleLoad({ id: 'stuck', textureId: 't', load: () => new Promise<string>(() => {}), callback: (r) => results.push(r) })
    await flush()
    b.scheduleLoad({ id: 'other', textureId: 't', load: () => 'other', callback: (r) => results.push(r) })
    await a.close()
    await flush()
    expect(results).toEqual([null, 'other'])
  })
})
