/**
 * The prefetch of a remote raster's scheduled tiles (`raster/remotePrefetch.ts`) and which blocks a
 * tile's region reads (`raster/remoteTileBytes.ts` `blocksOf`): bounded, most urgent first, a
 * withdrawn tile never fetched, failures left to the decode.
 */
import { describe, expect, it } from 'vitest'
import { RemotePrefetcher } from '../../src/main/raster/remotePrefetch'
import { blocksOf } from '../../src/main/raster/remoteTileBytes'
import type { ByteRange } from '../../src/main/raster/decode/remoteLocation'

/** A read that resolves when the test says, recording what it was asked. */
function controlledReads(): { read: (ranges: ByteRange[], signal: AbortSignal) => Promise<unknown>; asked: Array<{ ranges: ByteRange[]; signal: AbortSignal; done: () => void }> } {
  const asked: Array<{ ranges: ByteRange[]; signal: AbortSignal; done: () => void }> = []
  return {
    asked,
    read: (ranges, signal) => new Promise<void>((resolve) => asked.push({ ranges, signal, done: resolve }))
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const tile = (offset: number) => () => Promise.resolve([{ offset, length: 10 }])

describe('RemotePrefetcher', () => {
  it('starts at most maxTiles at once, the most urgent first, the next as one ends', async () => {
    const { read, asked } = controlledReads()
    const prefetcher = new RemotePrefetcher(read, { maxTiles: 2 })
    const signal = new AbortController().signal
    prefetcher.prefetch(tile(300), signal, { priority: 2, rank: 0 })
    prefetcher.prefetch(tile(100), signal, { priority: 1, rank: 5 })
    prefetcher.prefetch(tile(200), signal, { priority: 1, rank: 1 })
    prefetcher.prefetch(tile(400), signal, { priority: 3, rank: 0 })
    await turn()
    expect(asked.map((a) => a.ranges[0]!.offset)).toEqual([200, 100])
    expect(prefetcher.counts).toEqual({ waiting: 2, running: 2 })
    asked[1]!.done()
    await turn()
    expect(asked.map((a) => a.ranges[0]!.offset)).toEqual([200, 100, 300])
    asked[0]!.done()
    asked[2]!.done()
    await turn()
    expect(asked.map((a) => a.ranges[0]!.offset)).toEqual([200, 100, 300, 400])
  })

  it('never fetches a tile withdrawn while it waits, and reads under its signal', async () => {
    const { read, asked } = controlledReads()
    const prefetcher = new RemotePrefetcher(read, { maxTiles: 1 })
    const first = new AbortController()
    const second = new AbortController()
    prefetcher.prefetch(tile(1), first.signal, { priority: 1, rank: 0 })
    prefetcher.prefetch(tile(2), second.signal, { priority: 1, rank: 1 })
    await turn()
    second.abort()
    expect(prefetcher.counts).toEqual({ waiting: 0, running: 1 })
    expect(asked[0]!.signal).toBe(first.signal)
    asked[0]!.done()
    await turn()
    expect(asked).toHaveLength(1)
    prefetcher.prefetch(tile(3), second.signal, { priority: 1, rank: 0 })
    await turn()
    expect(asked).toHaveLength(1)
  })

  it("leaves a tile whose bytes exceed maxBytesPerTile, or whose ranges are unknown, to its worker; a failure is the decode's", async () => {
    const reads: ByteRange[][] = []
    const prefetcher = new RemotePrefetcher(
      async (ranges) => {
        reads.push(ranges)
        throw new Error('the server is down')
      },
      { maxBytesPerTile: 100 }
    )
    const signal = new AbortController().signal
    prefetcher.prefetch(() => Promise.resolve([{ offset: 0, length: 60 }, { offset: 100, length: 60 }]), signal, { priority: 1, rank: 0 })
    prefetcher.prefetch(() => Promise.resolve(null), signal, { priority: 1, rank: 0 })
    prefetcher.prefetch(() => Promise.reject(new Error('no structure')), signal, { priority: 1, rank: 0 })
    prefetcher.prefetch(tile(7), signal, { priority: 1, rank: 0 })
    await turn()
    await turn()
    expect(reads).toEqual([[{ offset: 7, length: 10 }]])
    expect(prefetcher.counts).toEqual({ waiting: 0, running: 0 })
  })

  it('fetches at most maxBytes at once (one tile alone may pass it); a tile withdrawn while held back is never fetched', async () => {
    const { read, asked } = controlledReads()
    const prefetcher = new RemotePrefetcher(read, { maxTiles: 10, maxBytes: 25 })
    const signal = new AbortController().signal
    const withdrawn = new AbortController()
    const big = () => Promise.resolve([{ offset: 0, length: 40 }])
    prefetcher.prefetch(tile(1), signal, { priority: 1, rank: 0 })
    prefetcher.prefetch(tile(2), signal, { priority: 1, rank: 1 })
    prefetcher.prefetch(tile(3), withdrawn.signal, { priority: 1, rank: 2 })
    prefetcher.prefetch(big, signal, { priority: 1, rank: 3 })
    await turn()
    expect(asked.map((a) => a.ranges[0]!.offset)).toEqual([1, 2])
    withdrawn.abort()
    asked[0]!.done()
    await turn()
    // 10 bytes run: the withdrawn tile left, the 40-byte tile waits until nothing runs.
    expect(asked.map((a) => a.ranges[0]!.offset)).toEqual([1, 2])
    asked[1]!.done()
    await turn()
    expect(asked.map((a) => a.ranges[0]!.offset)).toEqual([1, 2, 0])
    asked[2]!.done()
    await turn()
    expect(prefetcher.counts).toEqual({ waiting: 0, running: 0 })
  })

  it('after close, starts nothing', async () => {
    const { read, asked } = controlledReads()
    const prefetcher = new RemotePrefetcher(read)
    const signal = new AbortController().signal
    prefetcher.prefetch(tile(1), signal, { priority: 1, rank: 0 })
    prefetcher.close()
    prefetcher.close()
    prefetcher.prefetch(tile(2), signal, { priority: 1, rank: 0 })
    await turn()
    expect(asked).toHaveLength(0)
    expect(prefetcher.counts).toEqual({ waiting: 0, running: 0 })
  })
})

describe('blocksOf (the stored blocks a region reads)', () => {
  // 3 × 2 blocks of 256 (the last column and row partial), block i at offset 1000·i, length 10 + i; block 4 stored empty.
  const index = {
    blockWidth: 256,
    blockHeight: 256,
    across: 3,
    down: 2,
    planes: 1,
    offsets: [0, 1000, 2000, 3000, 4000, 5000],
    counts: [10, 11, 12, 13, 0, 15]
  }

  it('names the blocks the rectangle meets, row by row, leaving out those stored empty', () => {
    expect(blocksOf(index, { left: 200, top: 100, width: 400, height: 300 })).toEqual([
      { offset: 0, length: 10 },
      { offset: 1000, length: 11 },
      { offset: 2000, length: 12 },
      { offset: 3000, length: 13 },
      { offset: 5000, length: 15 }
    ])
    expect(blocksOf(index, { left: 256, top: 0, width: 256, height: 256 })).toEqual([{ offset: 1000, length: 11 }])
  })

  it('reads every plane of a planar-separate image', () => {
    const planar = { ...index, planes: 2, offsets: [...index.offsets, 6000, 7000, 8000, 9000, 10000, 11000], counts: [...index.counts, 1, 2, 3, 4, 5, 6] }
    expect(blocksOf(planar, { left: 0, top: 300, width: 10, height: 10 })).toEqual([
      { offset: 3000, length: 13 },
      { offset: 9000, length: 4 }
    ])
  })
})
