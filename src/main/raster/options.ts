/** Options of `openRaster`, with their defaults stated once. */
import type { WorkerPool } from '../pool/WorkerPool'
import type { RasterInfo } from './types'

export interface OpenOptions {
  /** Tile lane; default the shared pool (`getDefaultPools().tiles`). */
  pool?: WorkerPool
  /** Lane for pyramid builds, apart from the tiles; default the shared background pool. */
  backgroundPool?: WorkerPool
  /** Where built pyramids are kept; default `defaultCacheDir()` (TESSERA_CACHE_DIR overrides it). */
  cacheDir?: string
  /** Edge of a tile; default 256. */
  tileSize?: number
  /** Largest non-tiled image opened, in pixels; default 1 gigapixel. Tiled TIFFs have no limit. */
  maxPixels?: number
  /** Non-tiled images up to this many pixels are decoded once and kept in memory; default 16 megapixels. */
  memoryMaxPixels?: number
  /** Longest side of the overview shown while a pyramid is built; default 2048. */
  overviewMaxSide?: number
  /** Progress (0…1) of the background pyramid build; not called when a cached pyramid is reused. */
  onProgress?: (fraction: number) => void
  /** Called once the built pyramid serves tiles; `info.pyramidReady` is then true. */
  onPyramidReady?: (info: RasterInfo) => void
  /** Called when the build fails; tiles keep coming from the overview. */
  onPyramidError?: (error: Error) => void
}

export const defaultOpenOptions = {
  tileSize: 256,
  maxPixels: 1_000_000_000,
  memoryMaxPixels: 16_000_000,
  overviewMaxSide: 2048
} as const
