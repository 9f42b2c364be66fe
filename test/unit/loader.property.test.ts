/**
 * Property test: random sequences of schedule / cancel / start / stop / complete-a-load, run
 * against AsyncImageLoader and against a plain model of the contract (DESIGN.md §1). Loads are
 * deferred promises that the test settles, so the model predicts exactly which load starts when.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AsyncImageLoader, type ImageLoadPriority } from '../../src/main/loader'

type Action =
  | { kind: 'schedule'; texture: number; name: number; priority: ImageLoadPriority; rank: number }
  | { kind: 'cancel'; texture: number; keep: number[] }
  | { kind: 'start' }
  | { kind: 'stop' }
  | { kind: 'complete'; index: number; outcome: 'ok' | 'fail' | 'null' }

const TEXTURES = 2
const NAMES = 4

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('schedule' as const),
      texture: fc.nat(TEXTURES - 1),
      name: fc.nat(NAMES - 1),
      priority: fc.constantFrom(1, 2, 3) as fc.Arbitrary<ImageLoadPriority>,
      rank: fc.nat(2)
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      texture: fc.nat(TEXTURES - 1),
      keep: fc.uniqueArray(fc.nat(NAMES - 1), { maxLength: NAMES })
    })
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'start' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stop' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      index: fc.nat(7),
      outcome: fc.constantFrom('ok' as const, 'fail' as const, 'null' as const)
    })
  }
)

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const idOf = (texture: number, name: number): string => `t${texture}/n${name}`
const textureOf = (id: string): string => id.slice(0, id.indexOf('/'))

/** What a callback received, as comparable data. */
interface Outcome {
  result: string | null
  error: string | null
}

interface ModelPending {
  priority: number
  rank: number
  sequence: number
  /** The schedule call whose load function will run. */
  loadCall: number
  calls: number[]
}

interface RunningLoad {
  id: string
  loadCall: number
  /** Set by the model when the load was cancelled or stopped while running. */
  cancelled: boolean
}

/** The contract, written as plainly as possible. */
class Model {
  started = false
  pending = new Map<string, ModelPending>()
  active = new Map<string, { calls: number[]; loadCall: number }>()
  running: RunningLoad[] = []
  expected = new Map<number, Outcome>()
  cancelledLoadCalls = new Set<number>()
  private sequence = 0

  constructor(readonly maxWorkers: number) {}

  schedule(call: number, id: string, priority: number, rank: number): void {
    const active = this.active.get(id)
    if (active) {
      active.calls.push(call)
      return
    }
    const pending = this.pending.get(id)
    if (pending) {
      pending.calls.push(call)
      if (priority < pending.priority || (priority === pending.priority && rank !== pending.rank)) {
        pending.priority = priority
        pending.rank = rank
      }
      return
    }
    this.pending.set(id, { priority, rank, sequence: this.sequence++, loadCall: call, calls: [call] })
  }

  /** Returns the running loads it cancelled (their signals must be aborted). */
  cancel(texture: string, keep: Set<string>): { count: number; aborted: RunningLoad[] } {
    let count = 0
    const aborted: RunningLoad[] = []
    for (const [id, pending] of [...this.pending]) {
      if (textureOf(id) !== texture || keep.has(id)) continue
      this.pending.delete(id)
      this.cancelledLoadCalls.add(pending.loadCall)
      this.resolveCalls(pending.calls, { result: null, error: null })
      count++
    }
    for (const [id, active] of [...this.active]) {
      if (textureOf(id) !== texture || keep.has(id)) continue
      aborted.push(this.abort(id, active))
      count++
    }
    return { count, aborted }
  }

  stop(): RunningLoad[] {
    this.started = false
    for (const pending of this.pending.values()) {
      this.cancelledLoadCalls.add(pending.loadCall)
      this.resolveCalls(pending.calls, { result: null, error: null })
    }
    this.pending.clear()
    return [...this.active].map(([id, active]) => this.abort(id, active))
  }

  /** The running load at `index` ends with `outcome`. */
  complete(index: number, outcome: Outcome): void {
    const [load] = this.running.splice(index, 1)
    if (!load || load.cancelled) return
    const active = this.active.get(load.id)!
    this.active.delete(load.id)
    this.resolveCalls(active.calls, outcome)
  }

  /** Starts what the loader must start now: most urgent first, up to maxWorkers running. */
  pump(): void {
    while (this.started && this.running.length < this.maxWorkers && this.pending.size > 0) {
      let bestId = ''
      let best: ModelPending | undefined
      for (const [id, p] of this.pending) {
        const before = best && (p.priority - best.priority || p.rank - best.rank || p.sequence - best.sequence) < 0
        if (!best || before) {
          best = p
          bestId = id
        }
      }
      this.pending.delete(bestId)
      this.active.set(bestId, { calls: best!.calls, loadCall: best!.loadCall })
      this.running.push({ id: bestId, loadCall: best!.loadCall, cancelled: false })
    }
  }

