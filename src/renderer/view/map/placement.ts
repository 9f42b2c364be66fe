/**
 * Where each layer goes in the world and what a person must be told about it. The view's CRS is the
 * first georeferenced layer's (bottom first); a layer in that CRS is placed by its geotransform, a
 * layer without georeferencing lies at the world origin one unit per pixel, and a layer in another
 * (or an unknown) CRS is drawn by its geotransform without reprojection, with a warning saying so:
 * nothing pretends to be placed where it is not.
 */
import { IDENTITY, pixelToWorld, type Affine } from '../../../shared/geo/affine'
import type { Georeference } from '../../../shared/raster'

/** The CRS the camera's world is in. */
export interface ViewCrs {
  /** Some layer is georeferenced: world units are map units. */
  georeferenced: boolean
  /** EPSG code of the view's CRS; null when no layer is georeferenced or the first one names none. */
  epsg: number | null
}

export type PlacementKind = 'map' | 'pixels' | 'unprojected'

export interface LayerPlacement {
  /** Full-resolution pixel → world. */
  transform: Affine
  /** 'map': on the ground in the view's CRS; 'pixels': no georeferencing; 'unprojected': another CRS, drawn as if in the view's. */
  kind: PlacementKind
  /** What a person must know about where the layer is drawn; null when it is where it is on the ground. */
  note: string | null
}

/** The view's CRS for layers listed bottom first: the first georeferenced one's. */
export function viewCrsOf(layers: ReadonlyArray<{ georeference: Georeference | null }>): ViewCrs {
  const first = layers.find((l) => l.georeference)
  return first ? { georeferenced: true, epsg: first.georeference!.epsg } : { georeferenced: false, epsg: null }
}

/** How a layer is placed in a view of CRS `view`. */
export function placeLayer(georeference: Georeference | null, view: ViewCrs): LayerPlacement {
  if (!georeference) {
    return {
      transform: IDENTITY,
      kind: 'pixels',
      note: view.georeferenced ? 'Not georeferenced: drawn at the map origin (0, 0), one map unit per pixel' : null
    }
  }
  const transform = pixelToWorld(georeference)
  if (georeference.epsg === view.epsg) return { transform, kind: 'map', note: null }
  const own = georeference.epsg === null ? 'Unknown CRS' : `EPSG:${georeference.epsg}`
  const theirs = view.epsg === null ? "the view's unknown CRS" : `the view's EPSG:${view.epsg}`
  return { transform, kind: 'unprojected', note: `${own} differs from ${theirs}: drawn without reprojection` }
}
