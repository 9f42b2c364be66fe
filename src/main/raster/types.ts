/**
 * The raster-source contract of the main process (issue 3). `openRaster` picks a strategy per
 * file (DESIGN.md §3); every strategy serves tiles through the same interface.
 */
import type { RasterInfo } from '../../shared/raster'

export type { RasterInfo } from '../../shared/raster'

/** Decoded pixels of one tile: RGBA8 rows, or the bands of the source in its own sample type (RasterInfo.tileKind). */
export interface DecodedTile {
  width: number
  height: number
  channels: number
  data: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array
}

export interface RasterSource {
  readonly info: RasterInfo
  /**
   * Pixels of tile (col, row) at `level`: [col·tileSize, (col+1)·tileSize) × [row·tileSize, …) of
   * levels[level], edge tiles smaller. Rejects with an Error naming the file for a tile outside the
   * pyramid or a decode failure; rejects with an AbortError when `signal` aborts.
   */
  readTile(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile>
  /** Releases everything the source holds (cache handles, in-flight builds). Idempotent. */
  close(): Promise<void>
}
