/**
 * The WebSocket transport of a TextureService (the `npm run serve` host): text frames carry JSON
 * messages both ways, binary frames carry tiles (service → client, 'TSR1') and upload chunks
 * (client → service, 'TSU1'). A message that is not JSON gets an `error` event; the socket stays up.
 */
import type { RawData, WebSocket } from 'ws'
import type { ReplyMessage } from '../../shared/protocol'
import type { ServiceSink } from '../service/types'
import { fromWireJson, toWireJson } from '../../shared/wireJson'

/** What the transport needs of a service (TextureService implements it). */
export interface ReceivingService {
  /** Handles a message; a call's reply is handed to `send` before anything the call opened speaks. */
  receive(value: unknown, send: (reply: ReplyMessage) => void): Promise<ReplyMessage | null>
  /** Handles a task's notifications together (a JSON array: `NotifyBatch`). */
  receiveNotifications(batch: unknown[]): void
  receiveBinary(bytes: Uint8Array): void
  close(): Promise<void>
}

/** Default of the most bytes one connection may leave unsent (see `webSocketSink`): some 1,000 tiles. */
export const MAX_BUFFERED_BYTES = 256 * 1024 * 1024

/** A ping unanswered for this long no longer holds tiles back: `flow` falls back to `bufferedAmount` (a client that does not answer pings, or a page stalled for long). */
export const PONG_WAIT_MS = 2_000

/** Most pings out at once (see `webSocketSink`): ws clients end a connection at 60 pongs they owe; 32 cover 640 kB of stored JPEG tiles (~20 kB) one ping each; past them, tiles share the ping sent when the next pong comes. */
export const MAX_UNANSWERED_PINGS = 32

/**
 * A sink sending over `socket`; sends on a socket that is no longer open are dropped. A connection
 * with more than `maxBufferedBytes` unsent is ended.
 *
 * Its `flow` counts the tile bytes the client has not yet read off the connection. `bufferedAmount`
 * alone does not: past it, the kernel's socket buffers on loopback hold megabytes (some 40 RGBA
 * tiles), and Chromium stops reading the socket while its page has not taken the previous
 * 131 kB, so tiles sat there, out of reach of a withdrawal, for hundreds of milliseconds. So each
 * tile is followed by a ping: a client answers it (RFC 6455; Chromium's network service does, in
 * order, once it has read the bytes before it), and its pong acknowledges every tile byte before
 * the ping. While a ping has waited more than `PONG_WAIT_MS`, only `bufferedAmount` counts.
 * At most `MAX_UNANSWERED_PINGS` are out at once: clients treat more as a ping flood (ws ends a
 * connection with 60 pongs it has not yet written), and small tiles sent fast would pass that. A
 * tile sent while the limit is reached is covered by the ping sent when the next pong comes.
 */
