/**
 * What both bridge implementations share: the listeners of every event, the dispatch of the
 * service's messages and tile frames to them, and the calls, proxied from their one definition
 * (`calls.ts`). Subclasses only carry bytes.
 */
import { type CallName, type NotifyName, type ServiceCalls, type ServiceNotifications, proxyService } from '../../shared/calls'
import { TesseraError } from '../../shared/errors'
import { decodeTileFrame } from '../../shared/tileFrame'
import type {
  CallMessage,
  ErrorInfo,
  NotifyMessage,
  OpenBatchSlot,
  OpenedRaster,
  SchedulingMode,
  ServerMessage,
  ServiceStats,
  TileMessage,
  TileRequest
} from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import { Listeners } from './listeners'
import type { Disposable, TesseraBridge, UploadProgress } from './types'
import type { BadFrame, ReceivedTile } from './WorkerSocket'

export abstract class BridgeBase implements TesseraBridge {
  abstract readonly kind: 'electron' | 'websocket'

  protected readonly tileListeners = new Listeners<[TileMessage]>()
  protected readonly progressListeners = new Listeners<[string, number]>()
  protected readonly updatedListeners = new Listeners<[string, RasterInfo]>()
  protected readonly openedListeners = new Listeners<[OpenedRaster, OpenBatchSlot | undefined]>()
  protected readonly openFailedListeners = new Listeners<[OpenBatchSlot]>()
  protected readonly tileFailedListeners = new Listeners<[string, string, ErrorInfo]>()
  protected readonly errorListeners = new Listeners<[ErrorInfo, string | undefined]>()
  protected readonly connectionListeners = new Listeners<['open' | 'closed']>()
  /** raster-opened events that came before anyone listened (command-line files at start). */
  private readonly unheardOpened: Array<[OpenedRaster, OpenBatchSlot | undefined]> = []
  /** Places of files the host failed to open that came before anyone listened. */
  private readonly unheardOpenFailures: OpenBatchSlot[] = []
  /** Errors that came before anyone listened (a command-line file that fails at start): a person must still see them. */
  private readonly unheardErrors: Array<[ErrorInfo, string | undefined]> = []
  /** Tiles received and their bytes on the wire (diagnostics, bench): of them, `compressed` came compressed, `inWorker` were unpacked in the tile worker. */
  readonly wire = { tiles: 0, bytes: 0, compressed: 0, inWorker: 0 }
  protected nextCallId = 1
  protected disposed = false
  private readonly proxy = proxyService(
    (type, params) => this.call(type, params),
    (type, params) => this.notify(type, params)
  )
  /** Every call of the protocol, one method per call (`calls.ts`): resolves with its result, rejects with a TesseraError carrying the service's code. */
  readonly calls: ServiceCalls = this.proxy.calls
  /** Every notification of the protocol (dropped once disposed). */
  protected readonly notifications: ServiceNotifications = this.proxy.notifications

  /** Sends one call and resolves with its reply message. */
  protected abstract sendCall(message: CallMessage): Promise<ServerMessage>
  protected abstract sendNotify(message: NotifyMessage): void

  abstract openFile(file: File, onProgress?: (progress: UploadProgress) => void): Promise<OpenedRaster>
  abstract dispose(): void

  /** Numbers a call, sends it and resolves with its result; rejects with a TesseraError carrying the service's code. */
  private async call(type: CallName, params: object): Promise<unknown> {
    if (this.disposed) throw new TesseraError('internal', 'The bridge is disposed')
    const reply = await this.sendCall({ type, ...params, id: this.nextCallId++ } as CallMessage)
    if (reply.type === 'reply-error') throw new TesseraError(reply.error.code, reply.error.message)
    if (reply.type !== 'reply') throw new TesseraError('internal', `Expected a reply but received a ${reply.type} message`)
    return reply.result
  }

  private notify(type: NotifyName, params: object): void {
    if (!this.disposed) this.sendNotify({ type, ...params } as NotifyMessage)
  }

  /** Routes one service message (not a reply) to its listeners. */
  protected dispatch(message: ServerMessage): void {
    switch (message.type) {
      case 'progress':
        return this.progressListeners.emit(message.rasterId, message.progress)
      case 'raster-updated':
        return this.updatedListeners.emit(message.rasterId, message.info)
      case 'raster-opened': {
        const opened = { rasterId: message.rasterId, info: message.info }
        if (this.openedListeners.size === 0) this.unheardOpened.push([opened, message.batch])
        else this.openedListeners.emit(opened, message.batch)
        return
      }
      case 'tile-failed':
        return this.tileFailedListeners.emit(message.rasterId, message.key, message.error)
      case 'error':
        if (message.batch) {
          if (this.openFailedListeners.size === 0) this.unheardOpenFailures.push(message.batch)
          else this.openFailedListeners.emit(message.batch)
        }
        return this.emitError(message.error, message.rasterId)
      default:
        return
    }
  }

