/**
 * Adapts the raster module (`openRaster` and its shared decode pools) to what a TextureService
 * needs: one `RasterOpener`, the tile-worker count for the loader, and shutdown of the pools.
 */
import { closeDefaultPool, getDefaultPools, openRasterLocation } from '../raster'
import type { RasterOpener } from '../service/types'

/** Opens a raster (a path, or an http(s) URL) through the raster module, forwarding pyramid progress, readiness and failure. */
export const rasterOpener: RasterOpener = (path, hooks, version) =>
  openRasterLocation(
    path,
    {
      onProgress: hooks.onProgress,
      onPyramidReady: hooks.onInfo,
      onPyramidError: hooks.onError,
      ...(hooks.onStatistics ? { onStatistics: hooks.onStatistics } : {}),
      ...(hooks.view ? { fitView: hooks.view } : {})
    },
    version
  )

/** Tile workers of the shared decode pool: the loader's maxWorkers (so the pool never reorders). */
export function tileWorkerCount(): number {
  return getDefaultPools().tiles.size
}

/** Closes the shared decode pools. Idempotent. */
export function closeRasterRuntime(): Promise<void> {
  return closeDefaultPool()
}
