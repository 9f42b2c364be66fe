/**
 * Each picture keeps its own turn of the view. Browsing one at a time, a photo turned a quarter
 * does not pass its turn on to the next one: the view takes the turn of the layer it shows (upright
 * until turned), and the stacked view keeps its own. Every turn the person makes is followed by a
 * fit to the turned screen. No DOM: the view's turn comes through `Turnable`.
 */
import { UPRIGHT, type Orientation } from '../view/screenOrientation'

/** The turn of the view on screen (`ui/ViewOrientation.ts`). */
export interface Turnable {
  readonly current: Orientation
  set(orientation: Orientation): void
  onChange(listener: (o: Orientation) => void): () => void
}

export interface PerImageOrientationDeps {
  view: Turnable
  /** The turn a layer was last shown with, if it was turned. */
  orientationOf(rasterId: string): Orientation | undefined
  setOrientationOf(rasterId: string, orientation: Orientation): void
  /** The layer shown alone while browsing, or null when stacked. */
  browsed(): string | null
  /** The view was turned (by the person or by a layer browsed): fit it again to its new screen. */
  turned(): void
}

export class PerImageOrientation {
  /** The turn of the stacked view. */
  private stack: Orientation = UPRIGHT
  /** True while this turns the view itself: the layer browsed brings its own turn, it does not take one. */
  private applying = false
  private readonly stop: () => void

  constructor(private readonly deps: PerImageOrientationDeps) {
    this.stop = deps.view.onChange((o) => this.changed(o))
  }

  /** The layer browsed is now `rasterId` (null: stacked again): the view takes its turn. */
  browsed(rasterId: string | null): void {
    const wanted = rasterId !== null ? (this.deps.orientationOf(rasterId) ?? UPRIGHT) : this.stack
    const now = this.deps.view.current
    if (wanted.quarterTurns === now.quarterTurns && wanted.flipped === now.flipped) return
    this.applying = true
    try {
      this.deps.view.set(wanted)
    } finally {
      this.applying = false
    }
  }

  dispose(): void {
    this.stop()
  }

  private changed(o: Orientation): void {
    if (!this.applying) {
      const browsed = this.deps.browsed()
      if (browsed !== null) this.deps.setOrientationOf(browsed, o)
      else this.stack = o
    }
    this.deps.turned()
  }
}
