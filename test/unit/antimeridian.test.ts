/**
 * Footprints across the antimeridian (shared/geo/antimeridian.ts, through `footprintRings`): cut
 * into rings within [-180, 180] that cover what the outline covers, on each side of the line.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { antimeridianRings, bboxRings } from '../../src/shared/geo/antimeridian'
import { footprintRings } from '../../src/shared/stac'

/** Signed area (shoelace), in square degrees. */
function area(ring: readonly (readonly number[])[]): number {
  let twice = 0
  for (let i = 0; i + 1 < ring.length; i++) twice += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return twice / 2
}

const lonRange = (ring: readonly (readonly number[])[]): [number, number] => [Math.min(...ring.map((p) => p[0]!)), Math.max(...ring.map((p) => p[0]!))]

describe('footprints across the antimeridian', () => {
  it('draws a bbox whose west is east of its east (RFC 7946 §5.2) as its two sides, not a band round the world', () => {
    const rings = footprintRings({ bbox: [170, -10, -170, 10], geometry: null })
    expect(rings.map(lonRange)).toEqual([
      [170, 180],
      [-180, -170]
    ])
    expect(rings.reduce((sum, ring) => sum + Math.abs(area(ring)), 0)).toBeCloseTo(20 * 20, 9)
  })

  it('cuts a polygon written with an edge from 175° to -175° at the line, each side closed', () => {
    const ring = [
      [175, -5],
      [-175, -5],
      [-175, 5],
      [175, 5],
      [175, -5]
    ]
    const rings = footprintRings({ bbox: null, geometry: { type: 'Polygon', coordinates: [ring] } })
    expect(rings.map(lonRange)).toEqual([
      [175, 180],
      [-180, -175]
    ])
    for (const part of rings) {
      expect(part[0]).toEqual(part.at(-1))
      expect(Math.abs(area(part))).toBeCloseTo(50, 9)
    }
  })

  it('moves a polygon written past 180° (170 to 190) back, cut in two', () => {
    const rings = antimeridianRings([
      [170, 0],
      [190, 0],
      [190, 10],
      [170, 10],
      [170, 0]
    ])
    expect(rings.map(lonRange)).toEqual([
      [170, 180],
      [-180, -170]
    ])
  })

  it('leaves alone an outline within [-180, 180], one already cut (a MultiPolygon), and one round a pole', () => {
    const europe = [
      [5, 50],
      [6, 50],
      [6, 51],
      [5, 51],
      [5, 50]
    ]
    expect(antimeridianRings(europe)).toEqual([europe])
    const cut = footprintRings({
      bbox: null,
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [170, 0],
              [180, 0],
              [180, 10],
              [170, 10],
              [170, 0]
            ]
          ],
          [
            [
              [-180, 0],
              [-170, 0],
              [-170, 10],
              [-180, 10],
              [-180, 0]
            ]
          ]
        ]
      }
    })
    expect(cut.map(lonRange)).toEqual([
      [170, 180],
      [-180, -170]
    ])
    // Round the North Pole: its longitudes go a whole turn; no meridian cut closes it.
    const polar = [
      [-180, 80],
      [-90, 80],
      [0, 80],
      [90, 80],
      [180, 80],
      [-180, 80]
    ]
    expect(antimeridianRings(polar)).toEqual([polar])
    expect(bboxRings([-10, 0, 10, 5])).toHaveLength(1)
  })

  it('keeps every rectangle’s area and keeps every part within [-180, 180], wherever it lies and however it is written', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -540, max: 540, noNaN: true }),
        fc.double({ min: 0.5, max: 179.9, noNaN: true }), // an edge of half a turn or more is read as crossing
        fc.double({ min: -80, max: 70, noNaN: true }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        (west, width, south, height) => {
          const east = west + width
          const ring = [
            [west, south],
            [east, south],
            [east, south + height],
            [west, south + height],
            [west, south]
          ]
          const parts = antimeridianRings(ring)
          for (const part of parts) for (const [lon] of part) expect(Math.abs(lon!)).toBeLessThanOrEqual(180 + 1e-9)
          const total = parts.reduce((sum, part) => sum + Math.abs(area(part)), 0)
          // Relative: longitudes moved by whole turns, and the shoelace of a sliver at ±180, lose a few bits.
          expect(Math.abs(total - width * height) / (width * height)).toBeLessThan(1e-6)
        }
      )
    )
  })
})
