import { describe, expect, it, vi } from 'vitest'
import type { GeoTransform, Georeference } from '../../src/shared/raster'
import { Placements, viewAcrossCrs, type PlacedLayer } from '../../src/renderer/view/map/Placements'
import { isKnownCrs, transformPoint } from '../../src/renderer/view/map/crs'

const UTM31N = 'EPSG:32631'
const LAMBERT93 = 'EPSG:2154' // not built in: found in the definitions list
const MERCATOR = 'EPSG:3857'
/** Georeferencing that names an EPSG code (as a host before CrsInfo said it: `epsg` alone). */
const geo = (id: string | null, geoTransform: GeoTransform = [512000, 1, 0, 5594000, 0, -1]): Georeference => ({ geoTransform, rasterType: 'area', epsg: id === null ? null : Number(id.slice(5)), rotated: false })
const layer = (rasterId: string, georeference: Georeference | null): PlacedLayer => ({ rasterId, info: { georeference } })
const never = (): Promise<boolean> => new Promise<boolean>(() => undefined)

describe('Placements', () => {
  it('puts the view in the first georeferenced layer’s CRS and places each layer in the order given', () => {
    const placements = new Placements({ definitionsFound: () => undefined, loadDefinitions: never })
    const placed = placements.place([layer('plain', null), layer('utm', geo(UTM31N)), layer('merc', geo(MERCATOR, [1e6, 1, 0, 6e6, 0, -1]))])
    expect(placements.viewCrs).toMatchObject({ georeferenced: true, id: UTM31N, epsg: 32631 })
    expect(placed.map((p) => p.kind)).toEqual(['pixels', 'map', 'reprojected'])
    expect(placements.placement('merc')).toBe(placed[2])
  })

  it('takes the CRS a person chose while some layer is in it, and the first layer’s again once none is', () => {
    const placements = new Placements({ definitionsFound: () => undefined, loadDefinitions: never })
    const utm = layer('utm', geo(UTM31N))
    const merc = layer('merc', geo(MERCATOR, [1e6, 1, 0, 6e6, 0, -1]))
    placements.choose(MERCATOR)
    expect(placements.place([utm, merc]).map((p) => p.kind)).toEqual(['reprojected', 'map'])
    expect(placements.viewCrs.id).toBe(MERCATOR)
    placements.place([utm])
    expect(placements.viewCrs.id).toBe(UTM31N)
  })

  it('forgets a removed layer’s placement', () => {
    const placements = new Placements({ definitionsFound: () => undefined, loadDefinitions: never })
    placements.place([layer('utm', geo(UTM31N))])
    placements.forget('utm')
    expect(placements.placement('utm')).toBeUndefined()
  })

  it('tells its listeners when the layers are placed anew, until they are removed', () => {
    const placements = new Placements({ definitionsFound: () => undefined, loadDefinitions: never })
    const listener = vi.fn()
    const remove = placements.onChanged(listener)
    placements.changed()
    remove()
    placements.changed()
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('looks up a CRS it does not know, and says when a definition was found', async () => {
    const found = vi.fn()
    const lookedUp: Array<Array<string | null>> = []
    let answer: (added: boolean) => void = () => undefined
    const placements = new Placements({
      definitionsFound: found,
      loadDefinitions: (codes) => {
        lookedUp.push(codes)
        return new Promise<boolean>((resolve) => (answer = resolve))
      }
    })
    placements.place([layer('utm', geo(UTM31N)), layer('other', geo('EPSG:999999'))])
    expect(lookedUp).toEqual([[UTM31N, 'EPSG:999999']])
    answer(true)
    await Promise.resolve()
    await Promise.resolve()
    expect(found).toHaveBeenCalledTimes(1)
  })

  it('says nothing when the lookup finds nothing, or after it is closed', async () => {
    const found = vi.fn()
    const answers: Array<(added: boolean) => void> = []
    const placements = new Placements({ definitionsFound: found, loadDefinitions: () => new Promise<boolean>((resolve) => answers.push(resolve)) })
    placements.place([layer('other', geo('EPSG:999998'))])
    placements.place([layer('other', geo('EPSG:999998'))])
    answers[0]!(false)
    placements.close()
    answers[1]!(true)
    for (let i = 0; i < 4; i++) await Promise.resolve()
    expect(found).not.toHaveBeenCalled()
  })

  it('reprojects a layer once its CRS is found in the real definitions list', async () => {
    const found = new Promise<void>((resolve) => {
      const placements = new Placements({
        definitionsFound: () => {
          expect(placements.place(layers).map((p) => p.kind)).toEqual(['map', 'reprojected'])
          resolve()
        }
      })
      const layers = [layer('utm', geo(UTM31N)), layer('lambert', geo(LAMBERT93, [700000, 1, 0, 6600000, 0, -1]))]
      expect(placements.place(layers).map((p) => p.kind)).toEqual(['map', 'unprojected'])
    })
    await found
    expect(isKnownCrs(LAMBERT93)).toBe(true)
  })
})

describe('viewAcrossCrs', () => {
  const view = { centerX: 515800, centerY: -5591700, zoom: 0.5 }

  it('keeps the ground point at the centre', () => {
    const next = viewAcrossCrs(view, UTM31N, MERCATOR)!
    const back = transformPoint(MERCATOR, UTM31N, next.centerX, -next.centerY)!
    expect(back.x).toBeCloseTo(view.centerX, 3)
    expect(back.y).toBeCloseTo(-view.centerY, 3)
  })

  it('keeps the ground scale: 100 screen pixels eastward span the same ground before and after', () => {
    const next = viewAcrossCrs(view, UTM31N, MERCATOR)!
    const centre = transformPoint(UTM31N, MERCATOR, view.centerX, -view.centerY)!
    const east = transformPoint(UTM31N, MERCATOR, view.centerX + 100 / view.zoom, -view.centerY)!
    expect(Math.hypot(east.x - centre.x, east.y - centre.y) * next.zoom).toBeCloseTo(100, 6)
    // Web Mercator stretches by 1 / cos(latitude) at about 50.5° N: the zoom shrinks by about that.
    expect(next.zoom / view.zoom).toBeGreaterThan(0.6)
    expect(next.zoom / view.zoom).toBeLessThan(0.65)
  })

  it('has no answer without a CRS before, or for a CRS it does not know: the caller fits', () => {
    expect(viewAcrossCrs(view, null, MERCATOR)).toBeNull()
    expect(viewAcrossCrs(view, UTM31N, 'EPSG:999997')).toBeNull()
  })
})
