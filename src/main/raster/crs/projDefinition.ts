/**
 * A CRS definition as PROJ spells it, held as a record: the method and its parameters in degrees
 * and metres, the ellipsoid, the datum shift, the prime meridian and the linear unit. Parsing and
 * formatting go through this record, so that two spellings of one definition (parameters in
 * another order, `+datum=NAD83` or `+ellps=GRS80 +towgs84=0,0,0`, `+k` or `+k_0`, a UTM zone or its
 * transverse Mercator) format to the same normalised PROJ string, which proj4js reads.
 */
import { type Ellipsoid, PROJ_ELLIPSOIDS, PROJ_PRIME_MERIDIANS, PROJ_UNITS } from './ellipsoids'

export interface ProjDefinition {
  /** PROJ's method ('longlat', 'tmerc', 'lcc', 'aea', 'stere', 'sterea', 'merc', 'cea', 'laea', 'eqdc', 'krovak', 'omerc'…); UTM is spelt 'tmerc'. */
  method: string
  /** The method's parameters by PROJ name (lat_0, lon_0, lat_1, lat_2, lat_ts, lonc, alpha, gamma, k_0, x_0, y_0…): angles in degrees, x_0/y_0 in metres. */
  parameters: Record<string, number>
  /** The method's flags ('no_uoff', 'czech'), sorted. */
  flags: string[]
  ellipsoid: Ellipsoid
  /** Shift to WGS 84 (3 or 7 values, PROJ's position-vector convention); null when none is known. */
  towgs84: number[] | null
  /** Grid shift files (NAD27's; '@null' for none, as EPSG:3857 says it), null when none. */
  nadgrids: string | null
  /** Prime meridian, degrees east of Greenwich. */
  primeMeridian: number
  /** Metres per unit of the projected coordinates (1 for a geographic CRS). */
  toMeter: number
  /**
   * The datum's name when the definition names one (`+datum=NAD83`, a datum code in the keys):
   * not part of the definition proj4js draws, only a preference between codes that draw the same
   * (NAD83 / Alaska zone 1 over NAD83(NSRS2007) / Alaska zone 1).
   */
  datum?: string
}

/** Parameters each method takes, with PROJ's default when one is absent (lat_2 defaults to lat_1, omerc's gamma to alpha). */
const METHOD_PARAMETERS: Record<string, Record<string, number>> = {
  longlat: {},
  tmerc: { lat_0: 0, lon_0: 0, k_0: 1, x_0: 0, y_0: 0 },
  lcc: { lat_0: 0, lat_1: 0, lat_2: NaN, lon_0: 0, k_0: 1, x_0: 0, y_0: 0 },
  aea: { lat_0: 0, lat_1: 0, lat_2: NaN, lon_0: 0, x_0: 0, y_0: 0 },
  eqdc: { lat_0: 0, lat_1: 0, lat_2: NaN, lon_0: 0, x_0: 0, y_0: 0 },
  stere: { lat_0: 0, lon_0: 0, k_0: 1, x_0: 0, y_0: 0 },
  sterea: { lat_0: 0, lon_0: 0, k_0: 1, x_0: 0, y_0: 0 },
  merc: { lat_ts: 0, lon_0: 0, k_0: 1, x_0: 0, y_0: 0 },
  cea: { lat_ts: 0, lon_0: 0, x_0: 0, y_0: 0 },
  laea: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  aeqd: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  krovak: { lat_0: 0, lon_0: 0, alpha: 0, k_0: 1, x_0: 0, y_0: 0 },
  omerc: { lat_0: 0, lonc: 0, alpha: 0, gamma: NaN, k_0: 1, x_0: 0, y_0: 0 },
  somerc: { lat_0: 0, lon_0: 0, k_0: 1, x_0: 0, y_0: 0 },
  cass: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  poly: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  eqc: { lat_ts: 0, lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  sinu: { lon_0: 0, x_0: 0, y_0: 0 },
  moll: { lon_0: 0, x_0: 0, y_0: 0 },
  robin: { lon_0: 0, x_0: 0, y_0: 0 },
  ortho: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  gnom: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  mill: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 },
  vandg: { lon_0: 0, x_0: 0, y_0: 0 },
  nzmg: { lat_0: 0, lon_0: 0, x_0: 0, y_0: 0 }
}

