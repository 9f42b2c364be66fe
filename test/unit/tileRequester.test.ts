import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { TileRequester, type TileCounters } from '../../src/renderer/view/TileRequester'
import { TileLatency } from '../../src/renderer/view/CameraMotion'
import type { TileRequest } from '../../src/shared/protocol'
import { ImageLoadPriority } from '../../src/shared/priority'
import { isRetriedLater, retryDelayMs } from '../../src/renderer/view/tileRetry'

function setup(options: { room?: number; fresh?: Set<string> } = {}) {
  const sent: TileRequest[][] = []
  const cancels: string[][] = []
  const counters: TileCounters = { requested: 0, displayed: 0, cancelled: 0, wasted: 0, late: 0 }
  const latency = new TileLatency(100)
  let clock = 0
  const room = { value: options.room ?? Infinity }
  const fresh = options.fresh ?? new Set<string>()
  const requester: TileRequester = new TileRequester('r1', {
    transport: {
      requestTiles: (_id, tiles) => sent.push(tiles),
      cancelObsolete: (_id, keep) => cancels.push([...keep])
    },
    counters,
    latency,
    room: () => room.value - requester.pendingCount,
    isFresh: (key) => fresh.has(key),
    now: () => clock
  })
  return { requester, sent, cancels, counters, latency, room, fresh, tick: (ms: number) => (clock += ms) }
}

const req = (col: number, priority: TileRequest['priority'] = ImageLoadPriority.HIGH, level = 0): TileRequest => ({ level, col, row: 0, priority, rank: col })
const key = (col: number, level = 0): string => `${level}/${col}/0`

