/**
 * Coordinate reference systems through proj4js, by their id (`CrsInfo.id`: `EPSG:<n>`, or
 * `CUSTOM:<hash>` of a definition a file gives by its parameters): latitude/longitude of a map
 * point, points between CRSs and ground distances (the scale bar). A CRS is known when its
 * definition is: the one the host sent with the raster (`registerCrs`), or for an EPSG code, one
 * known at once (EPSG:4326, EPSG:3857: proj4js' own; the WGS 84 / UTM zones, whose definition
 * follows from the code) or looked up in the proj4 definitions of the npm package `proj4-list`
 * (5 400 EPSG codes as proj4js takes them; its datum shifts agree with PROJ's, where `epsg-index`
 * turned the rotations of Belgian Lambert 72's shift around: 57 m off), loaded only when such a
 * code is met (`loadCrsDefinitions`). A CRS without a definition stays unknown and is said so
 * plainly: nothing is guessed.
 */
import proj4 from 'proj4'
import type { CrsInfo, Georeference } from '../../../shared/raster'

/** Definitions given with rasters or by a person, by CRS id. */
const registered = new Map<string, string>()
/** Definitions found in the list, by EPSG code. */
const indexed = new Map<number, string>()
/** Codes already looked up in the list (found or not). */
const lookedUp = new Set<number>()

/** The id of EPSG:`code`. */
export function epsgId(code: number): string {
  return `EPSG:${code}`
}

/** The EPSG code an id names, or null for a CRS that has none. */
export function epsgOfId(id: string | null): number | null {
  const match = id === null ? null : /^EPSG:(\d{1,9})$/.exec(id)
  return match ? Number(match[1]) : null
}

/**
 * The CRS of a raster's georeferencing: the one the host described in full, or (a host that only
 * names a code) that code's; null when its georeferencing names no CRS at all.
 */
export function crsOfGeoreference(georeference: Georeference | null | undefined): CrsInfo | null {
  if (!georeference) return null
  if (georeference.crs) return georeference.crs
  if (georeference.epsg === null) return null
  return { id: epsgId(georeference.epsg), epsg: georeference.epsg, proj4: null, name: epsgId(georeference.epsg), source: 'geokeys' }
}

/** Remembers the definition of a CRS (sent with a raster, or set by a person): it is known from now on. */
export function registerCrs(crs: CrsInfo): void {
  if (crs.proj4 && !registered.has(crs.id)) registered.set(crs.id, crs.proj4)
}

/** The proj4 definition of CRS `id`, or null when Tessera does not know it (yet: see `loadCrsDefinitions`). */
export function crsDefinition(id: string | null): string | null {
  if (id === null) return null
  const own = registered.get(id)
  if (own) return own
  const epsg = epsgOfId(id)
  if (epsg === null) return null
  if (epsg === 4326 || epsg === 3857) return id // predefined in proj4js
  const zone = epsg % 100
  if (zone >= 1 && zone <= 60 && (epsg - zone === 32600 || epsg - zone === 32700)) {
    return `+proj=utm +zone=${zone}${epsg >= 32700 ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`
  }
  return indexed.get(epsg) ?? null
}

/** True when some of `ids` may yet be found in the definitions list (EPSG codes not known, never looked up). */
export function needsCrsLookup(ids: Iterable<string | null>): boolean {
  for (const id of ids) {
    const code = epsgOfId(id)
    if (code !== null && !lookedUp.has(code) && crsDefinition(id) === null) return true
  }
  return false
}

/**
 * Looks the EPSG codes of `ids` up in the definitions list (loaded once, on first need: about
 * 800 KB) and remembers the definitions found. Resolves with true when a definition was added.
 */
export async function loadCrsDefinitions(ids: Iterable<string | null>): Promise<boolean> {
  const wanted = [...ids].filter((id) => needsCrsLookup([id])).map((id) => epsgOfId(id)!)
  if (wanted.length === 0) return false
  const list = await definitionsList()
  let added = false
  for (const code of wanted) {
    lookedUp.add(code)
    const definition = list[`EPSG:${code}`]?.[1]
    if (definition) {
      indexed.set(code, definition)
      added = true
    }
  }
  return added
}

