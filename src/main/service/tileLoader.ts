/**
 * The process-wide tile loader (the seed's global loader): every window's and connection's tiles
 * in one order, started only when a worker of the shared tile pool is free, so that the order of
 * the loader is the order of decoding. Each TextureService is one client of it.
 */
import { AsyncImageLoader } from '../loader/AsyncImageLoader'
import { getGlobalLoader } from '../loader/globalLoader'
import { sharedTileSlots, tilePoolSize } from '../pool/defaultPool'
import type { LoadedTile } from '../raster/types'

/** The process-wide tile loader, created and started on first call; `stopGlobalLoader()` stops it. */
export function sharedTileLoader(): AsyncImageLoader<LoadedTile> {
  return getGlobalLoader<LoadedTile>({ maxWorkers: tilePoolSize(), slots: sharedTileSlots })
}
