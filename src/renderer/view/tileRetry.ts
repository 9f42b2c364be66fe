/**
 * When a tile that failed is asked for again. Pure. A tile whose server or network failed for now
 * ('unavailable': a 5xx, 429, reset, refused connection, timeout) is asked again while the view
 * still wants it, after a wait that doubles at each failure in a row — 1 s, 2 s, 4 s … 30 s at
 * most — so that a hole left by a brief outage fills once the server is back (QGIS asks again at
 * its next redraw; wolfhece's loader queues the texture again), without hammering a server that
 * stays down. A tile whose data is bad (a decode error, a refused layout, a ServiceException, a
 * GetMap's 404) would fail the same way again: it is not asked for until the raster changes.
 */
import type { ErrorCode } from '../../shared/errors'

/** The wait before the first retry of a tile that failed for now. */
export const RETRY_FIRST_DELAY_MS = 1000
/** The longest wait between two retries of a tile (as `LiveRaster`'s reopen, which waits up to 60 s, a tile is cheaper). */
export const RETRY_MAX_DELAY_MS = 30_000

/** True when a tile failed with `code` may load if asked again later (its server failed for now). */
export function isRetriedLater(code: ErrorCode | undefined): boolean {
  return code === 'unavailable'
}

/** The wait before asking again a tile that failed for now `failures` times in a row (1 → 1 s, 2 → 2 s, … capped at 30 s). */
export function retryDelayMs(failures: number): number {
  if (!Number.isInteger(failures) || failures < 1) throw new RangeError(`Expected a positive integer for failures but received ${String(failures)}`)
  return Math.min(RETRY_MAX_DELAY_MS, RETRY_FIRST_DELAY_MS * 2 ** Math.min(failures - 1, 30))
}