export function webSocketSink(socket: WebSocket, maxBufferedBytes: number = MAX_BUFFERED_BYTES): ServiceSink {
  // Tiles are sent as they are decoded, whether or not the client reads them, and the service's cap
  // bounds what waits to be decoded, not what waits to be sent: a client that keeps asking and never
  // reads made the host buffer every tile, without bound. Past the limit the connection is ended
  // with terminate (a close frame would queue behind the unread bytes), which frees the buffer and,
  // through 'close', the connection's service; other connections are not touched. The service's
  // send queue keeps tiles back while `flow` says the client is behind: those count too (`holding`).
  const endIfNotReading = (held = 0): void => {
    if (socket.bufferedAmount + held <= maxBufferedBytes) return
    console.warn(`[tessera] ending a WebSocket connection that does not read: ${socket.bufferedAmount + held} bytes unsent, more than ${maxBufferedBytes}`)
    socket.terminate()
  }
  const writtenListeners = new Set<() => void>()
  // ws calls back once the frame is written to the connection (or the socket failed), and a pong
  // says the client read up to a ping: the moments the send queue may hand over the next tile.
  const written = (): void => {
    for (const listener of writtenListeners) listener()
  }
  // Tile bytes sent, and acknowledged by a pong; pings not yet answered (payload → bytes sent
  // before it, and when), oldest first. The payload names this sink: a socket may carry other
  // pings (another sink on it, keep-alives).
  const tag = `t${Math.random().toString(36).slice(2, 10)}:`
  let sentBytes = 0
  let ackedBytes = 0
  let pingedBytes = 0
  let nextPing = 0
  const pings = new Map<string, { bytes: number; at: number }>()
  let pongTimer: ReturnType<typeof setTimeout> | null = null
  socket.on('pong', (data: Buffer) => {
    const key = data.toString()
    const answered = pings.get(key)
    if (!answered) return
    ackedBytes = Math.max(ackedBytes, answered.bytes)
    // Pongs come in order: every earlier ping is answered too.
    for (const payload of pings.keys()) {
      pings.delete(payload)
      if (payload === key) break
    }
    // Tiles sent while the ping limit was reached have no ping of their own yet.
    if (pingedBytes < sentBytes) ping()
    written()
  })
  socket.once('close', () => {
    if (pongTimer) clearTimeout(pongTimer)
    pings.clear()
  })
  /** Wakes the send queue when the oldest unanswered ping has waited `PONG_WAIT_MS` (the flow then counts `bufferedAmount` only). */
  const armPongTimer = (): void => {
    const oldest = pings.values().next().value
    if (pongTimer || !oldest) return
    pongTimer = setTimeout(() => {
      pongTimer = null
      written()
      armPongTimer()
    }, Math.max(0, oldest.at + PONG_WAIT_MS - performance.now()) + 1)
    pongTimer.unref?.()
  }
  /** Pings, covering every tile byte sent so far, unless `MAX_UNANSWERED_PINGS` are already out. */
  const ping = (): void => {
    if (pings.size >= MAX_UNANSWERED_PINGS || socket.readyState !== socket.OPEN) return
    const payload = `${tag}${++nextPing}`
    pings.set(payload, { bytes: sentBytes, at: performance.now() })
    pingedBytes = sentBytes
    socket.ping(payload)
    armPongTimer()
  }
  /** Tile bytes the client has not acknowledged, unless a ping has waited too long for its pong. */
  const unacknowledged = (): number => {
    const oldest = pings.values().next().value
    if (oldest && performance.now() - oldest.at > PONG_WAIT_MS) return 0
    return sentBytes - ackedBytes
  }
  return {
    send(message) {
      if (socket.readyState !== socket.OPEN) return
      socket.send(toWireJson(message), written)
      endIfNotReading()
    },
    sendTile({ prefix, pixels }) {
      if (socket.readyState !== socket.OPEN) return
      // Two fragments of one binary message: the pixels are sent as they are, not copied behind the header.
      socket.send(prefix, { binary: true, fin: false })
      socket.send(pixels, { binary: true, fin: true }, written)
      sentBytes += prefix.byteLength + pixels.byteLength
      ping()
      endIfNotReading()
    },
    flow: {
      // A closed socket takes nothing more: report it as full, so that nothing waits on it in vain
      // (its service is closed on 'close').
      bytesInFlight: () => {
        if (socket.readyState !== socket.OPEN) return Number.POSITIVE_INFINITY
        return Math.max(socket.bufferedAmount, unacknowledged())
      },
      onWritten(listener) {
        writtenListeners.add(listener)
        return () => writtenListeners.delete(listener)
      },
      // Tiles the service holds back for this socket count against the same limit.
      holding: (bytes) => endIfNotReading(bytes)
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
      value = fromWireJson(toBytes(data).toString())
    } catch {
      sink.send({ type: 'error', error: { code: 'bad-message', message: 'Expected JSON text for message but received text that does not parse' } })
      return
    }
    if (Array.isArray(value)) service.receiveNotifications(value)
    else void service.receive(value, (reply) => sink.send(reply))
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
