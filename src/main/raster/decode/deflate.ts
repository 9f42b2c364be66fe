/**
 * TIFF DEFLATE (compression 8, and 32946, the old code libtiff still reads) inflated by Node's zlib
 * for geotiff.js, whose own inflate (pako, in JavaScript) took ~30 ms per 512² Float32 tile of a
 * DEM COG read by URL: the decode workers' time, which the tiles wait for. The predictor is applied
 * afterwards by geotiff.js's base decoder, as for its own decoders. The worker registers it.
 */
import { constants, inflateSync } from 'node:zlib'
import { BaseDecoder, addDecoder } from 'geotiff'

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

/** geotiff.js' decoder interface over `inflateBlock` (the predictor is applied by geotiff.js after it). */
class DeflateDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBuffer): ArrayBuffer {
    const decoded = inflateBlock(new Uint8Array(buffer), this.blockBytes())
    // zlib's result may be a view of a larger or pooled buffer: geotiff.js reads the whole ArrayBuffer.
    return decoded.byteOffset === 0 && decoded.byteLength === decoded.buffer.byteLength ? (decoded.buffer as ArrayBuffer) : (decoded.slice().buffer as ArrayBuffer)
  }

  /** The bytes of a whole block, when its parameters say (samples of whole bytes). */
  private blockBytes(): number | undefined {
    const { tileWidth, tileHeight, bitsPerSample, planarConfiguration } = this.parameters as { tileWidth: number; tileHeight: number; bitsPerSample: number | ArrayLike<number>; planarConfiguration: number }
    const bits = typeof bitsPerSample === 'number' ? [bitsPerSample] : Array.from(bitsPerSample)
    const pixelBits = planarConfiguration === 2 ? bits[0]! : bits.reduce((sum, b) => sum + b, 0)
    const bytes = Math.ceil((tileWidth * pixelBits) / 8) * tileHeight
    return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined
  }
}

let registered = false

/** Makes geotiff.js inflate DEFLATE blocks with Node's zlib in this thread (idempotent). */
export function registerDeflateDecoder(): void {
  if (registered) return
  registered = true
  addDecoder([8, 32946], () => Promise.resolve(DeflateDecoder as never), undefined, false)
}
