/**
 * A file read in place whose own overviews stop short (a tiled TIFF without overviews, a striped
 * GeoTIFF as GDAL writes by default) would decode a whole quarter of the file for each coarse
 * tile. Instead, its coarse levels come from an overview decoded once in the background lane
 * (geotiff.js in stripes, no-data-aware) and kept in shared memory: the reductions are cached.
 */
import type { ImageSelector, SharedLevel } from './decode/jobs'
import { type LevelImage, levelImages } from './readers'
import type { OpenContext } from './strategy'

/**
 * The first level served from a decoded overview, or -1 when the file's own images already serve
 * every level within one halving (or the image is small enough to read whole).
 */
export function inPlaceOverviewLevel(context: OpenContext): number {
  const { info, probe, options } = context
  if (probe.decoder === 'vips' && probe.masks.length > 0) return -1 // libvips would not apply the mask
  const first = info.levels.findIndex((l) => Math.max(l.width, l.height) <= options.overviewMaxSide)
  if (first <= 1) return -1
  const nearest = nearestImage(levelImages(probe.images), first)
  return nearest && first - nearest.scale >= 2 ? first : -1
}

function nearestImage(images: readonly LevelImage[], level: number): LevelImage | undefined {
  return images.filter((image) => image.scale <= level).at(-1)
}

/** Decodes the overview of levels `first`… in the background lane, from the coarsest image of the file finer than them. */
export function decodeInPlaceOverview(context: OpenContext, first: number, signal: AbortSignal): Promise<SharedLevel[]> {
  const { info, probe } = context
  const image = nearestImage(levelImages(probe.images), first)!
  const mask = probe.masks.find((m) => m.width === image.width && m.height === image.height && m.selector.file === image.selector.file)
  const source: { image: ImageSelector; mask: ImageSelector | null; width: number; height: number; scale: number } = {
    image: image.selector,
    mask: mask?.selector ?? null,
    width: image.width,
    height: image.height,
    scale: image.scale
  }
  return context.backgroundPool.run<SharedLevel[]>(
    {
      kind: 'decode-shared',
      path: context.path,
      autoOrient: false,
      width: info.width,
      height: info.height,
      levels: info.levels.slice(first),
      output: context.output,
      decoder: probe.decoder,
      mask: source.mask,
      layout: probe.layout,
      reduce: probe.reduce,
      ...(probe.decoder === 'geotiff' ? { source } : {})
    },
    { signal, terminateOnAbort: true }
  )
}
