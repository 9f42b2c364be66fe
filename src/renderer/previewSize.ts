/**
 * The size of a dropped picture read from its first bytes, and the size of its preview (issue 14).
 * Knowing the size before decoding lets the page decode the file straight to a screen-sized bitmap
 * in one `createImageBitmap` call: decoding it full size and then resizing the full bitmap ran the
 * resize on the page's main thread (90-360 ms per file on 2 busy cores, while the uploads of the
 * dropped files waited for that thread). Pure: no DOM.
 */
import { ascii, jpegSegments, u16be } from './jpegSegments'

export interface PixelSize {
  width: number
  height: number
}

/** Bytes of a file's head to read for `storedImageSize` (a JPEG's EXIF, thumbnail included, fits in 64 KiB). */
export const IMAGE_HEAD_BYTES = 128 * 1024

/**
 * Width and height as stored (before any EXIF orientation) of a JPEG, PNG, GIF or WebP whose first
 * bytes are `head`; null when the head is of another format, damaged, or too short to say.
 */
export function storedImageSize(head: Uint8Array): PixelSize | null {
  const size = jpegSize(head) ?? pngSize(head) ?? gifSize(head) ?? webpSize(head)
  return size && size.width > 0 && size.height > 0 ? size : null
}

/**
 * The preview's size: the picture shrunk (never enlarged) to fit inside `box`, as the view shows
 * it fitted, keeping its aspect; each side at least 1 pixel. Fitting both sides, not the longer one
 * to the box's longer side: a 4096² picture in a 1280×800 window is shown 800² when fitted, and a
 * 1280² preview cost 2.6× the pixels to upload in the frame that first shows it.
 */
export function previewSize(size: PixelSize, box: PixelSize): PixelSize {
  const scale = Math.min(1, box.width / size.width, box.height / size.height)
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) }
}

const u16le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8)
const u24le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)
const u32be = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0

/** A JPEG's frame header (SOFn), past the segments before it. */
function jpegSize(b: Uint8Array): PixelSize | null {
  for (const { marker, at } of jpegSegments(b)) {
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return at + 9 > b.length ? null : { width: u16be(b, at + 7), height: u16be(b, at + 5) }
    }
  }
  return null
}

/** A PNG's IHDR, the first chunk. */
function pngSize(b: Uint8Array): PixelSize | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (b.length < 24 || signature.some((v, i) => b[i] !== v) || ascii(b, 12, 4) !== 'IHDR') return null
  return { width: u32be(b, 16), height: u32be(b, 20) }
}

/** A GIF's logical screen (what a browser draws the frames in). */
function gifSize(b: Uint8Array): PixelSize | null {
  if (b.length < 10 || (ascii(b, 0, 6) !== 'GIF87a' && ascii(b, 0, 6) !== 'GIF89a')) return null
  return { width: u16le(b, 6), height: u16le(b, 8) }
}

/** A WebP's first chunk: VP8X (canvas), VP8L (lossless) or VP8 (lossy key frame). */
function webpSize(b: Uint8Array): PixelSize | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return null
  switch (ascii(b, 12, 4)) {
    case 'VP8X':
      return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 }
    case 'VP8L': {
      if (b[20] !== 0x2f) return null
      const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
    }
    case 'VP8 ': {
      // A key frame's start code, then 14-bit width and height (their top 2 bits are the scaling).
      if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null
      return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff }
    }
    default:
      return null
  }
}
