/**
 * Messages between the page's main thread and its tile worker (`tileSocket.worker.ts`), which
 * receives the service's messages off the main thread: it owns the WebSocket (browser host) or the
 * service's MessagePort (Electron), unpacks tile frames — decoding compressed ones — and hands the
 * main thread upload-ready tiles whose buffers are transferred, not copied.
 */
import type { TileEncoding, TileMessage } from '../../shared/protocol'

/** Main thread → worker. */
export type ToTileWorker =
  /** Open the WebSocket at `url` (binary frames as ArrayBuffers). */
  | { kind: 'connect'; url: string }
  /** Take the service's MessagePort (Electron): its messages come through the worker. */
  | { kind: 'port'; port: MessagePort }
  /** Send a text or binary frame on the socket (a binary frame's buffer is transferred). */
  | { kind: 'send'; data: string | ArrayBuffer }
  | { kind: 'close' }
  /**
   * Send a file's bytes as upload chunks (`uploadFrame.ts`), read here from the File itself: the
   * page's main thread neither reads nor copies them. `token` names the upload in the replies.
   */
  | { kind: 'upload'; token: number; uploadId: string; file: File; chunkSize: number; maxBufferedAmount: number }

/** Worker → main thread, in the order the service sent them. */
export type FromTileWorker =
  | { kind: 'open' }
  | { kind: 'closed' }
  /** A text frame of the socket, as it came. */
  | { kind: 'text'; data: string }
  /** A message of the Electron port that is not a tile (an event), as it came. */
  | { kind: 'event'; data: unknown }
  /** A tile, unpacked (and decoded when it came compressed): `data` views a transferred buffer. */
  | { kind: 'tile'; tile: TileMessage; encoding: 'raw' | TileEncoding; wireBytes: number }
  /** A frame that could not be read: the reason, and the tile it was when its header was read (its image did not decode). */
  | { kind: 'bad-frame'; message: string; tile?: { rasterId: string; key: string } }
  /** The socket's bufferedAmount after a send (and while it drains). */
  | { kind: 'buffered'; amount: number }
  /** An upload's bytes handed to the socket so far; `done` once every chunk is; `error` if it stopped. */
  | { kind: 'upload-progress'; token: number; sentBytes: number; done: boolean; error?: string }
