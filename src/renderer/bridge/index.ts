/**
 * `createBridge()`: the one way the renderer reaches its TextureService. Electron's preload API
 * when the page runs in the app (`window.tessera`), else a WebSocket to the `npm run serve` host
 * that served the page (its token read from the page's own `?token=`).
 */
import { PreloadBridge } from './PreloadBridge'
import { WebSocketBridge, webSocketUrlForPage } from './WebSocketBridge'
import type { TesseraBridge } from './types'
import { WorkerSocket } from './WorkerSocket'

/**
 * The bridge for this page. Tiles are received in the tile worker (`tileSocket.worker.ts`), and a
 * JPEG source's own tiles come compressed, unless the page has no workers or its URL says
 * `?tileWorker=0` (tiles read on the main thread, raw) or `?compressedTiles=0` (raw, in the worker):
 * the bench's baselines.
 */
export function createBridge(): TesseraBridge {
  const query = new URLSearchParams(window.location.search)
  const useWorker = typeof Worker !== 'undefined' && query.get('tileWorker') !== '0'
  if (window.tessera) return new PreloadBridge(window.tessera, useWorker)
  const url = webSocketUrlForPage(window.location)
  if (!useWorker) return new WebSocketBridge({ url })
  return new WebSocketBridge({ url, createSocket: (u) => new WorkerSocket(u), compressedTiles: query.get('compressedTiles') !== '0' })
}

export { PreloadBridge } from './PreloadBridge'
export { WebSocketBridge, webSocketUrlForPage } from './WebSocketBridge'
export type { WebSocketBridgeOptions, WebSocketLike } from './WebSocketBridge'
export type * from './types'
