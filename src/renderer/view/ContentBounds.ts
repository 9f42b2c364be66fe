/**
 * Keeps the camera on its content (see cameraBounds.ts): a pixi-viewport plugin that, on every
 * tick before the viewer's frame, moves the centre back where part of the content stays on screen
 * and stops the inertia that pushed it out. Whatever moved the camera (drag, fling, wheel at a
 * corner, keys, a script), the frame plans and draws the constrained view.
 */
import { Plugin, type Viewport } from 'pixi-viewport'
import type { Extent } from './Camera'
import { constrainCenter, VISIBILITY_RATIO } from './cameraBounds'

export interface ContentBoundsOptions {
  /** What must stay in view (the visible layers' extent); null: nothing to keep. */
  content: () => Extent | null
  /** Share kept on screen along each axis; default VISIBILITY_RATIO. */
  ratio?: number
}

/** Name of the plugin in the viewport's plugin manager. */
export const CONTENT_BOUNDS_PLUGIN = 'content-bounds'

export class ContentBounds extends Plugin {
  constructor(
    parent: Viewport,
    private readonly options: ContentBoundsOptions
  ) {
    super(parent)
  }

  /** Installs the plugin on a viewport (replacing an earlier one) and returns it. */
  static install(viewport: Viewport, options: ContentBoundsOptions): ContentBounds {
    const plugin = new ContentBounds(viewport, options)
    viewport.plugins.add(CONTENT_BOUNDS_PLUGIN, plugin)
    return plugin
  }

  override update(): void {
    this.apply()
  }

  /** Moves the camera back into bounds now; true when it had to. */
  apply(): boolean {
    const viewport = this.parent
    const center = viewport.center
    const view = { centerX: center.x, centerY: center.y, zoom: viewport.scale.x, width: viewport.screenWidth, height: viewport.screenHeight }
    const next = constrainCenter(view, this.options.content(), this.options.ratio ?? VISIBILITY_RATIO)
    const tolerance = 1e-9 * Math.max(1, Math.abs(center.x), Math.abs(center.y))
    if (Math.abs(next.centerX - center.x) <= tolerance && Math.abs(next.centerY - center.y) <= tolerance) return false
    viewport.plugins.get('decelerate')?.reset()
    viewport.moveCenter(next.centerX, next.centerY)
    viewport.emit('moved', { viewport, type: 'clamp-x' })
    return true
  }
}