  /** Decodes one binary tile frame and hands it to the tile listeners; a bad frame becomes an error event. */
  protected dispatchTile(bytes: ArrayBuffer | Uint8Array): void {
    let tile: TileMessage
    try {
      tile = decodeTileFrame(bytes)
      this.wire.tiles++
      this.wire.bytes += bytes.byteLength
    } catch (error) {
      this.emitError({ code: 'bad-message', message: error instanceof Error ? error.message : String(error) })
      return
    }
    this.tileListeners.emit(tile)
  }

  /** Hands on a tile the tile worker unpacked (or the reason it could not), counting how it travelled. */
  protected dispatchReceived(received: ReceivedTile | BadFrame): void {
    if (received.received === 'bad-frame') {
      this.emitError({ code: 'bad-message', message: received.message })
      return
    }
    this.wire.tiles++
    this.wire.inWorker++
    this.wire.bytes += received.wireBytes
    if (received.encoding !== 'raw') this.wire.compressed++
    this.tileListeners.emit(received.tile)
  }

  /** Hands an error to the error listeners, or keeps it for the first one when there is none yet. */
  protected emitError(error: ErrorInfo, rasterId?: string): void {
    if (this.errorListeners.size === 0) this.unheardErrors.push([error, rasterId])
    else this.errorListeners.emit(error, rasterId)
  }

  // The renderer's names for the calls it makes most (the `calls` proxy has every one).
  openPath(path: string): Promise<OpenedRaster> {
    return this.calls.open({ path })
  }

  async close(rasterId: string): Promise<void> {
    await this.calls.close({ rasterId })
  }

  requestTiles(rasterId: string, tiles: TileRequest[]): void {
    if (tiles.length > 0) this.notifications.request({ rasterId, tiles })
  }

  cancelObsolete(rasterId: string, keepKeys: Iterable<string>): void {
    this.notifications['cancel-obsolete']({ rasterId, keep: [...keepKeys] })
  }

  stats(): Promise<ServiceStats> {
    return this.calls.stats({})
  }

  async configure(scheduling: SchedulingMode): Promise<void> {
    await this.calls.configure({ scheduling })
  }

  onTile(listener: (tile: TileMessage) => void): Disposable {
    return this.tileListeners.add(listener)
  }

  onProgress(listener: (rasterId: string, progress: number) => void): Disposable {
    return this.progressListeners.add(listener)
  }

  onRasterUpdated(listener: (rasterId: string, info: RasterInfo) => void): Disposable {
    return this.updatedListeners.add(listener)
  }

  onRasterOpened(listener: (opened: OpenedRaster, batch?: OpenBatchSlot) => void): Disposable {
    const dispose = this.openedListeners.add(listener)
    const unheard = this.unheardOpened.splice(0)
    if (unheard.length > 0) queueMicrotask(() => unheard.forEach(([opened, batch]) => this.openedListeners.emit(opened, batch)))
    return dispose
  }

  onOpenFailed(listener: (batch: OpenBatchSlot) => void): Disposable {
    const dispose = this.openFailedListeners.add(listener)
    const unheard = this.unheardOpenFailures.splice(0)
    if (unheard.length > 0) queueMicrotask(() => unheard.forEach((batch) => this.openFailedListeners.emit(batch)))
    return dispose
  }

  onTileFailed(listener: (rasterId: string, key: string, error: ErrorInfo) => void): Disposable {
    return this.tileFailedListeners.add(listener)
  }

  onError(listener: (error: ErrorInfo, rasterId?: string) => void): Disposable {
    const dispose = this.errorListeners.add(listener)
    const unheard = this.unheardErrors.splice(0)
    if (unheard.length > 0) queueMicrotask(() => unheard.forEach(([error, rasterId]) => this.errorListeners.emit(error, rasterId)))
    return dispose
  }

  onConnectionChange(listener: (state: 'open' | 'closed') => void): Disposable {
    return this.connectionListeners.add(listener)
  }

  /** Drops every listener. */
  protected clearListeners(): void {
    for (const l of [
      this.tileListeners,
      this.progressListeners,
      this.updatedListeners,
      this.openedListeners,
      this.openFailedListeners,
      this.tileFailedListeners,
      this.errorListeners,
      this.connectionListeners
    ]) {
      l.clear()
    }
  }
}
