/**
 * Where each layer goes in the world and what a person must be told about it. The view's CRS is the
 * first georeferenced layer's (bottom first); a layer in that CRS is placed by its geotransform, a
 * layer without georeferencing lies at the world origin one unit per pixel, a layer in another CRS
 * is reprojected on the fly when both CRSs are known (`map/crs.ts`), and otherwise drawn by its
 * geotransform without reprojection, with a warning saying so: nothing pretends to be placed where
 * it is not.
 */
import { IDENTITY, pixelToWorld } from '../../../shared/geo/affine'
import type { Georeference } from '../../../shared/raster'
import { affineMapping, reprojectedMapping, type LayerMapping } from './mapping'

/** The CRS the camera's world is in. */
export interface ViewCrs {
  /** Some layer is georeferenced: world units are map units. */
  georeferenced: boolean
  /** EPSG code of the view's CRS; null when no layer is georeferenced or the first one names none. */
  epsg: number | null
}

export type PlacementKind = 'map' | 'pixels' | 'reprojected' | 'unprojected'

export interface LayerPlacement {
  /** Full-resolution pixel → world. */
  mapping: LayerMapping
  /**
   * 'map': on the ground in the view's CRS; 'pixels': no georeferencing; 'reprojected': another
   * CRS, reprojected on the fly; 'unprojected': another or an unknown CRS, drawn as if in the view's.
   */
  kind: PlacementKind
  /** What a person must know about where the layer is drawn; null when it is where it is on the ground in the view's CRS. */
  note: string | null
  /** The note is a warning: the layer is not where it is on the ground. */
  warning: boolean
}

/**
 * The view's CRS for layers listed bottom first: `chosen` when a person picked one that some layer
 * is in, else the first georeferenced layer's.
 */
export function viewCrsOf(layers: ReadonlyArray<{ georeference: Georeference | null }>, chosen: number | null = null): ViewCrs {
  if (chosen !== null && layers.some((l) => l.georeference?.epsg === chosen)) return { georeferenced: true, epsg: chosen }
  const first = layers.find((l) => l.georeference)
  return first ? { georeferenced: true, epsg: first.georeference!.epsg } : { georeferenced: false, epsg: null }
}

/** The CRSs a view of these layers can take: the EPSG code of each georeferenced layer, once, bottom first. */
export function crsChoices(layers: ReadonlyArray<{ georeference: Georeference | null }>): number[] {
  const codes: number[] = []
  for (const l of layers) {
    const epsg = l.georeference?.epsg
    if (epsg !== undefined && epsg !== null && !codes.includes(epsg)) codes.push(epsg)
  }
  return codes
}

/** How a layer is placed in a view of CRS `view`. */
export function placeLayer(georeference: Georeference | null, view: ViewCrs): LayerPlacement {
  if (!georeference) {
    return {
      mapping: affineMapping(IDENTITY),
      kind: 'pixels',
      note: view.georeferenced ? 'Not georeferenced: drawn at the map origin (0, 0), one map unit per pixel' : null,
      warning: view.georeferenced
    }
  }
  const affine = affineMapping(pixelToWorld(georeference))
  if (georeference.epsg === view.epsg) return { mapping: affine, kind: 'map', note: null, warning: false }
  if (georeference.epsg !== null && view.epsg !== null) {
    const reprojected = reprojectedMapping(georeference.geoTransform, georeference.epsg, view.epsg)
    if (reprojected) {
      return { mapping: reprojected, kind: 'reprojected', note: `EPSG:${georeference.epsg} reprojected on the fly to the view's EPSG:${view.epsg}`, warning: false }
    }
  }
  const own = georeference.epsg === null ? 'Unknown CRS' : `EPSG:${georeference.epsg}`
  const theirs = view.epsg === null ? "the view's unknown CRS" : `the view's EPSG:${view.epsg}`
  return { mapping: affine, kind: 'unprojected', note: `${own} differs from ${theirs}: drawn without reprojection`, warning: true }
}
