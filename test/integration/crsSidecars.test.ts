/**
 * Georeferencing beside the file (issue 21): images and TIFFs written by GDAL with world files,
 * `.aux.xml` and `.prj` side-cars, opened with `openRaster` and compared with GDAL: the
 * geotransform with `gdalinfo -json`, sample pixels mapped to map coordinates and to longitude and
 * latitude (through proj4js and the CRS's `proj4`) with `gdaltransform`, within 1 cm and 1e-7°.
 * GDAL reads no `.prj` beside a GeoTIFF or a JPEG: there the reference of the CRS is the `.prj`
 * itself read by GDAL (`gdaltransform -s_srs file.prj`), and the EPSG code identified is checked by
 * mapping the same pixels through it.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import proj4 from 'proj4'
import { describe, expect, it } from 'vitest'
import { openRaster } from '../../src/main/raster'
import type { GeoTransform, Georeference, RasterInfo } from '../../src/shared/raster'
import * as gdal from '../helpers/gdal'
import { useRasterCorpus } from '../helpers/rasterCorpus'

const { tmp, opened, opts } = useRasterCorpus('crs-sidecars')

const W = 300
const H = 200
/** Sample pixels: the corners, the centre, a pixel centre and an odd point. */
const PIXELS: [number, number][] = [[0, 0], [W, 0], [0, H], [W, H], [W / 2, H / 2], [0.5, 0.5], [17.25, 123.75]]
const DEGREES = 1e-7
const METRES = 0.01

/** Lambert-93 around Paris; Belgian Lambert 72 around Brussels; UTM 31N around Amsterdam. */
const PARIS: GeoTransform = [652000.25, 0.5, 0, 6862000.75, 0, -0.5]
const PARIS_ROTATED: GeoTransform = [652000.25, 0.5, 0.125, 6862000.75, 0.0625, -0.5]
const BRUSSELS: GeoTransform = [148000.5, 1.25, 0, 171000.5, 0, -1.25]
const AMSTERDAM: GeoTransform = [628000, 2, 0, 5804000, 0, -2]

/** An RGB byte raster written by GDAL with `args` from a VRT carrying `source`'s georeferencing. */
const make = (name: string, args: string[], source: gdal.SourceOptions, extension: string): Promise<string> =>
  gdal.gdalRaster(tmp.dir, name, gdal.valueGrid(W, H, 3, 'uint8', 7), args, source, extension)

async function open(path: string): Promise<RasterInfo> {
  let ready!: () => void
  let failed!: (error: Error) => void
  const pyramid = new Promise<void>((resolve, reject) => {
    ready = resolve
    failed = reject
  })
  const source = await openRaster(path, { ...opts(), onPyramidReady: () => ready(), onPyramidError: (error) => failed(error) })
  opened.push(source)
  if (!source.info.pyramidReady) await pyramid
  return source.info
}

function mapped(gt: GeoTransform | number[], [px, py]: [number, number]): [number, number] {
  return [gt[0]! + px * gt[1]! + py * gt[2]!, gt[3]! + px * gt[4]! + py * gt[5]!]
}

function expectClose(actual: [number, number][], expected: [number, number][], tolerance: number, what: string): void {
  actual.forEach((point, index) => {
    const [x, y] = point
    const [ex, ey] = expected[index]!
    const message = `${what} of pixel ${PIXELS[index]!.join(', ')}: Tessera ${x}, ${y}; GDAL ${ex}, ${ey}`
    expect(Math.abs(x - ex), message).toBeLessThanOrEqual(tolerance)
    expect(Math.abs(y - ey), message).toBeLessThanOrEqual(tolerance)
  })
}

/**
 * Tessera's georeference of `path` against GDAL's: the geotransform of `gdalinfo -json` (when GDAL
 * places the file), the sample pixels' map coordinates and their longitude/latitude against
 * `gdaltransform` from the CRS `crsReference` (GDAL's `-s_srs`; the file's own CRS when absent).
 */
