/**
 * The contract between a renderer and a TextureService, whatever carries it (Electron IPC or a
 * WebSocket). Three kinds of traffic, as in VS Code's IPC:
 * - calls: a request with an `id` that gets exactly one reply (`reply` or `reply-error`);
 * - notifications: fire-and-forget (tile requests and obsolescence cancellations, sent per frame);
 * - events from the service: progress, tile failures, errors, rasters opened by the host, and
 *   tiles, which travel as binary frames (see `tileFrame.ts`), never as JSON.
 * Incoming messages are validated once, at the boundary (`validate.ts`); inner code trusts these types.
 */
import type { ImageLoadPriority } from './priority'
import type { RasterInfo, SampleType } from './raster'

/** One tile wanted by the renderer. `rank` orders within a priority (lower first), e.g. distance to the view centre. */
export interface TileRequest {
  level: number
  col: number
  row: number
  priority: ImageLoadPriority
  rank?: number
}

/** How the service schedules: 'priority' is the product; 'fifo' switches prioritisation and cancellation off (benchmark baseline). */
export type SchedulingMode = 'priority' | 'fifo'

// ---- calls (renderer → service, one reply each) ----
export type CallMessage =
  | { type: 'open'; id: number; path: string }
  | { type: 'upload-begin'; id: number; name: string; size: number }
  | { type: 'upload-end'; id: number; uploadId: string }
  | { type: 'close'; id: number; rasterId: string }
  | { type: 'stats'; id: number }
  | { type: 'configure'; id: number; scheduling: SchedulingMode }

// ---- notifications (renderer → service, no reply) ----
export type NotifyMessage =
  | { type: 'request'; rasterId: string; tiles: TileRequest[] }
  | { type: 'cancel-obsolete'; rasterId: string; keep: string[] }

export type ClientMessage = CallMessage | NotifyMessage

/** The result each call resolves to. */
export interface CallResults {
  open: OpenedRaster
  'upload-begin': { uploadId: string }
  'upload-end': OpenedRaster
  close: Record<string, never>
  stats: ServiceStats
  configure: Record<string, never>
}

export interface OpenedRaster {
  rasterId: string
  info: RasterInfo
}

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

/** Counters of one service (one window or connection), on demand. */
export interface ServiceStats {
  /** Tile loads scheduled and neither started nor ended. */
  pending: number
  /** Tile loads running. */
  active: number
  /** Tiles decoded and sent. */
  done: number
  cancelled: number
  failed: number
  tilesSent: number
  bytesSent: number
  openRasters: number
}

/** An error as it crosses the boundary: a stable code for programs, a message for people. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
}

export type ErrorCode =
  | 'bad-message' // malformed or unknown message
  | 'unknown-raster'
  | 'out-of-range' // tile outside the pyramid
  | 'not-allowed' // path not opened by the user
  | 'open-failed' // file missing, unreadable, not an image, too large…
  | 'decode-failed'
  | 'overloaded' // per-connection cap reached; least urgent requests dropped (a tile-failed with it may be asked for again)
  | 'file-changed' // an open file changed on disk and its new content cannot be read
  | 'file-deleted' // an open file was deleted or moved away
  | 'internal'

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
}

/** A tile as the renderer receives it: header plus pixel bytes (RGBA8 rows, or one band in its sample type). */
export interface TileMessage {
  header: TileHeader
  data: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | Int8Array
}
