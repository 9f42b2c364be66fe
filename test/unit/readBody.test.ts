import { describe, expect, it } from 'vitest'
import { readBody } from '../../src/main/remote/readBody'
import { RemoteReadError } from '../../src/main/remote/errors'

/** A body stream of these chunks, in order. */
function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    }
  })
}

const tooLong = (): RemoteReadError => new RemoteReadError('http://x/t', 'bad-answer', 'too long')

function read(chunks: Uint8Array[], expected: number | null, limit = 1 << 20): Promise<Uint8Array> {
  return readBody('http://x/t', bodyOf(chunks), { expected, limit, tooLong }, 5000, new AbortController(), undefined, () => {})
}

describe('readBody', () => {
  it('joins the chunks of a body of unknown length, into an array of exactly its bytes that owns its buffer', async () => {
    const bytes = await read([new Uint8Array([1, 2, 3]), new Uint8Array([4]), new Uint8Array([5, 6])], null)
    expect([...bytes]).toEqual([1, 2, 3, 4, 5, 6])
    expect(bytes.buffer.byteLength).toBe(6)
  })

  it('hands on a single chunk as it came when it spans its buffer, and copies one that is a view into a larger buffer (a caller may transfer it)', async () => {
    const whole = new Uint8Array([9, 8, 7])
    expect(await read([whole], null)).toBe(whole)
    const pooled = new Uint8Array(64).fill(1)
    const view = pooled.subarray(10, 14)
    const bytes = await read([view], null)
    expect(bytes).not.toBe(view)
    expect([...bytes]).toEqual([1, 1, 1, 1])
    expect(bytes.byteOffset).toBe(0)
    expect(bytes.buffer.byteLength).toBe(4)
  })

  it('reads a body of known length into one buffer, and says so when it is truncated or longer', async () => {
    expect([...(await read([new Uint8Array([1, 2]), new Uint8Array([3])], 3))]).toEqual([1, 2, 3])
    await expect(read([new Uint8Array([1, 2])], 3)).rejects.toThrow(/truncated: 2 of 3 bytes/)
    await expect(read([new Uint8Array([1, 2, 3, 4])], 3)).rejects.toThrow(/more than the 3 bytes it announced/)
  })

  it('refuses a body of unknown length past the limit, and reads an empty one as no bytes', async () => {
    await expect(read([new Uint8Array(600), new Uint8Array(600)], null, 1000)).rejects.toThrow(/too long/)
    expect((await read([], null)).byteLength).toBe(0)
  })
})
