/** The one place that says what layers cover in the world (fit, zoom limits). Pure. */
import { transformedBounds, type Affine } from '../../../shared/geo/affine'
import type { Extent } from '../Camera'
import { mappedBounds, type LayerMapping } from './mapping'

/**
 * What a set of layers covers in the world: the union of their transformed bounds (each layer's
 * pixel rectangle through its transform, pixel → world, or its reprojection), or null for no layer.
 */
export function layersExtent(layers: ReadonlyArray<{ info: { width: number; height: number }; transform: Affine; mapping?: LayerMapping }>): Extent | null {
  if (layers.length === 0) return null
  let right = -Infinity
  let bottom = -Infinity
  let left = Infinity
  let top = Infinity
  for (const { info, transform, mapping } of layers) {
    // A reprojected raster's edges bend: its border sampled through the reprojection.
    const b = mapping && !mapping.affine ? mappedBounds(mapping, info.width, info.height) : transformedBounds(transform, info.width, info.height)
    left = Math.min(left, b.x)
    top = Math.min(top, b.y)
    right = Math.max(right, b.x + b.width)
    bottom = Math.max(bottom, b.y + b.height)
  }
  return { x: left, y: top, width: right - left, height: bottom - top }
}

/**
 * The layers "fit all" shows: the visible ones (every one when none is visible), and among them,
 * while some georeferenced layer is shown, only the georeferenced ones: a picture without
 * georeferencing lies at the map origin, often a continent away, and fitting both shows neither.
 */
export function fitTargets(layers: ReadonlyArray<{ rasterId: string; visible: boolean; info: { georeference: unknown } }>): string[] {
  const visible = layers.filter((l) => l.visible)
  const shown = visible.length > 0 ? visible : layers
  const georeferenced = shown.filter((l) => l.info.georeference)
  return (georeferenced.length > 0 ? georeferenced : shown).map((l) => l.rasterId)
}
