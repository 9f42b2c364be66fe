/**
 * `openRaster`: probe a file in a worker, choose its strategy, and return the RasterSource that
 * serves its tiles. Nothing here decodes on the calling thread.
 */
import type { Stats } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { CannotOpenError } from '../../shared/errors'
import type { LevelSize, PaletteEntry } from '../../shared/raster'
import { pyramidLevels } from '../../shared/tiles'
import { getDefaultPools } from './decodePools'
import { isAsciiGrid, openAsciiGrid } from './asciiGrid/openAsciiGrid'
import type { PixelOutput, ProbeResult, SharedLevel } from './decode/jobs'
import { type OpenOptions, defaultOpenOptions } from './options'
import { stampOf } from './fileStamp'
import { FileVersion } from './fileVersion'
import { defaultCacheDir } from './pyramidCache'
import { openPyramid } from './pyramidSource'
import { inPlaceOverviewLevel, inPlaceOverviewReader } from './inPlaceOverview'
import { quickOverviewLevel } from './quickOverview'
import { FineWhenReadyReader } from './whenReady'
import { DEFERRED_START_DEFAULTS, DeferredStart } from './deferredStart'
import { Raster } from './Raster'
import { jpegPassthroughLevels } from './jpegPassthrough'
import { RegionReader, SharedReader, regionSourceOf } from './readers'
import { type OpenContext, chooseStrategy } from './strategy'
import { claimRefusalOf } from './claimedSize'
import { followWithFinalStatistics } from './finalStatistics'
import { sniffedReasonOf } from './sniffFile'
import type { RasterInfo, RasterSource } from './types'

/**
 * libvips names causes in its own terms ("vipspng: libpng read error", "tiff2vips: tile size out
 * of range"): say what they mean for the person who opened the file, keeping libvips' words after
 * it for whoever reports the problem.
 */
export function plainCause(message: string): string {
  const detail = message.replace(/[\s:]+$/, '')
  if (/truncated or damaged/.test(message)) return detail // already ours, and plain
  if (/XML parse error/i.test(message)) {
    return /Entity '[^']*' not defined/i.test(message)
      ? `its XML uses an entity that is not defined here (external entities are never loaded) (${detail})`
      : `its XML is not well-formed (${detail})`
  }
  if (/read error|premature end|unexpected end|truncated|Not a JPEG|bad seek|short read|out of data/i.test(message)) {
    return `it is truncated or damaged (${detail})`
  }
  if (/corrupt header|out of range|bad dimensions|invalid/i.test(message)) return `its header is damaged or invalid (${detail})`
  return detail
}

/**
 * Opens the raster at `path`. Rejects with an Error naming the file when it is missing, not an
 * image, or a non-tiled image above `maxPixels`. A large non-tiled file resolves at once with an
 * overview; its pyramid follows (`onProgress`, `onPyramidReady`). `version` is the version of the file the caller holds it for (its
 * service's, taken before this open): the readers of the file itself check their reads against it,
 * and it learns when the file changed. Without one, the version is the file's when this call looks.
 */
export async function openRaster(path: string, options: OpenOptions = {}, version?: FileVersion): Promise<RasterSource> {
  const absolute = resolve(path)
  const cannotOpen = (error: NodeJS.ErrnoException): never => {
    throw new CannotOpenError(absolute, fileErrorCause(error))
  }
  const file = await stat(absolute).catch(cannotOpen)
  if (file.isDirectory()) throw new CannotOpenError(absolute, 'it is a directory, not an image file')
  if (!file.isFile()) throw new CannotOpenError(absolute, 'it is not a regular file (a device, pipe or socket)')
  // sharp reports an unreadable file as "unsupported format": try to open it first, to name the real cause.
  await open(absolute, 'r').then((handle) => handle.close(), cannotOpen)
  if (file.size === 0) throw new CannotOpenError(absolute, 'the file is empty (0 bytes)')
  const defaults = options.pool && options.backgroundPool ? null : getDefaultPools()
  const pool = options.pool ?? defaults!.tiles
  const backgroundPool = options.backgroundPool ?? defaults!.background
  // Start every worker now (a no-op once they run): the overview and a pyramid build must not wait for one.
  pool.warm()
  backgroundPool.warm()
  const settings = { ...defaultOpenOptions, cacheDir: defaultCacheDir(), ...definedOnly(options) }
  if (await isAsciiGrid(absolute)) {
    // Text, read once into a tiled cache (asciiGrid/): no probe of libvips or geotiff.js reads it.
    const gridVersion = version ?? new FileVersion(absolute, stampOf(file))
    const served = gridVersion.stamp ?? stampOf(file)
    const stamp = { path: absolute, size: served.size, mtimeMs: served.mtimeMs, tileSize: settings.tileSize }
    return openAsciiGrid({ path: absolute, fileSize: file.size, version: gridVersion, stamp, pool, backgroundPool, options: settings })
  }
  // A size beyond the limits is refused from the header, before anything decodes it (issue 22).
  const claimRefused = await claimRefusalOf(absolute, file.size, settings.maxPixels)
  if (claimRefused) throw new CannotOpenError(absolute, claimRefused)

  const probe = await pool.run<ProbeResult>({ kind: 'probe', path: absolute }).catch(async (error: Error) => {
    const message = error.message
    const unsupported = /unsupported image format|is missing or of an unsupported/i.test(message)
    if (!unsupported) throw new CannotOpenError(absolute, plainCause(message))
    const looksLike = await signatureFormat(absolute)
    const why = looksLike ? `it starts like a ${looksLike} file but cannot be read: it is truncated or damaged (${message})` : ((await sniffedReasonOf(absolute)) ?? `not a supported image (${message})`)
    throw new CannotOpenError(absolute, why)
  })
  const strategy = chooseStrategy(probe, absolute, settings.maxPixels, settings.memoryMaxPixels)
  const output: PixelOutput = probe.output
  const info = rasterInfo(absolute, file.size, probe, strategy, output, settings.tileSize)
  // Taken before the probe: a change while opening fails the first tile, not silently.
  const fileVersion = version ?? new FileVersion(absolute, stampOf(file))
  const context: OpenContext = { path: absolute, version: fileVersion, probe, info, output, pool, backgroundPool, options: settings }
  const raster = await openWithStrategy(context, strategy, file)
  // Queued after what the strategy started in the background (an overview serving the first tiles).
  followWithFinalStatistics(raster, context, settings.onStatistics)
  return raster
}

