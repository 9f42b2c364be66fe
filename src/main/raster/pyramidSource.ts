/**
 * Strategy 'pyramid' (DESIGN.md §3): an overview decoded at once by shrink-on-load serves every
 * tile while a tiled pyramid is built in the background lane; the pyramid then serves them, and is
 * reused on the next open while the file's size and modification time are unchanged.
 */
import { stat } from 'node:fs/promises'
import type { LevelSize } from '../../shared/raster'
import type { ProbeResult, SharedLevel } from '../pool/jobs'
import { BYTES_PER_SAMPLE } from './decode/pixels'
import { type SourceStamp, cachePaths, ensureCacheDir, invalidateCache, isCacheValid, writeManifest } from './pyramidCache'
import { Raster } from './Raster'
import { RegionReader, SharedReader, levelImages } from './readers'
import type { OpenContext } from './strategy'

/** Opens a non-tiled file too large to keep in memory. */
export async function openPyramid(context: OpenContext, stamp: SourceStamp): Promise<Raster> {
  const { info, options, path, pool, output } = context
  await ensureCacheDir(options.cacheDir)
  const cached = (await isCacheValid(options.cacheDir, stamp)) ? await cachedReader(context, stamp).catch(() => null) : null
  if (cached) {
    info.pyramidReady = true
    return new Raster(info, path, cached)
  }
  await invalidateCache(options.cacheDir, stamp)
  const overviewLevel = info.levels.findIndex((l) => Math.max(l.width, l.height) <= options.overviewMaxSide)
  const wanted = info.levels.slice(overviewLevel)
  const overview = await pool.run<SharedLevel[]>({
    kind: 'decode-shared',
    path,
    autoOrient: true,
    width: info.width,
    height: info.height,
    levels: wanted,
    output
  })
  info.pyramidReady = false
  const raster = new Raster(info, path, new SharedReader(info.levels, info.tileSize, overview, overviewLevel, pool))
  const build = new AbortController()
  raster.onClose(() => build.abort())
  void buildInBackground(context, stamp, raster, build.signal)
  return raster
}

async function cachedReader(context: OpenContext, stamp: SourceStamp): Promise<RegionReader> {
  const { pyramid } = cachePaths(context.options.cacheDir, stamp.path, stamp.tileSize)
  const probe = await context.pool.run<ProbeResult>({ kind: 'probe', path: pyramid })
  const images = levelImages(probe.images)
  if (images[0]?.width !== context.info.width || images[0]?.height !== context.info.height) {
    throw new Error(`Cached pyramid ${pyramid} is ${images[0]?.width}×${images[0]?.height}, expected ${context.info.width}×${context.info.height}`)
  }
  return new RegionReader(pyramid, context.info.levels, context.info.tileSize, images, context.output, context.pool)
}

async function buildInBackground(context: OpenContext, stamp: SourceStamp, raster: Raster, signal: AbortSignal): Promise<void> {
  const { options, info, path } = context
  try {
    const { pyramid } = cachePaths(options.cacheDir, stamp.path, stamp.tileSize)
    await context.backgroundPool.run(
      {
        kind: 'build-pyramid',
        path,
        outPath: pyramid,
        tileSize: info.tileSize,
        output: context.output,
        expectedBytes: expectedBytes(info.levels, context)
      },
      { signal, terminateOnAbort: true, onProgress: (fraction) => !raster.isClosed && options.onProgress?.(fraction) }
    )
    const now = await stat(path)
    if (now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs) {
      throw new Error(`${path} changed while its pyramid was being built; open it again`)
    }
    await writeManifest(options.cacheDir, stamp)
    const reader = await cachedReader(context, stamp)
    if (raster.isClosed) return
    raster.useReader(reader)
    info.pyramidReady = true
    options.onPyramidReady?.(info)
  } catch (error) {
    if (raster.isClosed || signal.aborted) return
    const message = error instanceof Error ? error.message : String(error)
    options.onPyramidError?.(new Error(`Cannot build the pyramid of ${path}: ${message}`))
  }
}

/**
 * Expected size of the pyramid file, for progress: the pixels of every level times a typical
 * compressed size per sample (JPEG tiles ~1.3 bits per sample at quality 90; deflate ~half).
 */
function expectedBytes(levels: readonly LevelSize[], context: OpenContext): number {
  const pixels = levels.reduce((sum, l) => sum + l.width * l.height, 0)
  const { info, output } = context
  if (output.kind === 'band') return pixels * BYTES_PER_SAMPLE[output.sampleType] * 0.6
  return info.hasAlpha ? pixels * 4 * 0.5 : pixels * 3 * 0.16
}
