/**
 * Reads arriving together are fetched together (issue 24's bench: a decode worker asks for one tile
 * at a time, GDAL for a window's tiles at once): the tiles of a COG row read by separate concurrent
 * reads go in one request, counted in nginx's access log, with exactly the bytes asked (aligned to
 * the default 4 KiB blocks); a tile withdrawn before the window closes is not fetched; a merged
 * request is aborted only when every read it serves was withdrawn.
 */
import { fromArrayBuffer } from 'geotiff'
import { beforeAll, describe, expect, it } from 'vitest'
import { defaultRemoteOptions, openRemoteFile, type RemoteFile, type RemoteOptions } from '../../../src/main/remote'
import { isAbortError } from '../../../src/main/pool/errors'
import { useRemoteServer } from './remoteServer'

const server = useRemoteServer('remote-coalescing')
const BLOCK = defaultRemoteOptions.blockSize
const GAP = defaultRemoteOptions.mergeGapBytes

/** The tiles of the COG's first row at full resolution: offset and length of each. */
let row: Array<{ offset: number; length: number }> = []

beforeAll(async () => {
  const cog = server.cog()
  const tiff = await fromArrayBuffer(cog.buffer.slice(cog.byteOffset, cog.byteOffset + cog.byteLength) as ArrayBuffer)
  const image = await tiff.getImage(0)
  const offsets = (await image.fileDirectory.loadValue('TileOffsets')) as ArrayLike<number>
  const counts = (await image.fileDirectory.loadValue('TileByteCounts')) as ArrayLike<number>
  const across = Math.ceil(image.getWidth() / image.getTileWidth())
  row = Array.from({ length: across }, (_, i) => ({ offset: Number(offsets[i]), length: Number(counts[i]) }))
})

/** Default block size, gap and window (the fixture's own are 16 KiB blocks and no gap). */
async function open(url: string, extra: RemoteOptions = {}): Promise<RemoteFile> {
  const file = await openRemoteFile(url, server.opts({ blockSize: BLOCK, mergeGapBytes: GAP, ...extra }))
  server.opened.push(file)
  return file
}

const down = (at: number): number => Math.floor(at / BLOCK) * BLOCK
const up = (at: number): number => Math.min(Math.ceil(at / BLOCK) * BLOCK, server.cog().length)
const rangeHeader = (start: number, end: number): string => `bytes=${start}-${end - 1}`
const endOf = (tile: { offset: number; length: number }): number => tile.offset + tile.length

