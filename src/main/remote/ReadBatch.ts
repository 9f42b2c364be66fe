/**
 * The missing blocks of the reads that arrive within a short window, planned together: the decode
 * workers each ask for their own tile (a COG keeps the tiles of a row next to each other), so that
 * reads arriving a few milliseconds apart become one request per run of blocks over all of them, as
 * GDAL reads a window's blocks in one request. A read aborted before the plan withdraws its blocks:
 * they are fetched only when another read of the window wants them.
 */
import { abortError } from './errors'

/** What a read in the window waits for: the fetches that will bring its blocks (`T`: a BlockFetch). */
export interface Claim<T> {
  readonly blocks: readonly number[]
  /** True once its read gave up before the plan: its blocks are not fetched for it. */
  dropped: boolean
  resolve(fetches: T[]): void
  reject(error: unknown): void
}

export class ReadBatch<T> {
  private claims: Claim<T>[] = []
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    /** How long the first read of a window waits for others. */
    private readonly windowMs: number,
    /** Starts the fetches of the live claims' blocks and resolves each claim with its fetches. */
    private readonly plan: (claims: Claim<T>[]) => void
  ) {}

  /** The fetches that will bring `blocks`, once the window closes; an AbortError (its blocks withdrawn) when `signal` aborts first. */
  claim(blocks: readonly number[], signal: AbortSignal | undefined, what: string): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        claim.dropped = true
        reject(abortError(what))
      }
      const claim: Claim<T> = {
        blocks,
        dropped: false,
        resolve: (fetches) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(fetches)
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        }
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.claims.push(claim)
      this.timer ??= setTimeout(() => this.flush(), this.windowMs)
    })
  }

  /** Fails every read still in the window (the file closed or changed). */
  rejectAll(error: unknown): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const claim of this.claims.splice(0)) claim.reject(error)
  }

  private flush(): void {
    this.timer = null
    const live = this.claims.splice(0).filter((claim) => !claim.dropped)
    if (live.length === 0) return
    try {
      this.plan(live)
    } catch (error) {
      for (const claim of live) claim.reject(error)
    }
  }
}
