/**
 * The swipe's handle: a vertical line with a grip, dragged across the view (view/Swipe.ts draws the
 * layers either side of it). It lives in the element that holds the canvas, which is laid out
 * as the camera's screen and turned by CSS (ui/ViewOrientation.ts): the handle turns with the
 * picture and stays on the mask's edge whatever the turn or mirror; a drag is read through the turn.
 */
import { Swipe } from '../view/Swipe'
import type { Viewer } from '../view/Viewer'
import { element } from './format'
import type { ViewOrientation } from './ViewOrientation'

export interface SwipeDividerOptions {
  /** The element that holds the canvas (ViewOrientation.canvasHost). */
  host: HTMLElement
  /** The camera's screen point under a client point (ViewOrientation.clientToCanvas). */
  clientToCanvas(clientX: number, clientY: number): { x: number; y: number }
  /** The divider moved to a share of the view's width. */
  moved(share: number): void
}

export class SwipeDivider {
  readonly root: HTMLElement

  constructor(private readonly options: SwipeDividerOptions) {
    this.root = element('div', 'swipe-divider', undefined, {
      'data-testid': 'swipe-divider',
      role: 'separator',
      'aria-orientation': 'vertical',
      'aria-label': 'Swipe divider: the selected layer and those above it left of it, the layers under it right',
      title: 'Drag to compare the selected layer with those under it (w: swipe off)'
    })
    this.root.append(element('div', 'swipe-grip'))
    this.root.hidden = true
    options.host.append(this.root)
    this.root.addEventListener('pointerdown', (down) => {
      if (down.button !== 0) return
      down.preventDefault()
      down.stopPropagation()
      this.root.setPointerCapture(down.pointerId)
      this.root.classList.add('dragging')
      const move = (e: PointerEvent): void => {
        e.stopPropagation()
        this.options.moved(this.shareAt(e.clientX, e.clientY))
      }
      const end = (e: PointerEvent): void => {
        move(e)
        this.root.classList.remove('dragging')
        this.root.removeEventListener('pointermove', move)
        this.root.removeEventListener('pointerup', end)
        this.root.removeEventListener('pointercancel', end)
      }
      this.root.addEventListener('pointermove', move)
      this.root.addEventListener('pointerup', end)
      this.root.addEventListener('pointercancel', end)
    })
  }

  /** Shows the handle at a share of the view's width, or hides it. */
  show(on: boolean, share: number): void {
    this.root.hidden = !on
    this.root.style.left = `${share * 100}%`
    this.root.dataset.position = String(share)
  }

  /** The share of the view's width under a client point, through the view's turn. */
  private shareAt(clientX: number, clientY: number): number {
    const width = this.options.host.clientWidth
    const x = this.options.clientToCanvas(clientX, clientY).x
    return width > 0 ? x / width : 0.5
  }
}

/** What the window's wiring holds of the swipe: its toggle (toolbar button, `w`). */
export interface SwipeControl {
  readonly swipe: Swipe
  toggle(): void
}

/**
 * Builds the swipe over `viewer` (view/Swipe.ts) and its handle in the canvas's element; `changed`
 * hears it turned on or off (the toolbar's button). The masks follow the layers, the selection and
 * the view's size after every frame.
 */
export function installSwipe(viewer: Viewer, orientation: ViewOrientation, selected: () => string | null, changed: (on: boolean) => void): SwipeControl {
  const swipe = new Swipe({
    stage: viewer.app.stage,
    layers: () => viewer.layers,
    size: () => viewer.view,
    selected,
    requestFrame: () => viewer.requestFrame()
  })
  const divider = new SwipeDivider({
    host: orientation.canvasHost,
    clientToCanvas: (x, y) => orientation.clientToCanvas(x, y),
    moved: (share) => {
      swipe.setPosition(share)
      divider.show(swipe.enabled, swipe.position)
    }
  })
  viewer.onFrame(() => {
    if (swipe.refresh()) viewer.requestFrame()
  })
  return {
    swipe,
    toggle: () => {
      swipe.setEnabled(!swipe.enabled)
      divider.show(swipe.enabled, swipe.position)
      changed(swipe.enabled)
    }
  }
}
