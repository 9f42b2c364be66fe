/**
 * The one entry for opening what a person names: a file's path (`openRaster`) or a URL
 * (`openRemoteRaster`, which refuses every scheme but http: and https:). Text written as a URL is
 * never taken for a path.
 */
import type { FileVersion } from './fileVersion'
import type { OpenOptions } from './options'
import { openRaster } from './openRaster'
import { openRemoteRaster } from './openRemoteRaster'
import { urlSchemeOf } from './rasterUrl'
import type { RasterSource } from './types'

/** Opens the raster at `location`, a path or a URL; rejects as `openRaster` and `openRemoteRaster` do. */
export function openRasterLocation(location: string, options: OpenOptions = {}, version?: FileVersion): Promise<RasterSource> {
  return urlSchemeOf(location) === null ? openRaster(location, options, version) : openRemoteRaster(location, options, version)
}
