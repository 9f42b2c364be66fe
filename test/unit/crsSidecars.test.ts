/**
 * Side-car georeferencing (issue 21): the world-file and PAM `.aux.xml` parsers read what GDAL
 * reads (the cases below were checked with gdalinfo 3.6 on the same text), and the precedence of
 * PAM, the file's own georeferencing, world file and `.prj` is GDAL's. The CRS reader of definitions
 * is stubbed here (its own tests check it); test/integration/crsSidecars.test.ts runs it all.
 */
import { describe, expect, it, vi } from 'vitest'
import type { CrsInfo, CrsSource, Georeference } from '../../src/shared/raster'

vi.mock('../../src/main/raster/crs/index', () => ({
  crsFromDefinition: (definition: string, source: CrsSource): CrsInfo => {
    if (definition.startsWith('GARBAGE')) throw new Error('not a CRS definition')
    const code = /AUTHORITY\["EPSG","(\d+)"\]\]$/.exec(definition)?.[1]
    const epsg = code ? Number(code) : null
    return { id: epsg ? `EPSG:${epsg}` : 'CUSTOM:1', epsg, proj4: definition.includes('UNKNOWN') ? null : '+proj=longlat', name: 'stub', source }
  }
}))

const { parseWorldFile, parsePamXml, leadingNumber, worldFileExtensions, decodeEntities } = await import('../../src/main/raster/crs/sidecarFormats')
const { georeferenceWithSidecars } = await import('../../src/main/raster/crs/sidecars')

describe('parseWorldFile', () => {
  it('reads A D B E C F, C and F being the centre of the top-left pixel', () => {
    expect(parseWorldFile('100\n0\n0\n-100\n700050\n6599950\n')).toEqual({ ok: true, geoTransform: [700000, 100, 0, 6600000, 0, -100], notes: [] })
  })
  it('keeps rotation terms and shifts the origin by half of each', () => {
    const parsed = parseWorldFile('2\n0.5\n0.25\n-2\n10\n20\n')
    expect(parsed).toEqual({ ok: true, geoTransform: [10 - 1 - 0.125, 2, 0.25, 20 - 0.25 + 1, 0.5, -2], notes: [] })
  })
  it('skips blank lines and reads CRLF and CR line ends', () => {
    expect(parseWorldFile('\r\n10\r\n\r\n0\r\n  0  \r\n-10\r\n1005\r\n2995\r\n')).toMatchObject({ ok: true, geoTransform: [1000, 10, 0, 3000, 0, -10] })
    expect(parseWorldFile('10\r0\r0\r-10\r1005\r2995')).toMatchObject({ ok: true, geoTransform: [1000, 10, 0, 3000, 0, -10] })
  })
  it('takes a comma as the decimal mark, as GDAL does (10,5 is 10.5)', () => {
    expect(parseWorldFile('10,5\n0\n0\n-10,5\n1005\n2995\n')).toMatchObject({ ok: true, geoTransform: [999.75, 10.5, 0, 3000.25, 0, -10.5] })
  })
  it('reads exponents and ignores lines after the sixth', () => {
    expect(parseWorldFile('1e1\n0\n0\n-1E+1\n1005\n2995\nextra\n')).toMatchObject({ ok: true, geoTransform: [1000, 10, 0, 3000, 0, -10], notes: [] })
  })
  it('reads a number followed by text as GDAL does, and says so', () => {
    const parsed = parseWorldFile('10abc\n0\n0\n-10\n1005\n2995\n')
    expect(parsed).toMatchObject({ ok: true, geoTransform: [1000, 10, 0, 3000, 0, -10] })
    expect(parsed.ok && parsed.notes).toEqual(['line 1 "10abc" has text after its number (read as 10, as GDAL does)'])
  })
  it('refuses fewer than six values', () => {
    expect(parseWorldFile('10\n0\n0\n-10\n1005\n')).toEqual({ ok: false, reason: 'it has 5 values where a world file has 6 (A, D, B, E, C, F)' })
    expect(parseWorldFile('')).toMatchObject({ ok: false })
  })
  it('refuses a zero pixel size, which is what a line of text reads as', () => {
    const parsed = parseWorldFile('abc\n0\n0\n-10\n1005\n2995\n')
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.reason).toContain('pixel width is zero')
    expect(!parsed.ok && parsed.reason).toContain('"abc" is not a number')
    expect(parseWorldFile('10\n0\n0\n0\n1005\n2995\n')).toMatchObject({ ok: false, reason: expect.stringContaining('pixel height is zero') })
  })
  it('refuses a line of 100 characters or more, as GDAL does', () => {
    expect(parseWorldFile(`10\n0\n0\n-10\n1005\n${'2995'.padStart(99, '0')}\n`).ok).toBe(true)
    expect(parseWorldFile(`10\n0\n0\n-10\n1005\n${'2995'.padStart(100, '0')}\n`)).toMatchObject({ ok: false, reason: expect.stringContaining('line 6 has 100 characters') })
  })
  it('refuses a binary file', () => {
    expect(parseWorldFile('\u0089PNG\r\n\u001a\n\u0000\u0000').ok).toBe(false)
  })
})