async function expectAsGdal(path: string, georeference: Georeference | null, crsReference?: string): Promise<void> {
  const info = await gdal.gdalInfo(path)
  expect(info.geoTransform, 'gdalinfo places the file').toBeDefined()
  expect(georeference, 'Tessera places the file').not.toBeNull()
  const gt = georeference!.geoTransform
  info.geoTransform!.forEach((value, index) => expect(Math.abs(gt[index]! - value), `geoTransform[${index}]: Tessera ${gt.join(', ')}, gdalinfo ${info.geoTransform!.join(', ')}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(value))))
  expect(georeference!.rotated).toBe(gt[2] !== 0 || gt[4] !== 0)
  const map = PIXELS.map((pixel) => mapped(gt, pixel))
  expectClose(map, await gdal.gdalTransform([path], PIXELS), METRES, 'map coordinates')
  const crs = georeference!.crs
  expect(crs?.proj4, 'a proj4js definition').toBeTruthy()
  const lonLat = map.map((point) => proj4(crs!.proj4!, 'EPSG:4326', point) as [number, number])
  const gdalLonLat = crsReference
    ? await gdal.gdalTransform(['-s_srs', crsReference, '-t_srs', 'EPSG:4326'], PIXELS.map((pixel) => mapped(info.geoTransform!, pixel)))
    : await gdal.gdalTransform(['-t_srs', 'EPSG:4326', path], PIXELS)
  expectClose(lonLat, gdalLonLat, DEGREES, 'longitude/latitude')
  if (georeference!.epsg !== null) {
    // The code identified is the same CRS: the pixels mapped through it land where the file's own definition puts them.
    const throughCode = await gdal.gdalTransform(['-s_srs', `EPSG:${georeference!.epsg}`, '-t_srs', 'EPSG:4326'], map)
    expectClose(lonLat, throughCode, DEGREES, `longitude/latitude through EPSG:${georeference!.epsg}`)
  }
}

describe('side-car georeferencing, as GDAL reads it', () => {
  it('places a PNG by the world file and .aux.xml SRS that gdal_translate writes', async () => {
    const path = await make('paris', ['-of', 'PNG', '-co', 'WORLDFILE=YES'], { geoTransform: PARIS, srs: 'EPSG:2154' }, 'png')
    expect(existsSync(tmp.file('paris.wld')) && existsSync(`${path}.aux.xml`), 'GDAL wrote a .wld and a .aux.xml').toBe(true)
    const info = await open(path)
    expect(info.warnings).toEqual([])
    expect(info.georeference).toMatchObject({ rasterType: 'area', epsg: 2154, rotated: false, crs: { id: 'EPSG:2154', source: 'aux-xml' } })
    expect(gdal.epsgOf(await gdal.gdalInfo(path))).toBe(2154)
    await expectAsGdal(path, info.georeference)
  })

  it('keeps the rotation terms of a world file (.pgw)', async () => {
    const path = await make('paris-rotated', ['-of', 'PNG', '-co', 'WORLDFILE=YES'], { geoTransform: PARIS_ROTATED, srs: 'EPSG:2154' }, 'png')
    renameSync(tmp.file('paris-rotated.wld'), tmp.file('paris-rotated.pgw'))
    const info = await open(path)
    expect(info.georeference).toMatchObject({ rotated: true, epsg: 2154 })
    await expectAsGdal(path, info.georeference)
  })

  // An ESRI .prj carries no TOWGS84: D_Belge_1972 is read, as GDAL reads it, as EPSG:31370's datum
  // with its shift; without it the pixels would land ~100 m from GDAL's.
  it('places a JPEG by its .jgw and takes its CRS from an ESRI .prj', async () => {
    const path = await make('brussels', ['-of', 'JPEG', '-co', 'WORLDFILE=YES'], { geoTransform: BRUSSELS }, 'jpg')
    renameSync(tmp.file('brussels.wld'), tmp.file('brussels.jgw'))
    rmSync(`${path}.aux.xml`, { force: true })
    writeFileSync(tmp.file('brussels.prj'), await gdal.gdal('gdalsrsinfo', ['-o', 'wkt_esri', 'EPSG:31370']))
    const info = await open(path)
    expect(info.warnings).toEqual([])
    expect(info.georeference).toMatchObject({ epsg: 31370, crs: { id: 'EPSG:31370', source: 'prj' } })
    expect((await gdal.gdalInfo(path)).coordinateSystem, 'GDAL reads no .prj beside a JPEG').toBeUndefined()
    await expectAsGdal(path, info.georeference, tmp.file('brussels.prj'))
  })

  it('finds the world file and .prj of a JPEG in upper case (.JGW, .PRJ)', async () => {
    const path = await make('paris-upper', ['-of', 'JPEG', '-co', 'WORLDFILE=YES'], { geoTransform: PARIS }, 'jpg')
    renameSync(tmp.file('paris-upper.wld'), tmp.file('paris-upper.JGW'))
    rmSync(`${path}.aux.xml`, { force: true })
    writeFileSync(tmp.file('paris-upper.PRJ'), await gdal.gdal('gdalsrsinfo', ['-o', 'wkt_esri', 'EPSG:2154']))
    const info = await open(path)
    expect(info.warnings).toEqual([])
    expect(info.georeference).toMatchObject({ epsg: 2154, crs: { id: 'EPSG:2154', source: 'prj' } })
    await expectAsGdal(path, info.georeference, tmp.file('paris-upper.PRJ'))
  })

  it('gives a GeoTIFF without CRS keys the CRS of its .prj', async () => {
    const path = await make('amsterdam', ['-co', 'TILED=YES'], { geoTransform: AMSTERDAM }, 'tif')
    writeFileSync(tmp.file('amsterdam.prj'), await gdal.gdal('gdalsrsinfo', ['-o', 'wkt1', 'EPSG:32631']))
    const info = await open(path)
    expect(info.georeference).toMatchObject({ epsg: 32631, crs: { id: 'EPSG:32631', source: 'prj' } })
    await expectAsGdal(path, info.georeference, tmp.file('amsterdam.prj'))
  })

  it('places a TIFF without GeoTIFF tags by its .tfw, its CRS from the .aux.xml', async () => {
    const path = await make('baseline', ['-co', 'PROFILE=BASELINE', '-co', 'TFW=YES'], { geoTransform: PARIS, srs: 'EPSG:2154' }, 'tif')
    expect(existsSync(tmp.file('baseline.tfw')), 'GDAL wrote a .tfw').toBe(true)
    const info = await open(path)
    expect(info.georeference).toMatchObject({ epsg: 2154, crs: { source: 'aux-xml' } })
    await expectAsGdal(path, info.georeference)
  })

  it('places a WebP by the GeoTransform and SRS of its .aux.xml', async () => {
    const path = await make('paris-webp', ['-of', 'WEBP', '-co', 'LOSSLESS=YES'], { geoTransform: PARIS, srs: 'EPSG:2154' }, 'webp')
    const info = await open(path)
    expect(info.georeference).toMatchObject({ epsg: 2154, crs: { source: 'aux-xml' } })
    await expectAsGdal(path, info.georeference)
  })

  it('lets the .aux.xml SRS override a GeoTIFF\'s own keys, and ignores a .prj beside them, as GDAL does', async () => {
    const path = await make('overridden', ['-co', 'TILED=YES'], { geoTransform: PARIS, srs: 'EPSG:32631' }, 'tif')
    const wkt = (await gdal.gdal('gdalsrsinfo', ['-o', 'wkt1', '--single-line', 'EPSG:2154'])).trim()
    writeFileSync(`${path}.aux.xml`, `<PAMDataset>\n  <SRS dataAxisToSRSAxisMapping="1,2">${wkt.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}</SRS>\n</PAMDataset>\n`)
    expect(gdal.epsgOf(await gdal.gdalInfo(path))).toBe(2154)
    const info = await open(path)
    expect(info.georeference).toMatchObject({ epsg: 2154, crs: { source: 'aux-xml' } })
    await expectAsGdal(path, info.georeference)

    const keys = await make('keys-and-prj', ['-co', 'TILED=YES'], { geoTransform: AMSTERDAM, srs: 'EPSG:32631' }, 'tif')
    writeFileSync(tmp.file('keys-and-prj.prj'), await gdal.gdal('gdalsrsinfo', ['-o', 'wkt_esri', 'EPSG:31370']))
    const own = await open(keys)
    expect(own.georeference).toMatchObject({ epsg: 32631 })
    expect(gdal.epsgOf(await gdal.gdalInfo(keys))).toBe(32631)
  })

  it('opens an image with a malformed world file ungeoreferenced, with a warning naming it', async () => {
    const path = await make('broken', ['-of', 'PNG'], {}, 'png')
    writeFileSync(tmp.file('broken.pgw'), '0.5\n0\n0\n')
    writeFileSync(tmp.file('broken.prj'), (await gdal.gdal('gdalsrsinfo', ['-o', 'wkt1', 'EPSG:2154'])).trim())
    expect((await gdal.gdalInfo(path)).geoTransform, 'GDAL does not place it either').toBeUndefined()
    const info = await open(path)
    expect(info.georeference).toBeNull()
    expect(info.warnings).toEqual([`The world file ${tmp.file('broken.pgw')} was not used: it has 3 values where a world file has 6 (A, D, B, E, C, F)`])
  })

  it('warns of a malformed .aux.xml and places the image by its world file', async () => {
    const path = await make('bad-aux', ['-of', 'PNG', '-co', 'WORLDFILE=YES'], { geoTransform: PARIS, srs: 'EPSG:2154' }, 'png')
    writeFileSync(`${path}.aux.xml`, '<PAMDataset>\n  <SRS>PROJCS["RGF93 v1')
    const info = await open(path)
    expect(info.georeference).toMatchObject({ epsg: null, crs: null })
    expect(info.warnings).toEqual([`${path}.aux.xml was not used: it is not GDAL's PAM XML (its <SRS> is never closed (the file is cut short?))`])
    expect((await gdal.gdalInfo(path)).geoTransform).toEqual(PARIS)
  })
})
