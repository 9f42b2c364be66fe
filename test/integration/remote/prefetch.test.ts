/**
 * A remote raster's tiles fetched when they are scheduled (issue 24's bench: each decode worker
 * asked for its own tile's bytes when it started it, one or two at a time, so that a view cost 5–6×
 * GDAL's requests): at the TextureService level, a view's tiles asked for in one `request` are
 * fetched in one request per row of tiles (counted in nginx's access log), as GDAL reads a window,
 * and decode to GDAL's /vsicurl/ pixels; tiles withdrawn while their bytes are in flight leave their
 * requests (every one closed by the client, no byte received after) and are served when asked again.
 */
import { readFileSync } from 'node:fs'
import { fromArrayBuffer } from 'geotiff'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeRasterRuntime, rasterOpener } from '../../../src/main/host/rasterOpener'
import { resetSharedRemoteFiles, sharedRemoteFiles } from '../../../src/main/raster/remoteFiles'
import { TextureService } from '../../../src/main/service/TextureService'
import type { OpenedRaster, ServiceStats, TileRequest } from '../../../src/shared/protocol'
import { decodeTileFrame } from '../../../src/shared/tileFrame'
import { tileKey } from '../../../src/shared/tiles'
import { startFaultProxy, type FaultProxy } from '../../helpers/faultProxy'
import * as gdal from '../../helpers/gdal'
import { tempDir } from '../../helpers/images'
import { requireNginx, startNginx, type NginxServer } from '../../helpers/nginx'
import { MemorySink, serviceCall } from '../../helpers/serviceFixtures'

/** 8 × 6 tiles of 256 at level 0 (RGB with noise, DEFLATE: tiles of tens of KiB, so that rows of the view lie apart in the file). */
const W = 2048
const H = 1536
const NAME = 'prefetch-rgb'
const rgb = { colorInterp: ['Red', 'Green', 'Blue'] }
/** The view: columns 2–5 of rows 1–3 at level 0. */
const VIEW_COLS = [2, 3, 4, 5]
const VIEW_ROWS = [1, 2, 3]

const tmp = tempDir('tessera-remote-prefetch-')
let nginx: NginxServer
let proxy: FaultProxy
/** Offset and length of each level-0 tile in the file, by index (row × 8 + col). */
let tiles: Array<{ offset: number; length: number }> = []
let ref: gdal.Grid
const services: TextureService[] = []

beforeAll(async () => {
  requireNginx()
  gdal.requireGdal()
  resetSharedRemoteFiles({ retryBaseDelayMs: 5 })
  const path = await gdal.gdalRaster(tmp.dir, NAME, gdal.valueGrid(W, H, 3, 'uint8', 9), ['-of', 'COG', '-co', 'BLOCKSIZE=256', '-co', 'COMPRESS=DEFLATE'], rgb)
  const bytes = readFileSync(path)
  const image = await (await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)).getImage(0)
  const offsets = (await image.fileDirectory.loadValue('TileOffsets')) as ArrayLike<number>
  const counts = (await image.fileDirectory.loadValue('TileByteCounts')) as ArrayLike<number>
  tiles = Array.from(offsets, (offset, i) => ({ offset: Number(offset), length: Number(counts[i]) }))
  nginx = await startNginx(tmp.dir)
  proxy = await startFaultProxy(nginx.port)
  ref = await gdal.gdalRead(`/vsicurl/${nginx.url(`/${NAME}.tif`)}`, tmp.dir)
})

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()))
  proxy.reset()
  // Each test starts from an empty block cache.
  resetSharedRemoteFiles({ retryBaseDelayMs: 5 })
})

afterAll(async () => {
  await proxy?.close()
  await nginx?.stop()
  resetSharedRemoteFiles()
  await closeRasterRuntime()
  tmp.cleanup()
})

/**
 * Every GET the proxy saw was left by the client before its answer ended, and the file at `url`
 * received no byte for a request all of whose readers had left. Returns those GETs.
 */
