/**
 * The one interface through which the renderer talks to its TextureService. Two implementations:
 * the preload API (Electron) and a WebSocket (`npm run serve`); the rest of the renderer never
 * knows which (`createBridge()` in ./index.ts picks).
 */
import type {
  ErrorInfo,
  OpenBatchSlot,
  OpenedRaster,
  SchedulingMode,
  ServiceStats,
  TileMessage,
  TileRequest
} from '../../shared/protocol'
import type { ServiceCalls } from '../../shared/calls'
import type { RasterInfo } from '../../shared/raster'

/** Returned by every subscription; call to unsubscribe. Idempotent. */
export type Disposable = () => void

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
  openPath(path: string): Promise<OpenedRaster>
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
  stats(): Promise<ServiceStats>
  /** 'fifo' switches the service's prioritisation and cancellation off (benchmark baseline). */
  configure(scheduling: SchedulingMode): Promise<void>

  onTile(listener: (tile: TileMessage) => void): Disposable
  onProgress(listener: (rasterId: string, progress: number) => void): Disposable
  onRasterUpdated(listener: (rasterId: string, info: RasterInfo) => void): Disposable
  /**
   * Rasters opened by the host itself: command line, File menu; `batch` is the place of each among
   * files given together.
   */
  onRasterOpened(listener: (opened: OpenedRaster, batch?: OpenBatchSlot) => void): Disposable
  /** A file the host failed to open among files given together: its place (the error itself goes to `onError`). */
  onOpenFailed(listener: (batch: OpenBatchSlot) => void): Disposable
  onTileFailed(listener: (rasterId: string, key: string, error: ErrorInfo) => void): Disposable
  /**
   * Errors of the service and the connection; those that came before the first listener are handed
   * to it. `rasterId` names the raster an error is about, when it is about one (its file changed or
   * vanished, its pyramid could not be built): no need to look for a layer's name in the message.
   */
  onError(listener: (error: ErrorInfo, rasterId?: string) => void): Disposable
  /** Connection state (WebSocket reconnects; Electron is always 'open'). */
  onConnectionChange(listener: (state: 'open' | 'closed') => void): Disposable
  dispose(): void
}
