/**
 * A profile along a line drawn on the view (issue 23): the line sampled at the finest visible value
 * layer's pixel size, and every visible value layer's level-0 value at each sample, asked of the
 * host (`sample-values`: the renderer's tiles may hold only coarser levels along the line) in
 * batches that each stay within the call's bounds. Distances are ground metres along the line
 * (geodesic, WGS 84) when the view's CRS is known, map units otherwise.
 */
import type { SamplePoint, SampledValues, ServiceCalls } from '../../../shared/calls'
import { MESSAGE_LIMITS } from '../../../shared/calls'
import { type Point, unitsPerPixel, worldToMap } from '../../../shared/geo/affine'
import type { SampleType } from '../../../shared/raster'
import type { TileLayer } from '../../view/TileLayer'
import { type MeasureMethod, type ToLatLon, measure } from './measure'
import { cumulativeDistances, samplePolyline } from './profileSampling'

/** Level-0 tiles one batch may touch: the host's `MAX_SAMPLE_TILES`. */
export const BATCH_TILES = 16

export interface ProfileColumn {
  rasterId: string
  /** The layer's name, and its band when the raster has several ("rgb.tif band 2"). */
  name: string
  /** The band's sample type: a Float32 value is written as the shortest decimal that reads back as it. */
  sampleType: SampleType
  /** The value at each sample (null: no data, or outside the layer). */
  values: Array<number | null>
  /** Each sample's level-0 pixel of this layer (column, row: the floor of each). */
  pixels: SamplePoint[]
}

export interface Profile {
  method: MeasureMethod
  /** Map coordinates of each sample, in the view's CRS. */
  points: Point[]
  /** World points of each sample (to mark them on the view). */
  world: Point[]
  /** Distance of each sample along the line (metres when geodesic, map units when planar). */
  distances: number[]
  /** Index of each vertex among the samples. */
  vertexIndices: number[]
  /** The step in world units the line was sampled at. */
  step: number
  columns: ProfileColumn[]
}

/** The layers a profile charts: visible layers of values ('bands' tiles). */
export function profileLayers(layers: readonly TileLayer[]): TileLayer[] {
  return layers.filter((l) => l.visible && l.info.tileKind === 'bands')
}

/** The finest pixel size (world units) among `layers` around world point `at`. */
export function finestPixelSize(layers: readonly TileLayer[], at: Point): number {
  let finest = Number.POSITIVE_INFINITY
  for (const layer of layers) {
    const mapping = layer.mapping
    const size = unitsPerPixel(mapping.affine ?? mapping.localAffine(mapping.toPixel(at)))
    if (Number.isFinite(size) && size > 0) finest = Math.min(finest, size)
  }
  return finest
}

/**
 * Splits the samples (level-0 pixels of one raster) into consecutive batches of at most
 * `maxPoints` points that touch at most `maxTiles` tiles inside the raster each: [start, end) ranges.
 */
export function sampleBatches(pixels: readonly SamplePoint[], size: { width: number; height: number; tileSize: number }, maxPoints: number = MESSAGE_LIMITS.maxSamplePoints, maxTiles: number = BATCH_TILES): Array<[number, number]> {
  const batches: Array<[number, number]> = []
  let start = 0
  let tiles = new Set<string>()
  pixels.forEach((p, i) => {
    const x = Math.floor(p.x)
    const y = Math.floor(p.y)
    const inside = x >= 0 && y >= 0 && x < size.width && y < size.height
    const key = inside ? `${Math.floor(x / size.tileSize)}/${Math.floor(y / size.tileSize)}` : null
    const full = i - start >= maxPoints || (key !== null && !tiles.has(key) && tiles.size >= maxTiles)
    if (full) {
      batches.push([start, i])
      start = i
      tiles = new Set()
    }
    if (key !== null) tiles.add(key)
  })
  if (start < pixels.length) batches.push([start, pixels.length])
  return batches
}

/**
 * Builds the profile of the line through `vertices` (world points) over `layers`. `toLatLon`
 * (null: the view's CRS is unknown) makes distances geodesic. Rejects with the host's error.
 */
export async function buildProfile(
  vertices: readonly Point[],
  layers: readonly TileLayer[],
  sample: ServiceCalls['sample-values'],
  toLatLon: ToLatLon | null
): Promise<Profile> {
  const middle = vertices[Math.floor(vertices.length / 2)] ?? { x: 0, y: 0 }
  const finest = finestPixelSize(layers, middle)
  const line = samplePolyline(vertices, Number.isFinite(finest) ? finest : 1)
  const points = line.points.map(worldToMap)
  const geodesic = toLatLon !== null && points.every((p) => toLatLon(p) !== null)
  const distances = geodesic ? cumulativeDistances(points, (a, b) => measure([a, b], false, toLatLon).total) : cumulativeDistances(points)
  const columns = await Promise.all(
    layers.flatMap((layer) => {
      const bands = layer.display?.bands ?? layer.info.displayBands
      const band = bands[0]
      const pixels = line.points.map((p) => layer.worldToPixel(p))
      const name = layer.info.bands > 1 ? `${layer.info.name} band ${band + 1}` : layer.info.name
      return [columnOf(layer, name, band, pixels, sample)]
    })
  )
  return { method: geodesic ? 'geodesic, WGS 84' : 'planar, map units', points, world: line.points, distances, vertexIndices: line.vertexIndices, step: line.step, columns }
}

async function columnOf(layer: TileLayer, name: string, band: number, pixels: SamplePoint[], sample: ServiceCalls['sample-values']): Promise<ProfileColumn> {
  const finite = pixels.map((p) => (Number.isFinite(p.x) && Number.isFinite(p.y) ? p : { x: -1, y: -1 }))
  const values: Array<number | null> = new Array(finite.length).fill(null)
  for (const [start, end] of sampleBatches(finite, layer.info)) {
    const batch = finite.slice(start, end)
    if (!batch.some((p) => p.x >= 0 && p.y >= 0 && p.x < layer.info.width && p.y < layer.info.height)) continue
    const got: SampledValues[] = await sample({ rasterId: layer.rasterId, points: batch })
    got.forEach((v, i) => {
      values[start + i] = v?.[band] ?? null
    })
  }
  return { rasterId: layer.rasterId, name, sampleType: layer.info.sampleType, values, pixels: finite.map((p) => ({ x: Math.floor(p.x), y: Math.floor(p.y) })) }
}