/** The order parameters are written in (others after, by name). */
const PARAMETER_ORDER = ['lat_0', 'lat_1', 'lat_2', 'lat_ts', 'lon_0', 'lonc', 'alpha', 'gamma', 'k_0', 'x_0', 'y_0']

/** Parameters that are angles (compared in degrees). */
export const ANGLE_PARAMETERS: ReadonlySet<string> = new Set(['lat_0', 'lat_1', 'lat_2', 'lat_ts', 'lon_0', 'lonc', 'alpha', 'gamma'])

/** Tokens that carry nothing about the CRS. */
const IGNORED = new Set(['no_defs', 'wktext', 'type', 'axis', 'over', 'title', 'init', 'R_A', 'geoidgrids', 'vunits'])

/** True when PROJ's method `method` is one this module normalises (others are kept as written). */
export function isKnownMethod(method: string): boolean {
  return method in METHOD_PARAMETERS
}

/**
 * Fills the method's defaults in (PROJ's, so that an omitted `+x_0` equals `+x_0=0`) and drops a
 * zero datum shift's rotations: the canonical form that formatting and comparison take.
 */
export function normaliseDefinition(definition: ProjDefinition): ProjDefinition {
  const defaults = METHOD_PARAMETERS[definition.method] ?? {}
  const parameters: Record<string, number> = { ...definition.parameters }
  for (const [name, value] of Object.entries(defaults)) {
    if (parameters[name] !== undefined) continue
    if (name === 'lat_2') parameters[name] = parameters.lat_1 ?? 0
    else if (name === 'gamma') parameters[name] = parameters.alpha ?? 0
    else if (!Number.isNaN(value)) parameters[name] = value
  }
  // A polar stereographic whose latitude of true scale is its pole is variant A: the scale says it all.
  if (definition.method === 'stere' && Math.abs(Math.abs(parameters.lat_0 ?? 0) - 90) < 1e-12 && parameters.lat_ts === parameters.lat_0) delete parameters.lat_ts
  let towgs84 = definition.towgs84
  if (towgs84 && towgs84.length === 7 && towgs84.slice(3).every((v) => v === 0)) towgs84 = towgs84.slice(0, 3)
  return { ...definition, parameters, towgs84, flags: [...new Set(definition.flags)].sort() }
}

/** `value` with 12 significant digits, as PROJ strings print it (-82.1666666666667 and -82.16666666666667 alike). */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)))
}

function formatEllipsoid({ a, rf }: Ellipsoid): string {
  for (const [name, e] of PROJ_ELLIPSOIDS) {
    if (Math.abs(e.a - a) < 1e-4 && Math.abs(e.rf - rf) < 1e-8) return `+ellps=${name}`
  }
  return rf === 0 ? `+a=${formatNumber(a)} +b=${formatNumber(a)}` : `+a=${formatNumber(a)} +rf=${formatNumber(rf)}`
}

function formatUnits(toMeter: number): string {
  for (const [name, value] of PROJ_UNITS) if (Math.abs(value - toMeter) <= 1e-12 * value) return `+units=${name}`
  return `+to_meter=${formatNumber(toMeter)}`
}

