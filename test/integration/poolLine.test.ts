/**
 * The line of jobs waiting for a worker of a WorkerPool (jobs from outside the loader: opening a
 * raster): probes go first, then the rest, FIFO among equals; an explicit priority places a job.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/main/pool'
import { LinePriority, linePriority } from '../../src/main/pool/WorkerPool'

describe('WorkerPool line', () => {
  let pool: WorkerPool
  afterEach(async () => {
    await pool?.close()
  })

  it('puts probes before overviews, decodes and pyramid builds', () => {
    expect(linePriority({ kind: 'probe', path: '/x.jpg' })).toBe(LinePriority.probe)
    expect(linePriority({ kind: 'test:echo', value: 1 })).toBe(LinePriority.decode)
    expect(LinePriority.probe).toBeLessThan(LinePriority.decode)
  })

  it('starts waiting jobs most urgent first, FIFO among equals', async () => {
    pool = new WorkerPool({ size: 1, testHooks: true })
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
    pool = new WorkerPool({ size: 1, testHooks: true })
    const order: string[] = []
    const busy = pool.run({ kind: 'test:sleep', ms: 200 })
    const decode = pool.run({ kind: 'test:echo', value: 'decode' }).then(() => order.push('decode'))
    // A probe of a file that is not there: it fails, and its place in the line is what is checked.
    const probe = pool.run({ kind: 'probe', path: '/nonexistent/tessera-line-test.jpg' }).catch(() => order.push('probe'))
    await Promise.all([busy, decode, probe])
    expect(order).toEqual(['probe', 'decode'])
  })
})
