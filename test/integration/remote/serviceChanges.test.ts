/**
 * A raster opened by URL (`open-url`) while its file changes on the server, at the TextureService
 * level (issue 24): replaced, it is withdrawn and reloaded as a changed local file is
 * (`raster-updated`, then tiles of the new version, as GDAL reads the new file); a brief server
 * failure during the check that follows a changed answer or a failed read does not make it gone
 * (its tiles fail, it stays, and opens again once the server answers); a URL that answers 404 is
 * gone, said so by its status. Debian's nginx serves GDAL-written COGs; the fault proxy (in front)
 * makes the server fail.
 */
import { renameSync, unlinkSync, utimesSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeRasterRuntime, rasterOpener } from '../../../src/main/host/rasterOpener'
import { resetSharedRemoteFiles } from '../../../src/main/raster/remoteFiles'
import { TextureService } from '../../../src/main/service/TextureService'
import type { OpenedRaster, ServerMessage, TileRequest } from '../../../src/shared/protocol'
import type { RasterInfo } from '../../../src/shared/raster'
import { decodeTileFrame } from '../../../src/shared/tileFrame'
import { tileKey } from '../../../src/shared/tiles'
import { startFaultProxy, type FaultProxy } from '../../helpers/faultProxy'
import * as gdal from '../../helpers/gdal'
import { tempDir } from '../../helpers/images'
import { requireNginx, startNginx, type NginxServer } from '../../helpers/nginx'
import { MemorySink, serviceCall } from '../../helpers/serviceFixtures'

/** 4 × 3 tiles of 256 at level 0, edge tiles smaller; the COG driver adds overviews. */
const W = 1000
const H = 700
const rgb = { colorInterp: ['Red', 'Green', 'Blue'] }

const tmp = tempDir('tessera-remote-service-')
let nginx: NginxServer
let proxy: FaultProxy
const services: TextureService[] = []

beforeAll(async () => {
  requireNginx()
  gdal.requireGdal()
  // Short waits between retries: a failing server fails a read within milliseconds.
  resetSharedRemoteFiles({ retryBaseDelayMs: 5 })
  nginx = await startNginx(tmp.dir)
  proxy = await startFaultProxy(nginx.port)
})

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()))
  proxy.reset()
})

afterAll(async () => {
  await proxy?.close()
  await nginx?.stop()
  resetSharedRemoteFiles()
  await closeRasterRuntime()
  tmp.cleanup()
})

/** Writes version `seed` of `name`.tif (8-bit RGB, DEFLATE) into the served folder, replacing any (written beside, renamed over, a later date: a new ETag). */
async function writeCog(name: string, seed: number): Promise<void> {
  await gdal.gdalRaster(tmp.dir, `${name}-next`, gdal.valueGrid(W, H, 3, 'uint8', seed), ['-of', 'COG', '-co', 'BLOCKSIZE=256', '-co', 'COMPRESS=DEFLATE'], rgb)
  const future = new Date(Date.now() + seed * 1000)
  utimesSync(tmp.file(`${name}-next.tif`), future, future)
  renameSync(tmp.file(`${name}-next.tif`), tmp.file(`${name}.tif`))
}

function makeService(): { service: TextureService; sink: MemorySink } {
  const sink = new MemorySink()
  const service = new TextureService({ sink, openRaster: rasterOpener, maxWorkers: 2, fileChangeDebounceMs: 20 })
  services.push(service)
  return { service, sink }
}

function openUrl(service: TextureService, url: string): Promise<OpenedRaster> {
  return serviceCall<OpenedRaster>(service, { type: 'open-url', id: 1, url })
}

