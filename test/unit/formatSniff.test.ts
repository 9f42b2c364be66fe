/**
 * formatSniff names what a file Tessera does not read is, from its real first bytes: files written
 * by GDAL where its drivers exist here (NetCDF classic and NetCDF-4, R raster, ENVI, JPEG 2000,
 * PDF, GeoPackage), hand-made headers where they do not (HDF5 without NetCDF, MrSID, ECW,
 * shapefile, ZIP, SQLite), and text of every kind.
 */
import { execFileSync } from 'node:child_process'
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SNIFF_BYTES, sniffFormat, sniffedReason, type SniffInput } from '../../src/main/raster/formatSniff'
import { sniffedReasonOf } from '../../src/main/raster/sniffFile'
import { tempDir } from '../helpers/images'

const tmp = tempDir('tessera-sniff-')
const bytes = (...values: Array<number | string>): Uint8Array =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? Array.from(v, (c) => c.charCodeAt(0)) : [v])))
const text = (value: string): Uint8Array => new TextEncoder().encode(value)

function headOf(path: string): Uint8Array {
  const head = Buffer.alloc(SNIFF_BYTES)
  const fd = openSync(path, 'r')
  try {
    return head.subarray(0, readSync(fd, head, 0, SNIFF_BYTES, 0))
  } finally {
    closeSync(fd)
  }
}

/** `gdal_translate` of a 4 × 4 Float32 ramp to `name` with `args`; the path written. */
function gdalWrite(name: string, ...args: string[]): string {
  const out = tmp.file(name)
  execFileSync('gdal_translate', ['-q', ...args, tmp.file('ramp.tif'), out])
  return out
}

beforeAll(() => {
  const asc = tmp.file('ramp.asc')
  writeFileSync(asc, 'ncols 4\nnrows 4\nxllcorner 0\nyllcorner 0\ncellsize 1\n' + '1 2 3 4\n'.repeat(4))
  execFileSync('gdal_translate', ['-q', '-ot', 'Float32', '-a_srs', 'EPSG:4326', asc, tmp.file('ramp.tif')])
})
afterAll(() => tmp.cleanup())

const sniff = (input: Partial<SniffInput> & { head: Uint8Array }) => sniffFormat({ name: 'file.bin', ...input })

describe('sniffFormat on files GDAL writes', () => {
  it('names a NetCDF classic file and gives the gdal_translate command for a variable', () => {
    const path = gdalWrite('grid.nc', '-of', 'netCDF')
    const found = sniff({ head: headOf(path), name: path })
    expect(found?.id).toBe('netcdf')
    expect(found?.what).toBe('a NetCDF file (classic format), not an image')
    expect(found?.advice).toContain('gdal_translate NETCDF:"grid.nc":<variable> grid.tif')
  })

  it('names a NetCDF-4 file (HDF5 inside)', () => {
    const path = gdalWrite('grid4.nc', '-of', 'netCDF', '-co', 'FORMAT=NC4')
    const found = sniff({ head: headOf(path), name: path })
    expect(found).toMatchObject({ id: 'hdf5', what: 'a NetCDF-4 file (HDF5), not an image' })
    expect(found?.advice).toContain('gdal_translate NETCDF:"grid4.nc":<variable> grid4.tif')
  })

  it('names an HDF5 file that is not NetCDF by its signature, also after a 512-byte user block', () => {
    const signature = [0x89, 'HDF', 0x0d, 0x0a, 0x1a, 0x0a] as const
    expect(sniff({ head: bytes(...signature, 0, 0, 0, 0), name: 'data.h5' })).toMatchObject({ id: 'hdf5', what: 'an HDF5 file, not an image' })
    const withUserBlock = new Uint8Array(600)
    withUserBlock.set(bytes(...signature), 512)
    expect(sniff({ head: withUserBlock, name: 'data.he5' })?.advice).toContain('gdal_translate HDF5:"data.he5"://<dataset> data.tif')
  })

  it('names an R raster .grd, and says when its .gri is not beside it', () => {
    const path = gdalWrite('dem.grd', '-of', 'RRASTER')
    const head = headOf(path)
    expect(sniff({ head, name: path, hasSibling: () => true })).toMatchObject({ id: 'r-raster', advice: expect.stringContaining('gdal_translate dem.grd dem.tif') })
    expect(sniff({ head, name: path, hasSibling: () => false })?.advice).toContain('put dem.gri beside it')
  })

  it('names an ENVI header, and the raw data file its .hdr describes', () => {
    const path = gdalWrite('scene.dat', '-of', 'ENVI')
    expect(sniff({ head: headOf(tmp.file('scene.hdr')), name: tmp.file('scene.hdr') })?.id).toBe('envi')
    const found = sniff({ head: headOf(path), name: path, siblingHead: (ext) => (ext === '.hdr' ? headOf(tmp.file('scene.hdr')) : null) })
    expect(found).toMatchObject({ id: 'envi', advice: expect.stringContaining('gdal_translate scene.dat scene.tif') })
  })

  it('names a JPEG 2000 image (jp2 box) and a raw codestream', () => {
    const path = gdalWrite('ortho.jp2', '-of', 'JP2OpenJPEG', '-ot', 'Byte')
    expect(sniff({ head: headOf(path), name: path })).toMatchObject({ id: 'jpeg2000', advice: expect.stringContaining('gdal_translate ortho.jp2 ortho.tif') })
    expect(sniff({ head: bytes(0xff, 0x4f, 0xff, 0x51, 0, 0x2f), name: 'ortho.j2k' })?.id).toBe('jpeg2000')
  })

  it('names a PDF', () => {
    const path = gdalWrite('map.pdf', '-of', 'PDF')
    expect(sniff({ head: headOf(path), name: path })?.id).toBe('pdf')
  })

  it('names a GeoPackage by its application id, before any SQLite database', () => {
    const path = gdalWrite('tiles.gpkg', '-of', 'GPKG', '-ot', 'Byte', '-scale')
    expect(sniff({ head: headOf(path), name: path.replace('.gpkg', '.db') })?.id).toBe('geopackage')
    expect(sniff({ head: text('SQLite format 3\0'), name: 'x.db' })?.id).toBe('sqlite')
  })
})

