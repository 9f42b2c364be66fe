/**
 * TIFF DEFLATE (compression 8, and 32946, the old code libtiff still reads) inflated by Node's zlib
 * for geotiff.js, whose own inflate (pako, in JavaScript) took ~30 ms per 512² Float32 tile of a
 * DEM COG read by URL: the decode workers' time, which the tiles wait for. The predictor is applied
 * afterwards by geotiff.js's base decoder (`blockDecoder.ts`), as for its own decoders. The worker registers it.
 */
import { constants, inflateSync } from 'node:zlib'
import { registerBlockDecoder } from './blockDecoder'

/** zlib's smallest output chunk: a block whose size is unknown grows from there. */
const MIN_CHUNK = 64

/**
 * The bytes of one DEFLATE-coded TIFF block: a zlib stream, as libtiff writes it. `expectedBytes`
 * (the block's decoded size, when known) sizes zlib's output at once. A stream cut short gives the
 * bytes it holds, as libtiff reads a truncated block; a stream that is not zlib data is an error
 * saying why (zlib's words).
 */
export function inflateBlock(input: Uint8Array, expectedBytes?: number): Uint8Array {
  const chunkSize = Math.max(MIN_CHUNK, expectedBytes ?? input.length * 4)
  try {
    // SYNC_FLUSH at the end: a stream without its end (truncated) yields what it decoded instead of failing.
    return inflateSync(input, { chunkSize, finishFlush: constants.Z_SYNC_FLUSH })
  } catch (error) {
    throw new Error(`DEFLATE: the block is not a zlib stream (${error instanceof Error ? error.message : String(error)})`)
  }
}

/** Makes geotiff.js inflate DEFLATE blocks with Node's zlib in this thread (idempotent). */
export function registerDeflateDecoder(): void {
  registerBlockDecoder([8, 32946], inflateBlock)
}
