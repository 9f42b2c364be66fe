/**
 * Strategy 'pyramid' (DESIGN.md §3): an overview decoded at once by shrink-on-load serves every
 * tile while a tiled pyramid is built in the background lane; the pyramid then serves them, and is
 * reused on the next open while the file's size and modification time are unchanged.
 */
import { messageOf } from '../../shared/errors'
import type { LevelSize } from '../../shared/raster'
import type { ProbeResult, SharedLevel } from './decode/jobs'
import { BYTES_PER_SAMPLE } from '../../shared/tileFrame'
import { type SourceStamp, cachePaths, ensureCacheDir, invalidateCache, isCacheValid, writeManifest } from './pyramidCache'
import { SHRINK_ON_LOAD } from './quickOverview'
import { Raster } from './Raster'
import { RegionReader, SharedReader, SplitReader, levelImages, regionSourceOf } from './readers'
import type { OpenContext } from './strategy'


/**
 * Opens a non-tiled file too large to keep in memory. Without a valid cached pyramid, the build
 * runs in the background lane. For a format that shrinks on load it starts once the overview is
 * decoded (a few tenths of a second, not slowed by the build); for any other (PNG, GIF, plain TIFF)
 * the overview needs a whole decode too, so the build starts at once, beside it, and the pyramid
 * is ready about when the conversion alone would be.
 */
export async function openPyramid(context: OpenContext, stamp: SourceStamp): Promise<Raster> {
  const { info, options, path } = context
  // A cache directory that cannot be created or written is not fatal: a valid pyramid in it is
  // still read, and without one the raster is served without a pyramid (see `openWithoutPyramid`).
  const unwritable = await ensureCacheDir(options.cacheDir).then(
    () => null,
    (error: unknown) => error
  )
  const cached = (await isCacheValid(options.cacheDir, stamp)) ? await cachedReader(context, stamp).catch(() => null) : null
  if (cached) {
    info.pyramidReady = true
    return new Raster(info, path, cached)
  }
  info.pyramidReady = false
  if (unwritable) {
    return openWithoutPyramid(context, `the pyramid cache at ${options.cacheDir} is not writable (${messageOf(unwritable)}); tiles are decoded from the source`)
  }
  await invalidateCache(options.cacheDir, stamp)
  const build = new AbortController()
  let raster: Raster | null = null
  const startBuild = (): Promise<void> => {
    const built = buildPyramid(context, stamp, build.signal, () => raster?.isClosed ?? false)
    // Its failure is reported once the raster exists (below), or not at all when the overview fails.
    built.catch(() => {})
    return built
  }
  let built = SHRINK_ON_LOAD.has(context.probe.format) ? null : startBuild()
  const overviewLevel = overviewLevelOf(context)
  let overview: SharedLevel[]
  try {
    overview = await decodeOverview(context, overviewLevel)
  } catch (error) {
    build.abort()
    throw error
  }
  raster = new Raster(info, path, new SharedReader(info.levels, info.tileSize, overview, overviewLevel, context.pool, context.output))
  raster.onClose(() => build.abort())
  void serveWhenBuilt(context, stamp, raster, (built ??= startBuild()), build.signal, overview, overviewLevel)
  return raster
}

/** The first (finest) level whose longest side fits the overview. */
function overviewLevelOf(context: OpenContext): number {
  return context.info.levels.findIndex((l) => Math.max(l.width, l.height) <= context.options.overviewMaxSide)
}

/** Decodes the overview: the levels from `overviewLevel` down, into shared memory, by shrink-on-load where the format allows. */
function decodeOverview(context: OpenContext, overviewLevel: number): Promise<SharedLevel[]> {
  const { info, path, output } = context
  return context.pool.run<SharedLevel[]>({
    kind: 'decode-shared',
    path,
    autoOrient: true,
    width: info.width,
    height: info.height,
    levels: info.levels.slice(overviewLevel),
    output,
    decoder: context.probe.decoder,
    mask: null,
    layout: context.probe.layout,
    reduce: context.probe.reduce,
    tolerant: context.probe.tolerant
  })
}

/**
 * Serves a raster that gets no pyramid: the overview for its coarse levels, and a region of the
 * source decoded on demand for each finer tile (sharp, but every such tile costs a decode of the
 * source). `warning` (naming the file and why) goes to `onPyramidError` at once: the caller's
 * hooks hear it whenever it comes (a service keeps what comes before it holds the raster).
 */
