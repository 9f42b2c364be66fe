/**
 * What both bridge implementations share: the listeners of every event (`bridge.on`), the dispatch
 * of the service's events — each checked against its one definition (`events.ts`) — and tile
 * frames to them, and the calls, proxied from their one definition (`calls.ts`). Subclasses only
 * carry bytes.
 */
import { type CallName, MESSAGE_LIMITS, type NotifyName, type ServiceCalls, type ServiceNotifications, proxyService } from '../../shared/calls'
import { type ErrorInfo, TesseraError, messageOf, toErrorInfo } from '../../shared/errors'
import { REPLAYED_EVENTS, eventPayload } from '../../shared/events'
import { decodeTileFrame } from '../../shared/tileFrame'
import { validateServerEvent } from '../../shared/validate'
import type {
  CallMessage,
  EventMessage,
  NotifyBatch,
  NotifyMessage,
  OpenedRaster,
  ReplyMessage,
  SchedulingMode,
  ServiceStats,
  TileMessage,
  TileRequest
} from '../../shared/protocol'
import { EventListeners } from './listeners'
import type { BridgeEventName, BridgeEvents, Disposable, TesseraBridge, UploadProgress } from './types'
import type { BadFrame, ReceivedTile } from './WorkerSocket'

export abstract class BridgeBase implements TesseraBridge {
  abstract readonly kind: 'electron' | 'websocket'

  /** The listeners of every event; the service's replayed events (`events.ts`) are kept for the first listener. */
  private readonly listeners = new EventListeners<BridgeEvents>(REPLAYED_EVENTS)
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

  /** Notifications of the current task, sent together when it ends (`NotifyBatch`). */
  private pendingNotifications: NotifyMessage[] = []

  /** Sends one call and resolves with its reply message. */
  protected abstract sendCall(message: CallMessage): Promise<ReplyMessage>
  /** Sends the notifications of one task as one message. */
  protected abstract sendNotifications(batch: NotifyBatch): void

  abstract openFile(file: File, onProgress?: (progress: UploadProgress) => void): Promise<OpenedRaster>
  abstract dispose(): void

  /** Numbers a call, sends it and resolves with its result; rejects with a TesseraError carrying the service's code. */
  private async call(type: CallName, params: object): Promise<unknown> {
    if (this.disposed) throw new TesseraError('internal', 'The bridge is disposed')
    // What was notified before the call reaches the service before it, as it was made.
    this.flushNotifications()
    const reply = await this.sendCall({ type, ...params, id: this.nextCallId++ } as CallMessage)
    if (reply.type === 'reply-error') throw new TesseraError(reply.error.code, reply.error.message)
    if (reply.type !== 'reply') throw new TesseraError('internal', `Expected a reply but received a ${(reply as { type: unknown }).type} message`)
    return reply.result
  }

  /**
   * Notifications wait for the end of the task (a microtask) and go as one message: a frame's
   * cancellations and requests, of every layer, reach the service together. Sent one by one, on
   * a loaded machine the host decoded 9 tiles of a withdrawn view before its cancellation came,
   * and served one layer's requests before another's more urgent ones had arrived.
   */
  private notify(type: NotifyName, params: object): void {
    if (this.disposed) return
    this.pendingNotifications.push({ type, ...params } as NotifyMessage)
    if (this.pendingNotifications.length === 1) queueMicrotask(() => this.flushNotifications())
  }

  private flushNotifications(): void {
    const pending = this.pendingNotifications
    this.pendingNotifications = []
    const most = MESSAGE_LIMITS.maxBatchedNotifications
    // More than a batch holds (hundreds of layers) go as several, in order.
    for (let start = 0; start < pending.length && !this.disposed; start += most) {
      const batch = pending.length <= most ? pending : pending.slice(start, start + most)
      this.sendNotifications(batch.length === 1 ? batch[0]! : batch)
    }
  }

  /**
   * Checks one service message (not a reply) against the events' table and hands its payload to
   * the listeners of its event; a message that does not check out is not dispatched, but becomes a
   * 'bad-message' error event naming what was wrong.
   */
  protected dispatch(value: unknown): void {
    let message: EventMessage
    try {
      message = validateServerEvent(value)
    } catch (error) {
      this.emitError(toErrorInfo(error, 'bad-message'))
      return
    }
    const { type, payload } = eventPayload(message)
    this.emit(type, payload)
  }

  /** Decodes one binary tile frame and hands it to the tile listeners; a bad frame becomes an error event. */
  protected dispatchTile(bytes: ArrayBuffer | Uint8Array): void {
    let tile: TileMessage
    try {
      tile = decodeTileFrame(bytes)
      this.wire.tiles++
      this.wire.bytes += bytes.byteLength
    } catch (error) {
      this.emitError({ code: 'bad-message', message: messageOf(error) })
      return
    }
    this.emit('tile', tile)
  }

  /** Hands on a tile the tile worker unpacked (or the reason it could not), counting how it travelled. */
  protected dispatchReceived(received: ReceivedTile | BadFrame): void {
    if (received.received === 'bad-frame') {
      // A tile whose image does not decode (a server's broken PNG) fails as that tile, as one the
      // host could not read: its layer says so, and the view does not wait for it.
      if (received.tile) this.emit('tile-failed', { ...received.tile, error: { code: 'decode-failed', message: received.message } })
      else this.emitError({ code: 'bad-message', message: received.message })
      return
    }
    this.wire.tiles++
    this.wire.inWorker++
    this.wire.bytes += received.wireBytes
    if (received.encoding !== 'raw') this.wire.compressed++
    this.emit('tile', received.tile)
  }

  /** Hands an event to its listeners (a replayed one is kept for the first listener when there is none yet). */
  protected emit<E extends BridgeEventName>(event: E, payload: BridgeEvents[E]): void {
    this.listeners.emit(event, payload)
  }

  /** An error of the bridge itself (a bad frame, a malformed message, the connection): an 'error' event. */
  protected emitError(error: ErrorInfo): void {
    this.emit('error', { error })
  }

  // The renderer's names for the calls it makes most (the `calls` proxy has every one).
  openPath(path: string, name?: string): Promise<OpenedRaster> {
    return this.calls.open(name === undefined ? { path } : { path, name })
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

  prefetch(rasterId: string, tiles: TileRequest[]): void {
    this.notifications.prefetch({ rasterId, tiles })
  }

  stats(): Promise<ServiceStats> {
    return this.calls.stats({})
  }

  async configure(scheduling: SchedulingMode): Promise<void> {
    await this.calls.configure({ scheduling })
  }

  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void): Disposable {
    return this.listeners.on(event, listener)
  }

  /** Drops every listener. */
  protected clearListeners(): void {
    this.listeners.clear()
  }
}
