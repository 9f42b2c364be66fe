/**
 * The host sends a JPEG-compressed TIFF's own tiles, as stored, to a connection that accepts
 * 'jpeg' (`tile-encodings`), and only where that stream is what the host would decode: each
 * received stream, decoded and cropped to the header's size, equals the raw tile the same host
 * sends a connection that does not accept it, within decoder rounding.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import { openRaster } from '../../src/main/raster/openRaster'
import { FileVersion } from '../../src/main/raster/fileVersion'
import type { Raster } from '../../src/main/raster/Raster'
import { decodeTileFrame, decodeTileFramePayload } from '../../src/shared/tileFrame'
import type { TileHeader, TileRequest } from '../../src/shared/protocol'
import { tileGrid } from '../../src/shared/tiles'
import * as gdal from '../helpers/gdal'
import { jpegCog, noisyGradient, plainTiff, sharpTiledTiff } from '../helpers/jpegTiffs'
import { MemorySink, serviceCall as call, serviceOpen as open } from '../helpers/serviceFixtures'

// Not multiples of 256 (edge tiles at every level), and even down the levels: libvips halves
// rounding down, Tessera's levels round up, so only sizes that halve exactly keep every level's
// page the level's own size (an odd one is decoded instead: tested below).
const W = 1400
const H = 1000

let dir: string
const files: Record<string, string> = {}
const services: TextureService[] = []

beforeAll(async () => {
  gdal.requireGdal()
  dir = mkdtempSync(join(tmpdir(), 'tessera-jpeg-passthrough-'))
  const rgb = noisyGradient(W, H)
  files.sharpJpeg = await sharpTiledTiff(join(dir, 'sharp-jpeg.tif'), rgb, W, H, 'jpeg')
  const plain = await plainTiff(join(dir, 'plain.tif'), rgb, W, H)
  files.cog = await jpegCog(plain, dir, 'cog-jpeg')
  files.cog512 = await jpegCog(plain, dir, 'cog-jpeg-512', 512)
  // Photometric RGB: the JPEG streams hold R, G, B themselves (libjpeg names the components so).
  files.rgbJpeg = await gdal.translate(plain, join(dir, 'rgb-jpeg.tif'), [
    '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=256', '-co', 'BLOCKYSIZE=256', '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=RGB'
  ])
  files.webpCog = await gdal.translate(plain, join(dir, 'cog-webp.tif'), ['-of', 'COG', '-co', 'COMPRESS=WEBP', '-co', 'QUALITY=80', '-co', 'BLOCKSIZE=256'])
  files.webpLosslessCog = await gdal.translate(plain, join(dir, 'cog-webp-lossless.tif'), ['-of', 'COG', '-co', 'COMPRESS=WEBP', '-co', 'WEBP_LOSSLESS=YES', '-co', 'BLOCKSIZE=256'])
  files.lzw = await sharpTiledTiff(join(dir, 'sharp-lzw.tif'), rgb, W, H, 'lzw')
  files.deflateCog = await gdal.translate(plain, join(dir, 'cog-deflate.tif'), ['-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=256'])
  const odd = noisyGradient(W + 1, H + 3)
  files.oddJpeg = await sharpTiledTiff(join(dir, 'sharp-jpeg-odd.tif'), odd, W + 1, H + 3, 'jpeg')
  const rgba = gdal.writeSource(dir, 'mask-src', gdal.rgbImage(W, H, true), { colorInterp: ['Red', 'Green', 'Blue', 'Undefined'] })
  files.masked = await gdal.translate(rgba, join(dir, 'jpeg-mask.tif'), [
    '-b', '1', '-b', '2', '-b', '3', '-mask', '4', '-colorinterp', 'red,green,blue',
    '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=256', '-co', 'BLOCKYSIZE=256', '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=YCBCR',
    '--config', 'GDAL_TIFF_INTERNAL_MASK', 'YES'
  ])
  await gdal.addOverviews(files.masked, [2, 4])
  // A tile of zeros that GDAL leaves out of the file (byte count 0): decoded, not sent as stored.
  const holed = Buffer.from(rgb)
  for (let y = 0; y < 256; y++) holed.fill(0, (y * W + 256) * 3, (y * W + 512) * 3)
  const holedPlain = await plainTiff(join(dir, 'holed-plain.tif'), holed, W, H)
  files.sparse = await gdal.translate(holedPlain, join(dir, 'sparse-jpeg.tif'), [
    '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=256', '-co', 'BLOCKYSIZE=256', '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=YCBCR', '-co', 'SPARSE_OK=TRUE'
  ])
}, 120_000)

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()))
  await closeRasterRuntime()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function connection(accept: string[] | null): Promise<{ service: TextureService; sink: MemorySink }> {
  const sink = new MemorySink()
  const service = new TextureService({ sink, openRaster: rasterOpener, maxWorkers: 4, watchFiles: false })
  services.push(service)
  if (accept) await call(service, { type: 'tile-encodings', id: 99, accept })
  return { service, sink }
}

interface Received {
  header: TileHeader
  payload: Uint8Array
}

/** Opens `path` on the connection, asks for `tiles` and resolves with every frame, by tile address. */
async function fetchTiles(conn: { service: TextureService; sink: MemorySink }, path: string, tiles: Omit<TileRequest, 'priority'>[]): Promise<Map<string, Received>> {
  const { received, failed } = await fetchOutcomes(conn, path, tiles)
  expect(failed).toEqual(new Map())
  return received
}

