/**
 * Issue 21, the renderer's side: the view's CRS is chosen, not stumbled into; a CRS is a
 * definition (its id), not only a code; "fit all" leaves pictures at the origin out while
 * georeferenced layers are shown; latitude/longitude and ground units only where they are valid.
 */
import { describe, expect, it } from 'vitest'
import type { CrsInfo, GeoTransform, Georeference } from '../../src/shared/raster'
import { Placements, type PlacedLayer } from '../../src/renderer/view/map/Placements'
import { crsOfGeoreference, isGeographicCrs, isKnownCrs, registerCrs, toLatLon } from '../../src/renderer/view/map/crs'
import { crsChoices, placeLayer, viewCrsOf } from '../../src/renderer/view/map/placement'
import { fitTargets } from '../../src/renderer/view/map/extent'
import { latLonText, mapPointText } from '../../src/renderer/ui/StatusBar'

const GT: GeoTransform = [500000, 30, 0, 9000000, 0, -30]
/** UTM zone 25S on GRS 80, defined by its parameters (the same CRS as EPSG:31985, SIRGAS 2000 / UTM 25S). */
const UTM25S_BY_PARAMETERS: CrsInfo = {
  id: 'CUSTOM:utm25s-grs80',
  epsg: null,
  proj4: '+proj=utm +zone=25 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  name: 'Transverse Mercator on GRS 1980',
  source: 'geokeys'
}
const withCrs = (crs: CrsInfo | null, epsg: number | null = crs?.epsg ?? null): Georeference => ({ geoTransform: GT, rasterType: 'area', epsg, crs, rotated: false })
const byCode = (code: number): Georeference => ({ geoTransform: GT, rasterType: 'area', epsg: code, rotated: false })
const layer = (rasterId: string, georeference: Georeference | null): PlacedLayer => ({ rasterId, info: { georeference } })
const never = (): Promise<boolean> => new Promise<boolean>(() => undefined)

describe('the view CRS', () => {
  it('is never a picture’s: a picture at the bottom leaves it to the first georeferenced layer', () => {
    expect(viewCrsOf([{ georeference: null }, { georeference: byCode(4326) }])).toMatchObject({ georeferenced: true, id: 'EPSG:4326' })
  })

  it('prefers the first georeferenced layer of a known CRS over one that names none', () => {
    const unknown: Georeference = { geoTransform: GT, rasterType: 'area', epsg: null, rotated: false }
    expect(viewCrsOf([{ georeference: unknown }, { georeference: byCode(32631) }])).toMatchObject({ id: 'EPSG:32631' })
    expect(viewCrsOf([{ georeference: unknown }])).toMatchObject({ georeferenced: true, id: null })
  })

  it('does not change when the layers are reordered', () => {
    const placements = new Placements({ definitionsFound: () => undefined, loadDefinitions: never })
    const dem = layer('dem', byCode(4326))
    const utm = layer('utm', byCode(32631))
    placements.place([dem, utm])
    expect(placements.viewCrs.id).toBe('EPSG:4326')
    const placed = placements.place([utm, dem]) // Alt+↓: the UTM layer at the bottom now
    expect(placements.viewCrs.id).toBe('EPSG:4326')
    expect(placed.map((p) => p.kind)).toEqual(['reprojected', 'map'])
  })

  it('changes when a person picks another, and every note follows', () => {
    const placements = new Placements({ definitionsFound: () => undefined, loadDefinitions: never })
    const layers = [layer('dem', byCode(4326)), layer('utm', byCode(32631))]
    expect(placements.place(layers).map((p) => p.note)).toEqual([null, "EPSG:32631 reprojected on the fly to the view's EPSG:4326"])
    placements.choose('EPSG:32631')
    expect(placements.place(layers).map((p) => p.note)).toEqual(["EPSG:4326 reprojected on the fly to the view's EPSG:32631", null])
  })

  it('is a picture’s georeferenced neighbour’s once one comes after a picture', () => {
    const placements = new Placements({ definitionsFound: () => undefined, loadDefinitions: never })
    placements.place([layer('photo', null)])
    expect(placements.viewCrs.georeferenced).toBe(false)
    placements.place([layer('photo', null), layer('dem', byCode(4326))])
    expect(placements.viewCrs.id).toBe('EPSG:4326')
    expect(placements.placement('photo')?.note).toMatch(/Not georeferenced/)
  })
})

