/** A WebSocket for bridge tests: opened by hand, keeping the text it was given to send. */
import type { WebSocketLike } from '../../src/renderer/bridge/WebSocketBridge'
import type { TileEncoding } from '../../src/shared/protocol'

export class FakeSocket implements WebSocketLike {
  binaryType = ''
  readyState = 0
  bufferedAmount = 0
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  readonly sent: string[] = []
  constructor(readonly decodes?: readonly TileEncoding[]) {}
  send(data: string | ArrayBufferView | ArrayBuffer): void {
    if (typeof data === 'string') this.sent.push(data)
  }
  close(): void {}
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
}
