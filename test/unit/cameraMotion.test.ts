import { describe, expect, it } from 'vitest'
import { CameraMotion, LEAD_LIMIT, REQUESTS_WHILE_ZOOMING, TILE_RENDER_INTERVAL_MS, TileLatency, frameOutcome, frameRender, travel } from '../../src/renderer/view/CameraMotion'
import type { ViewState } from '../../src/renderer/view/TileScheduler'

const base: ViewState = { centerX: 5000, centerY: 5000, zoom: 1, width: 1000, height: 800 }
const at = (dx: number, dy = 0, zoom = 1): ViewState => ({ ...base, centerX: base.centerX + dx, centerY: base.centerY + dy, zoom })

describe('CameraMotion', () => {
  it('leads a steady pan by its velocity times the latency', () => {
    const motion = new CameraMotion()
    let result = motion.update(at(0), 0, 100)
    // 10 px per 16 ms frame to the right and 5 down: 0.625 px/ms and 0.3125 px/ms.
    for (let i = 1; i <= 20; i++) result = motion.update(at(10 * i, 5 * i), 16 * i, 100)
    expect(result.zooming).toBe(false)
    expect(result.lead.x).toBeCloseTo(62.5, 1)
    expect(result.lead.y).toBeCloseTo(31.25, 1)
    expect(motion.unsettled).toBe(true)
  })

  it('has no lead for a still camera, a jump, or after a pause; a frame without a move settles it', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 100)
    expect(motion.update(at(0), 16, 100).lead).toEqual({ x: 0, y: 0 })
    expect(motion.unsettled).toBe(false)
    motion.update(at(20), 32, 100)
    expect(motion.unsettled).toBe(true)
    expect(motion.update(at(20), 48, 100).lead).toEqual({ x: 0, y: 0 })
    expect(motion.unsettled).toBe(false)
    // Further than a view in one frame: a jump (nothing to extrapolate).
    expect(motion.update(at(3000), 64, 100).lead).toEqual({ x: 0, y: 0 })
    // Frames far apart: the camera rested in between.
    expect(motion.update(at(3100), 400, 100).lead).toEqual({ x: 0, y: 0 })
  })

  it('never leads by more than LEAD_LIMIT views, and asks for nothing new while the camera outruns the latency', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 10_000)
    const result = motion.update(at(900), 16, 10_000)
    expect(result.lead.x).toBe(LEAD_LIMIT * base.width)
    expect(result.maxNewRequests).toBe(0)
    // The same pan with a short latency (28 px/ms × 10 ms): what is asked for arrives while on screen.
    const quick = new CameraMotion()
    quick.update(at(0), 0, 10)
    expect(quick.update(at(900), 16, 10)).toMatchObject({ maxNewRequests: Infinity, lead: { x: 281.25, y: 0 } })
    // A third of a view ahead by then: outrun (a quarter is not).
    const third = new CameraMotion()
    third.update(at(0), 0, 12)
    expect(third.update(at(900), 16, 12).maxNewRequests).toBe(0)
  })

  it('is zooming only while the zoom changes from frame to frame: a still camera plans at once (no hold)', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 100)
    // A zoom step (the first change after still frames, as a wheel tick): nothing asked for.
    const zoomed = motion.update(at(10, 0, 1.25), 16, 100)
    expect(zoomed).toEqual({ zooming: true, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: REQUESTS_WHILE_ZOOMING })
    expect(motion.unsettled).toBe(true)
    // Still animating: the zoom changes again at the next frame.
    expect(motion.update(at(10, 0, 1.5), 32, 100).zooming).toBe(true)
    // The very next frame with the same view: the whole plan goes, however soon after.
    expect(motion.update(at(10, 0, 1.5), 33, 100)).toEqual({ zooming: false, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity })
    expect(motion.unsettled).toBe(false)
  })

  it('leads a continuous zoom by its rate times the latency, and asks for that view', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 100)
    let result = motion.update(at(0, 0, 1.02), 16, 100)
    expect(result.maxNewRequests).toBe(0) // its first frame is a step: its pace is not known yet
    // ×1.02 every 16 ms: by 100 ms, ×1.02^6.25.
    for (let i = 2; i <= 10; i++) result = motion.update(at(0, 0, 1.02 ** i), 16 * i, 100)
    expect(result.zooming).toBe(true)
    expect(result.zoomLead).toBeCloseTo(1.02 ** 6.25, 3)
    expect(result.maxNewRequests).toBe(Infinity)
    expect(motion.unsettled).toBe(true)
    // Zooming out as fast, with a long latency: never more than a level ahead.
    const out = new CameraMotion()
    for (let i = 0; i <= 10; i++) result = out.update(at(0, 0, 0.9 ** i), 16 * i, 1_000)
    expect(result.zoomLead).toBe(0.5)
  })

  it('asks at once for the view of a jump elsewhere, even one that changes the zoom (not held as a wheel tick)', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 100)
    motion.update(at(0), 16, 100)
    // Three views away at half the zoom, in one frame.
    const jump = motion.update(at(6000, 0, 0.5), 32, 100)
    expect(jump).toEqual({ zooming: false, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity })
    expect(motion.unsettled).toBe(false)
    // A wheel tick there (the zoom steps, the centre moves a little) is still held a frame.
    expect(motion.update(at(6010, 0, 0.6), 48, 100).maxNewRequests).toBe(REQUESTS_WHILE_ZOOMING)
  })

  it('asks at once for the view of a zoom by more than two levels in one frame, in place (a fit, 1:1), but holds a 2× step', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 100)
    motion.update(at(0), 16, 100)
    // The fit of a layer just opened: the same centre, the zoom divided by 1000.
    expect(motion.update(at(0, 0, 0.001), 32, 100)).toEqual({ zooming: false, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity })
    expect(motion.unsettled).toBe(false)
    motion.update(at(0, 0, 0.001), 48, 100)
    // 1:1 from there, in place: 1000× in one frame.
    expect(motion.update(at(0, 0, 1), 64, 100).maxNewRequests).toBe(Infinity)
    motion.update(at(0, 0, 1), 80, 100)
    // A zoom button's 2× step (one level) stays a step.
    expect(motion.update(at(0, 0, 2), 96, 100)).toMatchObject({ zooming: true, maxNewRequests: REQUESTS_WHILE_ZOOMING })
  })

  it('plans a placement by a level or more, or by more than a view, as a jump; a smaller one, or a wheel tick, as before', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 100)
    motion.update(at(0), 16, 100)
    // Placed at half the zoom, a view-width away (the web bench's jump): planned at once, no hold.
    expect(motion.placed(at(900, 0, 0.5))).toBe(true)
    expect(motion.update(at(900, 0, 0.5), 32, 100)).toEqual({ zooming: false, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity })
    expect(motion.unsettled).toBe(false)
    motion.update(at(900, 0, 0.5), 48, 100)
    // A placement by less (an arrow key's pan, a script's glide frame) is no jump: frames decide.
    expect(motion.placed(at(1000, 0, 0.5))).toBe(false)
    expect(motion.placed(at(1000, 0, 0.6))).toBe(false)
    expect(motion.update(at(1000, 0, 0.6), 64, 100).maxNewRequests).toBe(REQUESTS_WHILE_ZOOMING)
    motion.update(at(1000, 0, 0.6), 80, 100)
    // The same 2× zoom coming with a frame (not placed: a fast wheel spin) stays a step.
    expect(motion.update(at(1000, 0, 1.2), 96, 100).maxNewRequests).toBe(REQUESTS_WHILE_ZOOMING)
    // A jump is planned as one once: the next frame follows the camera again.
    expect(motion.placed(at(1000, 0, 4.8))).toBe(true)
    motion.update(at(1000, 0, 4.8), 112, 100)
    expect(motion.update(at(1000, 0, 5), 128, 100).maxNewRequests).toBe(REQUESTS_WHILE_ZOOMING)
    // Before any frame there is nothing to jump from.
    expect(new CameraMotion().placed(at(0, 0, 8))).toBe(false)
  })

  it('does not lead wheel ticks: a step, still frames, a step', () => {
    const motion = new CameraMotion()
    motion.update(at(0), 0, 40)
    for (let tick = 1; tick <= 4; tick++) {
      const t = tick * 48
      expect(motion.update(at(0, 0, 1.26 ** tick), t, 40)).toMatchObject({ zooming: true, zoomLead: 1, maxNewRequests: 0 })
      expect(motion.update(at(0, 0, 1.26 ** tick), t + 16, 40)).toEqual({ zooming: false, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity })
      expect(motion.update(at(0, 0, 1.26 ** tick), t + 32, 40).zoomLead).toBe(1)
    }
  })
})

