/**
 * The view's CRS written as WKT1 (OGC, as GDAL writes it) for the `.prj` and `.aux.xml` beside a
 * saved view: proj4js reads definitions but cannot write WKT. Built from the CRS's PROJ definition
 * (`map/crs.ts`): the ellipsoid as proj4js reads it, the projection's parameters as the definition
 * states them (degrees, metres turned into the CRS's unit), the datum shift when it is stated, and
 * the EPSG code as the root's AUTHORITY when the CRS has one. A method not listed here gives null:
 * no `.prj` rather than a wrong one. Pure: proj4js only parses.
 */
import proj4 from 'proj4'

/** Linear units PROJ names, as WKT1 names them, with metres per unit. */
const UNITS: Record<string, readonly [string, number]> = {
  m: ['metre', 1],
  km: ['kilometre', 1000],
  ft: ['foot', 0.3048],
  'us-ft': ['US survey foot', 0.304800609601219],
  'ind-ft': ['Indian foot', 0.304799510248147],
  yd: ['yard', 0.9144]
}

/** What WKT1 calls the datums of PROJ's `+datum=` names (GDAL's names), with their ellipsoids' names. */
const DATUMS: Record<string, { datum: string; spheroid: string; epsg: number }> = {
  WGS84: { datum: 'WGS_1984', spheroid: 'WGS 84', epsg: 6326 },
  NAD83: { datum: 'North_American_Datum_1983', spheroid: 'GRS 1980', epsg: 6269 },
  NAD27: { datum: 'North_American_Datum_1927', spheroid: 'Clarke 1866', epsg: 6267 }
}

/**
 * WKT1 of a CRS given by its PROJ definition (or `EPSG:4326` / `EPSG:3857`, which proj4js knows
 * by name), its name and its EPSG code (null when it has none); null when the definition's
 * projection is not one Tessera writes.
 */
export function wktOfDefinition(definition: string, name: string, epsg: number | null): string | null {
  if (definition === 'EPSG:4326') return wktOfDefinition('+proj=longlat +datum=WGS84 +no_defs', 'WGS 84', 4326)
  if (definition === 'EPSG:3857') return WEB_MERCATOR
  const params = parseProj(definition)
  let parsed: { a: number; b: number; rf?: number; datum_params?: number[] }
  try {
    parsed = proj4.Proj(definition) as unknown as typeof parsed
  } catch {
    return null
  }
  const method = params.get('proj')
  if (!method) return null
  const authority = epsg !== null ? `,AUTHORITY["EPSG","${epsg}"]` : ''
  const geog = geogcs(params, parsed, method === 'longlat' || method === 'latlong' ? name : null)
  if (method === 'longlat' || method === 'latlong' || method === 'lonlat') return geog.replace(/\]$/, `${authority}]`)
  const unitName = params.get('units') ?? 'm'
  const toMeter = Number(params.get('to_meter') ?? UNITS[unitName]?.[1] ?? NaN)
  if (!Number.isFinite(toMeter) || toMeter <= 0) return null
  const unit = UNITS[unitName] && params.get('to_meter') === undefined ? UNITS[unitName]! : (['unknown', toMeter] as const)
  const projection = projectionOf(method, params, toMeter)
  if (!projection) return null
  const parameters = projection.parameters.map(([key, value]) => `PARAMETER["${key}",${num(value)}]`).join(',')
  return `PROJCS["${quote(name)}",${geog},PROJECTION["${projection.name}"],${parameters},UNIT["${unit[0]}",${num(unit[1])}],AXIS["Easting",EAST],AXIS["Northing",NORTH]${authority}]`
}

