/**
 * TextureService over an in-memory transport, with real rasters (sharp in real worker threads).
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import { getDefaultPools } from '../../src/main/raster/decodePools'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import { encodeUploadFrame } from '../../src/shared/uploadFrame'
import { tileKey } from '../../src/shared/tiles'
import { MESSAGE_LIMITS } from '../../src/shared/validate'
import type { OpenedRaster, ServerMessage, ServiceStats } from '../../src/shared/protocol'
import {
  MemorySink,
  expectedTile,
  makeServiceFixtures,
  serviceCall as call,
  serviceOpen as open,
  streamingScenario,
  type ServiceFixtures
} from '../helpers/serviceFixtures'

let fixtures: ServiceFixtures
const services: TextureService[] = []

beforeAll(async () => {
  fixtures = await makeServiceFixtures()
})

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()))
  await closeRasterRuntime()
  fixtures?.remove()
})

function makeService(options: Partial<ConstructorParameters<typeof TextureService>[0]> = {}): { service: TextureService; sink: MemorySink } {
  const sink = new MemorySink()
  const service = new TextureService({ sink, openRaster: rasterOpener, maxWorkers: 4, ...options })
  services.push(service)
  return { service, sink }
}

function tileKeys(sink: MemorySink, from = 0): string[] {
  return sink.frames.slice(from).map((frame) => tileKey(decodeTileFrame(frame).header))
}

describe('TextureService', () => {
  it('opens a raster by path and replies with its info', async () => {
    const { service } = makeService()
    const opened = await open(service, fixtures.tiledTiff)
    expect(opened.rasterId).toMatch(/^r\d+$/)
    expect(opened.info).toMatchObject({ width: 4096, height: 4096, tileSize: 256, strategy: 'tiled', name: 'big.tif' })
    expect(service.stats().openRasters).toBe(1)
  })

  it('refuses to open more than maxOpenRasters at once on a connection, clearly, and opens again once one is closed', async () => {
    const { service } = makeService({ maxOpenRasters: 2 })
    const first = await open(service, fixtures.tiledTiff)
    await open(service, fixtures.tiledTiff)
    const refused = (await service.receive({ type: 'open', id: 3, path: fixtures.tiledTiff })) as ServerMessage
    expect(refused).toMatchObject({
      type: 'reply-error',
      id: 3,
      error: { code: 'overloaded', message: `Cannot open ${fixtures.tiledTiff}: 2 rasters are already open on this connection; close one first` }
    })
    expect(service.stats().openRasters).toBe(2)
    await call(service, { type: 'close', id: 4, rasterId: first.rasterId })
    await expect(open(service, fixtures.tiledTiff)).resolves.toMatchObject({ info: { name: 'big.tif' } })
  })

  it('sends every kept tile exactly once with the right bytes, and no tile cancelled in the middle', async () => {
    const { service, sink } = makeService()
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const tiles = streamingScenario()
    const keep = new Set(tiles.filter((t) => t.col % 2 === 0).map((t) => tileKey({ rasterId, ...t })))

    await service.receive({ type: 'request', rasterId, tiles })
    await sink.until(() => sink.frames.length >= 20)
    await service.receive({ type: 'cancel-obsolete', rasterId, keep: [...keep] })
    const sentBeforeCancel = sink.frames.length
    await sink.until(() => [...keep].every((k) => tileKeys(sink).includes(k)))
    const stats = service.stats()
    await service.close() // waits for every running load: a late result would show up now

    const keys = tileKeys(sink)
    expect(new Set(keys).size).toBe(keys.length) // each tile once
    expect(tileKeys(sink, sentBeforeCancel).filter((k) => !keep.has(k))).toEqual([]) // none cancelled after the cancel
    const dropped = tiles.filter((t) => !keep.has(tileKey({ rasterId, ...t })))
    const droppedDelivered = keys.filter((k) => !keep.has(k)).length
    expect(droppedDelivered + stats.cancelled).toBe(dropped.length)
    expect(stats.cancelled).toBeGreaterThan(0)
    for (const frame of sink.frames) {
      const { header, data } = decodeTileFrame(frame)
      expect(header).toMatchObject({ rasterId, level: 0, width: 256, height: 256, channels: 4, sampleType: 'uint8' })
      expect(Buffer.from(data.buffer, data.byteOffset, data.byteLength).equals(Buffer.from(expectedTile(4096, 4096, 256, header.col, header.row)))).toBe(true)
    }
    expect(sink.ofType('tile-failed')).toEqual([])
  })

  it('serves a batch most urgent first: priority, then rank, then arrival', async () => {
    const { service, sink } = makeService({ maxWorkers: 1 })
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const tiles = [
      { level: 0, col: 0, row: 0, priority: 3, rank: 0 },
      { level: 0, col: 1, row: 0, priority: 1, rank: 5 },
      { level: 0, col: 2, row: 0, priority: 2, rank: 0 },
      { level: 0, col: 3, row: 0, priority: 1, rank: 1 }
    ]
    await service.receive({ type: 'request', rasterId, tiles })
    await sink.until(() => sink.frames.length === 4)
    expect(tileKeys(sink)).toEqual([3, 1, 2, 0].map((col) => tileKey({ rasterId, level: 0, col, row: 0 })))
  })

  it("switches prioritisation and cancellation off with configure 'fifo'", async () => {
    const { service, sink } = makeService({ maxWorkers: 1 })
    const { rasterId } = await open(service, fixtures.tiledTiff)
    await call(service, { type: 'configure', id: 2, scheduling: 'fifo' })
    const tiles = [3, 1, 2, 0].map((col) => ({ level: 0, col, row: 1, priority: 1 + (col % 3), rank: col }))
    await service.receive({ type: 'request', rasterId, tiles })
    await service.receive({ type: 'cancel-obsolete', rasterId, keep: [] })
    await sink.until(() => sink.frames.length === 4)
    expect(tileKeys(sink)).toEqual([3, 1, 2, 0].map((col) => tileKey({ rasterId, level: 0, col, row: 1 })))
  })

  it('hands the tile pool a tile only when a worker is free, through panning-like cancels: the pool never queues one', async () => {
    const { service, sink } = makeService()
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const pool = getDefaultPools().tiles
    let jobs = 0
    let queued = 0
    const run = pool.run.bind(pool)
    pool.run = ((job, options) => {
      const result = run(job, options)
      jobs++
      if (pool.queuedCount > 0 || pool.busyCount > pool.size) queued++
      return result
    }) as typeof pool.run
    try {
      const tiles = streamingScenario()
      await service.receive({ type: 'request', rasterId, tiles: tiles.slice(0, 100) })
      await sink.until(() => sink.frames.length >= 5)
      await service.receive({ type: 'cancel-obsolete', rasterId, keep: [] })
      await service.receive({ type: 'request', rasterId, tiles: tiles.slice(100) })
      await sink.until(() => service.stats().pending === 0 && service.stats().active === 0)
      expect(jobs).toBeGreaterThan(5)
      expect(queued).toBe(0)
    } finally {
      pool.run = run
    }
  })

  it('sends a tile requested twice while pending only once', async () => {
    const { service, sink } = makeService({ maxWorkers: 1 })
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const tiles = [0, 1, 2, 3].map((col) => ({ level: 0, col, row: 2, priority: 2 }))
    await service.receive({ type: 'request', rasterId, tiles })
    await service.receive({ type: 'request', rasterId, tiles: [{ level: 0, col: 3, row: 2, priority: 1 }] })
    await sink.until(() => service.stats().pending === 0 && service.stats().active === 0)
    await service.close()
    expect(tileKeys(sink).sort()).toEqual(tiles.map((t) => tileKey({ rasterId, ...t })).sort())
  })

  it('reports out-of-range tiles one by one and keeps serving', async () => {
    const { service, sink } = makeService()
    const { rasterId, info } = await open(service, fixtures.tiledTiff)
    const last = info.levels.length - 1
    await service.receive({
      type: 'request',
      rasterId,
      tiles: [
        { level: 0, col: 16, row: 0, priority: 1 },
        { level: last + 1, col: 0, row: 0, priority: 1 },
        { level: last, col: 0, row: 0, priority: 1 }
      ]
    })
    await sink.until(() => sink.frames.length === 1)
    const failed = sink.ofType('tile-failed')
    expect(failed.map((f) => [f.key, f.error.code])).toEqual([
      [`${rasterId}/0/16/0`, 'out-of-range'],
      [`${rasterId}/${last + 1}/0/0`, 'out-of-range']
    ])
    expect(failed[0]!.error.message).toContain('big.tif')
    expect(decodeTileFrame(sink.frames[0]!).header).toMatchObject({ level: last, col: 0, row: 0 })
  })

  it('answers malformed messages with an error, never a crash', async () => {
    const { service, sink } = makeService()
    expect(await service.receive(null)).toBeNull()
    expect(await service.receive({ type: 'explode' })).toBeNull()
    expect(await service.receive({ type: 'request', rasterId: 'r1', tiles: 'all' })).toBeNull()
    expect(sink.ofType('error').map((e) => e.error.code)).toEqual(['bad-message', 'bad-message', 'bad-message'])
    expect(sink.ofType('error')[2]!.error.message).toBe('Expected array of at most 20000 tile requests for tiles but received "all" of type string')
    const reply = await service.receive({ type: 'open', id: 7, path: 42 })
    expect(reply).toEqual({
      type: 'reply-error',
      id: 7,
      error: { code: 'bad-message', message: 'Expected non-empty string of at most 4096 characters for path but received 42 of type number' }
    })
    expect(service.stats()).toMatchObject({ openRasters: 0, pending: 0 })
  })

  it('handles a batch of notifications at once: a view left in the same task sends none of its tiles', async () => {
    const { service, sink } = makeService()
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const at = (col0: number) => Array.from({ length: 16 }, (_, i) => ({ level: 0, col: col0 + (i % 4), row: Math.floor(i / 4), priority: 1 as const, rank: i }))
    const left = at(0)
    const kept = at(8)
    const keptKeys = kept.map((t) => tileKey({ rasterId, ...t }))
    // The renderer's two frames in one task: view A asked for, then withdrawn for view B.
    service.receiveNotifications([
      { type: 'request', rasterId, tiles: left },
      { type: 'cancel-obsolete', rasterId, keep: keptKeys },
      { type: 'request', rasterId, tiles: kept }
    ])
    await sink.until(() => sink.frames.length >= kept.length)
    await service.close()
    expect(tileKeys(sink).sort()).toEqual([...keptKeys].sort())
    expect(service.stats().cancelled).toBe(left.length)
    expect(sink.ofType('error')).toEqual([])
  })

  it('refuses a bad notification of a batch alone, with one error event for the batch, and refuses bad batches', async () => {
    const { service, sink } = makeService()
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const tile = { level: 0, col: 0, row: 0, priority: 1 }
    service.receiveNotifications([
      { type: 'request', rasterId, tiles: 'all' },
      { type: 'open', id: 5, path: fixtures.png },
      { type: 'request', rasterId, tiles: [tile] }
    ])
    await sink.until(() => sink.frames.length === 1)
    const errors = sink.ofType('error').map((e) => e.error)
    expect(errors).toEqual([
      {
        code: 'bad-message',
        message: expect.stringMatching(/^Expected .* for batch\[0\]\.tiles but received "all" of type string$/)
      }
    ])
    // A call has no reply to go to from a batch: refused, not opened.
    service.receiveNotifications([{ type: 'open', id: 5, path: fixtures.png }])
    service.receiveNotifications([])
    service.receiveNotifications(Array.from({ length: MESSAGE_LIMITS.maxBatchedNotifications + 1 }, () => ({ type: 'request', rasterId, tiles: [tile] })))
    expect(sink.ofType('error').slice(1).map((e) => e.error.message)).toEqual([
      'Expected one of request, cancel-obsolete, prefetch for batch[0].type but received "open" of type string',
      'Expected 1 to 1024 notifications for batch but received 0 of type array',
      'Expected 1 to 1024 notifications for batch but received 1025 of type array'
    ])
    expect(service.stats()).toMatchObject({ pending: 0, openRasters: 1 })
    expect(sink.frames.length).toBe(1)
  })

  it('refuses unknown raster ids in requests, cancellations and close', async () => {
    const { service, sink } = makeService()
    await service.receive({ type: 'request', rasterId: 'r99', tiles: [{ level: 0, col: 0, row: 0, priority: 1 }] })
    await service.receive({ type: 'cancel-obsolete', rasterId: 'r99', keep: [] })
    expect(sink.ofType('error').map((e) => e.error.code)).toEqual(['unknown-raster', 'unknown-raster'])
    const reply = await service.receive({ type: 'close', id: 3, rasterId: 'r99' })
    expect(reply).toMatchObject({ type: 'reply-error', id: 3, error: { code: 'unknown-raster' } })
    expect(sink.frames).toEqual([])
  })

  it('fails to open a missing file or a file that is not an image, naming it', async () => {
    const { service } = makeService()
    const missing = await service.receive({ type: 'open', id: 1, path: `${fixtures.dir}/missing.tif` })
    expect(missing).toMatchObject({ type: 'reply-error', error: { code: 'open-failed' } })
    expect((missing as Extract<ServerMessage, { type: 'reply-error' }>).error.message).toContain('missing.tif')
    const notImage = await service.receive({ type: 'open', id: 2, path: fixtures.notImage })
    expect(notImage).toMatchObject({ type: 'reply-error', error: { code: 'open-failed' } })
    expect((notImage as Extract<ServerMessage, { type: 'reply-error' }>).error.message).toContain('notes.png')
  })

  it('opens only the paths its policy allows', async () => {
    const { service } = makeService({ mayOpenPath: (path) => path === fixtures.png })
    expect(await service.receive({ type: 'open', id: 1, path: fixtures.tiledTiff })).toMatchObject({ type: 'reply-error', error: { code: 'not-allowed' } })
    expect(await service.receive({ type: 'open', id: 2, path: fixtures.png })).toMatchObject({ type: 'reply', id: 2 })
  })

  it('pushes raster-opened for files the host opens', async () => {
    const { service, sink } = makeService({ mayOpenPath: () => false })
    const opened = await service.openHostPath(fixtures.png)
    expect(sink.ofType('raster-opened')).toEqual([{ type: 'raster-opened', rasterId: opened.rasterId, info: opened.info }])
  })

  it('drops the least urgent requests beyond its cap, reports each, and says so once', async () => {
    const { service, sink } = makeService({ maxPending: 10, maxWorkers: 1 })
    const { rasterId } = await open(service, fixtures.tiledTiff)
    const tiles = Array.from({ length: 30 }, (_, i) => ({ level: 0, col: i % 16, row: 3 + Math.floor(i / 16), priority: i < 20 ? 3 : 1, rank: i }))
    await service.receive({ type: 'request', rasterId, tiles })
    expect(sink.ofType('error')).toMatchObject([{ error: { code: 'overloaded' } }])
    const low = tiles.filter((t) => t.priority === 3).map((t) => tileKey({ rasterId, ...t }))
    const reported = sink.ofType('tile-failed')
    expect(reported.every((m) => m.error.code === 'overloaded' && m.rasterId === rasterId)).toBe(true)
    expect(reported.map((m) => m.key)).toEqual([...low].reverse()) // highest rank first
    await sink.until(() => sink.frames.length === 10)
    await service.close()
    const urgent = tiles.filter((t) => t.priority === 1).map((t) => tileKey({ rasterId, ...t }))
    expect(tileKeys(sink).sort()).toEqual(urgent.sort())
  })

  it('cancels everything of a raster when it is closed, and is back to zero', async () => {
    const { service, sink } = makeService({ maxWorkers: 1 })
    const { rasterId } = await open(service, fixtures.tiledTiff)
    await service.receive({ type: 'request', rasterId, tiles: streamingScenario() })
    await call(service, { type: 'close', id: 9, rasterId })
    const stats = await call<ServiceStats>(service, { type: 'stats', id: 10 })
    expect(stats).toMatchObject({ pending: 0, active: 0, openRasters: 0 })
    expect(stats.cancelled + stats.done).toBe(200)
    await service.close()
    await service.close() // idempotent
    expect(sink.frames.length).toBe(stats.done)
  })

  it('stores an upload in a temporary file, opens it, and deletes it when closed', async () => {
    const { service } = makeService({ uploadRoot: fixtures.dir })
    const bytes = new Uint8Array(await readFile(fixtures.png))
    const { uploadId } = await call<{ uploadId: string }>(service, { type: 'upload-begin', id: 1, name: 'dropped.png', size: bytes.byteLength })
    const chunk = 64 * 1024
    for (let offset = 0; offset < bytes.byteLength; offset += chunk) service.receiveBinary(encodeUploadFrame(uploadId, offset, bytes.subarray(offset, offset + chunk)))
    const opened = await call<OpenedRaster>(service, { type: 'upload-end', id: 2, uploadId })
    expect(opened.info).toMatchObject({ name: 'dropped.png', width: 2048, height: 2048 })
    const uploadDirs = (await readdir(fixtures.dir)).filter((name) => name.startsWith('tessera-uploads-'))
    expect(uploadDirs).toHaveLength(1)
    const dir = `${fixtures.dir}/${uploadDirs[0]}`
    expect(existsSync(`${dir}/1/dropped.png`)).toBe(true)
    await call(service, { type: 'close', id: 3, rasterId: opened.rasterId })
    expect(existsSync(`${dir}/1/dropped.png`)).toBe(false)
    await service.close()
    expect(existsSync(dir)).toBe(false)
  })

  it('refuses an upload that ends short or a chunk out of order', async () => {
    const { service, sink } = makeService({ uploadRoot: fixtures.dir })
    const { uploadId } = await call<{ uploadId: string }>(service, { type: 'upload-begin', id: 1, name: 'short.png', size: 100 })
    service.receiveBinary(encodeUploadFrame(uploadId, 50, new Uint8Array(10)))
    expect(sink.ofType('error')).toMatchObject([{ error: { code: 'bad-message' } }])
    service.receiveBinary(encodeUploadFrame(uploadId, 0, new Uint8Array(10)))
    expect(await service.receive({ type: 'upload-end', id: 2, uploadId })).toMatchObject({ type: 'reply-error', error: { code: 'bad-message', message: 'Upload of short.png ended after 10 of 100 bytes' } })
  })

  it('refuses uploads when the host accepts none', async () => {
    const { service } = makeService()
    expect(await service.receive({ type: 'upload-begin', id: 1, name: 'a.png', size: 1 })).toMatchObject({ type: 'reply-error', error: { code: 'not-allowed' } })
  })
})
