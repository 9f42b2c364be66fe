/**
 * A file's CRS is what its GeoTIFF keys say, in full (issue 21), checked against GDAL: a corpus of
 * small GeoTIFFs written by `gdal_translate -a_srs <PROJ string or code> -a_ullr …`, one per
 * projection method and unit case, each at a place where its projection is valid. For each file,
 * Tessera's mapping of sample pixels (corners and centre) to WGS 84 longitude/latitude — through
 * the geotransform and proj4js fed the definition Tessera built from the keys — equals
 * `gdaltransform -t_srs EPSG:4326`'s through the file within 1e-7°; the EPSG code `gdalinfo`
 * names (its STAC `proj:epsg`) is the one Tessera names; and a code Tessera identifies where GDAL
 * names none is equivalent (the same pixels through the code's definition agree within 1e-7°).
 */
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRaster, type RasterSource } from '../../src/main/raster'
import { epsgProjString } from '../../src/main/raster/crs/epsgDefinitions'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import type { RasterInfo } from '../../src/shared/raster'
import * as gdal from '../helpers/gdal'
import { tempDir } from '../helpers/images'

const tmp = tempDir('tessera-crs-fidelity-')
let pool: DecodePool
let background: DecodePool
const W = 64
const H = 48
const TOLERANCE_DEGREES = 1e-7

interface Row {
  case: string
  definition: string
  epsg: string
  'gdal epsg': string
  'max Δ°': string
  'max Δ m': string
}
const table: Row[] = []

beforeAll(async () => {
  gdal.requireGdal()
  pool = createDecodePool({ size: 2, name: 'crs fidelity pool' })
  background = createDecodePool({ size: 1, name: 'crs fidelity background pool' })
  await gdal.gdal('gdal_create', ['-q', '-of', 'GTiff', '-outsize', String(W), String(H), '-bands', '1', '-ot', 'Byte', '-burn', '7', tmp.file('base.tif')])
})
afterAll(async () => {
  // The closing note's table: case → definition built → EPSG identified → largest difference from gdaltransform.
  console.table(table)
  await Promise.all([pool?.close(), background?.close()])
  tmp.cleanup()
})

/** `gdaltransform …args` of pixel/line points: longitude, latitude (GDAL's tools keep the GIS order). */
function gdalTransform(args: string[], points: readonly (readonly [number, number])[]): Promise<[number, number][]> {
  return new Promise((resolve, reject) => {
    const child = execFile('gdaltransform', args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`gdaltransform ${args.join(' ')} failed: ${(stderr || error.message).trim()}`))
      resolve(stdout.trim().split('\n').map((line) => line.trim().split(/\s+/).slice(0, 2).map(Number) as [number, number]))
    })
    child.stdin!.end(points.map(([x, y]) => `${x} ${y}`).join('\n') + '\n')
  })
}

/** The GeoKey directory entry (key, location 0, count 1, value) of a file, rewritten: a unit override no GDAL option writes. */
function patchShortKey(path: string, key: number, from: number, to: number): void {
  const bytes = readFileSync(path)
  const entry = (value: number): Buffer => {
    const b = Buffer.alloc(8)
    b.writeUInt16LE(key, 0)
    b.writeUInt16LE(0, 2)
    b.writeUInt16LE(1, 4)
    b.writeUInt16LE(value, 6)
    return b
  }
  const at = bytes.indexOf(entry(from))
  if (at < 0) throw new Error(`GeoKey ${key} = ${from} not found in ${path}`)
  entry(to).copy(bytes, at)
  writeFileSync(path, bytes)
}

const SAMPLES: [number, number][] = [
  [0, 0],
  [W, 0],
  [0, H],
  [W, H],
  [W / 2, H / 2]
]

async function open(path: string): Promise<RasterInfo> {
  const source: RasterSource = await openRaster(path, { pool, backgroundPool: background, cacheDir: tmp.file('cache') })
  try {
    return source.info
  } finally {
    await source.close()
  }
}

/** Pixel/line → longitude, latitude through a geotransform and a proj4js definition. */
function throughDefinition(info: RasterInfo, definition: string, points: readonly [number, number][]): [number, number][] {
  const gt = info.georeference!.geoTransform
  const converter = proj4(definition, 'EPSG:4326')
  return points.map(([px, py]) => converter.forward([gt[0] + px * gt[1] + py * gt[2], gt[3] + px * gt[4] + py * gt[5]]) as [number, number])
}

function largestDifference(a: [number, number][], b: [number, number][]): { degrees: number; metres: number } {
  let degrees = 0
  let metres = 0
  a.forEach(([lon, lat], i) => {
    const [lon2, lat2] = b[i]!
    const dLon = Math.abs(lon - lon2)
    const dLat = Math.abs(lat - lat2)
    degrees = Math.max(degrees, dLon, dLat)
    metres = Math.max(metres, Math.hypot(dLon * 111_320 * Math.cos((lat * Math.PI) / 180), dLat * 110_574))
  })
  return { degrees, metres }
}

