/**
 * Test images whose content is known: generated with sharp (never committed), and the colour
 * each one has at any pixel, for comparing screenshots against the source.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { writeFloatGeoTiff } from '../helpers/images'

export type RGB = readonly [number, number, number]

/** 1200 × 800 PNG: four solid quadrants, and 16-px blocks of distinct colours in its top-left 256 × 256. */
export const QUAD = { file: 'quad.png', width: 1200, height: 800 }
/** 8192 × 8192 tiled pyramidal TIFF (256-px tiles, 6 levels): one colour per 256-px block, an 8 × 8 checker in each block's corner. */
export const PYRAMID = { file: 'pyramid.tif', width: 8192, height: 8192 }
/** A JPEG above the 16-megapixel memory limit: opened at once from an overview while its pyramid is built. */
export const BIG_JPEG = { file: 'big.jpg', width: 9000, height: 5000 }
/** 1024 × 768 single-band 16-bit TIFF (an elevation-like ramp): shown with a linear stretch. */
export const ELEVATION = { file: 'elevation.tif', width: 1024, height: 768 }

/** Value of the 16-bit TIFF at pixel (x, y): rises to the right, a little downwards. */
export function elevationValue(x: number, y: number): number {
  return x * 50 + y
}

/**
 * 600 × 400 float32 GeoTIFF (EPSG:32631, 2 m pixels, origin 500000 / 6000000), no-data -9999 in
 * its first row: value 100 + x / 2 - y / 4 elsewhere.
 */
export const GEO_FLOAT = { file: 'geo-float.tif', width: 600, height: 400 }

/** Bytes that start like a PNG and are not one. */
export const CORRUPT = { file: 'corrupt.png' }

const QUADRANTS: RGB[] = [
  [220, 40, 40],
  [40, 200, 60],
  [40, 60, 220],
  [230, 210, 40]
]

/** Colour of the PNG at pixel (x, y). */
export function quadColor(x: number, y: number): RGB {
  if (x < 256 && y < 256) {
    const bx = x >> 4
    const by = y >> 4
    return [(bx * 16 + 8) & 255, (by * 16 + 8) & 255, ((bx + by) * 37) & 255]
  }
  const q = (x < QUAD.width / 2 ? 0 : 1) + (y < QUAD.height / 2 ? 0 : 2)
  return QUADRANTS[q]!
}

/** Colour of the pyramidal TIFF at pixel (x, y). */
export function pyramidColor(x: number, y: number): RGB {
  const bx = x >> 8
  const by = y >> 8
  if ((x & 255) < 8 && (y & 255) < 8 && ((x + y) & 1) === 0) return [255, 255, 255]
  return [30 + bx * 7, 30 + by * 7, ((bx ^ by) & 1) === 0 ? 90 : 200]
}

/** Colour of the big JPEG at (x, y), approximately (a smooth gradient, so JPEG keeps it). */
export function bigJpegColor(x: number, y: number): RGB {
  return [Math.round((x / BIG_JPEG.width) * 255), Math.round((y / BIG_JPEG.height) * 255), 128]
}

function raster(width: number, height: number, color: (x: number, y: number) => RGB): Buffer {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = color(x, y)
      const i = (y * width + x) * 3
      data[i] = r
      data[i + 1] = g
      data[i + 2] = b
    }
  }
  return data
}

/** Writes every test image into `dir`. */
export async function generateImages(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const raw = (w: number, h: number) => ({ raw: { width: w, height: h, channels: 3 as const } })
  await sharp(raster(QUAD.width, QUAD.height, quadColor), raw(QUAD.width, QUAD.height)).png().toFile(join(dir, QUAD.file))
  await sharp(raster(PYRAMID.width, PYRAMID.height, pyramidColor), raw(PYRAMID.width, PYRAMID.height))
    .tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'deflate' })
    .toFile(join(dir, PYRAMID.file))
  await sharp(raster(BIG_JPEG.width, BIG_JPEG.height, bigJpegColor), raw(BIG_JPEG.width, BIG_JPEG.height))
    .jpeg({ quality: 85 })
    .toFile(join(dir, BIG_JPEG.file))
  const values = new Uint16Array(ELEVATION.width * ELEVATION.height)
  for (let y = 0; y < ELEVATION.height; y++) {
    for (let x = 0; x < ELEVATION.width; x++) values[y * ELEVATION.width + x] = elevationValue(x, y)
  }
  await sharp(values, { raw: { width: ELEVATION.width, height: ELEVATION.height, channels: 1 } })
    .toColourspace('grey16')
    .tiff({ compression: 'deflate', tile: true, tileWidth: 256, tileHeight: 256 })
    .toFile(join(dir, ELEVATION.file))
  writeFloatGeoTiff(join(dir, GEO_FLOAT.file), GEO_FLOAT.width, GEO_FLOAT.height)
  const corrupt = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('this is not a PNG at all '.repeat(40))])
  writeFileSync(join(dir, CORRUPT.file), corrupt)
}
