/**
 * Measuring on the view (issue 23) against GeographicLib's own published figures: the geodesic
 * from JFK to LHR (GeographicLib's documentation: s12 = 5551759.400319 m) and the perimeter and
 * area of its Antarctica polygon ("Perimeter/area of Antarctica are 16831067.893 m /
 * 13662703680020.1 m^2"); lines on the view's CRS through proj4js; the planar fallback.
 */
import { describe, expect, it } from 'vitest'
import { formatArea, formatLength, geodesicMeasure, measure, planarMeasure } from '../../src/renderer/ui/tools/measure'
import { toLatLon } from '../../src/renderer/view/map/crs'

const JFK = { lat: 40.6, lon: -73.8 }
const LHR = { lat: 51.6, lon: -0.5 }

/** GeographicLib's polygon example, [lat, lon]. */
const ANTARCTICA: Array<[number, number]> = [
  [-63.1, -58], [-72.9, -74], [-71.9, -102], [-74.9, -102], [-74.3, -131], [-77.5, -163], [-77.4, 163], [-71.7, 172], [-65.9, 140],
  [-65.7, 113], [-66.6, 88], [-66.9, 59], [-69.8, 25], [-70.0, -4], [-71.0, -14], [-77.3, -33], [-77.9, -46], [-74.7, -61]
]

describe('geodesic measurement', () => {
  it("gives GeographicLib's JFK–LHR distance", () => {
    const m = geodesicMeasure([JFK, LHR], false)
    expect(m.method).toBe('geodesic, WGS 84')
    expect(m.segments).toHaveLength(1)
    expect(m.total).toBeCloseTo(5551759.400319, 5)
    expect(m.area).toBeNull()
  })

  it("gives GeographicLib's perimeter and area of Antarctica, whatever the polygon's orientation", () => {
    const points = ANTARCTICA.map(([lat, lon]) => ({ lat, lon }))
    for (const ring of [points, [...points].reverse()]) {
      const m = geodesicMeasure(ring, true)
      expect(m.segments).toHaveLength(ANTARCTICA.length)
      expect(m.total).toBeCloseTo(16831067.893, 3)
      expect(m.area! / 13662703680020.1).toBeCloseTo(1, 12)
      expect(Math.abs(m.area! - 13662703680020.1)).toBeLessThan(0.1)
    }
  })

  it('measures map points of a known CRS through latitude/longitude: JFK–LHR given in Web Mercator', () => {
    const mercator = (p: { lat: number; lon: number }): { x: number; y: number } => ({
      x: (6378137 * p.lon * Math.PI) / 180,
      y: 6378137 * Math.log(Math.tan(Math.PI / 4 + (p.lat * Math.PI) / 360))
    })
    const m = measure([mercator(JFK), mercator(LHR)], false, (p) => toLatLon('EPSG:3857', p.x, p.y))
    expect(m.method).toBe('geodesic, WGS 84')
    expect(m.total).toBeCloseTo(5551759.400319, 3)
  })

  it('falls back to planar when a point has no latitude/longitude', () => {
    const m = measure([{ x: 0, y: 0 }, { x: 3, y: 4 }], false, (p) => (p.x === 0 ? { lat: 0, lon: 0 } : null))
    expect(m).toEqual({ method: 'planar, map units', segments: [5], total: 5, area: null })
  })
})

describe('planar measurement', () => {
  it('gives segment lengths, the total and no area for a line', () => {
    expect(measure([{ x: 0, y: 0 }, { x: 3, y: 4 }, { x: 3, y: 10 }], false, null)).toEqual({ method: 'planar, map units', segments: [5, 6], total: 11, area: null })
  })

  it("closes a polygon: its closing segment, perimeter, and area (shoelace), whatever its orientation", () => {
    const square = [{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 4, y: 3 }, { x: 0, y: 3 }]
    for (const ring of [square, [...square].reverse()]) {
      expect(planarMeasure(ring, true)).toEqual({ method: 'planar, map units', segments: [4, 3, 4, 3].slice(0), total: 14, area: 12 })
    }
    expect(planarMeasure([{ x: 0, y: 0 }, { x: 1, y: 0 }], true).area).toBeNull()
  })
})

describe('formatting', () => {
  it('says metres or kilometres when geodesic, map units when planar', () => {
    expect(formatLength(812.44, 'geodesic, WGS 84')).toBe('812.4 m')
    expect(formatLength(1234.5, 'geodesic, WGS 84')).toBe('1.234 km')
    expect(formatLength(5551759.4, 'geodesic, WGS 84')).toBe('5551.76 km')
    expect(formatLength(12.5, 'planar, map units')).toBe('12.5 units')
    expect(formatArea(5230.2, 'geodesic, WGS 84')).toBe('5230 m²')
    expect(formatArea(13662703680020.1, 'geodesic, WGS 84')).toBe('13662703.680 km²')
    expect(formatArea(12, 'planar, map units')).toBe('12 units²')
  })
})
