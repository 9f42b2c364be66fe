/**
 * Which layers the view cannot show because an opaque layer above covers all of the screen (pure,
 * world space). Such a layer asks for no tiles until it shows again: the tiles of layers under an
 * opaque photo were ~4/5 of a five-photo drop's (issue 14).
 */
import type { Point } from '../../shared/geo/affine'

export interface OcclusionLayer {
  /** Shown at all (its visibility switch). */
  visible: boolean
  /** Every pixel of it is opaque and it is drawn at full opacity. */
  opaque: boolean
  /**
   * Its outline in the world (the pixel rectangle through its affine transform: a convex
   * quadrilateral, rotated or sheared as it may be), or null when its edges bend (reprojected):
   * such a layer never counts as covering.
   */
  polygon: readonly Point[] | null
}

/**
 * True when the convex polygon contains every point (on its edge counts as inside): for the
 * view's four corners, the polygon covers the whole screen. Either winding.
 */
export function polygonContains(polygon: readonly Point[], points: readonly Point[]): boolean {
  if (polygon.length < 3) return false
  let sign = 0
  for (let i = 0; i < polygon.length; i++) {
    const p = polygon[i]!
    const q = polygon[(i + 1) % polygon.length]!
    for (const v of points) {
      const cross = (q.x - p.x) * (v.y - p.y) - (q.y - p.y) * (v.x - p.x)
      // Relative tolerance: world units may be degrees or metres in the millions.
      const scale = Math.hypot(q.x - p.x, q.y - p.y) * (Math.abs(v.x - p.x) + Math.abs(v.y - p.y) + 1)
      if (Math.abs(cross) <= scale * 1e-12) continue
      const s = Math.sign(cross)
      if (sign === 0) sign = s
      else if (s !== sign) return false
    }
  }
  return true
}

/** The world outline of a w × h pixel rectangle through an affine transform pixel → world. */
export function affineOutline(m: { a: number; b: number; c: number; d: number; tx: number; ty: number }, width: number, height: number): Point[] {
  const at = (x: number, y: number): Point => ({ x: m.a * x + m.c * y + m.tx, y: m.b * x + m.d * y + m.ty })
  return [at(0, 0), at(width, 0), at(width, height), at(0, height)]
}

/**
 * For each layer (bottom first), whether an opaque, visible layer above it contains the whole view
 * (`view`: the screen's corners in the world): nothing of it can be seen.
 */
export function coveredLayers(layers: readonly OcclusionLayer[], view: readonly Point[]): boolean[] {
  const covered = layers.map(() => false)
  let coveredBelow = false
  for (let i = layers.length - 1; i >= 0; i--) {
    covered[i] = coveredBelow
    const layer = layers[i]!
    if (!coveredBelow && layer.visible && layer.opaque && layer.polygon && polygonContains(layer.polygon, view)) coveredBelow = true
  }
  return covered
}