function expectAllLeftUnread(url: string): typeof proxy.requests {
  const gets = proxy.requests.filter((r) => r.method === 'GET')
  expect(gets.every((r) => r.clientClosedEarly), 'every request was left by the client').toBe(true)
  const [file] = sharedRemoteFiles().filesOf(url)
  expect(file!.stats().bytesAfterAbort).toBe(0)
  return gets
}

function makeService(): { service: TextureService; sink: MemorySink } {
  const sink = new MemorySink()
  // Two decode loads at once, as the bench machine's tile pool runs.
  const service = new TextureService({ sink, openRaster: rasterOpener, maxWorkers: 2 })
  services.push(service)
  return { service, sink }
}

const viewTiles = (): TileRequest[] =>
  VIEW_ROWS.flatMap((row) => VIEW_COLS.map((col, i) => ({ level: 0, col, row, priority: 1 as const, rank: Math.abs(row - 2) * 4 + i })))

/** Resolves once `predicate` holds, or fails after `ms` naming what was awaited. */
async function within(ms: number, what: string, predicate: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const stats = (service: TextureService): Promise<ServiceStats> => serviceCall<ServiceStats>(service, { type: 'stats', id: 9 })

/** Bytes [start, end] of a Range header. */
function rangeOf(header: string): { start: number; end: number } {
  const match = /^bytes=(\d+)-(\d+)$/.exec(header)
  if (!match) throw new Error(`Expected a range of bytes but the request asked ${JSON.stringify(header)}`)
  return { start: Number(match[1]), end: Number(match[2]) }
}

/** A service with `url` opened, once what the open reads (header, statistics) is done. */
async function openIdle(url: string): Promise<ReturnType<typeof makeService> & { rasterId: string }> {
  const made = makeService()
  const { rasterId } = await serviceCall<OpenedRaster>(made.service, { type: 'open-url', id: 1, url })
  await within(10_000, 'the open is idle', async () => (await stats(made.service)).active === 0)
  return { ...made, rasterId }
}

/** Every tile frame equals GDAL's /vsicurl/ read of the RGB COG (and is opaque, when `opaque`). */
function expectGdalPixels(frames: readonly Uint8Array[], { opaque }: { opaque: boolean }): void {
  const plane = ref.width * ref.height
  for (const frame of frames) {
    const tile = decodeTileFrame(frame)
    const { col, row, width, height } = tile.header
    let differ = 0
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (row * 256 + y) * ref.width + col * 256 + x
        const t = (y * width + x) * 4
        if (tile.data[t] !== ref.data[i] || tile.data[t + 1] !== ref.data[plane + i] || tile.data[t + 2] !== ref.data[2 * plane + i] || (opaque && tile.data[t + 3] !== 255)) differ++
      }
    }
    expect(differ, `pixels of tile ${tileKey(tile.header)} differing from GDAL's /vsicurl/ read`).toBe(0)
  }
}

