/**
 * Longitude/latitude outlines across the antimeridian, cut into rings within [-180, 180] so that
 * each side draws where it lies: an outline over the Pacific from 170° E to 170° W, written with
 * an edge from 179° to -179° or with longitudes past 180 (both are met in STAC items, though
 * RFC 7946 §3.1.9 asks for the cut), was drawn as a band around the rest of the world.
 */

/** A position: longitude, latitude (degrees). */
export type LonLat = [number, number]

/**
 * `ring` (closed: its last position its first) as rings within [-180, 180]: itself when it lies
 * there without crossing; else cut at the antimeridian, each part moved by whole turns into
 * [-180, 180]. An edge spanning more than half a turn of longitude is read as going the short way,
 * across the antimeridian: no footprint's edge is that long, where an edge from 179° to -179° is
 * how a footprint over the Pacific is often written. A ring that goes round a pole (its
 * longitudes do not come back to where they began) is returned as it is: no cut along a meridian
 * closes it.
 */
export function antimeridianRings(ring: readonly (readonly number[])[]): LonLat[][] {
  const points = ring.map((p) => [p[0]!, p[1]!] as LonLat)
  if (points.length < 4) return [points]
  // Each longitude within half a turn of the one before: the edges as drawn on the globe.
  const unwrapped: LonLat[] = [points[0]!]
  for (let i = 1; i < points.length; i++) {
    const previous = unwrapped[i - 1]![0]
    let lon = points[i]![0]
    lon += 360 * Math.round((previous - lon) / 360)
    unwrapped.push([lon, points[i]![1]])
  }
  if (Math.abs(unwrapped.at(-1)![0] - unwrapped[0]![0]) > 1e-9) return [points]
  const lons = unwrapped.map((p) => p[0])
  const west = Math.min(...lons)
  const east = Math.max(...lons)
  if (west >= -180 && east <= 180) return [unwrapped]
  const parts: LonLat[][] = []
  // The turns [-180 + 360k, 180 + 360k] the ring reaches into, each part moved back by k turns.
  for (let k = Math.floor((west + 180) / 360); k * 360 - 180 < east; k++) {
    const part = clipToBand(unwrapped, k * 360 - 180, k * 360 + 180)
    if (part.length >= 4) parts.push(part.map(([lon, lat]) => [lon - 360 * k, lat] as LonLat))
  }
  return parts
}

/** A bbox [w, s, e, n] as rings: two when w > e (RFC 7946 §5.2: it crosses the antimeridian). */
export function bboxRings([w, s, e, n]: readonly [number, number, number, number]): LonLat[][] {
  const rectangle = (west: number, east: number): LonLat[] => [
    [west, s],
    [east, s],
    [east, n],
    [west, n],
    [west, s]
  ]
  return w > e ? [rectangle(w, 180), rectangle(-180, e)] : [rectangle(w, e)]
}

/** The closed ring clipped to lo ≤ lon ≤ hi (Sutherland–Hodgman, one half-plane at a time); closed again. */
function clipToBand(ring: readonly LonLat[], lo: number, hi: number): LonLat[] {
  let open = ring.slice(0, -1)
  open = clipHalfPlane(open, (lon) => lon >= lo, lo)
  open = clipHalfPlane(open, (lon) => lon <= hi, hi)
  return open.length === 0 ? [] : [...open, [open[0]![0], open[0]![1]]]
}

function clipHalfPlane(points: readonly LonLat[], inside: (lon: number) => boolean, edge: number): LonLat[] {
  const out: LonLat[] = []
  for (let i = 0; i < points.length; i++) {
    const current = points[i]!
    const previous = points[(i + points.length - 1) % points.length]!
    const currentIn = inside(current[0])
    if (currentIn !== inside(previous[0])) {
      const t = (edge - previous[0]) / (current[0] - previous[0])
      out.push([edge, previous[1] + t * (current[1] - previous[1])])
    }
    if (currentIn) out.push(current)
  }
  return out
}
