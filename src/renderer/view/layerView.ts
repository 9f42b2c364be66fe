/**
 * The camera's view seen from one layer: its own full-resolution pixels, so that each layer picks
 * its level from its own source pixels per screen pixel and plans its tiles in its own pixel space,
 * whatever its resolution, extent or rotation in the world. Pure functions of the view and the
 * layer's transform.
 */
import { apply, applyLinear, invert, unitsPerPixel, type Affine, type Point } from '../../shared/geo/affine'
import { viewOutline, type ViewState } from './TileScheduler'
import type { LayerMapping } from './map/mapping'

/** Points sampled along each edge of the screen to find what a reprojected layer sees of it. */
const EDGE_SAMPLES = 8

/**
 * The world view `view` in the pixels of a layer placed by `pixelToWorld`: centre and outline (the
 * screen's four corners, a parallelogram when the layer rotates or shears) transformed into the
 * layer, zoom in screen pixels per layer pixel (per side of a pixel of the same area, for
 * pixels that are not square).
 */
export function layerView(view: ViewState, mapping: Affine | LayerMapping): ViewState {
  if ('toPixel' in mapping && mapping.affine === null) return reprojectedView(view, mapping)
  const pixelToWorld = 'toPixel' in mapping ? mapping.affine! : mapping
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

/**
 * The view seen from a reprojected layer: the screen's edges sampled and taken into the layer's
 * pixels (they bend), their bounding box as the outline; the zoom from the mapping's derivative at
 * the view's centre. Points outside the layer CRS's domain are left out.
 */
function reprojectedView(view: ViewState, mapping: LayerMapping): ViewState {
  const corners = viewOutline(view)
  const samples: Point[] = []
  for (let k = 0; k < corners.length; k++) {
    const a = corners[k]!
    const b = corners[(k + 1) % corners.length]!
    for (let s = 0; s < EDGE_SAMPLES; s++) {
      const t = s / EDGE_SAMPLES
      samples.push(mapping.toPixel({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }))
    }
  }
  const inside = samples.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
  const xs = inside.map((p) => p.x)
  const ys = inside.map((p) => p.y)
  const box = inside.length > 0 ? { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) } : null
  const outline = box
    ? [{ x: box.left, y: box.top }, { x: box.right, y: box.top }, { x: box.right, y: box.bottom }, { x: box.left, y: box.bottom }]
    : []
  let center = mapping.toPixel({ x: view.centerX, y: view.centerY })
  if (!Number.isFinite(center.x) || !Number.isFinite(center.y)) center = box ? { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 } : { x: 0, y: 0 }
  const scale = unitsPerPixel(mapping.localAffine(center))
  const zoom = view.zoom * (Number.isFinite(scale) && scale > 0 ? scale : 0)
  return { centerX: center.x, centerY: center.y, zoom: zoom > 0 ? zoom : Number.MIN_VALUE, width: view.width, height: view.height, outline }
}

/** A displacement of the camera (world units) from `center` (world) as a displacement in the layer's pixels. */
export function layerDisplacement(displacement: Point, mapping: Affine | LayerMapping, center: Point = { x: 0, y: 0 }): Point {
  if (displacement.x === 0 && displacement.y === 0) return displacement
  if (!('toPixel' in mapping)) return applyLinear(invert(mapping), displacement)
  if (mapping.affine) return applyLinear(invert(mapping.affine), displacement)
  const from = mapping.toPixel(center)
  const to = mapping.toPixel({ x: center.x + displacement.x, y: center.y + displacement.y })
  const moved = { x: to.x - from.x, y: to.y - from.y }
  return Number.isFinite(moved.x) && Number.isFinite(moved.y) ? moved : { x: 0, y: 0 }
}

/** The screen point of a world point under the camera `view`. */
export function worldToScreen(view: ViewState, p: Point): Point {
  return { x: (p.x - view.centerX) * view.zoom + view.width / 2, y: (p.y - view.centerY) * view.zoom + view.height / 2 }
}

/** The world point under a screen point of the camera `view`. */
export function screenToWorld(view: ViewState, p: Point): Point {
  return { x: (p.x - view.width / 2) / view.zoom + view.centerX, y: (p.y - view.height / 2) / view.zoom + view.centerY }
}
