/**
 * How a layer's source shapes its plan (src/renderer/view/sourcePlanning.ts): a layer whose tiles
 * come from a server asks for no hole parents and has its own in-flight budget; a web map layer
 * picks the nearest level. Checked on the rules and on the plans they give.
 */
import { describe, expect, it } from 'vitest'
import type { RasterInfo } from '../../src/shared/raster'
import { pyramidLevels } from '../../src/shared/tiles'
import { HOLE_PARENT_LATENCY_MS, MOTION_MAX_IN_FLIGHT, SERVER_LEAD_LIMIT, SERVER_LEAD_SLIVER_PX, SERVER_MAX_IN_FLIGHT, fetchesFromServer, inFlightRoom, motionRequestRoom, sourcePlanning } from '../../src/renderer/view/sourcePlanning'
import { CameraMotion, LEAD_LIMIT } from '../../src/renderer/view/CameraMotion'
import { coordKey, planTiles, pinnedLevels, type LoadState, type PyramidGeometry } from '../../src/renderer/view/TileScheduler'

const size = 64 * 256
const geometry: PyramidGeometry = { width: size, height: size, tileSize: 256, levels: pyramidLevels(size, size, 256) }
const file = { source: undefined } as unknown as RasterInfo
const cog = { source: { kind: 'url', url: 'http://127.0.0.1/a.tif', size: 1, lastModified: null, wholeBody: false } } as unknown as RasterInfo
const web = { source: { kind: 'web' } } as unknown as RasterInfo

/** The pinned levels loaded (as after an open): every hole shows something. */
function pinnedLoaded(): LoadState {
  const loaded = new Set<string>()
  for (const level of pinnedLevels(geometry)) {
    const { cols, rows } = { cols: Math.ceil(geometry.levels[level]!.width / 256), rows: Math.ceil(geometry.levels[level]!.height / 256) }
    for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) loaded.add(coordKey({ level, col, row }))
  }
  return { isLoaded: (key) => loaded.has(key), isInFlight: () => false }
}

describe('sourcePlanning', () => {
  const slow = HOLE_PARENT_LATENCY_MS * 4

  it('tells a server source (a COG by URL, a web map layer) from a file', () => {
    expect([file, cog, web].map(fetchesFromServer)).toEqual([false, true, true])
  })

  it('asks for the parents of holes for a slow file only, never for a server source however slow', () => {
    expect(sourcePlanning(file, slow).holeParents).toBe(true)
    expect(sourcePlanning(file, HOLE_PARENT_LATENCY_MS / 2).holeParents).toBe(false)
    expect(sourcePlanning(cog, slow).holeParents).toBe(false)
    expect(sourcePlanning(web, slow).holeParents).toBe(false)
  })

  it("picks a web map layer's level as web maps do, a file's and a COG's never magnified", () => {
    expect(sourcePlanning(web, slow).levelChoice).toBe('nearest')
    expect(sourcePlanning(file, slow).levelChoice).toBe('finer')
    expect(sourcePlanning(cog, slow).levelChoice).toBe('finer')
  })

  it("gives a COG's jump only the view's own level, a slow file's its parents too", () => {
    // A jump to full resolution, the pinned levels loaded and nothing else.
    const view = { centerX: size / 2 + 3000, centerY: size / 2 - 2000, zoom: 1, width: 1020, height: 740 }
    const levelsAsked = (info: RasterInfo): Set<number> => new Set(planTiles(view, geometry, pinnedLoaded(), sourcePlanning(info, slow)).high.map((t) => t.level))
    expect(levelsAsked(cog)).toEqual(new Set([0]))
    expect(levelsAsked(file)).toEqual(new Set([0, 1]))
  })

  it('fetches a web layer between two levels at the nearest: a third of the tiles of the finer level (16 against 48)', () => {
    // 0.55 screen pixels per full-resolution pixel: level 0 drawn at 55 % ('finer'), level 1 at 110 % ('nearest').
    const view = { centerX: size / 2, centerY: size / 2, zoom: 0.55, width: 1020, height: 740 }
    const plan = (info: RasterInfo): ReturnType<typeof planTiles> => planTiles(view, geometry, pinnedLoaded(), sourcePlanning(info, slow))
    expect(plan(web).level).toBe(1)
    expect(plan(cog).level).toBe(0)
    expect(plan(web).visible.length * 3).toBeLessThanOrEqual(plan(cog).visible.length)
  })
})

