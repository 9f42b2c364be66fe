/**
 * GeoTIFF keys → CRS definition (issue 21): every projection method and unit override, the
 * geographic base by code or by value, and the EPSG code identified when the definition is
 * equivalent. Keys are written as geotiff.js' getGeoKeys() gives them (GDAL's own, see
 * test/integration/crsFidelity.test.ts for the files).
 */
import { describe, expect, it } from 'vitest'
import { crsFromGeoKeys } from '../../src/main/raster/crs'

const NAD83_BASE = { GeographicTypeGeoKey: 4269, GeogAngularUnitsGeoKey: 9102 }
const user = (keys: Record<string, unknown>): Record<string, unknown> => ({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32767, ProjectionGeoKey: 32767, ProjLinearUnitsGeoKey: 9001, ...keys })
const proj4Of = (keys: Record<string, unknown>): string | null | undefined => crsFromGeoKeys(keys)?.proj4

describe('crsFromGeoKeys: EPSG codes', () => {
  it('names a projected code with its definition', () => {
    const crs = crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32631 })
    expect(crs).toMatchObject({ id: 'EPSG:32631', epsg: 32631, source: 'geokeys' })
    expect(crs!.proj4).toBe('+proj=tmerc +lat_0=0 +lon_0=3 +k_0=0.9996 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=0,0,0 +units=m +no_defs')
  })

  it('names a geographic code', () => {
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 })).toMatchObject({ id: 'EPSG:4326', epsg: 4326, proj4: '+proj=longlat +ellps=WGS84 +towgs84=0,0,0 +no_defs' })
  })

  it('keeps a code it has no definition for, without one', () => {
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 9999999 })).toMatchObject({ id: 'EPSG:9999999', epsg: 9999999, proj4: null })
  })

  it('takes the name from the citation', () => {
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32631, GTCitationGeoKey: 'WGS 84 / UTM zone 31N' })!.name).toBe('WGS 84 / UTM zone 31N')
  })

  it('gives null for no keys and for a geocentric model', () => {
    expect(crsFromGeoKeys({})).toBeNull()
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 3 })).toBeNull()
  })
})

describe('crsFromGeoKeys: unit keys override the code’s unit', () => {
  it('reads NAD83 / Georgia East with ProjLinearUnitsGeoKey = US survey foot as EPSG:2239, not 26966', () => {
    const crs = crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 26966, ProjLinearUnitsGeoKey: 9003 })
    expect(crs!.epsg).toBe(2239)
    expect(crs!.proj4).toContain('+units=us-ft')
    expect(crs!.proj4).toContain('+x_0=200000 ')
  })

  it('keeps the code when the unit key repeats its unit', () => {
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 26966, ProjLinearUnitsGeoKey: 9001 })!.epsg).toBe(26966)
  })

  it('converts false easting and northing from the linear unit to metres (international foot, and a unit by its size)', () => {
    const tm = { ...NAD83_BASE, ProjCoordTransGeoKey: 1, ProjNatOriginLatGeoKey: 30, ProjNatOriginLongGeoKey: -82.1666666666667, ProjScaleAtNatOriginGeoKey: 0.9999, ProjFalseEastingGeoKey: 1000, ProjFalseNorthingGeoKey: 0 }
    expect(proj4Of(user({ ...tm, ProjLinearUnitsGeoKey: 9002 }))).toContain('+x_0=304.8 ')
    expect(proj4Of(user({ ...tm, ProjLinearUnitsGeoKey: 9002 }))).toContain('+units=ft')
    expect(proj4Of(user({ ...tm, ProjLinearUnitsGeoKey: 32767, ProjLinearUnitSizeGeoKey: 2 }))).toContain('+x_0=2000 ')
    expect(proj4Of(user({ ...tm, ProjLinearUnitsGeoKey: 32767, ProjLinearUnitSizeGeoKey: 2 }))).toContain('+to_meter=2 ')
  })

  it('reads angles in the angular unit (grads, sexagesimal DDD.MMSSsss)', () => {
    const tm = { ProjCoordTransGeoKey: 1, ProjNatOriginLatGeoKey: 0, ProjScaleAtNatOriginGeoKey: 1, GeogEllipsoidGeoKey: 7022 }
    expect(proj4Of(user({ ...tm, GeographicTypeGeoKey: 32767, GeogAngularUnitsGeoKey: 9105, ProjNatOriginLongGeoKey: 10 }))).toContain('+lon_0=9 ')
    expect(proj4Of(user({ ...tm, GeographicTypeGeoKey: 32767, GeogAngularUnitsGeoKey: 9110, ProjNatOriginLongGeoKey: 5.3 }))).toContain('+lon_0=5.5 ')
  })
})

