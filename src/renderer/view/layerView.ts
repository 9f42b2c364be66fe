/**
 * The camera's view seen from one layer: its own full-resolution pixels, so that each layer picks
 * its level from its own source pixels per screen pixel and plans its tiles in its own pixel space,
 * whatever its resolution, extent or rotation in the world. Pure functions of the view and the
 * layer's transform.
 */
import { apply, applyLinear, invert, unitsPerPixel, type Affine, type Point } from '../../shared/geo/affine'
import { viewOutline, type ViewState } from './TileScheduler'

/**
 * The world view `view` in the pixels of a layer placed by `pixelToWorld`: centre and outline (the
 * screen's four corners, a parallelogram when the layer rotates or shears) transformed into the
 * layer, zoom in screen pixels per layer pixel (per side of a pixel of the same area, for
 * pixels that are not square).
 */
export function layerView(view: ViewState, pixelToWorld: Affine): ViewState {
  const toPixel = invert(pixelToWorld)
  const center = apply(toPixel, { x: view.centerX, y: view.centerY })
  return {
    centerX: center.x,
    centerY: center.y,
    zoom: view.zoom * unitsPerPixel(pixelToWorld),
    width: view.width,
    height: view.height,
    outline: viewOutline(view).map((p) => apply(toPixel, p))
  }
}

/** A displacement of the camera (world units) as a displacement in the layer's pixels. */
export function layerDisplacement(displacement: Point, pixelToWorld: Affine): Point {
  if (displacement.x === 0 && displacement.y === 0) return displacement
  return applyLinear(invert(pixelToWorld), displacement)
}

/** The screen point of a world point under the camera `view`. */
export function worldToScreen(view: ViewState, p: Point): Point {
  return { x: (p.x - view.centerX) * view.zoom + view.width / 2, y: (p.y - view.centerY) * view.zoom + view.height / 2 }
}

/** The world point under a screen point of the camera `view`. */
export function screenToWorld(view: ViewState, p: Point): Point {
  return { x: (p.x - view.width / 2) / view.zoom + view.centerX, y: (p.y - view.height / 2) / view.zoom + view.centerY }
}
