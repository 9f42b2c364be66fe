/**
 * Benchmark suite `loader` (issue 2): the cost of the AsyncImageLoader's queue, nothing else.
 *
 * Measures, with requests spread over 100 textures (random priority and rank, fixed seed):
 * - schedule ops/s: scheduleLoad of 1,000, 10,000 and 100,000 requests into a stopped loader;
 * - cancel: cancelObsoleteForTexture removing one texture's 1,000 requests from 100,000 pending
 *   (median and worst of repeated runs, the queue refilled between runs), and cancelling the
 *   100 textures one by one until the queue is empty;
 * - drain ops/s: 100,000 pending requests served by 4 workers with no-op loads.
 * Baseline, measured in the same run: a naive loader with the same dispatch (microtask pump,
 * async loads, callbacks) whose queue is an array re-sorted on every insert, searched linearly
 * for dedup, filtered on cancel and shifted on pop. Its insert costs O(n) at best, so 100,000
 * inserts cost O(n²): at 100,000 it is not run in full but timed on a sample of inserts into a
 * queue holding 50,000 requests (the mean size while filling to 100,000) and extrapolated; the
 * output says so, and checks the method at 10,000 against a full run.
 * Goals: ≥ 1,000,000 schedules/s at 100,000; a cancel of 1,000 among 100,000 in under 1 ms;
 * a schedule ratio over the baseline that grows with the queue size (1k → 10k → 100k).
 * Run: node --import tsx bench/loader.ts [--quick]. Writes bench/results/loader.json.
 */
import { performance } from 'node:perf_hooks'
import { AsyncImageLoader, ImageLoadPriority, type LoadRequest } from '../src/main/loader'
import { seededRandom as random } from '../test/helpers/seededRandom'
import { isQuick, printTable, ratioOf, round, writeSuiteResult, type ResultRow } from './report'

const quick = isQuick()
const TEXTURES = 100
const SIZES = [1_000, 10_000, 100_000] as const
const BIG = 100_000
/** Repetitions of each timed run; the median is reported. */
const RUNS = quick ? 3 : 7
const CANCEL_RUNS = quick ? 30 : 100
const NAIVE_CANCEL_RUNS = quick ? 5 : 20
const NAIVE_SAMPLE = quick ? 100 : 300
/** The naive drain takes seconds per run: fewer runs. */
const NAIVE_DRAIN_RUNS = quick ? 1 : 3

type Image = null
type Request = LoadRequest<Image>

// ---- inputs -------------------------------------------------------------------------------------


const noopLoad = (): Image => null
const noopCallback = (): void => {}

/** `count` requests over 100 textures: texture i % 100, random priority and rank (a distance). */
function makeRequests(count: number, seed = 1, prefix = 'r'): Request[] {
  const next = random(seed)
  const priorities = [ImageLoadPriority.HIGH, ImageLoadPriority.NORMAL, ImageLoadPriority.LOW]
  const requests: Request[] = new Array(count)
  for (let i = 0; i < count; i++) {
    requests[i] = {
      id: `${prefix}${i}`,
      textureId: `t${i % TEXTURES}`,
      load: noopLoad,
      callback: noopCallback,
      priority: priorities[Math.floor(next() * 3)],
      rank: Math.floor(next() * 1000)
    }
  }
  return requests
}

// ---- the naive baseline -------------------------------------------------------------------------

interface NaiveEntry {
  request: Request
  priority: number
  rank: number
  sequence: number
  callbacks: Array<Request['callback']>
}

const naiveOrder = (a: NaiveEntry, b: NaiveEntry): number => a.priority - b.priority || a.rank - b.rank || a.sequence - b.sequence

/** The loader as one would first write it: a sorted array. Same contract, same dispatch. */
class NaiveLoader {
  queue: NaiveEntry[] = []
  private readonly active = new Map<string, { textureId: string; callbacks: Array<Request['callback']>; controller: AbortController }>()
  private running = 0
  private started = false
  private pumpScheduled = false
  private sequence = 0

  constructor(private readonly maxWorkers = 4) {}

  start(): void {
    this.started = true
    this.schedulePump()
  }

