/** Which strategy serves a file (DESIGN.md §3), and what the strategies share while opening. */
import type { DecodePool } from './decodePools'
import type { PixelOutput, ProbeResult } from './decode/jobs'
import type { RasterStrategy } from '../../shared/raster'
import { CannotOpenError } from '../../shared/errors'
import type { FileVersion } from './fileVersion'
import type { OpenOptions, defaultOpenOptions } from './options'
import type { RasterInfo } from './types'

/** What a strategy needs to open a file. */
export interface OpenContext {
  path: string
  /** The version of the file being opened (taken before the probe): readers of the file itself refuse any other. */
  version: FileVersion
  probe: ProbeResult
  info: RasterInfo
  output: PixelOutput
  pool: DecodePool
  backgroundPool: DecodePool
  /**
   * Set by a strategy whose own background decode (an in-place overview) is queued later than the
   * open: the whole-raster statistics wait for it, so that they queue behind it (`finalStatistics.ts`).
   */
  backgroundQueued?: Promise<void>
  options: Required<Pick<OpenOptions, 'cacheDir'>> & { -readonly [K in keyof typeof defaultOpenOptions]: number } & OpenOptions
}

/**
 * A tiled TIFF is read in place (an EXIF-style orientation would make tiles non-addressable, so an
 * oriented one is converted like any other file); other files are kept in memory when small, and
 * given a built pyramid otherwise. Non-tiled files above `maxPixels` are refused.
 */
export function chooseStrategy(probe: ProbeResult, path: string, maxPixels: number, memoryMaxPixels: number): RasterStrategy {
  if (probe.format === 'tiff' && probe.images[0]?.tiled && probe.orientation === 1) return 'tiled'
  const pixels = probe.width * probe.height
  if (probe.decoder === 'geotiff' && pixels > memoryMaxPixels) {
    // libvips cannot build its pyramid (it does not read these samples or codecs as GDAL does).
    throw new CannotOpenError(
      path,
      `it is ${formatPixels(pixels)} stored in strips too tall to read in place and above the ${formatPixels(memoryMaxPixels)} decoded in memory; convert it to a tiled GeoTIFF (gdal_translate -co TILED=YES)`
    )
  }
  if (pixels > maxPixels) {
    throw new Error(
      `Image ${path} is ${probe.width}×${probe.height} = ${formatPixels(pixels)}, above the limit of ${formatPixels(maxPixels)} for non-tiled images`
    )
  }
  return pixels <= memoryMaxPixels ? 'memory' : 'pyramid'
}

/** "10 gigapixels", "1 gigapixel", "268 megapixels", "1000 pixels". */
export function formatPixels(pixels: number): string {
  const [value, unit] = pixels >= 1e9 ? [pixels / 1e9, 'gigapixel'] : pixels >= 1e6 ? [pixels / 1e6, 'megapixel'] : [pixels, 'pixel']
  const shown = Number(value.toPrecision(3))
  return `${shown} ${unit}${shown === 1 ? '' : 's'}`
}
