/**
 * Where a profile samples its line (issue 23), with no DOM: points along a polyline at a regular
 * step measured along the line, every vertex included, and the distance of each along the line.
 * Pure, so that tests drive it alone.
 */
import type { Point } from '../../../shared/geo/affine'

/** Most points one profile samples: beyond it the step grows (and the panel says so). */
export const MAX_PROFILE_POINTS = 20_000

export interface SampledLine {
  /** The points, in order along the line. */
  points: Point[]
  /** Each point's distance along the line from the first vertex, in the points' units. */
  along: number[]
  /** The index in `points` of each vertex of the line. */
  vertexIndices: number[]
  /** The step used: the one asked for, or larger when the line needed more than `maxPoints`. */
  step: number
}

/**
 * Samples the polyline through `vertices` at every multiple of `step` along it, plus its vertices
 * (a sample that falls on a vertex is that vertex). A step that would make more than `maxPoints`
 * points is enlarged to fit. Consecutive equal vertices count once as a point but keep their index.
 */
export function samplePolyline(vertices: readonly Point[], step: number, maxPoints = MAX_PROFILE_POINTS): SampledLine {
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`Expected a positive finite step but received ${String(step)}`)
  if (vertices.length === 0) return { points: [], along: [], vertexIndices: [], step }
  const cumulative = [0]
  for (let i = 1; i < vertices.length; i++) cumulative.push(cumulative[i - 1]! + distance(vertices[i - 1]!, vertices[i]!))
  const length = cumulative.at(-1)!
  const room = Math.max(1, maxPoints - vertices.length)
  const used = length / step > room ? length / room : step
  const points: Point[] = [vertices[0]!]
  const along: number[] = [0]
  const vertexIndices: number[] = [0]
  let k = 1
  for (let i = 1; i < vertices.length; i++) {
    const a = vertices[i - 1]!
    const b = vertices[i]!
    const start = cumulative[i - 1]!
    const end = cumulative[i]!
    // Regular samples strictly inside this segment (a sample on a vertex is the vertex itself).
    for (; k * used < end - used * 1e-9; k++) {
      const t = (k * used - start) / (end - start)
      if (t <= 0) continue
      points.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t })
      along.push(k * used)
    }
    if (Math.abs(k * used - end) <= used * 1e-9) k++
    if (end > start) {
      points.push({ x: b.x, y: b.y })
      along.push(end)
    }
    vertexIndices.push(points.length - 1)
  }
  return { points, along, vertexIndices, step: used }
}

/**
 * Distances along a line of points, from the first, each segment measured by `segment` (a ground
 * distance, or the plane's): [0, d01, d01 + d12, …].
 */
export function cumulativeDistances(points: readonly Point[], segment: (a: Point, b: Point) => number = distance): number[] {
  const out: number[] = []
  let total = 0
  for (let i = 0; i < points.length; i++) {
    if (i > 0) total += segment(points[i - 1]!, points[i]!)
    out.push(total)
  }
  return out
}

function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y)
}