  scheduleLoad(request: Request): void {
    const active = this.active.get(request.id)
    if (active) {
      active.callbacks.push(request.callback)
      return
    }
    const priority = request.priority ?? ImageLoadPriority.NORMAL
    const rank = request.rank ?? 0
    const pending = this.queue.find((e) => e.request.id === request.id)
    if (pending) {
      pending.callbacks.push(request.callback)
      if (priority < pending.priority) {
        pending.priority = priority
        pending.rank = rank
        this.queue.sort(naiveOrder)
      }
      return
    }
    this.queue.push({ request, priority, rank, sequence: this.sequence++, callbacks: [request.callback] })
    this.queue.sort(naiveOrder)
    this.schedulePump()
  }

  /** Adds many requests with one sort: how the bench fills the naive queue without timing it. */
  bulkLoad(requests: readonly Request[]): void {
    for (const request of requests) {
      this.queue.push({ request, priority: request.priority ?? 2, rank: request.rank ?? 0, sequence: this.sequence++, callbacks: [request.callback] })
    }
    this.queue.sort(naiveOrder)
  }

  cancelObsoleteForTexture(textureId: string, keep: ReadonlySet<string>): number {
    const cancelled: NaiveEntry[] = []
    this.queue = this.queue.filter((e) => {
      const obsolete = e.request.textureId === textureId && !keep.has(e.request.id)
      if (obsolete) cancelled.push(e)
      return !obsolete
    })
    let count = cancelled.length
    for (const [id, load] of [...this.active]) {
      if (load.textureId !== textureId || keep.has(id)) continue
      this.active.delete(id)
      load.controller.abort()
      for (const callback of load.callbacks) callback(null)
      count++
    }
    for (const e of cancelled) for (const callback of e.callbacks) callback(null)
    return count
  }

  getPendingCount(): number {
    return this.queue.length
  }

  private schedulePump(): void {
    if (this.pumpScheduled || !this.started) return
    this.pumpScheduled = true
    queueMicrotask(() => {
      this.pumpScheduled = false
      while (this.started && this.running < this.maxWorkers) {
        const next = this.queue.shift()
        if (!next) return
        this.run(next)
      }
    })
  }

  private run(entry: NaiveEntry): void {
    const load = { textureId: entry.request.textureId, callbacks: entry.callbacks, controller: new AbortController() }
    this.active.set(entry.request.id, load)
    this.running++
    void this.execute(entry.request, load).finally(() => {
      this.running--
      this.schedulePump()
    })
  }

  private async execute(request: Request, load: { callbacks: Array<Request['callback']>; controller: AbortController }): Promise<void> {
    let result: Image = null
    let error: Error | undefined
    try {
      result = await request.load(load.controller.signal)
    } catch (thrown) {
      error = thrown instanceof Error ? thrown : new Error(String(thrown))
    }
    if (this.active.get(request.id) !== load) return
    this.active.delete(request.id)
    for (const callback of load.callbacks) callback(error ? null : result, error)
  }
}

// ---- measuring ----------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Milliseconds of one call of `fn`. */
function time(fn: () => void): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

function scheduleAll(loader: { scheduleLoad(r: Request): void }, requests: readonly Request[]): void {
  for (let i = 0; i < requests.length; i++) loader.scheduleLoad(requests[i]!)
}

/** Median schedule ops/s of the real loader for `count` requests (fresh loader per run). */
function tesseraScheduleRate(count: number): number {
  const requests = makeRequests(count)
  const ms = median(
    Array.from({ length: RUNS }, () => {
      const loader = new AsyncImageLoader<Image>()
      return time(() => scheduleAll(loader, requests))
    })
  )
  return (count / ms) * 1000
}

/** Naive schedule ops/s for `count` requests, run in full. */
function naiveScheduleRateFull(count: number, runs: number): number {
  const requests = makeRequests(count)
  const ms = median(
    Array.from({ length: runs }, () => {
      const loader = new NaiveLoader()
      return time(() => scheduleAll(loader, requests))
    })
  )
  return (count / ms) * 1000
}

/**
 * Naive schedule ops/s for filling a queue to `count`, extrapolated: the per-insert cost is
 * timed on `sample` inserts into a queue already holding count / 2 requests (the mean size
 * while filling), and 1 / that cost is the rate.
 */
function naiveScheduleRateSampled(count: number, sample: number): number {
  const loader = new NaiveLoader()
  loader.bulkLoad(makeRequests(count / 2, 2, 'fill'))
  const extra = makeRequests(sample, 3, 'x')
  const ms = time(() => scheduleAll(loader, extra))
  return (sample / ms) * 1000
}

