/**
 * Web map layers (issue 25): what a service's capabilities offer, and where a web layer's tiles
 * come from. Shared by the host (which reads capabilities and fetches tiles) and the renderer
 * (the "Add map layer…" dialog, the layer's row, the attribution).
 */

/**
 * The finest Web Mercator zoom an XYZ layer may have (TileJSON's default `maxzoom`): level 0 of
 * its pyramid is then 256 · 2^30 pixels across, still exact in doubles.
 */
export const MAX_WEB_ZOOM = 30

/** The zooms of an XYZ template when neither the person nor a document says: 0 to 19, as OpenStreetMap's. */
export const DEFAULT_XYZ_ZOOMS = { minZoom: 0, maxZoom: 19 } as const

/** The kinds of web map service Tessera reads. */
export type WebServiceKind = 'wms' | 'wmts' | 'xyz'

export const WEB_SERVICE_KINDS: readonly WebServiceKind[] = ['wms', 'wmts', 'xyz']

/** A style a layer offers. */
export interface WebStyle {
  name: string
  title: string
}

/** One layer of a service's capabilities, for a person to pick. */
export interface WebLayerChoice {
  /** The name the service asks for (WMS `LAYERS=`, WMTS `Layer=`); an XYZ template's own URL. */
  name: string
  title: string
  /** CRS ids the layer is served in (`EPSG:3857`, …); a WMTS layer's tile matrix sets' CRSs. */
  crs: string[]
  styles: WebStyle[]
  /** Image formats (MIME types) the layer is served in. */
  formats: string[]
  /** Its extent in WGS 84 longitude/latitude: [west, south, east, north]. */
  bbox84?: [number, number, number, number]
  /** WMTS: the identifiers of the tile matrix sets it is tiled in. */
  tileMatrixSets?: string[]
  /** WMS: its time dimension, as the capabilities state it (values as the server wrote them). */
  time?: { default?: string; values?: string }
  /** XYZ: the zooms it has, when its document states them (a TMS `tilemapresource.xml`, a TileJSON). */
  minZoom?: number
  maxZoom?: number
}

/** What `web-capabilities` answers. */
export interface WebCapabilities {
  service: WebServiceKind
  title: string
  version?: string
  layers: WebLayerChoice[]
  /** The service's attribution (its provider), for the view's corner. */
  attribution?: string
}

/** Where a web layer's tiles come from: `RasterInfo.source` of a layer opened by `open-web-layer`. */
export interface WebSource {
  kind: 'web'
  service: WebServiceKind
  /** The capabilities URL (or the XYZ template) as the person gave it. */
  url: string
  layer: string
  /** What the view must show beside the layer (the service's or the layer's attribution); '' when none is stated. */
  attribution: string
}
