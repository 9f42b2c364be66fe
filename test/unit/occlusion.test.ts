import { describe, expect, it } from 'vitest'
import { affineOutline, coveredLayers, polygonContains, type OcclusionLayer } from '../../src/renderer/view/occlusion'

const rect = (x0: number, y0: number, x1: number, y1: number) => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 }
]
const identity = { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 }
const layer = (polygon: OcclusionLayer['polygon'], opaque = true, visible = true): OcclusionLayer => ({ visible, opaque, polygon })

describe('polygonContains', () => {
  it('holds a rectangle inside, edges included, in either winding; not one that sticks out', () => {
    const outer = rect(0, 0, 100, 100)
    expect(polygonContains(outer, rect(10, 10, 90, 90))).toBe(true)
    expect(polygonContains(outer, rect(0, 0, 100, 100))).toBe(true)
    expect(polygonContains([...outer].reverse(), rect(10, 10, 90, 90))).toBe(true)
    expect(polygonContains(outer, rect(10, 10, 101, 90))).toBe(false)
  })

  it('a rotated layer covers the view only when its polygon contains all four corners', () => {
    const turn = Math.PI / 4
    const rotated = affineOutline({ a: Math.cos(turn), b: Math.sin(turn), c: -Math.sin(turn), d: Math.cos(turn), tx: 0, ty: 0 }, 100, 100)
    // The diamond's bounding box (x −70.7…70.7, y 0…141.4) holds the view, its polygon does not.
    expect(polygonContains(rotated, rect(-60, 10, 60, 130))).toBe(false)
    expect(polygonContains(rotated, rect(-10, 60, 10, 80))).toBe(true)
  })
})

describe('coveredLayers', () => {
  const view = rect(10, 10, 50, 50)

  it('hides every layer under a visible opaque layer that contains the view', () => {
    const full = affineOutline(identity, 100, 100)
    expect(coveredLayers([layer(full), layer(full), layer(full)], view)).toEqual([true, true, false])
  })

  it('does not hide under a layer that is transparent, hidden, reprojected, or leaves part of the view', () => {
    const full = affineOutline(identity, 100, 100)
    expect(coveredLayers([layer(full), layer(full, false)], view)).toEqual([false, false])
    expect(coveredLayers([layer(full), layer(full, true, false)], view)).toEqual([false, false])
    expect(coveredLayers([layer(full), layer(null)], view)).toEqual([false, false])
    expect(coveredLayers([layer(full), layer(affineOutline(identity, 40, 100))], view)).toEqual([false, false])
  })

  it('a layer shows again once the view leaves the covering layer', () => {
    const small = affineOutline({ ...identity, tx: 0, ty: 0 }, 60, 60)
    expect(coveredLayers([layer(affineOutline(identity, 1000, 1000)), layer(small)], view)).toEqual([true, false])
    expect(coveredLayers([layer(affineOutline(identity, 1000, 1000)), layer(small)], rect(40, 40, 80, 80))).toEqual([false, false])
  })
})
