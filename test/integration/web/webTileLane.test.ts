/**
 * A web layer's tiles wait on their server holding no decode worker, whatever their encoding: sent
 * raw (a connection that decodes nothing, or a PNG, which the host decodes), a tile's load is in
 * the loader's network lane, and only its decode takes a worker. In the decode lane, the pool's
 * workers each held a fetch: a jump's tiles came two at a time behind a slow server.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../../src/main/service/TextureService'
import { closeRasterRuntime, rasterOpener } from '../../../src/main/host/rasterOpener'
import { decodeTileFrame } from '../../../src/shared/tileFrame'
import type { OpenedRaster } from '../../../src/shared/protocol'
import { MemorySink, serviceCall } from '../../helpers/serviceFixtures'

const DELAY_MS = 150
let server: Server
let origin = ''
let tilePng: Buffer
let open = 0
let peak = 0
let answered = 0

beforeAll(async () => {
  // One 256² PNG for every tile: a red-to-blue gradient, opaque.
  const pixels = Buffer.alloc(256 * 256 * 3)
  for (let i = 0; i < 256 * 256; i++) pixels.set([i % 256, 64, 255 - (i % 256)], i * 3)
  tilePng = await sharp(pixels, { raw: { width: 256, height: 256, channels: 3 } }).png().toBuffer()
  server = createServer((_request, response) => {
    open++
    peak = Math.max(peak, open)
    setTimeout(() => {
      open--
      answered++
      response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' })
      response.end(tilePng)
    }, DELAY_MS)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await closeRasterRuntime()
})

describe('web tiles in the network lane', () => {
  it('fetches a slow server’s PNG tiles six at a time (its host’s limit), not one per decode worker, and sends them decoded', { timeout: 30_000 }, async () => {
    const sink = new MemorySink()
    // Two decode workers for the loader: in their lane, two fetches at a time.
    const service = new TextureService({ sink, openRaster: rasterOpener, maxWorkers: 2 })
    try {
      // A URL of its own each run: the process's disk cache of web answers keeps nothing of it.
      const template = `${origin}/lane-${Date.now()}/{z}/{x}/{y}.png`
      const opened = await serviceCall<OpenedRaster>(service, { type: 'open-web-layer', id: 1, service: 'xyz', url: template, layer: template })
      const levels = opened.info.levels.length
      const zoom2 = levels - 1 - 2 // level 0 is zoom 19: zoom 2 has 4 × 4 tiles
      const tiles = Array.from({ length: 12 }, (_, i) => ({ level: zoom2, col: i % 4, row: Math.floor(i / 4), priority: 1 as const, rank: i }))
      peak = 0
      answered = 0
      await service.receive({ type: 'request', rasterId: opened.rasterId, tiles })
      await sink.until(() => sink.frames.length >= 12)
      expect(answered).toBe(12)
      expect(peak).toBe(6)
      // Raw RGBA: the host decoded the PNG (no encoding on the frame), the server's pixels.
      const { data: expected } = await sharp(tilePng).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
      for (const frame of sink.frames) {
        const tile = decodeTileFrame(frame)
        expect(tile.header.encoding).toBeUndefined()
        expect([tile.header.width, tile.header.height, tile.header.channels]).toEqual([256, 256, 4])
        expect(Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength).equals(expected)).toBe(true)
      }
    } finally {
      await service.close()
    }
  })
})
