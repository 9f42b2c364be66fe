/**
 * Lengths and areas of what a person draws on the view (issue 23), with no DOM: geodesic on the
 * WGS 84 ellipsoid (GeographicLib's geodesics, `geographiclib-geodesic`, exact to a few nanometres,
 * as QGIS and PROJ measure) when the view's CRS turns its points into latitude/longitude; planar
 * in the map's own units otherwise, and always said which.
 */
import { Geodesic } from 'geographiclib-geodesic'
import type { Point } from '../../../shared/geo/affine'

/** How a measurement was made, as the panel says it. */
export type MeasureMethod = 'geodesic, WGS 84' | 'planar, map units'

export interface LatLon {
  lat: number
  lon: number
}

/** Map point → latitude/longitude (WGS 84 degrees), or null where it has none. */
export type ToLatLon = (p: Point) => LatLon | null

export interface Measurement {
  method: MeasureMethod
  /** Length of each segment (metres when geodesic, map units when planar); a polygon's closing segment last. */
  segments: number[]
  /** The line's length, or the polygon's perimeter. */
  total: number
  /** A polygon's area (square metres, or square map units), null for a line or fewer than 3 vertices. */
  area: number | null
}

const wgs84 = Geodesic.WGS84

/**
 * Measures a line through `points` (map coordinates of the view's CRS), closed into a polygon when
 * `polygon`. Geodesic when `toLatLon` is given and takes every point; planar otherwise.
 */
export function measure(points: readonly Point[], polygon: boolean, toLatLon: ToLatLon | null): Measurement {
  const latLons = toLatLon ? points.map(toLatLon) : null
  if (latLons && latLons.every((p) => p !== null)) return geodesicMeasure(latLons as LatLon[], polygon)
  return planarMeasure(points, polygon)
}

/** GeographicLib's geodesic lengths and (for a polygon) area, its orientation ignored. */
export function geodesicMeasure(points: readonly LatLon[], polygon: boolean): Measurement {
  const ring = polygon && points.length >= 3 ? [...points, points[0]!] : points
  const segments: number[] = []
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1]!
    const b = ring[i]!
    segments.push(wgs84.Inverse(a.lat, a.lon, b.lat, b.lon).s12 ?? Number.NaN)
  }
  let area: number | null = null
  if (polygon && points.length >= 3) {
    const shape = wgs84.Polygon(false)
    for (const p of points) shape.AddPoint(p.lat, p.lon)
    area = Math.abs(shape.Compute(false, true).area ?? Number.NaN)
  }
  return { method: 'geodesic, WGS 84', segments, total: sum(segments), area }
}

/** Euclidean lengths and the shoelace area, in map units. */
export function planarMeasure(points: readonly Point[], polygon: boolean): Measurement {
  const ring = polygon && points.length >= 3 ? [...points, points[0]!] : points
  const segments: number[] = []
  for (let i = 1; i < ring.length; i++) segments.push(Math.hypot(ring[i]!.x - ring[i - 1]!.x, ring[i]!.y - ring[i - 1]!.y))
  let area: number | null = null
  if (polygon && points.length >= 3) {
    let twice = 0
    for (let i = 0; i < points.length; i++) {
      const a = points[i]!
      const b = points[(i + 1) % points.length]!
      twice += a.x * b.y - b.x * a.y
    }
    area = Math.abs(twice) / 2
  }
  return { method: 'planar, map units', segments, total: sum(segments), area }
}

/** A length for people: "812.4 m", "12.35 km" when geodesic; "812.4 units" when planar. */
export function formatLength(value: number, method: MeasureMethod): string {
  if (!Number.isFinite(value)) return '—'
  if (method === 'planar, map units') return `${trimmed(value)} units`
  return value >= 10_000 ? `${(value / 1000).toFixed(2)} km` : value >= 1000 ? `${(value / 1000).toFixed(3)} km` : `${value.toFixed(1)} m`
}

/** An area for people: "5 230 m²", "12.34 km²"; square units when planar. */
export function formatArea(value: number, method: MeasureMethod): string {
  if (!Number.isFinite(value)) return '—'
  if (method === 'planar, map units') return `${trimmed(value)} units²`
  return value >= 1e6 ? `${(value / 1e6).toFixed(3)} km²` : `${value.toFixed(0)} m²`
}

function trimmed(value: number): string {
  return Math.abs(value) >= 1000 ? value.toFixed(1) : Number(value.toPrecision(6)).toString()
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}
