/**
 * Real images for the service and transport tests, made by sharp in a temporary directory, and the
 * exact RGBA bytes every level-0 tile must carry (the pixels are a known function of x and y); and
 * a slow stub raster for the tests that make requests pile up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { OpenedRaster, ServerMessage } from '../../src/shared/protocol'
import type { RasterHooks, ServiceSink, TileFrameParts } from '../../src/main/service/types'
import type { TextureService } from '../../src/main/service/TextureService'
import type { OpenOptions } from '../../src/main/raster'
import { joinTileFrame } from '../../src/main/service/joinTileFrame'
import type { DecodedTile, RasterSource } from '../../src/main/raster/types'
import type { RasterInfo } from '../../src/shared/raster'
import { pyramidLevels } from '../../src/shared/tiles'

/** Colour of pixel (x, y) of every generated image: lossless formats give these bytes back. */
export function pixelAt(x: number, y: number): [number, number, number] {
  return [x & 255, y & 255, ((x >> 8) * 16 + (y >> 8)) & 255]
}

/** RGB bytes of a width × height image of `pixelAt`. */
export function makePixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixelAt(x, y)
      const i = (y * width + x) * 3
      data[i] = r
      data[i + 1] = g
      data[i + 2] = b
    }
  }
  return data
}

/** The RGBA8 bytes of level-0 tile (col, row) of a `pixelAt` image. */
export function expectedTile(width: number, height: number, tileSize: number, col: number, row: number): Uint8Array {
  const left = col * tileSize
  const top = row * tileSize
  const w = Math.min(tileSize, width - left)
  const h = Math.min(tileSize, height - top)
  const out = new Uint8Array(w * h * 4)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = pixelAt(left + x, top + y)
      const i = (y * w + x) * 4
      out[i] = r
      out[i + 1] = g
      out[i + 2] = b
      out[i + 3] = 255
    }
  }
  return out
}

/** A temporary directory with the test images; `remove()` deletes it. */
export interface ServiceFixtures {
  dir: string
  /** 4096 × 4096 tiled pyramidal TIFF (deflate, lossless), 256-pixel tiles: 256 tiles at level 0. */
  tiledTiff: string
  tiffSize: number
  /** 2048 × 2048 PNG (decoded once, in memory). */
  png: string
  pngSize: number
  /** A file that is not an image. */
  notImage: string
  remove(): void
}

/** Writes the fixtures (a few seconds). */
export async function makeServiceFixtures(): Promise<ServiceFixtures> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-service-test-'))
  const tiffSize = 4096
  const pngSize = 2048
  const tiledTiff = join(dir, 'big.tif')
  const png = join(dir, 'image.png')
  const notImage = join(dir, 'notes.png')
  await sharp(makePixels(tiffSize, tiffSize), { raw: { width: tiffSize, height: tiffSize, channels: 3 } })
    .tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, compression: 'deflate' })
    .toFile(tiledTiff)
  await sharp(makePixels(pngSize, pngSize), { raw: { width: pngSize, height: pngSize, channels: 3 } }).png().toFile(png)
  writeFileSync(notImage, 'this is not an image\n')
  return { dir, tiledTiff, tiffSize, png, pngSize, notImage, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** An in-memory transport: records what a service sends, in order. */
export class MemorySink implements ServiceSink {
  readonly messages: ServerMessage[] = []
  readonly frames: Uint8Array[] = []
  private waiters: Array<() => void> = []

  send(message: ServerMessage): void {
    this.messages.push(message)
    this.wake()
  }

  sendTile(frame: TileFrameParts): void {
    this.frames.push(joinTileFrame(frame))
    this.wake()
  }

  /** Resolves once `predicate` holds (checked after every message); no timeout of its own. */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  ofType<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type)
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve()
  }
}

/** A call that must succeed: resolves with the result of `service`'s reply, throws on anything else. */
export async function serviceCall<T>(service: TextureService, message: Record<string, unknown>): Promise<T> {
  const reply = (await service.receive(message)) as ServerMessage
  if (reply.type !== 'reply') throw new Error(`call failed: ${JSON.stringify(reply)}`)
  return reply.result as T
}

/** Opens server path `path` on `service` (call id 1). */
export function serviceOpen(service: TextureService, path: string): Promise<OpenedRaster> {
  return serviceCall<OpenedRaster>(service, { type: 'open', id: 1, path })
}

/**
 * `openRaster` options as the host's opener gives them (the service's hooks forwarded), with a
 * 1-megapixel memory limit (so that larger images get a built pyramid) and a test pyramid cache.
 */
export function smallMemoryOpenOptions(cacheDir: string, hooks: RasterHooks): OpenOptions {
  return {
    cacheDir,
    memoryMaxPixels: 1_000_000,
    overviewMaxSide: 512,
    onProgress: hooks.onProgress,
    onPyramidReady: hooks.onInfo,
    onPyramidError: hooks.onError
  }
}

/** The 200 tile requests of the streaming scenario: level 0 of the 4096² TIFF, mixed priorities and ranks. */
export function streamingScenario(): Array<{ level: number; col: number; row: number; priority: 1 | 2 | 3; rank: number }> {
  return Array.from({ length: 200 }, (_, i) => ({
    level: 0,
    col: i % 16,
    row: Math.floor(i / 16),
    priority: (1 + ((i * 7) % 3)) as 1 | 2 | 3,
    rank: i % 13
  }))
}

/**
 * A stub raster at the opener's edge: a `side` × `side` grid (tiled, 256-pixel tiles, a full
 * pyramid) whose every tile comes back as one pixel after `delayMs`, or rejects with an AbortError
 * when its signal aborts first; so that requests for it pile up.
 */
export function slowStubRaster(side: number, delayMs: number): RasterSource {
  const levels = pyramidLevels(side, side, 256)
  const info = {
    name: 'huge.tif', format: 'tiff', fileSize: 0, width: side, height: side, tileSize: 256, levels, bands: 3, sampleType: 'uint8',
    hasAlpha: false, tileChannels: 4, tileSampleType: 'uint8', statistics: null, georeference: null, strategy: 'tiled', pyramidReady: true
  } as RasterInfo
  return {
    info,
    readTile: (_level, _col, _row, signal) =>
      new Promise<DecodedTile>((resolve, reject) => {
        const timer = setTimeout(() => resolve({ width: 1, height: 1, channels: 4, data: new Uint8Array(4) }), delayMs)
        signal?.addEventListener('abort', () => { clearTimeout(timer); reject(Object.assign(new Error('aborted'), { name: 'AbortError' })) }, { once: true })
      }),
    close: async () => {}
  }
}