describe('TileRequester', () => {
  it('asks for what the flow allows and sends the rest as tiles arrive', () => {
    const { requester, sent, counters } = setup({ room: 2 })
    requester.plan(new Set([key(0), key(1), key(2)]), [req(0), req(1), req(2)])
    expect(sent).toEqual([[req(0), req(1)]])
    expect(requester.stateOf(key(0))).toBe('requested')
    expect(requester.stateOf(key(2))).toBeUndefined()
    expect(requester.arrived(key(0))).toEqual({ wanted: true, generation: 0 })
    expect(sent[1]).toEqual([req(2)])
    expect(counters.requested).toBe(3)
    expect(requester.pendingCount).toBe(2)
  })

  it('withdraws in-flight tiles the plan no longer keeps, with one cancelObsolete naming what it keeps', () => {
    const { requester, cancels, counters } = setup()
    requester.plan(new Set([key(0), key(1)]), [req(0), req(1)])
    requester.plan(new Set([key(1), key(5)]), [req(5)])
    expect(cancels).toEqual([['r1/0/1/0', 'r1/0/5/0']])
    expect(counters.cancelled).toBe(1)
    expect(requester.stateOf(key(0))).toBe('withdrawn')
    expect(requester.isOutstanding(key(0))).toBe(false)
    // A plan that withdraws nothing sends no cancel.
    requester.plan(new Set([key(1), key(5)]), [])
    expect(cancels).toHaveLength(1)
  })

  it('keeps a withdrawn tile that arrives anyway (late, not wasted), and still times it', () => {
    const { requester, counters, latency, tick } = setup()
    requester.plan(new Set([key(0)]), [req(0)])
    tick(500)
    requester.plan(new Set(), [])
    tick(500)
    const before = latency.ms
    expect(requester.arrived(key(0))).toEqual({ wanted: false, keep: true, generation: 0 })
    expect(counters).toMatchObject({ wasted: 0, late: 1 })
    expect(latency.ms).toBeGreaterThan(before) // 1000 ms since it was asked for, above the 100 ms estimate
    expect(requester.stateOf(key(0))).toBeUndefined()
    // Arriving twice: the second is waste.
    expect(requester.arrived(key(0))).toEqual({ wanted: false, keep: false })
    // A tile never asked for is waste too.
    expect(requester.arrived(key(9))).toEqual({ wanted: false, keep: false })
    expect(counters).toMatchObject({ wasted: 2, late: 1 })
  })

  it('wastes a withdrawn tile asked for before the raster changed', () => {
    const { requester, counters } = setup()
    requester.plan(new Set([key(0)]), [req(0)])
    requester.plan(new Set(), [])
    requester.nextGeneration()
    expect(requester.arrived(key(0))).toEqual({ wanted: false, keep: false })
    expect(counters).toMatchObject({ wasted: 1, late: 1 })
  })

  it('does not ask again for a tile in flight that a plan still wants, when it arrives', () => {
    const { requester, sent } = setup({ room: 2 })
    requester.plan(new Set([key(6)]), [req(6)])
    // Wanted again while in flight, behind a tile the flow lets through first.
    requester.plan(new Set([key(0), key(6)]), [req(0), req(6)])
    expect(requester.arrived(key(6))).toEqual({ wanted: true, generation: 0 })
    expect(sent).toEqual([[req(6)], [req(0)]])
  })

  it('stamps the generation when a tile is asked for: one asked before the raster changed arrives stale', () => {
    const { requester } = setup()
    requester.plan(new Set([key(0)]), [req(0)])
    requester.nextGeneration()
    expect(requester.generation).toBe(1)
    expect(requester.arrived(key(0))).toEqual({ wanted: true, generation: 0 })
    requester.plan(new Set([key(0)]), [req(0)])
    expect(requester.arrived(key(0))).toEqual({ wanted: true, generation: 1 })
  })

  it('does not ask again for a failed tile until the raster changes; an overloaded one is asked again', () => {
    const { requester, sent } = setup()
    requester.plan(new Set([key(0), key(1)]), [req(0), req(1)])
    requester.failed(key(0), 'decode-failed')
    requester.failed(key(1), 'overloaded')
    expect(requester.stateOf(key(0))).toBe('failed')
    expect(requester.isOutstanding(key(0))).toBe(true)
    expect(requester.stateOf(key(1))).toBeUndefined()
    requester.plan(new Set([key(0), key(1)]), [req(0), req(1)])
    expect(sent.at(-1)).toEqual([req(1)])
    requester.nextGeneration()
    requester.plan(new Set([key(0), key(1)]), [req(0), req(1)])
    expect(sent.at(-1)).toEqual([req(0)])
    // A failure reported for a tile not in flight (withdrawn meanwhile) changes nothing.
    requester.plan(new Set(), [])
    requester.failed(key(0), 'decode-failed')
    expect(requester.stateOf(key(0))).toBe('withdrawn')
  })

  it('marks a tile that arrived unusable as failed', () => {
    const { requester } = setup()
    requester.plan(new Set([key(0)]), [req(0)])
    requester.arrived(key(0))
    requester.unusable(key(0))
    expect(requester.stateOf(key(0))).toBe('failed')
  })

  it('skips tiles already fresh in the cache', () => {
    const { requester, sent } = setup({ fresh: new Set([key(0)]) })
    requester.plan(new Set([key(0), key(1)]), [req(0), req(1)])
    expect(sent).toEqual([[req(1)]])
  })

  it('asks for nothing while the connection is lost, and forgets what died with it', () => {
    const { requester, sent, cancels } = setup()
    requester.plan(new Set([key(0)]), [req(0)])
    requester.suspend()
    expect(requester.served).toBe(false)
    expect(requester.pendingCount).toBe(0)
    requester.plan(new Set([key(1)]), [req(1)])
    expect(sent).toHaveLength(1)
    expect(cancels).toHaveLength(0) // nothing in flight to withdraw on a connection that is gone
    requester.resume()
    requester.plan(new Set([key(1)]), [req(1)])
    expect(sent.at(-1)).toEqual([req(1)])
  })

  it('withdraws everything when hidden, and once closed every arrival is waste', () => {
    const { requester, cancels, counters } = setup()
    requester.plan(new Set([key(0), key(1)]), [req(0), req(1)])
    requester.withdrawAll()
    expect(cancels).toEqual([[]])
    expect(counters.cancelled).toBe(2)
    requester.withdrawAll()
    expect(cancels).toHaveLength(1)
    requester.plan(new Set([key(2)]), [req(2)])
    requester.close()
    requester.close()
    expect(cancels).toHaveLength(2)
    expect(requester.arrived(key(2))).toEqual({ wanted: false, keep: false })
    requester.plan(new Set([key(3)]), [req(3)])
    expect(requester.pendingCount).toBe(0)
  })

  it('never has a tile requested twice at once, and its counters match what it sent (any sequence)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('plan' as const), cols: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 6 }) }),
      fc.record({ kind: fc.constant('arrive' as const), col: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('fail' as const), col: fc.integer({ min: 0, max: 7 }), code: fc.constantFrom('overloaded' as const, 'decode-failed' as const, 'unavailable' as const) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
      fc.record({ kind: fc.constant('generation' as const) }),
      fc.record({ kind: fc.constant('hide' as const) }),
      fc.record({ kind: fc.constant('reconnect' as const) }),
      fc.record({ kind: fc.constant('unusable' as const), col: fc.integer({ min: 0, max: 7 }) })
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (ops, room) => {
        const { requester, sent, counters, fresh, tick } = setup({ room })
        const inFlight = new Set<string>()
        for (const o of ops) {
          const before = sent.length
          if (o.kind === 'plan') {
            const keep = new Set(o.cols.map((c) => key(c)))
            for (const k of [...inFlight]) if (!keep.has(k)) inFlight.delete(k)
            requester.plan(keep, o.cols.map((c) => req(c)))
          } else if (o.kind === 'arrive') {
            const arrival = requester.arrived(key(o.col))
            expect(arrival.wanted).toBe(inFlight.has(key(o.col)))
            // The layer caches what is wanted, and what is kept (withdrawn on its way, still current).
            if (arrival.wanted || arrival.keep) fresh.add(key(o.col))
            inFlight.delete(key(o.col))
          } else if (o.kind === 'fail') {
            requester.failed(key(o.col), o.code)
            inFlight.delete(key(o.col))
          } else if (o.kind === 'wait') {
            tick(o.ms)
          } else if (o.kind === 'generation') {
            requester.nextGeneration()
            fresh.clear()
          } else if (o.kind === 'hide') {
            requester.withdrawAll()
            inFlight.clear()
          } else if (o.kind === 'reconnect') {
            requester.suspend()
            requester.resume()
            inFlight.clear()
          } else {
            requester.unusable(key(o.col))
            inFlight.delete(key(o.col))
          }
          for (const batch of sent.slice(before)) {
            for (const r of batch) {
              expect(inFlight.has(key(r.col))).toBe(false)
              expect(fresh.has(key(r.col))).toBe(false)
              inFlight.add(key(r.col))
            }
          }
          expect(requester.pendingCount).toBe(inFlight.size)
        }
        expect(counters.requested).toBe(sent.flat().length)
      }),
      { numRuns: 2_000 }
    )
  })
})

