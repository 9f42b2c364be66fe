/**
 * WKT1 (OGC, as GDAL writes it, and ESRI's, as in `.prj` files) read into a PROJ definition: the
 * projection's name and parameters mapped to PROJ's, lengths turned into metres and angles into
 * degrees by the units the WKT states, the datum's TOWGS84 kept (or, for a datum stated without one,
 * the shift of the EPSG datum its code or name is: `wktDatums.ts`). WKT2 is read only for its EPSG code.
 */
import { type ProjDefinition, normaliseDefinition, parseProjString } from './projDefinition'
import { geographicCrsOfDatum, squashName as squash, wktDatumShift } from './wktDatums'

/** A WKT node: `KEYWORD[arg, arg…]`. */
export interface WktNode {
  keyword: string
  args: (string | number | WktNode)[]
}

/** What a WKT says: the definition (null for a WKT2 that only names its code), the CRS's name and its EPSG code when it states one. */
export interface WktCrs {
  definition: ProjDefinition | null
  name: string
  epsg: number | null
  /** True when the WKT states its datum's shift (TOWGS84) rather than leaving it to its datum's name or code. */
  shiftStated: boolean
  /** The EPSG geographic CRS of its datum (by the datum's code or name), null when unknown: GDAL's name for a GEOGCS of that datum. */
  datumCrs: number | null
}

/** Parses WKT's bracket syntax into nodes; throws, naming the place, when it is not well formed. */
export function parseWktTree(text: string): WktNode {
  let i = 0
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++
  }
  const fail = (what: string): never => {
    throw new Error(`Expected ${what} in WKT at character ${i} but received ${JSON.stringify(text.slice(i, i + 20))}`)
  }
  const node = (): WktNode => {
    skip()
    const keyword = /^[A-Za-z_][\w]*/.exec(text.slice(i))?.[0] ?? fail('a keyword')
    i += keyword.length
    skip()
    const args: WktNode['args'] = []
    if (text[i] !== '[' && text[i] !== '(') return { keyword: keyword.toUpperCase(), args }
    const close = text[i] === '[' ? ']' : ')'
    i++
    for (;;) {
      skip()
      const c = text[i]
      if (c === '"') {
        const end = text.indexOf('"', i + 1)
        if (end < 0) fail('a closing quote')
        args.push(text.slice(i + 1, end))
        i = end + 1
      } else if (c !== undefined && /[-+.\d]/.test(c)) {
        const literal = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i))?.[0] ?? fail('a number')
        args.push(Number(literal))
        i += literal.length
      } else {
        args.push(node())
      }
      skip()
      if (text[i] === ',') i++
      else if (text[i] === close) {
        i++
        return { keyword: keyword.toUpperCase(), args }
      } else fail(`',' or '${close}'`)
    }
  }
  const root = node()
  skip()
  if (i < text.length) fail('the end of the WKT')
  return root
}

const child = (node: WktNode, keyword: string): WktNode | undefined => node.args.find((a): a is WktNode => typeof a === 'object' && a.keyword === keyword)
const children = (node: WktNode, keyword: string): WktNode[] => node.args.filter((a): a is WktNode => typeof a === 'object' && a.keyword === keyword)
const numberAt = (node: WktNode | undefined, index: number): number | undefined => {
  const v = node?.args[index]
  return typeof v === 'number' ? v : undefined
}
const textAt = (node: WktNode | undefined, index: number): string => {
  const v = node?.args[index]
  return typeof v === 'string' ? v : ''
}

/** The EPSG code of a node's own AUTHORITY (WKT1) or ID (WKT2). */
function codeOf(node: WktNode): number | null {
  const authority = child(node, 'AUTHORITY') ?? child(node, 'ID')
  if (!authority || textAt(authority, 0).toUpperCase() !== 'EPSG') return null
  const code = Number(authority.args[1])
  return Number.isInteger(code) && code > 0 ? code : null
}