/** The source of `context`'s file by its strategy: read in place, decoded in memory, or a pyramid. */
async function openWithStrategy(context: OpenContext, strategy: RasterInfo['strategy'], file: Stats): Promise<Raster> {
  const { path: absolute, version: fileVersion, probe, info, output, pool, backgroundPool, options: settings } = context
  switch (strategy) {
    case 'tiled': {
      const source = regionSourceOf(absolute, probe, output)
      // Levels whose stored JPEG tiles are Tessera's tiles: sent as stored to clients that decode JPEG.
      const jpegLevels = jpegPassthroughLevels({ ...probe, levels: info.levels, tileSize: info.tileSize, autoOrient: source.autoOrient })
      const reader = new RegionReader(source, info.levels, info.tileSize, pool, fileVersion, jpegLevels)
      const first = inPlaceOverviewLevel(context)
      if (first < 0) {
        const raster = new Raster(info, absolute, reader)
        raster.checkFile(fileVersion)
        return raster
      }
      // Its coarse levels from an overview decoded once in the background (the file has none that
      // serves them), a quick one first for short strips; the renderer asks their tiles again when the exact one replaces it.
      const build = new AbortController()
      let raster: Raster | null = null
      const replaced = (): void => void (raster && !raster.isClosed && settings.onPyramidReady?.(info))
      raster = new Raster(info, absolute, inPlaceOverviewReader(context, reader, first, build.signal, replaced))
      raster.onClose(() => build.abort())
      raster.checkFile(fileVersion)
      return raster
    }
    case 'memory': {
      const mask = probe.masks.find((m) => m.width === probe.images[0]?.width && m.height === probe.images[0]?.height)?.selector ?? null
      const decode = (levels: LevelSize[], lane: typeof pool): Promise<SharedLevel[]> =>
        lane.run<SharedLevel[]>({
          kind: 'decode-shared',
          path: absolute,
          autoOrient: true,
          width: info.width,
          height: info.height,
          levels,
          output,
          decoder: probe.decoder,
          mask,
          layout: probe.layout,
          reduce: probe.reduce,
          tolerant: probe.tolerant
        })
      const first = quickOverviewLevel(context)
      if (first <= 0) {
        const levels = await decode(info.levels, pool).catch(nameFile(absolute))
        return new Raster(info, absolute, new SharedReader(info.levels, info.tileSize, levels, 0, pool, output))
      }
      // A format that shrinks on load (a camera JPEG): its overview is decoded first, in a fraction of
      // the whole decode, and serves the coarse levels at once (and for good: tiles of one level never
      // mix two decodes); the full decode of the finer levels follows in the background lane.
      const overview = await decode(info.levels.slice(first), pool).catch(nameFile(absolute))
      // The full decode starts once the overview's tiles are out, or when a fine tile is wanted
      // (DeferredStart says why): it no longer competes with them for the cores.
      let startFull!: () => void
      let cancelFull!: (error: Error) => void
      const full = new Promise<SharedLevel[]>((resolve, reject) => {
        startFull = () => decode(info.levels.slice(0, first), backgroundPool).then(resolve, reject)
        cancelFull = reject
      })
      full.catch(() => {}) // its failure fails the fine tiles that wait for it, naming the file
      const start = new DeferredStart(startFull, { pool, ...DEFERRED_START_DEFAULTS, ...settings.deferFullDecode })
      const coarse = new SharedReader(info.levels, info.tileSize, overview, first, pool, output)
      const fine = full.then((levels) => new SharedReader(info.levels, info.tileSize, levels, 0, pool, output))
      const raster = new Raster(info, absolute, new FineWhenReadyReader(coarse, first, fine, start))
      raster.onClose(() => {
        if (!start.settled) cancelFull(new Error(`${basename(absolute)} was closed before its full decode started`))
        start.cancel()
      })
      return raster
    }
    case 'pyramid': {
      // The cache is keyed by the version served (its stamp; the stat above when it has none).
      const served = fileVersion.stamp ?? stampOf(file)
      const stamp = { path: absolute, size: served.size, mtimeMs: served.mtimeMs, tileSize: info.tileSize }
      // Its tiles come from a pyramid or an overview of the file as it was (stale, not mixed, once it
      // changes: the service's watch reopens it), or from the file itself, checked like a tiled file.
      const raster = await openPyramid(context, stamp).catch(nameFile(absolute))
      raster.checkFile(fileVersion)
      return raster
    }
  }
}

