/**
 * The bridge keeps the service's events that come before the renderer listens (it connects before
 * the viewer is built): a command-line file that fails at start must still reach the error list.
 */
import { describe, expect, it } from 'vitest'
import type { ErrorInfo } from '../../src/shared/protocol'
import { TestBridge } from '../helpers/testBridge'

const directoryError: ErrorInfo = { code: 'open-failed', message: 'Cannot open /data/scans: it is a directory, not an image file' }

describe('BridgeBase errors before anyone listens', () => {
  it('hands errors that came before the first listener to it, once, in order', async () => {
    const bridge = new TestBridge()
    const second: ErrorInfo = { code: 'open-failed', message: 'Cannot open /data/loop.png: symbolic link loop' }
    bridge.receive({ type: 'error', error: directoryError })
    bridge.receive({ type: 'error', error: second })
    const heard: ErrorInfo[] = []
    bridge.on('error', ({ error }) => heard.push(error))
    await Promise.resolve()
    expect(heard).toEqual([directoryError, second])
    const later: ErrorInfo[] = []
    bridge.on('error', ({ error }) => later.push(error))
    await Promise.resolve()
    expect(later).toEqual([])
  })

  it('hands errors to the listeners at once when there are some', () => {
    const bridge = new TestBridge()
    const heard: ErrorInfo[] = []
    bridge.on('error', ({ error }) => heard.push(error))
    bridge.receive({ type: 'error', error: directoryError })
    expect(heard).toEqual([directoryError])
  })

  it('names the raster an error is about, before and after the first listener', async () => {
    const bridge = new TestBridge()
    const changed: ErrorInfo = { code: 'file-changed', message: '/data/a.tif changed on disk and can no longer be read: truncated' }
    bridge.receive({ type: 'error', error: changed, rasterId: 'r3' })
    const heard: Array<[ErrorInfo, string | undefined]> = []
    bridge.on('error', ({ error, rasterId }) => heard.push([error, rasterId]))
    await Promise.resolve()
    bridge.receive({ type: 'error', error: directoryError })
    expect(heard).toEqual([
      [changed, 'r3'],
      [directoryError, undefined]
    ])
  })
})
