/**
 * A GeoTIFF's CRS from its GeoKeys (GeoTIFF 1.1, read as GDAL's libgeotiff reads them): an EPSG
 * code (ProjectedCSTypeGeoKey, GeographicTypeGeoKey), or a user-defined CRS from its parts — the
 * projection (ProjectionGeoKey for a UTM zone, else ProjCoordTransGeoKey and its parameters), the
 * geographic base (a code, or the datum, ellipsoid and prime meridian by code or by value, the
 * TOWGS84 shift), and the unit keys, which override a code's unit. Lengths in the keys are in the
 * linear unit and angles in the angular unit; the definition holds metres and degrees.
 */
import type { CrsInfo } from '../../../shared/raster'
import { crsInfoOf, undefinedEpsgCrs } from './crsInfo'
import { ANGULAR_UNITS, DATUMS, ELLIPSOIDS, type Ellipsoid, LINEAR_UNITS, PRIME_MERIDIANS } from './ellipsoids'
import { epsgDefinition } from './epsgDefinitions'
import { LENGTH_KEYS, SCALE_KEYS, TRANSFORMATION_NAMES, mapTransformation } from './geoKeyMethods'
import { type ProjDefinition, normaliseDefinition } from './projDefinition'
import { parseWkt } from './wkt'

/** GeoTIFF keys by name, as geotiff.js' `getGeoKeys()` gives them. */
export type GeoKeys = Readonly<Record<string, unknown>>

/** GeoTIFF's "user-defined" code. */
export const USER_DEFINED = 32767

const numberKey = (keys: GeoKeys, name: string): number | undefined => {
  const value = keys[name]
  const n = Array.isArray(value) ? value[0] : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}
/** A code key: undefined when absent, 0 (undefined) or user-defined. */
const codeKey = (keys: GeoKeys, name: string): number | undefined => {
  const code = numberKey(keys, name)
  return code !== undefined && code > 0 && code !== USER_DEFINED ? code : undefined
}
const textKey = (keys: GeoKeys, name: string): string | undefined => {
  const value = keys[name]
  return typeof value === 'string' ? value.replace(/\|+$/, '').trim() : undefined
}
const numbersKey = (keys: GeoKeys, name: string): number[] | undefined => {
  const value = keys[name]
  if (value === undefined || value === null || typeof value !== 'object') return undefined
  const numbers = Array.from(Object.values(value as Record<string, unknown>), Number)
  return numbers.every(Number.isFinite) ? numbers : undefined
}

/** Degrees of one angular unit; sexagesimal DDD.MMSSsss (9110) converted apart. */
function toDegrees(value: number, unit: number | undefined): number {
  if (unit === 9110) {
    const sign = value < 0 ? -1 : 1
    const v = Math.abs(value)
    const degrees = Math.floor(v)
    const minutes = Math.floor((v - degrees) * 100 + 1e-9)
    const seconds = ((v - degrees) * 100 - minutes) * 100
    return sign * (degrees + minutes / 60 + seconds / 3600)
  }
  return value * (ANGULAR_UNITS.get(unit ?? 9102) ?? 1)
}