describe('TileRequester, a tile whose server failed for now (unavailable)', () => {
  /** Fails tile `col`, in flight, with `code`. */
  const fail = (requester: TileRequester, col: number, code: Parameters<TileRequester['failed']>[1] = 'unavailable'): void => {
    expect(requester.stateOf(key(col))).toBe('requested')
    requester.failed(key(col), code)
  }
  /** The planner's part: what it would ask for now (wanted and not outstanding), and the plan. */
  const planWanting = (requester: TileRequester, cols: number[]): void => {
    requester.plan(new Set(cols.map((c) => key(c))), cols.filter((c) => !requester.isOutstanding(key(c))).map((c) => req(c)))
  }

  it('is asked again by the first plan that wants it once its wait (1 s) has passed, not before', () => {
    const { requester, sent, tick } = setup()
    planWanting(requester, [0])
    fail(requester, 0)
    expect(requester.stateOf(key(0))).toBe('failed')
    expect(requester.pendingCount).toBe(0)
    tick(999)
    expect(requester.isOutstanding(key(0))).toBe(true)
    planWanting(requester, [0])
    expect(sent).toHaveLength(1)
    tick(1)
    expect(requester.isOutstanding(key(0)), 'due: the planner asks for it').toBe(false)
    planWanting(requester, [0])
    expect(sent).toEqual([[req(0)], [req(0)]])
    expect(requester.stateOf(key(0))).toBe('requested')
  })

  it('is not asked again while no plan wants it, and no frame is due for it; wanted again after its wait, it is asked at once', () => {
    const { requester, sent, tick } = setup()
    planWanting(requester, [0])
    fail(requester, 0)
    planWanting(requester, [1]) // the view moved away
    expect(requester.nextRetryAt(), 'a tile no plan wants wakes no frame').toBeNull()
    tick(5_000)
    planWanting(requester, [1])
    expect(sent.flat().filter((r) => r.col === 0)).toHaveLength(1)
    planWanting(requester, [0, 1])
    expect(sent.at(-1)).toEqual([req(0)])
  })

  it('says when a frame is due for the first tile the last plan wants (the viewer plans then), and nothing once it was asked', () => {
    const { requester, tick } = setup()
    planWanting(requester, [0, 1])
    fail(requester, 0)
    tick(300)
    fail(requester, 1)
    planWanting(requester, [0, 1])
    expect(requester.nextRetryAt()).toBe(1000)
    tick(700)
    planWanting(requester, [0, 1]) // asks tile 0 again
    expect(requester.stateOf(key(0))).toBe('requested')
    expect(requester.nextRetryAt()).toBe(1300)
    // A hidden or covered layer withdraws everything: no frame is due for it.
    requester.withdrawAll()
    expect(requester.nextRetryAt()).toBeNull()
  })

  it('waits twice as long after each failure in a row: 1 s, 2 s, 4 s … at most 30 s', () => {
    const { requester, sent, tick } = setup()
    planWanting(requester, [0])
    const waits: number[] = []
    for (let attempt = 0; attempt < 8; attempt++) {
      fail(requester, 0)
      expect(requester.nextRetryAt()).not.toBeNull()
      // Just before its time it is not asked; at its time it is.
      let waited = 0
      while (requester.stateOf(key(0)) === 'failed' && waited < 60_000) {
        tick(250)
        waited += 250
        planWanting(requester, [0])
      }
      waits.push(waited)
      expect(requester.stateOf(key(0))).toBe('requested')
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
    expect(sent).toHaveLength(9)
  })

  it('starts again from 1 s once it loads', () => {
    const { requester, tick } = setup()
    planWanting(requester, [0])
    fail(requester, 0)
    tick(1000)
    planWanting(requester, [0])
    fail(requester, 0) // second in a row: 2 s
    tick(2000)
    planWanting(requester, [0])
    expect(requester.arrived(key(0))).toEqual({ wanted: true, generation: 0 })
    expect(requester.stateOf(key(0))).toBeUndefined()
    tick(10_000)
    planWanting(requester, [0])
    fail(requester, 0)
    expect(requester.nextRetryAt()).toBe(13_000 + 1000)
  })

  it('is forgotten when the raster changes (asked at once, its count from 0)', () => {
    const { requester, sent, tick } = setup()
    planWanting(requester, [0])
    fail(requester, 0)
    tick(1000)
    planWanting(requester, [0])
    fail(requester, 0)
    requester.nextGeneration()
    planWanting(requester, [0])
    expect(sent).toHaveLength(3)
    fail(requester, 0)
    expect(requester.nextRetryAt()).toBe(1000 + 1000)
  })

  it('goes as the flow allows, behind nothing: a due retry the flow holds back waits in the queue', () => {
    const { requester, sent, room, tick } = setup({ room: 1 })
    planWanting(requester, [0])
    fail(requester, 0)
    planWanting(requester, [0, 1]) // tile 1 takes the one place
    expect(sent).toEqual([[req(0)], [req(1)]])
    tick(1000)
    planWanting(requester, [0, 1])
    expect(sent).toHaveLength(2)
    expect(requester.nextRetryAt(), 'due already: the arrival that frees the flow sends it').toBeNull()
    room.value = 1
    requester.arrived(key(1))
    expect(sent.at(-1)).toEqual([req(0)])
  })

  it('is not asked again for any other failure: a decode error, a refused layout, a file deleted', () => {
    for (const code of ['decode-failed', 'open-failed', 'file-deleted', 'internal', 'out-of-range'] as const) {
      const { requester, sent, tick } = setup()
      planWanting(requester, [0])
      fail(requester, 0, code)
      expect(requester.nextRetryAt(), code).toBeNull()
      tick(60_000)
      planWanting(requester, [0])
      expect(sent, code).toHaveLength(1)
      expect(requester.isOutstanding(key(0)), code).toBe(true)
    }
  })

  it("an overloaded tile is still only no longer in flight: asked again by the next plan, with no wait", () => {
    const { requester, sent } = setup()
    planWanting(requester, [0])
    fail(requester, 0, 'overloaded')
    expect(requester.nextRetryAt()).toBeNull()
    planWanting(requester, [0])
    expect(sent).toEqual([[req(0)], [req(0)]])
  })
})

describe('retryDelayMs', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100, 2000].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000])
  })

  it('refuses a count that is not a positive integer, naming it', () => {
    expect(() => retryDelayMs(0)).toThrow('Expected a positive integer for failures but received 0')
    expect(() => retryDelayMs(1.5)).toThrow(RangeError)
  })

  it('retries only unavailable', () => {
    expect(isRetriedLater('unavailable')).toBe(true)
    for (const code of ['overloaded', 'decode-failed', 'internal', undefined] as const) expect(isRetriedLater(code)).toBe(false)
  })
})
