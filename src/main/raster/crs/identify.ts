/**
 * EPSG identification as GDAL does it: a definition is EPSG:n when it has the same projection
 * method, the same parameters within tight tolerances, the same ellipsoid, prime meridian, unit and
 * datum shift as n's. Tolerances: 1e-8° for angles, 1 mm for lengths, 1e-9 for a scale factor;
 * that is below a millimetre on the ground, and far above the rounding of printed WKT.
 */
import { epsgCodesOfMethod } from './epsgDefinitions'
import { ANGLE_PARAMETERS, type ProjDefinition, normaliseDefinition } from './projDefinition'

const ANGLE_TOLERANCE = 1e-8
const LENGTH_TOLERANCE = 1e-3
const SCALE_TOLERANCE = 1e-9

function parameterTolerance(name: string): number {
  if (ANGLE_PARAMETERS.has(name)) return ANGLE_TOLERANCE
  if (name === 'x_0' || name === 'y_0') return LENGTH_TOLERANCE
  return SCALE_TOLERANCE
}

/** Longitudes equal modulo 360°. */
function sameAngle(name: string, x: number, y: number): boolean {
  let d = Math.abs(x - y)
  if (name.startsWith('lon')) d = Math.min(d, Math.abs(d - 360))
  return d <= ANGLE_TOLERANCE
}

/** A shift of 3 values as 7 (no rotation, no scale). */
const seven = (towgs84: readonly number[]): number[] => (towgs84.length === 3 ? [...towgs84, 0, 0, 0, 0] : [...towgs84])

/** How two datum shifts compare: the same, one unknown where the other is a zero shift, or different. */
function datumMatch(x: ProjDefinition, y: ProjDefinition): 'same' | 'unknown-zero' | 'different' {
  // '@null' grids say "no shift" as an unstated datum does (proj4js and PROJ draw both unshifted).
  const a = x.nadgrids === '@null' ? { ...x, nadgrids: null } : x
  const b = y.nadgrids === '@null' ? { ...y, nadgrids: null } : y
  if (a.nadgrids !== b.nadgrids) return 'different'
  if (a.towgs84 === null && b.towgs84 === null) return 'same'
  if (a.towgs84 === null || b.towgs84 === null) {
    // An ellipsoid without a stated shift is drawn as one coinciding with WGS 84, as a zero shift is.
    const known = (a.towgs84 ?? b.towgs84)!
    return a.nadgrids === null && known.every((v) => v === 0) ? 'unknown-zero' : 'different'
  }
  const p = seven(a.towgs84)
  const q = seven(b.towgs84)
  return p.every((v, i) => Math.abs(v - q[i]!) <= 1e-3) ? 'same' : 'different'
}

/**
 * How `a` and `b` compare as CRSs: 'same' when equivalent; 'unknown-zero' when equivalent but for
 * one's datum being unstated where the other's is a zero shift to WGS 84 (the same places through
 * proj4js); 'different' otherwise.
 */
export function compareDefinitions(a: ProjDefinition, b: ProjDefinition): 'same' | 'unknown-zero' | 'different' {
  const x = normaliseDefinition(a)
  const y = normaliseDefinition(b)
  if (x.method !== y.method || x.flags.join() !== y.flags.join()) return 'different'
  if (Math.abs(x.ellipsoid.a - y.ellipsoid.a) > LENGTH_TOLERANCE || Math.abs(x.ellipsoid.rf - y.ellipsoid.rf) > 1e-8) return 'different'
  if (Math.abs(x.primeMeridian - y.primeMeridian) > ANGLE_TOLERANCE) return 'different'
  if (Math.abs(x.toMeter - y.toMeter) > 1e-12 * x.toMeter) return 'different'
  const names = new Set([...Object.keys(x.parameters), ...Object.keys(y.parameters)])
  for (const name of names) {
    const p = x.parameters[name]
    const q = y.parameters[name]
    if (p === undefined || q === undefined) return 'different'
    if (ANGLE_PARAMETERS.has(name) ? !sameAngle(name, p, q) : Math.abs(p - q) > parameterTolerance(name)) return 'different'
  }
  return datumMatch(x, y)
}

/**
 * Codes EPSG deprecated for a successor that draws the same, which GDAL never names: EPSG:3785
 * (Popular Visualisation CRS / Mercator) would otherwise win over EPSG:3857 as the lower code.
 */
const SUPERSEDED: ReadonlySet<number> = new Set([3785])

/**
 * The EPSG code whose definition is equivalent to `definition`, or null. An exact match (datum
 * shift included) wins over one whose datum is unstated on one side; among equals, one of the
 * datum the definition names (NAD83, WGS84: GCS_WGS_1984 is EPSG:4326, not the lower 4130, as
 * GDAL names it), then the lowest code; superseded codes are never named.
 * Cost: the first call for a method parses that method's codes of the list (about 2 500 for
 * transverse Mercator); later calls compare against them only.
 */
export function identifyEpsg(definition: ProjDefinition): number | null {
  const candidates = epsgCodesOfMethod(definition.method)
  let same: number | null = null
  let fallback: number | null = null
  for (const { code, definition: known } of candidates) {
    if (SUPERSEDED.has(code)) continue
    const match = compareDefinitions(definition, known)
    if (match === 'same') {
      if (definition.datum === undefined || known.datum === definition.datum) return code
      same ??= code
    }
    if (match === 'unknown-zero') fallback ??= code
  }
  return same ?? fallback
}

/**
 * True when `definition` is `known`'s but for its datum shift (a WKT that names its code and its
 * datum but states no TOWGS84): then the code's definition, shift included, is the one to draw.
 */
export function sameButForShift(definition: ProjDefinition, known: ProjDefinition): boolean {
  return compareDefinitions({ ...definition, towgs84: known.towgs84, nadgrids: known.nadgrids }, known) === 'same'
}