describe('a glide that slows down (a fling easing out)', () => {
  /** A 3-view fling easing out (cubic) over 600 ms, a frame every 20 ms, tiles taking 200 ms. */
  const fling = (): Array<{ t: number; x: number; lead: number; asks: boolean }> => {
    const distance = 3 * base.width
    const motion = new CameraMotion()
    const frames = []
    for (let t = 0; t <= 600; t += 20) {
      const x = distance * (1 - (1 - t / 600) ** 3)
      const result = motion.update(at(x), t, 200)
      frames.push({ t, x, lead: result.lead.x, asks: result.maxNewRequests > 0 })
    }
    return frames
  }

  it('is led to where it slows to, not past it: the first frame that asks for tiles aims within 0.15 views of the stop', () => {
    const frames = fling()
    const first = frames.find((f) => f.t > 0 && f.asks)!
    expect(Math.abs(first.x + first.lead - 3 * base.width)).toBeLessThan(0.15 * base.width)
    // Every later lead stays short of the stop by little and never runs past it by more than a tenth of a view.
    for (const f of frames.filter((g) => g.t >= first.t)) expect(f.x + f.lead).toBeLessThan(3.1 * base.width)
  })

  it('asks for tiles 100 ms sooner than its velocity alone would allow', () => {
    const frames = fling()
    const first = frames.find((f) => f.t > 0 && f.asks)!
    // On velocity alone (v × 200 ms ≤ LEAD_LIMIT views), the cubic ease-out allows it later.
    const velocityOnly = frames.find((f, i) => i > 0 && ((f.x - frames[i - 1]!.x) / 20) * 200 <= LEAD_LIMIT * base.width)!
    expect(first.t).toBeLessThanOrEqual(velocityOnly.t - 100)
  })
})