describe('a CRS defined by its parameters', () => {
  it('is known by the definition the host sent, once registered', () => {
    registerCrs(UTM25S_BY_PARAMETERS)
    expect(isKnownCrs(UTM25S_BY_PARAMETERS.id)).toBe(true)
    const p = toLatLon(UTM25S_BY_PARAMETERS.id, 500000, 9000000)!
    expect(p.lon).toBeCloseTo(-33, 9)
    expect(p.lat).toBeLessThan(0)
  })

  it('places two layers of one such CRS as one: no note, no reprojection', () => {
    registerCrs(UTM25S_BY_PARAMETERS)
    const a = withCrs(UTM25S_BY_PARAMETERS)
    const view = viewCrsOf([{ georeference: a }])
    expect(placeLayer(withCrs({ ...UTM25S_BY_PARAMETERS }), view)).toMatchObject({ kind: 'map', note: null, warning: false })
  })

  it('is reprojected beside an EPSG:4326 layer, and named in the note', () => {
    registerCrs(UTM25S_BY_PARAMETERS)
    const view = viewCrsOf([{ georeference: byCode(4326) }])
    const placed = placeLayer(withCrs(UTM25S_BY_PARAMETERS), view)
    expect(placed).toMatchObject({ kind: 'reprojected', note: "Transverse Mercator on GRS 1980 reprojected on the fly to the view's EPSG:4326" })
  })

  it('is offered once in the picker, by name', () => {
    const choices = crsChoices([{ georeference: withCrs(UTM25S_BY_PARAMETERS) }, { georeference: withCrs(UTM25S_BY_PARAMETERS) }, { georeference: byCode(4326) }])
    expect(choices).toEqual([
      { id: 'CUSTOM:utm25s-grs80', label: 'Transverse Mercator on GRS 1980' },
      { id: 'EPSG:4326', label: 'EPSG:4326' }
    ])
  })

  it('falls back to the code alone for a host that sends no description', () => {
    expect(crsOfGeoreference(byCode(31370))).toMatchObject({ id: 'EPSG:31370', epsg: 31370, proj4: null })
    expect(crsOfGeoreference(null)).toBeNull()
  })
})

describe('fitTargets', () => {
  const georeferenced = { georeference: byCode(4326) }
  const picture = { georeference: null }
  it('leaves pictures at the origin out while georeferenced layers are shown', () => {
    expect(fitTargets([{ rasterId: 'photo', visible: true, info: picture }, { rasterId: 'dem', visible: true, info: georeferenced }])).toEqual(['dem'])
  })
  it('fits the pictures when no georeferenced layer is shown, and every layer when none is visible', () => {
    expect(fitTargets([{ rasterId: 'photo', visible: true, info: picture }, { rasterId: 'dem', visible: false, info: georeferenced }])).toEqual(['photo'])
    expect(fitTargets([{ rasterId: 'a', visible: false, info: picture }, { rasterId: 'b', visible: false, info: picture }])).toEqual(['a', 'b'])
  })
})

describe('the readout', () => {
  it('prints latitude and longitude only where they are valid', () => {
    // RD coordinates read as degrees (a Dutch grid drawn unprojected in an EPSG:4326 view): no latitude past a pole.
    expect(latLonText({ x: 179934.57, y: 331733.94, epsg: 4326 })).toBe('')
    expect(toLatLon('EPSG:4326', 5.9, 49.6)).toEqual({ lat: 49.6, lon: 5.9 })
    expect(latLonText({ x: 0, y: 0, epsg: null })).toBe('CRS unknown')
    expect(latLonText({ x: 0, y: 0, epsg: null, crs: 'CUSTOM:never-sent', label: 'Krovak on Bessel 1841' })).toBe('CRS Krovak on Bessel 1841 unknown')
  })

  it('names the view’s CRS by its code, or by its name when it has none', () => {
    expect(mapPointText({ x: 500000, y: 6000000, epsg: 32631 })).toBe('500000.00, 6000000.00 (EPSG:32631)')
    expect(mapPointText({ x: 500000, y: 9000000, epsg: null, crs: 'CUSTOM:x', label: 'Transverse Mercator on GRS 1980' })).toBe('500000.00, 9000000.00 (Transverse Mercator on GRS 1980)')
    expect(isGeographicCrs('EPSG:4326')).toBe(true)
    expect(isGeographicCrs('EPSG:32631')).toBe(false)
  })
})
