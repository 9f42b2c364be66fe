/**
 * The raster-source contract of the main process (issue 3). `openRaster` picks a strategy per
 * file (DESIGN.md §3); every strategy serves tiles through the same interface.
 */
import type { TileEncoding } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'

export type { RasterInfo } from '../../shared/raster'

/** Decoded pixels of one tile: RGBA8 rows, or the bands of the source in its own sample type (RasterInfo.tileKind). */
export interface DecodedTile {
  width: number
  height: number
  channels: number
  data: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array
}

/**
 * A tile as its file stores it, sent as it is to a client that decodes it (`TileHeader.encoding`):
 * `bytes` is a complete stream whose decoded image's top-left width × height pixels are the tile
 * (RGBA8 once decoded, opaque).
 */
export interface EncodedTile {
  encoding: TileEncoding
  width: number
  height: number
  bytes: Uint8Array
}

/** What a tile load gives: pixels, or the stored tile for a client that accepts its encoding. */
export type LoadedTile = DecodedTile | EncodedTile

export function isEncodedTile(tile: LoadedTile): tile is EncodedTile {
  return 'encoding' in tile
}

export interface RasterSource {
  readonly info: RasterInfo
  /**
   * Pixels of tile (col, row) at `level`: [col·tileSize, (col+1)·tileSize) × [row·tileSize, …) of
   * levels[level], edge tiles smaller. Rejects with an Error naming the file for a tile outside the
   * pyramid or a decode failure; rejects with an AbortError when `signal` aborts.
   */
  readTile(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile>
  /**
   * Like `readTile`, but a level whose tiles are stored in one of `accept` (decided at open) may
   * answer with the stored tile; every other tile is `readTile`'s. Absent: `readTile` serves all.
   */
  readTileAs?(level: number, col: number, row: number, accept: ReadonlySet<TileEncoding>, signal?: AbortSignal): Promise<LoadedTile>
  /**
   * Starts fetching the bytes tile (level, col, row) will be decoded from, while its load waits for
   * its turn (a raster read from a server: the tiles scheduled together are fetched together), until
   * `signal` aborts (its request withdrawn, or its load ended). Absent where nothing is fetched (a
   * file on disk). Never throws; decodes keep the loader's order.
   */
  prefetch?(level: number, col: number, row: number, signal: AbortSignal, urgency?: { priority: number; rank: number }): void
  /** Releases everything the source holds (cache handles, in-flight builds). Idempotent. */
  close(): Promise<void>
}