interface Case {
  name: string
  /** What `gdal_translate -a_srs` is given. */
  srs: string
  /** -a_ullr ulx uly lrx lry, in the CRS's units. */
  ullr: [number, number, number, number]
  /** The EPSG code Tessera must name (identified or named); null when none is equivalent. */
  epsg: number | null
  /** Rewrites the file after GDAL wrote it. */
  patch?: (path: string) => void
}

const GEORGIA_EAST_FTUS = '+proj=tmerc +lat_0=30 +lon_0=-82.1666666666667 +k=0.9999 +x_0=200000 +y_0=0 +datum=NAD83 +units=us-ft'
const RD_NEW = '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.4171,50.3319,465.5524,-0.398957,0.343988,-1.87740,4.0725 +units=m'

const CASES: Case[] = [
  { name: 'Georgia East (ftUS) by code', srs: 'EPSG:2239', ullr: [600000, 800000, 700000, 700000], epsg: 2239 },
  { name: 'Georgia East (ftUS) user-defined', srs: GEORGIA_EAST_FTUS, ullr: [600000, 800000, 700000, 700000], epsg: 2239 },
  {
    name: 'EPSG:26966 with ProjLinearUnitsGeoKey = US survey foot',
    srs: 'EPSG:26966',
    ullr: [600000, 800000, 700000, 700000],
    epsg: 2239,
    patch: (path) => patchShortKey(path, 3076, 9001, 9003)
  },
  { name: 'UTM 25S on GRS 80 by parameters', srs: '+proj=utm +zone=25 +south +ellps=GRS80 +units=m', ullr: [279000, 9226000, 281000, 9224000], epsg: 31985 },
  { name: 'SIRGAS 2000 / UTM 25S by code', srs: 'EPSG:31985', ullr: [279000, 9226000, 281000, 9224000], epsg: 31985 },
  { name: 'Dutch RD (oblique stereographic) by parameters', srs: RD_NEW, ullr: [180000, 331000, 181000, 330000], epsg: 28992 },
  { name: 'Transverse Mercator, international ellipsoid', srs: '+proj=tmerc +lat_0=0 +lon_0=3 +k=0.9996 +x_0=500000 +y_0=0 +ellps=intl +towgs84=-87,-98,-121 +units=m', ullr: [500000, 5500000, 510000, 5490000], epsg: 23031 },
  { name: 'Lambert conformal conic 1SP, Paris meridian', srs: '+proj=lcc +lat_1=46.8 +lat_0=46.8 +lon_0=0 +k_0=0.99987742 +x_0=600000 +y_0=2200000 +ellps=clrk80ign +pm=paris +towgs84=-168,-60,320 +units=m', ullr: [600000, 2210000, 610000, 2200000], epsg: 27572 },
  { name: 'Lambert conformal conic 2SP (Lambert-93)', srs: '+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0 +units=m', ullr: [650000, 6870000, 660000, 6860000], epsg: 2154 },
  { name: 'Albers equal area, NAD83 (CONUS)', srs: '+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96 +x_0=0 +y_0=0 +datum=NAD83 +units=m', ullr: [1000000, 2000000, 1010000, 1990000], epsg: 5070 },
  { name: 'Stereographic', srs: '+proj=stere +lat_0=40 +lon_0=10 +k=0.999 +x_0=1000 +y_0=2000 +ellps=intl +units=m', ullr: [79000, 558000, 81000, 557000], epsg: null },
  { name: 'Polar stereographic B (lat_ts 70° N)', srs: '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m', ullr: [-100000, -2000000, 0, -2100000], epsg: 3413 },
  // WGS 84 / UPS South (E,N), EPSG:5042, is the same definition as EPSG:32761 and the lower code.
  { name: 'Polar stereographic A (UPS south)', srs: '+proj=stere +lat_0=-90 +lat_ts=-90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000 +datum=WGS84 +units=m', ullr: [2000000, 2500000, 2100000, 2400000], epsg: 5042 },
  { name: 'Mercator 1SP (scale)', srs: '+proj=merc +lon_0=110 +k=0.997 +x_0=3900000 +y_0=900000 +ellps=bessel +units=m', ullr: [2790000, 127000, 2800000, 117000], epsg: null },
  { name: 'Mercator 2SP (latitude of true scale)', srs: '+proj=merc +lon_0=51 +lat_ts=42 +x_0=0 +y_0=0 +ellps=krass +units=m', ullr: [-83000, 3820000, -73000, 3810000], epsg: null },
  { name: 'Cylindrical equal area (lat_ts 30°)', srs: '+proj=cea +lon_0=0 +lat_ts=30 +x_0=0 +y_0=0 +datum=WGS84 +units=m', ullr: [-3860000, 6896000, -3850000, 6886000], epsg: 3975 },
  { name: 'Lambert azimuthal equal area (ETRS89-LAEA)', srs: '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0 +units=m', ullr: [4321000, 3220000, 4331000, 3210000], epsg: 3035 },
  { name: 'Equidistant conic', srs: '+proj=eqdc +lat_0=40 +lon_0=-96 +lat_1=20 +lat_2=60 +x_0=0 +y_0=0 +datum=NAD83 +units=m', ullr: [481000, 16000, 491000, 6000], epsg: null },
  { name: 'Krovak (Ferro)', srs: '+proj=krovak +lat_0=49.5 +lon_0=24.83333333333333 +alpha=30.28813972222222 +k=0.9999 +x_0=0 +y_0=0 +ellps=bessel +pm=ferro +towgs84=589,76,480 +units=m', ullr: [516000, -1067000, 517000, -1068000], epsg: null },
  { name: 'Hotine oblique Mercator A (no_uoff)', srs: '+proj=omerc +lat_0=4 +lonc=102.25 +alpha=323.0257905 +k=0.99984 +x_0=804670.24 +y_0=0 +no_uoff +gamma=323.1301023611111 +ellps=evrst30 +towgs84=-380,544,57 +units=m', ullr: [444000, 498000, 446000, 497000], epsg: null },
  // Alaska zone 1 (EPSG:26931) is variant A (+no_uoff); the same parameters in variant B are another CRS.
  { name: 'Hotine oblique Mercator B', srs: '+proj=omerc +lat_0=57 +lonc=-133.6666666666667 +alpha=323.1301023611111 +k=0.9999 +x_0=5000000 +y_0=-5000000 +gamma=323.1301023611111 +datum=NAD83 +units=m', ullr: [4980000, -4944000, 4981000, -4945000], epsg: null },
  { name: 'Hotine oblique Mercator A (Alaska zone 1)', srs: '+proj=omerc +lat_0=57 +lonc=-133.6666666666667 +alpha=323.1301023611111 +k=0.9999 +x_0=5000000 +y_0=-5000000 +no_uoff +gamma=323.1301023611111 +datum=NAD83 +units=m', ullr: [800000, 700000, 801000, 699000], epsg: 26931 },
  { name: 'Geographic, ED50 by parameters', srs: '+proj=longlat +ellps=intl +towgs84=-87,-98,-121 +no_defs', ullr: [2, 50, 3, 49], epsg: 4230 },
  { name: 'Geographic WGS 84 by code', srs: 'EPSG:4326', ullr: [2, 50, 3, 49], epsg: 4326 }
]

