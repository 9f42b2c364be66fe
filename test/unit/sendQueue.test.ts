/**
 * SendQueue: decoded tiles wait while the transport is behind, go most urgent first, and a
 * withdrawal drops what still waits. The transport here is a stub whose written bytes the test decides.
 */
import { describe, expect, it } from 'vitest'
import { SendQueue, type QueuedTile } from '../../src/main/service/SendQueue'
import type { ServiceSink, TileFrameParts } from '../../src/main/service/types'

/** A transport with flow control: everything sent stays "in flight" until `write()`. */
function slowSink(): ServiceSink & { sent: string[]; inFlight: number; held: number[]; write(): void; listeners: number } {
  const listeners = new Set<() => void>()
  const sink = {
    sent: [] as string[],
    inFlight: 0,
    held: [] as number[],
    get listeners() {
      return listeners.size
    },
    send() {},
    sendTile(frame: TileFrameParts) {
      sink.sent.push(new TextDecoder().decode(frame.prefix))
      sink.inFlight += frame.prefix.byteLength + frame.pixels.byteLength
    },
    write() {
      sink.inFlight = 0
      for (const listener of listeners) listener()
    },
    flow: {
      bytesInFlight: () => sink.inFlight,
      onWritten(listener: () => void) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      holding(bytes: number) {
        sink.held.push(bytes)
      }
    }
  }
  return sink
}

const tile = (key: string, priority: 1 | 2 | 3 = 2, rank = 0, rasterId = 'r'): QueuedTile => ({
  key,
  rasterId,
  request: { level: 0, col: 0, row: 0, priority, rank },
  frame: { prefix: new TextEncoder().encode(key), pixels: new Uint8Array(100) }
})

describe('SendQueue', () => {
  it('hands a tile over at once while the transport has room', () => {
    const sink = slowSink()
    const queue = new SendQueue(sink, { maxBytesInFlight: 1000 })
    queue.push(tile('a'))
    expect(sink.sent).toEqual(['a'])
    expect(queue.length).toBe(0)
  })

  it('keeps tiles back while the bytes in flight reach the bound, and sends the most urgent first when some are written', () => {
    const sink = slowSink()
    const queue = new SendQueue(sink, { maxBytesInFlight: 100 })
    queue.push(tile('first'))
    queue.push(tile('low', 3))
    queue.push(tile('far', 2, 9))
    queue.push(tile('near', 2, 1))
    queue.push(tile('high', 1, 5))
    expect(sink.sent).toEqual(['first'])
    expect(queue.length).toBe(4)
    for (let i = 0; i < 4; i++) sink.write()
    expect(sink.sent).toEqual(['first', 'high', 'near', 'far', 'low'])
  })

  it('tells the transport the bytes it holds back whenever they grow', () => {
    const sink = slowSink()
    const queue = new SendQueue(sink, { maxBytesInFlight: 1 })
    queue.push(tile('a')) // sent at once
    queue.push(tile('bb'))
    queue.push(tile('ccc'))
    expect(sink.held).toEqual([102, 205])
    expect(queue.bytesWaiting).toBe(205)
    queue.withdraw('r')
    expect(queue.bytesWaiting).toBe(0)
  })

  it('drops the waiting tiles of a raster that a withdrawal does not keep, and only those', () => {
    const sink = slowSink()
    const queue = new SendQueue(sink, { maxBytesInFlight: 1 })
    queue.push(tile('sent'))
    queue.push(tile('keep'))
    queue.push(tile('drop'))
    queue.push(tile('other', 2, 0, 'r2'))
    expect(queue.withdraw('r', new Set(['keep', 'sent'])).map((t) => t.key)).toEqual(['drop'])
    expect(queue.has('drop')).toBe(false)
    for (let i = 0; i < 3; i++) sink.write()
    expect(sink.sent).toEqual(['sent', 'keep', 'other'])
  })

  it('sends a tile given again once, at the more urgent of its two requests', () => {
    const sink = slowSink()
    const queue = new SendQueue(sink, { maxBytesInFlight: 1 })
    queue.push(tile('busy'))
    queue.push(tile('a', 2, 1))
    queue.push(tile('b', 2, 2))
    queue.raise('b', { level: 0, col: 0, row: 0, priority: 1, rank: 0 })
    queue.raise('a', { level: 0, col: 0, row: 0, priority: 3, rank: 0 })
    sink.write()
    sink.write()
    sink.write()
    expect(sink.sent).toEqual(['busy', 'b', 'a'])
  })

  it('hands everything over at once to a transport without flow control', () => {
    const sent: number[] = []
    const queue = new SendQueue({ send() {}, sendTile: (f) => sent.push(f.pixels.byteLength) }, { maxBytesInFlight: 1 })
    for (let i = 0; i < 5; i++) queue.push(tile(`t${i}`))
    expect(sent).toHaveLength(5)
  })

  it('close drops what waits, stops listening to the transport, and is idempotent', () => {
    const sink = slowSink()
    const queue = new SendQueue(sink, { maxBytesInFlight: 1 })
    queue.push(tile('a'))
    queue.push(tile('b'))
    queue.close()
    queue.close()
    expect(queue.length).toBe(0)
    expect(sink.listeners).toBe(0)
    sink.write()
    queue.push(tile('c'))
    expect(sink.sent).toEqual(['a'])
  })

  it('refuses a bound that is not a positive number, naming it', () => {
    expect(() => new SendQueue(slowSink(), { maxBytesInFlight: -3 })).toThrow('Expected positive number for maxBytesInFlight but received -3 of type number')
  })
})
