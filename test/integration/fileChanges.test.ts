/**
 * A file rewritten while open (issue 7): within 2 s the service serves its new content (a
 * `raster-updated` with the new info, then tiles of the new pixels) or says clearly, naming the
 * file, that it cannot; it never sends a tile of the old content after the update, and it leaves
 * no watcher behind. Real files, real sharp in real workers; one strategy per test (memory PNG,
 * tiled TIFF read in place, large JPEG with a built pyramid).
 */
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import type { RasterOpener, TextureServiceOptions } from '../../src/main/service/types'
import { closeRasterRuntime } from '../../src/main/host/rasterOpener'
import { openRaster } from '../../src/main/raster'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import { tileKey } from '../../src/shared/tiles'
import type { ServerMessage, TileRequest } from '../../src/shared/protocol'
import type { RasterInfo } from '../../src/shared/raster'
import { MemorySink, serviceCall as call, serviceOpen as open, smallMemoryOpenOptions } from '../helpers/serviceFixtures'
import type { TileFrameParts } from '../../src/main/service/types'
import { joinTileFrame } from '../../src/main/service/joinTileFrame'

type RGB = [number, number, number]
const RED: RGB = [220, 30, 30]
const BLUE: RGB = [30, 40, 220]
const GREEN: RGB = [30, 200, 60]

let dir: string
let cacheDir: string
const services: TextureService[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-file-changes-'))
  cacheDir = join(dir, 'cache')
})

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()))
})

afterAll(async () => {
  await closeRasterRuntime()
  rmSync(dir, { recursive: true, force: true })
})

/** A MemorySink that also keeps one timeline of messages and tiles, in the order they were sent, with the time. */
class TimelineSink extends MemorySink {
  readonly timeline: Array<{ at: number; message?: ServerMessage; frame?: Uint8Array }> = []
  // A copy, as a transport serialises it: the service may change an info object after sending it.
  override send(sent: ServerMessage): void {
    const message = structuredClone(sent)
    this.timeline.push({ at: performance.now(), message })
    super.send(message)
  }
  override sendTile(frame: TileFrameParts): void {
    this.timeline.push({ at: performance.now(), frame: joinTileFrame(frame) })
    super.sendTile(frame)
  }
}

/** Opens like the host does, with a small memory limit (so a 4-megapixel JPEG gets a pyramid) and a test cache. */
const opener: RasterOpener = (path, hooks) => openRaster(path, smallMemoryOpenOptions(cacheDir, hooks))

function makeService(options: Partial<TextureServiceOptions> = {}): { service: TextureService; sink: TimelineSink } {
  const sink = new TimelineSink()
  const service = new TextureService({ sink, openRaster: opener, maxWorkers: 2, ...options })
  services.push(service)
  return { service, sink }
}

/** Resolves once `predicate` holds (checked every 5 ms), or fails after `ms` naming what was awaited. */
async function within(ms: number, what: string, predicate: () => boolean): Promise<void> {
  const deadline = performance.now() + ms
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`Not within ${ms} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** An image of one colour, encoded. */
function solid(width: number, height: number, rgb: RGB, format: 'png' | 'jpeg' | 'tiled-tiff'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
  if (format === 'png') return image.png().toBuffer()
  if (format === 'jpeg') return image.jpeg({ quality: 95 }).toBuffer()
  return image.tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, compression: 'deflate' }).toBuffer()
}

/** Every tile of every level of a raster. */
function allTiles(info: RasterInfo): TileRequest[] {
  return info.levels.flatMap((level, index) => {
    const cols = Math.ceil(level.width / info.tileSize)
    const rows = Math.ceil(level.height / info.tileSize)
    return Array.from({ length: cols * rows }, (_, i) => ({ level: index, col: i % cols, row: Math.floor(i / cols), priority: 1 as const }))
  })
}

/** How many pixels of a tile frame are near `rgb`, and how many pixels it has. */
function countNear(frame: Uint8Array, rgb: RGB): { count: number; pixels: number } {
  const bytes = decodeTileFrame(frame).data as Uint8Array
  let count = 0
  for (let i = 0; i < bytes.length; i += 4) {
    if (Math.abs(bytes[i]! - rgb[0]) + Math.abs(bytes[i + 1]! - rgb[1]) + Math.abs(bytes[i + 2]! - rgb[2]) <= 24) count++
  }
  return { count, pixels: bytes.length / 4 }
}

/**
 * Checks a tile of new content: no pixel of the old colour (nothing stale, nothing mixed), and
 * nearly all of the new one (an overview's edge row may blend a little).
 */
function expectColour(frame: Uint8Array, now: RGB, old?: RGB): void {
  const describe = (): string => `tile ${JSON.stringify(decodeTileFrame(frame).header)}: ${describePixels(frame)}`
  if (old && countNear(frame, old).count > 0) expect.fail(`old pixels in ${describe()}`)
  const { count, pixels } = countNear(frame, now)
  if (count < 0.95 * pixels) expect.fail(`expected ${now} in ${describe()}`)
}

/** The distinct colours of a tile, with counts (for failure messages). */
function describePixels(frame: Uint8Array): string {
  const bytes = decodeTileFrame(frame).data as Uint8Array
  const counts = new Map<string, number>()
  for (let i = 0; i < bytes.length; i += 4) {
    const k = `${bytes[i]},${bytes[i + 1]},${bytes[i + 2]},${bytes[i + 3]}`
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k}×${n}`).join(' ')
}

