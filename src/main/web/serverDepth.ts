/**
 * How deep an XYZ server's pyramid goes, learnt from its answers (for `WebTileReader`'s overzoom):
 * a 404 at a level where the server has answered with an image is outside its data (a sparse
 * pyramid's edge: empty); at a finer level it may be past the server's deepest zoom (a bare
 * template says 0–19, the server stops at 16), where the tile is drawn from an ancestor. Levels
 * are the grid's: 0 is the finest.
 */
import { abortable } from '../pool/errors'

/**
 * How long a 404 at a level no image has come from yet waits for one: an image at its level or
 * finer says it is outside the data; none says the level is past the server's depth. The view
 * shows the coarser stand-ins meanwhile.
 */
export const DEPTH_WAIT_MS = 1500

export class ServerDepth {
  /** The finest level answered with an image so far. */
  private finestAnswered = Number.POSITIVE_INFINITY
  /** The coarsest level known past the server's depth (a wait for an image there ran out); -1: none. */
  private pastDeepest = -1
  /** 404s waiting for an image at their level or finer. */
  private readonly waits = new Set<{ level: number; answered: () => void }>()

  /** An image came at `level`: the server's data reaches it, and the 404s waiting at it or coarser are outside the data. */
  answered(level: number): void {
    this.finestAnswered = Math.min(this.finestAnswered, level)
    if (level <= this.pastDeepest) this.pastDeepest = level - 1
    for (const wait of this.waits) if (wait.level >= level) wait.answered()
  }

  /**
   * Whether a 404 at `level` is past the server's deepest zoom rather than outside its data: no
   * when an image came at this level or finer, yes when the level is known past the depth; else
   * after waiting `DEPTH_WAIT_MS` for such an image. A sparse pyramid's 404s around its data are
   * thus empty without a request more, where looking for their ancestors cost a request and a decode each.
   */
  async isPast(level: number, signal?: AbortSignal): Promise<boolean> {
    if (level >= this.finestAnswered) return false
    if (level <= this.pastDeepest) return true
    const wait = { level, answered: (): void => {} }
    const imageCame = await abortable(
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), DEPTH_WAIT_MS)
        timer.unref?.()
        wait.answered = () => {
          clearTimeout(timer)
          resolve(true)
        }
        this.waits.add(wait)
      }),
      signal,
      'Waiting to learn the server’s deepest zoom'
    ).finally(() => this.waits.delete(wait))
    if (imageCame || level >= this.finestAnswered) return false
    this.pastDeepest = Math.max(this.pastDeepest, level)
    return true
  }
}