describe('inFlightRoom', () => {
  /** The files' budget, the viewer's DEFAULT_MAX_IN_FLIGHT (Viewer.ts imports Pixi, which needs a browser). */
  const DEFAULT_MAX_IN_FLIGHT = 16
  const layers = [
    { fetchesFromServer: false, pendingCount: 10 },
    { fetchesFromServer: true, pendingCount: 30 },
    { fetchesFromServer: true, pendingCount: 5 }
  ]

  it("counts each kind against its own budget: the files' tiles do not hold back a server's, nor the reverse", () => {
    expect(inFlightRoom(layers, false, DEFAULT_MAX_IN_FLIGHT)).toBe(DEFAULT_MAX_IN_FLIGHT - 10)
    expect(inFlightRoom(layers, true, DEFAULT_MAX_IN_FLIGHT)).toBe(SERVER_MAX_IN_FLIGHT - 35)
    expect(SERVER_MAX_IN_FLIGHT).toBeGreaterThan(DEFAULT_MAX_IN_FLIGHT)
  })

  it('is unbounded for both in the FIFO baseline (Infinity)', () => {
    expect(inFlightRoom(layers, false, Infinity)).toBe(Infinity)
    expect(inFlightRoom(layers, true, Infinity)).toBe(Infinity)
  })

  it('is at most nothing once a kind has its budget in flight', () => {
    expect(inFlightRoom([{ fetchesFromServer: true, pendingCount: SERVER_MAX_IN_FLIGHT + 2 }], true, DEFAULT_MAX_IN_FLIGHT)).toBe(-2)
  })
})

describe('a server layer’s pan leaves the slivers of its guess for later (leadSliverPx)', () => {
  // Zoom 1/4: level 2, its tiles 256 screen px; the view's right edge on the boundary of column 10.
  const view = { centerX: size / 2, centerY: size / 2, zoom: 1 / 4, width: 1024, height: 768 }
  const column10 = (plan: ReturnType<typeof planTiles>): number => plan.high.filter((t) => t.level === plan.level && t.col === 10).length
  const panBy = (screenPx: number, info: RasterInfo, zoomLead = 1): ReturnType<typeof planTiles> =>
    planTiles(view, geometry, pinnedLoaded(), { lead: { x: screenPx / view.zoom, y: 0 }, zoomLead, ...sourcePlanning(info, 200) })

  it('asks for a column the lead view shows less than SERVER_LEAD_SLIVER_PX of only once the camera shows more of it', () => {
    expect(sourcePlanning(web, 200).leadSliverPx).toBe(SERVER_LEAD_SLIVER_PX)
    expect(column10(panBy(SERVER_LEAD_SLIVER_PX - 12, web))).toBe(0)
    expect(column10(panBy(SERVER_LEAD_SLIVER_PX + 12, web))).toBe(4)
    // A file's guess is asked for whole: a withdrawn decode is dropped, where a server's tile is paid.
    expect(sourcePlanning(file, 200).leadSliverPx).toBe(0)
    expect(column10(panBy(SERVER_LEAD_SLIVER_PX - 12, file))).toBe(4)
  })

  it('asks for slivers on screen, at rest and in a zoom', () => {
    // At rest: every tile the view shows, however little of it.
    const rest = planTiles({ ...view, centerX: view.centerX + 8 / view.zoom }, geometry, pinnedLoaded(), sourcePlanning(web, 200))
    expect(column10(rest)).toBe(4)
    // Shown now, a sliver stays asked for while the camera pans on.
    const shown = planTiles({ ...view, centerX: view.centerX + 8 / view.zoom }, geometry, pinnedLoaded(), { lead: { x: 4 / view.zoom, y: 0 }, ...sourcePlanning(web, 200) })
    expect(column10(shown)).toBe(4)
    // A zoom's guess (zoomLead ≠ 1) is not trimmed.
    expect(column10(panBy(SERVER_LEAD_SLIVER_PX - 12, web, 0.9))).toBeGreaterThan(0)
  })
})

