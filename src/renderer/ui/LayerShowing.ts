/**
 * Which layers are shown: stacked (each by its own eye), or one at a time while browsing (previous
 * / next show the neighbour alone, fitted), a layer alone (solo), and the order of the stack. It
 * decides; the host (the viewer and the layers list) shows. See browsing.ts for the pure parts.
 */
import { browseStep, type ViewMode } from './browsing'

export interface ShowingHost {
  /** The layers, bottom first. */
  layers(): ReadonlyArray<{ rasterId: string; visible: boolean }>
  /** Shows or hides a layer, on screen and in the list. */
  setVisible(rasterId: string, visible: boolean): void
  /** Fits the view to one layer. */
  fitTo(rasterId: string): void
  /** Marks a layer as the selected one in the list. */
  select(rasterId: string): void
  /** Moves a layer to `index` of the stack (0: the bottom). */
  moveTo(rasterId: string, index: number): void
  /** Something shown changed: names, title, position, navigator. */
  changed(): void
  /** The layer shown alone changed (null: none, stacked); called before `changed`. */
  browsedChanged?(previous: string | null, next: string | null): void
}

export class LayerShowing {
  private modeValue: ViewMode = 'stack'
  private browsedId: string | null = null
  /** The batch of files given together that the layer browsed came with (null: it came alone). */
  private browsedBatch: object | null = null
  /** The batch each layer came with, while it is open (see `added`). */
  private readonly batches = new Map<string, object | null>()

  constructor(private readonly host: ShowingHost) {}

  get mode(): ViewMode {
    return this.modeValue
  }

  /** The layer shown alone while browsing; null when stacked. */
  get browsed(): string | null {
    return this.modeValue === 'browse' ? this.browsedId : null
  }

  /** Previous (−1) or next (+1) file alone; from the stack, the step starts at the layer on top. */
  browse(step: number): void {
    const layers = this.host.layers()
    if (layers.length < 2) return
    this.modeValue = 'browse'
    const current = layers.findIndex((l) => l.rasterId === this.browsedId)
    this.showAlone(browseStep(current < 0 ? layers.length - 1 : current, layers.length, step))
  }

  /** Stacked ⇄ one at a time (browsing starts at the top visible layer; stacking shows them all). */
  toggle(): void {
    const layers = this.host.layers()
    if (this.modeValue === 'stack') {
      if (layers.length < 2) return
      this.modeValue = 'browse'
      let top = layers.length - 1
      while (top > 0 && !layers[top]!.visible) top--
      this.showAlone(top)
      return
    }
    this.modeValue = 'stack'
    this.setBrowsed(null)
    for (const layer of layers) this.host.setVisible(layer.rasterId, true)
    this.host.changed()
  }

  /** One at a time from now on, before any layer is there: each layer added is shown (see `added`). */
  startBrowsing(): void {
    if (this.modeValue === 'browse') return
    this.modeValue = 'browse'
    this.setBrowsed(null)
  }

  /** Shows one layer alone, or every layer again when it already is alone (Alt+click on its eye). */
  solo(rasterId: string): void {
    const layers = this.host.layers()
    const alone = layers.every((l) => l.visible === (l.rasterId === rasterId))
    for (const layer of layers) this.host.setVisible(layer.rasterId, alone || layer.rasterId === rasterId)
    this.host.changed()
  }

  /** Moves a layer by `step` places in the stack (positive: up). */
  move(rasterId: string | null, step: number): void {
    const from = this.host.layers().findIndex((l) => l.rasterId === rasterId)
    if (from < 0 || !rasterId) return
    this.host.moveTo(rasterId, from + step)
    this.host.changed()
  }

  /** Moves a layer to where another is (dropped onto it in the list). */
  moveOnto(rasterId: string, targetId: string): void {
    const layers = this.host.layers()
    const to = layers.findIndex((l) => l.rasterId === targetId)
    const from = layers.findIndex((l) => l.rasterId === rasterId)
    if (to >= 0 && from >= 0) this.move(rasterId, to - from)
  }

  /**
   * A new layer. Stacked: shown with the others. Browsing: shown alone (a file opened while browsing
   * is the one the person wants to see), unless the layer browsed came with it, given together, and
   * lies above it: files given together are browsed from the top one (the last given), whatever
   * order they open in.
   */
  added(rasterId: string, batch: object | null = null): void {
    this.batches.set(rasterId, batch)
    if (this.modeValue !== 'browse') return
    const layers = this.host.layers()
    const index = layers.findIndex((l) => l.rasterId === rasterId)
    const browsedIndex = layers.findIndex((l) => l.rasterId === this.browsedId)
    const keepBrowsed = browsedIndex >= 0 && batch !== null && this.browsedBatch === batch && browsedIndex > index
    if (keepBrowsed) this.host.setVisible(rasterId, false)
    else this.showAlone(index)
  }

  /** A layer went: while browsing, the one on top is shown if it was the one browsed; fewer than two: stacked again. */
  removed(rasterId: string): void {
    this.batches.delete(rasterId)
    if (this.browsedId === rasterId) this.setBrowsed(null)
    const layers = this.host.layers()
    if (this.modeValue === 'browse' && layers.length < 2) {
      this.modeValue = 'stack'
      this.setBrowsed(null)
      for (const layer of layers) this.host.setVisible(layer.rasterId, true)
    } else if (this.modeValue === 'browse' && this.browsedId === null && layers.length > 0) {
      this.showAlone(layers.length - 1)
    }
  }

  /** Index of the active layer: the one browsed, else the top visible one; -1 for none. */
  activeIndex(): number {
    const layers = this.host.layers()
    if (this.modeValue === 'browse') return layers.findIndex((l) => l.rasterId === this.browsedId)
    for (let i = layers.length - 1; i >= 0; i--) if (layers[i]!.visible) return i
    return -1
  }

  private showAlone(index: number): void {
    const layers = this.host.layers()
    const shown = layers[index]
    if (!shown) return
    this.setBrowsed(shown.rasterId)
    for (const layer of layers) this.host.setVisible(layer.rasterId, layer === shown)
    this.host.fitTo(shown.rasterId)
    this.host.select(shown.rasterId)
    this.host.changed()
  }

  private setBrowsed(rasterId: string | null): void {
    const previous = this.browsedId
    this.browsedId = rasterId
    this.browsedBatch = rasterId === null ? null : (this.batches.get(rasterId) ?? null)
    if (previous !== rasterId) this.host.browsedChanged?.(previous, rasterId)
  }
}