describe('sniffFormat on hand-made headers', () => {
  it('names a MrSID image by "msid"', () => {
    expect(sniff({ head: bytes('msid', 1, 0, 0, 0), name: 'ortho.sid' })?.id).toBe('mrsid')
  })

  it('names an ECW image by its extension, as GDAL does', () => {
    expect(sniff({ head: bytes(0x65, 0x02, 0x01, 0x02, 0, 0, 0x80), name: 'ortho.ECW' })?.id).toBe('ecw')
  })

  it('names a shapefile by its file code 9994', () => {
    const shp = new Uint8Array(100)
    new DataView(shp.buffer).setUint32(0, 9994)
    new DataView(shp.buffer).setUint32(28, 1000, true)
    expect(sniff({ head: shp, name: 'rivers.shp' })).toMatchObject({ id: 'shapefile', advice: expect.stringContaining('gdal_rasterize') })
  })

  it('names a ZIP archive, a KMZ, gzip, GRIB, HDF4, ERDAS IMAGINE and Surfer grids', () => {
    expect(sniff({ head: bytes('PK', 3, 4, 20, 0), name: 'delivery.zip' })?.what).toBe('a ZIP archive, not an image')
    expect(sniff({ head: bytes('PK', 3, 4, 20, 0), name: 'doc.kmz' })?.what).toContain('KMZ')
    expect(sniff({ head: bytes(0x1f, 0x8b, 8, 0), name: 'dem.tif.gz' })?.id).toBe('gzip')
    expect(sniff({ head: bytes('GRIB', 0, 0, 0, 2), name: 'gfs.grb2' })?.id).toBe('grib')
    expect(sniff({ head: bytes(0x0e, 0x03, 0x13, 0x01), name: 'modis.hdf' })?.id).toBe('hdf4')
    expect(sniff({ head: bytes('EHFA_HEADER_TAG', 0), name: 'dem.img' })?.id).toBe('erdas-imagine')
    expect(sniff({ head: text('DSAA\r\n4 4\r\n'), name: 'depth.grd' })?.what).toBe('a Golden Software Surfer grid (text), not an image')
    expect(sniff({ head: bytes('DSRB', 4, 0, 0, 0), name: 'depth.grd' })?.id).toBe('surfer-grid')
  })
})

describe('sniffFormat on text', () => {
  it('names a text file renamed .tif, quoting its first line, and says what its name claims', () => {
    const found = sniff({ head: text('hello, this is not an image\n'), name: '/data/photo.tif' })
    expect(found?.id).toBe('text')
    expect(sniffedReason(found!, '/data/photo.tif')).toBe(
      'it is a text file (first line: "hello, this is not an image"), not an image (its name ends in .tif, but its content is not a TIFF). Open the raster itself.'
    )
  })

  it('names a CSV table and points to gdal_grid', () => {
    expect(sniff({ head: text('x,y,z\n1,2,3\n4,5,6\n'), name: 'points.csv' })).toMatchObject({ id: 'csv', advice: expect.stringContaining('gdal_grid') })
  })

  it('names HTML (a failed download), KML, XML with its root element, GeoJSON and JSON', () => {
    expect(sniff({ head: text('<!DOCTYPE html><html><body>404</body></html>'), name: 'dem.tif' })?.id).toBe('html')
    expect(sniff({ head: text('<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'), name: 'a.kml' })?.id).toBe('kml')
    expect(sniff({ head: text('<?xml version="1.0"?>\n<PAMDataset></PAMDataset>'), name: 'a.xml' })?.what).toBe('an XML document (root element <PAMDataset>), not an image')
    expect(sniff({ head: text('{"type": "FeatureCollection", "features": []}'), name: 'a.geojson' })?.id).toBe('json')
    expect(sniff({ head: text('{"type": "FeatureCollection", "features": []}'), name: 'a.geojson' })?.what).toContain('GeoJSON')
  })

  it('calls nothing binary text, and names nothing it does not know', () => {
    const random = Uint8Array.from({ length: 256 }, (_, i) => (i * 97 + 13) & 255)
    expect(sniff({ head: random })).toBeNull()
    expect(sniff({ head: new Uint8Array(0) })).toBeNull()
  })

  it('keeps a UTF-8 character cut at the end of the head as text', () => {
    const head = text('température;profondeur\n1;2\n3;é')
    expect(sniff({ head: head.subarray(0, head.length - 1), name: 't.csv' })?.id).toBe('csv')
  })
})

describe('sniffedReasonOf a file on disk', () => {
  it('reads the .hdr beside an ENVI data file', async () => {
    expect(await sniffedReasonOf(tmp.file('scene.dat'))).toMatch(/^it is an ENVI raster .* gdal_translate scene\.dat scene\.tif$/)
  })
})
