/**
 * When each dropped file reached each step of its opening (dropped, sent, opened, thumbnail,
 * preview, first tile): diagnostics of where a drop's time goes, read by the drop bench.
 */

export interface TimelineEntry {
  /** performance.now() when the step was reached. */
  t: number
  step: string
  name: string
}

/** Steps kept at most: a long session does not grow without bound. */
export const TIMELINE_LIMIT = 1000

export class OpeningTimeline {
  private readonly steps: TimelineEntry[] = []

  /** Notes that file `name` reached `step` now (the first TIMELINE_LIMIT steps are kept). */
  mark(step: string, name: string): void {
    if (this.steps.length < TIMELINE_LIMIT) this.steps.push({ t: performance.now(), step, name })
  }

  get entries(): readonly TimelineEntry[] {
    return this.steps
  }
}
