/**
 * Coordinate reference systems by EPSG code, through proj4js: latitude/longitude of a map point
 * and ground distances (the scale bar). Known at once: EPSG:4326 and EPSG:3857 (proj4js' own
 * definitions) and the WGS 84 / UTM zones (EPSG:32601–32660 north, 32701–32760 south, whose
 * definition follows from the code). Any other code is looked up in the proj4 definitions of the
 * npm package `proj4-list` (5 400 EPSG codes as proj4js takes them; its datum shifts agree with
 * PROJ's, where `epsg-index` turned the rotations of Belgian Lambert 72's shift around: 57 m off),
 * loaded only when such a code is met (`loadCrsDefinitions`); a code it lacks stays unknown and is
 * said so plainly: nothing is guessed.
 */
import proj4 from 'proj4'

/** Definitions found in the list, by code. */
const indexed = new Map<number, string>()
/** Codes already looked up in the list (found or not). */
const lookedUp = new Set<number>()

/** The proj4 definition of an EPSG code, or null when Tessera does not know it (yet: see `loadCrsDefinitions`). */
export function crsDefinition(epsg: number): string | null {
  if (epsg === 4326 || epsg === 3857) return `EPSG:${epsg}` // predefined in proj4js
  const zone = epsg % 100
  if (zone >= 1 && zone <= 60 && (epsg - zone === 32600 || epsg - zone === 32700)) {
    return `+proj=utm +zone=${zone}${epsg >= 32700 ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`
  }
  return indexed.get(epsg) ?? null
}

/** True when some of `codes` may yet be found in the definitions list (not known, never looked up). */
export function needsCrsLookup(codes: Iterable<number | null>): boolean {
  for (const code of codes) if (code !== null && !lookedUp.has(code) && crsDefinition(code) === null) return true
  return false
}

/**
 * Looks `codes` up in the definitions list (loaded once, on first need: about 800 KB) and
 * remembers the definitions found. Resolves with true when a definition was added.
 */
export async function loadCrsDefinitions(codes: Iterable<number | null>): Promise<boolean> {
  const wanted = [...codes].filter((c): c is number => c !== null && !lookedUp.has(c) && crsDefinition(c) === null)
  if (wanted.length === 0) return false
  const module = await import('proj4-list')
  const list = ('default' in module ? module.default : module) as Record<string, [string, string] | undefined>
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

/** True when EPSG:`epsg` can be turned into latitude/longitude. */
export function isKnownCrs(epsg: number | null): epsg is number {
  return epsg !== null && crsDefinition(epsg) !== null
}

const converters = new Map<number, proj4.Converter>()

function converter(epsg: number): proj4.Converter | null {
  let found = converters.get(epsg)
  if (!found) {
    const definition = crsDefinition(epsg)
    if (!definition) return null
    found = proj4(definition, 'EPSG:4326')
    converters.set(epsg, found)
  }
  return found
}

/** Latitude and longitude (WGS 84 degrees) of a map point of EPSG:`epsg`; null for an unknown CRS or a point outside its domain. */
export function toLatLon(epsg: number, x: number, y: number): { lat: number; lon: number } | null {
  if (epsg === 4326) return { lat: y, lon: x }
  const convert = converter(epsg)
  if (!convert) return null
  const [lon, lat] = convert.forward([x, y])
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat!) <= 90 ? { lat: lat!, lon: lon! } : null
}

/** A map point of EPSG:`from` in EPSG:`to`; null when either is unknown or the point is outside a domain. */
export function transformPoint(from: number, to: number, x: number, y: number): { x: number; y: number } | null {
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
 * Ground metres per map unit east–west around map point (x, y) of EPSG:`epsg`, measured over
 * `span` map units; null for an unknown CRS. (Web Mercator's metres shrink with the cosine of the
 * latitude; degrees of longitude too.)
 */
export function metresPerUnit(epsg: number, x: number, y: number, span: number): number | null {
  const a = toLatLon(epsg, x - span / 2, y)
  const b = toLatLon(epsg, x + span / 2, y)
  if (!a || !b || !(span > 0)) return null
  const metres = groundDistance(a, b)
  return metres > 0 ? metres / span : null
}

/** "51.234567° N, 3.123456° E". */
export function formatLatLon(p: { lat: number; lon: number }): string {
  return `${Math.abs(p.lat).toFixed(6)}° ${p.lat >= 0 ? 'N' : 'S'}, ${Math.abs(p.lon).toFixed(6)}° ${p.lon >= 0 ? 'E' : 'W'}`
}
