/**
 * The bridge of the browser host (`npm run serve`): one WebSocket to `/ws?token=…` on the page's
 * own host. JSON text frames for calls, notifications and events; binary frames for tiles
 * (service → page) and upload chunks (page → service). Reconnects with backoff when dropped and
 * emits a 'connection' event ('open') again; rasters belong to one connection, so after a reconnect
 * the viewer re-opens what it needs (calls made while disconnected wait for the connection).
 */
import { TesseraError, messageOf } from '../../shared/errors'
import { encodeUploadFrame } from '../../shared/uploadFrame'
import { fromWireJson, toWireJson } from '../../shared/wireJson'
import type { CallMessage, NotifyBatch, OpenedRaster, ReplyMessage, TileEncoding } from '../../shared/protocol'
import { BridgeBase } from './BridgeBase'
import type { UploadProgress } from './types'
import type { BadFrame, ReceivedTile } from './WorkerSocket'

/** The part of the browser's WebSocket this bridge uses (the `ws` package's client matches it too). */
export interface WebSocketLike {
  binaryType: string
  readonly readyState: number
  readonly bufferedAmount: number
  onopen: ((event: unknown) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  send(data: string | ArrayBufferView | ArrayBuffer): void
  close(): void
  /** Compressed tile encodings the socket's receiver decodes (a `WorkerSocket`); none for a plain socket. */
  readonly decodes?: readonly TileEncoding[]
  /** Sends a file as upload chunks where the socket lives (a `WorkerSocket`: in the tile worker). */
  uploadFile?(uploadId: string, file: File, options: { chunkSize: number; maxBufferedAmount: number }, onProgress: (sentBytes: number) => void): Promise<void>
}

export interface WebSocketBridgeOptions {
  /** ws:// URL with the token, e.g. `ws://127.0.0.1:5173/ws?token=…`. */
  url: string
  /** Constructor of the socket; default the global WebSocket. */
  createSocket?: (url: string) => WebSocketLike
  /** Bytes per upload chunk; default 1 MiB. */
  chunkSize?: number
  /** Upload waits while more than this many bytes are queued in the socket; default 8 MiB. */
  maxBufferedAmount?: number
  /** First reconnect delay, doubled up to `maxReconnectDelay`; defaults 250 ms and 5 s. */
  reconnectDelay?: number
  maxReconnectDelay?: number
  /** Ask for tiles in the encodings the socket decodes (the source's own JPEG tiles); default true. */
  compressedTiles?: boolean
}

const OPEN = 1

/** The WebSocket URL of the page's own host, with the token of the page's `?token=`. */
export function webSocketUrlForPage(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`
}

export class WebSocketBridge extends BridgeBase {
  static readonly defaultOptions = { chunkSize: 1024 * 1024, maxBufferedAmount: 8 * 1024 * 1024, reconnectDelay: 250, maxReconnectDelay: 5000, compressedTiles: true }

  readonly kind = 'websocket' as const
  private readonly options: Required<WebSocketBridgeOptions>
  private socket: WebSocketLike | null = null
  private readonly replies = new Map<number, { resolve: (reply: ReplyMessage) => void; reject: (error: Error) => void }>()
  private waitingForOpen: Array<() => void> = []
  private delay: number
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null

  constructor(options: WebSocketBridgeOptions) {
    super()
    this.options = {
      ...WebSocketBridge.defaultOptions,
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      ...options
    }
    this.delay = this.options.reconnectDelay
    this.connect()
  }

  /** True while the socket is open. */
  get isOpen(): boolean {
    return this.socket?.readyState === OPEN
  }

  /**
   * Closes the socket as a lost connection would end it (the bridge reconnects, the viewer opens
   * its rasters again): diagnostics and tests, wherever the socket lives (page or tile worker).
   */
  dropConnection(): void {
    this.socket?.close()
  }

  async openFile(file: File, onProgress?: (progress: UploadProgress) => void): Promise<OpenedRaster> {
    const { uploadId } = await this.calls['upload-begin']({ name: file.name, size: file.size })
    const socket = this.socket
    const { chunkSize, maxBufferedAmount } = this.options
    onProgress?.({ name: file.name, sentBytes: 0, totalBytes: file.size })
    const lost = (): TesseraError => new TesseraError('internal', `Connection lost while uploading ${file.name}`)
    if (socket?.uploadFile) {
      // The tile worker reads and sends the chunks: the page's main thread never holds the bytes.
      await socket
        .uploadFile(uploadId, file, { chunkSize, maxBufferedAmount }, (sentBytes) => onProgress?.({ name: file.name, sentBytes, totalBytes: file.size }))
        .catch(() => {
          throw lost()
        })
      if (this.socket !== socket || !this.isOpen) throw lost()
      return this.calls['upload-end']({ uploadId })
    }
    for (let offset = 0; offset < file.size; offset += chunkSize) {
      const bytes = new Uint8Array(await file.slice(offset, offset + chunkSize).arrayBuffer())
      if (this.socket !== socket || !this.isOpen) throw lost()
      socket!.send(encodeUploadFrame(uploadId, offset, bytes))
      while (this.socket === socket && this.isOpen && socket!.bufferedAmount > maxBufferedAmount) await sleep(5)
      onProgress?.({ name: file.name, sentBytes: Math.min(file.size, offset + bytes.byteLength), totalBytes: file.size })
    }
    return this.calls['upload-end']({ uploadId })
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.failPending(new TesseraError('internal', 'The bridge is disposed'))
    const socket = this.socket
    this.socket = null
    socket?.close()
    this.clearListeners()
  }

  protected async sendCall(message: CallMessage): Promise<ReplyMessage> {
    if (!this.isOpen) await new Promise<void>((resolve) => this.waitingForOpen.push(resolve))
    if (this.disposed || !this.isOpen) throw new TesseraError('internal', `Connection lost before ${message.type} was sent`)
    return new Promise((resolve, reject) => {
      this.replies.set(message.id, { resolve, reject })
      this.socket!.send(toWireJson(message))
    })
  }

  protected sendNotifications(batch: NotifyBatch): void {
    if (this.isOpen) this.socket!.send(toWireJson(batch)) // dropped while disconnected: the viewer re-requests on 'open'
  }

  private connect(): void {
    if (this.disposed) return
    const socket = this.options.createSocket(this.options.url)
    socket.binaryType = 'arraybuffer'
    this.socket = socket
    socket.onopen = () => {
      if (this.socket !== socket) return
      // Before anything else is sent: tiles asked for on this connection may come compressed.
      const decodes = this.options.compressedTiles ? (socket.decodes ?? []) : []
      if (decodes.length > 0) {
        this.calls['tile-encodings']({ accept: [...decodes] }).catch((error: unknown) => {
          this.emitError({ code: 'internal', message: `The host would not send compressed tiles: ${messageOf(error)}` })
        })
      }
      this.delay = this.options.reconnectDelay
      this.emit('connection', 'open')
      for (const resolve of this.waitingForOpen.splice(0)) resolve()
    }
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data)
    }
    socket.onerror = () => undefined // 'close' follows and handles it
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      this.failPending(new TesseraError('internal', 'Connection to the Tessera host lost'))
      this.emit('connection', 'closed')
      this.reconnectTimer = setTimeout(() => this.connect(), this.delay)
      this.delay = Math.min(this.delay * 2, this.options.maxReconnectDelay)
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') {
      if (data instanceof ArrayBuffer || data instanceof Uint8Array) this.dispatchTile(data)
      else if (isReceived(data)) this.dispatchReceived(data)
      return
    }
    let message: unknown
    try {
      message = fromWireJson(data)
    } catch {
      this.emitError({ code: 'bad-message', message: 'Expected JSON text from the host but received text that does not parse' })
      return
    }
    if (isReply(message)) {
      const waiting = this.replies.get(message.id)
      this.replies.delete(message.id)
      waiting?.resolve(message)
      return
    }
    this.dispatch(message)
  }

  private failPending(error: Error): void {
    for (const { reject } of this.replies.values()) reject(error)
    this.replies.clear()
    // Calls waiting for a connection keep waiting for the next one, unless disposed.
    if (this.disposed) for (const resolve of this.waitingForOpen.splice(0)) resolve()
  }
}

/** A reply to a call (its result is the call's, as the table types it); anything else is an event, checked by `dispatch`. */
function isReply(message: unknown): message is ReplyMessage {
  const type = (message as { type?: unknown } | null)?.type
  return type === 'reply' || type === 'reply-error'
}

function isReceived(data: unknown): data is ReceivedTile | BadFrame {
  return typeof data === 'object' && data !== null && 'received' in data
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
