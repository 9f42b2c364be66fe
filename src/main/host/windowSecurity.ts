/**
 * The hardening of the app's windows: sandboxed, isolated renderer with no Node, no webview, and
 * no navigation or new windows away from the app's own page.
 */
import type { TrustedOrigin } from '../transport/senderCheck'
import { isTrustedSender } from '../transport/senderCheck'

/** webPreferences of every Tessera window. */
export function secureWebPreferences(preloadPath: string): {
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  webviewTag: false
  webSecurity: true
  allowRunningInsecureContent: false
  spellcheck: false
} {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false
  }
}

/** The parts of webContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

/** Denies navigation away from the app's page, new windows and webviews. */
export function guardWebContents(contents: GuardedContents, trusted: TrustedOrigin): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedSender({ url }, trusted)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}
