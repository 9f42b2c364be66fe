/**
 * crsFromDefinition (issue 21): a WKT (OGC or ESRI), a PROJ string or EPSG:<n> → CrsInfo with a
 * normalised PROJ string; EPSG codes identified as GDAL does (parameters compared), else a stable
 * CUSTOM:<hash>, so that two spellings of one CRS are one CRS.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crsFromDefinition } from '../../src/main/raster/crs'
import { epsgDefinition } from '../../src/main/raster/crs/epsgDefinitions'
import { formatProjString } from '../../src/main/raster/crs/projDefinition'

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

/** `gdalsrsinfo -o wkt_esri EPSG:n` (GDAL 3.6), on one line. */
const ESRI = {
  belge72:
    'PROJCS["Belge_Lambert_1972",GEOGCS["GCS_Belge_1972",DATUM["D_Belge_1972",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",150000.013],PARAMETER["False_Northing",5400088.438],PARAMETER["Central_Meridian",4.36748666666667],PARAMETER["Standard_Parallel_1",51.1666672333333],PARAMETER["Standard_Parallel_2",49.8333339],PARAMETER["Latitude_Of_Origin",90.0],UNIT["Meter",1.0]]',
  rdNew:
    'PROJCS["RD_New",GEOGCS["GCS_Amersfoort",DATUM["D_Amersfoort",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Double_Stereographic"],PARAMETER["False_Easting",155000.0],PARAMETER["False_Northing",463000.0],PARAMETER["Central_Meridian",5.38763888888889],PARAMETER["Scale_Factor",0.9999079],PARAMETER["Latitude_Of_Origin",52.1561605555556],UNIT["Meter",1.0]]',
  britishNationalGrid:
    'PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],PARAMETER["Scale_Factor",0.9996012717],PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]',
  webMercator:
    'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]',
  wgs84: 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  etrs89: 'GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
}

/** `gdalsrsinfo -o wkt1 --single-line EPSG:31370` (GDAL 3.6): an AUTHORITY, no TOWGS84. */
const BELGE72_WKT1 =
  'PROJCS["BD72 / Belgian Lambert 72",GEOGCS["BD72",DATUM["Reseau_National_Belge_1972",SPHEROID["International 1924",6378388,297,AUTHORITY["EPSG","7022"]],AUTHORITY["EPSG","6313"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4313"]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["latitude_of_origin",90],PARAMETER["central_meridian",4.36748666666667],PARAMETER["standard_parallel_1",51.1666672333333],PARAMETER["standard_parallel_2",49.8333339],PARAMETER["false_easting",150000.013],PARAMETER["false_northing",5400088.438],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","31370"]]'

/** proj4-list's definition of EPSG:`code`, normalised: what Tessera draws for the code. */
const codeDefinition = (code: number): string => formatProjString(epsgDefinition(code)!)

describe('crsFromDefinition of a WKT without TOWGS84', () => {
  it('identifies an ESRI datum by its name and draws the shift of its EPSG CRS (Belge 1972, Amersfoort, OSGB 1936)', () => {
    for (const [wkt, code] of [[ESRI.belge72, 31370], [ESRI.rdNew, 28992], [ESRI.britishNationalGrid, 27700]] as const) {
      const crs = crsFromDefinition(wkt, 'prj')
      expect(crs, `EPSG:${code}`).toMatchObject({ epsg: code, id: `EPSG:${code}` })
      expect(crs.proj4).toBe(codeDefinition(code))
      expect(crs.proj4).toContain('+towgs84=')
    }
  })

  it('reads an OGC WKT1 datum without TOWGS84 by its code, or by its name when it has none', () => {
    expect(crsFromDefinition(BELGE72_WKT1, 'prj').proj4).toBe(codeDefinition(31370))
    const unnamed = BELGE72_WKT1.replace(/,AUTHORITY\["EPSG","(6313|4313|31370)"\]/g, '')
    expect(unnamed).not.toContain('"31370"')
    expect(crsFromDefinition(unnamed, 'prj')).toMatchObject({ epsg: 31370, proj4: codeDefinition(31370) })
  })

  it('draws the code a WKT states with its full definition, datum shift included', () => {
    const unknownDatum = BELGE72_WKT1.replace('Reseau_National_Belge_1972', 'Somewhere').replace(/,AUTHORITY\["EPSG","6313"\]/, '')
    expect(crsFromDefinition(unknownDatum, 'prj')).toMatchObject({ epsg: 31370, proj4: codeDefinition(31370) })
  })

  it('keeps a TOWGS84 the WKT states', () => {
    const stated = BELGE72_WKT1.replace('AUTHORITY["EPSG","6313"]', 'TOWGS84[-99,53,-112,0,0,0,0],AUTHORITY["EPSG","6313"]')
    expect(crsFromDefinition(stated, 'prj')).toMatchObject({ epsg: 31370, proj4: expect.stringContaining('+towgs84=-99,53,-112 ') })
  })

  it('reads ESRI Web Mercator (Mercator_Auxiliary_Sphere) as EPSG:3857, and refuses another auxiliary sphere', () => {
    expect(crsFromDefinition(ESRI.webMercator, 'prj')).toMatchObject({ epsg: 3857, id: 'EPSG:3857', proj4: codeDefinition(3857) })
    expect(() => crsFromDefinition(ESRI.webMercator.replace('["Auxiliary_Sphere_Type",0.0]', '["Auxiliary_Sphere_Type",2.0]'), 'prj')).toThrow(/Auxiliary_Sphere_Type 0.*received 2/)
  })

  it('reads the PROJ4 EXTENSION of GDAL\'s WKT1 of EPSG:3857 rather than its ellipsoidal Mercator_1SP', () => {
    const wkt =
      'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]'
    expect(crsFromDefinition(wkt, 'prj')).toMatchObject({ epsg: 3857, proj4: codeDefinition(3857) })
  })

  it('prefers the code of the datum the WKT names: GCS_WGS_1984 is EPSG:4326 (not 4130), GCS_ETRS_1989 EPSG:4258 (not 3824)', () => {
    expect(crsFromDefinition(ESRI.wgs84, 'prj')).toMatchObject({ epsg: 4326, id: 'EPSG:4326' })
    expect(crsFromDefinition(ESRI.etrs89, 'prj')).toMatchObject({ epsg: 4258, id: 'EPSG:4258' })
  })
})
