/**
 * Which tiles a view wants, and in what order: pure functions of the view and of what is loaded,
 * testable without a renderer (as OpenLayers' TileQueue priority function).
 *
 * Centre first, coarse fills the hole (vipsdisp): visible tiles of the level the zoom asks for are
 * HIGH, ranked by distance to the view centre, and so is the coarser level under the holes (a
 * parent ranks before its children: it arrives first and covers four holes). The coarsest levels
 * are always wanted (pinned, NORMAL after the very coarsest), so the view never goes blank.
 *
 * A tile is worth decoding only if it is still on screen when it arrives. So, while the camera
 * pans, the plan looks ahead: it asks for the tiles of the view where the camera will be once
 * they can arrive (`lead`, the camera's velocity times the measured tile latency) and keeps
 * wanting the ones on screen already asked for; when the camera moves so fast that nothing asked
 * for now can arrive while on screen, and while the zoom changes (each level is on screen for a
 * frame or two), it asks for nothing new but the pinned levels (`maxNewRequests`: as OpenLayers,
 * which by default loads no tiles while animating or interacting). The first frame after the
 * camera settles asks for the rest. Nothing is fetched "just in case" (no margin ring by
 * default): the bench counts such tiles as decoded and never displayed.
 */
import { ImageLoadPriority } from '../../shared/priority'
import type { TileRequest } from '../../shared/protocol'
import type { LevelSize } from '../../shared/raster'
import { levelForZoom, tileCoordKey, tileGrid, type LevelChoice } from '../../shared/tiles'

/**
 * A view of a plane: the camera's in world units (DESIGN §4), or a layer's in its full-resolution
 * pixels (`layerView`); centre, and zoom in screen pixels per unit of that plane.
 */
export interface ViewState {
  centerX: number
  centerY: number
  zoom: number
  /** Size of the viewport in screen (CSS) pixels. */
  width: number
  height: number
  /**
   * What the screen covers, as a convex polygon in this plane, when it is not the axis-aligned
   * width × height / zoom rectangle around the centre: a layer whose transform rotates, shears, flips
   * or scales its axes apart sees the screen as a parallelogram.
   */
  outline?: readonly Point[]
}

export interface Point {
  x: number
  y: number
}

/** The pyramid geometry the scheduler needs from a RasterInfo. */
export interface PyramidGeometry {
  width: number
  height: number
  tileSize: number
  levels: readonly LevelSize[]
}

/** One tile of one level (the raster is implied). */
export interface TileCoord {
  level: number
  col: number
  row: number
}

/** What the scheduler knows of the loading state; keys are the `coordKey` of a tile. */
export interface LoadState {
  /** The tile (`key`, the `coordKey` of `tile`) is in the cache (displayable, never requested again). */
  isLoaded(key: string, tile: TileCoord): boolean
  /** The tile was requested and has neither arrived nor been cancelled. */
  isInFlight(key: string): boolean
}

export interface PlanOptions {
  /** The zoom is changing (it changed within the last moments): no margin. */
  zooming?: boolean
  /**
   * Where the camera centre will be, relative to now, when tiles asked for now arrive (full
   * resolution image pixels). Zero or absent when the camera is still.
   */
  lead?: { x: number; y: number }
  /**
   * The zoom by then, as a factor of the zoom now (a continuous zoom): the tiles asked for are
   * those of that view, at its level. 1 or absent: the zoom now.
   */
  zoomLead?: number
  /** Tiles of margin around the view prefetched at LOW when the camera is still. Default 0. */
  marginTiles?: number
  /**
   * Most new requests this frame besides the pinned levels, most urgent first; everything wanted
   * stays in `keep` (nothing on its way is cancelled for the cap). Default: no limit.
   */
  maxNewRequests?: number
  /**
   * Ask for the parent of each hole (default true). A parent covers four holes a little sooner
   * than they fill; when tiles come within a few frames, the children arrive with it and it is
   * decoded for nothing. False: a hole's parent is asked for only when nothing at all (no loaded
   * ancestor) would show under it.
   */
  holeParents?: boolean
  /** How a zoom between two levels picks one (`levelForZoom`); default 'finer'. */
  levelChoice?: LevelChoice
  /**
   * While the camera is led: a tile off screen of which the lead view shows less than this many
   * screen pixels across is not asked for yet (a sliver of a guess); default 0, every tile.
   */
  leadSliverPx?: number
}