/** The projection's WKT1 name and parameters (angles in degrees, lengths in the CRS's unit). */
function projectionOf(method: string, p: ReadonlyMap<string, string>, toMeter: number): { name: string; parameters: Array<[string, number]> } | null {
  const deg = (key: string): number => Number(p.get(key) ?? 0)
  const k = Number(p.get('k_0') ?? p.get('k') ?? 1)
  const fe: Array<[string, number]> = [
    ['false_easting', Number(p.get('x_0') ?? 0) / toMeter],
    ['false_northing', Number(p.get('y_0') ?? 0) / toMeter]
  ]
  switch (method) {
    case 'utm': {
      const zone = Number(p.get('zone'))
      if (!(zone >= 1 && zone <= 60)) return null
      return {
        name: 'Transverse_Mercator',
        parameters: [['latitude_of_origin', 0], ['central_meridian', zone * 6 - 183], ['scale_factor', 0.9996], ['false_easting', 500000 / toMeter], ['false_northing', (p.has('south') ? 10_000_000 : 0) / toMeter]]
      }
    }
    case 'tmerc':
    case 'etmerc':
      return { name: 'Transverse_Mercator', parameters: [['latitude_of_origin', deg('lat_0')], ['central_meridian', deg('lon_0')], ['scale_factor', k], ...fe] }
    case 'lcc':
      if (p.has('lat_2') && deg('lat_2') !== deg('lat_1')) {
        return { name: 'Lambert_Conformal_Conic_2SP', parameters: [['standard_parallel_1', deg('lat_1')], ['standard_parallel_2', deg('lat_2')], ['latitude_of_origin', deg('lat_0')], ['central_meridian', deg('lon_0')], ...fe] }
      }
      return { name: 'Lambert_Conformal_Conic_1SP', parameters: [['latitude_of_origin', p.has('lat_1') ? deg('lat_1') : deg('lat_0')], ['central_meridian', deg('lon_0')], ['scale_factor', k], ...fe] }
    case 'merc':
      if (p.has('lat_ts') && deg('lat_ts') !== 0) return { name: 'Mercator_2SP', parameters: [['standard_parallel_1', deg('lat_ts')], ['central_meridian', deg('lon_0')], ...fe] }
      return { name: 'Mercator_1SP', parameters: [['central_meridian', deg('lon_0')], ['scale_factor', k], ...fe] }
    case 'sterea':
      return { name: 'Oblique_Stereographic', parameters: [['latitude_of_origin', deg('lat_0')], ['central_meridian', deg('lon_0')], ['scale_factor', k], ...fe] }
    case 'stere':
      if (Math.abs(deg('lat_0')) !== 90) return null
      return { name: 'Polar_Stereographic', parameters: [['latitude_of_origin', p.has('lat_ts') ? deg('lat_ts') : deg('lat_0')], ['central_meridian', deg('lon_0')], ['scale_factor', k], ...fe] }
    case 'laea':
      return { name: 'Lambert_Azimuthal_Equal_Area', parameters: [['latitude_of_center', deg('lat_0')], ['longitude_of_center', deg('lon_0')], ...fe] }
    case 'aea':
      return { name: 'Albers_Conic_Equal_Area', parameters: [['standard_parallel_1', deg('lat_1')], ['standard_parallel_2', deg('lat_2')], ['latitude_of_center', deg('lat_0')], ['longitude_of_center', deg('lon_0')], ...fe] }
    default:
      return null
  }
}

/** The GEOGCS of a definition: its datum (named when PROJ names it), ellipsoid, shift and prime meridian. */
function geogcs(p: ReadonlyMap<string, string>, parsed: { a: number; b: number; rf?: number; datum_params?: number[] }, name: string | null): string {
  const known = DATUMS[p.get('datum') ?? '']
  const rf = parsed.rf ?? (parsed.a === parsed.b ? 0 : parsed.a / (parsed.a - parsed.b))
  const spheroid = `SPHEROID["${known?.spheroid ?? p.get('ellps') ?? 'unnamed'}",${num(parsed.a)},${num(rf)}]`
  const shift = p.get('towgs84')
  const towgs84 = shift ? `,TOWGS84[${shift.split(',').map((v) => num(Number(v))).join(',')}]` : ''
  const datum = `DATUM["${known?.datum ?? (p.has('ellps') ? `D_${p.get('ellps')}` : 'unknown')}",${spheroid}${towgs84}${known ? `,AUTHORITY["EPSG","${known.epsg}"]` : ''}]`
  const pm = Number(p.get('pm') ?? 0)
  const primem = Number.isFinite(pm) ? `PRIMEM["${pm === 0 ? 'Greenwich' : 'unnamed'}",${num(pm)}]` : 'PRIMEM["Greenwich",0]'
  return `GEOGCS["${quote(name ?? (known ? (p.get('datum') === 'WGS84' ? 'WGS 84' : p.get('datum')!) : 'unknown'))}",${datum},${primem},UNIT["degree",0.0174532925199433]]`
}

/** A PROJ string's parameters: `+key=value` (a flag has the value ''). */
function parseProj(definition: string): Map<string, string> {
  const params = new Map<string, string>()
  for (const token of definition.trim().split(/\s+/)) {
    const m = /^\+?([\w]+)(?:=(.*))?$/.exec(token)
    if (m) params.set(m[1]!, m[2] ?? '')
  }
  return params
}

function num(value: number): string {
  return String(Number(value.toPrecision(15)))
}

function quote(text: string): string {
  return text.replace(/"/g, "'")
}

/** EPSG:3857 as GDAL writes it in WKT1 (a sphere on WGS 84, which no PROJ string of `merc` says by itself). */
const WEB_MERCATOR =
  'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]'