/** Fills both loaders to BIG pending and times cancelling one texture's requests, refilling it after each run. */
function cancelTimes(): { tessera: number[]; naive: number[]; sweepTessera: number; sweepNaive: number } {
  const requests = makeRequests(BIG)
  const byTexture = new Map<string, Request[]>()
  for (const r of requests) {
    const list = byTexture.get(r.textureId) ?? []
    list.push(r)
    byTexture.set(r.textureId, list)
  }
  const keep = new Set<string>()

  const tessera = new AsyncImageLoader<Image>()
  scheduleAll(tessera, requests)
  const tesseraTimes: number[] = []
  for (let run = 0; run < CANCEL_RUNS; run++) {
    const textureId = `t${run % TEXTURES}`
    let cancelled = 0
    tesseraTimes.push(time(() => (cancelled = tessera.cancelObsoleteForTexture(textureId, keep))))
    if (cancelled !== BIG / TEXTURES) throw new Error(`loader cancelled ${cancelled}, expected ${BIG / TEXTURES}`)
    scheduleAll(tessera, byTexture.get(textureId)!)
  }

  const naive = new NaiveLoader()
  naive.bulkLoad(requests)
  const naiveTimes: number[] = []
  for (let run = 0; run < NAIVE_CANCEL_RUNS; run++) {
    const textureId = `t${run % TEXTURES}`
    let cancelled = 0
    naiveTimes.push(time(() => (cancelled = naive.cancelObsoleteForTexture(textureId, keep))))
    if (cancelled !== BIG / TEXTURES) throw new Error(`naive cancelled ${cancelled}, expected ${BIG / TEXTURES}`)
    naive.bulkLoad(byTexture.get(textureId)!)
  }

  // The sweep: cancel the textures one by one until nothing is pending.
  const fresh = new AsyncImageLoader<Image>()
  scheduleAll(fresh, requests)
  const freshNaive = new NaiveLoader()
  freshNaive.bulkLoad(requests)
  const sweepTessera = time(() => {
    for (let t = 0; t < TEXTURES; t++) fresh.cancelObsoleteForTexture(`t${t}`, keep)
  })
  const sweepNaive = time(() => {
    for (let t = 0; t < TEXTURES; t++) freshNaive.cancelObsoleteForTexture(`t${t}`, keep)
  })
  if (fresh.getPendingCount() !== 0 || freshNaive.getPendingCount() !== 0) throw new Error('sweep left requests pending')
  return { tessera: tesseraTimes, naive: naiveTimes, sweepTessera, sweepNaive }
}

/** Drain ops/s: BIG pending requests served by 4 workers, no-op loads, until every callback ran. */
async function drainRate(make: (requests: readonly Request[]) => { start(): void }, runs: number): Promise<number> {
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    let left = BIG
    let done!: () => void
    const finished = new Promise<void>((resolve) => (done = resolve))
    const callback = (): void => {
      if (--left === 0) done()
    }
    const requests = makeRequests(BIG).map((r) => ({ ...r, callback }))
    const loader = make(requests)
    const start = performance.now()
    loader.start()
    await finished
    times.push(performance.now() - start)
  }
  return (BIG / median(times)) * 1000
}

// ---- the suite ----------------------------------------------------------------------------------

const rows: ResultRow[] = []
const notes: string[] = []
const suiteStart = performance.now()
/** Progress on stderr, so that a slow machine shows where the time goes. */
const progress = (what: string): void => {
  process.stderr.write(`[loader ${((performance.now() - suiteStart) / 1000).toFixed(1)} s] ${what}\n`)
}

// Warm up both loaders' code paths so the first size is not timing the JIT.
for (let i = 0; i < 3; i++) {
  tesseraScheduleRate(10_000)
  naiveScheduleRateFull(1_000, 1)
}

