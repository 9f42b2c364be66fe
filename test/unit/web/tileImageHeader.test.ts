/**
 * A web tile's encoding and size from its header alone (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X),
 * which decides whether the server's bytes are sent as they are; and the empty tile's PNG.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { emptyPng } from '../../../src/main/web/emptyPng'
import { tileImageHeader } from '../../../src/main/web/tileImageHeader'

const picture = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 30, g: 120, b: 200, alpha: 0.5 } } })

describe('tileImageHeader', () => {
  it.each([
    ['png', 256, 256],
    ['png', 173, 256],
    ['jpeg', 256, 97],
    ['webp', 256, 256]
  ] as const)('reads a %s of %i × %i', async (format, width, height) => {
    const bytes = await picture(width, height).toFormat(format).toBuffer()
    expect(await tileImageHeader(bytes)).toEqual({ encoding: format, width, height })
  })

  it('reads a progressive JPEG (SOF2) after its APP segments, a lossless WebP (VP8L) and one with alpha (VP8X)', async () => {
    const progressive = await picture(200, 120).withMetadata().jpeg({ progressive: true }).toBuffer()
    expect(await tileImageHeader(progressive)).toEqual({ encoding: 'jpeg', width: 200, height: 120 })
    expect(await tileImageHeader(await picture(64, 48).webp({ lossless: true }).toBuffer())).toEqual({ encoding: 'webp', width: 64, height: 48 })
    expect(await tileImageHeader(await picture(64, 48, 4).webp({ quality: 80 }).toBuffer())).toEqual({ encoding: 'webp', width: 64, height: 48 })
  })

  it('says null for what the renderer is not sent as is: a ServiceException, HTML, a GIF, a TIFF, an empty or cut header', async () => {
    const xml = '<?xml version="1.0"?><ServiceExceptionReport><ServiceException code="LayerNotDefined">no</ServiceException></ServiceExceptionReport>'
    expect(await tileImageHeader(new TextEncoder().encode(xml))).toBeNull()
    expect(await tileImageHeader(new TextEncoder().encode('<html><body>502 Bad Gateway</body></html>'))).toBeNull()
    expect(await tileImageHeader(await picture(16, 16).gif().toBuffer())).toBeNull()
    expect(await tileImageHeader(await picture(16, 16).tiff().toBuffer())).toBeNull()
    expect(await tileImageHeader(new Uint8Array(0))).toBeNull()
    const png = await picture(16, 16).png().toBuffer()
    expect(await tileImageHeader(png.subarray(0, 20))).toBeNull()
    const jpeg = await picture(16, 16).jpeg().toBuffer()
    expect(await tileImageHeader(jpeg.subarray(0, 30))).toBeNull()
  })
})

describe('emptyPng', () => {
  it.each([
    [256, 256],
    [173, 40]
  ])('is a transparent PNG of %i × %i that libvips decodes, the same bytes on each call', async (width, height) => {
    const png = emptyPng(width, height)
    expect(emptyPng(width, height)).toBe(png)
    expect(await tileImageHeader(png)).toEqual({ encoding: 'png', width, height })
    const { data, info } = await sharp(png, { failOn: 'error' }).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([width, height, 4])
    expect(data.every((v) => v === 0)).toBe(true)
    expect(png.byteLength).toBeLessThan(1024)
  })
})
