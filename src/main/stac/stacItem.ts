/**
 * An Item's JSON summarised for the STAC browser: id, time, footprint (its bbox and (multi)polygon
 * geometry, WGS 84) and assets, each asset's href resolved against the Item's document and judged:
 * Tessera opens a GeoTIFF or COG (by its media type, else by a .tif/.tiff href) at a URL or a path.
 */
import type { StacAsset, StacBbox, StacGeometry, StacItemSummary } from '../../shared/stac'
import { type StacBase, locationText, resolveHref } from './stacLocation'

/** `json` (an Item, checked by `checkStacObject`) read at `base`. Malformed fields are dropped, never guessed. */
export function summariseItem(json: Record<string, unknown>, base: StacBase): StacItemSummary {
  const properties = isRecord(json.properties) ? json.properties : {}
  const geometry = polygonGeometry(json.geometry)
  const bbox = bboxOf(json.bbox) ?? (geometry ? boundsOf(geometry) : null)
  const item: StacItemSummary = {
    id: typeof json.id === 'string' ? json.id : '(no id)',
    href: selfHref(json, base),
    datetime: typeof properties.datetime === 'string' ? properties.datetime : null,
    bbox,
    geometry,
    assets: isRecord(json.assets) ? Object.entries(json.assets).flatMap(([key, asset]) => (isRecord(asset) ? [summariseAsset(key, asset, base)] : [])) : []
  }
  if (typeof properties.title === 'string') item.title = properties.title
  if (typeof properties.start_datetime === 'string') item.startDatetime = properties.start_datetime
  if (typeof properties.end_datetime === 'string') item.endDatetime = properties.end_datetime
  return item
}

/** One asset: its href resolved, whether Tessera opens it, and why not. */
export function summariseAsset(key: string, asset: Record<string, unknown>, base: StacBase): StacAsset {
  const href = typeof asset.href === 'string' ? asset.href : ''
  const type = typeof asset.type === 'string' ? asset.type : undefined
  const roles = Array.isArray(asset.roles) ? asset.roles.filter((r): r is string => typeof r === 'string') : []
  const resolved = resolveHref(href, base)
  const media = type === undefined ? null : mediaType(type)
  const summary: StacAsset = {
    key,
    roles,
    href: resolved.kind === 'none' ? href : locationText(resolved),
    location: resolved.kind,
    openable: false,
    cloudOptimized: media?.params.get('profile') === 'cloud-optimized'
  }
  if (typeof asset.title === 'string') summary.title = asset.title
  if (type !== undefined) summary.type = type
  const why = resolved.kind === 'none' ? resolved.why : whyNotGeoTiff(media, summary.href)
  if (why === null) summary.openable = true
  else summary.why = why
  return summary
}

/** Null for a GeoTIFF (`image/tiff`, any parameters), or one without a media type whose href ends .tif/.tiff. */
function whyNotGeoTiff(media: ReturnType<typeof mediaType> | null, href: string): string | null {
  if (media !== null) return media.essence === 'image/tiff' || media.essence === 'image/geotiff' ? null : `${media.essence} is not a GeoTIFF`
  const path = href.split(/[?#]/)[0]!
  return /\.tiff?$/i.test(path) ? null : 'no media type, and its href does not end in .tif or .tiff'
}

/** A media type's essence and parameters, lower-cased ("image/tiff; application=geotiff; profile=cloud-optimized"). */
export function mediaType(text: string): { essence: string; params: Map<string, string> } {
  const [essence = '', ...rest] = text.split(';')
  const params = new Map<string, string>()
  for (const part of rest) {
    const at = part.indexOf('=')
    if (at > 0) params.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim().replace(/^"|"$/g, '').toLowerCase())
  }
  return { essence: essence.trim().toLowerCase(), params }
}

/** The Item's `self` link resolved, else the document it was read from. */
function selfHref(json: Record<string, unknown>, base: StacBase): string {
  const self = Array.isArray(json.links) ? json.links.find((l) => isRecord(l) && l.rel === 'self' && typeof l.href === 'string') : undefined
  if (isRecord(self)) {
    const resolved = resolveHref(self.href as string, base)
    if (resolved.kind !== 'none') return locationText(resolved)
  }
  return locationText(base)
}

/** A bbox of 4 or 6 finite numbers, as [w, s, e, n]; null otherwise. */
export function bboxOf(value: unknown): StacBbox | null {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) return null
  const v = value as number[]
  if (v.length === 4) return [v[0]!, v[1]!, v[2]!, v[3]!]
  if (v.length === 6) return [v[0]!, v[1]!, v[3]!, v[4]!]
  return null
}

/** A Polygon or MultiPolygon whose positions are pairs (or triples) of finite numbers; null otherwise. */
function polygonGeometry(value: unknown): StacGeometry | null {
  if (!isRecord(value)) return null
  if (value.type === 'Polygon' && isPolygon(value.coordinates)) return { type: 'Polygon', coordinates: value.coordinates.map(lonLatRing) }
  if (value.type === 'MultiPolygon' && Array.isArray(value.coordinates) && value.coordinates.length > 0 && value.coordinates.every(isPolygon)) {
    return { type: 'MultiPolygon', coordinates: (value.coordinates as number[][][][]).map((polygon) => polygon.map(lonLatRing)) }
  }
  return null
}

function isPolygon(value: unknown): value is number[][][] {
  return Array.isArray(value) && value.length > 0 && value.every((ring) => Array.isArray(ring) && ring.length >= 4 && ring.every(isPosition))
}

function isPosition(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 2 && typeof value[0] === 'number' && typeof value[1] === 'number' && Number.isFinite(value[0]) && Number.isFinite(value[1])
}

/** A ring's positions as [lon, lat] (a height dropped). */
function lonLatRing(ring: number[][]): number[][] {
  return ring.map((p) => [p[0]!, p[1]!])
}

function boundsOf(geometry: StacGeometry): StacBbox {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()
  let w = Infinity
  let s = Infinity
  let e = -Infinity
  let n = -Infinity
  for (const [x, y] of rings.flat() as [number, number][]) {
    w = Math.min(w, x)
    e = Math.max(e, x)
    s = Math.min(s, y)
    n = Math.max(n, y)
  }
  return [w, s, e, n]
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