const scheduleRatios: number[] = []
for (const size of SIZES) {
  progress(`schedule ${size}`)
  const tessera = tesseraScheduleRate(size)
  const sampled = size > 10_000
  const naive = sampled ? naiveScheduleRateSampled(size, NAIVE_SAMPLE) : naiveScheduleRateFull(size, size > 1_000 ? 1 : RUNS)
  const ratio = tessera / naive
  scheduleRatios.push(ratio)
  const isGoalSize = size === BIG
  rows.push({
    figure: `schedule ops/s, ${size.toLocaleString('en-US')} requests over ${TEXTURES} textures${sampled ? ' (baseline extrapolated, see notes)' : ''}`,
    value: round(tessera),
    unit: 'ops/s',
    baseline: round(naive),
    ratio: ratioOf(tessera, naive),
    goal: isGoalSize ? '≥ 1,000,000 ops/s' : 'reported',
    met: isGoalSize ? tessera >= 1_000_000 : null
  })
}
const grows = scheduleRatios.every((r, i) => i === 0 || r > scheduleRatios[i - 1]!)
rows.push({
  figure: 'schedule ratio over baseline at 1k → 10k → 100k',
  value: round(scheduleRatios[scheduleRatios.length - 1]!),
  unit: '×',
  baseline: null,
  ratio: null,
  goal: `grows with size (${scheduleRatios.map((r) => `${round(r)}×`).join(' → ')})`,
  met: grows
})
{
  progress('checking the extrapolation at 10,000')
  const check = naiveScheduleRateSampled(10_000, NAIVE_SAMPLE)
  const full = naiveScheduleRateFull(10_000, 1)
  notes.push(
    `Naive schedule at ${BIG.toLocaleString('en-US')} is extrapolated: ${NAIVE_SAMPLE} inserts timed into a naive queue holding ${(BIG / 2).toLocaleString('en-US')} requests ` +
      `(the mean size while filling to ${BIG.toLocaleString('en-US')}), rate = 1 / cost per insert. ` +
      `Check of the method at 10,000: extrapolated ${Math.round(check).toLocaleString('en-US')} ops/s, full run ${Math.round(full).toLocaleString('en-US')} ops/s.`
  )
}

progress('cancel')
const cancel = cancelTimes()
const cancelMedian = median(cancel.tessera)
const naiveCancelMedian = median(cancel.naive)
rows.push(
  {
    figure: `cancelObsoleteForTexture, 1,000 of 100,000 pending (median of ${CANCEL_RUNS}; baseline median of ${NAIVE_CANCEL_RUNS})`,
    value: round(cancelMedian),
    unit: 'ms',
    baseline: round(naiveCancelMedian),
    ratio: ratioOf(cancelMedian, naiveCancelMedian),
    goal: '< 1 ms',
    met: cancelMedian < 1
  },
  {
    figure: `cancelObsoleteForTexture, 1,000 of 100,000 pending (worst of ${CANCEL_RUNS})`,
    value: round(Math.max(...cancel.tessera)),
    unit: 'ms',
    baseline: round(Math.max(...cancel.naive)),
    ratio: ratioOf(Math.max(...cancel.tessera), Math.max(...cancel.naive)),
    goal: 'reported',
    met: null
  },
  {
    figure: `cancel textures one by one, ${TEXTURES} × 1,000 until empty (total)`,
    value: round(cancel.sweepTessera),
    unit: 'ms',
    baseline: round(cancel.sweepNaive),
    ratio: ratioOf(cancel.sweepTessera, cancel.sweepNaive),
    goal: 'reported',
    met: null
  }
)

progress('drain')
const drainTessera = await drainRate((requests) => {
  const loader = new AsyncImageLoader<Image>({ maxWorkers: 4 })
  scheduleAll(loader, requests)
  return loader
}, RUNS)
progress('drain (baseline)')
// The naive queue is filled with one sort (untimed): scheduling 100,000 one by one would take minutes.
const drainNaive = await drainRate((requests) => {
  const loader = new NaiveLoader(4)
  loader.bulkLoad(requests)
  return loader
}, NAIVE_DRAIN_RUNS)
rows.push({
  figure: `drain ops/s, ${BIG.toLocaleString('en-US')} pending, 4 workers, no-op loads (median of ${RUNS}; baseline of ${NAIVE_DRAIN_RUNS})`,
  value: round(drainTessera),
  unit: 'ops/s',
  baseline: round(drainNaive),
  ratio: ratioOf(drainTessera, drainNaive),
  goal: 'reported',
  met: null
})

printTable(rows)
for (const note of notes) console.log(`\nNote: ${note}`)
console.log(`\nWrote ${writeSuiteResult('loader', rows, { quick, notes })}`)
