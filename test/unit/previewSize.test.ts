/** The size of a dropped picture read from its head (the page's one-call preview decode), and the preview's size. */
import { describe, expect, it } from 'vitest'
import sharp, { type Sharp } from 'sharp'
import { IMAGE_HEAD_BYTES, previewSize, storedImageSize } from '../../src/renderer/previewSize'

const raw = (width: number, height: number): Sharp => sharp(Buffer.alloc(width * height * 3, 120), { raw: { width, height, channels: 3 } })
const head = (bytes: Buffer): Uint8Array => new Uint8Array(bytes.subarray(0, IMAGE_HEAD_BYTES))

describe('storedImageSize', () => {
  it.each([
    ['baseline JPEG', (s: Sharp) => s.jpeg()],
    ['progressive JPEG', (s: Sharp) => s.jpeg({ progressive: true })],
    ['PNG', (s: Sharp) => s.png()],
    ['GIF', (s: Sharp) => s.gif()],
    ['lossy WebP', (s: Sharp) => s.webp({ quality: 80 })],
    ['lossless WebP', (s: Sharp) => s.webp({ lossless: true })]
  ])('reads the width and height of a %s', async (_name, encode) => {
    for (const [width, height] of [[37, 21], [300, 1001], [1, 1]] as const) {
      const bytes = await encode(raw(width, height)).toBuffer()
      expect(storedImageSize(head(bytes))).toEqual({ width, height })
    }
  })

  it('reads a WebP with a VP8X header (alpha, EXIF)', async () => {
    const bytes = await sharp(Buffer.alloc(40 * 30 * 4, 90), { raw: { width: 40, height: 30, channels: 4 } }).webp().withMetadata({ orientation: 6 }).toBuffer()
    expect(Buffer.from(bytes).toString('latin1', 12, 16)).toBe('VP8X')
    expect(storedImageSize(head(bytes))).toEqual({ width: 40, height: 30 })
  })

  it('gives the stored size of a JPEG whose EXIF turns it (the preview is decoded as stored)', async () => {
    const bytes = await raw(64, 16).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    expect(storedImageSize(head(bytes))).toEqual({ width: 64, height: 16 })
  })

  it('skips segments before the frame header (a large APP segment)', async () => {
    const jpeg = await raw(50, 40).jpeg().toBuffer()
    const app = Buffer.alloc(4 + 60_000)
    app.writeUInt16BE(0xffe2, 0)
    app.writeUInt16BE(60_002, 2)
    const bytes = Buffer.concat([jpeg.subarray(0, 2), app, jpeg.subarray(2)])
    expect(storedImageSize(head(bytes))).toEqual({ width: 50, height: 40 })
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 50, height: 40 })
  })

  it('says null for other formats, truncated heads and damaged headers', async () => {
    const tiff = await raw(10, 10).tiff().toBuffer()
    const jpeg = await raw(10, 10).jpeg().toBuffer()
    expect(storedImageSize(head(tiff))).toBeNull()
    expect(storedImageSize(new Uint8Array(0))).toBeNull()
    expect(storedImageSize(new Uint8Array(jpeg.subarray(0, 20)))).toBeNull()
    const broken = Buffer.from(jpeg)
    broken[2] = 0x00 // not a marker where one must be
    expect(storedImageSize(new Uint8Array(broken))).toBeNull()
    const png = await raw(10, 10).png().toBuffer()
    expect(storedImageSize(new Uint8Array(png.subarray(0, 23)))).toBeNull()
  })
})

describe('previewSize', () => {
  it('fits the picture inside the box, keeping the aspect', () => {
    expect(previewSize({ width: 4096, height: 4096 }, { width: 1280, height: 800 })).toEqual({ width: 800, height: 800 })
    expect(previewSize({ width: 4000, height: 3000 }, { width: 1280, height: 800 })).toEqual({ width: 1067, height: 800 })
    expect(previewSize({ width: 6000, height: 1000 }, { width: 1280, height: 800 })).toEqual({ width: 1280, height: 213 })
    expect(previewSize({ width: 1500, height: 6000 }, { width: 2048, height: 2048 })).toEqual({ width: 512, height: 2048 })
  })

  it('never enlarges, and keeps at least a pixel a side', () => {
    expect(previewSize({ width: 800, height: 600 }, { width: 1280, height: 800 })).toEqual({ width: 800, height: 600 })
    expect(previewSize({ width: 100_000, height: 1 }, { width: 1000, height: 1000 })).toEqual({ width: 1000, height: 1 })
  })
})
