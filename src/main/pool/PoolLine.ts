/**
 * The line of a WorkerPool: the jobs that wait for a worker because every worker is busy. Only
 * jobs from outside the loader wait here (opening a raster: probes, overviews, decodes); the
 * loader's tiles never do, since it starts one only when a worker is free (`WorkerPool.freeSlots`).
 * A pure policy, no workers and no timers, its clock injected:
 * - lower place first (probe < tile < decode, or any number), FIFO among equals;
 * - a long decode (place `decode` or later) gives a freed worker to the tiles of whoever takes
 *   free workers from the pool (the loader) for its first `decodeYieldMs` in line, then goes
 *   before them; while it gives way it claims no worker.
 * The line is short (the files opening now): adding and removing cost O(n), the rest O(1) or O(n).
 */

/** Places in the line of the kinds of jobs (lower first). */
export const LinePriority = { probe: 0, tile: 0.5, decode: 1 } as const

/** A kind of job whose place the line knows. */
export type LineKind = keyof typeof LinePriority

/** A job's place in the line: a kind, or a number (lower first; `LinePriority` gives the kinds' numbers). */
export type LinePlace = LineKind | number

/** The number of a place. */
export function placeNumber(place: LinePlace): number {
  return typeof place === 'number' ? place : LinePriority[place]
}

/**
 * How long a long decode waiting in line gives way to tiles: five files dropped together opened
 * their top layer at 0.6 s but drew its first tile at 1.3 s, its tiles waiting behind the
 * overviews of the four files under it. Past this, it goes before tiles again, so that a file
 * opening is never starved by a person panning another.
 */
export const DECODE_YIELD_MS = 100

export interface PoolLineOptions {
  /** The clock, in milliseconds; default `performance.now`. */
  now?: () => number
  /** How long a long decode gives way to tiles; default DECODE_YIELD_MS. */
  decodeYieldMs?: number
}

interface Waiting<T> {
  item: T
  place: number
  /** When it joined the line (`now()`). */
  joinedAt: number
}

export class PoolLine<T> {
  static readonly defaultOptions: Required<PoolLineOptions> = {
    now: () => performance.now(),
    decodeYieldMs: DECODE_YIELD_MS
  }

  private readonly now: () => number
  private readonly decodeYieldMs: number
  private readonly waiting: Waiting<T>[] = []

  constructor(options: PoolLineOptions = {}) {
    this.now = options.now ?? PoolLine.defaultOptions.now
    this.decodeYieldMs = options.decodeYieldMs ?? PoolLine.defaultOptions.decodeYieldMs
  }

  /** Jobs waiting. */
  get length(): number {
    return this.waiting.length
  }

  /** Puts `item` in line after every item at its place or a lower one. O(n). */
  add(item: T, place: LinePlace): void {
    const entry: Waiting<T> = { item, place: placeNumber(place), joinedAt: this.now() }
    const at = this.waiting.findIndex((other) => other.place > entry.place)
    if (at < 0) this.waiting.push(entry)
    else this.waiting.splice(at, 0, entry)
  }

  /** Takes `item` out of the line (a cancelled job); false when it was not in it. O(n). */
  remove(item: T): boolean {
    const at = this.waiting.findIndex((entry) => entry.item === item)
    if (at < 0) return false
    this.waiting.splice(at, 1)
    return true
  }

  /** Takes the first item out of the line: the one a free worker runs next. */
  shift(): T | undefined {
    return this.waiting.shift()?.item
  }

  /** Takes every item out of the line, first first (closing the pool). */
  clear(): T[] {
    return this.waiting.splice(0).map((entry) => entry.item)
  }

  /**
   * True when the first in line gives a free worker to tiles: a long decode in line for less than
   * `decodeYieldMs`, when `tilesTaken` (someone takes the pool's free workers for tiles).
   */
  firstGivesWay(tilesTaken: boolean): boolean {
    const first = this.waiting[0]
    return first !== undefined && this.givesWay(first, tilesTaken, this.now())
  }

  /** Workers the line claims: one per item waiting, but none for a long decode still giving way to tiles. */
  claimed(tilesTaken: boolean): number {
    const now = this.now()
    return this.waiting.filter((entry) => !this.givesWay(entry, tilesTaken, now)).length
  }

  private givesWay(entry: Waiting<T>, tilesTaken: boolean, now: number): boolean {
    return tilesTaken && entry.place >= LinePriority.decode && now - entry.joinedAt < this.decodeYieldMs
  }
}
