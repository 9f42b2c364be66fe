/**
 * The WebSocket transport of a TextureService (the `npm run serve` host): text frames carry JSON
 * messages both ways, binary frames carry tiles (service → client, 'TSR1') and upload chunks
 * (client → service, 'TSU1'). A message that is not JSON gets an `error` event; the socket stays up.
 */
import type { RawData, WebSocket } from 'ws'
import type { ServerMessage } from '../../shared/protocol'
import type { ServiceSink } from '../service/types'

/** What the transport needs of a service (TextureService implements it). */
export interface ReceivingService {
  receive(value: unknown): Promise<ServerMessage | null>
  receiveBinary(bytes: Uint8Array): void
  close(): Promise<void>
}

/** Default of the most bytes one connection may leave unsent (see `webSocketSink`): some 1,000 tiles. */
export const MAX_BUFFERED_BYTES = 256 * 1024 * 1024

/**
 * A sink sending over `socket`; sends on a socket that is no longer open are dropped. A connection
 * with more than `maxBufferedBytes` unsent is ended.
 */
export function webSocketSink(socket: WebSocket, maxBufferedBytes: number = MAX_BUFFERED_BYTES): ServiceSink {
  // Tiles are sent as they are decoded, whether or not the client reads them, and the service's cap
  // bounds what waits to be decoded, not what waits to be sent: a client that keeps asking and never
  // reads made the host buffer every tile, without bound. Past the limit the connection is ended
  // with terminate (a close frame would queue behind the unread bytes), which frees the buffer and,
  // through 'close', the connection's service; other connections are not touched. (The service's
  // send queue keeps its own tiles back while `flow` says the socket is behind; this limit is for
  // what bypasses it: FIFO mode, and events.)
  const endIfNotReading = (): void => {
    if (socket.bufferedAmount <= maxBufferedBytes) return
    console.warn(`[tessera] ending a WebSocket connection that does not read: ${socket.bufferedAmount} bytes unsent, more than ${maxBufferedBytes}`)
    socket.terminate()
  }
  const writtenListeners = new Set<() => void>()
  // ws calls back once the frame is written to the connection (or the socket failed): the moment
  // the send queue may hand over the next tile.
  const written = (): void => {
    for (const listener of writtenListeners) listener()
  }
  return {
    send(message) {
      if (socket.readyState !== socket.OPEN) return
      socket.send(JSON.stringify(message), written)
      endIfNotReading()
    },
    sendTile({ prefix, pixels }) {
      if (socket.readyState !== socket.OPEN) return
      // Two fragments of one binary message: the pixels are sent as they are, not copied behind the header.
      socket.send(prefix, { binary: true, fin: false })
      socket.send(pixels, { binary: true, fin: true }, written)
      endIfNotReading()
    },
    flow: {
      // A closed socket takes nothing more: report it as full, so that nothing waits on it in vain
      // (its service is closed on 'close').
      bytesInFlight: () => (socket.readyState === socket.OPEN ? socket.bufferedAmount : Number.POSITIVE_INFINITY),
      onWritten(listener) {
        writtenListeners.add(listener)
        return () => writtenListeners.delete(listener)
      }
    }
  }
}

/**
 * Routes the socket's messages to `service` and replies on the socket; closes the service when the
 * socket closes. Resolves the returned promise once the service is closed.
 */
export function serveOverWebSocket(socket: WebSocket, service: ReceivingService, maxBufferedBytes: number = MAX_BUFFERED_BYTES): Promise<void> {
  const sink = webSocketSink(socket, maxBufferedBytes)
  // A frame that breaks the WebSocket protocol (over the payload limit, text that is not UTF-8, a
  // bad opcode…) makes ws close the connection (1009, 1007, 1002…) and emit 'error' on the socket;
  // without a listener that 'error' is an uncaught exception that ends the whole host, every
  // other connection with it. The close that follows closes this connection's service.
  socket.on('error', (error: Error) => console.warn(`[tessera] closing a WebSocket connection: ${error.message}`))
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      service.receiveBinary(toBytes(data))
      return
    }
    let value: unknown
    try {
      value = JSON.parse(toBytes(data).toString())
    } catch {
      sink.send({ type: 'error', error: { code: 'bad-message', message: 'Expected JSON text for message but received text that does not parse' } })
      return
    }
    void service.receive(value).then((reply) => {
      if (reply) sink.send(reply)
    })
  })
  return new Promise((resolve) => {
    socket.once('close', () => {
      void service.close().then(resolve, (error: unknown) => {
        console.error('[tessera] closing a service failed:', error)
        resolve()
      })
    })
  })
}

function toBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
