import { describe, expect, it } from 'vitest'
import { ImageLoadPriority } from '../../src/shared/priority'
import { pyramidLevels } from '../../src/shared/tiles'
import {
  coordKey,
  coverTiles,
  pinnedLevels,
  planTiles,
  visibleTiles,
  type LoadState,
  type PyramidGeometry,
  type ViewState
} from '../../src/renderer/view/TileScheduler'

const SIZE = 256
/** 8192 × 4096: level 0 is 32 × 16 tiles, level 5 is one tile. */
const geometry: PyramidGeometry = { width: 8192, height: 4096, tileSize: SIZE, levels: pyramidLevels(8192, 4096, SIZE) }

function state(loaded: Iterable<string> = [], inFlight: Iterable<string> = []): LoadState {
  const l = new Set(loaded)
  const f = new Set(inFlight)
  return { isLoaded: (k) => l.has(k), isInFlight: (k) => f.has(k) }
}

/** A 1000 × 600 window at zoom 1 centred on (4096, 2048): level 0, tiles 14..17 × 6..9 visible. */
const view: ViewState = { centerX: 4096, centerY: 2048, zoom: 1, width: 1000, height: 600 }

describe('planTiles', () => {
  it('chooses the level of detail of the zoom', () => {
    expect(planTiles(view, geometry, state()).level).toBe(0)
    expect(planTiles({ ...view, zoom: 0.5 }, geometry, state()).level).toBe(1)
    expect(planTiles({ ...view, zoom: 0.3 }, geometry, state()).level).toBe(1)
    expect(planTiles({ ...view, zoom: 0.01 }, geometry, state()).level).toBe(geometry.levels.length - 1)
  })

  it('asks for the visible tiles at HIGH, nearest the view centre first', () => {
    const plan = planTiles(view, geometry, state())
    const high = plan.high.filter((t) => t.level === 0)
    expect(high.map(coordKey).sort()).toEqual(plan.visible.map(coordKey).sort())
    expect(high.length).toBe(plan.visible.length)
    const ranks = high.map((t) => t.rank!)
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks)
    expect(high[0]!.col === 15 || high[0]!.col === 16).toBe(true)
    expect(high.every((t) => t.priority === ImageLoadPriority.HIGH)).toBe(true)
  })

  it('asks first for the coarsest level, so the view is never blank', () => {
    const plan = planTiles(view, geometry, state())
    const top = geometry.levels.length - 1
    expect(plan.high.find((t) => t.level === top)).toMatchObject({ col: 0, row: 0, rank: -1 })
  })

  it('asks for the coarser level under holes at NORMAL', () => {
    const plan = planTiles(view, geometry, state())
    const parents = plan.normal.filter((t) => t.level === 1)
    expect(parents.length).toBeGreaterThan(0)
    for (const p of parents) expect(plan.visible.some((v) => v.col >> 1 === p.col && v.row >> 1 === p.row)).toBe(true)
    expect(parents.every((t) => t.priority === ImageLoadPriority.NORMAL)).toBe(true)
  })

  it('prefetches a one-tile margin at LOW', () => {
    const plan = planTiles(view, geometry, state())
    const margin = plan.low.filter((t) => t.level === 0)
    const ring = visibleTiles(view, geometry, 0, 1).filter((t) => !plan.visible.some((v) => coordKey(v) === coordKey(t)))
    expect(margin.map(coordKey).sort()).toEqual(ring.map(coordKey).sort())
  })

  it('skips the margin while the zoom changes (it would be obsolete before it arrived)', () => {
    const plan = planTiles(view, geometry, state(), { previousZoom: 0.8 })
    const ring = visibleTiles(view, geometry, 0, 1).filter((t) => !plan.visible.some((v) => coordKey(v) === coordKey(t)))
    const asked = new Set(plan.low.map(coordKey))
    expect(ring.some((t) => asked.has(coordKey(t)))).toBe(false)
  })

  it('prefetches the next finer level at LOW only while zooming in, nearest the centre, at most maxZoomPrefetch', () => {
    const zoomed = { ...view, zoom: 0.5 }
    const still = planTiles(zoomed, geometry, state(), { previousZoom: 0.5 })
    expect(still.low.some((t) => t.level === 0)).toBe(false)
    const zoomingIn = planTiles(zoomed, geometry, state(), { previousZoom: 0.4 })
    expect(zoomingIn.low.some((t) => t.level === 0)).toBe(true)
    const capped = planTiles(zoomed, geometry, state(), { previousZoom: 0.4, maxZoomPrefetch: 3 })
    expect(capped.low.filter((t) => t.level === 0).length).toBe(3)
  })

  it('never asks again for a tile already loaded or in flight, but keeps wanting the one in flight', () => {
    const first = planTiles(view, geometry, state())
    const [a, b] = first.high.filter((t) => t.level === 0).map(coordKey)
    const plan = planTiles(view, geometry, state([a!], [b!]))
    const asked = [...plan.high, ...plan.normal, ...plan.low].map(coordKey)
    expect(asked).not.toContain(a)
    expect(asked).not.toContain(b)
    expect(plan.keep.has(b!)).toBe(true)
    expect(plan.keep.has(a!)).toBe(false)
  })

  it('asks for each tile once, at its most urgent priority', () => {
    const plan = planTiles({ ...view, zoom: 0.6 }, geometry, state(), { previousZoom: 0.3 })
    const keys = [...plan.high, ...plan.normal, ...plan.low].map(coordKey)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('wants nothing of the current level when the view is off the image', () => {
    const plan = planTiles({ ...view, centerX: -10_000 }, geometry, state())
    expect(plan.visible).toEqual([])
  })

  it('no longer wants tiles that left the view (for cancelObsolete)', () => {
    const before = planTiles(view, geometry, state())
    const after = planTiles({ ...view, centerX: 500 }, geometry, state())
    const left = before.high.filter((t) => t.level === 0 && t.col >= 15).map(coordKey)
    for (const key of left) expect(after.keep.has(key)).toBe(false)
  })
})

describe('pinnedLevels', () => {
  it('pins the coarsest level and the levels of at most four tiles', () => {
    expect(pinnedLevels(geometry)).toEqual([5, 4])
  })
})

describe('coverTiles', () => {
  it('draws a loaded tile itself and is complete when all are loaded', () => {
    const visible = visibleTiles(view, geometry, 0)
    const cover = coverTiles(visible, geometry, () => true)
    expect(cover.complete).toBe(true)
    expect(cover.tiles.length).toBe(visible.length)
  })

  it('fills a hole with the best loaded ancestor, coarse first', () => {
    const visible = visibleTiles(view, geometry, 0)
    const loaded = new Set(['5/0/0', '2/3/1'])
    const cover = coverTiles(visible, geometry, (k) => loaded.has(k))
    expect(cover.complete).toBe(false)
    // 2/3/1 covers the visible tiles of columns 12–15, rows 4–7; the single top tile covers the rest.
    expect(cover.tiles.map(coordKey)).toEqual(['5/0/0', '2/3/1'])
  })

  it('uses loaded children just after zooming out', () => {
    const visible = [{ level: 1, col: 2, row: 2 }]
    const loaded = new Set(['0/4/4', '0/5/4', '0/4/5', '0/5/5'])
    const cover = coverTiles(visible, geometry, (k) => loaded.has(k))
    expect(cover.tiles.map(coordKey).sort()).toEqual([...loaded].sort())
  })

  it('draws partial children over the ancestor', () => {
    const visible = [{ level: 1, col: 2, row: 2 }]
    const loaded = new Set(['0/4/4', '5/0/0'])
    const cover = coverTiles(visible, geometry, (k) => loaded.has(k))
    expect(cover.tiles.map(coordKey)).toEqual(['5/0/0', '0/4/4'])
  })
})
