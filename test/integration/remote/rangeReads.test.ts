/**
 * Range reads of a GDAL-written COG served by a real nginx: the bytes are the file's, requests
 * are as few as the runs of missing blocks, the cache answers repeated reads, requests in flight
 * are shared, at most 6 run at once per host, and an abort reaches the network.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BlockCache, openRemoteFile, sharedHostLimiter, type RemoteFile, type RemoteOptions } from '../../../src/main/remote'
import { isAbortError } from '../../../src/main/pool/errors'
import { useRemoteServer } from './remoteServer'

const server = useRemoteServer('remote-ranges')
const BLOCK = 16 * 1024

async function open(url: string, options: RemoteOptions = {}): Promise<RemoteFile> {
  const file = await openRemoteFile(url, server.opts(options))
  server.opened.push(file)
  return file
}

/** The Range header asking for blocks first…last of the file. */
function rangeOfBlocks(first: number, last: number): string {
  return `bytes=${first * BLOCK}-${Math.min((last + 1) * BLOCK, server.cog().length) - 1}`
}

describe('RemoteFile against nginx', () => {
  it('opens with one GET of the first 16 KiB, which says the size, the version and the date', async () => {
    const file = await open(server.nginx().url(server.cogName))
    const log = await server.nginx().waitForAccessLog(1)
    expect(log.map((entry) => [entry.status, entry.range, entry.bytes])).toEqual([[206, 'bytes=0-16383', 16384]])
    expect(file.info.size).toBe(server.cog().length)
    expect(file.info.version).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(file.info.lastModified).toMatch(/GMT$/)
    expect(file.info.contentType).toBe('image/tiff')
    expect(file.info.wholeBody).toBe(false)
    expect(file.stats()).toEqual({ requests: 1, bytes: 16384, bytesAfterAbort: 0, cacheBytes: 16384 })
  })

  it('returns exactly the bytes of the file on disk for any ranges (property)', async () => {
    const cog = server.cog()
    const file = await open(server.nginx().url(server.cogName))
    const range = fc.record({ offset: fc.nat({ max: cog.length - 1 }), length: fc.nat({ max: 200_000 }) })
    await fc.assert(
      fc.asyncProperty(fc.array(range, { minLength: 1, maxLength: 4 }), async (ranges) => {
        const got = await file.readRanges(ranges)
        ranges.forEach(({ offset, length }, i) => {
          expect(Buffer.from(got[i]!).equals(cog.subarray(offset, Math.min(offset + length, cog.length)))).toBe(true)
        })
      }),
      { numRuns: 15, seed: 24 }
    )
  })

  it('clamps a read past the end to the size, and reads nothing for a length of 0', async () => {
    const cog = server.cog()
    const file = await open(server.nginx().url(server.cogName))
    expect(Buffer.from(await file.read(cog.length - 10, 1000)).equals(cog.subarray(cog.length - 10))).toBe(true)
    expect((await file.read(cog.length + 5, 10)).length).toBe(0)
    expect((await file.read(100, 0)).length).toBe(0)
  })

  it('fetches the adjacent missing blocks of one read in one request, a whole tile never split', async () => {
    const file = await open(server.nginx().url(server.cogName))
    server.nginx().clearAccessLog()
    // 5 blocks (3…7) in one read, then 1 MiB (64 blocks) from block 20.
    await file.read(3 * BLOCK + 100, 4 * BLOCK)
    await file.read(20 * BLOCK, 1024 * 1024)
    const log = await server.nginx().waitForAccessLog(2)
    expect(log.map((entry) => entry.range)).toEqual([rangeOfBlocks(3, 7), rangeOfBlocks(20, 83)])
  })

  it('merges the ranges of one readRanges call into one request per run of adjacent missing blocks', async () => {
    const file = await open(server.nginx().url(server.cogName))
    server.nginx().clearAccessLog()
    // Blocks 10–11 and 12 touch: one run. Block 14 stands apart (13 is not asked). Block 0 came with the open.
    await file.readRanges([
      { offset: 10 * BLOCK + 5, length: 2 * BLOCK },
      { offset: 12 * BLOCK + 100, length: 50 },
      { offset: 14 * BLOCK, length: 10 },
      { offset: 100, length: 300 }
    ])
    const log = await server.nginx().waitForAccessLog(2)
    expect(log.map((entry) => entry.range).sort()).toEqual([rangeOfBlocks(10, 12), rangeOfBlocks(14, 14)].sort())
  })

  it('answers a repeated read from the cache, without a request', async () => {
    const file = await open(server.nginx().url(server.cogName))
    const first = await file.read(40 * BLOCK, 3 * BLOCK)
    const requests = file.stats().requests
    const again = await file.read(40 * BLOCK + 7, 2 * BLOCK)
    expect(file.stats().requests).toBe(requests)
    expect(Buffer.from(again).equals(Buffer.from(first.subarray(7, 7 + 2 * BLOCK)))).toBe(true)
    expect(file.stats().cacheBytes).toBe(4 * BLOCK)
  })

  it('keeps the cache within its budget in bytes across files, the least recently used evicted first', async () => {
    const cache = new BlockCache(5 * BLOCK)
    const a = await open(server.nginx().url(server.cogName), { cache })
    const b = await open(server.nginx().url(server.cogName), { cache })
    await a.read(10 * BLOCK, 4 * BLOCK)
    await b.read(30 * BLOCK, 8 * BLOCK)
    expect(cache.totalBytes).toBeLessThanOrEqual(5 * BLOCK)
    expect(a.stats().cacheBytes).toBe(0)
    expect(b.stats().cacheBytes).toBe(5 * BLOCK)
    // Bytes read past the budget still reach the caller, right.
    expect(Buffer.from(await b.read(30 * BLOCK, 8 * BLOCK)).equals(server.cog().subarray(30 * BLOCK, 38 * BLOCK))).toBe(true)
  })

  it('shares a request in flight between the reads that need its blocks', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().reset()
    server.proxy().always = { latencyMs: 50 }
    const [a, b] = await Promise.all([file.read(50 * BLOCK, 2 * BLOCK), file.read(50 * BLOCK + 10, BLOCK)])
    expect(server.proxy().requests.length).toBe(1)
    expect(Buffer.from(a).equals(server.cog().subarray(50 * BLOCK, 52 * BLOCK))).toBe(true)
    expect(Buffer.from(b).equals(server.cog().subarray(50 * BLOCK + 10, 51 * BLOCK + 10))).toBe(true)
  })

  it('runs at most 6 requests at once per host', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().reset()
    server.proxy().always = { latencyMs: 50 }
    // 20 reads of blocks two apart: 20 requests, all asked at once.
    const reads = Array.from({ length: 20 }, (_, i) => file.read((4 + 2 * i) * BLOCK, 100))
    await Promise.all(reads)
    expect(server.proxy().requests.length).toBe(20)
    expect(server.proxy().peakConcurrent()).toBe(6)
    expect(server.limiter().peakActive).toBe(6)
  })

  it('aborts the request when its only caller aborts: no byte fetched for nobody', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().reset()
    // The body stops after 4000 bytes: the read is mid-body when it is aborted.
    server.proxy().always = { stallAfterBytes: 4000 }
    const controller = new AbortController()
    const read = file.read(60 * BLOCK, 8 * BLOCK, controller.signal)
    await waitFor(() => file.stats().bytes >= 16384 + 4000)
    controller.abort()
    const error = await read.catch((e: unknown) => e)
    expect(isAbortError(error)).toBe(true)
    await server.proxy().idle()
    expect(server.proxy().requests.map((r) => r.clientClosedEarly)).toEqual([true])
    expect(file.stats().bytesAfterAbort).toBe(0)
    // The blocks are fetched again by the next read, whole.
    server.proxy().always = null
    expect(Buffer.from(await file.read(60 * BLOCK, 8 * BLOCK)).equals(server.cog().subarray(60 * BLOCK, 68 * BLOCK))).toBe(true)
  })

  it('aborts a request still waiting for its host slot without sending it', async () => {
    // The process's own limiter (6 per host), not the test's.
    const file = await open(server.proxy().url(server.cogName), { hostLimiter: undefined })
    server.proxy().reset()
    server.proxy().always = { latencyMs: 200 }
    const busy = Array.from({ length: 6 }, (_, i) => file.read((100 + 2 * i) * BLOCK, 10))
    await waitFor(() => server.proxy().requests.length === 6)
    // Asked once the 6 slots are taken (reads of one window start in file order).
    const controller = new AbortController()
    const waiting = file.read(90 * BLOCK, 10, controller.signal)
    // Its window closes (4 ms) and its request waits for a slot.
    await new Promise((r) => setTimeout(r, 30))
    expect(sharedHostLimiter().active(new URL(server.proxy().url(server.cogName)).host)).toBe(6)
    controller.abort()
    expect(isAbortError(await waiting.catch((e: unknown) => e))).toBe(true)
    await Promise.all(busy)
    expect(server.proxy().requests.length).toBe(6)
  })

  it('keeps a shared request going when one of its two callers aborts: the other gets its bytes', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().reset()
    server.proxy().always = { latencyMs: 100 }
    const controller = new AbortController()
    const aborted = file.read(70 * BLOCK, 3 * BLOCK, controller.signal)
    const kept = file.read(70 * BLOCK, 3 * BLOCK)
    controller.abort()
    expect(isAbortError(await aborted.catch((e: unknown) => e))).toBe(true)
    expect(Buffer.from(await kept).equals(server.cog().subarray(70 * BLOCK, 73 * BLOCK))).toBe(true)
    expect(server.proxy().requests.map((r) => r.clientClosedEarly)).toEqual([false])
    expect(file.stats().bytesAfterAbort).toBe(0)
  })

  it('close() aborts the requests in flight, frees the cache, and refuses later reads', async () => {
    const file = await openRemoteFile(server.proxy().url(server.cogName), server.opts())
    server.proxy().reset()
    server.proxy().always = { stallAfterBytes: 1000 }
    const read = file.read(80 * BLOCK, 2 * BLOCK)
    await waitFor(() => server.proxy().requests.length === 1)
    file.close()
    file.close()
    expect(isAbortError(await read.catch((e: unknown) => e))).toBe(true)
    expect(file.stats().cacheBytes).toBe(0)
    await expect(file.read(0, 10)).rejects.toThrow(`Cannot read ${server.proxy().url(server.cogName)}: the file was closed`)
    await server.proxy().idle()
  })
})

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
