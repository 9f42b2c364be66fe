/**
 * `createBridge()`: the one way the renderer reaches its TextureService. Electron's preload API
 * when the page runs in the app (`window.tessera`), else a WebSocket to the `npm run serve` host
 * that served the page (its token read from the page's own `?token=`).
 */
import { PreloadBridge } from './PreloadBridge'
import { WebSocketBridge, webSocketUrlForPage } from './WebSocketBridge'
import type { TesseraBridge } from './types'

/** The bridge for this page. */
export function createBridge(): TesseraBridge {
  if (window.tessera) return new PreloadBridge(window.tessera)
  return new WebSocketBridge({ url: webSocketUrlForPage(window.location) })
}

export { PreloadBridge } from './PreloadBridge'
export { WebSocketBridge, webSocketUrlForPage } from './WebSocketBridge'
export type { WebSocketBridgeOptions, WebSocketLike } from './WebSocketBridge'
export type * from './types'
