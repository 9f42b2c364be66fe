/**
 * The service's activity as the status bar shows it: tiles the page waits for, and loads the
 * service runs. The service's count is asked for every half second while anything is under way.
 */
import type { ServiceStats } from '../../shared/protocol'

/** How often the service's counters are asked for while something is under way, ms. */
export const ACTIVITY_POLL_MS = 500

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

  constructor(private readonly sources: ActivitySources) {
    this.timer = setInterval(() => this.poll(), ACTIVITY_POLL_MS)
  }

  /** Loads the service ran when last asked. */
  get active(): number {
    return this.activeValue
  }

  /** Shows the counts as last known (after a frame). */
  show(): void {
    this.sources.show(this.sources.pending(), this.activeValue)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private poll(): void {
    if (this.sources.pending() === 0 && this.activeValue === 0) return this.sources.show(0, 0)
    this.sources
      .serviceStats()
      .then((s) => {
        this.activeValue = s.active
        this.show()
      })
      .catch(() => undefined)
  }
}