describe("a remote raster's scheduled tiles", () => {
  it("are fetched together: one request per row of the view's tiles, as GDAL reads a window, and decode to GDAL's pixels", async () => {
    const url = nginx.url(`/${NAME}.tif`)
    const { service, sink } = makeService()
    const { rasterId } = await serviceCall<OpenedRaster>(service, { type: 'open-url', id: 1, url })
    // What the open reads (header, statistics) is done before the view is asked for.
    await within(10_000, 'the open is idle', async () => (await stats(service)).active === 0)
    await new Promise((resolve) => setTimeout(resolve, 200))
    nginx.clearAccessLog()
    const asked = viewTiles()
    await service.receive({ type: 'request', rasterId, tiles: asked })
    await within(30_000, 'the view\'s tiles', () => sink.frames.length >= asked.length)
    expect(sink.ofType('tile-failed')).toEqual([])

    const dataStart = Math.min(...tiles.map((t) => t.offset))
    const reads = (await nginx.waitForAccessLog(VIEW_ROWS.length)).filter((e) => e.method === 'GET' && rangeOf(e.range).start >= dataStart)
    const shown = reads.map((e) => e.range).join(', ')
    expect(reads.length, `requests for the view's tiles: ${shown}`).toBe(VIEW_ROWS.length)
    for (const row of VIEW_ROWS) {
      const first = tiles[row * 8 + VIEW_COLS[0]!]!
      const last = tiles[row * 8 + VIEW_COLS.at(-1)!]!
      const covering = reads.filter((e) => rangeOf(e.range).start <= first.offset && rangeOf(e.range).end >= last.offset + last.length - 1)
      expect(covering.length, `one request holds row ${row}'s tiles (${first.offset}…${last.offset + last.length}): ${shown}`).toBe(1)
    }

    expectGdalPixels(sink.frames, { opaque: true })
  })

  it('withdrawn while their bytes are in flight, leave their requests: no byte received after, and they come when asked again', async () => {
    const url = proxy.url(`/${NAME}.tif`)
    const { service, sink, rasterId } = await openIdle(url)
    proxy.reset()
    proxy.always = { latencyMs: 400 }
    await service.receive({ type: 'request', rasterId, tiles: viewTiles() })
    await within(10_000, 'range requests in flight', () => proxy.active() >= VIEW_ROWS.length)
    await service.receive({ type: 'cancel-obsolete', rasterId, keep: [] })
    await proxy.idle(5000)
    // The rows of the view were asked for at once: more than the two tiles the decode workers had started.
    expect(expectAllLeftUnread(url).length).toBeGreaterThanOrEqual(VIEW_ROWS.length)
    expect(sink.frames.length).toBe(0)

    // Nothing is stuck: the view asked again comes, with the server answering at once.
    proxy.always = null
    await service.receive({ type: 'request', rasterId, tiles: viewTiles() })
    await within(30_000, 'the view asked again', () => sink.frames.length >= viewTiles().length)
    expect(sink.ofType('tile-failed')).toEqual([])
    expect(sharedRemoteFiles().filesOf(url)[0]!.stats().bytesAfterAbort).toBe(0)
  })
})

/** The renderer's flow control: 16 tiles in flight for all layers; the rest of the plan is its backlog. */
const IN_FLIGHT = 16
/** A view of 6 × 6 tiles (columns 1–6, every row), most urgent (nearest the centre) first. */
const bigView = (): TileRequest[] => {
  const view: TileRequest[] = []
  for (let row = 0; row < 6; row++) for (let col = 1; col <= 6; col++) view.push({ level: 0, col, row, priority: 1, rank: Math.abs(row - 2.5) + Math.abs(col - 3.5) })
  return view.sort((a, b) => a.rank! - b.rank!)
}

