/**
 * The bridge of the Electron app: calls and notifications go through the preload's small API
 * (`window.tessera`); tiles and events arrive on a MessagePort that the preload posts to the page,
 * so no pixel bytes cross contextBridge. A tile arrives as the message's binary payload. The port is
 * handed to the tile worker when there is one: it unpacks the tiles off the main thread.
 */
import type { TesseraPreloadApi } from '../../preload/api'
import type { CallMessage, NotifyBatch, OpenedRaster, ReplyMessage } from '../../shared/protocol'
import { TesseraError, messageOf } from '../../shared/errors'
import { BridgeBase } from './BridgeBase'
import type { UploadProgress } from './types'
import type { FromTileWorker, ToTileWorker } from './tileWorkerProtocol'
import { startTileWorker } from './WorkerSocket'

export class PreloadBridge extends BridgeBase {
  readonly kind = 'electron' as const
  private port: MessagePort | null = null
  private worker: Worker | null = null
  private readonly onWindowMessage = (event: MessageEvent): void => {
    if (event.source !== window || (event.data as { type?: unknown } | null)?.type !== 'tessera:port') return
    const port = event.ports[0]
    if (!port) return
    this.port?.close()
    this.worker?.terminate()
    this.port = null
    this.worker = null
    if (this.useWorker) {
      // The port moves to the tile worker: tiles are unpacked there and arrive here ready to upload.
      const worker = startTileWorker()
      worker.onmessage = (message: MessageEvent<FromTileWorker>) => this.fromWorker(message.data)
      worker.postMessage({ kind: 'port', port } satisfies ToTileWorker, [port])
      this.worker = worker
    } else {
      this.port = port
      port.onmessage = (message: MessageEvent) => this.receive(message.data)
      port.start()
    }
    this.emit('connection', 'open')
  }

  constructor(
    private readonly api: TesseraPreloadApi,
    private readonly useWorker = false
  ) {
    super()
    window.addEventListener('message', this.onWindowMessage)
    void api.connect().catch((error: unknown) => {
      this.emitError({ code: 'internal', message: `Could not connect to the main process: ${messageOf(error)}` })
    })
  }

  async openFile(file: File, onProgress?: (progress: UploadProgress) => void): Promise<OpenedRaster> {
    const path = this.api.pathForFile(file)
    if (!path) throw new TesseraError('not-allowed', `Expected a file from disk for ${file.name} but it has no path`)
    onProgress?.({ name: file.name, sentBytes: file.size, totalBytes: file.size })
    return this.openPath(path, file.name)
  }

  showOpenDialog(): Promise<OpenedRaster[]> {
    return this.api.showOpenDialog()
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    window.removeEventListener('message', this.onWindowMessage)
    this.port?.close()
    this.port = null
    this.worker?.terminate()
    this.worker = null
    this.clearListeners()
  }

  protected sendCall(message: CallMessage): Promise<ReplyMessage> {
    return this.api.call(message)
  }

  protected sendNotifications(batch: NotifyBatch): void {
    this.api.notify(batch)
  }

  private fromWorker(message: FromTileWorker): void {
    if (message.kind === 'tile') this.dispatchReceived({ received: 'tile', tile: message.tile, encoding: message.encoding, wireBytes: message.wireBytes })
    else if (message.kind === 'bad-frame') this.dispatchReceived({ received: 'bad-frame', message: message.message, ...(message.tile ? { tile: message.tile } : {}) })
    else if (message.kind === 'event') this.receive(message.data)
  }

  private receive(data: unknown): void {
    if (data instanceof Uint8Array || data instanceof ArrayBuffer) this.dispatchTile(data)
    else this.dispatch(data)
  }
}