/** Frames sent after timeline position `from`. */
function framesAfter(sink: TimelineSink, from: number): Uint8Array[] {
  return sink.timeline.slice(from).flatMap((e) => (e.frame ? [e.frame] : []))
}

function indexOfMessage(sink: TimelineSink, from: number, test: (m: ServerMessage) => boolean): number {
  return sink.timeline.findIndex((e, i) => i >= from && e.message !== undefined && test(e.message))
}

/** Asks for every tile of `info` and waits for all of them; returns their frames. */
async function readAll(service: TextureService, sink: TimelineSink, rasterId: string, info: RasterInfo): Promise<Uint8Array[]> {
  const tiles = allTiles(info)
  const wanted = new Set(tiles.map((t) => tileKey({ rasterId, ...t })))
  const from = sink.timeline.length
  await service.receive({ type: 'request', rasterId, tiles })
  const got = (): Uint8Array[] => framesAfter(sink, from).filter((f) => wanted.has(tileKey(decodeTileFrame(f).header)))
  await within(10_000, `all ${tiles.length} tiles of ${info.name}`, () => new Set(got().map((f) => tileKey(decodeTileFrame(f).header))).size === wanted.size)
  return got()
}

/** Keeps asking for every tile while a file is rewritten (so that tiles are in flight across the change); returns a stop function. */
function keepAsking(service: TextureService, rasterId: string, info: () => RasterInfo): () => void {
  const timer = setInterval(() => void service.receive({ type: 'request', rasterId, tiles: allTiles(info()) }), 15)
  return () => clearInterval(timer)
}

/**
 * Rewrites `path` with `bytes` while tiles are asked for, and checks the contract: a
 * `raster-updated` within 2 s with the new size, no tile of the old colour after it, and every
 * tile read afterwards of the new colour. Returns the new info.
 */
async function rewriteAndCheck(
  service: TextureService,
  sink: TimelineSink,
  rasterId: string,
  current: RasterInfo,
  path: string,
  write: () => void,
  expected: { width: number; height: number; old: RGB; now: RGB }
): Promise<RasterInfo> {
  let info = current
  const stop = keepAsking(service, rasterId, () => info)
  const from = sink.timeline.length
  const writtenAt = performance.now()
  write()
  let updated = -1
  try {
    await within(2000, `raster-updated for ${path}`, () => (updated = indexOfMessage(sink, from, (m) => m.type === 'raster-updated' && m.rasterId === rasterId)) >= 0)
  } finally {
    stop()
  }
  const event = sink.timeline[updated]!
  info = (event.message as Extract<ServerMessage, { type: 'raster-updated' }>).info
  expect(event.at - writtenAt).toBeLessThan(2000)
  expect(info).toMatchObject({ width: expected.width, height: expected.height })
  // Nothing of the old content after the update (wait for what was asked until then to arrive).
  await new Promise((resolve) => setTimeout(resolve, 300))
  for (const frame of framesAfter(sink, updated)) if (countNear(frame, expected.old).count > 0) expect.fail(`old pixels after the update: ${describePixels(frame)}`)
  const frames = await readAll(service, sink, rasterId, info)
  for (const frame of frames) {
    expectColour(frame, expected.now, expected.old)
  }
  const errors = sink.ofType('error').filter((m) => m.error.code !== 'overloaded')
  expect(errors).toEqual([])
  return info
}

