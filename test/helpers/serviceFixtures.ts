/**
 * Real images for the service and transport tests, made by sharp in a temporary directory, and the
 * exact RGBA bytes every level-0 tile must carry (the pixels are a known function of x and y).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { ServerMessage } from '../../src/shared/protocol'
import type { ServiceSink, TileFrameParts } from '../../src/main/service/types'
import { joinTileFrame } from '../../src/main/service/joinTileFrame'

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