describe('RemoteFile coalesces concurrent reads', () => {
  it('the tiles of a row, read by separate reads at once: one request, exactly their blocks', async () => {
    expect(row.length).toBe(5)
    const file = await open(server.nginx().url(server.cogName))
    server.nginx().clearAccessLog()
    const got = await Promise.all(row.map((tile) => file.read(tile.offset, tile.length)))
    const log = await server.nginx().waitForAccessLog(1)
    expect(log.map((entry) => entry.range)).toEqual([rangeHeader(down(row[0]!.offset), up(endOf(row[4]!)))])
    expect(log[0]!.bytes).toBe(up(endOf(row[4]!)) - down(row[0]!.offset))
    row.forEach((tile, i) => expect(Buffer.from(got[i]!).equals(server.cog().subarray(tile.offset, endOf(tile)))).toBe(true))
    expect(file.stats().requests).toBe(2)
  })

  it('a read arriving within the window (1 ms after) joins the first one\'s request; one after it does not', async () => {
    // A window far wider than the 1 ms between the reads: at the default 4 ms, a loaded machine
    // that paused this test 3 ms between the first read and its timer closed the window first.
    const file = await open(server.nginx().url(server.cogName), { coalesceMs: 250 })
    server.nginx().clearAccessLog()
    const first = file.read(row[0]!.offset, row[0]!.length)
    await new Promise((r) => setTimeout(r, 1))
    const second = file.read(row[1]!.offset, row[1]!.length)
    await Promise.all([first, second])
    expect((await server.nginx().waitForAccessLog(1)).map((entry) => entry.range)).toEqual([rangeHeader(down(row[0]!.offset), up(endOf(row[1]!)))])
    // A window of 0 ms: the next turn's read is its own request.
    const apart = await open(server.nginx().url(server.cogName), { coalesceMs: 0 })
    server.nginx().clearAccessLog()
    const a = apart.read(row[2]!.offset, row[2]!.length)
    await new Promise((r) => setTimeout(r, 20))
    await Promise.all([a, apart.read(row[3]!.offset, row[3]!.length)])
    expect((await server.nginx().waitForAccessLog(2)).map((entry) => entry.range)).toEqual([
      rangeHeader(down(row[2]!.offset), up(endOf(row[2]!))),
      // The block holding the end of tile 2 and the start of tile 3 is in the cache: not fetched twice.
      rangeHeader(up(endOf(row[2]!)), up(endOf(row[3]!)))
    ])
  })

  it('reads a small gap apart share a request (the gap fetched with them); a gap wider than mergeGapBytes does not', async () => {
    const file = await open(server.nginx().url(server.cogName))
    server.nginx().clearAccessLog()
    const at = 40 * BLOCK
    await Promise.all([file.read(at, 100), file.read(at + GAP, 100), file.read(at + 3 * GAP, 100)])
    const log = await server.nginx().waitForAccessLog(2)
    expect(log.map((entry) => entry.range).sort()).toEqual([rangeHeader(at, at + GAP + BLOCK), rangeHeader(at + 3 * GAP, at + 3 * GAP + BLOCK)].sort())
  })

  it('reads continuing the first GET (the structure: IFDs, tile arrays) grow fourfold: three times as many bytes as read from the start, no more than asked elsewhere', async () => {
    const file = await open(server.nginx().url(server.cogName))
    const header = defaultRemoteOptions.headerBytes
    server.nginx().clearAccessLog()
    // geotiff.js asks for an IFD 1 KiB at a time: the first continuation reads up to 4 × 16 KiB, the next up to 16 × 16 KiB.
    const got = await file.read(header + 100, 1024)
    await file.read(2 * header + 10, 1024)
    await file.read(4 * header + 10, 1024)
    // Elsewhere: only the blocks asked.
    await file.read(100 * BLOCK + 10, 100)
    const log = await server.nginx().waitForAccessLog(3)
    expect(log.map((entry) => entry.range)).toEqual([rangeHeader(header, 4 * header), rangeHeader(4 * header, 16 * header), rangeHeader(100 * BLOCK, 101 * BLOCK)])
    expect(Buffer.from(got).equals(server.cog().subarray(header + 100, header + 1124))).toBe(true)
  })

  it('a tile withdrawn before its window closes is not fetched: the others are, around it', async () => {
    const [, , middle] = row
    // Wide enough that the tiles on both sides are not joined across it.
    expect(middle!.length).toBeGreaterThan(GAP + 2 * BLOCK)
    const file = await open(server.nginx().url(server.cogName))
    server.nginx().clearAccessLog()
    const controller = new AbortController()
    const reads = row.map((tile, i) => file.read(tile.offset, tile.length, i === 2 ? controller.signal : undefined))
    controller.abort()
    const results = await Promise.allSettled(reads)
    expect(isAbortError((results[2] as PromiseRejectedResult).reason)).toBe(true)
    const log = await server.nginx().waitForAccessLog(2)
    expect(log.map((entry) => entry.range).sort()).toEqual(
      [rangeHeader(down(row[0]!.offset), up(endOf(row[1]!))), rangeHeader(down(row[3]!.offset), up(endOf(row[4]!)))].sort()
    )
    // Of the withdrawn tile, at most the blocks it shares with its neighbours.
    const fetched = log.reduce((sum, entry) => sum + entry.bytes, 0)
    expect(fetched).toBe(up(endOf(row[1]!)) - down(row[0]!.offset) + up(endOf(row[4]!)) - down(row[3]!.offset))
    expect(file.stats().bytesAfterAbort).toBe(0)
  })

  it('a merged request goes on while one of its reads waits, and is aborted when the last one is withdrawn', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().reset()
    // The answer held back far longer than the 30 ms before the first withdrawal, so that a loaded
    // machine pausing this test cannot let the answer come first.
    server.proxy().always = { latencyMs: 400 }
    const one = new AbortController()
    const two = new AbortController()
    const first = file.read(row[0]!.offset, row[0]!.length, one.signal)
    const second = file.read(row[1]!.offset, row[1]!.length, two.signal)
    await new Promise((r) => setTimeout(r, 30))
    one.abort()
    expect(isAbortError(await first.catch((e: unknown) => e))).toBe(true)
    expect(Buffer.from(await second).equals(server.cog().subarray(row[1]!.offset, endOf(row[1]!)))).toBe(true)
    await server.proxy().idle()
    expect(server.proxy().requests.map((r) => r.clientClosedEarly)).toEqual([false])

    // Both withdrawn mid-body: the request is aborted, no byte received after.
    server.proxy().reset()
    server.proxy().always = { stallAfterBytes: 4000 }
    const three = new AbortController()
    const four = new AbortController()
    const before = file.stats().bytes
    const third = file.read(row[2]!.offset, row[2]!.length, three.signal).catch((e: unknown) => e)
    const fourth = file.read(row[3]!.offset, row[3]!.length, four.signal).catch((e: unknown) => e)
    await waitFor(() => file.stats().bytes >= before + 4000)
    three.abort()
    await new Promise((r) => setTimeout(r, 20))
    expect(server.proxy().requests.map((r) => r.clientClosedEarly)).toEqual([false])
    four.abort()
    for (const read of [third, fourth]) expect(isAbortError(await read)).toBe(true)
    await server.proxy().idle()
    expect(server.proxy().requests.length).toBe(1)
    expect(server.proxy().requests.map((r) => r.clientClosedEarly)).toEqual([true])
    expect(file.stats().bytesAfterAbort).toBe(0)
  })
})

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
