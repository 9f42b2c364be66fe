/**
 * A renderer's notifications of one task leave as one message (`NotifyBatch`): a frame's
 * cancellations and requests, of every layer, reach the service together, and a call made after
 * them does not overtake them.
 */
import { describe, expect, it } from 'vitest'
import { WebSocketBridge } from '../../src/renderer/bridge/WebSocketBridge'
import { MESSAGE_LIMITS } from '../../src/shared/calls'
import { FakeSocket } from '../helpers/fakeWebSocket'

const tile = (col: number) => ({ level: 0, col, row: 0, priority: 1 as const, rank: col })

function openBridge(): { bridge: WebSocketBridge; socket: FakeSocket } {
  const socket = new FakeSocket()
  const bridge = new WebSocketBridge({ url: 'ws://test', createSocket: () => socket })
  socket.open()
  return { bridge, socket }
}

const sentTypes = (socket: FakeSocket): unknown[] =>
  socket.sent.map((text) => {
    const value = JSON.parse(text) as { type: string } | Array<{ type: string }>
    return Array.isArray(value) ? value.map((m) => m.type) : value.type
  })

describe('notifications of one task', () => {
  it('go as one message, in the order they were made, at the end of the task', async () => {
    const { bridge, socket } = openBridge()
    bridge.requestTiles('r1', [tile(0)])
    bridge.cancelObsolete('r1', ['r1/0/5/0'])
    bridge.requestTiles('r2', [tile(5)])
    expect(socket.sent).toEqual([]) // nothing before the task ends
    await Promise.resolve()
    expect(sentTypes(socket)).toEqual([['request', 'cancel-obsolete', 'request']])
    expect(JSON.parse(socket.sent[0]!)[2]).toEqual({ type: 'request', rasterId: 'r2', tiles: [tile(5)] })
    // The next task's make a message of their own; a lone notification goes as itself.
    bridge.cancelObsolete('r1', [])
    await Promise.resolve()
    expect(sentTypes(socket)).toEqual([['request', 'cancel-obsolete', 'request'], 'cancel-obsolete'])
    bridge.dispose()
  })

  it('go before a call made after them in the same task', async () => {
    const { bridge, socket } = openBridge()
    bridge.requestTiles('r1', [tile(0)])
    bridge.cancelObsolete('r1', [])
    void bridge.stats().catch(() => undefined) // never answered here
    await Promise.resolve()
    expect(sentTypes(socket)).toEqual([['request', 'cancel-obsolete'], 'stats'])
    bridge.dispose()
  })

  it('go as several messages, in order, when more than a batch holds', async () => {
    const { bridge, socket } = openBridge()
    const count = MESSAGE_LIMITS.maxBatchedNotifications + 1
    for (let col = 0; col < count; col++) bridge.requestTiles('r1', [tile(col)])
    await Promise.resolve()
    const sent = socket.sent.map((text) => JSON.parse(text) as unknown)
    expect(sent).toHaveLength(2)
    expect((sent[0] as unknown[]).length).toBe(MESSAGE_LIMITS.maxBatchedNotifications)
    expect(sent[1]).toEqual({ type: 'request', rasterId: 'r1', tiles: [tile(count - 1)] })
    bridge.dispose()
  })

  it('are dropped once the bridge is disposed', async () => {
    const { bridge, socket } = openBridge()
    bridge.requestTiles('r1', [tile(0)])
    bridge.dispose()
    await Promise.resolve()
    expect(socket.sent).toEqual([])
  })
})