/** The frames received, and the messages of the tiles that failed, by tile address. */
async function fetchOutcomes(
  conn: { service: TextureService; sink: MemorySink },
  path: string,
  tiles: Omit<TileRequest, 'priority'>[]
): Promise<{ received: Map<string, Received>; failed: Map<string, string> }> {
  const { service, sink } = conn
  const { rasterId } = await open(service, path)
  const from = sink.frames.length
  const failures = (): { key: string; error: { message: string } }[] => sink.ofType('tile-failed').filter((m) => m.rasterId === rasterId)
  await service.receive({ type: 'request', rasterId, tiles: tiles.map((t) => ({ ...t, priority: 2 })) })
  await sink.until(() => sink.frames.length - from + failures().length >= tiles.length)
  const received = new Map<string, Received>()
  for (const frame of sink.frames.slice(from)) {
    const { header, payload } = decodeTileFramePayload(frame)
    received.set(`${header.level}/${header.col}/${header.row}`, { header, payload: payload.slice() })
  }
  const failed = new Map(failures().map((m) => [m.key.slice(rasterId.length + 1), m.error.message.replace(`${rasterId}/`, '')]))
  return { received, failed }
}

/** Every tile of levels `levels` of a W × H raster (tile size 256). */
function allTiles(width: number, height: number, levels: number[]): Omit<TileRequest, 'priority'>[] {
  const tiles: Omit<TileRequest, 'priority'>[] = []
  for (const level of levels) {
    const size = { width: Math.ceil(width / 2 ** level), height: Math.ceil(height / 2 ** level) }
    const { cols, rows } = tileGrid(size, 256)
    for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) tiles.push({ level, col, row })
  }
  return tiles
}

/** RGBA of the received stored tile's top-left width × height pixels (a JPEG decoded by libjpeg, a WebP by libwebp, through sharp). */
async function decodeStoredTile(tile: Received): Promise<Uint8Array> {
  const { width, height } = tile.header
  const { data, info } = await sharp(tile.payload).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  expect(info.width, 'the stored image is a whole TIFF tile').toBe(256)
  expect(info.height).toBe(256)
  const out = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) out.set(data.subarray(y * 256 * 4, (y * 256 + width) * 4), y * width * 4)
  return out
}

// Level 0 (6×4 tiles, the last column 120 wide, the last row 232 high), level 1 (700×500: 3×2,
// edges 188 and 244) and level 2 (350×250: 2×1, edge 94): inner, edge and corner tiles.
const SAMPLED: Omit<TileRequest, 'priority'>[] = [
  { level: 0, col: 0, row: 0 },
  { level: 0, col: 2, row: 1 },
  { level: 0, col: 5, row: 1 },
  { level: 0, col: 3, row: 3 },
  { level: 0, col: 5, row: 3 },
  { level: 1, col: 0, row: 0 },
  { level: 1, col: 2, row: 0 },
  { level: 1, col: 2, row: 1 },
  { level: 2, col: 1, row: 0 },
  { level: 3, col: 0, row: 0 }
]

