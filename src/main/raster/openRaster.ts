/**
 * `openRaster`: probe a file in a worker, choose its strategy, and return the RasterSource that
 * serves its tiles. Nothing here decodes on the calling thread.
 */
import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { pyramidLevels } from '../../shared/tiles'
import { getDefaultPools } from '../pool/defaultPool'
import type { PixelOutput, ProbeResult, SharedLevel } from '../pool/jobs'
import { valueOutput } from './decode/probe'
import { type OpenOptions, defaultOpenOptions } from './options'
import { defaultCacheDir } from './pyramidCache'
import { openPyramid } from './pyramidSource'
import { Raster } from './Raster'
import { RegionReader, SharedReader, levelImages } from './readers'
import { type OpenContext, chooseStrategy } from './strategy'
import type { RasterInfo, RasterSource } from './types'

/**
 * Opens the raster at `path`. Rejects with an Error naming the file when it is missing, not an
 * image, or a non-tiled image above `maxPixels`. A large non-tiled file resolves at once with an
 * overview; its pyramid follows (`onProgress`, `onPyramidReady`).
 */
export async function openRaster(path: string, options: OpenOptions = {}): Promise<RasterSource> {
  const absolute = resolve(path)
  const file = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EACCES' ? 'permission denied' : error.message
    throw new Error(`Cannot open ${absolute}: ${why}`)
  })
  if (file.isDirectory()) throw new Error(`Cannot open ${absolute}: it is a directory, not an image file`)
  const defaults = options.pool && options.backgroundPool ? null : getDefaultPools()
  const pool = options.pool ?? defaults!.tiles
  const backgroundPool = options.backgroundPool ?? defaults!.background
  // Start every worker now (a no-op once they run): the overview and a pyramid build must not wait for one.
  pool.warm()
  backgroundPool.warm()
  const settings = { ...defaultOpenOptions, cacheDir: defaultCacheDir(), ...definedOnly(options) }

  const probe = await pool.run<ProbeResult>({ kind: 'probe', path: absolute }).catch((error: Error) => {
    const message = error.message
    const unsupported = /unsupported image format|is missing or of an unsupported/i.test(message)
    throw new Error(`Cannot open ${absolute}: ${unsupported ? `not a supported image (${message})` : message}`)
  })
  const strategy = chooseStrategy(probe, absolute, settings.maxPixels, settings.memoryMaxPixels)
  const output: PixelOutput = valueOutput(probe) ?? { kind: 'rgba8' }
  const info = rasterInfo(absolute, file.size, probe, strategy, output, settings.tileSize)
  const context: OpenContext = { path: absolute, probe, info, output, pool, backgroundPool, options: settings }

  switch (strategy) {
    case 'tiled': {
      const reader = new RegionReader(absolute, info.levels, info.tileSize, levelImages(probe.images), output, pool)
      return new Raster(info, absolute, reader)
    }
    case 'memory': {
      const levels = await pool.run<SharedLevel[]>({
        kind: 'decode-shared',
        path: absolute,
        autoOrient: true,
        width: info.width,
        height: info.height,
        levels: info.levels,
        output
      }).catch(nameFile(absolute))
      return new Raster(info, absolute, new SharedReader(info.levels, info.tileSize, levels, 0, pool))
    }
    case 'pyramid': {
      const stamp = { path: absolute, size: file.size, mtimeMs: file.mtimeMs, tileSize: info.tileSize }
      return openPyramid(context, stamp).catch(nameFile(absolute))
    }
  }
}

function rasterInfo(path: string, fileSize: number, probe: ProbeResult, strategy: RasterInfo['strategy'], output: PixelOutput, tileSize: number): RasterInfo {
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
    tileChannels: output.kind === 'rgba8' ? 4 : 1,
    tileSampleType: output.kind === 'rgba8' ? 'uint8' : output.sampleType,
    statistics: output.kind === 'band' ? probe.statistics : null,
    georeference: probe.georeference,
    strategy,
    pyramidReady: strategy !== 'pyramid'
  }
}

/** Rethrows a decode error as "Cannot open <path>: <why>" (an error that names the file already is kept). */
function nameFile(path: string): (error: Error) => never {
  return (error) => {
    throw error.message.includes(path) ? error : new Error(`Cannot open ${path}: ${error.message}`)
  }
}

/** Options without the keys given as undefined, so that they do not hide the defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>
}
