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
 * The bridge for this page. Tiles are received in the tile worker (`tileSocket.worker.ts`) unless
 * the page has no workers or its URL says `?tileWorker=0` (the bench's main-thread baseline).
 */
export function createBridge(): TesseraBridge {
  const useWorker = typeof Worker !== 'undefined' && new URLSearchParams(window.location.search).get('tileWorker') !== '0'
  if (window.tessera) return new PreloadBridge(window.tessera, useWorker)
  const url = webSocketUrlForPage(window.location)
  return new WebSocketBridge(useWorker ? { url, createSocket: (u) => new WorkerSocket(u) } : { url })
}

export { PreloadBridge } from './PreloadBridge'
export { WebSocketBridge, webSocketUrlForPage } from './WebSocketBridge'
export type { WebSocketBridgeOptions, WebSocketLike } from './WebSocketBridge'
export type * from './types'
