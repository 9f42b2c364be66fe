/**
 * GeoTIFF's coordinate transformation codes (ProjCoordTransGeoKey, GeoTIFF 1.1 §7.5.3 and
 * libgeotiff's 9815 for Hotine variant B) → PROJ's method and its parameters, read from the keys
 * as GDAL's geo_normalize.c reads them: each parameter from its key, else from the keys other
 * writers put it in (a false origin for a natural origin, a centre for an origin).
 */

/** Reads a projection parameter key (already in degrees or metres), or undefined when absent. */
export type ParameterReader = (...keys: string[]) => number | undefined

/** The PROJ method and parameters of a transformation, or null for a code Tessera does not map. */
export interface MappedMethod {
  method: string
  parameters: Record<string, number>
  flags: string[]
}

const NAT_LAT = ['ProjNatOriginLatGeoKey', 'ProjFalseOriginLatGeoKey', 'ProjCenterLatGeoKey']
const NAT_LON = ['ProjNatOriginLongGeoKey', 'ProjFalseOriginLongGeoKey', 'ProjCenterLongGeoKey']
const CENTER_LAT = ['ProjCenterLatGeoKey', 'ProjNatOriginLatGeoKey', 'ProjFalseOriginLatGeoKey']
const CENTER_LON = ['ProjCenterLongGeoKey', 'ProjNatOriginLongGeoKey', 'ProjFalseOriginLongGeoKey']
const FALSE_E = ['ProjFalseEastingGeoKey', 'ProjCenterEastingGeoKey', 'ProjFalseOriginEastingGeoKey']
const FALSE_N = ['ProjFalseNorthingGeoKey', 'ProjCenterNorthingGeoKey', 'ProjFalseOriginNorthingGeoKey']
const ORIGIN_E = ['ProjFalseOriginEastingGeoKey', 'ProjFalseEastingGeoKey']
const ORIGIN_N = ['ProjFalseOriginNorthingGeoKey', 'ProjFalseNorthingGeoKey']
const SCALE = ['ProjScaleAtNatOriginGeoKey', 'ProjScaleAtCenterGeoKey']
const CENTER_SCALE = ['ProjScaleAtCenterGeoKey', 'ProjScaleAtNatOriginGeoKey']

/** Keys that hold lengths (in the linear unit), the rest angles (in the angular unit) or scales. */
export const LENGTH_KEYS: ReadonlySet<string> = new Set([
  'ProjFalseEastingGeoKey', 'ProjFalseNorthingGeoKey', 'ProjFalseOriginEastingGeoKey', 'ProjFalseOriginNorthingGeoKey',
  'ProjCenterEastingGeoKey', 'ProjCenterNorthingGeoKey'
])
export const SCALE_KEYS: ReadonlySet<string> = new Set(['ProjScaleAtNatOriginGeoKey', 'ProjScaleAtCenterGeoKey'])

/** Drops the parameters the keys did not give (PROJ's defaults then apply). */
function given(parameters: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(parameters).filter((entry): entry is [string, number] => entry[1] !== undefined))
}

