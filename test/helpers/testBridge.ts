/** A bridge with no service behind it: the test hands in the service's messages and tile frames itself. */
import { BridgeBase } from '../../src/renderer/bridge/BridgeBase'
import type { CallMessage, OpenedRaster, ReplyMessage } from '../../src/shared/protocol'

export class TestBridge extends BridgeBase {
  readonly kind = 'websocket' as const
  /** One message as the service sent it (not a reply), checked and dispatched as a transport's would be. */
  receive(message: unknown): void {
    this.dispatch(message)
  }
  /** One binary tile frame. */
  receiveTile(bytes: Uint8Array): void {
    this.dispatchTile(bytes)
  }
  /** Says the connection opened or closed, as a transport does. */
  connection(state: 'open' | 'closed'): void {
    this.emit('connection', state)
  }
  protected sendCall(_message: CallMessage): Promise<ReplyMessage> {
    return Promise.reject(new Error('no service in this test'))
  }
  protected sendNotifications(): void {}
  openFile(): Promise<OpenedRaster> {
    return Promise.reject(new Error('no service in this test'))
  }
  dispose(): void {
    this.clearListeners()
  }
}
