/**
 * How deep an XYZ server's pyramid goes, learnt from its answers (for `WebTileReader`'s overzoom):
 * a 404 at a level where the server has answered with an image is outside its data (a sparse
 * pyramid's edge: empty); at a finer level it may be past the server's deepest zoom (a bare
 * template says 0–19, the server stops at 16), where the tile is drawn from an ancestor. Levels
 * are the grid's: 0 is the finest.
 */
import { abortable } from '../pool/errors'

/**
 * Longest a 404 at a level no image has come from yet waits for the other fetches at its level or
 * finer to answer (a server that stops answering must not hold the tile for ever). The view shows
 * the coarser stand-ins meanwhile.
 */
export const DEPTH_WAIT_MS = 1500

/** What ended a 404's wait: an image at its level or finer, no fetch left there to bring one, or the time. */
type Verdict = 'image' | 'none-left' | 'timeout'

export class ServerDepth {
  /** The finest level answered with an image so far. */
  private finestAnswered = Number.POSITIVE_INFINITY
  /** The coarsest level known past the server's depth (its 404s not outweighed by an image); -1: none. */
  private pastDeepest = -1
  /** Fetches of the server waiting for their answer, by level. */
  private readonly asking = new Map<number, number>()
  /** 404s waiting for an image at their level or finer. */
  private readonly waits = new Set<{ level: number; end: (verdict: Verdict) => void }>()

  /**
   * A fetch of a tile of `level` starts; call what this returns once its answer is in (after
   * `answered` for an image), or it failed. A 404's wait ends when none is left at its level or finer.
   */
  fetching(level: number): () => void {
    this.asking.set(level, (this.asking.get(level) ?? 0) + 1)
    let ended = false
    return () => {
      if (ended) return
      ended = true
      const left = (this.asking.get(level) ?? 1) - 1
      if (left > 0) this.asking.set(level, left)
      else this.asking.delete(level)
      for (const wait of this.waits) if (!this.askingAtOrFiner(wait.level)) wait.end('none-left')
    }
  }

  /** An image came at `level`: the server's data reaches it, and the 404s waiting at it or coarser are outside the data. */
  answered(level: number): void {
    this.finestAnswered = Math.min(this.finestAnswered, level)
    if (level <= this.pastDeepest) this.pastDeepest = level - 1
    for (const wait of this.waits) if (wait.level >= level) wait.end('image')
  }

  /**
   * Whether a 404 at `level` is past the server's deepest zoom rather than outside its data: no
   * when an image came at this level or finer, yes when the level is known past the depth; else
   * once the fetches at this level or finer still out have answered (at most `DEPTH_WAIT_MS`):
   * yes if none brought an image. A sparse pyramid's 404s around its data are thus empty without a
   * request more, where looking for their ancestors cost a request and a decode each; and a tile
   * past the depth shows its ancestor's part once its siblings have answered, where it waited the
   * whole 1.5 s behind a hole. Taken for past the depth, a 404 beside data the server has at its
   * level (the siblings asked later) costs its ancestors' requests, and draws the same: their
   * part over it is as empty as it is.
   */
  async isPast(level: number, signal?: AbortSignal): Promise<boolean> {
    if (level >= this.finestAnswered) return false
    if (level <= this.pastDeepest) return true
    const verdict = this.askingAtOrFiner(level) ? await this.waitAt(level, signal) : 'none-left'
    if (verdict === 'image' || level >= this.finestAnswered) return false
    this.pastDeepest = Math.max(this.pastDeepest, level)
    return true
  }

  private waitAt(level: number, signal?: AbortSignal): Promise<Verdict> {
    const wait = { level, end: (_verdict: Verdict): void => {} }
    return abortable(
      new Promise<Verdict>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), DEPTH_WAIT_MS)
        timer.unref?.()
        wait.end = (verdict) => {
          clearTimeout(timer)
          resolve(verdict)
        }
        this.waits.add(wait)
      }),
      signal,
      'Waiting to learn the server’s deepest zoom'
    ).finally(() => this.waits.delete(wait))
  }

  /** A fetch at `level` or a finer one is still out. */
  private askingAtOrFiner(level: number): boolean {
    for (const at of this.asking.keys()) if (at <= level) return true
    return false
  }
}