/** Tiles to request, by priority, and every key still wanted (for `cancelObsolete`). */
export interface TilePlan {
  /** Level of detail the zoom asks for. */
  level: number
  /** Tiles of `level` that intersect the view, loaded or not. */
  visible: TileCoord[]
  high: TileRequest[]
  normal: TileRequest[]
  low: TileRequest[]
  /** Keys wanted and not loaded yet: whatever is in flight outside this set is obsolete. */
  keep: Set<string>
}

/** A level whose tile count is at most this is pinned: always wanted, never evicted. */
export const PINNED_LEVEL_MAX_TILES = 4

/** The key of a tile within one raster: `tileCoordKey` of shared/tiles.ts (its `tileKey` names the raster too). */
export const coordKey: (tile: TileCoord) => string = tileCoordKey

/** Levels that stay pinned: the coarsest level and every level of at most PINNED_LEVEL_MAX_TILES tiles. */
export function pinnedLevels(geometry: PyramidGeometry): number[] {
  const pinned: number[] = []
  for (let level = geometry.levels.length - 1; level >= 0; level--) {
    const { cols, rows } = tileGrid(geometry.levels[level]!, geometry.tileSize)
    if (level !== geometry.levels.length - 1 && cols * rows > PINNED_LEVEL_MAX_TILES) break
    pinned.push(level)
  }
  return pinned
}

/** Full-resolution pixels per pixel of `level`, per axis (exact, unlike 2^level at odd sizes). */
export function levelScaleXY(geometry: PyramidGeometry, level: number): { x: number; y: number } {
  const size = geometry.levels[level]!
  return { x: geometry.width / size.width, y: geometry.height / size.height }
}

/** Tile range [col0, col1] × [row0, row1] of `level` intersecting the view, or null when none. */
export function visibleRange(
  view: ViewState,
  geometry: PyramidGeometry,
  level: number,
  marginTiles = 0
): { col0: number; col1: number; row0: number; row1: number } | null {
  if (!(view.zoom > 0) || level < 0 || level >= geometry.levels.length) return null
  const scale = levelScaleXY(geometry, level)
  const size = geometry.tileSize
  const { cols, rows } = tileGrid(geometry.levels[level]!, size)
  const box = outlineBounds(viewOutline(view))
  const col0 = Math.floor(box.left / scale.x / size) - marginTiles
  const col1 = Math.ceil(box.right / scale.x / size) - 1 + marginTiles
  const row0 = Math.floor(box.top / scale.y / size) - marginTiles
  const row1 = Math.ceil(box.bottom / scale.y / size) - 1 + marginTiles
  const range = {
    col0: Math.max(0, col0),
    col1: Math.min(cols - 1, col1),
    row0: Math.max(0, row0),
    row1: Math.min(rows - 1, row1)
  }
  return range.col0 > range.col1 || range.row0 > range.row1 ? null : range
}

/** Distance, in tiles of `level`, from the centre of a tile to the centre of the view. */
export function distanceToCenter(view: ViewState, geometry: PyramidGeometry, tile: TileCoord): number {
  const scale = levelScaleXY(geometry, tile.level)
  const cx = view.centerX / scale.x / geometry.tileSize
  const cy = view.centerY / scale.y / geometry.tileSize
  return Math.hypot(tile.col + 0.5 - cx, tile.row + 0.5 - cy)
}

/** Tiles of `level` intersecting the view (plus `marginTiles` around), nearest the centre first. */
export function visibleTiles(view: ViewState, geometry: PyramidGeometry, level: number, marginTiles = 0): TileCoord[] {
  const range = visibleRange(view, geometry, level, marginTiles)
  if (!range) return []
  const tiles: TileCoord[] = []
  // A rotated view's bounding box holds tiles the screen never shows: only those meeting the outline.
  const outline = view.outline && marginTiles === 0 ? view.outline : null
  const scale = levelScaleXY(geometry, level)
  const tileW = geometry.tileSize * scale.x
  const tileH = geometry.tileSize * scale.y
  for (let row = range.row0; row <= range.row1; row++) {
    for (let col = range.col0; col <= range.col1; col++) {
      if (outline && !polygonMeetsRect(outline, col * tileW, row * tileH, (col + 1) * tileW, (row + 1) * tileH)) continue
      tiles.push({ level, col, row })
    }
  }
  const distance = new Map(tiles.map((t) => [t, distanceToCenter(view, geometry, t)]))
  return tiles.sort((a, b) => distance.get(a)! - distance.get(b)!)
}

