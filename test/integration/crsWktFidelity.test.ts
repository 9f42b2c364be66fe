/**
 * A CRS definition as `.prj` files and `.aux.xml` carry it, read by `crsFromDefinition` and
 * compared with GDAL's own reading of the same text: the ESRI WKT `gdalsrsinfo -o wkt_esri EPSG:n`
 * writes (no TOWGS84, datums by ESRI's names, Web Mercator as Mercator_Auxiliary_Sphere) and the
 * OGC WKT1 of `-o wkt1` (an AUTHORITY, no TOWGS84). Sample points mapped to longitude/latitude
 * through proj4js and Tessera's definition equal `gdaltransform -s_srs file.prj -t_srs EPSG:4326`
 * within 1e-7°, and the EPSG code Tessera names is GDAL's: the ID of `gdalinfo -json` for a GeoTIFF
 * given that CRS, or, where gdalinfo names the CRS without its code (ESRI WKT), `gdalsrsinfo -e`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crsFromDefinition } from '../../src/main/raster/crs'
import { epsgDefinition } from '../../src/main/raster/crs/epsgDefinitions'
import { formatProjString } from '../../src/main/raster/crs/projDefinition'
import * as gdal from '../helpers/gdal'
import { tempDir } from '../helpers/images'

const tmp = tempDir('tessera-crs-wkt-')
const DEGREES = 1e-7

interface Row {
  prj: string
  tessera: string
  gdal: string
  'max Δ°': string
}
const table: Row[] = []

beforeAll(async () => {
  gdal.requireGdal()
  await gdal.gdal('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '4', '4', '-bands', '1', '-ot', 'Byte', '-burn', '7', tmp.file('base.tif')])
})
afterAll(() => {
  console.table(table)
  tmp.cleanup()
})

/** Each code with sample points in its own units, where it is valid (Brussels, Utrecht, London…). */
const CASES: { code: number; points: [number, number][] }[] = [
  { code: 31370, points: [[148000.5, 171000.5], [150000, 170000], [42000, 190000], [255000, 50000], [100000, 100000]] },
  { code: 28992, points: [[155000, 463000], [121000, 487000], [180000, 330000], [250000, 600000], [20000, 380000]] },
  { code: 27700, points: [[530000, 180000], [400000, 100000], [260000, 665000], [300000, 1000000], [640000, 300000]] },
  { code: 3857, points: [[0, 0], [500000, 6800000], [-8238000, 4970000], [15000000, -4000000], [-20000000, 19000000]] },
  { code: 4326, points: [[4.35, 50.85], [-0.1, 51.5], [139.7, 35.7], [-70.5, -33.4], [0, 0]] }
]

/** The EPSG code GDAL names for the CRS of `prj`: gdalinfo's ID for a GeoTIFF given it, else GDAL's identification. */
async function gdalCode(prj: string, name: string): Promise<number | null> {
  const tif = tmp.file(`${name}.tif`)
  await gdal.translate(tmp.file('base.tif'), tif, ['-a_srs', prj, '-a_ullr', '0', '1', '1', '0'])
  const named = gdal.epsgOf(await gdal.gdalInfo(tif))
  if (named !== null) return named
  const identified = /^EPSG:(\d+)$/m.exec(await gdal.gdal('gdalsrsinfo', ['-e', prj]))
  return identified ? Number(identified[1]) : null
}

describe('a .prj read as GDAL reads it', () => {
  for (const { code, points } of CASES) {
    for (const format of ['wkt_esri', 'wkt1']) {
      it(`places the ${format} of EPSG:${code} where gdaltransform does and names EPSG:${code}`, async () => {
        const name = `${code}-${format}`
        const prj = tmp.file(`${name}.prj`)
        writeFileSync(prj, await gdal.gdal('gdalsrsinfo', ['-o', format, `EPSG:${code}`]))
        const crs = crsFromDefinition(readFileSync(prj, 'utf8'), 'prj')
        expect(crs.proj4, 'a proj4js definition').toBeTruthy()
        const ours = points.map((point) => proj4(crs.proj4!, 'EPSG:4326', point) as [number, number])
        const reference = await gdal.gdalTransform(['-s_srs', prj, '-t_srs', 'EPSG:4326'], points)
        const largest = Math.max(...ours.flatMap(([lon, lat], i) => [Math.abs(lon - reference[i]![0]), Math.abs(lat - reference[i]![1])]))
        const named = await gdalCode(prj, name)
        table.push({ prj: name, tessera: `EPSG:${crs.epsg}`, gdal: `EPSG:${named}`, 'max Δ°': largest.toExponential(1) })
        expect(largest, `largest difference from gdaltransform (${JSON.stringify({ ours, reference })})`).toBeLessThanOrEqual(DEGREES)
        expect(named, 'GDAL names the code').toBe(code)
        expect(crs).toMatchObject({ epsg: code, id: `EPSG:${code}`, source: 'prj' })
        // The code's own definition, datum shift included, is what is drawn.
        expect(crs.proj4).toBe(formatProjString(epsgDefinition(code)!))
      })
    }
  }
})