describe('CRS fidelity: GeoTIFF keys against gdaltransform', () => {
  for (const c of CASES) {
    it(`places ${c.name} where GDAL does${c.epsg !== null ? ` and names EPSG:${c.epsg}` : ''}`, async () => {
      const path = join(tmp.dir, `${c.name.replace(/[^A-Za-z0-9]+/g, '-')}.tif`)
      await gdal.translate(tmp.file('base.tif'), path, ['-a_srs', c.srs, '-a_ullr', ...c.ullr.map(String)])
      c.patch?.(path)
      const info = await open(path)
      const crs = info.georeference?.crs
      expect(crs, 'the CRS read from the keys').toBeTruthy()
      expect(crs!.proj4, `definition of ${c.name}`).toBeTruthy()
      const reference = await gdalTransform(['-t_srs', 'EPSG:4326', path], SAMPLES)
      const ours = throughDefinition(info, crs!.proj4!, SAMPLES)
      const difference = largestDifference(ours, reference)
      const stac = ((await gdal.gdalInfo(path)) as unknown as { stac?: { 'proj:epsg'?: number | null } }).stac?.['proj:epsg'] ?? null
      table.push({
        case: c.name,
        definition: crs!.proj4!,
        epsg: crs!.epsg === null ? 'none' : `EPSG:${crs!.epsg}`,
        'gdal epsg': stac === null ? 'none' : `EPSG:${stac}`,
        'max Δ°': difference.degrees.toExponential(1),
        'max Δ m': difference.metres.toExponential(1)
      })
      expect(difference.degrees, `largest difference from gdaltransform, degrees (${JSON.stringify({ ours, reference })})`).toBeLessThanOrEqual(TOLERANCE_DEGREES)
      if (stac !== null) expect(crs!.epsg, 'the EPSG code gdalinfo names').toBe(stac)
      expect(crs!.epsg, 'the EPSG code named or identified').toBe(c.epsg)
      expect(info.georeference!.epsg, 'Georeference.epsg is crs.epsg').toBe(crs!.epsg)
      expect(crs!.id, 'id').toMatch(crs!.epsg !== null ? new RegExp(`^EPSG:${crs!.epsg}$`) : /^CUSTOM:[0-9a-f]{12}$/)
      if (crs!.epsg !== null) {
        const throughCode = throughDefinition(info, epsgProjString(crs!.epsg)!, SAMPLES)
        expect(largestDifference(throughCode, ours).degrees, `EPSG:${crs!.epsg} is equivalent to the file's definition`).toBeLessThanOrEqual(TOLERANCE_DEGREES)
      }
    })
  }
})
