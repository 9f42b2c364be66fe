/**
 * Faults through a TextureService with real rasters in real worker threads: a pyramid cache that
 * cannot be written, a worker that dies in the middle of a tile job, a connection closed while
 * tiles are in flight.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import type { RasterOpener } from '../../src/main/service/types'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import { openRaster, type RasterSource } from '../../src/main/raster'
import { cachePaths } from '../../src/main/raster/pyramidCache'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import { tileKey } from '../../src/shared/tiles'
import type { OpenedRaster, ServerMessage } from '../../src/shared/protocol'
import { MemorySink, expectedTile, makeServiceFixtures, smallMemoryOpenOptions, streamingScenario, type ServiceFixtures } from '../helpers/serviceFixtures'

let fixtures: ServiceFixtures
let pool: DecodePool
let background: DecodePool
const services: TextureService[] = []

beforeAll(async () => {
  fixtures = await makeServiceFixtures()
  pool = createDecodePool({ size: 2, testHooks: true, name: 'tile pool' })
  background = createDecodePool({ size: 1, name: 'background pool' })
}, 60_000)

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()))
  await Promise.all([pool?.close(), background?.close()])
  fixtures?.remove()
})

/** Opens through `openRaster` on this file's pools; the 2048² PNG takes strategy 'pyramid' (memoryMaxPixels 1 M). */
function opener(cacheDir: string, wrap: (source: RasterSource) => RasterSource = (s) => s): RasterOpener {
  return async (path, hooks) =>
    wrap(
      await openRaster(path, { pool, backgroundPool: background, ...smallMemoryOpenOptions(cacheDir, hooks) })
    )
}

function makeService(openRasterWith: RasterOpener): { service: TextureService; sink: MemorySink } {
  const sink = new MemorySink()
  const service = new TextureService({ sink, openRaster: openRasterWith, maxWorkers: 2 })
  services.push(service)
  return { service, sink }
}

async function open(service: TextureService, path: string): Promise<OpenedRaster> {
  const reply = (await service.receive({ type: 'open', id: 1, path })) as ServerMessage
  if (reply.type !== 'reply') throw new Error(`open failed: ${JSON.stringify(reply)}`)
  return reply.result as OpenedRaster
}

/** Requests one tile and resolves with its frame (pixels) or its tile-failed message. */
async function fetchTile(service: TextureService, sink: MemorySink, rasterId: string, level: number, col: number, row: number) {
  const key = tileKey({ rasterId, level, col, row })
  const frameAt = (): number => sink.frames.findIndex((f) => tileKey(decodeTileFrame(f).header) === key)
  const failedAt = (): number => sink.messages.findIndex((m) => m.type === 'tile-failed' && m.key === key)
  // Forget earlier answers for this key, so that a request made again is judged on its own.
  for (let i; (i = frameAt()) >= 0; ) sink.frames.splice(i, 1)
  for (let i; (i = failedAt()) >= 0; ) sink.messages.splice(i, 1)
  await service.receive({ type: 'request', rasterId, tiles: [{ level, col, row, priority: 1, rank: 0 }] })
  await sink.until(() => frameAt() >= 0 || failedAt() >= 0)
  const frame = frameAt() >= 0 ? decodeTileFrame(sink.frames[frameAt()]!) : null
  const failed = failedAt() >= 0 ? (sink.messages[failedAt()] as Extract<ServerMessage, { type: 'tile-failed' }>) : null
  return { frame, failed }
}

/** True when a tile's samples are exactly `expected` (compared as bytes: fast, and a short diff on failure). */
function sameBytes(data: ArrayBufferView, expected: Uint8Array): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).equals(Buffer.from(expected))
}

