import { describe, expect, it } from 'vitest'
import { ImageLoadPriority } from '../../src/shared/priority'
import { pyramidLevels } from '../../src/shared/tiles'
import type { TileRequest } from '../../src/shared/protocol'
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

  it('asks for the coarser level under holes with them, each parent before its children', () => {
    const plan = planTiles(view, geometry, state())
    const parents = plan.high.filter((t) => t.level === 1)
    expect(parents.length).toBeGreaterThan(0)
    for (const p of parents) {
      const children = plan.high.filter((c) => c.level === 0 && c.col >> 1 === p.col && c.row >> 1 === p.row)
      expect(children.length).toBeGreaterThan(0)
      for (const child of children) expect(p.rank!).toBeLessThan(child.rank!)
    }
    // A hole's parent is no longer wanted once the hole is filled.
    const filled = planTiles(view, geometry, state(plan.visible.map(coordKey)))
    expect(filled.high.filter((t) => t.level === 1)).toEqual([])
  })

  it('without hole parents (tiles come within a few frames), asks for a parent only where nothing coarser is loaded', () => {
    const visible = planTiles(view, geometry, state()).visible
    const [covered, bare] = [visible[0]!, visible.find((t) => t.col >> 2 !== visible[0]!.col >> 2 || t.row >> 2 !== visible[0]!.row >> 2)!]
    // Under `covered` a grandparent is loaded (the hole shows it, blurred); under `bare` nothing is.
    const grandparent = coordKey({ level: 2, col: covered.col >> 2, row: covered.row >> 2 })
    const plan = planTiles(view, geometry, state([grandparent]), { holeParents: false })
    const parents = plan.high.filter((t) => t.level === 1)
    expect(parents.some((p) => p.col === covered.col >> 1 && p.row === covered.row >> 1)).toBe(false)
    expect(parents.some((p) => p.col === bare.col >> 1 && p.row === bare.row >> 1)).toBe(true)
    // The default asks for both.
    const all = planTiles(view, geometry, state([grandparent])).high.filter((t) => t.level === 1)
    expect(all.some((p) => p.col === covered.col >> 1 && p.row === covered.row >> 1)).toBe(true)
  })

  it('keeps wanting coarser tiles on their way under a hole (they will cover it), without asking for more', () => {
    const hole = planTiles(view, geometry, state()).visible[0]!
    const grandparent = coordKey({ level: 2, col: hole.col >> 2, row: hole.row >> 2 })
    const unrelated = coordKey({ level: 2, col: 0, row: 0 })
    const plan = planTiles(view, geometry, state([], [grandparent, unrelated]))
    expect(plan.keep.has(grandparent)).toBe(true)
    expect(plan.keep.has(unrelated)).toBe(false)
    expect([...plan.high, ...plan.normal].some((t) => t.level === 2)).toBe(false)
  })

  it('fetches nothing just in case: no margin unless asked for, and then only while still', () => {
    const plan = planTiles(view, geometry, state())
    expect(plan.low).toEqual([])
    const withMargin = planTiles(view, geometry, state(), { marginTiles: 1 })
    const ring = visibleTiles(view, geometry, 0, 1).filter((t) => !plan.visible.some((v) => coordKey(v) === coordKey(t)))
    expect(withMargin.low.map(coordKey).sort()).toEqual(ring.map(coordKey).sort())
    expect(planTiles(view, geometry, state(), { marginTiles: 1, zooming: true }).low).toEqual([])
    expect(planTiles(view, geometry, state(), { marginTiles: 1, lead: { x: 300, y: 0 } }).low).toEqual([])
  })

  it('while panning asks for the view where the camera will be, and keeps the visible tiles already on their way', () => {
    const lead = { x: 600, y: 0 }
    const inFlight = planTiles(view, geometry, state()).visible.map(coordKey)
    const plan = planTiles(view, geometry, state([], inFlight), { lead })
    const ahead = visibleTiles({ ...view, centerX: view.centerX + lead.x }, geometry, 0)
    const asked = plan.high.filter((t) => t.level === 0)
    // Only the columns the camera reaches are new; ranked from the centre it will have.
    expect(asked.map(coordKey).sort()).toEqual(ahead.map(coordKey).filter((k) => !inFlight.includes(k)).sort())
    expect(asked.every((t) => t.col > 17)).toBe(true)
    for (const key of inFlight) expect(plan.keep.has(key)).toBe(true)
    // Without anything in flight, the trailing tiles are not asked for: they would leave before arriving.
    const fresh = planTiles(view, geometry, state(), { lead })
    const trailing = plan.visible.filter((t) => !ahead.some((a) => coordKey(a) === coordKey(t)))
    expect(trailing.length).toBeGreaterThan(0)
    for (const t of trailing) expect(fresh.keep.has(coordKey(t))).toBe(false)
  })

  it('while zooming continuously asks for the view the zoom will reach, at its level', () => {
    // Zooming out: by the time tiles arrive the zoom is halved, a level coarser, the view twice as wide.
    const out = planTiles(view, geometry, state(), { zoomLead: 0.5 })
    const coarser = visibleTiles({ ...view, zoom: 0.5 }, geometry, 1)
    expect(out.level).toBe(0) // what is drawn now: the zoom now
    expect(out.high.filter((t) => t.level === 1).map(coordKey).sort()).toEqual(coarser.map(coordKey).sort())
    expect(out.high.some((t) => t.level === 0)).toBe(false)
    // Each of its holes brings its parent (one level up from the hole, not from the level drawn now).
    expect(out.high.filter((t) => t.level === 2).length).toBeGreaterThan(0)
  })

  it('while zooming in continuously asks for the smaller view the zoom will reach, at the level drawn now, never finer', () => {
    // From level 1, by the time tiles arrive the zoom has doubled (level 0): a zoom that stops at
    // the edge of level 1 never shows level 0, so level 1 is asked for, only where the view will be.
    const half = { ...view, zoom: 0.5 }
    const into = planTiles(half, geometry, state(), { zoomLead: 2 })
    const ahead = visibleTiles({ ...half, zoom: 1 }, geometry, 1)
    const now = visibleTiles(half, geometry, 1)
    expect(into.level).toBe(1)
    expect(into.high.some((t) => t.level === 0)).toBe(false)
    expect(into.high.filter((t) => t.level === 1).map(coordKey).sort()).toEqual(ahead.map(coordKey).sort())
    expect(ahead.length).toBeLessThan(now.length)
    // Once the camera is in level 0, level 0 is asked for.
    const inFinest = planTiles({ ...view, zoom: 1 }, geometry, state(), { zoomLead: 1.5 })
    expect(inFinest.high.some((t) => t.level === 0)).toBe(true)
  })

  it('with maxNewRequests asks for the pinned levels and only the most urgent few, but keeps wanting them all', () => {
    const steady = planTiles(view, geometry, state())
    const held = planTiles(view, geometry, state(), { zooming: true, maxNewRequests: 0 })
    const pinned = pinnedLevels(geometry)
    const asked = (p: typeof held): TileRequest[] => [...p.high, ...p.normal, ...p.low]
    expect(asked(held).every((t) => pinned.includes(t.level))).toBe(true)
    expect(asked(held).length).toBeGreaterThan(0)
    // Everything the steady frame wants stays wanted: nothing in flight is cancelled for the cap.
    for (const t of asked(steady)) expect(held.keep.has(coordKey(t))).toBe(true)
    const three = asked(planTiles(view, geometry, state(), { maxNewRequests: 3 })).filter((t) => !pinned.includes(t.level))
    expect(three.map(coordKey)).toEqual(asked(steady).filter((t) => !pinned.includes(t.level)).slice(0, 3).map(coordKey))
  })

  it('lists each priority most urgent first (flow control sends a prefix)', () => {
    const plan = planTiles(view, geometry, state())
    for (const list of [plan.high, plan.normal, plan.low]) {
      const ranks = list.map((t) => t.rank!)
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    }
  })

  it('asks for the rest once the zoom settles', () => {
    const loaded = new Set<string>()
    const inFlight = new Set<string>()
    const stateOf = { isLoaded: (k: string) => loaded.has(k), isInFlight: (k: string) => inFlight.has(k) }
    const zooming = planTiles(view, geometry, stateOf, { zooming: true, maxNewRequests: 0 })
    for (const t of [...zooming.high, ...zooming.normal, ...zooming.low]) inFlight.add(coordKey(t))
    const settled = planTiles(view, geometry, stateOf, { zooming: false })
    const all = new Set([...inFlight, ...[...settled.high, ...settled.normal, ...settled.low].map(coordKey)])
    for (const t of settled.visible) expect(all.has(coordKey(t))).toBe(true)
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
    const plan = planTiles({ ...view, zoom: 0.6 }, geometry, state(), { zooming: true })
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