/** Watchers (fs.watch handles) alive in this process. */
const watchers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length

describe('a file rewritten while open', () => {
  it('PNG in memory: serves the new colour and size after a raster-updated, within 2 s, and nothing old after it', async () => {
    const path = join(dir, 'memory.png')
    writeFileSync(path, await solid(600, 400, RED, 'png'))
    const { service, sink } = makeService()
    const { rasterId, info } = await open(service, path)
    expect(info.strategy).toBe('memory')
    for (const frame of await readAll(service, sink, rasterId, info)) expectColour(frame, RED)

    const bytes = await solid(900, 700, BLUE, 'png')
    const second = await rewriteAndCheck(service, sink, rasterId, info, path, () => writeFileSync(path, bytes), { width: 900, height: 700, old: RED, now: BLUE })
    // And again, in place, to the first size: the raster follows every version.
    const again = await solid(600, 400, GREEN, 'png')
    await rewriteAndCheck(service, sink, rasterId, second, path, () => writeFileSync(path, again), { width: 600, height: 400, old: BLUE, now: GREEN })
  })

  it('tiled TIFF read in place: rewritten in place with another colour and size', async () => {
    const path = join(dir, 'tiled.tif')
    writeFileSync(path, await solid(1024, 1024, RED, 'tiled-tiff'))
    const { service, sink } = makeService()
    const { rasterId, info } = await open(service, path)
    expect(info.strategy).toBe('tiled')
    for (const frame of await readAll(service, sink, rasterId, info)) expectColour(frame, RED)
    const bytes = await solid(1536, 1024, BLUE, 'tiled-tiff')
    await rewriteAndCheck(service, sink, rasterId, info, path, () => writeFileSync(path, bytes), { width: 1536, height: 1024, old: RED, now: BLUE })
  })

  it('large JPEG with a built pyramid: replaced (written beside, renamed over), a new pyramid follows', async () => {
    const path = join(dir, 'large.jpg')
    writeFileSync(path, await solid(2048, 1536, RED, 'jpeg'))
    const { service, sink } = makeService()
    const { rasterId, info } = await open(service, path)
    expect(info.strategy).toBe('pyramid')
    await within(20_000, 'the first pyramid', () => sink.ofType('raster-updated').some((m) => m.info.pyramidReady))
    const built = sink.ofType('raster-updated').find((m) => m.info.pyramidReady)!.info
    for (const frame of await readAll(service, sink, rasterId, built)) expectColour(frame, RED)

    const bytes = await solid(2048, 1536, BLUE, 'jpeg')
    const replace = (): void => {
      writeFileSync(`${path}.saving`, bytes)
      renameSync(`${path}.saving`, path)
    }
    const from = sink.timeline.length
    const updated = await rewriteAndCheck(service, sink, rasterId, built, path, replace, { width: 2048, height: 1536, old: RED, now: BLUE })
    expect(updated.pyramidReady).toBe(false) // the cached pyramid is of the old file: not reused
    await within(20_000, 'the new pyramid', () => indexOfMessage(sink, from, (m) => m.type === 'raster-updated' && m.info.pyramidReady) >= 0)
    const rebuilt = sink.ofType('raster-updated').at(-1)!.info
    for (const frame of await readAll(service, sink, rasterId, rebuilt)) expectColour(frame, BLUE)
  })

  it('refuses tiles of a changed file read in place even without a watch, then serves the new content', async () => {
    const path = join(dir, 'unwatched.tif')
    writeFileSync(path, await solid(1024, 1024, RED, 'tiled-tiff'))
    const { service, sink } = makeService({ watchFiles: false })
    const { rasterId, info } = await open(service, path)
    await readAll(service, sink, rasterId, info)
    const from = sink.timeline.length
    writeFileSync(path, await solid(1024, 1024, BLUE, 'tiled-tiff'))
    // Same size: the tiles asked are valid for both versions; each read checks the file.
    await service.receive({ type: 'request', rasterId, tiles: allTiles(info) })
    await within(2000, 'raster-updated', () => indexOfMessage(sink, from, (m) => m.type === 'raster-updated') >= 0)
    await within(5000, 'the held tiles', () => framesAfter(sink, from).length >= allTiles(info).length)
    // No tile read from the rewritten file under the old opening was sent: every one is of the new content.
    for (const frame of framesAfter(sink, from)) expectColour(frame, BLUE, RED)
    expect(sink.ofType('tile-failed')).toEqual([])
  })

  it('says that a deleted file is gone, naming it, refuses its tiles, and serves it again when it comes back', async () => {
    const path = join(dir, 'deleted.png')
    writeFileSync(path, await solid(300, 300, RED, 'png'))
    const { service, sink } = makeService()
    const { rasterId, info } = await open(service, path)
    await readAll(service, sink, rasterId, info)
    const deletedAt = performance.now()
    unlinkSync(path)
    await within(2000, 'an error for the deleted file', () => sink.ofType('error').length > 0)
    expect(performance.now() - deletedAt).toBeLessThan(2000)
    expect(sink.ofType('error')).toEqual([
      { type: 'error', rasterId, error: { code: 'file-deleted', message: `${path} was deleted or moved away while open; its tiles are no longer served` } }
    ])
    const from = sink.timeline.length
    await service.receive({ type: 'request', rasterId, tiles: allTiles(info) })
    expect(framesAfter(sink, from)).toEqual([])
    expect(sink.ofType('tile-failed').map((m) => m.error.code)).toEqual(allTiles(info).map(() => 'file-deleted'))

    writeFileSync(path, await solid(300, 300, GREEN, 'png'))
    await within(2000, 'raster-updated after the file came back', () => indexOfMessage(sink, from, (m) => m.type === 'raster-updated') >= 0)
    for (const frame of await readAll(service, sink, rasterId, info)) expectColour(frame, GREEN)
  })

  it('says that a file cut short cannot be read any more, naming it and the cause', async () => {
    const path = join(dir, 'truncated.png')
    const bytes = await solid(800, 800, RED, 'png')
    writeFileSync(path, bytes)
    const { service, sink } = makeService()
    const { rasterId, info } = await open(service, path)
    await readAll(service, sink, rasterId, info)
    writeFileSync(path, (await readFile(path)).subarray(0, bytes.length >> 1))
    await within(2000, 'an error for the truncated file', () => sink.ofType('error').length > 0)
    const [error] = sink.ofType('error')
    expect(error).toMatchObject({ rasterId, error: { code: 'file-changed' } })
    expect(error!.error.message).toContain(`${path} changed on disk and can no longer be read: `)
    const from = sink.timeline.length
    await service.receive({ type: 'request', rasterId, tiles: allTiles(info).slice(0, 2) })
    expect(framesAfter(sink, from)).toEqual([])
    expect(sink.ofType('tile-failed').map((m) => m.error.code)).toEqual(['file-changed', 'file-changed'])
  })

  it('closes the watch of a raster when it is closed, and every watch when the service is closed', async () => {
    const first = join(dir, 'watched-1.png')
    const second = join(dir, 'watched-2.png')
    writeFileSync(first, await solid(64, 64, RED, 'png'))
    writeFileSync(second, await solid(64, 64, RED, 'png'))
    const before = watchers()
    const { service } = makeService()
    const a = await open(service, first)
    await open(service, second)
    expect(watchers()).toBe(before + 2)
    // A closed watch leaves the list of active handles a turn or two of the event loop later.
    await call(service, { type: 'close', id: 2, rasterId: a.rasterId })
    await within(1000, 'one watch left', () => watchers() === before + 1)
    await service.close()
    await within(1000, 'no watch left', () => watchers() === before)
  })

  it('does not watch an uploaded file (a temporary copy)', async () => {
    const bytes = await solid(64, 64, RED, 'png')
    const before = watchers()
    const { service } = makeService({ uploadRoot: dir })
    const { uploadId } = await call<{ uploadId: string }>(service, { type: 'upload-begin', id: 1, name: 'dropped.png', size: bytes.length })
    const { encodeUploadFrame } = await import('../../src/shared/uploadFrame')
    service.receiveBinary(encodeUploadFrame(uploadId, 0, bytes))
    await call(service, { type: 'upload-end', id: 2, uploadId })
    expect(watchers()).toBe(before)
  })
})