/** GeoTIFF transformation code → how its parameters read. */
export function mapTransformation(code: number, read: ParameterReader): MappedMethod | null {
  const natural = { lat_0: read(...NAT_LAT), lon_0: read(...NAT_LON), x_0: read(...FALSE_E), y_0: read(...FALSE_N) }
  const centre = { lat_0: read(...CENTER_LAT), lon_0: read(...CENTER_LON), x_0: read(...FALSE_E), y_0: read(...FALSE_N) }
  const method = (name: string, parameters: Record<string, number | undefined>, flags: string[] = []): MappedMethod => ({ method: name, parameters: given(parameters), flags })
  switch (code) {
    case 1: // Transverse Mercator
      return method('tmerc', { ...natural, k_0: read(...SCALE) })
    case 7: { // Mercator: 2SP when a standard parallel is given, else 1SP with its scale
      const latTs = read('ProjStdParallel1GeoKey')
      return method('merc', { lon_0: natural.lon_0, x_0: natural.x_0, y_0: natural.y_0, ...(latTs !== undefined ? { lat_ts: latTs } : { k_0: read(...SCALE) }) })
    }
    case 8: // Lambert conformal conic 2SP
      return method('lcc', {
        lat_1: read('ProjStdParallel1GeoKey'),
        lat_2: read('ProjStdParallel2GeoKey'),
        lat_0: read('ProjFalseOriginLatGeoKey', 'ProjNatOriginLatGeoKey', 'ProjCenterLatGeoKey'),
        lon_0: read('ProjFalseOriginLongGeoKey', 'ProjNatOriginLongGeoKey', 'ProjCenterLongGeoKey'),
        x_0: read(...ORIGIN_E),
        y_0: read(...ORIGIN_N)
      })
    case 9: // Lambert conformal conic 1SP (GeoTIFF's "Helmert")
      return method('lcc', { ...natural, lat_1: natural.lat_0 ?? 0, lat_2: natural.lat_0 ?? 0, k_0: read(...SCALE) })
    case 10: // Lambert azimuthal equal area
      return method('laea', centre)
    case 11: // Albers equal area
    case 13: // Equidistant conic
      return method(code === 11 ? 'aea' : 'eqdc', { ...natural, lat_1: read('ProjStdParallel1GeoKey'), lat_2: read('ProjStdParallel2GeoKey') })
    case 12: // Azimuthal equidistant
      return method('aeqd', centre)
    case 14: // Stereographic
      return method('stere', { ...centre, k_0: read(...SCALE) })
    case 15: { // Polar stereographic: variant A at a pole with a scale, B with a latitude of true scale
      const lat = read('ProjNatOriginLatGeoKey', 'ProjStdParallel1GeoKey') ?? 90
      const lon = read('ProjStraightVertPoleLongGeoKey', 'ProjNatOriginLongGeoKey')
      const pole = lat < 0 ? -90 : 90
      return Math.abs(Math.abs(lat) - 90) < 1e-12
        ? method('stere', { lat_0: pole, lon_0: lon, k_0: read(...SCALE), x_0: natural.x_0, y_0: natural.y_0 })
        : method('stere', { lat_0: pole, lat_ts: lat, lon_0: lon, x_0: natural.x_0, y_0: natural.y_0 })
    }
    case 16: // Oblique stereographic
      return method('sterea', { ...natural, k_0: read(...SCALE) })
    case 17: // Equirectangular
      return method('eqc', { ...centre, lat_ts: read('ProjStdParallel1GeoKey') })
    case 18: // Cassini-Soldner
      return method('cass', natural)
    case 19: // Gnomonic
      return method('gnom', centre)
    case 20: // Miller cylindrical
      return method('mill', centre)
    case 21: // Orthographic
      return method('ortho', centre)
    case 22: // Polyconic
      return method('poly', natural)
    case 23: // Robinson
      return method('robin', { lon_0: centre.lon_0, x_0: centre.x_0, y_0: centre.y_0 })
    case 24: // Sinusoidal
      return method('sinu', { lon_0: centre.lon_0, x_0: centre.x_0, y_0: centre.y_0 })
    case 25: // Van der Grinten
      return method('vandg', { lon_0: centre.lon_0, x_0: centre.x_0, y_0: centre.y_0 })
    case 26: // New Zealand map grid
      return method('nzmg', natural)
    case 28: // Cylindrical equal area
      return method('cea', { lat_ts: read('ProjStdParallel1GeoKey'), lon_0: natural.lon_0, x_0: natural.x_0, y_0: natural.y_0 })
    case 3: // Hotine oblique Mercator variant A (offsets from the natural origin)
    case 9815: { // … variant B (offsets from the projection centre)
      const alpha = read('ProjAzimuthAngleGeoKey')
      return method(
        'omerc',
        { lat_0: centre.lat_0, lonc: centre.lon_0, alpha, gamma: read('ProjRectifiedGridAngleGeoKey') ?? alpha, k_0: read(...CENTER_SCALE), x_0: centre.x_0, y_0: centre.y_0 },
        code === 3 ? ['no_uoff'] : []
      )
    }
    default:
      return null
  }
}

/** Names of GeoTIFF's transformation codes, for errors. */
export const TRANSFORMATION_NAMES: Record<number, string> = {
  2: 'Transverse Mercator (modified Alaska)',
  4: 'Oblique Mercator (Laborde)',
  5: 'Oblique Mercator (Rosenmund)',
  6: 'Oblique Mercator (spherical)',
  27: 'Transverse Mercator (south oriented)'
}