/**
 * Plans one frame of one layer: the requests to send (only tiles neither loaded nor in flight,
 * each once, at its most urgent priority) and the set of keys still wanted. Cost: proportional to
 * the number of tiles on screen.
 */
export function planTiles(view: ViewState, geometry: PyramidGeometry, state: LoadState, options: PlanOptions = {}): TilePlan {
  const level = levelForZoom(view.zoom, geometry.levels.length, options.levelChoice)
  const visible = visibleTiles(view, geometry, level)
  const plan: TilePlan = { level, visible, high: [], normal: [], low: [], keep: new Set() }
  const lists = { [ImageLoadPriority.HIGH]: plan.high, [ImageLoadPriority.NORMAL]: plan.normal, [ImageLoadPriority.LOW]: plan.low }
  const seen = new Set<string>()
  const want = (tile: TileCoord, priority: ImageLoadPriority, rank: number): void => {
    const key = coordKey(tile)
    if (seen.has(key) || state.isLoaded(key, tile)) return
    seen.add(key)
    plan.keep.add(key)
    if (!state.isInFlight(key)) lists[priority].push({ ...tile, priority, rank: round(rank) })
  }

  // The coarsest level first: one tile that covers everything, so the view is never blank.
  const pinned = pinnedLevels(geometry)
  for (const tile of visibleTiles(view, geometry, pinned[0]!)) want(tile, ImageLoadPriority.HIGH, -1)

  // Where the camera will be when the tiles arrive: its visible tiles are the ones worth asking for.
  const lead = options.lead ?? { x: 0, y: 0 }
  const zoomLead = options.zoomLead ?? 1
  const ahead = lead.x !== 0 || lead.y !== 0 || zoomLead !== 1 ? leadView(view, lead, zoomLead) : view
  // Zooming in, the lead view's extent but never a level finer than the one drawn now: a zoom
  // that stops at a level's edge (a glide to a set zoom, the end of a pinch) never shows the finer
  // level its last frames predicted, and those tiles, four per tile of the level drawn, were all
  // fetched for nothing (the web bench: a sixth of an XYZ walk's fetches). The finer level is asked
  // for once the camera is in it. Zooming out, the coarser level ahead costs a quarter as many
  // tiles and still serves as the parents of the view where the zoom stops.
  const aheadLevel = ahead === view ? level : Math.max(level, levelForZoom(ahead.zoom, geometry.levels.length, options.levelChoice))
  const wanted = ahead === view ? visible : visibleTiles(ahead, geometry, aheadLevel)
  const holes: TileCoord[] = []
  const sliverPx = ahead === view || zoomLead !== 1 ? 0 : (options.leadSliverPx ?? 0)
  const onScreen = sliverPx > 0 ? new Set(visible.map(coordKey)) : null
  const aheadBox = sliverPx > 0 ? outlineBounds(viewOutline(ahead)) : null
  for (const tile of wanted) {
    // Of a guess at where the camera will be, the edge it may not reach (a glide slowing to a stop
    // short of it): asked for once the camera shows more of it, or at rest.
    if (onScreen && aheadBox && !onScreen.has(coordKey(tile)) && overlapPx(aheadBox, ahead.zoom, geometry, tile) < sliverPx) continue
    if (!state.isLoaded(coordKey(tile), tile)) holes.push(tile) // nearest first, as `wanted` is
    want(tile, ImageLoadPriority.HIGH, distanceToCenter(ahead, geometry, tile))
  }
  // On screen now and already on their way: still wanted (they may arrive in time), not asked again.
  if (ahead !== view) {
    for (const tile of visible) {
      const key = coordKey(tile)
      if (!seen.has(key) && !state.isLoaded(key, tile) && state.isInFlight(key)) {
        seen.add(key)
        plan.keep.add(key)
      }
    }
  }
  // The coarser level under the holes: a parent covers four holes, so it is asked for with them
  // and comes before its children. Coarser tiles still on
  // their way stay wanted: when they arrive they cover the holes until the children do.
  for (const hole of holes) {
    for (let up = hole.level + 1, shift = 1; up < geometry.levels.length; up++, shift++) {
      const ancestor = { level: up, col: hole.col >> shift, row: hole.row >> shift }
      if (up === hole.level + 1) {
        // Holes come nearest first, so the parent ranks just before its nearest child.
        if (options.holeParents !== false || !hasLoadedAncestor(hole, geometry, state)) {
          want(ancestor, ImageLoadPriority.HIGH, distanceToCenter(ahead, geometry, hole) - 0.5)
        }
        continue
      }
      const key = coordKey(ancestor)
      if (seen.has(key)) break
      if (!state.isInFlight(key) || state.isLoaded(key, ancestor)) continue
      seen.add(key)
      plan.keep.add(key)
    }
  }
  for (const pinnedLevel of pinned.slice(1)) {
    for (const tile of visibleTiles(view, geometry, pinnedLevel)) want(tile, ImageLoadPriority.NORMAL, distanceToCenter(view, geometry, tile))
  }

  const still = !options.zooming && ahead === view
  if (still && (options.marginTiles ?? 0) > 0) {
    for (const tile of visibleTiles(view, geometry, level, options.marginTiles)) {
      want(tile, ImageLoadPriority.LOW, distanceToCenter(view, geometry, tile))
    }
  }
  // Most urgent first, within each priority (the flow control of the caller sends a prefix).
  for (const list of [plan.high, plan.normal, plan.low]) list.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
  if (options.maxNewRequests !== undefined && Number.isFinite(options.maxNewRequests)) {
    let room = options.maxNewRequests
    const isPinned = (t: TileRequest): boolean => pinned.includes(t.level)
    for (const list of [plan.high, plan.normal, plan.low]) {
      const kept = list.filter((t) => isPinned(t) || room-- > 0)
      list.splice(0, list.length, ...kept)
    }
  }
  return plan
}