async function openWithoutPyramid(context: OpenContext, warning: string): Promise<Raster> {
  const { info, path, options } = context
  const overviewLevel = overviewLevelOf(context)
  const overview = await decodeOverview(context, overviewLevel)
  const raster = new Raster(info, path, fallbackReader(context, overview, overviewLevel))
  options.onPyramidError?.(new Error(`${path}: ${warning}`))
  return raster
}

/** The overview for levels from `overviewLevel` down, regions of the source itself above. */
function fallbackReader(context: OpenContext, overview: readonly SharedLevel[], overviewLevel: number): SplitReader {
  const { info, path, pool, output, probe } = context
  const full = regionSourceOf(path, probe, output, true)
  const source = new RegionReader({ ...full, images: full.images.slice(0, 1) }, info.levels, info.tileSize, pool, context.version)
  return new SplitReader(new SharedReader(info.levels, info.tileSize, overview, overviewLevel, pool, output), source, overviewLevel)
}

async function cachedReader(context: OpenContext, stamp: SourceStamp): Promise<RegionReader> {
  const { pyramid } = cachePaths(context.options.cacheDir, stamp.path, stamp.tileSize)
  const probe = await context.pool.run<ProbeResult>({ kind: 'probe', path: pyramid })
  const images = levelImages(probe.images)
  if (images[0]?.width !== context.info.width || images[0]?.height !== context.info.height) {
    throw new Error(`Cached pyramid ${pyramid} is ${images[0]?.width}×${images[0]?.height}, expected ${context.info.width}×${context.info.height}`)
  }
  return new RegionReader(regionSourceOf(pyramid, probe, context.output), context.info.levels, context.info.tileSize, context.pool)
}

/** Builds the pyramid in the background lane and records it in the cache; progress stops once the raster is closed. */
async function buildPyramid(context: OpenContext, stamp: SourceStamp, signal: AbortSignal, closed: () => boolean): Promise<void> {
  const { options, info, path } = context
  const { pyramid } = cachePaths(options.cacheDir, stamp.path, stamp.tileSize)
  await context.backgroundPool.run(
    {
      kind: 'build-pyramid',
      path,
      outPath: pyramid,
      tileSize: info.tileSize,
      output: context.output,
      tolerant: context.probe.tolerant,
      expectedBytes: expectedBytes(info.levels, context)
    },
    { signal, terminateOnAbort: true, onProgress: (fraction) => !closed() && options.onProgress?.(fraction) }
  )
  if (!(await context.version.unchanged())) throw new Error(`${path} changed while its pyramid was being built; open it again`)
  await writeManifest(options.cacheDir, stamp)
}

/** Once the pyramid is built, serves the raster's tiles from it (read in place, as a tiled TIFF) and says so. */
async function serveWhenBuilt(
  context: OpenContext,
  stamp: SourceStamp,
  raster: Raster,
  built: Promise<void>,
  signal: AbortSignal,
  overview: readonly SharedLevel[],
  overviewLevel: number
): Promise<void> {
  const { options, info, path } = context
  try {
    await built
    const reader = await cachedReader(context, stamp)
    if (raster.isClosed) return
    raster.useReader(reader)
    info.pyramidReady = true
    options.onPyramidReady?.(info)
  } catch (error) {
    if (raster.isClosed || signal.aborted) return
    // Without a pyramid (cache full, a write refused…), fine tiles come from the source itself.
    raster.useReader(fallbackReader(context, overview, overviewLevel))
    options.onPyramidError?.(new Error(`Cannot build the pyramid of ${path} in ${options.cacheDir}: ${messageOf(error)}; tiles are decoded from the source`))
  }
}

/**
 * Expected size of the pyramid file, for progress: the pixels of every level times a typical
 * compressed size per sample (JPEG tiles ~1 bit per sample at quality 80; deflate ~half).
 */
function expectedBytes(levels: readonly LevelSize[], context: OpenContext): number {
  const pixels = levels.reduce((sum, l) => sum + l.width * l.height, 0)
  const { info, output } = context
  if (output.kind === 'bands') return pixels * BYTES_PER_SAMPLE[output.sampleType] * (output.bands + (output.mask ? 1 : 0)) * 0.6
  return pixels * (info.hasAlpha ? 4 : 3) * 0.5
}
