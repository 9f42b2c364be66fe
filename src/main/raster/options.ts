/** Options of `openRaster`, with their defaults stated once. */
import type { DecodePool } from './decodePools'
import type { RasterInfo } from './types'

export interface OpenOptions {
  /** Tile lane; default the shared pool (`getDefaultPools().tiles`). */
  pool?: DecodePool
  /** Lane for pyramid builds, apart from the tiles; default the shared background pool. */
  backgroundPool?: DecodePool
  /** Where built pyramids are kept; default `defaultCacheDir()` (TESSERA_CACHE_DIR overrides it). */
  cacheDir?: string
  /** Edge of a tile; default 256. */
  tileSize?: number
  /** Largest non-tiled image opened, in pixels; default 1 gigapixel. Tiled TIFFs have no limit. */
  maxPixels?: number
  /**
   * Non-tiled images up to this many pixels are decoded once and kept in memory; default 25
   * megapixels (`defaultOpenOptions.memoryMaxPixels` says why).
   */
  memoryMaxPixels?: number
  /** Longest side of the overview shown while a pyramid is built; default 2048. */
  overviewMaxSide?: number
  /**
   * The view the raster opens in (CSS pixels of the viewer): a camera JPEG kept in memory then
   * decodes first only the overview its fit view shows (`quickOverviewSide`), not 2048 px; the
   * full decode follows. Absent: `overviewMaxSide`.
   */
  fitView?: { width: number; height: number }
  /**
   * When the full decode of an in-memory raster whose overview opened first starts
   * (`DeferredStart`); default `DEFERRED_START_DEFAULTS`. Tests set it to start at once or never.
   */
  deferFullDecode?: { quietMs?: number; latestMs?: number }
  /** ESRI ASCII grids of fewer bytes are read whole before they open, larger ones show a quick overview first; default 8 MB (`asciiGrid/openAsciiGrid.ts`). */
  asciiGridReadWholeBelow?: number
  /** Progress (0…1) of the background pyramid build; not called when a cached pyramid is reused. */
  onProgress?: (fraction: number) => void
  /**
   * Called once the built pyramid serves tiles (`info.pyramidReady` is then true), or once the exact
   * overview of a raster read in place serves the coarse tiles its quick overview served: either
   * way, tiles already served are to be asked again.
   */
  onPyramidReady?: (info: RasterInfo) => void
  /** Called when the build fails; tiles keep coming from the overview. */
  onPyramidError?: (error: Error) => void
  /**
   * Called once with the info when the whole-raster statistics of a value raster that opened with
   * provisional ones are in (`finalStatistics.ts`); never after the raster is closed.
   */
  onStatistics?: (info: RasterInfo) => void
}

export const defaultOpenOptions = {
  tileSize: 256,
  maxPixels: 1_000_000_000,
  /**
   * 25 Mpx: 4096² (16.8 Mpx) and 6000×4000 (24 Mpx) cameras are decoded once in memory. Measured by
   * bench/drop/threshold.ts (photo-like JPEGs, fresh process each, medians of 3, on a shared
   * 2-core machine at load 11–17, 2026-11-28), memory vs pyramid, ms to every tile of a fit view
   * being exact: 16.8 Mpx 1,172 vs 6,393; 24 Mpx 2,174 vs 4,054; 36 Mpx 1,028 vs 4,451; peak RSS
   * 448 vs 299, 580 vs 297, 750 vs 376 MB. The pyramid strategy shows its shrink-on-load
   * overview first (0.2–2 s) but is exact only once the pyramid is built and the tiles are read
   * again; the memory strategy is exact at once, 2–5× sooner, for about 150–370 MB more at the
   * peak. Above 25 Mpx the memory held (4 bytes a pixel, ×4/3 for the levels, per file; files are
   * often dropped several at once) weighs more than the wait: the pyramid path keeps RSS flat.
   */
  memoryMaxPixels: 25_000_000,
  overviewMaxSide: 2048
} as const
