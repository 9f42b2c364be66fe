/**
 * The camera script of the `view` suite: fixed, seeded, the same for every contender. Views are in
 * image pixels (centre) and screen pixels per image pixel (zoom), as Tessera's `setView` takes
 * them; the OpenSeadragon page maps them onto its viewport. Steps are run in the page by
 * bench/view/driver.js.
 */
import { seededRandom as random } from '../../test/helpers/seededRandom'

export interface View {
  centerX: number
  centerY: number
  zoom: number
}

export type Step =
  | { type: 'move'; view: View }
  | { type: 'glide'; to: View; ms: number; ease: 'linear' | 'out' }
  | { type: 'ticks'; views: View[]; every: number }
  /** Wait for sharp, at most capMs after the last move; `hold` waits capMs whatever; `counted: false` for set-up. */
  | { type: 'settle'; label: string; capMs: number; hold?: boolean; counted?: boolean }

export interface Scenario {
  name: string
  /** What the scenario does, for people. */
  title: string
  /** How the scenario's time-to-sharp figure is made from its settle points. */
  timeToSharp: 'median' | 'sum'
  steps: Step[]
}

export interface ScriptOptions {
  imageWidth: number
  imageHeight: number
  viewWidth: number
  viewHeight: number
  quick: boolean
  seed?: number
}


/** Longest a settle waits for sharp before it is recorded as not sharp (censored): 8 s, 4 s with --quick. */
export function settleCapMs(quick: boolean): number {
  return quick ? 4_000 : 8_000
}

/** The view that fits the whole image in the viewer. */
export function fitView(o: ScriptOptions): View {
  return { centerX: o.imageWidth / 2, centerY: o.imageHeight / 2, zoom: Math.min(o.viewWidth / o.imageWidth, o.viewHeight / o.imageHeight) }
}

/** Every scenario starts from a fresh page at fit; this is the set-up that precedes each one. */
export function openSteps(o: ScriptOptions): Step[] {
  return [
    { type: 'move', view: fitView(o) },
    { type: 'settle', label: 'open at fit', capMs: settleCapMs(o.quick) * 2 }
  ]
}

/** The four scenarios of issue 6, seeded. `--quick` shortens the random walk to ~6 s and makes 3 jumps instead of 5. */
export function scenarios(o: ScriptOptions): Scenario[] {
  const next = random(o.seed ?? 6)
  const SETTLE_CAP_MS = settleCapMs(o.quick)
  const jumpCount = o.quick ? 3 : 5
  const fit = fitView(o)
  const { imageWidth: W, imageHeight: H } = o
  // A 1:1 view never reaches past the image: centres stay half a viewer from the edges.
  const inside = (x: number, y: number, zoom: number): View => {
    const hx = o.viewWidth / zoom / 2
    const hy = o.viewHeight / zoom / 2
    return { centerX: Math.min(W - hx, Math.max(hx, x)), centerY: Math.min(H - hy, Math.max(hy, y)), zoom }
  }

  const jumps: Step[] = []
  for (let i = 0; i < jumpCount; i++) {
    jumps.push({ type: 'move', view: inside(next() * W, next() * H, 1) }, { type: 'settle', label: `jump ${i + 1}`, capMs: SETTLE_CAP_MS })
  }

  const flingY = H * (0.2 + 0.6 * next())
  const fling: Step[] = [
    { type: 'move', view: inside(0, flingY, 1) },
    { type: 'settle', label: 'fling start', capMs: SETTLE_CAP_MS, counted: false },
    { type: 'glide', to: inside(W, flingY, 1), ms: 2500, ease: 'out' },
    { type: 'settle', label: 'fling end', capMs: SETTLE_CAP_MS }
  ]

  // Wheel ticks of 2^(1/3) (12 from fit to 16× fit) every 40 ms, about a point, like a fast wheel.
  const anchor = { x: W * (0.25 + 0.5 * next()), y: H * (0.25 + 0.5 * next()) }
  const tickViews = (fromZoom: number, factor: number, count: number): View[] =>
    Array.from({ length: count }, (_, i) => {
      const zoom = fromZoom * factor ** (i + 1)
      // Keep the anchor under the same screen point as at fit (zoom about the cursor).
      const sx = (anchor.x - fit.centerX) * fit.zoom
      const sy = (anchor.y - fit.centerY) * fit.zoom
      return i === count - 1 && factor < 1 ? fit : { centerX: anchor.x - sx / zoom, centerY: anchor.y - sy / zoom, zoom }
    })
  const wheel: Step[] = [
    { type: 'ticks', views: tickViews(fit.zoom, 2 ** (1 / 3), 12), every: 40 },
    { type: 'settle', label: 'zoomed in (16× fit)', capMs: SETTLE_CAP_MS },
    { type: 'ticks', views: tickViews(fit.zoom * 16, 2 ** (-1 / 3), 12), every: 40 },
    { type: 'settle', label: 'back at fit', capMs: SETTLE_CAP_MS }
  ]

  // Random walk: a move every 1.5 s (a 300 ms pan or zoom glide, or a jump), then a 1.2 s hold.
  const walkSeconds = o.quick ? 6 : 60
  const walk: Step[] = []
  let here: View = inside(W / 2, H / 2, 0.5)
  walk.push({ type: 'move', view: here }, { type: 'settle', label: 'walk start', capMs: SETTLE_CAP_MS, counted: false })
  for (let i = 0; i < walkSeconds / 1.5; i++) {
    const r = next()
    let to: View
    if (r < 0.45) {
      const dx = (next() - 0.5) * 2 * (o.viewWidth / here.zoom)
      const dy = (next() - 0.5) * 2 * (o.viewHeight / here.zoom)
      to = inside(here.centerX + dx, here.centerY + dy, here.zoom)
    } else if (r < 0.8) {
      const zoom = Math.min(2, Math.max(fit.zoom, here.zoom * 2 ** ((next() - 0.5) * 4)))
      to = inside(here.centerX, here.centerY, zoom)
    } else {
      to = inside(next() * W, next() * H, Math.max(fit.zoom, 2 ** (-4 * next())))
    }
    if (r < 0.8) walk.push({ type: 'glide', to, ms: 300, ease: 'linear' })
    else walk.push({ type: 'move', view: to })
    walk.push({ type: 'settle', label: `walk ${i + 1}`, capMs: 1200, hold: true })
    here = to
  }

  return [
    { name: 'jumps', title: `zoom jumps: fit, then ${jumpCount} regions at 1:1 one after another (median)`, timeToSharp: 'median', steps: jumps },
    { name: 'fling', title: 'fling pan across the image at 1:1 (2.5 s, ease-out)', timeToSharp: 'median', steps: fling },
    { name: 'wheel', title: 'fast wheel zoom fit → 16× fit and back (wait in + wait back)', timeToSharp: 'sum', steps: wheel },
    { name: 'walk', title: `random walk, ${walkSeconds} s (median over moves; a move not sharp within 1.2 s counts as 1.2 s)`, timeToSharp: 'median', steps: walk }
  ]
}
