/**
 * The service's activity as the status bar shows it: tiles the page waits for, and loads the
 * service runs. The service's count is asked for every half second while anything is under way,
 * and shown with the view's next frame (`show`, after each frame), or on its own if none comes
 * within `ACTIVITY_SHOW_WAIT_MS`.
 */
import type { ServiceStats } from '../../shared/protocol'

/** How often the service's counters are asked for while something is under way, ms. */
export const ACTIVITY_POLL_MS = 500

/**
 * How long the service's count waits for the view's next frame before it is shown on its own.
 * While tiles come in, the view draws at least every 100 ms (`TILE_RENDER_INTERVAL_MS`) and the
 * status bar changes in those frames. Shown at once, each answer changed a few characters between
 * them: a frame of its own, which under a software compositor took the GPU process 30–75 ms that
 * the next tiles' uploads waited behind (a traced jump of the web bench). A count nothing draws
 * for (a slow server, the view still) is shown this much later.
 */
export const ACTIVITY_SHOW_WAIT_MS = 300

export interface ActivitySources {
  /** Tiles this page has asked for and not received. */
  pending(): number
  /** The service's counters. */
  serviceStats(): Promise<ServiceStats>
  /** Shows both counts. */
  show(pending: number, serviceActive: number): void
}

export class ServiceActivity {
  private activeValue = 0
  private readonly timer: ReturnType<typeof setInterval>
  /** Shows a count the poll read if no frame has shown it by then. */
  private unshown: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly sources: ActivitySources) {
    this.timer = setInterval(() => this.poll(), ACTIVITY_POLL_MS)
  }

  /** Loads the service ran when last asked. */
  get active(): number {
    return this.activeValue
  }

  /** Shows the counts as last known (after each frame). */
  show(): void {
    this.clearUnshown()
    this.sources.show(this.sources.pending(), this.activeValue)
  }

  stop(): void {
    clearInterval(this.timer)
    this.clearUnshown()
  }

  private poll(): void {
    if (this.sources.pending() === 0 && this.activeValue === 0) return this.show()
    this.sources
      .serviceStats()
      .then((s) => {
        this.activeValue = s.active
        this.unshown ??= setTimeout(() => {
          this.unshown = null
          this.show()
        }, ACTIVITY_SHOW_WAIT_MS)
      })
      .catch(() => undefined)
  }

  private clearUnshown(): void {
    if (this.unshown !== null) clearTimeout(this.unshown)
    this.unshown = null
  }
}
