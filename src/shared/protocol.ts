/**
 * The contract between a renderer and a TextureService, whatever carries it (Electron IPC or a
 * WebSocket). Three kinds of traffic, as in VS Code's IPC:
 * - calls: a request with an `id` that gets exactly one reply (`reply` or `reply-error`);
 * - notifications: fire-and-forget (tile requests and obsolescence cancellations, sent per frame),
 *   those of one task sent together as one message (`NotifyBatch`);
 * - events from the service: progress, tile failures, errors, rasters opened by the host, and
 *   tiles, which travel as binary frames (see `tileFrame.ts`), never as JSON.
 * Calls and notifications are defined once, in `calls.ts`, and events in `events.ts` (both
 * re-exported here); incoming messages are validated once, at the boundary (`validate.ts`): by the
 * service, and by the renderer for events; inner code trusts these types.
 */
import type { CallResults, TileEncoding } from './calls'
import type { ErrorInfo } from './errors'
import type { EventMessage } from './events'
import type { SampleType } from './raster'

export type {
  CallMessage,
  CallName,
  CallResults,
  ClientMessage,
  NotifyBatch,
  NotifyMessage,
  OpenedRaster,
  SchedulingMode,
  ServiceStats,
  TileEncoding,
  TileRequest
} from './calls'
export type { ErrorCode, ErrorInfo } from './errors'
export type { EventMessage, EventName, EventPayload, OpenBatchSlot, ServerEvents } from './events'

// ---- service → renderer (JSON) ----
/** The one reply of a call (`id`): its result, or why it failed. */
export type ReplyMessage = { type: 'reply'; id: number; result: CallResults[keyof CallResults] } | { type: 'reply-error'; id: number; error: ErrorInfo }
/** Everything the service sends as JSON: replies, and the events of `events.ts`. */
export type ServerMessage = ReplyMessage | EventMessage

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
   * own WebP tile (a complete RIFF WebP file); 'png', 'jpeg' or 'webp' also: a web map server's
   * image as it answered it (a PNG may carry alpha). Each decodes to an image whose top-left width ×
   * height pixels are the tile (channels 4, uint8: RGBA8; opaque but for a PNG). 'empty': no
   * payload, every pixel transparent (0, 0, 0, 0): a web tile the server has none of, which went
   * as a 100-byte PNG for the page to decode. Sent only to a client that said
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
