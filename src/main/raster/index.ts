/**
 * Raster sources: turn "tile (level, col, row) of this file" into pixels, decoding in the worker
 * pool. Safe to import from the Electron main process and from a plain Node host.
 */
export { openRaster } from './openRaster'
export { openRasterLocation } from './openLocation'
export { isHttpUrl, urlSchemeOf } from './rasterUrl'
export { defaultOpenOptions } from './options'
export type { OpenOptions } from './options'
export { defaultCacheDir } from './pyramidCache'
export { closeDefaultPool } from '../pool/defaultPool'
export { getDefaultPools } from './decodePools'
export type { DecodedTile, RasterInfo, RasterSource } from './types'