describe('crsFromGeoKeys: user-defined projections', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['transverse Mercator', { ProjCoordTransGeoKey: 1, ProjNatOriginLatGeoKey: 0, ProjNatOriginLongGeoKey: 3, ProjScaleAtNatOriginGeoKey: 0.9996, ProjFalseEastingGeoKey: 500000, ProjFalseNorthingGeoKey: 0 }, '+proj=tmerc +lat_0=0 +lon_0=3 +k_0=0.9996 +x_0=500000 +y_0=0'],
    ['Lambert conformal conic 1SP', { ProjCoordTransGeoKey: 9, ProjNatOriginLatGeoKey: 46.8, ProjNatOriginLongGeoKey: 0, ProjScaleAtNatOriginGeoKey: 0.99987742, ProjFalseEastingGeoKey: 600000, ProjFalseNorthingGeoKey: 2200000 }, '+proj=lcc +lat_0=46.8 +lat_1=46.8 +lat_2=46.8 +lon_0=0 +k_0=0.99987742 +x_0=600000 +y_0=2200000'],
    ['Lambert conformal conic 2SP (false origin keys)', { ProjCoordTransGeoKey: 8, ProjStdParallel1GeoKey: 49, ProjStdParallel2GeoKey: 44, ProjFalseOriginLatGeoKey: 46.5, ProjFalseOriginLongGeoKey: 3, ProjFalseOriginEastingGeoKey: 700000, ProjFalseOriginNorthingGeoKey: 6600000 }, '+proj=lcc +lat_0=46.5 +lat_1=49 +lat_2=44 +lon_0=3 +k_0=1 +x_0=700000 +y_0=6600000'],
    ['Albers equal area', { ProjCoordTransGeoKey: 11, ProjStdParallel1GeoKey: 29.5, ProjStdParallel2GeoKey: 45.5, ProjNatOriginLatGeoKey: 23, ProjNatOriginLongGeoKey: -96, ProjFalseEastingGeoKey: 0, ProjFalseNorthingGeoKey: 0 }, '+proj=aea +lat_0=23 +lat_1=29.5 +lat_2=45.5 +lon_0=-96 +x_0=0 +y_0=0'],
    ['equidistant conic', { ProjCoordTransGeoKey: 13, ProjStdParallel1GeoKey: 20, ProjStdParallel2GeoKey: 60, ProjNatOriginLatGeoKey: 40, ProjNatOriginLongGeoKey: -96 }, '+proj=eqdc +lat_0=40 +lat_1=20 +lat_2=60 +lon_0=-96 +x_0=0 +y_0=0'],
    ['stereographic', { ProjCoordTransGeoKey: 14, ProjCenterLatGeoKey: 40, ProjCenterLongGeoKey: 10, ProjScaleAtNatOriginGeoKey: 0.999, ProjFalseEastingGeoKey: 1000, ProjFalseNorthingGeoKey: 2000 }, '+proj=stere +lat_0=40 +lon_0=10 +k_0=0.999 +x_0=1000 +y_0=2000'],
    ['oblique stereographic', { ProjCoordTransGeoKey: 16, ProjNatOriginLatGeoKey: 52.1561605555556, ProjNatOriginLongGeoKey: 5.38763888888889, ProjScaleAtNatOriginGeoKey: 0.9999079, ProjFalseEastingGeoKey: 155000, ProjFalseNorthingGeoKey: 463000 }, '+proj=sterea +lat_0=52.1561605556 +lon_0=5.38763888889 +k_0=0.9999079 +x_0=155000 +y_0=463000'],
    ['polar stereographic variant B (latitude of true scale)', { ProjCoordTransGeoKey: 15, ProjNatOriginLatGeoKey: 70, ProjStraightVertPoleLongGeoKey: -45, ProjScaleAtNatOriginGeoKey: 1 }, '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +k_0=1'],
    ['polar stereographic variant A (scale at the pole)', { ProjCoordTransGeoKey: 15, ProjNatOriginLatGeoKey: -90, ProjStraightVertPoleLongGeoKey: 0, ProjScaleAtNatOriginGeoKey: 0.994, ProjFalseEastingGeoKey: 2000000, ProjFalseNorthingGeoKey: 2000000 }, '+proj=stere +lat_0=-90 +lon_0=0 +k_0=0.994 +x_0=2000000 +y_0=2000000'],
    ['Mercator 1SP', { ProjCoordTransGeoKey: 7, ProjNatOriginLatGeoKey: 0, ProjNatOriginLongGeoKey: 110, ProjScaleAtNatOriginGeoKey: 0.997, ProjFalseEastingGeoKey: 3900000, ProjFalseNorthingGeoKey: 900000 }, '+proj=merc +lat_ts=0 +lon_0=110 +k_0=0.997 +x_0=3900000 +y_0=900000'],
    ['Mercator 2SP', { ProjCoordTransGeoKey: 7, ProjStdParallel1GeoKey: 42, ProjNatOriginLongGeoKey: 51 }, '+proj=merc +lat_ts=42 +lon_0=51 +k_0=1 +x_0=0 +y_0=0'],
    ['cylindrical equal area', { ProjCoordTransGeoKey: 28, ProjStdParallel1GeoKey: 30, ProjNatOriginLongGeoKey: 0 }, '+proj=cea +lat_ts=30 +lon_0=0 +x_0=0 +y_0=0'],
    ['Lambert azimuthal equal area', { ProjCoordTransGeoKey: 10, ProjCenterLatGeoKey: 52, ProjCenterLongGeoKey: 10, ProjFalseEastingGeoKey: 4321000, ProjFalseNorthingGeoKey: 3210000 }, '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000'],
    ['Hotine oblique Mercator variant A', { ProjCoordTransGeoKey: 3, ProjCenterLatGeoKey: 4, ProjCenterLongGeoKey: 102.25, ProjAzimuthAngleGeoKey: 323.0257905, ProjRectifiedGridAngleGeoKey: 323.130102361111, ProjScaleAtCenterGeoKey: 0.99984, ProjFalseEastingGeoKey: 804670.24 }, '+proj=omerc +lat_0=4 +lonc=102.25 +alpha=323.0257905 +gamma=323.130102361 +k_0=0.99984 +x_0=804670.24 +y_0=0 +no_uoff'],
    ['Hotine oblique Mercator variant B', { ProjCoordTransGeoKey: 9815, ProjCenterLatGeoKey: 57, ProjCenterLongGeoKey: -133.666666666667, ProjAzimuthAngleGeoKey: 323.130102361111, ProjScaleAtCenterGeoKey: 0.9999 }, '+proj=omerc +lat_0=57 +lonc=-133.666666667 +alpha=323.130102361 +gamma=323.130102361 +k_0=0.9999 +x_0=0 +y_0=0 +ellps']
  ]
  for (const [name, keys, expected] of cases) {
    it(`builds ${name}`, () => {
      const crs = crsFromGeoKeys(user({ ...NAD83_BASE, ...keys }))
      expect(crs!.proj4!.startsWith(expected), crs!.proj4!).toBe(true)
      expect(crs!.source).toBe('geokeys')
    })
  }

  it('reads a UTM zone from ProjectionGeoKey (16125: UTM zone 25S) on GRS 80 by code and names EPSG:31985', () => {
    const crs = crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32767, ProjectionGeoKey: 16125, GeographicTypeGeoKey: 32767, GeogGeodeticDatumGeoKey: 32767, GeogEllipsoidGeoKey: 7019, ProjLinearUnitsGeoKey: 9001 })
    expect(crs!.proj4).toBe('+proj=tmerc +lat_0=0 +lon_0=-33 +k_0=0.9996 +x_0=500000 +y_0=10000000 +ellps=GRS80 +units=m +no_defs')
    expect(crs!.epsg).toBe(31985)
  })

  it('reads Krovak from the ESRI PE string GDAL writes in the citation', () => {
    const pe = 'ESRI PE String = PROJCS["unknown",GEOGCS["GCS_unknown",DATUM["D_Unknown",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Ferro",-17.6666666666667],UNIT["Degree",0.0174532925199433]],PROJECTION["Krovak"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Pseudo_Standard_Parallel_1",78.5],PARAMETER["Scale_Factor",0.9999],PARAMETER["Azimuth",30.2881397222222],PARAMETER["Longitude_Of_Center",24.8333333333333],PARAMETER["Latitude_Of_Center",49.5],PARAMETER["X_Scale",-1.0],PARAMETER["Y_Scale",1.0],PARAMETER["XY_Plane_Rotation",90.0],UNIT["Meter",1.0]]'
    const crs = crsFromGeoKeys({ GTModelTypeGeoKey: 1, GeographicTypeGeoKey: 32767, PCSCitationGeoKey: pe, ProjLinearUnitsGeoKey: 9001 })
    expect(crs!.proj4).toBe('+proj=krovak +lat_0=49.5 +lon_0=24.8333333333 +alpha=30.2881397222 +k_0=0.9999 +x_0=0 +y_0=0 +ellps=bessel +pm=-17.6666666667 +units=m +no_defs')
  })

  it('refuses a transformation it does not map, naming it', () => {
    expect(() => crsFromGeoKeys(user({ ...NAD83_BASE, ProjCoordTransGeoKey: 27 }))).toThrow(/ProjCoordTransGeoKey.*27 \(Transverse Mercator \(south oriented\)\)/)
  })
})

