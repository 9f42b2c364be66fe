/**
 * How the camera is moving, frame to frame, in the terms the tile planner needs: is the zoom
 * changing, and where will the view be when tiles asked for now arrive (velocity × the measured
 * latency of a tile, less what a decelerating glide loses by then: the centre for a pan, the zoom
 * too for a continuous zoom). Pure bookkeeping
 * over timestamps: testable without a renderer.
 */
import type { ViewState } from './TileScheduler'

/** Frames further apart than this are not one motion: the camera rested in between. */
const MAX_FRAME_GAP_MS = 100
/** A move of more than this many views in one frame is a jump, not a pan: nothing to extrapolate. */
const JUMP_VIEWS = 1
/** A zoom by more than this many pyramid levels (2: 4×) in one frame, after still frames, is a jump too. */
const JUMP_LEVELS = 2
/**
 * A placement (`placed`: a script, the navigator, a fit, 1:1) that zooms by a level (2×) or more is a
 * jump: no wheel tick (1.15×; a fast spin may add several in one frame, hence JUMP_LEVELS for frames)
 * or glide frame comes through it.
 */
const PLACED_JUMP_LEVELS = 1
/**
 * Farthest look-ahead, in views; a camera that needs more outruns its tiles (ask for nothing new).
 * At half a view, a pan's first frames asked for the columns it crossed a moment later: in the web
 * bench's walk, XYZ tiles fetched for views already left were 12–15 % of its fetches; at 0.3, 8.7 %,
 * the walk as quick (6 walks each); a server layer stops sooner (`SERVER_LEAD_LIMIT`, 0.2). The
 * coarser tiles in hand show while the camera races.
 */
export const LEAD_LIMIT = 0.3
/** Farthest zoom look-ahead: one pyramid level either way. */
const ZOOM_LEAD_LIMIT = 2
/** Weight of the newest sample in the smoothed velocity and latency. */
const SMOOTHING = 0.5

/** Request-to-arrival time of tiles, smoothed: how far ahead of the camera a plan must look. */
export class TileLatency {
  private value: number

  constructor(initialMs = 80) {
    this.value = initialMs
  }

  get ms(): number {
    return this.value
  }

  /** Adds one tile's request-to-arrival time. */
  add(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.value += SMOOTHING * 0.5 * (ms - this.value)
  }
}

export interface Motion {
  zooming: boolean
  /** Expected displacement of the centre (world units) by the time tiles asked for now arrive. */
  lead: { x: number; y: number }
  /**
   * Expected zoom by then, as a factor of the zoom now (1: none). Only a continuous zoom (a pinch,
   * an animated zoom, a glide: the zoom changing at consecutive frames) is led; wheel ticks (a
   * zoom step, then still frames) are not: their next step comes at no pace a frame can know.
   */
  zoomLead: number
  /**
   * New requests worth sending now: none at a zoom step (a wheel tick, the first frame of a zoom)
   * or while the camera outruns the latency (a tile asked for now would arrive after leaving the
   * screen); no limit otherwise.
   */
  maxNewRequests: number
  /**
   * How far ahead the camera will be by then, in views, before `lead` is held to LEAD_LIMIT
   * (absent: no lead). A server layer stops asking sooner (`SERVER_LEAD_LIMIT`).
   */
  leadViews?: number
}

/** New requests at a zoom step (its level is passed by before its tiles arrive): as OpenLayers' default. */
export const REQUESTS_WHILE_ZOOMING = 0

/** A camera at rest, or one whose next view nothing predicts. */
const NO_MOTION: Motion = { zooming: false, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity }

export class CameraMotion {
  private last: { t: number; view: ViewState } | null = null
  /** The zoom changed at the last frame: a later frame may plan differently with no new event. */
  private zoomChanged = false
  private velocity = { x: 0, y: 0 }
  /** Change of the smoothed velocity per ms (world units per ms²), smoothed: how a glide slows. */
  private acceleration = { x: 0, y: 0 }
  /** Rate of change of ln(zoom) per ms, while the zoom changes at consecutive frames; else 0. */
  private zoomRate = 0
  /** The camera was placed by a jump since the last frame (`placed`): the next frame plans it as one. */
  private placedJump = false