describe('while its file is reopened', () => {
  /** An opener of stub rasters, one version per open, whose opens after the first wait for `release()`; each keeps its hooks. */
  function versionedOpener() {
    const hooks: Parameters<RasterOpener>[1][] = []
    let gate: (() => void) | null = null
    let gated: Promise<void> = Promise.resolve()
    const openRasterStub: RasterOpener = async (_path, given) => {
      hooks.push(given)
      const version = hooks.length
      if (version > 1) await gated
      const info = {
        name: 'stub.bin', format: 'tiff', fileSize: 4, width: 1024, height: 1024, tileSize: 256, levels: [{ width: 1024, height: 1024 }], bands: 3,
        sampleType: 'uint8', hasAlpha: false, tileChannels: 4, tileSampleType: 'uint8', statistics: null, georeference: null, strategy: 'memory', pyramidReady: true
      } as RasterInfo
      return { info, readTile: async () => ({ width: 1, height: 1, channels: 4, data: new Uint8Array([version, 0, 0, 255]) }), close: async () => {} }
    }
    return {
      openRaster: openRasterStub,
      hooks,
      hold() {
        gated = new Promise((resolve) => (gate = resolve))
      },
      release: () => gate?.()
    }
  }
  const versionOf = (frame: Uint8Array): number => (decodeTileFrame(frame).data as Uint8Array)[0]!
  const keyOf = (frame: Uint8Array): string => tileKey(decodeTileFrame(frame).header)

  it('holds the tiles asked meanwhile, drops those withdrawn, serves the rest from the new version, and hears no more of the old', async () => {
    const path = join(dir, 'stub.bin')
    writeFileSync(path, 'v1')
    const stub = versionedOpener()
    const { service, sink } = makeService({ openRaster: stub.openRaster })
    const { rasterId } = await open(service, path)
    const a = { level: 0, col: 0, row: 0, priority: 1 as const }
    const b = { level: 0, col: 1, row: 0, priority: 2 as const }
    const c = { level: 0, col: 2, row: 0, priority: 3 as const }
    await service.receive({ type: 'request', rasterId, tiles: [a] })
    await within(1000, 'tile a of version 1', () => sink.frames.length === 1)
    expect(versionOf(sink.frames[0]!)).toBe(1)

    stub.hold()
    writeFileSync(path, 'version 2')
    await within(2000, 'the reopen', () => stub.hooks.length === 2)
    await service.receive({ type: 'request', rasterId, tiles: [a, b, c] })
    await service.receive({ type: 'cancel-obsolete', rasterId, keep: [tileKey({ rasterId, ...a }), tileKey({ rasterId, ...b })] })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sink.frames).toHaveLength(1) // nothing of the old version meanwhile, nothing of the new one yet

    stub.release()
    await within(2000, 'a and b of version 2', () => sink.frames.length === 3)
    const updated = indexOfMessage(sink, 0, (m) => m.type === 'raster-updated')
    expect(updated).toBeGreaterThan(0)
    const after = framesAfter(sink, updated)
    expect(after.map(keyOf).sort()).toEqual([tileKey({ rasterId, ...a }), tileKey({ rasterId, ...b })])
    expect(after.map(versionOf)).toEqual([2, 2])
    expect(sink.ofType('tile-failed')).toEqual([])

    // The first version's hooks (a pyramid finishing late, say) speak for nothing any more.
    const messages = sink.messages.length
    stub.hooks[0]!.onInfo({ ...sink.ofType('raster-updated')[0]!.info, width: 1 })
    stub.hooks[0]!.onProgress(0.5)
    expect(sink.messages.length).toBe(messages)
  })
})