describe('leadingNumber', () => {
  it('reads the number at the start and returns the rest', () => {
    expect(leadingNumber('  -12.5e2 m')).toEqual({ value: -1250, rest: ' m' })
    expect(leadingNumber('.5')).toEqual({ value: 0.5, rest: '' })
    expect(leadingNumber('x')).toEqual({ value: 0, rest: 'x' })
  })
  it('takes the first of comma and point as the decimal mark', () => {
    expect(leadingNumber('1,5').value).toBe(1.5)
    expect(leadingNumber('1.5,2').value).toBe(1.5)
    expect(leadingNumber('1,000.5').value).toBe(1)
  })
})

describe('worldFileExtensions', () => {
  it('follows GDAL: first and last letters plus w, the extension plus w, then wld', () => {
    expect(worldFileExtensions('/d/a.tif', 'tiff')).toEqual(['tfw', 'tifw', 'wld'])
    expect(worldFileExtensions('/d/a.tiff', 'tiff')).toEqual(['tfw', 'tiffw', 'wld'])
    expect(worldFileExtensions('/d/a.png', 'png')).toEqual(['pgw', 'pngw', 'wld'])
    expect(worldFileExtensions('/d/a.webp', 'webp')).toEqual(['wpw', 'webpw', 'wld'])
  })
  it('adds JPEG\'s .jpw and lower-cases an upper-case extension', () => {
    expect(worldFileExtensions('/d/A.JPG', 'jpeg')).toEqual(['jgw', 'jpgw', 'jpw', 'wld'])
    expect(worldFileExtensions('/d/a.jpeg', 'jpeg')).toEqual(['jgw', 'jpegw', 'jpw', 'wld'])
  })
  it('tries only .wld for a file without an extension', () => {
    expect(worldFileExtensions('/d.x/image', 'png')).toEqual(['wld'])
  })
})

const LAMBERT93 =
  'PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","2154"]]'

/** A PAM file as GDAL 3 writes it, with entities where the WKT needs them. */
const pamXml = (srs: string, extra = ''): string => `<PAMDataset>
  <SRS dataAxisToSRSAxisMapping="1,2">${srs.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}</SRS>${extra}
  <Metadata domain="IMAGE_STRUCTURE">
    <MDI key="INTERLEAVE">PIXEL</MDI>
  </Metadata>
  <PAMRasterBand band="1">
    <Metadata><MDI key="STATISTICS_MINIMUM">0</MDI></Metadata>
  </PAMRasterBand>
</PAMDataset>
`

describe('parsePamXml', () => {
  it('reads the SRS text, decoding entities, and its axis mapping', () => {
    const parsed = parsePamXml(pamXml(LAMBERT93))
    expect(parsed).toEqual({ ok: true, srs: LAMBERT93, axisMapping: [1, 2], geoTransform: null, problems: [] })
  })
  it('reads an SRS written without attributes (GDAL 2) and inside CDATA', () => {
    expect(parsePamXml('<PAMDataset><SRS>EPSG:4326</SRS></PAMDataset>')).toMatchObject({ ok: true, srs: 'EPSG:4326', axisMapping: null })
    expect(parsePamXml('<PAMDataset><SRS><![CDATA[GEOGCS["a & b"]]]></SRS></PAMDataset>')).toMatchObject({ ok: true, srs: 'GEOGCS["a & b"]' })
  })
  it('reads the GeoTransform as six comma-separated numbers', () => {
    const parsed = parsePamXml(pamXml(LAMBERT93, '\n  <GeoTransform>  7.0000000000000000e+05,  1.0e+02,  0.0,  6.6e+06,  0.0, -1.0e+02</GeoTransform>'))
    expect(parsed).toMatchObject({ ok: true, geoTransform: [700000, 100, 0, 6600000, 0, -100], problems: [] })
  })
  it('ignores a GeoTransform of other than six numbers, with the reason', () => {
    expect(parsePamXml('<PAMDataset><GeoTransform>1, 2, 3</GeoTransform></PAMDataset>')).toMatchObject({ ok: true, geoTransform: null, problems: ['its GeoTransform has 3 values where GDAL needs 6'] })
    expect(parsePamXml('<PAMDataset><GeoTransform>1, 2, 3, x, 5, 6</GeoTransform></PAMDataset>')).toMatchObject({ ok: true, geoTransform: null, problems: [expect.stringContaining('not six numbers')] })
  })
  it('has no SRS when the element is absent or empty, and ignores elements of bands', () => {
    expect(parsePamXml('<PAMDataset><PAMRasterBand band="1"><SRS>EPSG:1</SRS></PAMRasterBand><SRS>  </SRS></PAMDataset>')).toMatchObject({ ok: true, srs: null })
    expect(parsePamXml('<?xml version="1.0"?>\n<!-- c --><PAMDataset/>')).toMatchObject({ ok: true, srs: null, geoTransform: null })
  })
  it('refuses text that is not PAM XML, naming what is wrong', () => {
    expect(parsePamXml('')).toEqual({ ok: false, reason: 'it has no XML element' })
    expect(parsePamXml('<VRTDataset></VRTDataset>')).toEqual({ ok: false, reason: 'its root element is <VRTDataset>, not <PAMDataset>' })
    expect(parsePamXml('<PAMDataset><SRS>EPSG:4326</SRS>')).toEqual({ ok: false, reason: 'its <PAMDataset> is never closed (the file is cut short?)' })
    expect(parsePamXml('<PAMDataset><SRS>EPSG:4326</GeoTransform></PAMDataset>')).toMatchObject({ ok: false, reason: expect.stringContaining('closes <SRS>') })
    expect(parsePamXml('PROJCS["x"]')).toEqual({ ok: false, reason: 'it has text outside its root element' })
    expect(parsePamXml('<PAMDataset><SRS a=b>x</SRS></PAMDataset>')).toMatchObject({ ok: false, reason: expect.stringContaining('stray "<"') })
  })
})

