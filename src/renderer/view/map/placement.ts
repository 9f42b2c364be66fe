/**
 * Where each layer goes in the world and what a person must be told about it. The view's CRS is the
 * first georeferenced layer's (bottom first); a layer in that CRS is placed by its geotransform, a
 * layer without georeferencing lies at the world origin one unit per pixel, a layer in another CRS
 * is reprojected on the fly when both CRSs are known (`map/crs.ts`), and otherwise drawn by its
 * geotransform without reprojection, with a warning saying so: nothing pretends to be placed where
 * it is not.
 */
import { IDENTITY, pixelToWorld } from '../../../shared/geo/affine'
import type { CrsInfo, Georeference } from '../../../shared/raster'
import { crsOfGeoreference, epsgId, isKnownCrs } from './crs'
import { affineMapping, reprojectedMapping, type LayerMapping } from './mapping'

/** The CRS the camera's world is in. */
export interface ViewCrs {
  /** Some layer is georeferenced: world units are map units. */
  georeferenced: boolean
  /** The view's CRS (`CrsInfo.id`); null when no layer is georeferenced or the one that set the view names no CRS. */
  id: string | null
  /** Its EPSG code, when it has one. */
  epsg: number | null
  /** Its name for people ("EPSG:31370", "NAD83 / Georgia East (ftUS)"); null without a CRS. */
  name: string | null
}

/** A view without georeferencing: world units are the bottom layer's pixels. */
export const PIXEL_VIEW: ViewCrs = { georeferenced: false, id: null, epsg: null, name: null }

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

/** The view in a layer's CRS (a georeferenced layer's; one that names no CRS gives a view of unknown CRS). */
export function viewCrsFor(georeference: Georeference): ViewCrs {
  const crs = crsOfGeoreference(georeference)
  return { georeferenced: true, id: crs?.id ?? null, epsg: crs?.epsg ?? null, name: crs ? crsLabel(crs) : null }
}

/**
 * The view's CRS for layers listed in the order they were opened, as chosen, not stumbled into:
 * `current` while some layer is still in it (reordering the layers never changes it), else the
 * CRS of the first georeferenced layer whose CRS is known (a picture without georeferencing never
 * sets it), else the first georeferenced layer's.
 */
export function viewCrsOf(layers: ReadonlyArray<{ georeference: Georeference | null }>, current: string | null = null): ViewCrs {
  const georeferenced = layers.filter((l) => l.georeference).map((l) => l.georeference!)
  if (georeferenced.length === 0) return PIXEL_VIEW
  const kept = current === null ? undefined : georeferenced.find((g) => crsOfGeoreference(g)?.id === current)
  if (kept) return viewCrsFor(kept)
  const known = georeferenced.find((g) => isKnownCrs(crsOfGeoreference(g)?.id ?? null))
  return viewCrsFor(known ?? georeferenced[0]!)
}

/** The CRSs a view of these layers can take: each georeferenced layer's, once, in the order given. */
export function crsChoices(layers: ReadonlyArray<{ georeference: Georeference | null }>): CrsChoice[] {
  const choices: CrsChoice[] = []
  for (const l of layers) {
    const crs = crsOfGeoreference(l.georeference)
    if (crs && !choices.some((c) => c.id === crs.id)) choices.push({ id: crs.id, label: crsLabel(crs) })
  }
  return choices
}

/** One CRS the view can take: its id and how a person reads it. */
export interface CrsChoice {
  id: string
  label: string
}

/** How a person reads a CRS: "EPSG:31370", or its name when it has no code ("Oblique Stereographic on Bessel 1841"). */
export function crsLabel(crs: CrsInfo): string {
  return crs.epsg !== null ? epsgId(crs.epsg) : crs.name || 'a user-defined CRS'
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
  const crs = crsOfGeoreference(georeference)
  const own = crs?.id ?? null
  if (own === view.id) return { mapping: affine, kind: 'map', note: null, warning: false }
  const theirs = view.id === null ? "the view's unknown CRS" : `the view's ${view.name ?? view.id}`
  if (own !== null && view.id !== null) {
    const reprojected = reprojectedMapping(georeference.geoTransform, own, view.id)
    if (reprojected) {
      return { mapping: reprojected, kind: 'reprojected', note: `${crsLabel(crs!)} reprojected on the fly to ${theirs}`, warning: false }
    }
  }
  const label = crs === null ? 'Unknown CRS' : crsLabel(crs)
  return { mapping: affine, kind: 'unprojected', note: `${label} differs from ${theirs}: drawn without reprojection`, warning: true }
}
