/**
 * What a TextureService needs from its surroundings: a sink to send through (the transport) and a
 * way to open rasters. The service knows nothing of Electron or WebSockets.
 */
import type { ServerMessage } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import type { AsyncImageLoader } from '../loader/AsyncImageLoader'
import type { FileVersion } from '../raster/fileVersion'
import type { LoadedTile, RasterSource } from '../raster/types'

/** Where a service sends; implemented by each transport. Both methods must not throw. */
export interface ServiceSink {
  /**
   * One event of `events.ts` (progress, raster-opened, tile-failed, error…), or a call's reply where
   * replies and events share one ordered channel (the WebSocket), as a plain JSON-able object.
   */
  send(message: ServerMessage): void
  /**
   * One binary tile frame, in two parts so that the pixels need not be copied behind the header:
   * the frame is `prefix` followed by `pixels` (`joinTileFrame` makes it one buffer). The
   * transport sends it as one binary message, never JSON.
   */
  sendTile(frame: TileFrameParts): void
  /**
   * How much the transport has taken and not yet written out, for a transport that can say (the
   * WebSocket); without it, tiles are handed over as soon as they are decoded (`SendQueue`).
   */
  flow?: SinkFlow
}

/** Flow control of a transport: the bytes it holds unwritten, and when some were written. */
export interface SinkFlow {
  /** Bytes handed to `sendTile`/`send` and not yet written to the connection. */
  bytesInFlight(): number
  /** Calls `listener` after bytes were written out; returns the unsubscribe. */
  onWritten(listener: () => void): () => void
  /**
   * The bytes the service holds back for this transport (its send queue), told whenever they grow:
   * a transport that bounds what one connection may leave unread counts them too.
   */
  holding(bytes: number): void
}

/** A tile frame (`encodeTileFrame`'s format) as its header prefix (padded to 8 bytes) and its pixel bytes. */
export interface TileFrameParts {
  prefix: Uint8Array
  pixels: Uint8Array
}

/** Progress of a raster's background work, reported by the raster module while it builds. */
export interface RasterHooks {
  /** Pyramid build progress, 0..1. */
  onProgress(progress: number): void
  /** The raster's info changed (e.g. its pyramid is ready). */
  onInfo(info: RasterInfo): void
  /** The background work failed; tiles keep coming from what is available. */
  onError(error: Error): void
  /** The whole-raster statistics of a raster that opened with provisional ones are in (`info.statisticsState` 'final'). */
  onStatistics?(info: RasterInfo): void
  /** The view the raster opens in (CSS pixels of the renderer's viewer), when the renderer said (`view-size`). */
  view?: { width: number; height: number }
}

/**
 * Opens a raster file; rejects with an Error naming the file when it cannot (a CannotOpenError,
 * whose reason the service reads). `version` is the version of the file the service holds it for:
 * the opener's readers check their reads against it (see `FileVersion`).
 */
export type RasterOpener = (path: string, hooks: RasterHooks, version: FileVersion) => Promise<RasterSource>

/** Options of a TextureService; defaults in `TextureService.defaultOptions`. */
export interface TextureServiceOptions {
  sink: ServiceSink
  openRaster: RasterOpener
  /**
   * Tile loads of this connection running at once, at most; default the shared tile pool's size.
   * All connections together never run more than the loader's slots (the pool's free workers).
   */
  maxWorkers?: number
  /** The loader the tiles go through; default the process-wide one (`sharedTileLoader`). */
  loader?: AsyncImageLoader<LoadedTile>
  /** Whether an `open` call may read this server path (hosts call `openHostPath` without this check). */
  mayOpenPath?: (path: string) => boolean
  /** Directory for uploaded files; uploads are refused when null. */
  uploadRoot?: string | null
  /**
   * Most tile loads pending or active per service; beyond, the least urgent pending ones (queued
   * earlier or just asked) are dropped and reported ('overloaded').
   */
  maxPending?: number
  /** Watch the files opened by path, and serve their new content when they change on disk. */
  watchFiles?: boolean
  /** Quiet time after a file's last change event before it is opened again, in milliseconds. */
  fileChangeDebounceMs?: number
  /** Rasters open (or opening) at once on this connection; beyond it `open` is refused ('overloaded'). */
  maxOpenRasters?: number
}
