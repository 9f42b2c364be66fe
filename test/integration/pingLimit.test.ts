/**
 * The WebSocket sink pings after tiles to learn what the client has read, but never has more than
 * `MAX_UNANSWERED_PINGS` out: ws clients end a connection that owes 60 pongs (a ping flood to
 * them), which a burst of small tiles used to reach while the client was busy writing. Real `ws`
 * server and client on 127.0.0.1; the client answers pings by hand, when the test says.
 */
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { MAX_UNANSWERED_PINGS, webSocketSink } from '../../src/main/transport/websocket'
import type { ServiceSink } from '../../src/main/service/types'

let server: WebSocketServer | null = null
let client: WebSocket | null = null

afterEach(async () => {
  client?.terminate()
  if (server) await new Promise<void>((done) => server!.close(() => done()))
  server = client = null
})

/** A sink on the server side of a fresh connection, and a client that does not answer pings itself. */
async function connection(): Promise<{ sink: ServiceSink; pings: Buffer[]; tiles: () => number }> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((done) => server!.once('listening', () => done()))
  const accepted = new Promise<WebSocket>((done) => server!.once('connection', (socket) => done(socket)))
  client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { autoPong: false })
  const pings: Buffer[] = []
  let tiles = 0
  client.on('ping', (data: Buffer) => pings.push(data))
  client.on('message', (_data, isBinary) => {
    if (isBinary) tiles++
  })
  await new Promise<void>((done, fail) => {
    client!.once('open', () => done())
    client!.once('error', fail)
  })
  return { sink: webSocketSink(await accepted), pings, tiles: () => tiles }
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 5))
  }
}

const TILE = { prefix: new Uint8Array(16), pixels: new Uint8Array(4) }
const TILE_BYTES = TILE.prefix.byteLength + TILE.pixels.byteLength

describe('pings of the WebSocket sink', () => {
  it(`has at most ${MAX_UNANSWERED_PINGS} pings out, and covers the tiles sent past that limit once a pong comes`, async () => {
    const { sink, pings, tiles } = await connection()
    const count = 200
    for (let i = 0; i < count; i++) sink.sendTile(TILE)
    await until(() => tiles() === count, 'every tile')
    await new Promise((done) => setTimeout(done, 50)) // any ping sent with the tiles has arrived by now
    expect(pings).toHaveLength(MAX_UNANSWERED_PINGS) // one per tile until the limit, none after
    expect(sink.flow!.bytesInFlight()).toBe(count * TILE_BYTES) // nothing acknowledged yet

    // Answering the first ping acknowledges its tile and sends one ping for every tile sent since the last.
    client!.pong(pings[0]!)
    await until(() => pings.length === MAX_UNANSWERED_PINGS + 1, 'the ping covering the rest')
    expect(sink.flow!.bytesInFlight()).toBe((count - 1) * TILE_BYTES)

    // Answering the newest answers every ping before it (pongs come in order) and covers every tile.
    client!.pong(pings.at(-1)!)
    await until(() => sink.flow!.bytesInFlight() === 0, 'every tile acknowledged')
    await new Promise((done) => setTimeout(done, 50))
    expect(pings).toHaveLength(MAX_UNANSWERED_PINGS + 1) // nothing left to ping for
  })

  it('keeps a default ws client (which ends a connection owing 60 pongs) connected through a burst of small tiles it is slow to answer', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((done) => server!.once('listening', () => done()))
    const accepted = new Promise<WebSocket>((done) => server!.once('connection', (socket) => done(socket)))
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
    let tiles = 0
    let closed = false
    client.on('message', () => tiles++)
    client.on('close', () => (closed = true))
    await new Promise<void>((done) => client!.once('open', () => done()))
    const sink = webSocketSink(await accepted)
    // The client's writes are held back (its pongs owed pile up) while it reads 1,000 tiles.
    const raw = (client as unknown as { _socket: { cork(): void; uncork(): void } })._socket
    raw.cork()
    for (let i = 0; i < 1_000; i++) sink.sendTile(TILE)
    await until(() => tiles === 1_000 || closed, 'every tile')
    raw.uncork()
    await until(() => sink.flow!.bytesInFlight() === 0 || closed, 'every tile acknowledged')
    expect(closed).toBe(false)
  })
})