describe('crsFromGeoKeys: the geographic base', () => {
  const tm = { ProjCoordTransGeoKey: 1, ProjNatOriginLongGeoKey: 3, ProjScaleAtNatOriginGeoKey: 0.9996, ProjFalseEastingGeoKey: 500000 }
  const datums: [string, number, string][] = [
    ['WGS 84', 6326, '+ellps=WGS84 +towgs84=0,0,0'],
    ['NAD83', 6269, '+ellps=GRS80 +towgs84=0,0,0'],
    ['NAD27', 6267, '+ellps=clrk66 +nadgrids=@conus'],
    ['ETRS89', 6258, '+ellps=GRS80 +towgs84=0,0,0'],
    ['ED50', 6230, '+ellps=intl +towgs84=-87,-98,-121'],
    ['OSGB36', 6277, '+ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489'],
    ['Amersfoort', 6289, '+ellps=bessel +towgs84=565.4171'],
    ['Belge 1972', 6313, '+ellps=intl +towgs84=-106.8686'],
    ['RGF93', 6171, '+ellps=GRS80 +towgs84=0,0,0'],
    ['GDA94', 6283, '+ellps=GRS80 +towgs84=0,0,0'],
    ['Tokyo', 6301, '+ellps=bessel +towgs84=-146.414,507.337,680.507'],
    ['Pulkovo 1942', 6284, '+ellps=krass +towgs84=23.92']
  ]
  for (const [name, code, expected] of datums) {
    it(`reads the datum ${name} (${code}) by code`, () => {
      expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogGeodeticDatumGeoKey: code, ...tm }))).toContain(expected)
    })
  }

  it('reads the ellipsoid by its parameters (semi-major axis with inverse flattening, or with semi-minor axis)', () => {
    expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogSemiMajorAxisGeoKey: 6378388, GeogInvFlatteningGeoKey: 297, ...tm }))).toContain('+ellps=intl')
    expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogSemiMajorAxisGeoKey: 6378206.4, GeogSemiMinorAxisGeoKey: 6356583.8, ...tm }))).toContain('+ellps=clrk66')
    expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogSemiMajorAxisGeoKey: 6371000, GeogSemiMinorAxisGeoKey: 6371000, ...tm }))).toContain('+a=6371000 +b=6371000')
    expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogSemiMajorAxisGeoKey: 6378000, GeogInvFlatteningGeoKey: 300, ...tm }))).toContain('+a=6378000 +rf=300')
  })

  it('reads the prime meridian by code or by longitude', () => {
    expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogEllipsoidGeoKey: 7011, GeogPrimeMeridianGeoKey: 8903, ...tm }))).toContain('+pm=2.33722917')
    expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogEllipsoidGeoKey: 7004, GeogPrimeMeridianLongGeoKey: -17.666666666666664, ...tm }))).toContain('+pm=-17.6666666667')
  })

  it('takes GeogTOWGS84GeoKey over the datum’s shift', () => {
    expect(proj4Of(user({ GeographicTypeGeoKey: 32767, GeogGeodeticDatumGeoKey: 6230, GeogTOWGS84GeoKey: { 0: -87, 1: -96, 2: -120 }, ...tm }))).toContain('+towgs84=-87,-96,-120 ')
  })

  it('builds a geographic CRS defined by parameters and identifies its code', () => {
    const crs = crsFromGeoKeys({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 32767, GeogGeodeticDatumGeoKey: 32767, GeogSemiMajorAxisGeoKey: 6378388, GeogInvFlatteningGeoKey: 297, GeogTOWGS84GeoKey: [-87, -98, -121] })
    expect(crs).toMatchObject({ proj4: '+proj=longlat +ellps=intl +towgs84=-87,-98,-121 +no_defs', epsg: 4230, id: 'EPSG:4230' })
  })

  it('names a user-defined CRS by its method and ellipsoid, and ids it by a hash', () => {
    const crs = crsFromGeoKeys(user({ GeographicTypeGeoKey: 32767, GeogEllipsoidGeoKey: 7022, ProjCoordTransGeoKey: 14, ProjCenterLatGeoKey: 40, ProjCenterLongGeoKey: 10 }))
    expect(crs).toMatchObject({ epsg: null, name: 'Stereographic on International 1924' })
    expect(crs!.id).toMatch(/^CUSTOM:[0-9a-f]{12}$/)
  })
})
