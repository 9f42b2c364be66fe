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
 * Web map layers (issue 25) are what lies around the data, not what a person came to see: they
 * count only when no file's layer is shown, and an XYZ layer, whose extent is the whole world by
 * construction, only when no other web layer is either (a basemap added beside an orthophoto
 * must not zoom the view out to the planet).
 */
export function fitTargets(layers: ReadonlyArray<{ rasterId: string; visible: boolean; info: { georeference: unknown; source?: { kind: string; service?: string } } }>): string[] {
  const visible = layers.filter((l) => l.visible)
  const shown = visible.length > 0 ? visible : layers
  const georeferenced = shown.filter((l) => l.info.georeference)
  const candidates = georeferenced.length > 0 ? georeferenced : shown
  const files = candidates.filter((l) => l.info.source?.kind !== 'web')
  const bounded = candidates.filter((l) => l.info.source?.kind !== 'web' || l.info.source.service !== 'xyz')
  return (files.length > 0 ? files : bounded.length > 0 ? bounded : candidates).map((l) => l.rasterId)
}
