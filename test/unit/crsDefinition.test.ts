/**
 * crsFromDefinition (issue 21): a WKT (OGC or ESRI), a PROJ string or EPSG:<n> → CrsInfo with a
 * normalised PROJ string; EPSG codes identified as GDAL does (parameters compared), else a stable
 * CUSTOM:<hash>, so that two spellings of one CRS are one CRS.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crsFromDefinition } from '../../src/main/raster/crs'

const GEORGIA_EAST_FTUS_WKT =
  'PROJCS["NAD83 / Georgia East (ftUS)",GEOGCS["NAD83",DATUM["North_American_Datum_1983",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",30],PARAMETER["central_meridian",-82.1666666666667],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",656166.667],PARAMETER["false_northing",0],UNIT["US survey foot",0.304800609601219]]'
const ESRI_ALBERS =
  'PROJCS["USA_Contiguous_Albers_Equal_Area_Conic_USGS_version",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Albers"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-96.0],PARAMETER["Standard_Parallel_1",29.5],PARAMETER["Standard_Parallel_2",45.5],PARAMETER["Latitude_Of_Origin",23.0],UNIT["Meter",1.0]]'
const RD_NEW = '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.4171,50.3319,465.5524,-0.398957,0.343988,-1.87740,4.0725 +units=m +no_defs'

describe('crsFromDefinition', () => {
  it('reads an OGC WKT1 in US survey feet and identifies NAD83 / Georgia East (ftUS), EPSG:2239, not 26966', () => {
    const crs = crsFromDefinition(GEORGIA_EAST_FTUS_WKT, 'prj')
    expect(crs).toMatchObject({ epsg: 2239, id: 'EPSG:2239', name: 'NAD83 / Georgia East (ftUS)', source: 'prj' })
    expect(crs.proj4).toContain('+units=us-ft')
  })

  it('reads an ESRI WKT (.prj) and identifies its code by its parameters', () => {
    expect(crsFromDefinition(ESRI_ALBERS, 'prj')).toMatchObject({ epsg: 5070, proj4: '+proj=aea +lat_0=23 +lat_1=29.5 +lat_2=45.5 +lon_0=-96 +x_0=0 +y_0=0 +ellps=GRS80 +towgs84=0,0,0 +units=m +no_defs' })
  })

  it('trusts the EPSG authority a WKT states', () => {
    const wkt = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]'
    expect(crsFromDefinition(wkt, 'aux-xml')).toMatchObject({ epsg: 4326, id: 'EPSG:4326', name: 'WGS 84', source: 'aux-xml' })
  })

  it('reads a WKT2 for its EPSG code', () => {
    expect(crsFromDefinition('PROJCRS["WGS 84 / UTM zone 31N",BASEGEOGCRS["WGS 84"],CONVERSION["UTM zone 31N"],ID["EPSG",32631]]', 'prj')).toMatchObject({ epsg: 32631 })
  })

  it('identifies a PROJ string (Dutch RD by parameters is EPSG:28992)', () => {
    expect(crsFromDefinition(RD_NEW, 'manual')).toMatchObject({ epsg: 28992, id: 'EPSG:28992', name: 'EPSG:28992' })
  })

  it('reads EPSG:<n> and keeps an unknown code without a definition', () => {
    expect(crsFromDefinition('EPSG:2154', 'manual')).toMatchObject({ epsg: 2154, id: 'EPSG:2154' })
    expect(crsFromDefinition('EPSG:9999999', 'manual')).toMatchObject({ epsg: 9999999, proj4: null })
  })

  it('spells one CRS one way: +datum=NAD83 or +ellps=GRS80 +towgs84=0,0,0, +k or +k_0, utm or tmerc', () => {
    const a = crsFromDefinition('+proj=utm +zone=17 +datum=NAD83 +units=m', 'manual')
    const b = crsFromDefinition('+proj=tmerc +lat_0=0 +lon_0=-81 +k_0=0.9996 +x_0=500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0', 'manual')
    expect(a.proj4).toBe(b.proj4)
    // The datum named picks among equivalent codes: NAD83 / UTM zone 17N for +datum=NAD83.
    expect(a.epsg).toBe(26917)
    const c = crsFromDefinition('+proj=utm +zone=31 +ellps=intl +towgs84=-87,-98,-121 +units=m', 'manual')
    const d = crsFromDefinition('+towgs84=-87,-98,-121 +proj=tmerc +k=0.9996 +lon_0=3 +x_0=500000 +a=6378388 +rf=297', 'manual')
    expect([c.id, c.proj4]).toEqual([d.id, d.proj4])
    expect(c.id).toBe('EPSG:23031')
  })

  it('gives a user-defined CRS a CUSTOM id and a name from its method and ellipsoid', () => {
    const crs = crsFromDefinition('+proj=tmerc +lon_0=3.25 +ellps=intl', 'manual')
    expect(crs).toMatchObject({ epsg: null, name: 'Transverse Mercator on International 1924' })
    expect(crs.id).toMatch(/^CUSTOM:[0-9a-f]{12}$/)
  })

  it('does not identify a definition whose unit differs from the code’s', () => {
    expect(crsFromDefinition('+proj=tmerc +lat_0=30 +lon_0=-82.16666666666667 +k=0.9999 +x_0=200000 +y_0=0 +datum=NAD83 +units=m', 'manual').epsg).toBe(26966)
    expect(crsFromDefinition('+proj=tmerc +lat_0=30 +lon_0=-82.16666666666667 +k=0.9999 +x_0=200000 +y_0=0 +datum=NAD83 +units=ft', 'manual').epsg).toBeNull()
  })

  it('refuses what it cannot read, naming it', () => {
    expect(() => crsFromDefinition('hello', 'manual')).toThrow(/Expected a WKT, a PROJ string or EPSG:<code>/)
    expect(() => crsFromDefinition('+proj=tmerc +ellps=nowhere', 'manual')).toThrow(/\+ellps.*nowhere/)
    expect(() => crsFromDefinition('PROJCS["x",GEOGCS["g",DATUM["d",SPHEROID["s",6378137,298.257223563]]],PROJECTION["Fancy"]]', 'prj')).toThrow(/Fancy/)
  })

  it('gives the same id whatever the order of the PROJ parameters (property)', () => {
    const tokens = ['+proj=lcc', '+lat_1=49', '+lat_2=44', '+lat_0=46.5', '+lon_0=3', '+x_0=700000', '+y_0=6600000', '+ellps=GRS80', '+towgs84=0,0,0', '+units=m', '+no_defs']
    const expected = crsFromDefinition(tokens.join(' '), 'manual')
    fc.assert(
      fc.property(fc.shuffledSubarray(tokens, { minLength: tokens.length }), (shuffled) => {
        const crs = crsFromDefinition(shuffled.join(' '), 'manual')
        return crs.id === expected.id && crs.proj4 === expected.proj4
      }),
      { numRuns: 50 }
    )
  })
})