describe('faults: the pyramid cache cannot be written', () => {
  it('a cache directory under a regular file (ENOTDIR, also for root): the raster opens, a warning names the file and the cache, fine tiles are decoded from the source', async () => {
    const blocker = join(fixtures.dir, 'not-a-directory')
    writeFileSync(blocker, 'a regular file where the cache directory should be\n')
    const cacheDir = join(blocker, 'cache')
    const { service, sink } = makeService(opener(cacheDir))
    const opened = await open(service, fixtures.png)
    expect(opened.info).toMatchObject({ strategy: 'pyramid', pyramidReady: false, width: 2048, height: 2048 })

    await sink.until(() => sink.ofType('error').length > 0)
    const [warning] = sink.ofType('error')
    expect(warning!.error.code).toBe('decode-failed')
    expect(warning!.error.message).toContain(fixtures.png)
    expect(warning!.error.message).toContain(`the pyramid cache at ${cacheDir} is not writable`)
    expect(warning!.error.message).toContain('tiles are decoded from the source')
    // No build ran: the only progress event is the one that ends the phase, so the renderer's bar goes away.
    expect(sink.ofType('progress')).toEqual([{ type: 'progress', rasterId: opened.rasterId, phase: 'pyramid', progress: 1 }])

    // Level 0 is far finer than the 512-pixel overview: decoded from the PNG itself, exact.
    const fine = await fetchTile(service, sink, opened.rasterId, 0, 3, 5)
    expect(fine.failed).toBeNull()
    expect(sameBytes(fine.frame!.data, expectedTile(2048, 2048, 256, 3, 5))).toBe(true)
    const edge = await fetchTile(service, sink, opened.rasterId, 0, 7, 7)
    expect(sameBytes(edge.frame!.data, expectedTile(2048, 2048, 256, 7, 7))).toBe(true)
    // The overview's levels still come from memory.
    const coarse = await fetchTile(service, sink, opened.rasterId, 3, 0, 0)
    expect(coarse.frame!.header).toMatchObject({ width: 256, height: 256, channels: 4 })
    expect(service.stats()).toMatchObject({ openRasters: 1, pending: 0, active: 0 })
  })

  it('a pyramid write that fails (injected: a directory where the pyramid file goes, standing in for a full disk): a warning, then fine tiles are decoded from the source', async () => {
    const cacheDir = join(fixtures.dir, 'cache-write-fails')
    mkdirSync(join(cachePaths(cacheDir, fixtures.png, 256).pyramid, 'blocks-the-write'), { recursive: true })
    const { service, sink } = makeService(opener(cacheDir))
    const opened = await open(service, fixtures.png)
    expect(opened.info).toMatchObject({ strategy: 'pyramid', pyramidReady: false })

    await sink.until(() => sink.ofType('error').length > 0)
    const [warning] = sink.ofType('error')
    expect(warning!.error.code).toBe('decode-failed')
    expect(warning!.error.message).toContain(`Cannot build the pyramid of ${fixtures.png} in ${cacheDir}`)
    expect(warning!.error.message).toContain('tiles are decoded from the source')
    expect(sink.ofType('raster-updated')).toEqual([])
    expect(sink.ofType('progress').at(-1)).toMatchObject({ rasterId: opened.rasterId, progress: 1 }) // the bar ends

    const fine = await fetchTile(service, sink, opened.rasterId, 0, 2, 6)
    expect(sameBytes(fine.frame!.data, expectedTile(2048, 2048, 256, 2, 6))).toBe(true)
  })
})

describe('faults: workers and connections', () => {
  it('a worker that dies in the middle of a tile job fails only that tile, with a clear tile-failed; the next request succeeds', async () => {
    const replacedBefore = pool.stats().replaced
    let crashes = 1
    // The tile's job is a worker that exits while running it (test hook), once.
    const crashOnce = (source: RasterSource): RasterSource => ({
      info: source.info,
      close: () => source.close(),
      async readTile(level, col, row, signal) {
        if (level === 0 && col === 5 && row === 5 && crashes-- > 0) await pool.run({ kind: 'test:exit', code: 7 }, { signal })
        return source.readTile(level, col, row, signal)
      }
    })
    const { service, sink } = makeService(opener(join(fixtures.dir, 'cache-worker'), crashOnce))
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const tiles = [
      { level: 0, col: 4, row: 5, priority: 1, rank: 0 },
      { level: 0, col: 5, row: 5, priority: 1, rank: 1 },
      { level: 0, col: 6, row: 5, priority: 1, rank: 2 }
    ]
    await service.receive({ type: 'request', rasterId, tiles })
    await sink.until(() => sink.frames.length + sink.ofType('tile-failed').length >= 3)

    const failed = sink.ofType('tile-failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ rasterId, key: tileKey({ rasterId, level: 0, col: 5, row: 5 }), error: { code: 'decode-failed' } })
    expect(failed[0]!.error.message).toMatch(/A worker of the tile pool exited with code 7 while running a test:exit job/)
    const sent = sink.frames.map((f) => tileKey(decodeTileFrame(f).header)).sort()
    expect(sent).toEqual([tileKey({ rasterId, level: 0, col: 4, row: 5 }), tileKey({ rasterId, level: 0, col: 6, row: 5 })])
    expect(pool.stats().replaced).toBe(replacedBefore + 1)

    const again = await fetchTile(service, sink, rasterId, 0, 5, 5)
    expect(again.failed).toBeNull()
    expect(sameBytes(again.frame!.data, expectedTile(4096, 4096, 256, 5, 5))).toBe(true)
    expect(service.stats()).toMatchObject({ pending: 0, active: 0, failed: 1 })
  })

  it('closing the connection (service.close) while tiles are in flight: nothing pending or active, the pool idle, nothing sent after', async () => {
    const { service, sink } = makeService(opener(join(fixtures.dir, 'cache-close')))
    const { rasterId } = await open(service, fixtures.tiledTiff)
    await service.receive({ type: 'request', rasterId, tiles: streamingScenario() })
    await sink.until(() => sink.frames.length >= 3)
    expect(service.stats().pending + service.stats().active).toBeGreaterThan(0)

    await service.close()
    const sentAtClose = sink.frames.length
    expect(sentAtClose).toBeLessThan(200)
    expect(service.stats()).toMatchObject({ pending: 0, active: 0, openRasters: 0 })
    // A running decode whose result was discarded ends on its own; then the pool is idle.
    await expect.poll(() => pool.stats(), { timeout: 30_000 }).toMatchObject({ busy: 0, queued: 0 })
    expect(sink.frames.length).toBe(sentAtClose)
    // The pool still serves others.
    await expect(pool.run({ kind: 'test:echo', value: 'still here' })).resolves.toBe('still here')
  })
})
