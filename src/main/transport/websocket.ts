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

/** A sink sending over `socket`; sends on a socket that is no longer open are dropped. */
export function webSocketSink(socket: WebSocket): ServiceSink {
  return {
    send(message) {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
    },
    sendTile({ prefix, pixels }) {
      if (socket.readyState !== socket.OPEN) return
      // Two fragments of one binary message: the pixels are sent as they are, not copied behind the header.
      socket.send(prefix, { binary: true, fin: false })
      socket.send(pixels, { binary: true, fin: true })
    }
  }
}

/**
 * Routes the socket's messages to `service` and replies on the socket; closes the service when the
 * socket closes. Resolves the returned promise once the service is closed.
 */
export function serveOverWebSocket(socket: WebSocket, service: ReceivingService): Promise<void> {
  const sink = webSocketSink(socket)
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
