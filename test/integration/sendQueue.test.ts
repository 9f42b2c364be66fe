/**
 * The connection's send queue over a real, slow socket: a `ws` client on 127.0.0.1 that stops
 * reading (its TCP socket paused) while a real TextureService decodes real tiles in real workers.
 * Decoded tiles wait in the host's send queue once the socket is behind; a withdrawal drops them
 * there ("withdrawn before sent") and they never reach the client. FIFO mode sends everything.
 */
import type { AddressInfo } from 'node:net'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { TextureService } from '../../src/main/service/TextureService'
import type { TileCounters } from '../../src/main/service/TileStreamer'
import { serveOverWebSocket, webSocketSink } from '../../src/main/transport/websocket'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import { tileKey } from '../../src/shared/tiles'
import { makeServiceFixtures, type ServiceFixtures } from '../helpers/serviceFixtures'

let fixtures: ServiceFixtures
let server: WebSocketServer
let port = 0
/** The limit of unread bytes of a connection opened with `?small-limit`: 8 MiB (otherwise the host's default, 256 MiB). */
const SMALL_LIMIT = 8 * 1024 * 1024
const services: TextureService[] = []
const sockets: WebSocket[] = []

beforeAll(async () => {
  fixtures = await makeServiceFixtures()
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  server.on('connection', (socket, request) => {
    const limit = request.url?.includes('small-limit') ? SMALL_LIMIT : undefined
    // As the serve host does: the service's sink on the socket, and the socket's messages to the service.
    const service = new TextureService({ sink: webSocketSink(socket, limit), openRaster: rasterOpener, maxWorkers: 2, mayOpenPath: () => true })
    services.push(service)
    void serveOverWebSocket(socket, service, limit)
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  for (const socket of sockets) socket.terminate()
  await Promise.all(services.map((s) => s.close()))
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await closeRasterRuntime()
  fixtures?.remove()
})

/** A client whose reading can be stopped: tiles pile up in the kernel's buffers, then in the host. */
async function slowClient(query = ''): Promise<{ socket: WebSocket; tiles: string[]; texts: unknown[]; pause(): void; resume(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/${query}`)
  sockets.push(socket)
  socket.binaryType = 'arraybuffer'
  const tiles: string[] = []
  const texts: unknown[] = []
  socket.on('message', (data: ArrayBuffer, isBinary: boolean) => {
    if (isBinary) tiles.push(tileKey(decodeTileFrame(data).header))
    else texts.push(JSON.parse(Buffer.from(data).toString()))
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const tcp = (socket as unknown as { _socket: Socket })._socket
  return { socket, tiles, texts, pause: () => tcp.pause(), resume: () => tcp.resume() }
}

async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const counters = (service: TextureService): TileCounters => service.stats() as unknown as TileCounters

/** Opens the 4096² tiled TIFF on the connection's service and asks for its 256 level-0 tiles (16 MiB a 64 tiles). */
async function openAndRequest(service: TextureService, client: { socket: WebSocket }): Promise<{ rasterId: string; keys: string[] }> {
  const reply = (await service.receive({ type: 'open', id: 1, path: fixtures.tiledTiff })) as { result: { rasterId: string } }
  const { rasterId } = reply.result
  const tiles = Array.from({ length: 256 }, (_, i) => ({ level: 0, col: i % 16, row: Math.floor(i / 16), priority: 2 as const, rank: i }))
  client.socket.send(JSON.stringify({ type: 'request', rasterId, tiles }))
  return { rasterId, keys: tiles.map((t) => tileKey({ rasterId, ...t })) }
}

describe('send queue over a slow socket', () => {
  it('drops withdrawn tiles that were decoded but not yet written, and never sends them', async () => {
    const client = await slowClient()
    const service = services.at(-1)!
    client.pause()
    const { rasterId, keys } = await openAndRequest(service, client)
    // Every tile decoded: those the socket did not take wait in the send queue.
    await until(() => counters(service).done === keys.length, 'every tile decoded')
    const before = counters(service)
    expect(before.tilesSent).toBeLessThan(keys.length)
    const keep = new Set(keys.slice(0, 8))
    client.socket.send(JSON.stringify({ type: 'cancel-obsolete', rasterId, keep: [...keep] }))
    await until(() => counters(service).withdrawnBeforeSent > 0, 'a withdrawal from the send queue')
    client.resume()
    await until(() => client.tiles.length === counters(service).tilesSent && counters(service).tilesSent + counters(service).withdrawnBeforeSent === keys.length, 'the queue to drain')

    const after = counters(service)
    // Each decoded tile was either sent once or withdrawn before it was sent, never both.
    expect(new Set(client.tiles).size).toBe(client.tiles.length)
    expect(after.tilesSent + after.withdrawnBeforeSent).toBe(keys.length)
    expect(after.withdrawnBeforeSent).toBeGreaterThan(0)
    expect(after.cancelled).toBeGreaterThanOrEqual(after.withdrawnBeforeSent)
    // Kept tiles all arrived; of the others, only those already handed to the socket before the withdrawal.
    for (const key of keep) expect(client.tiles).toContain(key)
    expect(client.tiles.filter((k) => !keep.has(k)).length).toBeLessThanOrEqual(before.tilesSent)
  })

  it('ends a connection that never reads once the tiles held for it, in the socket and in its queue, pass the limit', async () => {
    const client = await slowClient('?small-limit')
    const service = services.at(-1)!
    client.pause()
    let closed = false
    client.socket.once('close', () => (closed = true))
    await openAndRequest(service, client) // 64 MiB of tiles for a connection allowed 8 MiB unread
    await until(() => service.isClosed, 'the host to end the connection and its service')
    client.resume()
    await until(() => closed, 'the socket to close')
    // Ended before it had decoded everything: the kernel's buffers, the limit, and a tile or two more.
    expect(counters(service).done).toBeLessThan(256)
  })

  it('sends every decoded tile in FIFO mode, where withdrawals are switched off', async () => {
    const client = await slowClient()
    const service = services.at(-1)!
    expect(await service.receive({ type: 'configure', id: 9, scheduling: 'fifo' })).toMatchObject({ type: 'reply' })
    client.pause()
    const { rasterId, keys } = await openAndRequest(service, client)
    await until(() => counters(service).done === keys.length, 'every tile decoded')
    // FIFO hands each tile to the socket as it is decoded: nothing waits in the host to be withdrawn.
    expect(counters(service).tilesSent).toBe(keys.length)
    client.socket.send(JSON.stringify({ type: 'cancel-obsolete', rasterId, keep: [] }))
    client.resume()
    await until(() => client.tiles.length === keys.length, 'every tile to arrive')
    expect(counters(service).withdrawnBeforeSent).toBe(0)
    expect(new Set(client.tiles)).toEqual(new Set(keys))
  })
})
