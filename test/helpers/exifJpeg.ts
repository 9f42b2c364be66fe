/**
 * A JPEG as a camera writes it: the picture, and an EXIF block (APP1) whose IFD1 holds a small
 * JPEG thumbnail. sharp writes EXIF tags but not thumbnails, so the block is built here by hand
 * (TIFF header, an empty IFD0, IFD1 with JPEGInterchangeFormat and its length, the thumbnail).
 */
import sharp from 'sharp'

/** Flat-coloured JPEG of `width` × `height` (quality 90). */
export async function plainJpeg(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .jpeg({ quality: 90 })
    .toBuffer()
}

/** The APP1 segment (marker, length, 'Exif\0\0', TIFF) carrying `thumbnail` in IFD1, in byte order `order`. */
export function exifSegment(thumbnail: Uint8Array, order: 'II' | 'MM' = 'II'): Buffer {
  const little = order === 'II'
  const tiff = Buffer.alloc(8 + 6 + 30)
  const u16 = (at: number, v: number): number => (little ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at))
  const u32 = (at: number, v: number): number => (little ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at))
  tiff.write(order, 0, 'ascii')
  u16(2, 42)
  u32(4, 8) // IFD0 at 8: no entries, then IFD1's offset
  u16(8, 0)
  u32(10, 14)
  u16(14, 2) // IFD1: two LONG entries, then no next IFD
  u16(16, 0x0201)
  u16(18, 4)
  u32(20, 1)
  u32(24, 44) // the thumbnail right after IFD1
  u16(28, 0x0202)
  u16(30, 4)
  u32(32, 1)
  u32(36, thumbnail.length)
  u32(40, 0)
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff, Buffer.from(thumbnail)])
  const header = Buffer.from([0xff, 0xe1, 0, 0])
  header.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([header, body])
}

/** `jpeg` with `segment` put right after its SOI, as cameras place EXIF. */
export function withSegment(jpeg: Buffer, segment: Buffer): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)])
}