/** The geographic base: ellipsoid, datum shift and prime meridian from a code, then from the keys that override or replace it. */
function geographicBase(keys: GeoKeys): Pick<ProjDefinition, 'ellipsoid' | 'towgs84' | 'nadgrids' | 'primeMeridian' | 'datum'> | null {
  const angular = codeKey(keys, 'GeogAngularUnitsGeoKey')
  const gcs = codeKey(keys, 'GeographicTypeGeoKey')
  let base: Pick<ProjDefinition, 'ellipsoid' | 'towgs84' | 'nadgrids' | 'primeMeridian' | 'datum'> | null = null
  if (gcs !== undefined) {
    const known = epsgDefinition(gcs)
    if (known) base = { ellipsoid: known.ellipsoid, towgs84: known.towgs84, nadgrids: known.nadgrids, primeMeridian: known.primeMeridian, ...(known.datum ? { datum: known.datum } : {}) }
  }
  if (!base) {
    const datum = DATUMS.get(codeKey(keys, 'GeogGeodeticDatumGeoKey') ?? -1)
    const ellipsoidCode = codeKey(keys, 'GeogEllipsoidGeoKey') ?? datum?.ellipsoid
    let ellipsoid: Ellipsoid | undefined = ellipsoidCode !== undefined ? ELLIPSOIDS.get(ellipsoidCode) : undefined
    const a = numberKey(keys, 'GeogSemiMajorAxisGeoKey')
    if (!ellipsoid && a !== undefined) {
      const rf = numberKey(keys, 'GeogInvFlatteningGeoKey')
      const b = numberKey(keys, 'GeogSemiMinorAxisGeoKey')
      ellipsoid = { a, rf: rf ?? (b !== undefined && b !== a ? a / (a - b) : 0) }
    }
    if (!ellipsoid) return null
    const pmCode = codeKey(keys, 'GeogPrimeMeridianGeoKey')
    const pmLong = numberKey(keys, 'GeogPrimeMeridianLongGeoKey')
    const primeMeridian = pmCode !== undefined && PRIME_MERIDIANS.has(pmCode) ? PRIME_MERIDIANS.get(pmCode)! : pmLong !== undefined ? toDegrees(pmLong, angular) : 0
    base = {
      ellipsoid: { a: ellipsoid.a, rf: ellipsoid.rf },
      towgs84: datum?.towgs84 ? [...datum.towgs84] : null,
      nadgrids: datum?.proj === 'NAD27' ? '@conus,@alaska,@ntv2_0.gsb,@ntv1_can.dat' : null,
      primeMeridian,
      ...(datum?.proj ? { datum: datum.proj.toUpperCase() } : {})
    }
  }
  const towgs84 = numbersKey(keys, 'GeogTOWGS84GeoKey')
  if (towgs84 && (towgs84.length === 3 || towgs84.length === 7)) base = { ...base, towgs84, nadgrids: null }
  return base
}

/** Metres per linear unit: ProjLinearUnitsGeoKey, or ProjLinearUnitSizeGeoKey for a user-defined one; undefined when the keys say none. */
function linearUnit(keys: GeoKeys): number | undefined {
  const code = numberKey(keys, 'ProjLinearUnitsGeoKey')
  if (code === USER_DEFINED) return numberKey(keys, 'ProjLinearUnitSizeGeoKey')
  return code !== undefined ? LINEAR_UNITS.get(code) : undefined
}

/** The name a file gives its CRS: its citation, when it is one (not GDAL's "unknown" or an ESRI PE string). */
function citationName(keys: GeoKeys): string | null {
  for (const key of ['PCSCitationGeoKey', 'GTCitationGeoKey', 'GeogCitationGeoKey']) {
    const text = textKey(keys, key)
    if (!text || /^unknown$/i.test(text) || text.startsWith('ESRI PE String')) continue
    // GDAL's packed form: "PCS Name = …|GCS Name = …|…"
    const packed = /(?:PCS|GCS) Name = ([^|]*)/.exec(text)
    if (packed) {
      if (packed[1] && !/^unknown$/i.test(packed[1].trim())) return packed[1].trim()
      continue
    }
    return text
  }
  return null
}

