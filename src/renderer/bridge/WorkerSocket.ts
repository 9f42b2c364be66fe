/**
 * A WebSocket whose other end lives in the tile worker (`tileSocket.worker.ts`): the bridge uses it
 * as it would a WebSocket (`WebSocketLike`), but frames are read and tiles unpacked and decoded off
 * the main thread. A tile arrives as `{ data: ReceivedTile }` instead of bytes; text frames as they
 * came. `readyState` and `bufferedAmount` mirror the worker's socket.
 */
import type { TileEncoding, TileMessage } from '../../shared/protocol'
import type { FromTileWorker, ToTileWorker } from './tileWorkerProtocol'

/** A tile the worker unpacked: upload-ready, with how it travelled. */
export interface ReceivedTile {
  readonly received: 'tile'
  tile: TileMessage
  encoding: 'raw' | TileEncoding
  wireBytes: number
}

/** A frame the worker could not read. */
export interface BadFrame {
  readonly received: 'bad-frame'
  message: string
  /** The tile it was, when its header was read (an image that does not decode). */
  tile?: { rasterId: string; key: string }
}

/** Starts the tile worker (bundled by Vite as its own chunk). */
export function startTileWorker(): Worker {
  return new Worker(new URL('./tileSocket.worker.ts', import.meta.url), { type: 'module', name: 'tessera-tiles' })
}

const CONNECTING = 0
const OPEN = 1
const CLOSING = 2
const CLOSED = 3

export class WorkerSocket {
  binaryType = 'arraybuffer'
  readyState = CONNECTING
  bufferedAmount = 0
  /** The encodings the worker decodes: the service may send them (PNG: a web map server's own tiles; empty: none there). */
  readonly decodes: readonly TileEncoding[] = ['jpeg', 'webp', 'png', 'empty']
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  private readonly worker: Worker
  private nextUpload = 1
  private readonly uploads = new Map<number, { onProgress(sentBytes: number): void; resolve(): void; reject(error: Error): void }>()

  constructor(url: string, worker: Worker = startTileWorker()) {
    this.worker = worker
    worker.onmessage = (event: MessageEvent<FromTileWorker>) => this.fromWorker(event.data)
    worker.onerror = (event) => {
      // The worker itself failed (it could not load): the connection is as good as closed.
      event.preventDefault?.()
      this.onerror?.(event)
      this.closed()
    }
    this.post({ kind: 'connect', url })
  }

  send(data: string | ArrayBufferView | ArrayBuffer): void {
    if (this.readyState !== OPEN) return
    if (typeof data === 'string') return this.post({ kind: 'send', data })
    // Binary frames (upload chunks) are transferred: a copy of the bytes, then the copy's buffer moves.
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer
    this.bufferedAmount += own.byteLength // until the worker says how much its socket holds
    this.post({ kind: 'send', data: own as ArrayBuffer }, [own as ArrayBuffer])
  }

  /**
   * Sends `file` as upload chunks of `uploadId`, read and framed in the worker (the main thread
   * never holds its bytes); resolves once every chunk is on the socket, in order before anything
   * sent after.
   */
  uploadFile(uploadId: string, file: File, options: { chunkSize: number; maxBufferedAmount: number }, onProgress: (sentBytes: number) => void): Promise<void> {
    if (this.readyState !== OPEN) return Promise.reject(new Error(`Connection lost before uploading ${file.name}`))
    const token = this.nextUpload++
    return new Promise((resolve, reject) => {
      this.uploads.set(token, { onProgress, resolve, reject })
      this.post({ kind: 'upload', token, uploadId, file, ...options })
    })
  }

  close(): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSING // until the worker says its socket closed
    this.post({ kind: 'close' })
  }

  private post(message: ToTileWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer)
  }

  private fromWorker(message: FromTileWorker): void {
    switch (message.kind) {
      case 'open':
        this.readyState = OPEN
        return this.onopen?.({})
      case 'closed':
        return this.closed()
      case 'text':
        return this.onmessage?.({ data: message.data })
      case 'tile':
        return this.onmessage?.({ data: { received: 'tile', tile: message.tile, encoding: message.encoding, wireBytes: message.wireBytes } satisfies ReceivedTile })
      case 'bad-frame':
        return this.onmessage?.({ data: { received: 'bad-frame', message: message.message, ...(message.tile ? { tile: message.tile } : {}) } satisfies BadFrame })
      case 'buffered':
        this.bufferedAmount = message.amount
        return
      case 'upload-progress': {
        const upload = this.uploads.get(message.token)
        if (!upload) return
        if (message.error !== undefined) {
          this.uploads.delete(message.token)
          return upload.reject(new Error(message.error))
        }
        upload.onProgress(message.sentBytes)
        if (message.done) {
          this.uploads.delete(message.token)
          upload.resolve()
        }
        return
      }
      case 'event':
        return
    }
  }

  private closed(): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    for (const upload of this.uploads.values()) upload.reject(new Error('Connection lost while uploading'))
    this.uploads.clear()
    this.worker.terminate()
    this.onclose?.({})
  }
}
