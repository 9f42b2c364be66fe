/**
 * The world frame and each layer's place in it. Pure functions, no Node, no DOM.
 *
 * The world frame (stated once, here): world = (map X, −map Y) in the map units of the view's CRS.
 * Map Y grows north while screen Y grows down, so the world's Y axis is map Y reversed: a north-up
 * raster is drawn upright and the camera needs no flip. A layer without georeferencing lies on its
 * own pixel grid from the world origin, one world unit per pixel (pixel = world).
 *
 * An affine transform is written as Pixi's Matrix: x' = a·x + c·y + tx, y' = b·x + d·y + ty.
 */
import type { GeoTransform, Georeference } from '../raster'

export interface Affine {
  a: number
  b: number
  c: number
  d: number
  tx: number
  ty: number
}

export interface Point {
  x: number
  y: number
}

export const IDENTITY: Affine = Object.freeze({ a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 })

/**
 * The transform from a raster's full-resolution pixels (x = column, y = row, corner convention) to
 * the world: its full affine geotransform (rotation and shear included) with map Y reversed; the
 * identity without georeferencing. A PixelIsPoint file's geotransform already comes shifted by half
 * a pixel (as gdalinfo reports it), so it is taken as it is.
 */
export function pixelToWorld(georeference: Georeference | null | undefined): Affine {
  if (!georeference) return IDENTITY
  return geoTransformToWorld(georeference.geoTransform)
}

/** GDAL's geotransform (map X = gt0 + col·gt1 + row·gt2, map Y = gt3 + col·gt4 + row·gt5) as pixel → world. */
export function geoTransformToWorld(gt: GeoTransform): Affine {
  return { a: gt[1], c: gt[2], tx: gt[0], b: -gt[4], d: -gt[5], ty: -gt[3] }
}

/** World point → map coordinates (the world frame's Y reversed back). */
export function worldToMap(p: Point): Point {
  return { x: p.x, y: -p.y }
}

/** Map coordinates → world point. */
export function mapToWorld(p: Point): Point {
  return { x: p.x, y: -p.y }
}

export function apply(m: Affine, p: Point): Point {
  return { x: m.a * p.x + m.c * p.y + m.tx, y: m.b * p.x + m.d * p.y + m.ty }
}

/** The linear part only (a displacement, not a position). */
export function applyLinear(m: Affine, v: Point): Point {
  return { x: m.a * v.x + m.c * v.y, y: m.b * v.x + m.d * v.y }
}

export function determinant(m: Affine): number {
  return m.a * m.d - m.b * m.c
}

/** The inverse transform; throws for a degenerate one (a geotransform whose pixels have no area). */
export function invert(m: Affine): Affine {
  const det = determinant(m)
  if (!Number.isFinite(det) || det === 0) {
    throw new RangeError(`Expected an invertible transform but received a=${m.a} b=${m.b} c=${m.c} d=${m.d} (determinant ${det})`)
  }
  return {
    a: m.d / det,
    b: -m.b / det,
    c: -m.c / det,
    d: m.a / det,
    tx: (m.c * m.ty - m.d * m.tx) / det,
    ty: (m.b * m.tx - m.a * m.ty) / det
  }
}

/** `outer ∘ inner`: applies `inner` first. */
export function compose(outer: Affine, inner: Affine): Affine {
  return {
    a: outer.a * inner.a + outer.c * inner.b,
    b: outer.b * inner.a + outer.d * inner.b,
    c: outer.a * inner.c + outer.c * inner.d,
    d: outer.b * inner.c + outer.d * inner.d,
    tx: outer.a * inner.tx + outer.c * inner.ty + outer.tx,
    ty: outer.b * inner.tx + outer.d * inner.ty + outer.ty
  }
}

/** World units per pixel, as one length: the square root of a pixel's area (its side for square pixels). */
export function unitsPerPixel(m: Affine): number {
  return Math.sqrt(Math.abs(determinant(m)))
}

/** The axis-aligned bounds of a width × height pixel rectangle once transformed. */
export function transformedBounds(m: Affine, width: number, height: number): { x: number; y: number; width: number; height: number } {
  const corners = [apply(m, { x: 0, y: 0 }), apply(m, { x: width, y: 0 }), apply(m, { x: width, y: height }), apply(m, { x: 0, y: height })]
  const xs = corners.map((p) => p.x)
  const ys = corners.map((p) => p.y)
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y }
}