/** WKT1 projection names (OGC and ESRI, squashed) → PROJ method. */
const METHODS: Record<string, string> = {
  transversemercator: 'tmerc',
  gausskruger: 'tmerc',
  lambertconformalconic1sp: 'lcc',
  lambertconformalconic2sp: 'lcc',
  lambertconformalconic: 'lcc',
  lambertconformalconic2spbelgium: 'lcc',
  albersconicequalarea: 'aea',
  albers: 'aea',
  equidistantconic: 'eqdc',
  stereographic: 'stere',
  obliquestereographic: 'sterea',
  doublestereographic: 'sterea',
  polarstereographic: 'stere',
  stereographicnorthpole: 'stere',
  stereographicsouthpole: 'stere',
  mercator1sp: 'merc',
  mercator2sp: 'merc',
  mercator: 'merc',
  cylindricalequalarea: 'cea',
  behrmann: 'cea',
  lambertazimuthalequalarea: 'laea',
  krovak: 'krovak',
  hotineobliquemercator: 'omerc',
  hotineobliquemercatorazimuthcenter: 'omerc',
  hotineobliquemercatorazimuthnaturalorigin: 'omerc',
  obliquemercator: 'omerc',
  swissobliquecylindrical: 'somerc',
  cassinisoldner: 'cass',
  cassini: 'cass',
  polyconic: 'poly',
  equirectangular: 'eqc',
  platecarree: 'eqc',
  sinusoidal: 'sinu',
  mollweide: 'moll',
  robinson: 'robin',
  orthographic: 'ortho',
  gnomonic: 'gnom',
  azimuthalequidistant: 'aeqd',
  millercylindrical: 'mill',
  vandergrinten: 'vandg',
  newzealandmapgrid: 'nzmg'
}

/** WKT1 parameter names (squashed) → PROJ parameter; angles flagged. */
const PARAMETERS: Record<string, string> = {
  latitudeoforigin: 'lat_0',
  latitudeofcenter: 'lat_0',
  latitudeofcentre: 'lat_0',
  centralmeridian: 'lon_0',
  longitudeofcenter: 'lon_0',
  longitudeofcentre: 'lon_0',
  longitudeoforigin: 'lon_0',
  standardparallel1: 'lat_1',
  standardparallel2: 'lat_2',
  scalefactor: 'k_0',
  falseeasting: 'x_0',
  falsenorthing: 'y_0',
  azimuth: 'alpha',
  rectifiedgridangle: 'gamma',
  pseudostandardparallel1: 'pseudo_standard_parallel'
}

/**
 * Reads a WKT1 CRS (PROJCS or GEOGCS, OGC or ESRI) into its definition, name and EPSG code; a WKT2
 * CRS gives its name and code only. Throws, naming what is missing, when it cannot be read.
 */
export function parseWkt(text: string): WktCrs {
  let root = parseWktTree(text)
  if (root.keyword === 'COMPD_CS') root = child(root, 'PROJCS') ?? child(root, 'GEOGCS') ?? root
  const name = textAt(root, 0)
  const epsg = codeOf(root)
  if (root.keyword !== 'PROJCS' && root.keyword !== 'GEOGCS') {
    if (epsg !== null) return { definition: null, name, epsg, shiftStated: false, datumCrs: null }
    throw new Error(`Expected a WKT1 PROJCS or GEOGCS (or a WKT2 CRS with an EPSG ID) but received ${root.keyword}`)
  }
  const geogcs = root.keyword === 'GEOGCS' ? root : child(root, 'GEOGCS')
  if (!geogcs) throw new Error(`Expected a GEOGCS in the WKT PROJCS ${JSON.stringify(name)}`)
  const datum = child(geogcs, 'DATUM')
  const spheroid = datum && child(datum, 'SPHEROID')
  const a = numberAt(spheroid, 1)
  const rf = numberAt(spheroid, 2)
  if (a === undefined || rf === undefined) throw new Error(`Expected a SPHEROID with its semi-major axis and inverse flattening in the WKT of ${JSON.stringify(name)}`)
  const degreesPerUnit = (numberAt(child(geogcs, 'UNIT'), 1) ?? Math.PI / 180) * (180 / Math.PI)
  const primeMeridian = (numberAt(child(geogcs, 'PRIMEM'), 1) ?? 0) * degreesPerUnit
  const shift = child(datum!, 'TOWGS84')
  const shiftStated = shift !== undefined
  const datumCrs = geographicCrsOfDatum(textAt(datum, 0), codeOf(datum!))
  const datumShift = shift ? { towgs84: shift.args.map(Number), nadgrids: null } : wktDatumShift(textAt(datum, 0), codeOf(datum!), { a, rf })
  const base = { flags: [] as string[], ellipsoid: { a, rf }, primeMeridian, ...datumShift }
  if (root.keyword === 'GEOGCS') return { definition: normaliseDefinition({ ...base, method: 'longlat', parameters: {}, toMeter: 1 }), name, epsg, shiftStated, datumCrs }

  // GDAL's WKT1 of a CRS WKT1 cannot say (EPSG:3857's spherical Mercator) carries its PROJ string, which GDAL reads instead.
  const extension = children(root, 'EXTENSION').find((e) => textAt(e, 0).toUpperCase() === 'PROJ4')
  if (extension) return { definition: parseProjString(textAt(extension, 1)), name, epsg, shiftStated: true, datumCrs }
  const projectionName = textAt(child(root, 'PROJECTION'), 0)
  const projection = squash(projectionName)
  if (projection === 'mercatorauxiliarysphere') return { definition: auxiliarySphereMercator(root, name, { a, rf }, degreesPerUnit), name, epsg, shiftStated, datumCrs }
  const method = METHODS[projection]
  if (!method) throw new Error(`Expected a projection Tessera knows (Transverse_Mercator, Lambert_Conformal_Conic…) in the WKT of ${JSON.stringify(name)} but received ${JSON.stringify(projectionName)}`)
  const toMeter = numberAt(child(root, 'UNIT'), 1) ?? 1
  const parameters: Record<string, number> = {}
  for (const p of children(root, 'PARAMETER')) {
    const key = PARAMETERS[squash(textAt(p, 0))]
    const value = numberAt(p, 1)
    if (!key || value === undefined) continue
    parameters[key] = key === 'x_0' || key === 'y_0' ? value * toMeter : key === 'k_0' ? value : value * degreesPerUnit
  }
  const flags: string[] = []
  delete parameters.pseudo_standard_parallel
  switch (projection) {
    case 'lambertconformalconic1sp':
      parameters.lat_1 = parameters.lat_0 ?? 0
      break
    case 'lambertconformalconic':
      // ESRI's one name for both: one standard parallel and a scale is the 1SP form.
      if (parameters.lat_2 === undefined) parameters.lat_1 ??= parameters.lat_0 ?? 0
      break
    case 'mercator':
    case 'mercator2sp':
    case 'cylindricalequalarea':
    case 'behrmann':
    case 'equirectangular':
      if (parameters.lat_1 !== undefined) parameters.lat_ts = parameters.lat_1
      delete parameters.lat_1
      if (projection === 'behrmann') parameters.lat_ts = 30
      break
    case 'polarstereographic': {
      const lat = parameters.lat_0 ?? 90
      if (Math.abs(Math.abs(lat) - 90) > 1e-9) {
        parameters.lat_ts = lat
        parameters.lat_0 = lat < 0 ? -90 : 90
      }
      break
    }
    case 'stereographicnorthpole':
    case 'stereographicsouthpole':
      parameters.lat_ts = parameters.lat_1 ?? (projection === 'stereographicnorthpole' ? 90 : -90)
      parameters.lat_0 = projection === 'stereographicnorthpole' ? 90 : -90
      delete parameters.lat_1
      break
    case 'hotineobliquemercator':
    case 'hotineobliquemercatorazimuthnaturalorigin':
      flags.push('no_uoff')
      break
  }
  if (method === 'omerc' && parameters.lon_0 !== undefined) {
    parameters.lonc = parameters.lon_0
    delete parameters.lon_0
  }
  return { definition: normaliseDefinition({ ...base, flags, method, parameters, toMeter }), name, epsg, shiftStated, datumCrs }
}