describe("a remote raster's backlog hinted by the renderer (prefetch)", () => {
  it('a 36-tile view asked as 16 requests and 20 hints is fetched in one request per row, and decodes to GDAL\'s pixels', async () => {
    const url = nginx.url(`/${NAME}.tif`)
    const { service, sink, rasterId } = await openIdle(url)
    await new Promise((resolve) => setTimeout(resolve, 200))
    nginx.clearAccessLog()
    const view = bigView()
    const asked = view.slice(0, IN_FLIGHT)
    const backlog = view.slice(IN_FLIGHT)
    await service.receive({ type: 'request', rasterId, tiles: asked })
    await service.receive({ type: 'prefetch', rasterId, tiles: backlog })
    // As the renderer does: each arrival frees room for one more request of the backlog.
    let next = 0
    await within(30_000, 'the view\'s tiles', async () => {
      while (next < backlog.length && sink.frames.length + IN_FLIGHT > asked.length + next) {
        await service.receive({ type: 'request', rasterId, tiles: [backlog[next++]!] })
      }
      return sink.frames.length >= view.length
    })
    expect(sink.ofType('tile-failed')).toEqual([])

    const dataStart = Math.min(...tiles.map((t) => t.offset))
    const reads = (await nginx.waitForAccessLog(6)).filter((e) => e.method === 'GET' && rangeOf(e.range).start >= dataStart)
    const shown = reads.map((e) => e.range).join(', ')
    // One request per row of the view (two when the request and the hints reach the server apart).
    expect(reads.length, `requests for the view's 36 tiles: ${shown}`).toBeLessThanOrEqual(7)
    for (let row = 0; row < 6; row++) {
      for (let col = 1; col <= 6; col++) {
        const tile = tiles[row * 8 + col]!
        const holding = reads.filter((e) => rangeOf(e.range).start <= tile.offset && rangeOf(e.range).end >= tile.offset + tile.length - 1)
        expect(holding.length, `tile ${col},${row} fetched once: ${shown}`).toBe(1)
      }
    }
    const wanted = new Set(view.map((t) => t.row * 8 + t.col))
    const bytes = reads.reduce((sum, e) => sum + rangeOf(e.range).end - rangeOf(e.range).start + 1, 0)
    const tileBytes = [...wanted].reduce((sum, i) => sum + tiles[i]!.length, 0)
    expect(bytes, `bytes fetched for ${tileBytes} bytes of tiles: ${shown}`).toBeLessThanOrEqual(tileBytes * 1.2)

    expectGdalPixels(sink.frames, { opaque: false })
  })

  it('dropped while their bytes are in flight (a later set without them), leave their requests: no byte received after', async () => {
    const url = proxy.url(`/${NAME}.tif`)
    const { service, sink, rasterId } = await openIdle(url)
    // A first tile asked and served: the host knows the raster's source.
    await service.receive({ type: 'request', rasterId, tiles: [{ level: 0, col: 0, row: 5, priority: 1, rank: 0 }] })
    await within(10_000, 'the first tile', () => sink.frames.length >= 1)
    await within(10_000, 'the host idle', async () => (await stats(service)).active === 0)
    proxy.reset()
    proxy.always = { latencyMs: 400 }
    await service.receive({ type: 'prefetch', rasterId, tiles: bigView() })
    await within(10_000, 'range requests in flight', () => proxy.active() >= 5)
    await service.receive({ type: 'prefetch', rasterId, tiles: [] })
    await proxy.idle(5000)
    expectAllLeftUnread(url)
    expect(sink.frames.length).toBe(1)

    // Hinted again and left alone, they are fetched; asked for, they decode.
    proxy.always = null
    await service.receive({ type: 'prefetch', rasterId, tiles: bigView() })
    await service.receive({ type: 'request', rasterId, tiles: bigView().slice(0, 4) })
    await within(30_000, 'the tiles asked', () => sink.frames.length >= 5)
    expect(sink.ofType('tile-failed')).toEqual([])
    expect(sharedRemoteFiles().filesOf(url)[0]!.stats().bytesAfterAbort).toBe(0)
  })
})

describe('prefetch hints that cannot be taken', () => {
  it('an unknown raster, too many tiles, or a tile outside the pyramid: an error in words (or nothing fetched), and the service goes on', async () => {
    const { service, sink } = makeService()
    await service.receive({ type: 'prefetch', rasterId: 'no-such-raster', tiles: [] })
    const tooMany = Array.from({ length: 1025 }, (_, col) => ({ level: 0, col, row: 0, priority: 1 }))
    await service.receive({ type: 'prefetch', rasterId: 'no-such-raster', tiles: tooMany })
    const errors = sink.ofType('error').map((e) => e.error)
    expect(errors.map((e) => e.code)).toEqual(['unknown-raster', 'bad-message'])
    expect(errors[0]!.message).toContain('no-such-raster')
    expect(errors[1]!.message).toMatch(/prefetch hints|1024/)

    const { rasterId } = await serviceCall<OpenedRaster>(service, { type: 'open-url', id: 1, url: nginx.url(`/${NAME}.tif`) })
    await within(10_000, 'the open is idle', async () => (await stats(service)).active === 0)
    await service.receive({ type: 'request', rasterId, tiles: [{ level: 0, col: 0, row: 0, priority: 1, rank: 0 }] })
    await service.receive({ type: 'prefetch', rasterId, tiles: [{ level: 0, col: 99, row: 0, priority: 1, rank: 0 }, { level: 40, col: 0, row: 0, priority: 1, rank: 0 }] })
    await within(10_000, 'the tile asked', () => sink.frames.length >= 1)
    expect(sink.ofType('tile-failed')).toEqual([])
    expect(sink.ofType('error').length).toBe(2)
  })
})
