/**
 * One request in flight for a run of blocks, shared by every read that needs them. Each read
 * joins as a waiter; when the last waiter leaves before the bytes came (all its callers aborted),
 * the request is aborted: bytes nobody wants are not fetched.
 */
import type { BlockRun } from './blockRuns'

/** Bytes of the file from `offset` (a run, or the whole file when the server ignored Range). */
export interface Piece {
  offset: number
  bytes: Uint8Array
}

export class BlockFetch {
  readonly controller = new AbortController()
  readonly promise: Promise<Piece>
  private readonly waiters = new Set<object>()
  private settled = false

  constructor(
    readonly run: BlockRun,
    fetchRun: (fetch: BlockFetch) => Promise<Piece>,
    /** Called once when the fetch ends: done, failed or abandoned. */
    private readonly onEnd: (fetch: BlockFetch) => void
  ) {
    this.promise = fetchRun(this).finally(() => {
      this.settled = true
      this.onEnd(this)
    })
    // Every reader awaits it; this only keeps an abandoned fetch's AbortError from being "unhandled".
    this.promise.catch(() => undefined)
  }

  /** True while no caller waits for it (its bytes would be fetched for nobody). */
  get abandoned(): boolean {
    return this.waiters.size === 0
  }

  join(waiter: object): void {
    this.waiters.add(waiter)
  }

  /** `waiter` no longer needs the bytes; the request is aborted when it was the last one. */
  leave(waiter: object): void {
    if (!this.waiters.delete(waiter) || this.waiters.size > 0 || this.settled) return
    this.controller.abort()
    this.onEnd(this)
  }
}