  /** Records the view of a frame at time `now` (ms) and tells how the camera moves. */
  update(view: ViewState, now: number, latencyMs: number): Motion {
    const last = this.last
    this.last = { t: now, view: { ...view } }
    if (!last) return { ...NO_MOTION }
    const dt = now - last.t
    // Zooming only while the zoom changes from frame to frame (a wheel or pinch animating): no
    // fixed hold, the first frame where it stands still plans for it.
    const zooming = view.zoom !== last.view.zoom
    // The zoom changed at this frame and the one before, close together: a continuous zoom, whose
    // pace is known. A first change after still frames is a step (a wheel tick): nothing to lead.
    const continuous = zooming && this.zoomChanged && dt > 0 && dt <= MAX_FRAME_GAP_MS
    this.zoomChanged = zooming
    const dx = view.centerX - last.view.centerX
    const dy = view.centerY - last.view.centerY
    const viewWidth = view.width / view.zoom
    const viewHeight = view.height / view.zoom
    // A zoom by more than JUMP_LEVELS levels in one frame, after still frames, is no wheel tick (a
    // tick is 1.15×): a fit, a zoom to a layer, 1:1. Held a frame as a tick, the fit of a layer
    // just opened asked for its view's tiles a frame late (the web bench: 110 ms after the pinned
    // levels). A placement by a level or more (`placed`) is one too: held a frame, the web bench's
    // jump at half the zoom asked for its tiles 60–80 ms after the move.
    const placedJump = this.placedJump
    this.placedJump = false
    if (placedJump || (!continuous && zoomLevels(last.view, view) > JUMP_LEVELS) || panJump(last.view, view)) {
      // A jump elsewhere (a go-to, the navigator, a fit) lands where it stays, whatever its zoom:
      // its view is asked for at once, not a frame later as a wheel tick's (which the next tick
      // passes by). Held a frame, a jump's requests left 60–100 ms after it on a loaded machine.
      this.velocity = { x: 0, y: 0 }
      this.acceleration = { x: 0, y: 0 }
      this.zoomRate = 0
      this.zoomChanged = false
      return { ...NO_MOTION }
    }
    if (dt <= 0 || dt > MAX_FRAME_GAP_MS || (zooming && !continuous) || (!zooming && dx === 0 && dy === 0)) {
      // A frame without a move means the camera stopped; a zoom step moves the centre too
      // (towards the cursor), but tiles of a level in passing are not worth leading.
      this.velocity = { x: 0, y: 0 }
      this.acceleration = { x: 0, y: 0 }
      this.zoomRate = 0
    } else {
      const rate = Math.log(view.zoom / last.view.zoom) / dt
      this.zoomRate = continuous ? (this.zoomRate === 0 ? rate : this.zoomRate + SMOOTHING * (rate - this.zoomRate)) : 0
      const velocity = {
        x: this.velocity.x + SMOOTHING * (dx / dt - this.velocity.x),
        y: this.velocity.y + SMOOTHING * (dy / dt - this.velocity.y)
      }
      // From the second moving frame on (the first has no velocity before it to compare with).
      const moving = this.velocity.x !== 0 || this.velocity.y !== 0
      this.acceleration = moving
        ? {
            x: this.acceleration.x + SMOOTHING * ((velocity.x - this.velocity.x) / dt - this.acceleration.x),
            y: this.acceleration.y + SMOOTHING * ((velocity.y - this.velocity.y) / dt - this.acceleration.y)
          }
        : { x: 0, y: 0 }
      this.velocity = velocity
    }
    if (zooming && !continuous) return { zooming, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: REQUESTS_WHILE_ZOOMING }
    const ahead = { x: travel(this.velocity.x, this.acceleration.x, latencyMs), y: travel(this.velocity.y, this.acceleration.y, latencyMs) }
    // Further ahead than LEAD_LIMIT: what is asked for now is crossed soon after it arrives, or off
    // screen by then (the latency estimate can be short by half when the pipe fills up).
    const outrun = Math.abs(ahead.x) > viewWidth * LEAD_LIMIT || Math.abs(ahead.y) > viewHeight * LEAD_LIMIT
    const lead = { x: clamp(ahead.x, viewWidth * LEAD_LIMIT), y: clamp(ahead.y, viewHeight * LEAD_LIMIT) }
    // Under a screen pixel of look-ahead is no motion (world units may be metres or degrees).
    const still = Math.abs(lead.x) * view.zoom < 1 && Math.abs(lead.y) * view.zoom < 1
    const zoomLead = Math.exp(clamp(this.zoomRate * latencyMs, Math.log(ZOOM_LEAD_LIMIT)))
    return {
      zooming,
      lead: still ? { x: 0, y: 0 } : lead,
      ...(still ? {} : { leadViews: Math.max(Math.abs(ahead.x) / viewWidth, Math.abs(ahead.y) / viewHeight) }),
      // Under 1 % of zoom by then is no zoom motion.
      zoomLead: Math.abs(zoomLead - 1) < 0.01 ? 1 : zoomLead,
      maxNewRequests: outrun ? 0 : Infinity
    }
  }

