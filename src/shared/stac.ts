/**
 * STAC documents (issue 25): what the host says of an Item, a Collection or a Catalog it read
 * (`stac-read`), for the renderer's STAC browser. Every href is already resolved against the
 * document it came from (STAC: relative hrefs are relative to the document's own location), and
 * every footprint is GeoJSON in WGS 84 longitude/latitude, as STAC requires.
 */
import { antimeridianRings, bboxRings } from './geo/antimeridian'

/** [west, south, east, north] in degrees (a 3-D bbox's heights dropped). */
export type StacBbox = [number, number, number, number]

/** A footprint's geometry: the GeoJSON types whose outline can be drawn. */
export type StacGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }

/**
 * Where an asset's bytes are, and how Tessera opens them: a server's URL (`open-url`, range reads),
 * or a path on the host (`open`, as a file is), or nowhere Tessera reads (`why` says why).
 */
export type StacAssetLocation = 'url' | 'path' | 'none'

/** One asset of an Item. */
export interface StacAsset {
  /** Its key in the Item's `assets`. */
  key: string
  title?: string
  /** Its media type as the document says it. */
  type?: string
  roles: string[]
  /** Resolved: an absolute http(s) URL, an absolute path on the host, or as written when neither. */
  href: string
  location: StacAssetLocation
  /** True when Tessera opens it as a layer: a GeoTIFF/COG (by its media type, else a .tif/.tiff href) at a URL or path. */
  openable: boolean
  /** True when its media type says `profile=cloud-optimized`. */
  cloudOptimized: boolean
  /** Why it is not openable, in words (absent when it is). */
  why?: string
}

/** An Item: a footprint, a time and assets. */
export interface StacItemSummary {
  id: string
  /** The Item's own document (resolved), or the Catalog's when the Item was embedded. */
  href: string
  title?: string
  /** `properties.datetime` (RFC 3339) or null when the Item gives a range instead. */
  datetime: string | null
  startDatetime?: string
  endDatetime?: string
  /** Its bbox, or the geometry's bounds; null for an Item without a footprint. */
  bbox: StacBbox | null
  /** Its geometry when it is a (multi)polygon; else the footprint is its bbox. */
  geometry: StacGeometry | null
  assets: StacAsset[]
}

/** A link to a child catalog or collection. */
export interface StacChildLink {
  href: string
  title?: string
}

/** A Collection or Catalog: its items (its own and its children's, one level down), a page at a time. */
export interface StacCatalogSummary {
  kind: 'Collection' | 'Catalog'
  id: string
  href: string
  title?: string
  description?: string
  /** A Collection's spatial extent (its first bbox). */
  bbox: StacBbox | null
  /** The items of this page, in the order their links come. */
  items: StacItemSummary[]
  /** Index of this page's first item among all item links found. */
  first: number
  /** Item links found (own, then the children's, one level down), at most `STAC_LIMITS.maxItems`. */
  itemCount: number
  /** True when more item links exist than `STAC_LIMITS.maxItems` (or the children are too many to follow). */
  truncated: boolean
  /** Children followed for their items. */
  children: StacChildLink[]
  /** What could not be read (a child, an item), one line each, naming its href and the cause. */
  problems: string[]
}

/** What `stac-read` answers. */
export type StacDocument =
  | { kind: 'Item'; stacVersion: string; item: StacItemSummary }
  | ({ stacVersion: string } & StacCatalogSummary)

/** Bounds on what one `stac-read` reads. */
export const STAC_LIMITS = {
  /** Largest STAC document read: 16 MiB. */
  maxDocumentBytes: 16 * 1024 * 1024,
  /** Longest document text a page sends itself (a file dropped in a browser): under the WebSocket's 16 MiB message. */
  maxDocumentText: 4 * 1024 * 1024,
  /** Item links listed for one Collection or Catalog. */
  maxItems: 500,
  /** Items read (fetched and summarised) per page. */
  pageSize: 100,
  /** Child catalogs followed for their items. */
  maxChildren: 50,
  /** Documents read at once while listing. */
  readsAtOnce: 8
} as const

/**
 * The footprint's outline rings (lon/lat, within [-180, 180]): the geometry's outer rings, else the
 * bbox's rectangle; one across the antimeridian cut there into its two sides (`geo/antimeridian.ts`).
 */
export function footprintRings(item: Pick<StacItemSummary, 'bbox' | 'geometry'>): number[][][] {
  const { geometry, bbox } = item
  if (geometry?.type === 'Polygon') return geometry.coordinates.slice(0, 1).flatMap(antimeridianRings)
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates.flatMap((polygon) => (polygon[0] ? antimeridianRings(polygon[0]) : []))
  return bbox ? bboxRings(bbox) : []
}
