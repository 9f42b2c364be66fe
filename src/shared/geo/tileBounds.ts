/**
 * The map bounds of a tile (the seed's `bounds` of a load request): the extent, in the raster's own
 * CRS, of the tile's four corners through the raster's geotransform. Pure; no Node, no DOM.
 */
import type { Georeference, LevelSize } from '../raster'
import { tileRect } from '../tiles'

/** (xmin, xmax, ymin, ymax), the seed's order. */
export type MapBounds = readonly [xmin: number, xmax: number, ymin: number, ymax: number]

/**
 * Map bounds of tile (col, row) of `level`, or undefined for a raster without georeferencing.
 * A level's pixel is levels[0].width / levels[level].width full-resolution pixels wide (and
 * likewise high), so the tile's corners are placed exactly where its pixels lie; a rotated
 * geotransform gives the box around the turned tile.
 */
export function tileMapBounds(georeference: Georeference | null, levels: readonly LevelSize[], tileSize: number, level: number, col: number, row: number): MapBounds | undefined {
  if (!georeference) return undefined
  const full = levels[0]!
  const size = levels[level]!
  const sx = full.width / size.width
  const sy = full.height / size.height
  const rect = tileRect(size, tileSize, col, row)
  const [g0, g1, g2, g3, g4, g5] = georeference.geoTransform
  let xmin = Infinity
  let xmax = -Infinity
  let ymin = Infinity
  let ymax = -Infinity
  for (const px of [rect.left * sx, (rect.left + rect.width) * sx]) {
    for (const py of [rect.top * sy, (rect.top + rect.height) * sy]) {
      const x = g0 + px * g1 + py * g2
      const y = g3 + px * g4 + py * g5
      xmin = Math.min(xmin, x)
      xmax = Math.max(xmax, x)
      ymin = Math.min(ymin, y)
      ymax = Math.max(ymax, y)
    }
  }
  return [xmin, xmax, ymin, ymax]
}
