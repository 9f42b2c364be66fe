/**
 * The view's CRS and where each layer goes in it. The view's CRS is chosen, not stumbled into: the
 * first georeferenced layer's (of a known CRS when there is one), kept while some layer is in it
 * whatever the order of the layers, and changed only when a person picks another (`choose`); each
 * layer's placement follows (`map/placement.ts`). The definitions the host sent with the rasters
 * are registered; a layer whose EPSG code is not built in sends for the CRS definitions list once,
 * and when it brings a definition, the owner is told to place the layers again
 * (`definitionsFound`). No Pixi here: the viewer applies the placements to its layers and camera.
 */
import { messageOf } from '../../../shared/errors'
import type { CrsInfo, Georeference } from '../../../shared/raster'
import { crsOfGeoreference, loadCrsDefinitions, needsCrsLookup, registerCrs, transformPoint } from './crs'
import { PIXEL_VIEW, placeLayer, viewCrsOf, type LayerPlacement, type ViewCrs } from './placement'

/** A layer as placement sees it: its id and its georeferencing. */
export interface PlacedLayer {
  rasterId: string
  info: { georeference: Georeference | null }
}

export interface PlacementsOptions {
  /** A CRS definition arrived after the layers were placed: place them again and tell the listeners. */
  definitionsFound(): void
  /** Looks CRS ids (their EPSG codes) up in the definitions list; resolves true when one was added. Default: `loadCrsDefinitions`. */
  loadDefinitions?: (ids: Array<string | null>) => Promise<boolean>
}

export class Placements {
  private viewCrsValue: ViewCrs = PIXEL_VIEW
  private readonly byRaster = new Map<string, LayerPlacement>()
  /** CRSs a person set by hand (Set CRS…), by layer: they replace what the file says. */
  private readonly setByHand = new Map<string, CrsInfo>()
  private readonly listeners = new Set<() => void>()
  private closed = false

  constructor(private readonly options: PlacementsOptions) {}

  /** The CRS of the world, as of the last `place`. */
  get viewCrs(): ViewCrs {
    return this.viewCrsValue
  }

  /** How a layer is placed, as of the last `place`; undefined for a layer never placed or forgotten. */
  placement(rasterId: string): LayerPlacement | undefined {
    return this.byRaster.get(rasterId)
  }

  /** Picks the view's CRS (a `CrsInfo.id`); the next `place` puts the layers in it (if some layer is in it). */
  choose(id: string): void {
    this.viewCrsValue = { ...this.viewCrsValue, id }
  }

  /** Gives a georeferenced layer the CRS a person set (null: the file's own again); the next `place` puts it there. */
  setCrs(rasterId: string, crs: CrsInfo | null): void {
    if (crs) this.setByHand.set(rasterId, crs)
    else this.setByHand.delete(rasterId)
  }

  /** A layer's georeferencing with the CRS a person set in place of the file's; null without georeferencing. */
  georeferenceOf(layer: PlacedLayer): Georeference | null {
    const own = layer.info.georeference
    const crs = this.setByHand.get(layer.rasterId)
    return own && crs ? { ...own, epsg: crs.epsg, crs } : own
  }

  /**
   * Places `layers` (bottom first) in the view's CRS, which may change with them, and returns each
   * one's placement in the same order. A CRS not known yet is looked up in the background.
   */
  place(layers: readonly PlacedLayer[]): LayerPlacement[] {
    const georeferences = layers.map((l) => this.georeferenceOf(l))
    for (const georeference of georeferences) {
      const crs = crsOfGeoreference(georeference)
      if (crs) registerCrs(crs)
    }
    this.viewCrsValue = viewCrsOf(georeferences.map((georeference) => ({ georeference })), this.viewCrsValue.id)
    const placed = layers.map((layer, i) => {
      const placement = placeLayer(georeferences[i]!, this.viewCrsValue)
      this.byRaster.set(layer.rasterId, placement)
      return placement
    })
    this.lookUpUnknown(georeferences.map((g) => crsOfGeoreference(g)?.id ?? null))
    return placed
  }

  /** Forgets a removed layer's placement. */
  forget(rasterId: string): void {
    this.byRaster.delete(rasterId)
    this.setByHand.delete(rasterId)
  }

  /** Calls `listener` when the layers were placed anew (a CRS picked, or found in the definitions list). Returns its removal. */
  onChanged(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Tells the listeners that the layers were placed anew. */
  changed(): void {
    for (const listener of this.listeners) listener()
  }

  /** Nothing is said any more, even by a lookup still on its way. Idempotent. */
  close(): void {
    this.closed = true
    this.listeners.clear()
  }

  private lookUpUnknown(ids: Array<string | null>): void {
    if (!needsCrsLookup(ids)) return
    const load = this.options.loadDefinitions ?? loadCrsDefinitions
    load(ids)
      .then((added) => {
        if (added && !this.closed) this.options.definitionsFound()
      })
      .catch((error: unknown) => console.error(`Could not load the CRS definitions list: ${messageOf(error)}`))
  }
}

/** Where a camera is: its centre in world units and its zoom in screen pixels per world unit. */
export interface CameraPlace {
  centerX: number
  centerY: number
  zoom: number
}

/**
 * The camera of `view` (world of CRS `from`) taken into the world of CRS `to`: the ground point at
 * the centre stays at the centre, at the same ground scale (measured over 100 screen pixels
 * eastward). Null when there was no CRS before or either CRS cannot take the point: then fit.
 */
export function viewAcrossCrs(view: CameraPlace, from: string | null, to: string): CameraPlace | null {
  if (from === null) return null
  const span = 100 / view.zoom
  // World y is −map y (shared/geo/affine.ts).
  const centre = transformPoint(from, to, view.centerX, -view.centerY)
  const east = transformPoint(from, to, view.centerX + span, -view.centerY)
  if (!centre || !east) return null
  const moved = Math.hypot(east.x - centre.x, east.y - centre.y)
  return { centerX: centre.x, centerY: -centre.y, zoom: moved > 0 ? 100 / moved : view.zoom }
}