  /**
   * The camera was placed at `view` (set, not dragged, wheeled or animated). True when that is a
   * jump from the last frame's view (a move by more than a view, or a zoom by a level or more): its
   * view is planned at the next frame without waiting for the camera to rest, and may be planned at
   * once (Viewer.frameSoon).
   */
  placed(view: ViewState): boolean {
    if (!this.last) return false
    // A hair short of a level still counts: a zoom halved through world units and back is not exactly 2×.
    const jump = zoomLevels(this.last.view, view) >= PLACED_JUMP_LEVELS - 1e-9 || panJump(this.last.view, view)
    if (jump) this.placedJump = true
    return jump
  }

  /** True while a later frame may plan differently with no new event (the zoom just changed, the camera gliding). */
  get unsettled(): boolean {
    return this.velocity.x !== 0 || this.velocity.y !== 0 || this.zoomChanged || this.zoomRate !== 0
  }
}

/** Pyramid levels between two views' zooms (1: 2× either way). */
function zoomLevels(from: ViewState, to: ViewState): number {
  return Math.abs(Math.log2(to.zoom / from.zoom))
}

/** A move by more than JUMP_VIEWS views: no pan leads there (a go-to, the navigator). */
function panJump(from: ViewState, to: ViewState): boolean {
  return Math.abs(to.centerX - from.centerX) > (JUMP_VIEWS * to.width) / to.zoom || Math.abs(to.centerY - from.centerY) > (JUMP_VIEWS * to.height) / to.zoom
}

/**
 * What a frame that planned every layer means (pure): the view is sharp when every layer drew its
 * wanted level and nothing is pending, whatever the camera did to get there (a jump to a cached
 * view is sharp the frame it is reached); the next frame must plan again, even if nothing else
 * happens, only while the view is not complete and the camera was moving (its plan held new
 * requests back or led them): the first still frame sends the plan.
 */
export function frameOutcome(frame: { complete: boolean; pending: number; unsettled: boolean }): { sharp: boolean; planAgain: boolean } {
  const sharp = frame.complete && frame.pending === 0
  return { sharp, planAgain: frame.unsettled && !sharp }
}

/**
 * Tiles arriving while the camera rests are shown at most this often (the last one of a view at
 * once): each render costs a full frame of fill (20–30 ms under a software rasteriser, and the CPU
 * it takes is the one decoding and receiving the next tiles); tiles trickling in one per frame made
 * the renderer the bottleneck. Camera moves render at once, every frame.
 */
export const TILE_RENDER_INTERVAL_MS = 100

/**
 * What a frame does with its drawing (pure): 'render' when the camera moved, or when tiles it has
 * not shown change what is drawn and either complete the view or come `TILE_RENDER_INTERVAL_MS`
 * after the last render; 'hold' when they wait for that; 'none' when nothing drawn changed. A held
 * frame's listeners (the status bar's tile count, a web layer's row) hear of it at the render: their
 * text changing at every tile made a frame of the page's own, and each such frame cost the
 * compositor as much as a render (the web bench's trace: 131 frames in 6.6 s, 41 ms each of the GPU
 * process's time under SwiftShader, 81 % of a core on a 2-core machine).
 */
export function frameRender(frame: { cameraChanged: boolean; tilesUnrendered: boolean; complete: boolean; sinceRenderMs: number }): 'render' | 'hold' | 'none' {
  if (frame.cameraChanged) return 'render'
  if (!frame.tilesUnrendered) return 'none'
  return frame.complete || frame.sinceRenderMs >= TILE_RENDER_INTERVAL_MS ? 'render' : 'hold'
}

/**
 * How far an axis moves in `ms` at velocity `v` slowing at `a` (world units, ms): a glide that
 * decelerates (a fling easing out, the viewport's inertia) stops short of where its velocity
 * alone points, so the lead is that of a steady deceleration, up to where it stops. Simulated (a
 * 3-screen fling easing out over 600 ms, frames 16–40 ms apart, tiles taking 200 ms): on velocity
 * alone it looked 0.36 screens past its end and outran its tiles until 170 ms before it stopped;
 * planned so, its tiles are asked for 180 ms sooner, aimed within 0.12 screens of where it stops.
 * A camera speeding up is led by its velocity only (how long it will go on speeding up nothing tells).
 */
export function travel(v: number, a: number, ms: number): number {
  if (v === 0 || Math.sign(a) !== -Math.sign(v)) return v * ms
  const stopsIn = -v / a
  const t = Math.min(ms, stopsIn)
  return v * t + 0.5 * a * t * t
}

function clamp(value: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, value))
}
