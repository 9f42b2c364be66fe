import { afterEach, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/main/pool'
import { createDecodePool, decodeWorker, type DecodePool } from '../../src/main/raster/decodePools'

describe('WorkerPool', () => {
  let pool: DecodePool
  afterEach(async () => {
    await pool?.close()
  })

  it('runs serialisable jobs on worker threads and returns their results', async () => {
    pool = createDecodePool({ size: 2, testHooks: true })
    expect(pool.size).toBe(2)
    await expect(pool.run({ kind: 'test:echo', value: { a: [1, 2] } })).resolves.toEqual({ a: [1, 2] })
  })

  it('fails only the job of a worker that exits, and the next job succeeds', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const crash = pool.run({ kind: 'test:exit', code: 3 })
    const next = pool.run({ kind: 'test:echo', value: 'after' })
    await expect(crash).rejects.toThrow(/exited with code 3 while running a test:exit job/)
    await expect(next).resolves.toBe('after')
    expect(pool.stats().replaced).toBe(1)
  })

  it('fails only the job of a worker that throws outside any job', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const crash = pool.run({ kind: 'test:throw', message: 'boom in worker' })
    await expect(crash).rejects.toThrow(/threw boom in worker/)
    await expect(pool.run({ kind: 'test:echo', value: 1 })).resolves.toBe(1)
  })

  it('takes a cancelled queued job out of the queue', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const busy = pool.run({ kind: 'test:sleep', ms: 300 })
    const controller = new AbortController()
    const queued = pool.run({ kind: 'test:echo', value: 'never' }, { signal: controller.signal })
    expect(pool.queuedCount).toBe(1)
    controller.abort()
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' })
    expect(pool.queuedCount).toBe(0)
    await expect(busy).resolves.toBe(300)
  })

  it('discards the result of a cancelled running job, and its worker goes on', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const controller = new AbortController()
    const running = pool.run({ kind: 'test:sleep', ms: 200 }, { signal: controller.signal })
    await new Promise((resolve) => setTimeout(resolve, 20))
    controller.abort()
    await expect(running).rejects.toMatchObject({ name: 'AbortError' })
    await expect(pool.run({ kind: 'test:echo', value: 'next' })).resolves.toBe('next')
    expect(pool.stats().replaced).toBe(0)
  })

  it('ends the worker of a cancelled long job and replaces it', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const controller = new AbortController()
    const long = pool.run({ kind: 'test:sleep', ms: 60_000 }, { signal: controller.signal, terminateOnAbort: true })
    await new Promise((resolve) => setTimeout(resolve, 20))
    controller.abort()
    await expect(long).rejects.toMatchObject({ name: 'AbortError' })
    await expect(pool.run({ kind: 'test:echo', value: 'fresh' })).resolves.toBe('fresh')
    expect(pool.stats().replaced).toBe(1)
  })

  it('rejects what is left on close, ends every worker, and closes only once', async () => {
    pool = createDecodePool({ size: 1, testHooks: true })
    const running = pool.run({ kind: 'test:sleep', ms: 60_000 })
    const queued = pool.run({ kind: 'test:echo', value: 1 })
    const answers = Promise.all([expect(running).rejects.toThrow(/closed/), expect(queued).rejects.toThrow(/closed/)])
    await pool.close()
    await answers
    expect(pool.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0 })
    await pool.close()
    await expect(pool.run({ kind: 'test:echo', value: 1 })).rejects.toThrow(/closed/)
  })

  it('starts every worker on warm(), once, and none after close', async () => {
    pool = createDecodePool({ size: 2, testHooks: true })
    expect(pool.stats().workers).toBe(0)
    pool.warm()
    pool.warm()
    expect(pool.stats().workers).toBe(2)
    await expect(Promise.all([pool.run({ kind: 'test:echo', value: 1 }), pool.run({ kind: 'test:echo', value: 2 })])).resolves.toEqual([1, 2])
    expect(pool.stats().workers).toBe(2)
    await pool.close()
    pool.warm()
    expect(pool.stats().workers).toBe(0)
  })

  it('refuses test jobs in workers started without test hooks', async () => {
    pool = createDecodePool({ size: 1 })
    await expect(pool.run({ kind: 'test:echo', value: 1 })).rejects.toThrow(/testHooks/)
  })

  it('rejects a size that is not a positive integer, naming it', () => {
    expect(() => new WorkerPool({ worker: decodeWorker, size: 0 })).toThrow('Expected positive integer for size but received 0 of type number')
  })
})