describe('travel', () => {
  it('is velocity × time for a steady or speeding-up axis', () => {
    expect(travel(2, 0, 100)).toBe(200)
    expect(travel(-2, -0.01, 100)).toBe(-200)
    expect(travel(0, 5, 100)).toBe(0)
  })

  it('slows a decelerating axis down, and stops it where its velocity runs out', () => {
    // 2 units/ms slowing by 0.01 units/ms²: 200 − 50 after 100 ms; stops after 200 ms, at 200 units.
    expect(travel(2, -0.01, 100)).toBeCloseTo(150)
    expect(travel(2, -0.01, 1000)).toBeCloseTo(200)
    expect(travel(-2, 0.01, 1000)).toBeCloseTo(-200)
  })
})

describe('frameOutcome', () => {
  it('a cached view is sharp the frame it is reached, even mid-zoom, and needs no second plan', () => {
    expect(frameOutcome({ complete: true, pending: 0, unsettled: true })).toEqual({ sharp: true, planAgain: false })
  })

  it('a moving camera whose view is not complete plans again next frame; a still one waits for events', () => {
    expect(frameOutcome({ complete: false, pending: 0, unsettled: true })).toEqual({ sharp: false, planAgain: true })
    expect(frameOutcome({ complete: true, pending: 2, unsettled: true })).toEqual({ sharp: false, planAgain: true })
    expect(frameOutcome({ complete: false, pending: 3, unsettled: false })).toEqual({ sharp: false, planAgain: false })
  })
})

describe('frameRender', () => {
  const frame = (over: Partial<Parameters<typeof frameRender>[0]>): Parameters<typeof frameRender>[0] => ({ cameraChanged: false, tilesUnrendered: false, complete: false, sinceRenderMs: 0, ...over })

  it('renders every frame the camera moves, tiles or not', () => {
    expect(frameRender(frame({ cameraChanged: true }))).toBe('render')
    expect(frameRender(frame({ cameraChanged: true, tilesUnrendered: true }))).toBe('render')
  })

  it('holds tiles arriving at rest until the interval has passed, or until they complete the view', () => {
    expect(frameRender(frame({ tilesUnrendered: true, sinceRenderMs: TILE_RENDER_INTERVAL_MS - 1 }))).toBe('hold')
    expect(frameRender(frame({ tilesUnrendered: true, sinceRenderMs: TILE_RENDER_INTERVAL_MS }))).toBe('render')
    expect(frameRender(frame({ tilesUnrendered: true, complete: true, sinceRenderMs: 1 }))).toBe('render')
  })

  it('draws nothing when nothing drawn changed (a failed tile, a margin tile): its listeners still hear of it', () => {
    expect(frameRender(frame({ sinceRenderMs: 5 }))).toBe('none')
    expect(frameRender(frame({ complete: true, sinceRenderMs: 500 }))).toBe('none')
  })
})

describe('TileLatency', () => {
  it('moves towards the measured times and ignores nonsense', () => {
    const latency = new TileLatency(100)
    for (let i = 0; i < 50; i++) latency.add(20)
    expect(latency.ms).toBeCloseTo(20, 0)
    latency.add(Number.NaN)
    latency.add(-5)
    expect(latency.ms).toBeCloseTo(20, 0)
  })
})