/** The normalised PROJ string of a definition: fixed order, defaults written, 12 significant digits. */
export function formatProjString(definition: ProjDefinition): string {
  const d = normaliseDefinition(definition)
  const parts = [`+proj=${d.method}`]
  const names = Object.keys(d.parameters).sort((x, y) => {
    const i = PARAMETER_ORDER.indexOf(x)
    const j = PARAMETER_ORDER.indexOf(y)
    return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || x.localeCompare(y)
  })
  for (const name of names) parts.push(`+${name}=${formatNumber(d.parameters[name]!)}`)
  for (const flag of d.flags) parts.push(`+${flag}`)
  parts.push(formatEllipsoid(d.ellipsoid))
  if (d.towgs84) parts.push(`+towgs84=${d.towgs84.map(formatNumber).join(',')}`)
  if (d.nadgrids) parts.push(`+nadgrids=${d.nadgrids}`)
  if (d.primeMeridian !== 0) parts.push(`+pm=${formatNumber(d.primeMeridian)}`)
  if (d.method !== 'longlat') parts.push(formatUnits(d.toMeter))
  parts.push('+no_defs')
  return parts.join(' ')
}

/** proj4js' `+datum=` names: the ellipsoid and the shift each stands for. */
const PROJ_DATUMS: Record<string, { ellps: string; towgs84?: number[]; nadgrids?: string }> = {
  wgs84: { ellps: 'WGS84', towgs84: [0, 0, 0] },
  nad83: { ellps: 'GRS80', towgs84: [0, 0, 0] },
  nad27: { ellps: 'clrk66', nadgrids: '@conus,@alaska,@ntv2_0.gsb,@ntv1_can.dat' },
  ch1903: { ellps: 'bessel', towgs84: [674.374, 15.056, 405.346] },
  ggrs87: { ellps: 'GRS80', towgs84: [-199.87, 74.79, 246.62] },
  potsdam: { ellps: 'bessel', towgs84: [598.1, 73.7, 418.2, 0.202, 0.045, -2.455, 6.7] },
  carthage: { ellps: 'clrk80ign', towgs84: [-263, 6, 431] },
  hermannskogel: { ellps: 'bessel', towgs84: [577.326, 90.129, 463.919, 5.137, 1.474, 5.297, 2.4232] },
  ire65: { ellps: 'mod_airy', towgs84: [482.53, -130.596, 564.557, -1.042, -0.214, -0.631, 8.15] },
  nzgd49: { ellps: 'intl', towgs84: [59.47, -5.04, 187.44, 0.47, -0.1, 1.024, -4.5993] },
  osgb36: { ellps: 'airy', towgs84: [446.448, -125.157, 542.06, 0.15, 0.247, 0.842, -20.489] }
}

/** Metres per `+units=` name. */
function unitToMeter(name: string): number {
  const value = PROJ_UNITS.get(name)
  if (value === undefined) throw new Error(`Expected a PROJ unit (m, ft, us-ft…) for +units but received ${JSON.stringify(name)}`)
  return value
}

/**
 * Reads a PROJ string (proj4js' syntax: `+proj=… +key=value +flag`) into its record. Throws, naming
 * the token, when it is not one: no `+proj`, a number that is not one, an unknown ellipsoid or unit.
 */
