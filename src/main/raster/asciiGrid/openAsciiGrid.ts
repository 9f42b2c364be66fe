/**
 * Opening an ESRI ASCII grid (`.asc`, GDAL's AAIGrid): text is not randomly addressable, so the
 * grid is read once, in a worker, into a tiled pyramidal TIFF in the pyramid cache (keyed like a
 * built pyramid: the file's path, size and modification time), and served from it exactly, as a
 * tiled TIFF, then and on every later open while the file is unchanged.
 *
 * A large grid opens at once with a quick overview sampled across the file (`probeGrid.ts`), and
 * the full read follows in the background lane with progress, as strategy 'pyramid' does
 * (`onProgress`, `onPyramidReady`, `onPyramidError`). A small one (under READ_WHOLE_FIRST_BYTES),
 * or one whose rows wrap over several lines, is read whole before it opens: a malformed body is
 * then refused at open, naming the line.
 */
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { CannotOpenError, messageOf } from '../../../shared/errors'
import type { BandStatistics, LevelSize } from '../../../shared/raster'
import { pyramidLevels } from '../../../shared/tiles'
import type { DecodePool } from '../decodePools'
import type { AsciiGridProbe, PixelOutput, ProbeResult } from '../decode/jobs'
import type { FileVersion } from '../fileVersion'
import { type SourceStamp, cachePaths, ensureCacheDir, invalidateCache, isCacheValid, writeManifest } from '../pyramidCache'
import { Raster } from '../Raster'
import { RegionReader, SharedReader, regionSourceOf } from '../readers'
import type { OpenContext } from '../strategy'
import type { RasterInfo } from '../types'
import { looksLikeAsciiGrid } from '../decode/asciiGrid/header'

/**
 * Grids of fewer bytes are read whole before they open (a 2000 × 2000 Float32 grid is ~30 MB of
 * text; 8 MB is about a million values, read in well under a second): exact at once, and a
 * malformed body is refused at open.
 */
export const READ_WHOLE_FIRST_BYTES = 8 * 1024 * 1024
/** Longest side of the quick overview: 313 sampled rows of a 10000² grid, about 3 % of its text (500 of a 2000² grid). */
export const QUICK_OVERVIEW_MAX_SIDE = 512

/** What opening a grid needs (openRaster's context, before any probe). */
export interface AsciiGridOpen {
  path: string
  fileSize: number
  version: FileVersion
  stamp: SourceStamp
  pool: DecodePool
  backgroundPool: DecodePool
  options: OpenContext['options']
}

/** True when the file starts as GDAL's AAIGrid driver recognises a grid (one of its header keys). */
export async function isAsciiGrid(path: string): Promise<boolean> {
  const head = Buffer.alloc(32)
  try {
    const handle = await open(path, 'r')
    try {
      await handle.read(head, 0, head.length, 0)
    } finally {
      await handle.close()
    }
  } catch {
    return false
  }
  return looksLikeAsciiGrid(head)
}

/** Opens the grid (see the module's comment); rejects with a CannotOpenError naming the file and, for a malformed grid, the line. */
export async function openAsciiGrid(grid: AsciiGridOpen): Promise<Raster> {
  const { path, options, stamp } = grid
  const refuse = (error: Error): never => {
    throw error instanceof CannotOpenError ? error : new CannotOpenError(path, messageOf(error))
  }
  const unwritable = await ensureCacheDir(options.cacheDir).then(
    () => null,
    (error: unknown) => error
  )
  const probeJob = (headerOnly: boolean): Promise<AsciiGridProbe> =>
    grid.pool
      .run<AsciiGridProbe>({
        kind: 'ascii-grid-probe',
        path,
        tileSize: options.tileSize,
        overviewMaxSide: Math.min(options.overviewMaxSide, QUICK_OVERVIEW_MAX_SIDE),
        overviewMinBytes: options.asciiGridReadWholeBelow ?? READ_WHOLE_FIRST_BYTES,
        headerOnly
      })
      .catch(refuse)
  if (await isCacheValid(options.cacheDir, stamp)) {
    // The header and side-cars still come from the file (a .prj may have changed); the values from the cache.
    const header = await probeJob(true)
    const cached = await cachedRaster(grid, header).catch(() => null)
    if (cached) return cached
  }
  const probe = await probeJob(false)
  if (unwritable) throw new CannotOpenError(path, `an ASCII grid is read into the cache at ${options.cacheDir}, which is not writable (${messageOf(unwritable)})`)
  await invalidateCache(options.cacheDir, stamp)
  const build = (signal?: AbortSignal, onProgress?: (fraction: number) => void): Promise<{ sampleType: 'int32' | 'float32' }> =>
    grid.backgroundPool.run(
      { kind: 'ascii-grid-build', path, outPath: cachePaths(options.cacheDir, path, options.tileSize).pyramid, tileSize: options.tileSize, sampleType: probe.sampleType },
      { signal, terminateOnAbort: true, ...(onProgress ? { onProgress } : {}) }
    )
  if (!probe.overview) {
    await build().catch(refuse)
    await recordBuilt(grid)
    return cachedRaster(grid, probe).catch(refuse)
  }
  return openWhileReading(grid, probe, build)
}

