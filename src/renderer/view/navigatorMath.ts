/**
 * The navigator's arithmetic: where the content and the view go in a small overview, and which
 * world point a click there means. Pure functions.
 */
import type { Extent } from './Camera'

/** Share of the overview the content fills. */
export const NAVIGATOR_MARGIN = 0.92

/** The transform world → overview: `scale` overview pixels per world unit, the content centred. */
export interface OverviewFrame {
  scale: number
  /** Overview point of world (0, 0). */
  offsetX: number
  offsetY: number
}

/** The frame that shows `content` whole and centred in an overview of `width` × `height`. */
export function overviewFrame(content: Extent, width: number, height: number, margin = NAVIGATOR_MARGIN): OverviewFrame {
  const scale = Math.min(width / Math.max(content.width, 1e-12), height / Math.max(content.height, 1e-12)) * margin
  return {
    scale,
    offsetX: width / 2 - (content.x + content.width / 2) * scale,
    offsetY: height / 2 - (content.y + content.height / 2) * scale
  }
}

/** A world rectangle in the overview. */
export function toOverview(frame: OverviewFrame, r: Extent): Extent {
  return { x: r.x * frame.scale + frame.offsetX, y: r.y * frame.scale + frame.offsetY, width: r.width * frame.scale, height: r.height * frame.scale }
}

/** The world point under an overview point. */
export function fromOverview(frame: OverviewFrame, p: { x: number; y: number }): { x: number; y: number } {
  return { x: (p.x - frame.offsetX) / frame.scale, y: (p.y - frame.offsetY) / frame.scale }
}

/** The world rectangle a camera shows. */
export function viewExtent(view: { centerX: number; centerY: number; zoom: number; width: number; height: number }): Extent {
  const width = view.width / view.zoom
  const height = view.height / view.zoom
  return { x: view.centerX - width / 2, y: view.centerY - height / 2, width, height }
}

/** True when `inner` lies within `outer` (to within a relative tolerance). */
export function contains(outer: Extent, inner: Extent, tolerance = 1e-6): boolean {
  const t = tolerance * Math.max(outer.width, outer.height)
  return inner.x >= outer.x - t && inner.y >= outer.y - t && inner.x + inner.width <= outer.x + outer.width + t && inner.y + inner.height <= outer.y + outer.height + t
}

/** True when `a` and `b` are the same rectangle (to within a relative tolerance of the larger side). */
export function sameExtent(a: Extent, b: Extent, tolerance = 1e-9): boolean {
  const t = tolerance * Math.max(a.width, a.height, b.width, b.height)
  return Math.abs(a.x - b.x) <= t && Math.abs(a.y - b.y) <= t && Math.abs(a.width - b.width) <= t && Math.abs(a.height - b.height) <= t
}

/** True when `a` and `b` share some area. */
export function overlaps(a: Extent, b: Extent): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/**
 * What becomes of the overview's picture, taken of the content `taken`, now that the content is
 * `content` (both in world units): 'keep' it (the same content); 'retake' it (the content changed
 * but the picture still lies on it: shown until a new one is taken, once the whole content is on
 * screen and sharp); or 'drop' it (it lies off the content: the world changed under it, as when the
 * view's CRS changes, and its old world rectangle now means another place; the outlines show until
 * a new one is taken).
 */
export function pictureFate(taken: Extent, content: Extent): 'keep' | 'retake' | 'drop' {
  if (sameExtent(taken, content)) return 'keep'
  return overlaps(taken, content) ? 'retake' : 'drop'
}