export function parseProjString(text: string): ProjDefinition {
  const values = new Map<string, string | true>()
  for (const token of text.trim().split(/\s+/)) {
    if (token === '') continue
    const match = /^\+?([A-Za-z_][\w]*)(?:=(.*))?$/.exec(token)
    if (!match) throw new Error(`Expected +key=value in a PROJ string but received ${JSON.stringify(token)}`)
    values.set(match[1]!, match[2] ?? true)
  }
  const text_ = (key: string): string | undefined => {
    const v = values.get(key)
    return typeof v === 'string' ? v : undefined
  }
  const number = (key: string): number | undefined => {
    const v = text_(key)
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isFinite(n)) throw new Error(`Expected a number for +${key} but received ${JSON.stringify(v)}`)
    return n
  }
  let method = text_('proj')
  if (!method) throw new Error(`Expected +proj=<method> in a PROJ string but received ${JSON.stringify(text)}`)
  if (method === 'latlong' || method === 'lonlat' || method === 'latlon') method = 'longlat'
  if (method === 'etmerc') method = 'tmerc'

  let ellipsoid: Ellipsoid | null = null
  let towgs84: number[] | null = null
  let nadgrids: string | null = null
  const datumName = text_('datum')?.toLowerCase()
  if (datumName) {
    const datum = PROJ_DATUMS[datumName]
    if (!datum) throw new Error(`Expected a datum proj4js knows (WGS84, NAD83, NAD27…) for +datum but received ${JSON.stringify(datumName)}`)
    ellipsoid = PROJ_ELLIPSOIDS.get(datum.ellps)!
    towgs84 = datum.towgs84 ?? null
    nadgrids = datum.nadgrids ?? null
  }
  const ellps = text_('ellps')
  if (ellps) {
    const found = PROJ_ELLIPSOIDS.get(ellps) ?? [...PROJ_ELLIPSOIDS.entries()].find(([name]) => name.toLowerCase() === ellps.toLowerCase())?.[1]
    if (!found) throw new Error(`Expected an ellipsoid proj4js knows (WGS84, GRS80, intl, bessel…) for +ellps but received ${JSON.stringify(ellps)}`)
    ellipsoid = found
  }
  const a = number('a') ?? number('R')
  if (a !== undefined) {
    const b = number('b')
    const rf = number('rf') ?? (number('f') ? 1 / number('f')! : undefined)
    ellipsoid = { a, rf: rf ?? (b !== undefined && b !== a ? a / (a - b) : b === undefined && number('R') === undefined && ellipsoid ? ellipsoid.rf : 0) }
  }
  ellipsoid ??= PROJ_ELLIPSOIDS.get('WGS84')!
  const shift = text_('towgs84')
  if (shift !== undefined) {
    towgs84 = shift.split(',').map(Number)
    if ((towgs84.length !== 3 && towgs84.length !== 7) || towgs84.some((v) => !Number.isFinite(v))) {
      throw new Error(`Expected 3 or 7 numbers for +towgs84 but received ${JSON.stringify(shift)}`)
    }
  }
  const grids = text_('nadgrids')
  if (grids !== undefined) nadgrids = grids
  const pm = text_('pm')
  const primeMeridian = pm === undefined ? 0 : (PROJ_PRIME_MERIDIANS.get(pm.toLowerCase()) ?? Number(pm))
  if (!Number.isFinite(primeMeridian)) throw new Error(`Expected a prime meridian name or degrees for +pm but received ${JSON.stringify(pm)}`)
  const toMeter = number('to_meter') ?? (text_('units') ? unitToMeter(text_('units')!) : 1)

  const parameters: Record<string, number> = {}
  const flags: string[] = []
  const consumed = new Set(['proj', 'datum', 'ellps', 'a', 'b', 'R', 'rf', 'f', 'towgs84', 'nadgrids', 'pm', 'units', 'to_meter', 'zone', 'south'])
  for (const [key, value] of values) {
    if (consumed.has(key) || IGNORED.has(key)) continue
    if (value === true) {
      flags.push(key)
      continue
    }
    const name = key === 'k' ? 'k_0' : key
    parameters[name] = number(key)!
  }
  if (method === 'utm') {
    const zone = number('zone')
    if (zone === undefined || zone < 1 || zone > 60 || !Number.isInteger(zone)) throw new Error(`Expected a zone 1–60 for +zone of +proj=utm but received ${JSON.stringify(text_('zone'))}`)
    method = 'tmerc'
    Object.assign(parameters, { lat_0: 0, lon_0: zone * 6 - 183, k_0: 0.9996, x_0: 500000, y_0: values.has('south') ? 10000000 : 0 })
  }
  const definition: ProjDefinition = { method, parameters, flags, ellipsoid: { a: ellipsoid.a, rf: ellipsoid.rf }, towgs84, nadgrids, primeMeridian, toMeter: method === 'longlat' ? 1 : toMeter }
  if (datumName) definition.datum = datumName.toUpperCase()
  return normaliseDefinition(definition)
}
