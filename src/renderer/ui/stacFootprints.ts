/**
 * STAC footprints (WGS 84 longitude/latitude) as the view draws them: each outline ring densified
 * (an edge of a few degrees bends once reprojected) and taken into the view's CRS with proj4js
 * (`map/crs.ts`), then into world points; and the hit test of a click against outlines on screen.
 */
import { mapToWorld, type Point } from '../../shared/geo/affine'
import { footprintRings, type StacItemSummary } from '../../shared/stac'
import { transformPoint } from '../view/map/crs'

/** Points added along each edge of an outline, so that a reprojected edge follows its curve. */
const STEPS_PER_EDGE = 16

/**
 * The outline rings of `item` in world points of a view in CRS `viewCrs`; [] when the view has no
 * CRS that proj4js knows, or the item no footprint. A point outside the CRS's domain is dropped.
 */
export function footprintInWorld(item: Pick<StacItemSummary, 'bbox' | 'geometry'>, viewCrs: string | null): Point[][] {
  if (!viewCrs) return []
  const rings: Point[][] = []
  for (const ring of footprintRings(item)) {
    const world: Point[] = []
    for (const [lon, lat] of densify(ring)) {
      const p = transformPoint('EPSG:4326', viewCrs, lon, lat)
      if (p) world.push(mapToWorld(p))
    }
    if (world.length >= 3) rings.push(world)
  }
  return rings
}

/** `ring` with `STEPS_PER_EDGE - 1` points between each two of its vertices. */
export function densify(ring: readonly number[][]): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i] as [number, number]
    const [x1, y1] = ring[i + 1] as [number, number]
    for (let s = 0; s < STEPS_PER_EDGE; s++) out.push([x0 + ((x1 - x0) * s) / STEPS_PER_EDGE, y0 + ((y1 - y0) * s) / STEPS_PER_EDGE])
  }
  const last = ring.at(-1)
  if (last) out.push([last[0]!, last[1]!])
  return out
}

/** True when `p` lies inside `ring` (even-odd rule). */
export function insideRing(p: Point, ring: readonly Point[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!
    const b = ring[j]!
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside
  }
  return inside
}

/**
 * The index of the footprint under `p` (outlines in the same frame as `p`): of several, the
 * smallest (a small item inside a large one stays pickable); -1 when none.
 */
export function footprintAt(p: Point, outlines: readonly (readonly Point[][])[]): number {
  let best = -1
  let bestArea = Infinity
  outlines.forEach((rings, index) => {
    if (!rings.some((ring) => insideRing(p, ring))) return
    const area = rings.reduce((sum, ring) => sum + Math.abs(ringArea(ring)), 0)
    if (area < bestArea) {
      best = index
      bestArea = area
    }
  })
  return best
}

function ringArea(ring: readonly Point[]): number {
  let twice = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) twice += (ring[j]!.x + ring[i]!.x) * (ring[j]!.y - ring[i]!.y)
  return twice / 2
}