/** The raster served from the quick overview at once; the full read replaces it when done. */
function openWhileReading(
  grid: AsciiGridOpen,
  probe: AsciiGridProbe,
  build: (signal: AbortSignal, onProgress: (fraction: number) => void) => Promise<{ sampleType: 'int32' | 'float32' }>
): Raster {
  const { path, options } = grid
  const info = gridInfo(grid, probe, probe.sampleType, probe.statistics)
  const output = outputOf(probe.sampleType)
  const raster = new Raster(info, path, new SharedReader(info.levels, info.tileSize, probe.overview!, probe.overviewLevel, grid.pool, output))
  const reading = new AbortController()
  raster.onClose(() => reading.abort())
  raster.checkFile(grid.version)
  void (async () => {
    try {
      const built = await build(reading.signal, (fraction) => !raster.isClosed && options.onProgress?.(fraction))
      await recordBuilt(grid)
      if (built.sampleType !== probe.sampleType) {
        throw new Error(`it holds decimal values the first part of the file did not show: it was read as Float32, open it again to see them`)
      }
      const cached = await cachedSource(grid, probe)
      if (raster.isClosed) return
      raster.useReader(cached.reader)
      info.bandInfo = cached.info.bandInfo
      info.statistics = cached.info.statistics
      info.pyramidReady = true
      options.onPyramidReady?.(info)
    } catch (error) {
      if (raster.isClosed || reading.signal.aborted) return
      options.onPyramidError?.(new Error(`Cannot read ${path} whole: ${messageOf(error)}; only its quick overview is shown`))
    }
  })()
  return raster
}

/** Marks the cache as built from the version of the file opened; refuses when the file changed meanwhile. */
async function recordBuilt(grid: AsciiGridOpen): Promise<void> {
  if (!(await grid.version.unchanged())) throw new CannotOpenError(grid.path, 'it changed while it was being read; open it again')
  await writeManifest(grid.options.cacheDir, grid.stamp)
}

/** The grid served from its cache. */
async function cachedRaster(grid: AsciiGridOpen, probe: AsciiGridProbe): Promise<Raster> {
  const { info, reader } = await cachedSource(grid, probe)
  const raster = new Raster(info, grid.path, reader)
  raster.checkFile(grid.version)
  return raster
}

/** The cache's reader, and the grid's info with its type and statistics as the cache holds them. */
async function cachedSource(grid: AsciiGridOpen, probe: AsciiGridProbe): Promise<{ info: RasterInfo; reader: RegionReader }> {
  const { pyramid } = cachePaths(grid.options.cacheDir, grid.path, grid.options.tileSize)
  const cache = await grid.pool.run<ProbeResult>({ kind: 'probe', path: pyramid })
  if (cache.width !== probe.width || cache.height !== probe.height || (cache.sampleType !== 'int32' && cache.sampleType !== 'float32')) {
    throw new Error(`the cached grid ${pyramid} is ${cache.width}×${cache.height} ${cache.sampleType}, expected ${probe.width}×${probe.height}`)
  }
  const info = gridInfo(grid, probe, cache.sampleType, cache.bandInfo[0]?.statistics ?? null)
  info.pyramidReady = true
  const reader = new RegionReader(regionSourceOf(pyramid, cache, outputOf(cache.sampleType)), info.levels, info.tileSize, grid.pool)
  return { info, reader }
}

function outputOf(sampleType: 'int32' | 'float32'): PixelOutput {
  return { kind: 'bands', sampleType, bands: 1, mask: false }
}

function gridInfo(grid: AsciiGridOpen, probe: AsciiGridProbe, sampleType: 'int32' | 'float32', statistics: BandStatistics | null): RasterInfo {
  const levels: LevelSize[] = pyramidLevels(probe.width, probe.height, grid.options.tileSize)
  return {
    name: basename(grid.path),
    format: 'aaigrid',
    fileSize: grid.fileSize,
    width: probe.width,
    height: probe.height,
    tileSize: grid.options.tileSize,
    levels,
    bands: 1,
    sampleType,
    hasAlpha: false,
    bandInfo: [{ colorInterpretation: 'undefined', statistics }],
    noData: probe.noData,
    hasMask: false,
    displayBands: [0],
    tileKind: 'bands',
    tileMask: false,
    tileChannels: 1,
    tileSampleType: sampleType,
    statistics,
    georeference: probe.georeference,
    warnings: probe.warnings,
    strategy: 'pyramid',
    pyramidReady: false
  }
}