/** The projection from ProjectionGeoKey (a UTM zone's EPSG conversion code) or ProjCoordTransGeoKey; throws for a transformation Tessera does not map. */
function projection(keys: GeoKeys): { method: string; parameters: Record<string, number>; flags: string[] } | null {
  const conversion = codeKey(keys, 'ProjectionGeoKey')
  if (conversion !== undefined && ((conversion > 16000 && conversion <= 16060) || (conversion > 16100 && conversion <= 16160))) {
    const zone = conversion % 100
    return { method: 'tmerc', parameters: { lat_0: 0, lon_0: zone * 6 - 183, k_0: 0.9996, x_0: 500000, y_0: conversion > 16100 ? 10000000 : 0 }, flags: [] }
  }
  const transformation = numberKey(keys, 'ProjCoordTransGeoKey')
  if (transformation === undefined) return null
  const angular = codeKey(keys, 'GeogAngularUnitsGeoKey')
  const toMeter = linearUnit(keys) ?? 1
  const read = (...names: string[]): number | undefined => {
    for (const name of names) {
      const value = numberKey(keys, name)
      if (value === undefined) continue
      if (LENGTH_KEYS.has(name)) return value * toMeter
      if (SCALE_KEYS.has(name)) return value
      return toDegrees(value, angular)
    }
    return undefined
  }
  const mapped = mapTransformation(transformation, read)
  if (!mapped) throw new Error(`Expected a GeoTIFF projection Tessera maps for ProjCoordTransGeoKey but received ${transformation}${TRANSFORMATION_NAMES[transformation] ? ` (${TRANSFORMATION_NAMES[transformation]})` : ''}`)
  return mapped
}

/**
 * The CRS the keys define, or null when they define none (no keys, a geocentric model, or too
 * little to build a definition). A code whose definition Tessera lacks gives a CrsInfo without
 * one (`proj4` null). A unit key that differs from a code's unit makes a definition of its own,
 * whose code is identified again (NAD83 / Georgia East with ProjLinearUnitsGeoKey = US survey foot
 * is EPSG:2239, not 26966). Throws for a projection Tessera does not map, naming it.
 */
export function crsFromGeoKeys(keys: GeoKeys): CrsInfo | null {
  const source = 'geokeys'
  const name = citationName(keys)
  const model = numberKey(keys, 'GTModelTypeGeoKey')
  if (model === 3) return null
  const pcs = codeKey(keys, 'ProjectedCSTypeGeoKey')
  const projected = model === 1 || numberKey(keys, 'ProjectedCSTypeGeoKey') !== undefined || numberKey(keys, 'ProjCoordTransGeoKey') !== undefined
  if (pcs !== undefined) {
    const known = epsgDefinition(pcs)
    if (!known) return undefinedEpsgCrs(pcs, source, name)
    const unit = linearUnit(keys)
    if (unit === undefined || Math.abs(unit - known.toMeter) <= 1e-12 * unit) return crsInfoOf(known, { source, name, epsg: pcs })
    // The unit key overrides the code's, false easting and northing kept on the ground (as GDAL's SetLinearUnitsAndUpdateParameters).
    return crsInfoOf({ ...known, toMeter: unit }, { source, name })
  }
  // GDAL writes what it cannot say in keys (Krovak…) as an ESRI WKT in the citation, and reads it back.
  const pe = /^ESRI PE String = (.*)$/s.exec(textKey(keys, 'PCSCitationGeoKey') ?? textKey(keys, 'GTCitationGeoKey') ?? '')
  if (pe && numberKey(keys, 'ProjCoordTransGeoKey') === undefined) {
    const wkt = parseWkt(pe[1]!)
    if (wkt.definition) return crsInfoOf(wkt.definition, { source, name: name ?? (wkt.name !== 'unknown' ? wkt.name : null), epsg: wkt.epsg })
  }
  if (!projected) {
    const gcs = codeKey(keys, 'GeographicTypeGeoKey')
    if (gcs !== undefined) {
      const known = epsgDefinition(gcs)
      return known ? crsInfoOf(known, { source, name, epsg: gcs }) : undefinedEpsgCrs(gcs, source, name)
    }
    const base = geographicBase(keys)
    return base ? crsInfoOf(normaliseDefinition({ method: 'longlat', parameters: {}, flags: [], ...base, toMeter: 1 }), { source, name }) : null
  }
  const base = geographicBase(keys)
  const method = projection(keys)
  if (!base || !method) return null
  return crsInfoOf(normaliseDefinition({ ...method, ...base, toMeter: linearUnit(keys) ?? 1 }), { source, name })
}
