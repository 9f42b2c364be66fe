/**
 * The API that src/preload/index.ts exposes as `window.tessera` (contextBridge copies every value,
 * so no pixel bytes go through it: tiles and events arrive on a MessagePort that the preload hands
 * to the page with `window.postMessage({ type: 'tessera:port' }, '*', [port])`).
 * Shared by the preload (tsconfig.node.json) and the renderer's bridge (tsconfig.web.json).
 */
import type { MenuCommand } from '../shared/ipcChannels'
import type { CallMessage, NotifyBatch, OpenedRaster, ReplyMessage } from '../shared/protocol'

/** Data of the window message that carries the service's port. */
export interface PortMessageData {
  type: 'tessera:port'
}

export interface TesseraPreloadApi {
  /** Sends a call and resolves with its reply (`reply` or `reply-error`). */
  call(message: CallMessage): Promise<ReplyMessage>
  /** Sends the notifications of one task (`request`, `cancel-obsolete`…): one, or several in order. */
  notify(batch: NotifyBatch): void
  /**
   * Asks main for a fresh service port; the preload posts it to the page as a window message
   * whose data is `PortMessageData`. A new port replaces the service of the previous one.
   */
  connect(): Promise<void>
  /** The file system path of a dropped or picked File (webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string
  /** Shows the native Open dialog; resolves with the rasters opened (also pushed as raster-opened). */
  showOpenDialog(): Promise<OpenedRaster[]>
  /** Calls `listener` with each command of the application menu for the page (File > Open URL…: 'open-url'). */
  onMenuCommand(listener: (command: MenuCommand) => void): void
}

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload. */
    tessera?: TesseraPreloadApi
  }
}
