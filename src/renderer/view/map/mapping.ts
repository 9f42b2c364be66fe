/**
 * How a layer's pixels map to the world. Most layers are affine (their geotransform, or the pixel
 * grid): one matrix on their container places every tile. A layer in another CRS than the view's is
 * reprojected on the fly as OpenLayers does: pixel → its map (geotransform) → the view's map
 * (proj4js) → world, and each tile is drawn as a mesh whose vertices follow that function,
 * subdivided until the mesh is within half a screen pixel of it (`tileMesh`).
 */
import proj4 from 'proj4'
import { apply, geoTransformToWorld, invert, mapToWorld, worldToMap, type Affine, type Point } from '../../../shared/geo/affine'
import type { GeoTransform } from '../../../shared/raster'
import { crsDefinition } from './crs'

export interface LayerMapping {
  /** The exact affine pixel → world when the mapping is one (the container's matrix); null for a reprojection. */
  affine: Affine | null
  /** Full-resolution pixel → world (non-finite outside the CRS's domain). */
  toWorld(p: Point): Point
  /** World → full-resolution pixel (non-finite outside the CRS's domain). */
  toPixel(p: Point): Point
  /** The affine that best matches the mapping around pixel `p` (its derivative there). */
  localAffine(p: Point): Affine
}

/** An affine mapping (a geotransform, or the pixel grid). */
export function affineMapping(affine: Affine): LayerMapping {
  const inverse = invert(affine)
  return {
    affine,
    toWorld: (p) => apply(affine, p),
    toPixel: (p) => apply(inverse, p),
    localAffine: () => affine
  }
}

/**
 * The mapping of a layer of CRS `from` (a `CrsInfo.id`) with geotransform `gt` into a view of CRS
 * `to`, through proj4js; null when either CRS is unknown to Tessera (then it is drawn without
 * reprojection).
 */
export function reprojectedMapping(gt: GeoTransform, from: string, to: string): LayerMapping | null {
  const source = crsDefinition(from)
  const target = crsDefinition(to)
  if (!source || !target) return null
  let converter: proj4.Converter
  try {
    converter = proj4(source, target)
  } catch {
    return null // a definition proj4js cannot take
  }
  const layerToWorld = geoTransformToWorld(gt) // pixel → (layer map X, −layer map Y)
  const worldToLayer = invert(layerToWorld)
  const toWorld = (p: Point): Point => {
    const own = worldToMap(apply(layerToWorld, p))
    return mapToWorld(project(converter.forward, own))
  }
  const toPixel = (p: Point): Point => {
    const own = project(converter.inverse, worldToMap(p))
    return apply(worldToLayer, mapToWorld(own))
  }
  return { affine: null, toWorld, toPixel, localAffine: (p) => derivative(toWorld, p) }
}

function project(convert: (xy: [number, number]) => number[], p: Point): Point {
  try {
    const [x, y] = convert([p.x, p.y])
    return Number.isFinite(x) && Number.isFinite(y) ? { x: x!, y: y! } : { x: NaN, y: NaN }
  } catch {
    return { x: NaN, y: NaN } // outside the projection's domain
  }
}

/** The affine tangent to `f` at `p` (central differences over one pixel). */
function derivative(f: (p: Point) => Point, p: Point): Affine {
  const o = f(p)
  const dx1 = f({ x: p.x + 0.5, y: p.y })
  const dx0 = f({ x: p.x - 0.5, y: p.y })
  const dy1 = f({ x: p.x, y: p.y + 0.5 })
  const dy0 = f({ x: p.x, y: p.y - 0.5 })
  const a = dx1.x - dx0.x
  const b = dx1.y - dx0.y
  const c = dy1.x - dy0.x
  const d = dy1.y - dy0.y
  return { a, b, c, d, tx: o.x - a * p.x - c * p.y, ty: o.y - b * p.x - d * p.y }
}

/** A tile drawn through a reprojection: vertices relative to `origin` (float32 keeps small numbers exact). */
export interface TileMesh {
  /** World position of the mesh's local (0, 0): the tile's top-left corner. */
  origin: Point
  positions: Float32Array
  uvs: Float32Array
  indices: Uint32Array
  /** Cells per side of the grid. */
  cells: number
  /** Largest distance, in world units, between the mesh and the mapping it follows (at cell centres). */
  errorWorld: number
}

/** Most cells per side of a tile mesh (64² triangles pairs: enough for any tile of a sane CRS pair). */
export const MAX_MESH_CELLS = 32