describe('JPEG tiles sent as stored', () => {
  const levelZero = SAMPLED.filter((t) => t.level === 0)
  for (const [name, file, sampled, encoding] of [
    ['sharp pyramidal TIFF', 'sharpJpeg', SAMPLED, 'jpeg'],
    ['GDAL COG', 'cog', SAMPLED, 'jpeg'],
    ['GDAL RGB (not YCbCr) JPEG TIFF', 'rgbJpeg', levelZero, 'jpeg'],
    ['GDAL WebP COG (lossy)', 'webpCog', SAMPLED, 'webp'],
    ['GDAL WebP COG (lossless)', 'webpLosslessCog', SAMPLED, 'webp']
  ] as const) {
    it(`sends the ${name}'s own ${encoding.toUpperCase()} tiles, equal to the raw tiles within decoder rounding`, async () => {
      const jpeg = await fetchTiles(await connection([encoding]), files[file]!, sampled)
      const raw = await fetchTiles(await connection(null), files[file]!, sampled)
      let maxDiff = 0
      for (const tile of sampled) {
        const key = `${tile.level}/${tile.col}/${tile.row}`
        const stored = jpeg.get(key)!
        const pixels = raw.get(key)!
        expect(pixels.header.encoding, `${key} raw`).toBeUndefined()
        expect(stored.header, `${key} header`).toMatchObject({ encoding, channels: 4, sampleType: 'uint8', width: pixels.header.width, height: pixels.header.height })
        expect(stored.payload.byteLength, `${key}: the stored tile is smaller than its pixels`).toBeLessThan(pixels.payload.byteLength)
        const decoded = await decodeStoredTile(stored)
        expect(decoded.byteLength).toBe(pixels.payload.byteLength)
        let tileMax = 0
        for (let i = 0; i < decoded.length; i++) tileMax = Math.max(tileMax, Math.abs(decoded[i]! - pixels.payload[i]!))
        maxDiff = Math.max(maxDiff, tileMax)
      }
      console.log(`[jpegPassthrough] ${name}: max |decoded stored ${encoding.toUpperCase()} − raw tile| over ${sampled.length} tiles = ${maxDiff}`)
      expect(maxDiff).toBeLessThanOrEqual(2)
    })
  }

  it('sends raw tiles to a connection that accepts nothing, and again once it says []', async () => {
    const conn = await connection(['jpeg'])
    await call(conn.service, { type: 'tile-encodings', id: 5, accept: [] })
    const tiles = await fetchTiles(conn, files.sharpJpeg!, SAMPLED.slice(0, 3))
    for (const { header } of tiles.values()) expect(header.encoding).toBeUndefined()
    // The raw frames are what decodeTileFrame reads.
    for (const frame of conn.sink.frames) expect(() => decodeTileFrame(frame)).not.toThrow()
  })

  it('serves in FIFO mode too', async () => {
    const conn = await connection(['jpeg'])
    await call(conn.service, { type: 'configure', id: 6, scheduling: 'fifo' })
    const tiles = await fetchTiles(conn, files.cog!, SAMPLED.slice(0, 4))
    expect([...tiles.values()].map((t) => t.header.encoding)).toEqual(['jpeg', 'jpeg', 'jpeg', 'jpeg'])
  })

  for (const [what, file] of [
    ['an LZW TIFF', 'lzw'],
    ['a DEFLATE COG', 'deflateCog'],
    ['a JPEG TIFF with a mask', 'masked'],
    ['a COG of 512-pixel JPEG tiles', 'cog512']
  ] as const) {
    it(`never sends ${what}'s tiles as stored`, async () => {
      const tiles = await fetchTiles(await connection(['jpeg']), files[file]!, allTiles(W, H, [0, 1, 2]))
      expect(tiles.size).toBeGreaterThan(30)
      for (const [key, { header }] of tiles) expect(header.encoding, key).toBeUndefined()
    })
  }

  it('decodes the levels of an odd-sized libvips pyramid whose pages are not the levels\' size', async () => {
    // 1401 × 1003: libvips' page 1 is 700 × 501, Tessera's level 1 is 701 × 502.
    const tiles = await fetchTiles(await connection(['jpeg']), files.oddJpeg!, [
      { level: 0, col: 0, row: 0 },
      { level: 1, col: 0, row: 0 },
      { level: 2, col: 0, row: 0 }
    ])
    expect(tiles.get('0/0/0')!.header.encoding).toBe('jpeg')
    expect(tiles.get('1/0/0')!.header.encoding).toBeUndefined()
    expect(tiles.get('2/0/0')!.header.encoding).toBeUndefined()
  })

  it('decodes a tile the file leaves out (byte count 0) as GDAL reads it, zeros, and sends the others as stored', async () => {
    const tiles = [
      { level: 0, col: 0, row: 0 },
      { level: 0, col: 1, row: 0 }
    ]
    const jpeg = await fetchOutcomes(await connection(['jpeg']), files.sparse!, tiles)
    const raw = await fetchOutcomes(await connection(null), files.sparse!, tiles)
    expect(jpeg.received.get('0/0/0')!.header.encoding).toBe('jpeg')
    // The missing tile goes through the normal decode (emptyBlocks.ts), never as a stored stream.
    expect(jpeg.received.get('0/1/0')?.header.encoding).toBeUndefined()
    expect(jpeg.failed).toEqual(new Map())
    expect(raw.failed).toEqual(new Map())
    const empty = jpeg.received.get('0/1/0')!.payload
    expect(empty).toEqual(raw.received.get('0/1/0')?.payload)
    // Opaque black, as GDAL reads a block that is not there in a file without no-data or mask.
    expect(empty.every((v, i) => v === (i % 4 === 3 ? 255 : 0))).toBe(true)
  })

  it('refuses a stored tile read from another version of the file than the one opened', async () => {
    const stale = new FileVersion(files.cog!, { size: 1, mtimeMs: 1, ino: 1 })
    const raster = (await openRaster(files.cog!, {}, stale)) as Raster
    try {
      await expect(raster.readTileAs(0, 0, 0, new Set(['jpeg']))).rejects.toMatchObject({ name: 'FileChangedError' })
      expect(stale.knownChanged).toBe(true)
    } finally {
      await raster.close()
    }
  })

  it('counts the stored bytes it sends', async () => {
    const conn = await connection(['jpeg'])
    const tiles = await fetchTiles(conn, files.cog!, SAMPLED.slice(0, 2))
    const stats = await call<{ bytesSent: number; tilesSent: number }>(conn.service, { type: 'stats', id: 7 })
    const payload = [...tiles.values()].reduce((sum, t) => sum + t.payload.byteLength, 0)
    expect(stats.tilesSent).toBe(2)
    expect(stats.bytesSent).toBeGreaterThanOrEqual(payload)
    expect(stats.bytesSent).toBeLessThan(payload + 2 * 1024)
  })
})
