/**
 * The loader and the real decode pool count as one (issue 12): the loader starts a job only when
 * a worker is free, a cancelled job keeps its worker (and its slot) until it ends, and the pool
 * never queues a tile, so that the loader's order is the order of decoding — whatever was
 * cancelled before. Real worker threads, `test:sleep` jobs standing in for decodes.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { AsyncImageLoader, ImageLoadPriority } from '../../src/main/loader'
import { LinePriority } from '../../src/main/pool/PoolLine'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let pool: DecodePool | null = null
let loader: AsyncImageLoader<number> | null = null
afterEach(async () => {
  await loader?.stop()
  await pool?.close()
  loader = null
  pool = null
})

/** A loader whose slots are the pool's workers, recording what the pool held at each start. */
function setUp(size: number) {
  const p = createDecodePool({ size, testHooks: true, name: 'test tile pool' })
  p.warm()
  const l = new AsyncImageLoader<number>({ maxWorkers: size, slots: p })
  l.start()
  pool = p
  loader = l
  /** Labels in the order their job reached a worker. */
  const decoded: string[] = []
  const violations: string[] = []
  const schedule = (label: string, priority: ImageLoadPriority, ms: number, textureId = 'view', done?: (r: number | null) => void): void => {
    l.scheduleLoad({
      id: label,
      textureId,
      priority,
      load: (signal) => {
        // A tile's place in the pool's line, as the loader's region, cut and jpeg-tile jobs have.
        const job = p.run<number>({ kind: 'test:sleep', ms }, { signal, priority: LinePriority.tile })
        decoded.push(label)
        const { busy, queued } = p.stats()
        if (queued !== 0) violations.push(`${label} started with ${queued} job(s) waiting in the pool`)
        if (busy > size) violations.push(`${label} started with ${busy} busy workers of ${size}`)
        return job
      },
      callback: (result) => done?.(result)
    })
  }
  return { pool: p, loader: l, decoded, violations, schedule }
}

/** Resolves once nothing is pending, running or decoding. */
async function idle(p: DecodePool, l: AsyncImageLoader<number>): Promise<void> {
  while (l.getPendingCount() > 0 || l.runningCount > 0 || p.busyCount > 0) await sleep(5)
}

describe('AsyncImageLoader on the real WorkerPool', () => {
  it('pool of 1, active load cancelled, then LOW and HIGH scheduled: HIGH is decoded first, and the pool never queues', async () => {
    const { pool: p, loader: l, decoded, violations, schedule } = setUp(1)
    schedule('first', ImageLoadPriority.NORMAL, 150, 'old view')
    await sleep(40)
    expect(l.cancelTexture('old view')).toBe(1)
    schedule('low', ImageLoadPriority.LOW, 10)
    schedule('high', ImageLoadPriority.HIGH, 10)
    await sleep(20)
    // The cancelled job still decodes: its worker, and so its slot, is taken.
    expect(p.stats()).toMatchObject({ busy: 1, queued: 0 })
    expect(l.getPendingCount()).toBe(2)
    await idle(p, l)
    expect(decoded).toEqual(['first', 'high', 'low'])
    expect(violations).toEqual([])
  })

  it('decodes HIGH before NORMAL before LOW after any sequence of cancels', async () => {
    type Step =
      | { kind: 'schedule'; priority: ImageLoadPriority; ms: number }
      | { kind: 'cancel-running' }
      | { kind: 'cancel-texture'; texture: number }
      | { kind: 'wait'; ms: number }
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('schedule' as const), priority: fc.constantFrom(1, 2, 3) as fc.Arbitrary<ImageLoadPriority>, ms: fc.integer({ min: 5, max: 40 }) }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'cancel-running' as const }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel-texture' as const), texture: fc.nat(2) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 30 }) }) }
    )
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 }), fc.array(step, { maxLength: 20 }), async (size, steps) => {
        const { pool: p, loader: l, decoded, violations, schedule } = setUp(size)
        /** Pending requests as the test knows them: label -> priority. */
        const pending = new Map<string, ImageLoadPriority>()
        const running = new Set<string>()
        const texture = new Map<string, number>()
        let next = 0
        const load = l.scheduleLoad.bind(l)
        // Wrap scheduling so that each start is checked against what was pending at that moment.
        l.scheduleLoad = (request) =>
          load({
            ...request,
            load: (signal) => {
              const priority = pending.get(request.id)!
              for (const [other, p2] of pending) if (p2 < priority) violations.push(`${request.id} (${priority}) started before ${other} (${p2})`)
              pending.delete(request.id)
              running.add(request.id)
              return Promise.resolve(request.load(signal)).finally(() => running.delete(request.id))
            }
          })
        for (const s of steps) {
          if (s.kind === 'schedule') {
            const label = `j${next++}`
            const t = next % 3
            pending.set(label, s.priority)
            texture.set(label, t)
            schedule(label, s.priority, s.ms, `t${t}`, (result) => {
              if (result === null) pending.delete(label)
            })
          } else if (s.kind === 'cancel-running') {
            for (const label of running) {
              if (l.isActive(label)) l.cancelObsoleteForTexture(`t${texture.get(label)}`, [...pending.keys()])
            }
          } else if (s.kind === 'cancel-texture') {
            l.cancelTexture(`t${s.texture}`)
          } else {
            await sleep(s.ms)
          }
          expect(p.stats().busy).toBeLessThanOrEqual(size)
          expect(p.stats().queued).toBe(0)
        }
        await idle(p, l)
        expect(violations).toEqual([])
        expect(new Set(decoded).size).toBe(decoded.length)
        await l.stop()
        await p.close()
        loader = null
        pool = null
      }),
      { numRuns: 12, seed: 12 }
    )
  })
})
