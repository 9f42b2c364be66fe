/**
 * The marker segments at the head of a JPEG, and the byte readers of the page's image-head parsers
 * (`previewSize.ts`, `exifThumbnail.ts`). Pure: no DOM.
 */

export const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!
export const ascii = (b: Uint8Array, at: number, length: number): string => String.fromCharCode(...b.subarray(at, at + length))

/** One marker segment: its marker byte, where it starts (at its 0xFF), and its length field (which counts itself). */
export interface JpegSegment {
  marker: number
  at: number
  length: number
}

/**
 * The segments of a JPEG whose first bytes are `b`, in order, up to the start of its scan (SOS),
 * its end (EOI), bytes that are no marker, or the end of `b`; none when `b` does not start with SOI.
 * Markers without a length (TEM, RSTn, SOI) are skipped.
 */
export function* jpegSegments(b: Uint8Array): Generator<JpegSegment> {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return
  let at = 2
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return
    const marker = b[at + 1]!
    if (marker === 0xff) {
      at++ // fill byte
      continue
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return
    const length = u16be(b, at + 2)
    if (length < 2) return
    yield { marker, at, length }
    at += 2 + length
  }
}
