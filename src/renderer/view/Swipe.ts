/**
 * Swipe between a layer and those under it: the chosen layer and every layer above it are drawn
 * only left of a vertical divider, the layers under it everywhere. Done with one stencil mask per
 * clipped layer container: a rectangle in the camera's screen (a Graphics on the stage, outside the
 * camera's viewport, so it stays put while the view pans and zooms), redrawn only when the divider
 * or the view's size moves; each frame costs the GPU a stencil pass, never a replan or a re-upload.
 *
 * The divider is a place in the camera's screen, as a share of its width: the canvas is turned and
 * mirrored by CSS (ui/ViewOrientation.ts), so in a turned view the divider turns with the picture
 * (a quarter turn shows it across the window, the clipped layers above it or below it; a mirrored
 * view shows them right of it). The handle (ui/SwipeDivider.ts) lives in the same turned element,
 * so handle and mask always agree. A clipped layer never hides the layers under it from the
 * planner (the viewer's occlusion leaves masked containers out).
 */
import { Graphics, type Container } from 'pixi.js'

/** What the swipe needs of the viewer. */
export interface SwipeHost {
  /** The stage: the camera's screen, in CSS pixels. */
  stage: Container
  /** The layers, bottom first: their ids and containers. */
  layers(): ReadonlyArray<{ rasterId: string; container: Container }>
  /** The camera's screen size, CSS pixels. */
  size(): { width: number; height: number }
  /** The layer the swipe reveals the others under (the one selected in the layers list); null: the top one. */
  selected(): string | null
  requestFrame(): void
}

export class Swipe {
  private on = false
  /** The divider's place: a share of the camera screen's width, 0 (left edge) to 1. */
  private at = 0.5
  private readonly masks = new Map<string, { container: Container; graphics: Graphics }>()
  private drawnFor = ''

  constructor(private readonly host: SwipeHost) {}

  get enabled(): boolean {
    return this.on
  }

  /** The divider's place, a share of the view's width (0–1). */
  get position(): number {
    return this.at
  }

  /** Turns the swipe on or off (off: every layer whole again). */
  setEnabled(on: boolean): void {
    if (on === this.on) return
    this.on = on
    if (on) this.refresh()
    else this.clearMasks()
    this.host.requestFrame()
  }

  /** Moves the divider to a share of the view's width (clamped to 0–1). */
  setPosition(share: number): void {
    const next = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0.5))
    if (next === this.at) return
    this.at = next
    this.refresh()
    this.host.requestFrame()
  }

  /**
   * Clips the selected layer and the layers above it (the top layer when none is selected) left of
   * the divider, every other layer whole. Done at once when the divider moves; call it after each
   * frame too, for the layers, the selection and the view's size (cheap when nothing changed).
   * Returns true when it changed what is drawn (render again).
   */
  refresh(): boolean {
    if (!this.on) return false
    const selected = this.host.selected()
    const layers = this.host.layers()
    const chosen = selected === null ? -1 : layers.findIndex((l) => l.rasterId === selected)
    const from = chosen >= 0 ? chosen : layers.length - 1
    const clipped = new Set(from < 0 ? [] : layers.slice(from).map((l) => l.rasterId))
    const { width, height } = this.host.size()
    const key = `${[...clipped].join(' ')}|${this.at}|${width}x${height}`
    if (key === this.drawnFor) return false
    this.drawnFor = key
    for (const [id, mask] of this.masks) {
      if (clipped.has(id) && layers.some((l) => l.container === mask.container)) continue
      this.release(id)
    }
    for (const layer of layers) {
      if (!clipped.has(layer.rasterId)) continue
      let mask = this.masks.get(layer.rasterId)
      if (!mask) {
        const graphics = new Graphics()
        this.host.stage.addChild(graphics)
        layer.container.mask = graphics
        mask = { container: layer.container, graphics }
        this.masks.set(layer.rasterId, mask)
      }
      // Left of the divider, over the whole height (and a margin: nothing clipped at the edges).
      mask.graphics.clear().rect(-1, -1, this.at * width + 1, height + 2).fill(0xffffff)
    }
    return true
  }

  destroy(): void {
    this.clearMasks()
  }

  private clearMasks(): void {
    for (const id of [...this.masks.keys()]) this.release(id)
    this.drawnFor = ''
  }

  private release(id: string): void {
    const mask = this.masks.get(id)
    if (!mask) return
    if (!mask.container.destroyed && mask.container.mask === mask.graphics) mask.container.mask = null
    mask.graphics.destroy()
    this.masks.delete(id)
  }
}
