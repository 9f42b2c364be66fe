/**
 * Which frames may talk to the main process: only the app's own page. Checked on every IPC
 * message (VS Code's main refuses an unknown sender and says which channel and why).
 */

/** Where the app's page comes from: the built index.html (file://) or, in development, the dev server. */
export interface TrustedOrigin {
  /** file:// URL of out/renderer/index.html. */
  fileUrl?: string
  /** http(s) origin of the electron-vite dev server (ELECTRON_RENDERER_URL). */
  devServerUrl?: string
}

/** The frame fields the check needs (Electron's WebFrameMain; null when the frame is gone). */
export interface SenderFrameLike {
  url: string
}

/** True when `frame` shows the app's own page (query and hash ignored). */
export function isTrustedSender(frame: SenderFrameLike | null | undefined, trusted: TrustedOrigin): boolean {
  if (!frame || typeof frame.url !== 'string') return false
  let url: URL
  try {
    url = new URL(frame.url)
  } catch {
    return false
  }
  if (trusted.devServerUrl) {
    try {
      if (url.origin === new URL(trusted.devServerUrl).origin && url.origin !== 'null') return true
    } catch {
      // an unparsable dev server URL trusts nothing
    }
  }
  if (trusted.fileUrl && url.protocol === 'file:') {
    const expected = new URL(trusted.fileUrl)
    const path = decodedPath(url)
    return path !== null && url.host === expected.host && path === decodedPath(expected)
  }
  return false
}

/**
 * The URL's path with its escapes decoded, or null when an escape is malformed (`%ZZ`, a cut
 * UTF-8 sequence): such a frame is simply not the app's page. decodeURIComponent throws a bare
 * "URI malformed" there, which would escape the check (an uncaught exception in an `ipcMain.on`
 * listener, an unclear rejection in a handler) instead of refusing the sender.
 */
function decodedPath(url: URL): string | null {
  try {
    return decodeURIComponent(url.pathname)
  } catch {
    return null
  }
}

/** The error an untrusted sender gets: names the channel, the sender and why. */
export function untrustedSenderError(channel: string, frame: SenderFrameLike | null | undefined): Error {
  const where = frame ? frame.url : 'a destroyed frame'
  return new Error(`Refused ${channel} from ${where}: only the Tessera page may call the main process`)
}