describe('decodeEntities', () => {
  it('decodes the five named entities and character references', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&unknown;')).toBe('<>&"\'AB&unknown;')
  })
})

/** Side-cars held in memory, by path. */
const filesOf = (table: Record<string, string>) => ({
  read: (path: string, maxBytes: number) => (path in table ? { text: table[path]!.slice(0, maxBytes), size: table[path]!.length } : null)
})
const WORLD = '100\n0\n0\n-100\n700050\n6599950\n'
const INTERNAL: Georeference = { geoTransform: [1, 2, 0, 3, 0, -2], rasterType: 'point', epsg: 4326, crs: { id: 'EPSG:4326', epsg: 4326, proj4: '+proj=longlat', name: 'WGS 84', source: 'geokeys' }, rotated: false }

describe('georeferenceWithSidecars', () => {
  it('leaves a file without side-cars as it is', () => {
    expect(georeferenceWithSidecars('/d/a.png', 'png', null, filesOf({}))).toEqual({ georeference: null, warnings: [] })
    expect(georeferenceWithSidecars('/d/a.tif', 'tiff', INTERNAL, filesOf({})).georeference).toBe(INTERNAL)
  })
  it('places an image by its world file and its CRS by the .aux.xml SRS', () => {
    const { georeference, warnings } = georeferenceWithSidecars('/d/a.png', 'png', null, filesOf({ '/d/a.wld': WORLD, '/d/a.png.aux.xml': pamXml(LAMBERT93) }))
    expect(warnings).toEqual([])
    expect(georeference).toMatchObject({ geoTransform: [700000, 100, 0, 6600000, 0, -100], rasterType: 'area', epsg: 2154, crs: { epsg: 2154, source: 'aux-xml' }, rotated: false })
  })
  it('finds a world file in upper case, and GDAL\'s first name before .wld', () => {
    const files = filesOf({ '/d/a.PGW': WORLD, '/d/a.wld': '1\n0\n0\n-1\n0.5\n-0.5\n' })
    expect(georeferenceWithSidecars('/d/a.png', 'png', null, files).georeference?.geoTransform).toEqual([700000, 100, 0, 6600000, 0, -100])
  })
  it('takes the CRS from the .prj when nothing else names one', () => {
    const { georeference } = georeferenceWithSidecars('/d/b.jpg', 'jpeg', null, filesOf({ '/d/b.jgw': WORLD, '/d/b.prj': `${LAMBERT93}\n` }))
    expect(georeference).toMatchObject({ epsg: 2154, crs: { source: 'prj' } })
  })
  it('opens with a CRS but no placement as ungeoreferenced', () => {
    expect(georeferenceWithSidecars('/d/b.jpg', 'jpeg', null, filesOf({ '/d/b.prj': LAMBERT93 })).georeference).toBeNull()
  })
  it('prefers the world file to the PAM GeoTransform for PNG, and the other way for JPEG', () => {
    const pam = pamXml(LAMBERT93, '<GeoTransform>1, 2, 0, 3, 0, -2</GeoTransform>')
    expect(georeferenceWithSidecars('/d/a.png', 'png', null, filesOf({ '/d/a.pgw': WORLD, '/d/a.png.aux.xml': pam })).georeference?.geoTransform[0]).toBe(700000)
    expect(georeferenceWithSidecars('/d/a.jpg', 'jpeg', null, filesOf({ '/d/a.jgw': WORLD, '/d/a.jpg.aux.xml': pam })).georeference?.geoTransform[0]).toBe(1)
  })
  it('lets the PAM SRS and GeoTransform override a GeoTIFF\'s own, keeping its raster type', () => {
    const pam = pamXml(LAMBERT93, '<GeoTransform>700000, 100, 0, 6600000, 0, -100</GeoTransform>')
    const { georeference } = georeferenceWithSidecars('/d/a.tif', 'tiff', INTERNAL, filesOf({ '/d/a.tif.aux.xml': pam }))
    expect(georeference).toMatchObject({ geoTransform: [700000, 100, 0, 6600000, 0, -100], rasterType: 'point', epsg: 2154, crs: { source: 'aux-xml' } })
  })
  it('ignores a world file and a .prj beside a GeoTIFF that has its own', () => {
    const files = filesOf({ '/d/a.tfw': WORLD, '/d/a.prj': LAMBERT93 })
    expect(georeferenceWithSidecars('/d/a.tif', 'tiff', INTERNAL, files).georeference).toBe(INTERNAL)
  })
  it('gives a GeoTIFF without CRS keys the CRS of its .prj', () => {
    const internal: Georeference = { geoTransform: [1, 2, 0, 3, 0, -2], rasterType: 'area', epsg: null, crs: null, rotated: false }
    const { georeference } = georeferenceWithSidecars('/d/a.tif', 'tiff', internal, filesOf({ '/d/a.prj': LAMBERT93, '/d/a.tfw': WORLD }))
    expect(georeference).toMatchObject({ geoTransform: [1, 2, 0, 3, 0, -2], epsg: 2154, crs: { source: 'prj' } })
  })
  it('places a plain TIFF by its .tfw', () => {
    expect(georeferenceWithSidecars('/d/a.tif', 'tiff', null, filesOf({ '/d/a.tfw': WORLD })).georeference).toMatchObject({ geoTransform: [700000, 100, 0, 6600000, 0, -100], epsg: null, crs: null })
  })
  it('warns of a malformed world file and opens ungeoreferenced', () => {
    const { georeference, warnings } = georeferenceWithSidecars('/d/a.png', 'png', null, filesOf({ '/d/a.pgw': '10\n0\n0\n', '/d/a.prj': LAMBERT93 }))
    expect(georeference).toBeNull()
    expect(warnings).toEqual(['The world file /d/a.pgw was not used: it has 3 values where a world file has 6 (A, D, B, E, C, F)'])
  })
  it('warns of malformed PAM XML and of an SRS it cannot use, and goes on without them', () => {
    const broken = georeferenceWithSidecars('/d/a.png', 'png', null, filesOf({ '/d/a.pgw': WORLD, '/d/a.png.aux.xml': '<PAMDataset><SRS>' }))
    expect(broken.georeference).toMatchObject({ epsg: null, crs: null })
    expect(broken.warnings).toEqual([expect.stringMatching(/^\/d\/a\.png\.aux\.xml was not used: it is not GDAL's PAM XML/)])
    const garbage = georeferenceWithSidecars('/d/a.tif', 'tiff', INTERNAL, filesOf({ '/d/a.tif.aux.xml': '<PAMDataset><SRS>GARBAGE</SRS></PAMDataset>' }))
    expect(garbage.georeference).toBe(INTERNAL)
    expect(garbage.warnings).toEqual(['The CRS in /d/a.tif.aux.xml could not be read: not a CRS definition'])
    const unknown = georeferenceWithSidecars('/d/a.png', 'png', null, filesOf({ '/d/a.pgw': WORLD, '/d/a.prj': 'PROJCS["UNKNOWN"]' }))
    expect(unknown.georeference).toMatchObject({ crs: null })
    expect(unknown.warnings).toEqual(['The CRS in /d/a.prj was not understood ("PROJCS["UNKNOWN"]"): it was not used'])
  })
  it('warns of an empty .prj and of a side-car that cannot be read', () => {
    expect(georeferenceWithSidecars('/d/a.png', 'png', null, filesOf({ '/d/a.pgw': WORLD, '/d/a.prj': ' \n' })).warnings).toEqual(['/d/a.prj is empty: no CRS was read from it'])
    const failing = { read: (path: string) => { if (path.endsWith('.aux.xml')) throw new Error('EACCES: permission denied'); return null } }
    expect(georeferenceWithSidecars('/d/a.png', 'png', null, failing).warnings).toEqual(['/d/a.png.aux.xml could not be read: EACCES: permission denied'])
  })
})