/** The info of a probed raster (its name the last part of `path`), before its strategy adds to it. */
export function rasterInfo(path: string, fileSize: number, probe: ProbeResult, strategy: RasterInfo['strategy'], output: PixelOutput, tileSize: number): RasterInfo {
  return {
    name: basename(path),
    format: probe.format,
    fileSize,
    width: probe.width,
    height: probe.height,
    tileSize,
    levels: pyramidLevels(probe.width, probe.height, tileSize),
    bands: probe.bands,
    sampleType: probe.sampleType,
    hasAlpha: probe.hasAlpha,
    bandInfo: probe.bandInfo,
    noData: probe.noData,
    hasMask: probe.hasMask,
    displayBands: probe.displayBands,
    tileKind: output.kind,
    tileMask: output.kind === 'bands' && output.mask,
    tileChannels: output.kind === 'rgba8' ? 4 : output.bands + (output.mask ? 1 : 0),
    tileSampleType: output.kind === 'rgba8' ? 'uint8' : output.sampleType,
    statistics: probe.bandInfo[probe.displayBands[0]]?.statistics ?? null,
    statisticsState: probe.statisticsState,
    georeference: probe.georeference,
    ...(probe.compression ? { compression: probe.compression } : {}),
    warnings: probe.warnings,
    strategy,
    pyramidReady: strategy !== 'pyramid',
    ...paletteOf(probe, output),
    ...(probe.classNames ? { classNames: probe.classNames } : {})
  }
}

/**
 * A paletted raster's colour table ('bands' tiles of the class index): each 16-bit TIFF colour-map
 * entry to 8 bits as GDAL reads it (a GDAL-written map is value × 257), opaque.
 */
function paletteOf(probe: ProbeResult, output: PixelOutput): Pick<RasterInfo, 'palette'> {
  const map = probe.layout.colorMap
  if (output.kind !== 'bands' || !map || probe.bandInfo[0]?.colorInterpretation !== 'palette') return {}
  const entries = map.length / 3
  const palette = Array.from({ length: entries }, (_, i): PaletteEntry => [Math.round(map[i]! / 257), Math.round(map[entries + i]! / 257), Math.round(map[2 * entries + i]! / 257), 255])
  return { palette }
}

/** The cause of a file-system error, in words. */
function fileErrorCause(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ELOOP':
      return 'symbolic link loop (too many levels of symbolic links)'
    case 'ENOTDIR':
      return 'a part of the path is not a directory'
    default:
      return error.message
  }
}

/** The format the first bytes of a file announce (PNG, JPEG, GIF, TIFF, WebP), or null. */
async function signatureFormat(path: string): Promise<string | null> {
  const head = Buffer.alloc(12)
  try {
    const handle = await open(path, 'r')
    try {
      await handle.read(head, 0, 12, 0)
    } finally {
      await handle.close()
    }
  } catch {
    return null
  }
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'PNG'
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'JPEG'
  if (head.toString('latin1', 0, 4) === 'GIF8') return 'GIF'
  const tiff = head.toString('latin1', 0, 4)
  if (tiff === 'II*\0' || tiff === 'MM\0*' || tiff === 'II+\0' || tiff === 'MM\0+') return 'TIFF'
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'WebP'
  return null
}

/** Rethrows a decode error as a CannotOpenError (one that is already, or whose message names the file, is kept). */
function nameFile(path: string): (error: Error) => never {
  return (error) => {
    throw error instanceof CannotOpenError || error.message.includes(path) ? error : new CannotOpenError(path, plainCause(error.message))
  }
}

/** Options without the keys given as undefined, so that they do not hide the defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>
}
