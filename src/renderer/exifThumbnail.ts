/**
 * Where a JPEG's EXIF thumbnail is, read from the file's first bytes (issue 14: a dropped camera
 * photo shows something at once). Cameras and phones store a small JPEG of the picture (160×120
 * and up) in the EXIF block, IFD1, within the first 64 KiB; the browser decodes it in a few
 * milliseconds where the whole photo takes a few hundred. Pure: no DOM.
 */
import { ascii, jpegSegments } from './jpegSegments'

/** Byte range of the thumbnail's JPEG within the head it was found in. */
export interface ByteRange {
  offset: number
  length: number
}

/** EXIF tags of IFD1 that locate its JPEG thumbnail (TIFF 6.0 / EXIF 2.3, "JPEGInterchangeFormat"). */
const THUMBNAIL_OFFSET_TAG = 0x0201
const THUMBNAIL_LENGTH_TAG = 0x0202

/**
 * The byte range of the JPEG thumbnail in a JPEG's EXIF (APP1) block, if `head` holds all of it;
 * null for another format, no EXIF, no thumbnail, or a block that is damaged or cut short.
 */
export function exifThumbnail(head: Uint8Array): ByteRange | null {
  for (const { marker, at, length } of jpegSegments(head)) {
    // The EXIF block is among the APPn segments before the first frame header.
    if (marker < 0xe0 || marker > 0xef) return null
    const body = at + 4
    if (marker === 0xe1 && body + 6 <= head.length && ascii(head, body, 6) === 'Exif\0\0') {
      return thumbnailIn(head, body + 6, Math.min(head.length, at + 2 + length))
    }
  }
  return null
}

/** The thumbnail of the TIFF structure at `tiff` (its offsets count from there), within [tiff, end). */
function thumbnailIn(b: Uint8Array, tiff: number, end: number): ByteRange | null {
  if (tiff + 8 > end) return null
  const order = ascii(b, tiff, 2)
  if (order !== 'II' && order !== 'MM') return null
  const little = order === 'II'
  const u16 = (at: number): number => (little ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!)
  const u32 = (at: number): number =>
    (little ? b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24) : (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
  if (u16(tiff + 2) !== 42) return null
  /** The IFD at `offset` (from the TIFF start): its entries' position and count, or null if out of bounds. */
  const ifd = (offset: number): { entries: number; count: number } | null => {
    const start = tiff + offset
    if (offset < 8 || start + 2 > end) return null
    const count = u16(start)
    if (start + 2 + count * 12 + 4 > end) return null
    return { entries: start + 2, count }
  }
  const ifd0 = ifd(u32(tiff + 4))
  if (!ifd0) return null
  const ifd1 = ifd(u32(ifd0.entries + ifd0.count * 12))
  if (!ifd1) return null
  let offset = -1
  let length = -1
  for (let i = 0; i < ifd1.count; i++) {
    const entry = ifd1.entries + i * 12
    const tag = u16(entry)
    // A LONG (4) or SHORT (3) count of one: the value sits in the entry itself.
    const type = u16(entry + 2)
    const value = type === 3 ? u16(entry + 8) : type === 4 ? u32(entry + 8) : -1
    if (tag === THUMBNAIL_OFFSET_TAG) offset = value
    else if (tag === THUMBNAIL_LENGTH_TAG) length = value
  }
  if (offset <= 0 || length < 4) return null
  const start = tiff + offset
  if (start + length > end) return null
  // Its own JPEG: starts with SOI.
  if (b[start] !== 0xff || b[start + 1] !== 0xd8) return null
  return { offset: start, length }
}

/**
 * A thumbnail may stand for its photo only if it has the photo's shape (within 2 %): some cameras
 * letterbox a 3:2 photo in a 4:3 thumbnail, which stretched over the photo would be wrong, not
 * just blurred.
 */
export function thumbnailFits(thumbnail: { width: number; height: number }, photo: { width: number; height: number }): boolean {
  if (!(thumbnail.width > 0 && thumbnail.height > 0 && photo.width > 0 && photo.height > 0)) return false
  return Math.abs(thumbnail.width / thumbnail.height / (photo.width / photo.height) - 1) <= 0.02
}
