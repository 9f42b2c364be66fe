/**
 * The part that geotiff.js's decoder interface asks of every block decoder Tessera gives it (LZW in
 * `lzw.ts`, DEFLATE in `deflate.ts`): a `BaseDecoder` subclass over a function from a block's coded
 * bytes to its decoded bytes, sized from the block's parameters, and its registration for some TIFF
 * compression codes. geotiff.js's `BaseDecoder.decode` applies the predictor afterwards, as for its
 * own decoders.
 */
import { BaseDecoder, addDecoder } from 'geotiff'

/** One block's decoded bytes; `expectedBytes` (its size, when known) lets the output be sized at once. */
export type DecodeBlock = (input: Uint8Array, expectedBytes?: number) => Uint8Array

/** The block parameters geotiff.js gives a decoder (the fields read here). */
interface BlockParameters {
  tileWidth: number
  tileHeight: number
  bitsPerSample: number | ArrayLike<number>
  planarConfiguration: number
}

/** The bytes of a whole block, when its parameters say (samples of whole bytes); otherwise undefined. */
export function blockBytes({ tileWidth, tileHeight, bitsPerSample, planarConfiguration }: BlockParameters): number | undefined {
  const bits = typeof bitsPerSample === 'number' ? [bitsPerSample] : Array.from(bitsPerSample)
  // Planar configuration 2: a block holds one band's samples.
  const pixelBits = planarConfiguration === 2 ? bits[0]! : bits.reduce((sum, b) => sum + b, 0)
  const bytes = Math.ceil((tileWidth * pixelBits) / 8) * tileHeight
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined
}

/** A geotiff.js decoder class over `decode`. */
function decoderClass(decode: DecodeBlock): typeof BaseDecoder {
  return class extends BaseDecoder {
    override decodeBlock(buffer: ArrayBuffer): ArrayBuffer {
      const decoded = decode(new Uint8Array(buffer), blockBytes(this.parameters as BlockParameters))
      // The result may be a view of a larger or pooled buffer: geotiff.js reads the whole ArrayBuffer.
      return decoded.byteOffset === 0 && decoded.byteLength === decoded.buffer.byteLength ? (decoded.buffer as ArrayBuffer) : (decoded.slice().buffer as ArrayBuffer)
    }
  }
}

/** Compression codes already given a decoder here in this thread. */
const registered = new Set<number>()

/**
 * Makes geotiff.js decode the blocks of the TIFF compression codes `compressions` with `decode`, in
 * this thread. Idempotent per code: a code registered here before keeps its decoder.
 */
export function registerBlockDecoder(compressions: readonly number[], decode: DecodeBlock): void {
  const fresh = compressions.filter((code) => !registered.has(code))
  if (fresh.length === 0) return
  for (const code of fresh) registered.add(code)
  const Decoder = decoderClass(decode)
  addDecoder(fresh, () => Promise.resolve(Decoder), undefined, false)
}
