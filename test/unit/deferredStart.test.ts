/**
 * DeferredStart: the full decode of an in-memory raster starts when a fine tile is wanted, once the
 * overview served a tile and the tile pool then stayed idle, or at the latest after a while; once,
 * and never after the raster closed. Fake timers: the order of events is tested, not durations.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DeferredStart, type ForegroundPool } from '../../src/main/raster/deferredStart'

/** A tile pool whose jobs the test starts and ends. */
function fakePool(): ForegroundPool & { begin(): void; end(): void; listeners: number } {
  const listeners = new Set<() => void>()
  const pool = {
    busyCount: 0,
    queuedCount: 0,
    get listeners() {
      return listeners.size
    },
    onSlotFreed(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    begin() {
      pool.busyCount++
    },
    end() {
      pool.busyCount--
      for (const listener of [...listeners]) listener()
    }
  }
  return pool
}

const QUIET = 100
const LATEST = 5000

describe('DeferredStart', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('starts once the overview served a tile and the pool stayed idle for the quiet time', () => {
    const pool = fakePool()
    const run = vi.fn()
    const start = new DeferredStart(run, { pool, quietMs: QUIET, latestMs: LATEST })
    vi.advanceTimersByTime(QUIET * 3)
    expect(run).not.toHaveBeenCalled() // nothing served yet: the page has not asked
    start.served()
    vi.advanceTimersByTime(QUIET - 1)
    expect(run).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(run).toHaveBeenCalledTimes(1)
    expect(start.settled).toBe(true)
    expect(pool.listeners).toBe(0)
  })

  it('waits while the pool works, and counts the quiet time from the last job that ended', () => {
    const pool = fakePool()
    const run = vi.fn()
    const start = new DeferredStart(run, { pool, quietMs: QUIET, latestMs: LATEST })
    pool.begin() // another tile (or another file's overview) is being decoded
    start.served()
    vi.advanceTimersByTime(QUIET * 2)
    expect(run).not.toHaveBeenCalled()
    pool.end()
    vi.advanceTimersByTime(QUIET / 2)
    pool.begin()
    pool.end() // a job within the quiet time: it counts again
    vi.advanceTimersByTime(QUIET / 2)
    expect(run).not.toHaveBeenCalled()
    vi.advanceTimersByTime(QUIET / 2)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('does not start while a job that began during the quiet time still runs', () => {
    const pool = fakePool()
    const run = vi.fn()
    const start = new DeferredStart(run, { pool, quietMs: QUIET, latestMs: LATEST })
    start.served()
    pool.begin()
    vi.advanceTimersByTime(QUIET * 2)
    expect(run).not.toHaveBeenCalled()
    pool.end()
    vi.advanceTimersByTime(QUIET)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('starts at once when a fine tile is wanted, and only once', () => {
    const pool = fakePool()
    const run = vi.fn()
    const start = new DeferredStart(run, { pool, quietMs: QUIET, latestMs: LATEST })
    start.start()
    start.served()
    start.start()
    vi.advanceTimersByTime(LATEST * 2)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('starts at the latest after latestMs, even when nothing was asked (a hidden layer) or the pool stays busy', () => {
    for (const busy of [false, true]) {
      const pool = fakePool()
      if (busy) pool.begin()
      const run = vi.fn()
      const start = new DeferredStart(run, { pool, quietMs: QUIET, latestMs: LATEST })
      if (busy) start.served()
      vi.advanceTimersByTime(LATEST - 1)
      expect(run).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      expect(run).toHaveBeenCalledTimes(1)
      expect(pool.listeners).toBe(0)
    }
  })

  it('never starts once cancelled (the raster closed first)', () => {
    const pool = fakePool()
    const run = vi.fn()
    const start = new DeferredStart(run, { pool, quietMs: QUIET, latestMs: LATEST })
    start.served()
    start.cancel()
    start.start()
    vi.advanceTimersByTime(LATEST * 2)
    expect(run).not.toHaveBeenCalled()
    expect(start.settled).toBe(true)
    expect(pool.listeners).toBe(0)
  })
})