/** Some coarser tile under `tile` is loaded: the hole shows something (blurred) until it fills. */
function hasLoadedAncestor(tile: TileCoord, geometry: PyramidGeometry, state: LoadState): boolean {
  for (let up = tile.level + 1, shift = 1; up < geometry.levels.length; up++, shift++) {
    const ancestor = { level: up, col: tile.col >> shift, row: tile.row >> shift }
    if (state.isLoaded(coordKey(ancestor), ancestor)) return true
  }
  return false
}

/** What to draw for a frame: tiles coarse first (finer ones drawn on top), and whether it is sharp. */
export interface Cover {
  tiles: TileCoord[]
  /** Every visible tile of the wanted level is loaded. */
  complete: boolean
}

/**
 * Chooses what to draw over the visible tiles of `level`: the tile itself when loaded; otherwise
 * its loaded children (just after zooming out) over its best loaded ancestor, so a hole is never blank.
 */
export function coverTiles(visible: readonly TileCoord[], geometry: PyramidGeometry, isLoaded: (key: string, tile: TileCoord) => boolean): Cover {
  const chosen = new Map<string, TileCoord>()
  let complete = true
  for (const tile of visible) {
    const key = coordKey(tile)
    if (isLoaded(key, tile)) {
      chosen.set(key, tile)
      continue
    }
    complete = false
    let childrenCover = tile.level > 0
    if (tile.level > 0) {
      const { cols, rows } = tileGrid(geometry.levels[tile.level - 1]!, geometry.tileSize)
      for (const [dc, dr] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const child = { level: tile.level - 1, col: tile.col * 2 + dc, row: tile.row * 2 + dr }
        if (child.col >= cols || child.row >= rows) continue
        const childKey = coordKey(child)
        if (isLoaded(childKey, child)) chosen.set(childKey, child)
        else childrenCover = false
      }
    }
    if (childrenCover) continue
    for (let level = tile.level + 1; level < geometry.levels.length; level++) {
      const shift = level - tile.level
      const ancestor = { level, col: tile.col >> shift, row: tile.row >> shift }
      const ancestorKey = coordKey(ancestor)
      if (isLoaded(ancestorKey, ancestor)) {
        chosen.set(ancestorKey, ancestor)
        break
      }
    }
  }
  const tiles = [...chosen.values()].sort((a, b) => b.level - a.level)
  return { tiles, complete }
}

