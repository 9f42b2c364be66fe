/**
 * The contract between a renderer and a TextureService, whatever carries it (Electron IPC or a
 * WebSocket). Three kinds of traffic, as in VS Code's IPC:
 * - calls: a request with an `id` that gets exactly one reply (`reply` or `reply-error`);
 * - notifications: fire-and-forget (tile requests and obsolescence cancellations, sent per frame);
 * - events from the service: progress, tile failures, errors, rasters opened by the host, and
 *   tiles, which travel as binary frames (see `tileFrame.ts`), never as JSON.
 * Calls and notifications are defined once, in `calls.ts` (re-exported here); incoming messages
 * are validated once, at the boundary (`validate.ts`); inner code trusts these types.
 */
import type { CallResults, TileEncoding } from './calls'
import type { ErrorInfo } from './errors'
import type { RasterInfo, SampleType } from './raster'

export type {
  CallMessage,
  CallName,
  CallResults,
  ClientMessage,
  NotifyMessage,
  OpenedRaster,
  SchedulingMode,
  ServiceStats,
  TileEncoding,
  TileRequest
} from './calls'
export type { ErrorCode, ErrorInfo } from './errors'

/**
 * Files the host opens together (command line, File > Open with several files, a folder): the
 * place of one of them. The renderer stacks them in the order given, the last on top, whatever the
 * order their opens finish in. `batch` is unique per connection (or window); `index` < `size`.
 */
export interface OpenBatchSlot {
  batch: string
  index: number
  size: number
}

// ---- service → renderer (JSON) ----
export type ServerMessage =
  | { type: 'reply'; id: number; result: CallResults[keyof CallResults] }
  | { type: 'reply-error'; id: number; error: ErrorInfo }
  /** Pyramid build progress, 0…1; 1 ends the phase, whether the pyramid is ready or its build failed (an `error` follows then). */
  | { type: 'progress'; rasterId: string; phase: 'pyramid'; progress: number }
  | { type: 'raster-updated'; rasterId: string; info: RasterInfo }
  /** A raster the host opened (command line, File menu); `batch` when it was given with others. */
  | { type: 'raster-opened'; rasterId: string; info: RasterInfo; batch?: OpenBatchSlot }
  /** A tile that will not come. Code 'overloaded': dropped by the service's cap, not failed — it may be asked for again. */
  | { type: 'tile-failed'; rasterId: string; key: string; error: ErrorInfo }
  /**
   * `rasterId` names the raster the error is about, when it is about one (its file changed or
   * vanished); `batch`, the place of a file the host failed to open among files given together.
   */
  | { type: 'error'; error: ErrorInfo; rasterId?: string; batch?: OpenBatchSlot }

/** Header of a binary tile frame. */
export interface TileHeader {
  rasterId: string
  level: number
  col: number
  row: number
  width: number
  height: number
  channels: number
  sampleType: SampleType
  /**
   * How the payload is written; absent: raw samples (width × height × channels in `sampleType`).
   * 'jpeg': the source's own JPEG tile, tables joined, a complete JPEG stream; 'webp': the source's
   * own WebP tile (a complete RIFF WebP file). Either decodes to an image whose top-left width ×
   * height pixels are the tile (channels 4, uint8: RGBA8, opaque). Sent only to a client that said
   * it decodes it (`tile-encodings`), and only where the host's decode is that same stream (the
   * source's own bytes: nothing is lost that the file had not lost already).
   */
  encoding?: TileEncoding
}


/** A tile as the renderer receives it: header plus pixel bytes (RGBA8 rows, or one band in its sample type). */
export interface TileMessage {
  header: TileHeader
  data: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | Int8Array
}
