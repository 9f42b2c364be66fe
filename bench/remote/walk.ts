/**
 * The camera walks of the `remote` and `web` suites, the same for every contender, as steps of
 * bench/view/driver.js (image pixels for a COG, world units — map X, −map Y — for a web layer; zoom
 * in screen pixels per unit), and the views each walk settles at: the windows GDAL reads.
 */
import type { Step, View } from '../view/script'
import { settleCapMs } from '../view/script'

export interface Plane {
  /** The raster's (or area's) bounds in the walk's units: left, top, width, height. */
  left: number
  top: number
  width: number
  height: number
  /** The viewer element's size, CSS pixels. */
  viewWidth: number
  viewHeight: number
  /** The largest useful zoom (1 for a COG: one screen pixel per image pixel). */
  maxZoom: number
}

export interface Walk {
  steps: Step[]
  /** Where each counted settle point leaves the camera, in order (the open's fit view first). */
  views: Array<{ label: string; view: View }>
}

/** The view that fits the plane in the viewer. */
export function fitOf(p: Plane): View {
  return { centerX: p.left + p.width / 2, centerY: p.top + p.height / 2, zoom: Math.min(p.viewWidth / p.width, p.viewHeight / p.height) }
}

/**
 * A pan-and-zoom walk from the fitted view: a zoom in (6× fit), a pan of two screens, a zoom to
 * the finest level, a fling of three screens, a jump elsewhere at half that zoom, a zoom out to
 * 2× fit, a jump to the finest zoom elsewhere. Moves are glides of 0.6–0.8 s (one camera position a
 * frame) or instant jumps; each is followed by a wait for sharp (capped). Tiles of the views crossed
 * in a glide are asked for and left behind: what cancellation is for.
 */
export function panZoomWalk(p: Plane, quick: boolean): Walk {
  const fit = fitOf(p)
  const cap = settleCapMs(quick)
  const at = (fx: number, fy: number, zoom: number): View => {
    // Centres kept where the view stays on the plane.
    const halfW = p.viewWidth / 2 / zoom
    const halfH = p.viewHeight / 2 / zoom
    const clamp = (v: number, lo: number, hi: number): number => (lo > hi ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, v)))
    return { centerX: clamp(p.left + fx * p.width, p.left + halfW, p.left + p.width - halfW), centerY: clamp(p.top + fy * p.height, p.top + halfH, p.top + p.height - halfH), zoom }
  }
  const zIn = Math.min(p.maxZoom, fit.zoom * 6)
  const zFine = p.maxZoom
  const screensX = (n: number, zoom: number): number => (n * p.viewWidth) / zoom / p.width
  const screensY = (n: number, zoom: number): number => (n * p.viewHeight) / zoom / p.height
  const v1 = at(0.3, 0.35, zIn)
  const v2 = at(0.3 + screensX(2, zIn), 0.35, zIn)
  const v3 = { ...v2, zoom: zFine }
  const v4 = at((v3.centerX - p.left) / p.width, (v3.centerY - p.top) / p.height + screensY(3, zFine), zFine)
  const v5 = at(0.75, 0.7, zFine / 2)
  const v6 = { ...v5, zoom: Math.max(fit.zoom, fit.zoom * 2) }
  const v7 = at(0.2, 0.8, zFine)
  const settle = (label: string): Step => ({ type: 'settle', label, capMs: cap })
  const steps: Step[] = [
    { type: 'glide', to: v1, ms: 700, ease: 'linear' }, settle('zoom in'),
    { type: 'glide', to: v2, ms: 800, ease: 'out' }, settle('pan 2 screens'),
    { type: 'glide', to: v3, ms: 700, ease: 'linear' }, settle('zoom to finest'),
    { type: 'glide', to: v4, ms: 600, ease: 'out' }, settle('fling 3 screens'),
    { type: 'move', view: v5 }, settle('jump'),
    { type: 'glide', to: v6, ms: 600, ease: 'linear' }, settle('zoom out'),
    { type: 'move', view: v7 }, settle('jump to finest')
  ]
  const views = [
    { label: 'fit', view: fit },
    { label: 'zoom in', view: v1 },
    { label: 'pan 2 screens', view: v2 },
    { label: 'zoom to finest', view: v3 },
    { label: 'fling 3 screens', view: v4 },
    { label: 'jump', view: v5 },
    { label: 'zoom out', view: v6 },
    { label: 'jump to finest', view: v7 }
  ]
  return { steps, views }
}
