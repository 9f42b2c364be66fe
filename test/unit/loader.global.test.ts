/** The process-wide loader (the seed's `get_global_loader` / `stop_global_loader`). */
import { afterEach, describe, expect, it } from 'vitest'
import { getGlobalLoader, stopGlobalLoader } from '../../src/main/loader'

afterEach(async () => {
  await stopGlobalLoader()
})

describe('getGlobalLoader', () => {
  it('returns the same started loader on every call', () => {
    const first = getGlobalLoader()
    expect(getGlobalLoader()).toBe(first)
    expect(first.isStarted).toBe(true)
  })

  it('uses 4 workers when the first call gives none', () => {
    expect(getGlobalLoader().maxWorkers).toBe(4)
  })

  it('counts maxWorkers on the first creation only', () => {
    const first = getGlobalLoader(2)
    expect(first.maxWorkers).toBe(2)
    expect(getGlobalLoader(8)).toBe(first)
    expect(getGlobalLoader(8).maxWorkers).toBe(2)
  })

  it('rejects an invalid maxWorkers on first creation and creates nothing', () => {
    expect(() => getGlobalLoader(0)).toThrow('Expected positive integer for maxWorkers but received 0 of type number')
    expect(getGlobalLoader(3).maxWorkers).toBe(3)
  })

  it('creates a new loader, counting maxWorkers again, after stopGlobalLoader', async () => {
    const first = getGlobalLoader(2)
    await stopGlobalLoader()
    expect(first.isStarted).toBe(false)
    const second = getGlobalLoader(5)
    expect(second).not.toBe(first)
    expect(second.maxWorkers).toBe(5)
    expect(second.isStarted).toBe(true)
  })

  it('stopGlobalLoader cancels the pending loads of the loader it stops', async () => {
    const loader = getGlobalLoader<string>(1)
    const results: Array<string | null> = []
    let release!: () => void
    loader.scheduleLoad({
      id: 'slow',
      textureId: 't',
      load: () => new Promise<string>((resolve) => (release = () => resolve('slow'))),
      callback: (r) => results.push(r)
    })
    loader.scheduleLoad({ id: 'queued', textureId: 't', load: () => 'queued', callback: (r) => results.push(r) })
    await new Promise((resolve) => setImmediate(resolve))
    const stopped = stopGlobalLoader()
    release()
    await stopped
    expect(results).toEqual([null, null])
    expect(loader.getPendingCount()).toBe(0)
  })

  it('stopGlobalLoader does nothing when there is no global loader', async () => {
    await expect(stopGlobalLoader()).resolves.toBeUndefined()
    await expect(stopGlobalLoader()).resolves.toBeUndefined()
  })
})
