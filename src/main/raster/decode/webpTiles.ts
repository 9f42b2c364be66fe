/**
 * Worker side: WebP tiles of a TIFF decoded by libvips (sharp, from the tile's bytes) for
 * geotiff.js, whose own WebP decoder needs a browser's `createImageBitmap`. A local WebP TIFF is
 * decoded by libvips from its path; a COG read by URL (geotiff.js only) needs this.
 */
import { BaseDecoder, addDecoder } from 'geotiff'
import sharp from 'sharp'

/** TIFF Compression 50001: WebP. */
const COMPRESSION_WEBP = 50001

class SharpWebpDecoder extends BaseDecoder {
  /** The tile's samples, interleaved, as many per pixel as the WebP holds (RGB, or RGBA as GDAL writes an alpha band). */
  override async decodeBlock(buffer: ArrayBuffer): Promise<ArrayBuffer> {
    const pixels = await sharp(new Uint8Array(buffer)).raw().toBuffer()
    return pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength) as ArrayBuffer
  }
}

let registered = false

/** Makes geotiff.js decode WebP tiles with libvips in this worker. Idempotent. */
export function registerWebpDecoder(): void {
  if (registered) return
  registered = true
  addDecoder(COMPRESSION_WEBP, () => Promise.resolve(SharpWebpDecoder as never), undefined, false)
}
