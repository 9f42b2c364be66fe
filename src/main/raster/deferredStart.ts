/**
 * When the full decode of a raster kept in memory starts, once its overview is open (issue 14).
 *
 * It used to start the moment the overview was decoded, on the background lane: on 2 cores it
 * then competed for the CPU with the first tiles cut from the overview, with the probes and
 * overviews of the other files dropped at once, and with the page drawing them (a drop of five
 * files spent ~1 s of the host's CPU on full decodes that no tile of the fitted view needed).
 * Now it starts:
 * - at once when a tile of the levels it serves is wanted (nothing is gained by waiting);
 * - once the overview has served a tile and the tile pool has then had nothing to run or wait
 *   for during `quietMs` (the visible tiles are sent, no other file is opening);
 * - at the latest `latestMs` after the raster opened (a hidden layer asks for nothing).
 * The decode always follows: only its start moves.
 */
import type { DecodePool } from './decodePools'

/** What the deferral watches of the tile pool. */
export type ForegroundPool = Pick<DecodePool, 'busyCount' | 'queuedCount' | 'onSlotFreed'>

export interface DeferredStartOptions {
  /** The lane whose work goes first: the tile pool (probes, overviews, tiles). */
  pool: ForegroundPool
  /** How long the pool must have had nothing to do after the overview served a tile. */
  quietMs: number
  /** Start at the latest this long after construction. */
  latestMs: number
}

/** Defaults: a frame's worth of requests arrive well within `quietMs`; `latestMs` bounds the wait of a hidden layer. */
export const DEFERRED_START_DEFAULTS = { quietMs: 150, latestMs: 2000 } as const

export class DeferredStart {
  private done = false
  private watching = false
  private latest: ReturnType<typeof setTimeout> | null
  private quiet: ReturnType<typeof setTimeout> | null = null
  private unlisten: (() => void) | null = null

  /** `run` is called once, when the work may start (never after `cancel`). */
  constructor(
    private readonly run: () => void,
    private readonly options: DeferredStartOptions
  ) {
    this.latest = setTimeout(() => this.start(), options.latestMs)
    this.latest.unref?.()
  }

  /** True once `run` was called or the start was cancelled. */
  get settled(): boolean {
    return this.done
  }

  /** Starts now (a tile that needs the work is wanted). Idempotent. */
  start(): void {
    if (this.done) return
    this.stop()
    this.run()
  }

  /** The overview served a tile: from now on, start once the pool has been idle for `quietMs`. */
  served(): void {
    if (this.done || this.watching) return
    this.watching = true
    this.unlisten = this.options.pool.onSlotFreed(() => this.check())
    this.check()
  }

  /** Never starts (the raster closed first). Idempotent. */
  cancel(): void {
    if (!this.done) this.stop()
  }

  /**
   * A job just ended (or the overview served a tile): the quiet time counts again from now, if
   * the pool has nothing running or waiting; otherwise the next job's end checks again.
   */
  private check(): void {
    if (this.done) return
    if (this.quiet) clearTimeout(this.quiet)
    this.quiet = null
    if (!this.idle()) return
    this.quiet = setTimeout(() => {
      this.quiet = null
      if (this.idle()) this.start()
    }, this.options.quietMs)
    this.quiet.unref?.()
  }

  private idle(): boolean {
    return this.options.pool.busyCount === 0 && this.options.pool.queuedCount === 0
  }

  private stop(): void {
    this.done = true
    if (this.latest) clearTimeout(this.latest)
    if (this.quiet) clearTimeout(this.quiet)
    this.latest = this.quiet = null
    this.unlisten?.()
    this.unlisten = null
  }
}
