/**
 * A file read in place whose own overviews stop short (a tiled TIFF without overviews, a striped
 * GeoTIFF as GDAL writes by default) would decode a whole quarter of the file for each coarse
 * tile. Instead, its coarse levels come from an overview decoded once in the background lane
 * (geotiff.js in stripes, no-data-aware) and kept in shared memory: the reductions are cached.
 *
 * That exact overview decodes every block of the file: a 5000 × 4000 Float32 DEM in GDAL's default
 * LZW strips drew its first tile at 3.3 s where its 8-bit twin, decoded whole in memory by libvips,
 * drew it at 0.6–0.9 s. A file in short strips therefore first gets a quick overview, from the
 * strips in the middle of each overview row's rows only (`decode/sampledOverview.ts`, in the tile
 * pool, one band of rows per worker): it serves the coarse tiles at once, and the exact overview,
 * started once it is made, replaces it (the caller tells the renderer, which asks those tiles again).
 */
import type { ImageSelector, SampledOverviewJob, SharedLevel } from './decode/jobs'
import { BYTES_PER_SAMPLE } from '../../shared/tileFrame'
import { type LevelImage, SharedReader, type TileReader, levelImages } from './readers'
import { quickOverviewSide } from './quickOverview'
import type { OpenContext } from './strategy'
import { OverviewWhenReadyReader } from './whenReady'

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

function nearestImage<I extends LevelImage>(images: readonly I[], level: number): I | undefined {
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

/**
 * Source pixels a quick overview decodes at most (its rows times the image's width): above it, a
 * coarser level is sampled. A 5000 × 4000 Float32 DEM's level 2 (1250 × 1000) reads 1000 of its 4000
 * rows, 5 Mpx: its first tile came at 1.5× its 8-bit twin's (1050 vs 695 ms); its level 3 (625 × 500)
 * reads 2.5 Mpx, and the fit view's level 2 is that enlarged until the exact overview replaces it.
 */
export const QUICK_OVERVIEW_MAX_DECODE = 3_000_000

/** How a quick overview is sampled: from which image, into which level, reading what. */
export interface QuickOverviewPlan {
  /** The first level it makes (coarser ones are halved from it). */
  level: number
  image: LevelImage & { directory?: { blockHeight: number } }
  blockHeight: number
  /** Source pixels decoded. */
  decoded: number
}

/**
 * The quick overview of levels `first`… of a file read in place, or null when sampling would not
 * spare much: a file libvips decodes, blocks taller than half the rows an overview row stands for
 * (tiles: every block would be decoded anyway). Its level is the one the fit view shows when the
 * view is known (not finer than `first`), made coarser until it decodes at most QUICK_OVERVIEW_MAX_DECODE.
 */
export function quickOverviewPlan(context: Pick<OpenContext, 'info' | 'probe' | 'options'>, first: number): QuickOverviewPlan | null {
  const { info, probe, options } = context
  if (probe.decoder !== 'geotiff' || first < 1) return null
  const image = nearestImage(levelImages(probe.images), first)
  const blockHeight = image?.directory?.blockHeight
  if (!image || !blockHeight || image.directory?.planarSeparate) return null
  const fitSide = options.fitView ? quickOverviewSide(info.levels, options.fitView) : Infinity
  const fitLevel = info.levels.findIndex((l) => Math.max(l.width, l.height) <= fitSide)
  const decodedAt = (level: number): number => info.levels[level]!.height * Math.min(blockHeight, 2 ** (level - image.scale)) * image.width
  let level = Math.max(first, fitLevel)
  while (level < info.levels.length - 1 && decodedAt(level) > QUICK_OVERVIEW_MAX_DECODE) level++
  if (blockHeight * 2 > 2 ** (level - image.scale)) return null
  return { level, image, blockHeight, decoded: decodedAt(level) }
}

/**
 * Makes the quick overview that `plan` says in the tile pool, one band of rows per worker, into
 * shared levels from `plan.level` down. Resolves with null when a job fails (the exact overview
 * then serves, as without one), rejects only with an AbortError.
 */
export async function sampleQuickOverview(context: OpenContext, plan: QuickOverviewPlan, signal: AbortSignal): Promise<SharedLevel[] | null> {
  const { info, probe, output } = context
  const channels = output.kind === 'rgba8' ? 4 : output.bands + (output.mask ? 1 : 0)
  const sampleType = output.kind === 'rgba8' ? 'uint8' : output.sampleType
  const sizes = info.levels.slice(plan.level)
  const levels: SharedLevel[] = sizes.map((size) => ({
    ...size,
    channels,
    sampleType,
    buffer: new SharedArrayBuffer(size.width * size.height * channels * BYTES_PER_SAMPLE[sampleType])
  }))
  const { image } = plan
  const mask = probe.masks.find((m) => m.width === image.width && m.height === image.height && m.selector.file === image.selector.file)
  const job: Omit<SampledOverviewJob, 'rows'> = {
    kind: 'sampled-overview',
    path: context.path,
    image: image.selector,
    mask: mask?.selector ?? null,
    imageWidth: image.width,
    imageHeight: image.height,
    blockHeight: plan.blockHeight,
    factor: 2 ** (plan.level - image.scale),
    levels,
    layout: probe.layout,
    output,
    reduce: probe.reduce
  }
  const bands = rowBands(sizes[0]!.height, 2 ** (sizes.length - 1), context.pool.size)
  try {
    await Promise.all(bands.map((rows) => context.pool.run({ ...job, rows }, { signal })))
    return levels
  } catch (error) {
    if (signal.aborted) throw error
    console.error(`[raster] the quick overview of ${context.path} could not be made; its coarse tiles wait for the exact one:`, error)
    return null
  }
}

/** `height` rows cut into at most `parts` bands that start at multiples of `align`, about equal. Pure. */
export function rowBands(height: number, align: number, parts: number): { from: number; to: number }[] {
  const units = Math.ceil(height / align)
  const count = Math.max(1, Math.min(parts, units))
  const bands: { from: number; to: number }[] = []
  for (let part = 0; part < count; part++) {
    const from = Math.floor((part * units) / count) * align
    const to = Math.min(height, Math.floor(((part + 1) * units) / count) * align)
    if (to > from) bands.push({ from, to })
  }
  return bands
}

/**
 * The reader of a file read in place whose levels from `first` come from an in-place overview:
 * the quick one at once where `quickOverviewPlan` finds one, then the exact one, started once the
 * quick one is made (they would share the cores) and before the raster's other background work
 * (`context.backgroundQueued` says when it is queued). `onReplaced` is called once the exact
 * overview serves in place of a quick one that served tiles: those tiles are approximate.
 * `signal` withdraws both (the raster closed).
 */
export function inPlaceOverviewReader(context: OpenContext, fine: TileReader, first: number, signal: AbortSignal, onReplaced: () => void): TileReader {
  const { info, pool, output } = context
  const plan = quickOverviewPlan(context, first)
  const quick = plan ? sampleQuickOverview(context, plan, signal).catch(() => null) : Promise.resolve(null)
  const exact = quick.then(() => decodeInPlaceOverview(context, first, signal))
  context.backgroundQueued = quick.then(() => undefined)
  exact.catch(() => {}) // a failure serves those levels from the quick overview, or the file itself
  const reader = (from: number) => (levels: SharedLevel[]): SharedReader => new SharedReader(info.levels, info.tileSize, levels, from, pool, output)
  return new OverviewWhenReadyReader(fine, first, exact, reader(first), plan ? { overview: quick, makeReader: reader(plan.level), onReplaced } : undefined)
}