/** The screen's outline in the view's plane: its `outline`, or the axis-aligned rectangle around the centre. */
export function viewOutline(view: ViewState): readonly Point[] {
  if (view.outline) return view.outline
  const halfW = view.width / 2 / view.zoom
  const halfH = view.height / 2 / view.zoom
  const { centerX: x, centerY: y } = view
  return [
    { x: x - halfW, y: y - halfH },
    { x: x + halfW, y: y - halfH },
    { x: x + halfW, y: y + halfH },
    { x: x - halfW, y: y + halfH }
  ]
}

/**
 * The view `by` away whose zoom is `zoomFactor` times this one's (its outline, if any, scaled
 * about its centre).
 */
export function leadView(view: ViewState, by: Point, zoomFactor: number): ViewState {
  const moved = shiftView(view, by)
  if (zoomFactor === 1) return moved
  const centerX = moved.centerX
  const centerY = moved.centerY
  const scaled: ViewState = { ...moved, zoom: view.zoom * zoomFactor }
  if (moved.outline) scaled.outline = moved.outline.map((p) => ({ x: centerX + (p.x - centerX) / zoomFactor, y: centerY + (p.y - centerY) / zoomFactor }))
  return scaled
}

/** The same view moved by `by` (its outline with it). */
export function shiftView(view: ViewState, by: Point): ViewState {
  const moved: ViewState = { ...view, centerX: view.centerX + by.x, centerY: view.centerY + by.y }
  if (view.outline) moved.outline = view.outline.map((p) => ({ x: p.x + by.x, y: p.y + by.y }))
  return moved
}

/** How much of `tile` a view of bounds `box` at `zoom` shows, in screen pixels: the lesser of its overlap across and down (0: none). */
function overlapPx(box: { left: number; top: number; right: number; bottom: number }, zoom: number, geometry: PyramidGeometry, tile: TileCoord): number {
  const scale = levelScaleXY(geometry, tile.level)
  const tileW = geometry.tileSize * scale.x
  const tileH = geometry.tileSize * scale.y
  const across = Math.min(box.right, (tile.col + 1) * tileW) - Math.max(box.left, tile.col * tileW)
  const down = Math.min(box.bottom, (tile.row + 1) * tileH) - Math.max(box.top, tile.row * tileH)
  return Math.max(0, Math.min(across, down)) * zoom
}

function outlineBounds(points: readonly Point[]): { left: number; top: number; right: number; bottom: number } {
  let left = Infinity
  let top = Infinity
  let right = -Infinity
  let bottom = -Infinity
  for (const p of points) {
    left = Math.min(left, p.x)
    right = Math.max(right, p.x)
    top = Math.min(top, p.y)
    bottom = Math.max(bottom, p.y)
  }
  return { left, top, right, bottom }
}

/**
 * True when a convex polygon and an axis-aligned rectangle overlap (separating axes: the
 * rectangle's two and each edge normal of the polygon). Touching edges do not count.
 */
export function polygonMeetsRect(polygon: readonly Point[], left: number, top: number, right: number, bottom: number): boolean {
  const box = outlineBounds(polygon)
  if (box.right <= left || box.left >= right || box.bottom <= top || box.top >= bottom) return false
  const corners = [
    { x: left, y: top },
    { x: right, y: top },
    { x: right, y: bottom },
    { x: left, y: bottom }
  ]
  for (let i = 0; i < polygon.length; i++) {
    const p = polygon[i]!
    const q = polygon[(i + 1) % polygon.length]!
    const nx = q.y - p.y
    const ny = p.x - q.x
    let polyMin = Infinity
    let polyMax = -Infinity
    for (const v of polygon) {
      const t = v.x * nx + v.y * ny
      polyMin = Math.min(polyMin, t)
      polyMax = Math.max(polyMax, t)
    }
    let rectMin = Infinity
    let rectMax = -Infinity
    for (const v of corners) {
      const t = v.x * nx + v.y * ny
      rectMin = Math.min(rectMin, t)
      rectMax = Math.max(rectMax, t)
    }
    if (rectMax <= polyMin || rectMin >= polyMax) return false
  }
  return true
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