/**
 * ESRI's `Mercator_Auxiliary_Sphere` (its Web Mercator, as `gdalsrsinfo -o wkt_esri EPSG:3857`
 * writes it): a spherical Mercator on a sphere of the datum's semi-major axis, its coordinates
 * taken as WGS 84 ones unshifted, which is EPSG:3857's `+a=6378137 +b=6378137 +nadgrids=@null`.
 * Only Auxiliary_Sphere_Type 0 (the semi-major axis) is that; GDAL reads no other either.
 */
function auxiliarySphereMercator(root: WktNode, name: string, ellipsoid: { a: number; rf: number }, degreesPerUnit: number): ProjDefinition {
  const parameter = (key: string): number | undefined => numberAt(children(root, 'PARAMETER').find((p) => squash(textAt(p, 0)) === key), 1)
  const sphereType = parameter('auxiliaryspheretype') ?? 0
  if (sphereType !== 0) throw new Error(`Expected Auxiliary_Sphere_Type 0 (the semi-major axis, as Web Mercator) in the WKT of ${JSON.stringify(name)} but received ${sphereType}`)
  const toMeter = numberAt(child(root, 'UNIT'), 1) ?? 1
  const parameters = {
    lat_ts: (parameter('standardparallel1') ?? 0) * degreesPerUnit,
    lon_0: (parameter('centralmeridian') ?? 0) * degreesPerUnit,
    x_0: (parameter('falseeasting') ?? 0) * toMeter,
    y_0: (parameter('falsenorthing') ?? 0) * toMeter
  }
  return normaliseDefinition({ method: 'merc', parameters, flags: [], ellipsoid: { a: ellipsoid.a, rf: 0 }, towgs84: null, nadgrids: '@null', primeMeridian: 0, toMeter })
}

/** True when `text` looks like WKT rather than a PROJ string or a code. */
export function looksLikeWkt(text: string): boolean {
  return /^\s*[A-Za-z_]+\s*[[(]/.test(text)
}

