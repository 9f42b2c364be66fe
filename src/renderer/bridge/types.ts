/**
 * The one interface through which the renderer talks to its TextureService. Two implementations:
 * the preload API (Electron) and a WebSocket (`npm run serve`); the rest of the renderer never
 * knows which (`createBridge()` in ./index.ts picks).
 */
import type { OpenedRaster, SchedulingMode, ServerEvents, ServiceStats, TileMessage, TileRequest } from '../../shared/protocol'
import type { ServiceCalls } from '../../shared/calls'

/** Returned by every subscription; call to unsubscribe. Idempotent. */
export type Disposable = () => void

/**
 * Everything a bridge's listeners hear, by name: every event of the service (`events.ts`, its
 * payload being the message without its `type`), and two of the bridge's own:
 * - 'tile': a tile received (`TileMessage`);
 * - 'connection': the connection opened or closed (WebSocket reconnects; Electron is always 'open').
 *
 * 'raster-opened' (a raster the host opened: command line, File menu, with its `batch` place
 * among files given together) and 'error' (of the service or of the bridge itself: a bad frame, a
 * malformed message; with `rasterId` when it is about a raster, with `batch` when a file the host
 * opened with others failed) that come before anyone listens are handed to the first listener.
 */
export type BridgeEvents = ServerEvents & {
  tile: TileMessage
  connection: 'open' | 'closed'
}

/** The name of an event a bridge's listeners may hear. */
export type BridgeEventName = keyof BridgeEvents

export interface UploadProgress {
  name: string
  sentBytes: number
  totalBytes: number
}

export interface TesseraBridge {
  /** 'electron' or 'websocket', for diagnostics only. */
  readonly kind: 'electron' | 'websocket'
  /** Tiles received so far, their bytes on the wire, and how many of them came compressed (diagnostics, bench). */
  readonly wire: { readonly tiles: number; readonly bytes: number; readonly compressed: number; readonly inWorker: number }
  /** Every call of the protocol (`calls.ts`), one method each; the methods below name the common ones. */
  readonly calls: ServiceCalls
  /** Opens a file the host may read (a dropped file's path in Electron, a path given to `serve`). */
  /** Opens a host path; `name` is how a failure names the file (a dropped file's own name), else the path. */
  openPath(path: string, name?: string): Promise<OpenedRaster>
  /**
   * Opens a file the user dropped or picked. Electron resolves its path (webUtils.getPathForFile);
   * the browser uploads its bytes in chunks, reporting progress.
   */
  openFile(file: File, onProgress?: (progress: UploadProgress) => void): Promise<OpenedRaster>
  /** Asks the host to show its native Open dialog (Electron); resolves with what was opened. */
  showOpenDialog?(): Promise<OpenedRaster[]>
  close(rasterId: string): Promise<void>
  /** Notification: ask for tiles (one batch per frame). */
  requestTiles(rasterId: string, tiles: TileRequest[]): void
  /** Notification: cancel every pending/active tile of the raster whose key is not in `keepKeys`. */
  cancelObsolete(rasterId: string, keepKeys: Iterable<string>): void
  /** Notification: a remote layer's backlog, whose bytes the host fetches ahead (replacing the last set). */
  prefetch?(rasterId: string, tiles: TileRequest[]): void
  stats(): Promise<ServiceStats>
  /** 'fifo' switches the service's prioritisation and cancellation off (benchmark baseline). */
  configure(scheduling: SchedulingMode): Promise<void>

  /**
   * Listens to one event (`BridgeEvents`): `bridge.on('tile-failed', ({ rasterId, key, error }) => …)`.
   * A listener that throws does not stop the others; the returned Disposable unsubscribes.
   */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void): Disposable
  dispose(): void
}
