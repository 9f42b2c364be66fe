/**
 * The loader's two lanes (`LoadRequest.lane`): a 'network' load (a web tile waiting on its server)
 * holds no decode worker, so it runs beside the decode loads, bounded by `networkLoads` alone;
 * a decode load still waits for a free slot and `maxWorkers`. Loads are settled by the test.
 */
import { describe, expect, it } from 'vitest'
import { AsyncImageLoader, ImageLoadPriority, type LoadLane, type LoadSlots } from '../../src/main/loader'

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function harness(options: { maxWorkers: number; networkLoads?: number; slots?: LoadSlots; maxActive?: number }) {
  const loader = new AsyncImageLoader<string>({ maxWorkers: options.maxWorkers, ...(options.networkLoads ? { networkLoads: options.networkLoads } : {}), ...(options.slots ? { slots: options.slots } : {}) })
  const client = loader.connect(options.maxActive ? { maxActive: options.maxActive } : {})
  const started: string[] = []
  const finish = new Map<string, () => void>()
  const done: string[] = []
  const schedule = (id: string, lane: LoadLane | undefined, priority = ImageLoadPriority.NORMAL): void =>
    client.scheduleLoad({
      id,
      textureId: 't',
      priority,
      ...(lane ? { lane } : {}),
      load: () =>
        new Promise<string>((resolve) => {
          started.push(id)
          finish.set(id, () => resolve(id))
        }),
      callback: (result) => {
        if (result) done.push(result)
      }
    })
  return { loader, client, started, finish, done, schedule }
}

describe('AsyncImageLoader lanes', () => {
  it('runs network loads beside a full decode lane, up to networkLoads, and the client’s maxActive bounds only decode loads', async () => {
    const h = harness({ maxWorkers: 1, networkLoads: 3, maxActive: 1 })
    h.loader.start()
    h.schedule('d1', 'decode')
    h.schedule('d2', undefined)
    for (const id of ['n1', 'n2', 'n3', 'n4']) h.schedule(id, 'network')
    await flush()
    expect(h.started).toEqual(['d1', 'n1', 'n2', 'n3'])
    expect(h.loader.networkLoads).toBe(3)
    h.finish.get('n2')!()
    await flush()
    expect(h.started).toContain('n4')
    expect(h.started).not.toContain('d2')
    h.finish.get('d1')!()
    await flush()
    expect(h.started).toContain('d2')
    expect(h.done).toEqual(['n2', 'd1'])
  })

  it('runs a whole view of web tiles at once by default (32 network loads), the rest queued by urgency', async () => {
    const h = harness({ maxWorkers: 2 })
    h.loader.start()
    // A 1020 × 740 view between two levels shows up to 35 tiles of 256², the nearest asked most urgently.
    for (let i = 0; i < 35; i++) h.schedule(`n${i}`, 'network', i < 33 ? ImageLoadPriority.HIGH : ImageLoadPriority.NORMAL)
    await flush()
    expect(h.loader.networkLoads).toBe(32)
    expect(h.started).toHaveLength(32)
    h.finish.get('n0')!()
    await flush()
    expect(h.started).toHaveLength(33)
    expect(h.started[32]).toBe('n32')
  })

  it('starts a network load without a free decode slot, and a decode load only with one', async () => {
    let free = 0
    const listeners = new Set<() => void>()
    const slots: LoadSlots = {
      get freeSlots() {
        return free
      },
      onSlotFreed(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      }
    }
    const h = harness({ maxWorkers: 4, networkLoads: 2, slots })
    h.loader.start()
    h.schedule('d1', 'decode', ImageLoadPriority.HIGH)
    h.schedule('n1', 'network', ImageLoadPriority.LOW)
    await flush()
    // The more urgent decode load waits for a slot; the network load does not wait behind it.
    expect(h.started).toEqual(['n1'])
    free = 1
    for (const listener of listeners) listener()
    await flush()
    expect(h.started).toEqual(['n1', 'd1'])
  })

  it('starts the more urgent head of the two lanes first when both have room, and a full network lane holds back no decode load', async () => {
    const h = harness({ maxWorkers: 2, networkLoads: 1 })
    h.schedule('n-low', 'network', ImageLoadPriority.LOW)
    h.schedule('d-normal', 'decode', ImageLoadPriority.NORMAL)
    h.schedule('n-high', 'network', ImageLoadPriority.HIGH)
    h.schedule('d-low', 'decode', ImageLoadPriority.LOW)
    h.loader.start()
    await flush()
    expect(h.started).toEqual(['n-high', 'd-normal', 'd-low'])
    h.finish.get('n-high')!()
    await flush()
    expect(h.started).toEqual(['n-high', 'd-normal', 'd-low', 'n-low'])
    expect(h.client.getPendingCount()).toBe(0)
  })

  it('refuses a lane it does not know and a networkLoads that is not a positive integer', () => {
    const h = harness({ maxWorkers: 1, networkLoads: 1 })
    expect(() => h.client.scheduleLoad({ id: 'x', textureId: 't', lane: 'disk' as LoadLane, load: () => null, callback: () => undefined })).toThrow(/'decode' or 'network'.*lane/)
    expect(() => new AsyncImageLoader({ networkLoads: 0 })).toThrow(/positive integer.*networkLoads/)
  })
})
