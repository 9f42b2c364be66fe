/**
 * A fully transparent PNG of a given size, written here (no libvips on the main thread): the
 * empty tile of a web layer (outside its stated box, or a 404 of an XYZ server) sent to a
 * renderer that decodes PNG, a hundred-odd bytes where raw RGBA8 zeros are 256 KiB.
 * Kept per size: tiles of one layer share a few sizes.
 */
import { deflateSync } from 'node:zlib'

const cache = new Map<string, Uint8Array>()
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The PNG (8-bit RGBA, every pixel 0, 0, 0, 0) of `width` × `height`; the same bytes on every call: never write into them. */
export function emptyPng(width: number, height: number): Uint8Array {
  const key = `${width}x${height}`
  let png = cache.get(key)
  if (!png) {
    png = writeEmptyPng(width, height)
    cache.set(key, png)
  }
  return png
}

function writeEmptyPng(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  ihdr.set([8, 6, 0, 0, 0], 8) // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  // Each row: filter byte 0 and width × 4 zero samples.
  const idat = deflateSync(new Uint8Array(height * (1 + width * 4)), { level: 9 })
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]
  const out = new Uint8Array(SIGNATURE.length + chunks.reduce((n, c) => n + c.byteLength, 0))
  out.set(SIGNATURE)
  let at = SIGNATURE.length
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.byteLength)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)))
  return out
}

let table: Uint32Array | null = null

/** CRC-32 of PNG (ISO 3309), over the chunk's type and data. */
function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