/** Resolves once `predicate` holds (checked after every message, and every 20 ms), or fails after `ms` naming what was awaited. */
async function within(ms: number, what: string, sink: MemorySink, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms: ${what}; messages: ${JSON.stringify(sink.messages.slice(-6))}`)
    await Promise.race([sink.until(predicate), new Promise((resolve) => setTimeout(resolve, 20))])
  }
}

/** Level-0 tiles of `info`. */
function levelZero(info: RasterInfo): TileRequest[] {
  const cols = Math.ceil(info.levels[0]!.width / info.tileSize)
  const rows = Math.ceil(info.levels[0]!.height / info.tileSize)
  return Array.from({ length: cols * rows }, (_, i) => ({ level: 0, col: i % cols, row: Math.floor(i / cols), priority: 1 as const }))
}

/** Frames of `rasterId` received from index `from` of the sink's frames on, by tile key (the last of each). */
function framesFrom(sink: MemorySink, from: number): Map<string, ReturnType<typeof decodeTileFrame>> {
  const frames = new Map<string, ReturnType<typeof decodeTileFrame>>()
  for (const frame of sink.frames.slice(from)) {
    const tile = decodeTileFrame(frame)
    frames.set(tileKey(tile.header), tile)
  }
  return frames
}

/** The pixels of a level-0 RGBA tile that differ from GDAL's read `ref` (R, G, B; opaque), with the first few named. */
function differences(tile: ReturnType<typeof decodeTileFrame>, ref: gdal.Grid, tileSize: number): { count: number; first: string[] } {
  const { col, row, width, height } = tile.header
  const plane = ref.width * ref.height
  let count = 0
  const first: string[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (row * tileSize + y) * ref.width + col * tileSize + x
      const t = (y * width + x) * 4
      const ours = [tile.data[t]!, tile.data[t + 1]!, tile.data[t + 2]!, tile.data[t + 3]!]
      const theirs = [ref.data[i]!, ref.data[plane + i]!, ref.data[2 * plane + i]!, 255]
      if (ours.some((value, b) => value !== theirs[b])) {
        count++
        if (first.length < 3) first.push(`(${col * tileSize + x}, ${row * tileSize + y}): Tessera ${ours}, GDAL ${theirs}`)
      }
    }
  }
  return { count, first }
}

/** Asks for `tiles` and waits for each to come as a frame (or fail); returns the frames received for them. */
async function request(service: TextureService, sink: MemorySink, rasterId: string, tiles: TileRequest[]): Promise<Map<string, ReturnType<typeof decodeTileFrame>>> {
  const from = sink.frames.length
  const failedFrom = sink.ofType('tile-failed').length
  const keys = tiles.map((tile) => tileKey({ rasterId, ...tile }))
  await service.receive({ type: 'request', rasterId, tiles })
  const settled = (): boolean => {
    const got = framesFrom(sink, from)
    const failed = new Set(sink.ofType('tile-failed').slice(failedFrom).map((m) => m.key))
    return keys.every((key) => got.has(key) || failed.has(key))
  }
  await within(20_000, `tiles ${keys.join(' ')}`, sink, settled)
  return framesFrom(sink, from)
}

const errorsOf = (sink: MemorySink, rasterId: string): Array<Extract<ServerMessage, { type: 'error' }>> =>
  sink.ofType('error').filter((m) => m.rasterId === rasterId)

describe('a file replaced on the server while open, through the service', () => {
  it('is withdrawn and reloaded as a changed local file is: raster-updated, then tiles of the new version as GDAL reads the new file', async () => {
    await writeCog('replaced', 1)
    const url = nginx.url('/replaced.tif')
    const { service, sink } = makeService()
    const { rasterId, info } = await openUrl(service, url)
    const first = await request(service, sink, rasterId, [{ level: 0, col: 0, row: 0, priority: 1 }])
    const before = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir)
    expect(differences(first.get(tileKey({ rasterId, level: 0, col: 0, row: 0 }))!, before, info.tileSize).count).toBe(0)

    await writeCog('replaced', 2)
    const framesBefore = sink.frames.length
    // The tiles not yet fetched need range requests: their answers carry the new ETag.
    await service.receive({ type: 'request', rasterId, tiles: levelZero(info).slice(1) })
    await within(20_000, 'raster-updated', sink, () => sink.ofType('raster-updated').some((m) => m.rasterId === rasterId))
    const framesAtUpdate = sink.frames.length
    expect(errorsOf(sink, rasterId)).toEqual([])

    const after = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir)
    expect(differences(first.get(tileKey({ rasterId, level: 0, col: 0, row: 0 }))!, after, info.tileSize).count, 'the two versions differ').toBeGreaterThan(0)
    const updated = sink.ofType('raster-updated').find((m) => m.rasterId === rasterId)!.info
    const tiles = await request(service, sink, rasterId, levelZero(updated))
    expect(sink.ofType('tile-failed')).toEqual([])
    // Every tile sent after the update (those held across it, and those asked now) is of the new file.
    const sentAfter = framesFrom(sink, framesAtUpdate)
    expect(sentAfter.size).toBe(levelZero(updated).length)
    for (const [key, tile] of sentAfter) {
      const { count, first: shown } = differences(tile, after, updated.tileSize)
      expect(count, `tile ${key} of the new version: ${shown.join('; ')}`).toBe(0)
    }
    expect(tiles.size).toBe(levelZero(updated).length)
    expect(framesAtUpdate).toBeGreaterThanOrEqual(framesBefore)
  })
})

describe('a brief server failure during the check of a remote raster', () => {
  it('after a changed answer: the held tile fails with the server error, the raster is not gone, and it opens again once the server answers', async () => {
    await writeCog('flaky-change', 3)
    const url = proxy.url('/flaky-change.tif')
    const { service, sink } = makeService()
    const { rasterId, info } = await openUrl(service, url)
    await request(service, sink, rasterId, [{ level: 0, col: 0, row: 0, priority: 1 }])

    await writeCog('flaky-change', 4)
    // The next request goes through (its answer carries the new ETag); then the server fails.
    let down = false
    proxy.always = {
      respond: (_request, response) => {
        if (!down) {
          down = true
          return false
        }
        response.writeHead(503, { 'content-type': 'text/plain' })
        response.end('down for maintenance')
        return true
      }
    }
    const tile = { level: 0, col: 2, row: 1, priority: 1 as const }
    const key = tileKey({ rasterId, ...tile })
    await request(service, sink, rasterId, [tile])
    const failed = sink.ofType('tile-failed').filter((m) => m.key === key)
    expect(failed).toHaveLength(1)
    // The server failed for now: the renderer asks for the tile again later.
    expect(failed[0]!.error.code).toBe('unavailable')
    expect(failed[0]!.error.message).toContain(url)
    expect(failed[0]!.error.message).toContain('503')
    expect(errorsOf(sink, rasterId), 'no error says the raster is gone').toEqual([])

    // The server answers again: the raster opens its new version by itself (no request needed).
    proxy.always = null
    await within(20_000, 'raster-updated once the server answers', sink, () => sink.ofType('raster-updated').some((m) => m.rasterId === rasterId))
    const ref = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir)
    const frames = await request(service, sink, rasterId, levelZero(info))
    for (const [frameKey, frame] of frames) expect(differences(frame, ref, info.tileSize).count, `tile ${frameKey}`).toBe(0)
    expect(frames.size).toBe(levelZero(info).length)
    expect(errorsOf(sink, rasterId)).toEqual([])
  })

  it('after a failed read: the tile fails with the server error, the raster stays open, and its next tiles come once the server answers', async () => {
    await writeCog('flaky-read', 5)
    const url = proxy.url('/flaky-read.tif')
    const { service, sink } = makeService()
    const { rasterId, info } = await openUrl(service, url)
    await request(service, sink, rasterId, [{ level: 0, col: 0, row: 0, priority: 1 }])

    proxy.always = { status: 503 }
    const tile = { level: 0, col: 1, row: 1, priority: 1 as const }
    await request(service, sink, rasterId, [tile])
    const failed = sink.ofType('tile-failed').filter((m) => m.key === tileKey({ rasterId, ...tile }))
    // Its server failed for now ('unavailable'): the renderer asks for it again after a while.
    expect(failed.map((m) => m.error.code)).toEqual(['unavailable'])
    expect(failed[0]!.error.message).toContain(`Cannot read ${url}: HTTP 503`)
    expect(errorsOf(sink, rasterId)).toEqual([])

    proxy.always = null
    const ref = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir)
    const frames = await request(service, sink, rasterId, [tile, { level: 0, col: 3, row: 2, priority: 1 }])
    expect(frames.size).toBe(2)
    for (const [frameKey, frame] of frames) expect(differences(frame, ref, info.tileSize).count, `tile ${frameKey}`).toBe(0)
    expect(sink.ofType('raster-updated').filter((m) => m.rasterId === rasterId), 'the same version: nothing to reopen').toEqual([])
    expect(errorsOf(sink, rasterId)).toEqual([])
  })

  it("a tile whose read the server refuses (400) is not 'unavailable': its request, not the server's state, is at fault", async () => {
    await writeCog('refused-read', 7)
    const url = proxy.url('/refused-read.tif')
    const { service, sink } = makeService()
    const { rasterId } = await openUrl(service, url)
    await request(service, sink, rasterId, [{ level: 0, col: 0, row: 0, priority: 1 }])
    // The tile's range request only: the check of the file's version that follows goes through.
    proxy.queueFaults({ status: 400 })
    const tile = { level: 0, col: 2, row: 2, priority: 1 as const }
    await request(service, sink, rasterId, [tile])
    const failed = sink.ofType('tile-failed').filter((m) => m.key === tileKey({ rasterId, ...tile }))
    expect(failed.map((m) => m.error.code)).toEqual(['decode-failed'])
    expect(failed[0]!.error.message).toContain(`Cannot read ${url}: HTTP 400`)
    expect(errorsOf(sink, rasterId)).toEqual([])
  })

  it('a tile whose connection is refused (the server went away) is unavailable, and loads once the server is back', async () => {
    await writeCog('refused-connection', 8)
    const away = await startFaultProxy(nginx.port)
    const url = away.url('/refused-connection.tif')
    const { service, sink } = makeService()
    const { rasterId, info } = await openUrl(service, url)
    await request(service, sink, rasterId, [{ level: 0, col: 0, row: 0, priority: 1 }])
    const port = away.port
    await away.close()
    const tile = { level: 0, col: 1, row: 2, priority: 1 as const }
    await request(service, sink, rasterId, [tile])
    const failed = sink.ofType('tile-failed').filter((m) => m.key === tileKey({ rasterId, ...tile }))
    expect(failed.map((m) => m.error.code)).toEqual(['unavailable'])
    expect(failed[0]!.error.message).toContain(`connection refused by 127.0.0.1:${port}`)
    expect(errorsOf(sink, rasterId), 'not gone').toEqual([])
    // Back on the same port: the tile asked again comes, as GDAL reads it.
    const back = await startFaultProxy(nginx.port, port)
    try {
      const frames = await request(service, sink, rasterId, [tile])
      const ref = await gdal.gdalRead(`/vsicurl/${url}`, tmp.dir)
      expect(frames.size).toBe(1)
      for (const [frameKey, frame] of frames) expect(differences(frame, ref, info.tileSize).count, `tile ${frameKey}`).toBe(0)
    } finally {
      await back.close()
    }
  })

  it('a file deleted from the server (404) is gone, said once by its URL and status, and its tiles are refused', async () => {
    await writeCog('deleted', 6)
    const url = nginx.url('/deleted.tif')
    const { service, sink } = makeService()
    const { rasterId } = await openUrl(service, url)
    await request(service, sink, rasterId, [{ level: 0, col: 0, row: 0, priority: 1 }])
    unlinkSync(tmp.file('deleted.tif'))
    await request(service, sink, rasterId, [{ level: 0, col: 1, row: 0, priority: 1 }])
    await within(20_000, 'the error of the deleted file', sink, () => errorsOf(sink, rasterId).length > 0)
    expect(errorsOf(sink, rasterId)).toEqual([
      { type: 'error', rasterId, error: { code: 'file-deleted', message: `${url} is no longer on its server (HTTP 404 Not Found); its tiles are no longer served` } }
    ])
    const refused = await request(service, sink, rasterId, [{ level: 0, col: 2, row: 0, priority: 1 }])
    expect(refused.size).toBe(0)
    expect(sink.ofType('tile-failed').at(-1)!.error.code).toBe('file-deleted')
  })
})
