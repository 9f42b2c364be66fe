/**
 * The bridge keeps the service's events that come before the renderer listens (it connects before
 * the viewer is built): a command-line file that fails at start must still reach the error list.
 */
import { describe, expect, it } from 'vitest'
import { BridgeBase } from '../../src/renderer/bridge/BridgeBase'
import type { CallMessage, ErrorInfo, OpenedRaster, ServerMessage } from '../../src/shared/protocol'

/** A bridge whose service messages the test hands in directly. */
class TestBridge extends BridgeBase {
  readonly kind = 'websocket' as const
  receive(message: ServerMessage): void {
    this.dispatch(message)
  }
  protected sendCall(_message: CallMessage): Promise<ServerMessage> {
    return Promise.reject(new Error('no service in this test'))
  }
  protected sendNotify(): void {}
  openFile(): Promise<OpenedRaster> {
    return Promise.reject(new Error('no service in this test'))
  }
  dispose(): void {
    this.clearListeners()
  }
}

const directoryError: ErrorInfo = { code: 'open-failed', message: 'Cannot open /data/scans: it is a directory, not an image file' }

describe('BridgeBase errors before anyone listens', () => {
  it('hands errors that came before the first listener to it, once, in order', async () => {
    const bridge = new TestBridge()
    const second: ErrorInfo = { code: 'open-failed', message: 'Cannot open /data/loop.png: symbolic link loop' }
    bridge.receive({ type: 'error', error: directoryError })
    bridge.receive({ type: 'error', error: second })
    const heard: ErrorInfo[] = []
    bridge.onError((error) => heard.push(error))
    await Promise.resolve()
    expect(heard).toEqual([directoryError, second])
    const later: ErrorInfo[] = []
    bridge.onError((error) => later.push(error))
    await Promise.resolve()
    expect(later).toEqual([])
  })

  it('hands errors to the listeners at once when there are some', () => {
    const bridge = new TestBridge()
    const heard: ErrorInfo[] = []
    bridge.onError((error) => heard.push(error))
    bridge.receive({ type: 'error', error: directoryError })
    expect(heard).toEqual([directoryError])
  })

  it('names the raster an error is about, before and after the first listener', async () => {
    const bridge = new TestBridge()
    const changed: ErrorInfo = { code: 'file-changed', message: '/data/a.tif changed on disk and can no longer be read: truncated' }
    bridge.receive({ type: 'error', error: changed, rasterId: 'r3' })
    const heard: Array<[ErrorInfo, string | undefined]> = []
    bridge.onError((error, rasterId) => heard.push([error, rasterId]))
    await Promise.resolve()
    bridge.receive({ type: 'error', error: directoryError })
    expect(heard).toEqual([
      [changed, 'r3'],
      [directoryError, undefined]
    ])
  })
})
