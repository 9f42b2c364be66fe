/**
 * Navigation that cannot get lost: the camera keeps part of the content on screen, as
 * OpenSeadragon's `visibilityRatio`. Pure functions of the view and the content's extent.
 */
import type { Extent } from './Camera'

/**
 * Share of the content, or of the view when the content is larger than the view, that stays on
 * screen along each axis however far the user pans or wherever they zoom.
 */
export const VISIBILITY_RATIO = 0.2

/** A camera: centre and zoom in world units, screen size in pixels. */
export interface BoundsView {
  centerX: number
  centerY: number
  zoom: number
  width: number
  height: number
}

/**
 * The nearest centre to the view's at which at least `ratio` × min(content, view) of the content
 * stays on screen along each axis; the view's own centre when it already does, and when there is
 * no content.
 */
export function constrainCenter(view: BoundsView, content: Extent | null, ratio = VISIBILITY_RATIO): { centerX: number; centerY: number } {
  if (!content || !(view.zoom > 0)) return { centerX: view.centerX, centerY: view.centerY }
  return {
    centerX: constrainAxis(view.centerX, view.width / view.zoom, content.x, content.width, ratio),
    centerY: constrainAxis(view.centerY, view.height / view.zoom, content.y, content.height, ratio)
  }
}

/** One axis of `constrainCenter`: the centre kept where the view overlaps the content by the share asked. */
export function constrainAxis(center: number, viewSpan: number, start: number, span: number, ratio: number): number {
  const overlap = ratio * Math.min(span, viewSpan)
  const lowest = start + overlap - viewSpan / 2
  const highest = start + span - overlap + viewSpan / 2
  return Math.min(highest, Math.max(lowest, center))
}
