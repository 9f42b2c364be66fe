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