describe('motionRequestRoom', () => {
  const still = { lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity }
  const panning = { lead: { x: 120, y: 0 }, zoomLead: 1, maxNewRequests: Infinity }
  const zooming = { lead: { x: 0, y: 0 }, zoomLead: 1.4, maxNewRequests: Infinity }

  it('holds a server layer to MOTION_MAX_IN_FLIGHT tiles on their way while the camera moves, pan or zoom', () => {
    expect(motionRequestRoom(panning, true, 0)).toBe(MOTION_MAX_IN_FLIGHT)
    expect(motionRequestRoom(panning, true, MOTION_MAX_IN_FLIGHT - 3)).toBe(3)
    expect(motionRequestRoom(zooming, true, MOTION_MAX_IN_FLIGHT + 5)).toBe(0)
  })

  it('has a server layer ask for nothing while the camera is more than SERVER_LEAD_LIMIT views ahead of its tiles, a file layer up to LEAD_LIMIT', () => {
    const racing = { ...panning, leadViews: SERVER_LEAD_LIMIT + 0.05 }
    expect(SERVER_LEAD_LIMIT).toBeLessThan(LEAD_LIMIT)
    expect(motionRequestRoom(racing, true, 0)).toBe(0)
    expect(motionRequestRoom(racing, false, 0)).toBe(Infinity)
    expect(motionRequestRoom({ ...panning, leadViews: SERVER_LEAD_LIMIT }, true, 0)).toBe(MOTION_MAX_IN_FLIGHT)
    // A zoom that also pans (a glide to a point, zoomed about the cursor) asks for the level it
    // enters within its own view, as before: LEAD_LIMIT (the motion's maxNewRequests) holds it.
    expect(motionRequestRoom({ ...zooming, lead: { x: 120, y: 0 }, leadViews: SERVER_LEAD_LIMIT + 0.05 }, true, 0)).toBe(MOTION_MAX_IN_FLIGHT)
    // As CameraMotion reports it: 28 px/ms with 9 ms to come is a quarter of a 1000 px view ahead.
    const motion = new CameraMotion()
    const at = (x: number): { centerX: number; centerY: number; zoom: number; width: number; height: number } => ({ centerX: x, centerY: 0, zoom: 1, width: 1000, height: 800 })
    motion.update(at(0), 0, 9)
    const pan = motion.update(at(900), 16, 9)
    expect(pan.maxNewRequests).toBe(Infinity)
    expect(pan.leadViews).toBeCloseTo(0.253, 3)
    expect(motionRequestRoom(pan, true, 0)).toBe(0)
    expect(motionRequestRoom(pan, false, 0)).toBe(Infinity)
    // At rest, no lead: nothing said of it.
    expect(motion.update(at(900), 32, 9).leadViews).toBeUndefined()
  })

  it('lets a still camera ask for its whole view, and a file layer ask as the motion allows', () => {
    expect(motionRequestRoom(still, true, 40)).toBe(Infinity)
    expect(motionRequestRoom(panning, false, 40)).toBe(Infinity)
    // The motion's own limit stands: nothing new while the camera outruns its tiles.
    expect(motionRequestRoom({ ...panning, maxNewRequests: 0 }, true, 0)).toBe(0)
    expect(motionRequestRoom({ ...panning, maxNewRequests: 0 }, false, 0)).toBe(0)
  })

  it('sends the tiles nearest where the camera is going first, and the rest once it rests', () => {
    // A pan's plan over a server layer: of the lead view's tiles, the room's worth nearest its centre.
    const view = { centerX: size / 2, centerY: size / 2, zoom: 1 / 4, width: 1024, height: 768 }
    const lead = { x: 600, y: 0 }
    const room = motionRequestRoom({ lead, zoomLead: 1, maxNewRequests: Infinity }, true, 0)
    const moving = planTiles(view, geometry, pinnedLoaded(), { lead, maxNewRequests: room, ...sourcePlanning(web, 200) })
    const pinned = new Set(pinnedLevels(geometry))
    const sent = moving.high.filter((t) => !pinned.has(t.level))
    expect(sent).toHaveLength(MOTION_MAX_IN_FLIGHT)
    const rested = planTiles(view, geometry, pinnedLoaded(), { ...sourcePlanning(web, 200) })
    expect(rested.high.filter((t) => !pinned.has(t.level)).length).toBeGreaterThan(MOTION_MAX_IN_FLIGHT)
    // Ranked by distance to the lead view's centre: none sent is farther than any held back.
    const unheld = planTiles(view, geometry, pinnedLoaded(), { lead, ...sourcePlanning(web, 200) }).high.filter((t) => !pinned.has(t.level))
    const heldBack = unheld.slice(MOTION_MAX_IN_FLIGHT).map((t) => t.rank ?? 0)
    expect(Math.max(...sent.map((t) => t.rank ?? 0))).toBeLessThanOrEqual(Math.min(...heldBack))
  })
})
