/**
 * The line of jobs waiting for a worker of a WorkerPool (jobs from outside the loader: opening a
 * raster): probes go first, then the rest, FIFO among equals; an explicit priority places a job.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DECODE_YIELD_MS, LinePriority } from '../../src/main/pool/PoolLine'
import type { DecodeJob } from '../../src/main/raster/decode/jobs'
import { createDecodePool, linePriority, type DecodePool } from '../../src/main/raster/decodePools'

describe('WorkerPool line', () => {
  let pool: DecodePool
  afterEach(async () => {
    await pool?.close()
  })

  it('puts probes before tiles, and tiles before overviews, decodes and pyramid builds', () => {
    expect(linePriority({ kind: 'probe', path: '/x.jpg' })).toBe(LinePriority.probe)
    for (const kind of ['region', 'cut', 'jpeg-tile'] as const) expect(linePriority({ kind } as DecodeJob)).toBe(LinePriority.tile)
    expect(linePriority({ kind: 'test:echo', value: 1 })).toBe(LinePriority.decode)
    expect(LinePriority.probe).toBeLessThan(LinePriority.tile)
    expect(LinePriority.tile).toBeLessThan(LinePriority.decode)
  })

  /** A listener for free slots that starts one tile job, as the loader does, when the pool says a worker is free. */
  function tileOnFreeSlot(p: DecodePool, order: string[]): Promise<void> {
    return new Promise((done) => {
      const unlisten = p.onSlotFreed(() => {
        // The loader pumps in a microtask, after the pool's own dispatch.
        queueMicrotask(() => {
          if (p.freeSlots === 0) return
          unlisten()
          void p.run({ kind: 'test:echo', value: 'tile' }, { priority: LinePriority.tile }).then(() => {
            order.push('tile')
            done()
          })
        })
      })
    })
  }

  it(`a long decode that just joined the line gives a freed worker to a tile first, then runs (by default for ${DECODE_YIELD_MS} ms)`, async () => {
    // A yield far longer than the job ahead, whatever the machine's load.
    pool = createDecodePool({ size: 1, testHooks: true, decodeYieldMs: 10_000 })
    const order: string[] = []
    const busy = pool.run({ kind: 'test:sleep', ms: 50 })
    const tile = tileOnFreeSlot(pool, order)
    const decode = pool.run({ kind: 'test:echo', value: 'decode' }).then(() => order.push('decode'))
    expect(pool.freeSlots, 'the waiting decode does not claim the worker from tiles').toBe(0) // the worker is busy
    await Promise.all([busy, tile, decode])
    expect(order).toEqual(['tile', 'decode'])
  })

  it('a decode that waited its yield time goes before tiles', async () => {
    pool = createDecodePool({ size: 1, testHooks: true, decodeYieldMs: 20 })
    await pool.run({ kind: 'test:echo', value: 'started' }) // its worker running
    const order: string[] = []
    const busy = pool.run({ kind: 'test:sleep', ms: 300 })
    const decode = pool.run({ kind: 'test:echo', value: 'decode' }).then(() => order.push('decode'))
    const tile = tileOnFreeSlot(pool, order)
    await Promise.all([busy, decode, tile])
    expect(order).toEqual(['decode', 'tile'])
  })

  it('starts waiting jobs most urgent first, FIFO among equals', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const order: string[] = []
    const busy = pool.run({ kind: 'test:sleep', ms: 200 })
    const jobs = [
      ['decode 1', LinePriority.decode],
      ['probe 1', LinePriority.probe],
      ['decode 2', LinePriority.decode],
      ['probe 2', LinePriority.probe]
    ] as const
    const runs = jobs.map(([name, priority]) => pool.run({ kind: 'test:echo', value: name }, { priority }).then(() => order.push(name)))
    expect(pool.queuedCount).toBe(4)
    await Promise.all([busy, ...runs])
    expect(order).toEqual(['probe 1', 'probe 2', 'decode 1', 'decode 2'])
  })

  it('starts a probe given after an overview decode before it, by default', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const order: string[] = []
    const busy = pool.run({ kind: 'test:sleep', ms: 200 })
    const decode = pool.run({ kind: 'test:echo', value: 'decode' }).then(() => order.push('decode'))
    // A probe of a file that is not there: it fails, and its place in the line is what is checked.
    const probe = pool.run({ kind: 'probe', path: '/nonexistent/tessera-line-test.jpg' }).catch(() => order.push('probe'))
    await Promise.all([busy, decode, probe])
    expect(order).toEqual(['probe', 'decode'])
  })
})