  private abort(id: string, active: { calls: number[]; loadCall: number }): RunningLoad {
    this.active.delete(id)
    const load = this.running.find((r) => r.id === id && !r.cancelled)!
    load.cancelled = true
    this.resolveCalls(active.calls, { result: null, error: null })
    return load
  }

  private resolveCalls(calls: number[], outcome: Outcome): void {
    for (const call of calls) this.expected.set(call, outcome)
  }
}

interface RealLoad {
  id: string
  loadCall: number
  signal: AbortSignal
  resolve: (value: string | null) => void
  reject: (error: Error) => void
}

async function runScenario(maxWorkers: number, actions: Action[]): Promise<void> {
  const loader = new AsyncImageLoader<string>({
    maxWorkers,
    onCallbackError: (error) => {
      throw error
    }
  })
  const model = new Model(maxWorkers)
  const realRunning: RealLoad[] = []
  const received = new Map<number, Outcome[]>()
  const violations: string[] = []
  const stops: Array<Promise<void>> = []
  let calls = 0
  let maxConcurrent = 0

  const check = (): void => {
    model.pump()
    expect(violations).toEqual([])
    expect(realRunning.map((r) => [r.id, r.loadCall])).toEqual(model.running.map((r) => [r.id, r.loadCall]))
    expect(loader.getPendingCount()).toBe(model.pending.size)
    expect(loader.getActiveCount()).toBe(model.active.size)
    const receivedByCall: Outcome[][] = []
    const expectedByCall: Outcome[][] = []
    for (let call = 0; call < calls; call++) {
      const expected = model.expected.get(call)
      receivedByCall.push(received.get(call) ?? [])
      expectedByCall.push(expected ? [expected] : [])
    }
    expect(receivedByCall).toEqual(expectedByCall)
    expect(maxConcurrent).toBeLessThanOrEqual(maxWorkers)
  }

  for (const action of actions) {
    switch (action.kind) {
      case 'schedule': {
        const call = calls++
        const id = idOf(action.texture, action.name)
        model.schedule(call, id, action.priority, action.rank)
        loader.scheduleLoad({
          id,
          textureId: `t${action.texture}`,
          priority: action.priority,
          rank: action.rank,
          load: (signal) => {
            if (model.cancelledLoadCalls.has(call)) violations.push(`load of call ${call} (${id}) ran after its cancellation`)
            return new Promise<string | null>((resolve, reject) => {
              realRunning.push({ id, loadCall: call, signal, resolve, reject })
              maxConcurrent = Math.max(maxConcurrent, realRunning.length)
            })
          },
          callback: (result, error) => {
            const list = received.get(call) ?? []
            list.push({ result, error: error?.message ?? null })
            received.set(call, list)
          }
        })
        break
      }
      case 'cancel': {
        const keep = new Set(action.keep.map((name) => idOf(action.texture, name)))
        const { count, aborted } = model.cancel(`t${action.texture}`, keep)
        expect(loader.cancelObsoleteForTexture(`t${action.texture}`, keep)).toBe(count)
        for (const load of aborted) {
          expect(realRunning.find((r) => r.loadCall === load.loadCall)?.signal.aborted).toBe(true)
        }
        break
      }
      case 'start':
        model.started = true
        loader.start()
        break
      case 'stop': {
        const aborted = model.stop()
        stops.push(loader.stop())
        for (const load of aborted) {
          expect(realRunning.find((r) => r.loadCall === load.loadCall)?.signal.aborted).toBe(true)
        }
        break
      }
      case 'complete': {
        if (realRunning.length === 0) break
        const index = action.index % realRunning.length
        const [load] = realRunning.splice(index, 1)
        const outcome: Outcome =
          action.outcome === 'ok'
            ? { result: `image of call ${load!.loadCall}`, error: null }
            : action.outcome === 'fail'
              ? { result: null, error: `failed call ${load!.loadCall}` }
              : { result: null, error: null }
        model.complete(index, outcome)
        if (action.outcome === 'fail') load!.reject(new Error(outcome.error!))
        else load!.resolve(outcome.result)
        break
      }
    }
    await flush()
    check()
  }

  // Final stop: every schedule call has had exactly one callback, nothing is left.
  model.stop()
  const finalStop = loader.stop()
  for (const load of realRunning.splice(0)) load.resolve('after stop')
  model.running = []
  await Promise.all([...stops, finalStop])
  await flush()
  expect(violations).toEqual([])
  for (let call = 0; call < calls; call++) expect(received.get(call)).toHaveLength(1)
  check()
  expect(loader.getPendingCount()).toBe(0)
  expect(loader.getActiveCount()).toBe(0)
}

describe('AsyncImageLoader (property)', () => {
  it('behaves like the model under random schedule, cancel, start, stop and completions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(actionArb, { maxLength: 60 }), runScenario),
      { numRuns: 300 }
    )
  })

  it('behaves like the model in a long run that starts first', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(actionArb, { minLength: 100, maxLength: 150 }), (workers, actions) =>
        runScenario(workers, [{ kind: 'start' }, ...actions])
      ),
      { numRuns: 50 }
    )
  })
})
