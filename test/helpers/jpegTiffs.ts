/**
 * JPEG-compressed tiled TIFFs for the passthrough tests and the stream bench: a photo-like RGB
 * picture (gradients plus seeded noise, so that JPEG has real work and rounding shows) written by
 * sharp (libvips' pyramid) and by GDAL (a COG), and files whose tiles must never be sent as stored.
 */
import { join } from 'node:path'
import sharp from 'sharp'
import { translate } from './gdal'
import { seededRandom } from './seededRandom'

/** RGB bytes (interleaved) of a width × height gradient with noise. */
export function noisyGradient(width: number, height: number, seed = 7): Buffer {
  const random = seededRandom(seed)
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      const noise = (): number => (random() - 0.5) * 60
      data[i] = clamp((255 * x) / width + noise())
      data[i + 1] = clamp((255 * y) / height + noise())
      data[i + 2] = clamp(128 + 100 * Math.sin((x + 2 * y) / 53) + noise())
    }
  }
  return data
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)))
}

/** Writes `rgb` (width × height) as a tiled pyramidal TIFF with sharp, 256-pixel tiles. */
export async function sharpTiledTiff(path: string, rgb: Buffer, width: number, height: number, compression: 'jpeg' | 'lzw' | 'deflate'): Promise<string> {
  await sharp(rgb, { raw: { width, height, channels: 3 } })
    .tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression, ...(compression === 'jpeg' ? { quality: 85 } : {}) })
    .toFile(path)
  return path
}

/** Writes `rgb` as an uncompressed striped TIFF: the source GDAL translates. */
export async function plainTiff(path: string, rgb: Buffer, width: number, height: number): Promise<string> {
  await sharp(rgb, { raw: { width, height, channels: 3 } }).tiff({ compression: 'none' }).toFile(path)
  return path
}

/** A GDAL COG of `source`, JPEG-compressed (YCbCr, GDAL's default), `blockSize`-pixel tiles, internal overviews. */
export function jpegCog(source: string, dir: string, name: string, blockSize = 256): Promise<string> {
  return translate(source, join(dir, `${name}.tif`), ['-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', `BLOCKSIZE=${blockSize}`])
}
