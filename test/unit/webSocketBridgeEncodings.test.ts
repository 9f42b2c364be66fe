/**
 * The WebSocket bridge asks for compressed tiles only when its socket's receiver decodes them (the
 * tile worker's `WorkerSocket`), first thing on every connection, and hands on the tiles the worker
 * unpacked as it would tiles it read itself.
 */
import { describe, expect, it } from 'vitest'
import { WebSocketBridge } from '../../src/renderer/bridge/WebSocketBridge'
import type { TileMessage } from '../../src/shared/protocol'
import { FakeSocket } from '../helpers/fakeWebSocket'

function bridgeWith(socket: FakeSocket, compressedTiles?: boolean): WebSocketBridge {
  return new WebSocketBridge({ url: 'ws://test', createSocket: () => socket, ...(compressedTiles === undefined ? {} : { compressedTiles }) })
}

describe('WebSocketBridge and compressed tiles', () => {
  it('asks for the encodings its socket decodes before anything else on the connection', async () => {
    const socket = new FakeSocket(['jpeg', 'webp'])
    const bridge = bridgeWith(socket)
    socket.open()
    bridge.requestTiles('r1', [{ level: 0, col: 0, row: 0, priority: 1, rank: 0 }])
    await Promise.resolve() // notifications go at the end of the task
    expect(socket.sent.map((s) => JSON.parse(s).type)).toEqual(['tile-encodings', 'request'])
    expect(JSON.parse(socket.sent[0]!)).toMatchObject({ accept: ['jpeg', 'webp'] })
    bridge.dispose()
  })

  it('asks for none with a plain socket, or when told not to', () => {
    for (const [socket, compressed] of [[new FakeSocket(), undefined], [new FakeSocket(['jpeg']), false]] as const) {
      const bridge = bridgeWith(socket, compressed)
      socket.open()
      expect(socket.sent).toEqual([])
      bridge.dispose()
    }
  })

  it('hands on tiles the worker unpacked and counts them; a frame it could not read becomes an error', () => {
    const socket = new FakeSocket(['jpeg'])
    const bridge = bridgeWith(socket)
    socket.open()
    const tiles: TileMessage[] = []
    const errors: string[] = []
    bridge.on('tile', (tile) => tiles.push(tile))
    bridge.on('error', ({ error }) => errors.push(error.message))
    const tile: TileMessage = { header: { rasterId: 'r1', level: 0, col: 0, row: 0, width: 1, height: 1, channels: 4, sampleType: 'uint8' }, data: new Uint8Array(4) }
    socket.onmessage?.({ data: { received: 'tile', tile, encoding: 'jpeg', wireBytes: 600 } })
    socket.onmessage?.({ data: { received: 'bad-frame', message: 'Cannot decode the JPEG tile r1/0/1/0: corrupt data' } })
    expect(tiles).toEqual([tile])
    expect(bridge.wire).toEqual({ tiles: 1, bytes: 600, compressed: 1, inWorker: 1 })
    expect(errors).toEqual(['Cannot decode the JPEG tile r1/0/1/0: corrupt data'])
    bridge.dispose()
  })

  it('fails a tile whose image did not decode as that tile (its layer counts it, the view stops waiting for it), not as the connection', () => {
    const socket = new FakeSocket(['png'])
    const bridge = bridgeWith(socket)
    socket.open()
    const failed: Array<{ rasterId: string; key: string; code: string; message: string }> = []
    const errors: string[] = []
    bridge.on('tile-failed', ({ rasterId, key, error }) => failed.push({ rasterId, key, code: error.code, message: error.message }))
    bridge.on('error', ({ error }) => errors.push(error.message))
    const message = 'Cannot decode the PNG tile w1/3/5/7: truncated'
    socket.onmessage?.({ data: { received: 'bad-frame', message, tile: { rasterId: 'w1', key: 'w1/3/5/7' } } })
    expect(failed).toEqual([{ rasterId: 'w1', key: 'w1/3/5/7', code: 'decode-failed', message }])
    expect(errors).toEqual([])
    bridge.dispose()
  })
})