/** The proj4 definitions list of `proj4-list`, by `EPSG:n`. */
export async function definitionsList(): Promise<Record<string, [string, string] | undefined>> {
  const module = await import('proj4-list')
  return ('default' in module ? module.default : module) as Record<string, [string, string] | undefined>
}

/** True when CRS `id` can be turned into latitude/longitude. */
export function isKnownCrs(id: string | null): id is string {
  return crsDefinition(id) !== null
}

const converters = new Map<string, proj4.Converter>()

function converter(id: string): proj4.Converter | null {
  let found = converters.get(id)
  if (!found) {
    const definition = crsDefinition(id)
    if (!definition) return null
    try {
      found = proj4(definition, 'EPSG:4326')
    } catch {
      return null // a definition proj4js cannot take: unknown
    }
    converters.set(id, found)
  }
  return found
}

/**
 * Latitude and longitude (WGS 84 degrees) of a map point of CRS `id`; null for an unknown CRS or
 * a point outside its domain (a latitude past a pole, a longitude more than a turn away).
 */
export function toLatLon(id: string, x: number, y: number): { lat: number; lon: number } | null {
  let lat = y
  let lon = x
  if (epsgOfId(id) !== 4326) {
    const convert = converter(id)
    if (!convert) return null
    try {
      ;[lon, lat] = convert.forward([x, y]) as [number, number]
    } catch {
      return null
    }
  }
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 540 ? { lat, lon } : null
}

/** A map point of CRS `from` in CRS `to`; null when either is unknown or the point is outside a domain. */
export function transformPoint(from: string, to: string, x: number, y: number): { x: number; y: number } | null {
  const a = crsDefinition(from)
  const b = crsDefinition(to)
  if (!a || !b) return null
  try {
    const [px, py] = proj4(a, b).forward([x, y])
    return Number.isFinite(px) && Number.isFinite(py) ? { x: px!, y: py! } : null
  } catch {
    return null
  }
}

/** WGS 84 ellipsoid: semi-major axis (m) and first eccentricity squared. */
const WGS84_A = 6_378_137
const WGS84_E2 = 0.00669437999014

/**
 * Ground distance between two nearby WGS 84 points, metres: over the ellipsoid's local radii of
 * curvature (meridian and prime vertical) at their mean latitude, exact to well under 0.1 % over the
 * few hundred metres to kilometres a scale bar spans (a sphere was 0.3 % short at 50° N).
 */
export function groundDistance(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180
  const lat = ((a.lat + b.lat) / 2) * rad
  const w = 1 - WGS84_E2 * Math.sin(lat) ** 2
  const meridian = (WGS84_A * (1 - WGS84_E2)) / w ** 1.5
  const primeVertical = WGS84_A / Math.sqrt(w)
  return Math.hypot((b.lat - a.lat) * rad * meridian, (b.lon - a.lon) * rad * primeVertical * Math.cos(lat))
}

/**
 * Ground metres per map unit east–west around map point (x, y) of CRS `id`, measured over `span`
 * map units; null for an unknown CRS or a point outside it. (Web Mercator's metres shrink with the
 * cosine of the latitude; degrees of longitude too.)
 */
export function metresPerUnit(id: string, x: number, y: number, span: number): number | null {
  const a = toLatLon(id, x - span / 2, y)
  const b = toLatLon(id, x + span / 2, y)
  if (!a || !b || !(span > 0)) return null
  const metres = groundDistance(a, b)
  return metres > 0 ? metres / span : null
}

/** True when CRS `id` is geographic (longitude/latitude degrees): its coordinates print with more decimals. */
export function isGeographicCrs(id: string | null): boolean {
  if (epsgOfId(id) === 4326) return true
  const definition = crsDefinition(id)
  return definition !== null && /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(definition)
}

/** "51.234567° N, 3.123456° E". */
export function formatLatLon(p: { lat: number; lon: number }): string {
  return `${Math.abs(p.lat).toFixed(6)}° ${p.lat >= 0 ? 'N' : 'S'}, ${Math.abs(p.lon).toFixed(6)}° ${p.lon >= 0 ? 'E' : 'W'}`
}