/** A rectangle of a layer's full-resolution pixels (a tile). */
export interface PixelRect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * Points of one tile already taken through its mapping, keyed by their place on a lattice of
 * SAMPLE_LATTICE cells per side. Every vertex and cell centre of every mesh up to MAX_MESH_CELLS lies
 * on it, and a grid's cell centres are the vertices of the grid twice as fine: kept between calls
 * of `tileMesh` for one tile and one mapping, each point goes through proj4js once for all the
 * tile's meshes, whatever zoom band asked for them.
 */
export type TileSamples = Map<number, Point>

/** Cells per side of the lattice the samples of a tile are taken on (see TileSamples). */
const SAMPLE_LATTICE = 2 * MAX_MESH_CELLS

/**
 * The mesh of the pixel rectangle (x, y, width, height) of a layer through `toWorld`: a grid of
 * cells × cells quads, its cells doubled from 1 until the mesh is within `tolerance` world units of
 * the mapping (half a screen pixel at the current zoom) or MAX_MESH_CELLS is reached. Each quad is
 * two triangles, so the mesh is exact at its vertices and linear between them; the error is measured
 * at the cells' centres, where a triangle's interpolation strays most. `samples`, when given, holds
 * the points of this rectangle through this `toWorld` that earlier calls took, and gets the new ones.
 */
export function tileMesh(toWorld: (p: Point) => Point, rect: PixelRect, tolerance: number, samples: TileSamples = new Map()): TileMesh {
  const sample = (u: number, v: number): Point => {
    const key = v * (SAMPLE_LATTICE + 1) + u
    let point = samples.get(key)
    if (!point) {
      point = toWorld({ x: rect.x + (rect.width * u) / SAMPLE_LATTICE, y: rect.y + (rect.height * v) / SAMPLE_LATTICE })
      samples.set(key, point)
    }
    return point
  }
  let cells = 1
  for (;;) {
    const grid = gridPoints(sample, cells)
    const error = meshError(sample, cells, grid)
    if (error <= tolerance || cells >= MAX_MESH_CELLS || !Number.isFinite(error)) return buildMesh(cells, grid, error)
    cells *= 2
  }
}

/** The (cells + 1)² vertices of a grid, row by row. */
function gridPoints(sample: (u: number, v: number) => Point, cells: number): Point[] {
  const step = SAMPLE_LATTICE / cells
  const points: Point[] = []
  for (let j = 0; j <= cells; j++) {
    for (let i = 0; i <= cells; i++) points.push(sample(i * step, j * step))
  }
  return points
}

function meshError(sample: (u: number, v: number) => Point, cells: number, grid: Point[]): number {
  let worst = 0
  const half = SAMPLE_LATTICE / cells / 2
  const at = (i: number, j: number): Point => grid[j * (cells + 1) + i]!
  for (let j = 0; j < cells; j++) {
    for (let i = 0; i < cells; i++) {
      const truth = sample((2 * i + 1) * half, (2 * j + 1) * half)
      // Both triangles meet on the diagonal from (i, j) to (i+1, j+1): the centre is its midpoint.
      const a = at(i, j)
      const b = at(i + 1, j + 1)
      worst = Math.max(worst, Math.hypot(truth.x - (a.x + b.x) / 2, truth.y - (a.y + b.y) / 2))
    }
  }
  return worst
}

function buildMesh(cells: number, grid: Point[], errorWorld: number): TileMesh {
  const origin = grid[0]!
  const positions = new Float32Array(grid.length * 2)
  const uvs = new Float32Array(grid.length * 2)
  grid.forEach((p, k) => {
    positions[k * 2] = p.x - origin.x
    positions[k * 2 + 1] = p.y - origin.y
    uvs[k * 2] = (k % (cells + 1)) / cells
    uvs[k * 2 + 1] = Math.floor(k / (cells + 1)) / cells
  })
  const indices = new Uint32Array(cells * cells * 6)
  let n = 0
  for (let j = 0; j < cells; j++) {
    for (let i = 0; i < cells; i++) {
      const k = j * (cells + 1) + i
      indices.set([k, k + 1, k + cells + 2, k, k + cells + 2, k + cells + 1], n)
      n += 6
    }
  }
  return { origin, positions, uvs, indices, cells, errorWorld }
}

/** World bounds of a width × height raster through a mapping: its border sampled (a reprojected edge bends). */
export function mappedBounds(mapping: LayerMapping, width: number, height: number, samples = 16): { x: number; y: number; width: number; height: number } {
  const points: Point[] = []
  for (let k = 0; k <= samples; k++) {
    const t = k / samples
    points.push({ x: t * width, y: 0 }, { x: t * width, y: height }, { x: 0, y: t * height }, { x: width, y: t * height })
  }
  const world = points.map((p) => mapping.toWorld(p)).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
  if (world.length === 0) return { x: 0, y: 0, width: 0, height: 0 }
  const xs = world.map((p) => p.x)
  const ys = world.map((p) => p.y)
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y }
}
