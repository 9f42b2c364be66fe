/**
 * TIFF LZW (compression 5) decoded fast, for geotiff.js. Its own decoder reads every code bit by bit
 * and builds each string as a JS array: a 5000 × 4000 Float32 DEM in GDAL's default layout (striped,
 * LZW + predictor, 80 MB of samples) took 12 s to decode, most of the 15 s it took to its first
 * tile, where libtiff takes a fraction of a second. This one keeps a bit buffer and copies each
 * string from where it was written before (an LZW string is always an earlier output followed by
 * one byte), so that the samples come out at the speed of a copy. Pure; the worker registers it.
 */
import { registerBlockDecoder } from './blockDecoder'

const CLEAR = 256
const END = 257
const FIRST_FREE = 258
const MAX_CODES = 4096

/**
 * The bytes of one LZW-coded TIFF block (MSB-first codes of 9 to 12 bits, the code width growing
 * one code early, as libtiff writes). `expectedBytes` sizes the output at once when known. A
 * stream that ends without its end code ends where its bytes do (as libtiff and geotiff.js read
 * it); a code that no table holds is an error naming it.
 */
export function decodeLzw(input: Uint8Array, expectedBytes = input.length * 3): Uint8Array {
  let out = new Uint8Array(Math.max(64, expectedBytes))
  let written = 0
  // Entry `code` (≥ 258) is `lengths[code]` bytes of the output from `offsets[code]`.
  const offsets = new Int32Array(MAX_CODES)
  const lengths = new Uint16Array(MAX_CODES)
  let next = FIRST_FREE
  let width = 9
  let previous = -1 // the code written before, whose string the next entry extends
  let previousAt = 0 // where it was written
  let bits = 0
  let bitCount = 0
  let at = 0
  const end = input.length

  for (;;) {
    while (bitCount < width) {
      if (at >= end) return out.subarray(0, written) // ran out before the end code
      bits = ((bits << 8) | input[at++]!) & 0xffffff
      bitCount += 8
    }
    bitCount -= width
    const code = (bits >>> bitCount) & ((1 << width) - 1)
    if (code === END) break
    if (code === CLEAR) {
      next = FIRST_FREE
      width = 9
      previous = -1
      continue
    }
    const length = code < CLEAR ? 1 : code < next ? lengths[code]! : code === next && previous >= 0 ? lengthOf(previous, lengths) + 1 : -1
    if (length < 0) throw new Error(`LZW: code ${code} is not in the table (${next} entries)${previous < 0 ? ' after a clear code' : ''}`)
    if (written + length > out.length) {
      const grown = new Uint8Array(Math.max(out.length * 2, written + length))
      grown.set(out.subarray(0, written))
      out = grown
    }
    const start = written
    if (code < CLEAR) {
      out[written++] = code
    } else {
      // A copy forward, byte by byte: for a code just being defined (KwKwK) the source runs into the destination.
      const from = code === next ? previousAt : offsets[code]!
      for (let i = 0; i < length; i++) out[written + i] = out[from + i]!
      written += length
    }
    if (previous >= 0 && next < MAX_CODES) {
      offsets[next] = previousAt
      lengths[next] = lengthOf(previous, lengths) + 1
      next++
      // libtiff widens the code one entry early; at 12 bits the table stays full until a clear code.
      if (next + 1 >= 1 << width && width < 12) width++
    }
    previous = code
    previousAt = start
  }
  return out.subarray(0, written)
}

function lengthOf(code: number, lengths: Uint16Array): number {
  return code < CLEAR ? 1 : lengths[code]!
}

/** Makes geotiff.js decode LZW blocks with `decodeLzw` in this thread (idempotent). */
export function registerLzwDecoder(): void {
  registerBlockDecoder([5], decodeLzw)
}
