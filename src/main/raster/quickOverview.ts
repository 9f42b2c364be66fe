/**
 * A raster kept in memory whose format shrinks on load (a camera JPEG) shows its overview first:
 * decoded in a fraction of the whole decode, it serves the coarse levels at once and for good,
 * while the full decode of the finer levels runs in the background lane.
 */
import { levelForZoom } from '../../shared/tiles'
import type { LevelSize } from '../../shared/raster'
import type { OpenContext } from './strategy'

/**
 * Formats that libvips shrinks on load (JPEG by DCT scaling, WebP, SVG and PDF by rendering
 * smaller): their overview costs a fraction of a full decode.
 */
export const SHRINK_ON_LOAD: ReadonlySet<string> = new Set(['jpeg', 'webp', 'svg', 'pdf'])

/**
 * For a raster kept in memory: the first level an overview decoded first serves, or -1 when the
 * format does not shrink on load or the image is no larger than an overview.
 */
export function quickOverviewLevel(context: OpenContext): number {
  const { info, probe, options } = context
  if (probe.decoder !== 'vips' || !SHRINK_ON_LOAD.has(probe.format)) return -1
  const side = options.fitView ? Math.min(options.overviewMaxSide, quickOverviewSide(info.levels, options.fitView)) : options.overviewMaxSide
  return info.levels.findIndex((l) => Math.max(l.width, l.height) <= side)
}

/**
 * The longest side of the level a view of `view` (CSS pixels) shows the whole raster at: the level
 * the renderer's planner picks at fit (`levelForZoom` of the fit zoom; the camera's fit margin only
 * makes it coarser). Decoding that much first makes the fit view sharp as soon as it is decoded.
 */
export function quickOverviewSide(levels: readonly LevelSize[], view: { width: number; height: number }): number {
  const full = levels[0]!
  const fitZoom = Math.min(view.width / full.width, view.height / full.height)
  const level = levels[levelForZoom(fitZoom, levels.length)]!
  return Math.max(level.width, level.height)
}

