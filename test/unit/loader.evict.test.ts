/**
 * AsyncImageLoader.cancelLeastUrgent (issue 7, the queue cap): which pending requests a capped
 * queue gives up, and that it never touches a running load. A property test checks the order
 * against a plain model under random schedules (with dedup), cancellations and drops.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AsyncImageLoader, ImageLoadPriority, type LoadRequest } from '../../src/main/loader'

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function tracked(maxWorkers = 1): { loader: AsyncImageLoader<string>; results: Map<string, Array<string | null>>; request: (id: string, priority?: ImageLoadPriority, rank?: number, textureId?: string) => LoadRequest<string> } {
  const loader = new AsyncImageLoader<string>({ maxWorkers, trackLeastUrgent: true })
  const results = new Map<string, Array<string | null>>()
  const request = (id: string, priority?: ImageLoadPriority, rank?: number, textureId = 't'): LoadRequest<string> => ({
    id,
    textureId,
    priority,
    rank,
    // Ends only when aborted: only cancellation settles it.
    load: (signal) => new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    callback: (result) => results.set(id, [...(results.get(id) ?? []), result])
  })
  return { loader, results, request }
}

describe('AsyncImageLoader.cancelLeastUrgent', () => {
  it('cancels the least urgent pending requests first: the highest priority value, then the highest rank', () => {
    const { loader, request } = tracked()
    loader.scheduleLoad(request('high', ImageLoadPriority.HIGH, 9))
    loader.scheduleLoad(request('low-near', ImageLoadPriority.LOW, 1))
    loader.scheduleLoad(request('normal', ImageLoadPriority.NORMAL, 0))
    loader.scheduleLoad(request('low-far', ImageLoadPriority.LOW, 5))
    expect(loader.cancelLeastUrgent(3).map((d) => d.id)).toEqual(['low-far', 'low-near', 'normal'])
    expect(loader.getPendingCount()).toBe(1)
    expect(loader.isPending('high')).toBe(true)
  })

  it('cancels the oldest first among requests of equal priority and rank', () => {
    const { loader, request } = tracked()
    for (const id of ['a', 'b', 'c', 'd']) loader.scheduleLoad(request(id, ImageLoadPriority.LOW, 2))
    expect(loader.cancelLeastUrgent(2).map((d) => d.id)).toEqual(['a', 'b'])
  })

  it('never cancels an active load, and cancels no more than is pending', async () => {
    const { loader, request, results } = tracked(2)
    loader.start()
    loader.scheduleLoad(request('first', ImageLoadPriority.LOW, 9))
    loader.scheduleLoad(request('second', ImageLoadPriority.LOW, 9))
    await flush()
    loader.scheduleLoad(request('queued', ImageLoadPriority.HIGH))
    expect(loader.getActiveCount()).toBe(2)
    expect(loader.cancelLeastUrgent(10)).toEqual([{ id: 'queued', textureId: 't' }])
    expect(loader.isActive('first') && loader.isActive('second')).toBe(true)
    expect(results.has('first') || results.has('second')).toBe(false)
    await loader.stop()
  })

  it('calls back the requests it cancels with null, counts them cancelled, and names their texture', () => {
    const { loader, request, results } = tracked()
    loader.scheduleLoad(request('x', ImageLoadPriority.LOW, 0, 'layer-2'))
    loader.scheduleLoad(request('x', ImageLoadPriority.LOW, 0, 'layer-2')) // dedup: two callbacks, one request
    expect(loader.cancelLeastUrgent(1)).toEqual([{ id: 'x', textureId: 'layer-2' }])
    expect(results.get('x')).toEqual([null, null])
    expect(loader.getCounters().cancelled).toBe(1)
    expect(loader.getPendingCount()).toBe(0)
  })

  it('follows a priority raised by scheduling an id again, and forgets what was cancelled for its texture', () => {
    const { loader, request } = tracked()
    loader.scheduleLoad(request('a', ImageLoadPriority.LOW))
    loader.scheduleLoad(request('b', ImageLoadPriority.NORMAL))
    loader.scheduleLoad(request('c', ImageLoadPriority.LOW, 0, 'other'))
    loader.scheduleLoad(request('a', ImageLoadPriority.HIGH))
    loader.cancelTexture('other')
    expect(loader.cancelLeastUrgent(1).map((d) => d.id)).toEqual(['b'])
  })

  it('starts again from an empty order after stop()', async () => {
    const { loader, request } = tracked()
    loader.scheduleLoad(request('a', ImageLoadPriority.LOW))
    await loader.stop()
    expect(loader.cancelLeastUrgent(5)).toEqual([])
    loader.scheduleLoad(request('b', ImageLoadPriority.LOW))
    expect(loader.cancelLeastUrgent(5).map((d) => d.id)).toEqual(['b'])
  })

  it('is refused by a loader that does not track the order', () => {
    expect(() => new AsyncImageLoader<string>().cancelLeastUrgent(1)).toThrow(/trackLeastUrgent/)
  })

  it('drops in the model order under random schedules, cancellations and drops', () => {
    type Op =
      | { kind: 'schedule'; name: number; texture: number; priority: ImageLoadPriority; rank: number }
      | { kind: 'cancel'; texture: number; keep: number[] }
      | { kind: 'drop'; count: number }
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('schedule' as const), name: fc.nat(11), texture: fc.nat(1), priority: fc.constantFrom(1, 2, 3) as fc.Arbitrary<ImageLoadPriority>, rank: fc.nat(2) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), texture: fc.nat(1), keep: fc.uniqueArray(fc.nat(11), { maxLength: 6 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), count: fc.nat(4) }) }
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { loader, request } = tracked()
        // The model: pending requests with the loader's dedup rule (more urgent priority wins; a new rank at equal priority).
        const model = new Map<string, { texture: string; priority: number; rank: number; sequence: number }>()
        let sequence = 0
        for (const o of ops) {
          if (o.kind === 'schedule') {
            const id = `n${o.name}`
            const texture = `t${o.texture}`
            const known = model.get(id)
            loader.scheduleLoad(request(id, o.priority, o.rank, known?.texture ?? texture))
            if (!known) model.set(id, { texture, priority: o.priority, rank: o.rank, sequence: sequence++ })
            else if (o.priority < known.priority || (o.priority === known.priority && o.rank !== known.rank)) Object.assign(known, { priority: o.priority, rank: o.rank })
          } else if (o.kind === 'cancel') {
            const keep = o.keep.map((n) => `n${n}`)
            loader.cancelObsoleteForTexture(`t${o.texture}`, keep)
            for (const [id, entry] of model) if (entry.texture === `t${o.texture}` && !keep.includes(id)) model.delete(id)
          } else {
            const expected = [...model.entries()]
              .sort(([, a], [, b]) => b.priority - a.priority || b.rank - a.rank || a.sequence - b.sequence)
              .slice(0, o.count)
              .map(([id]) => id)
            expect(loader.cancelLeastUrgent(o.count).map((d) => d.id)).toEqual(expected)
            for (const id of expected) model.delete(id)
          }
          expect(loader.getPendingCount()).toBe(model.size)
        }
      }),
      { numRuns: 300, seed: 42 }
    )
  })
})
