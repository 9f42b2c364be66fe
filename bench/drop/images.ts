/**
 * Photo-like images for the `drop` suite and the memory-threshold measurement, made once by sharp
 * and cached in bench/.cache: smooth gradients (a coarse random field enlarged with a cubic
 * kernel), hard edges (discs, bars and lines drawn on top) and sensor-like noise, so that a JPEG of
 * it costs what a camera's costs to decode (a flat or synthetic picture decodes far faster).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { exifSegment, withSegment } from '../../test/helpers/exifJpeg'

/** A seeded xorshift32 generator of bytes (fast: the noise is one value per sample). */
function bytes(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return s & 255
  }
}

/** Raw RGB pixels of a photo-like width × height image. */
export async function photoPixels(width: number, height: number, seed = 14): Promise<Buffer> {
  const next = bytes(seed)
  // Smooth gradients: a 1/64 field of random colours, enlarged.
  const cw = Math.max(2, Math.ceil(width / 64))
  const ch = Math.max(2, Math.ceil(height / 64))
  const coarse = Buffer.alloc(cw * ch * 3)
  for (let i = 0; i < coarse.length; i++) coarse[i] = 40 + ((next() * 170) >> 8)
  const side = Math.min(width, height)
  const shapes: string[] = []
  for (let i = 0; i < 60; i++) {
    const hue = (i * 47) % 360
    shapes.push(`<circle cx="${(next() * width) >> 8}" cy="${(next() * height) >> 8}" r="${(side / 200) * (2 + (next() % 30))}" fill="hsl(${hue},55%,${30 + (i % 5) * 10}%)" opacity="0.85"/>`)
    shapes.push(`<rect x="${(next() * width) >> 8}" y="${(next() * height) >> 8}" width="${(side / 100) * (1 + (next() % 20))}" height="${(side / 300) * (1 + (next() % 8))}" fill="hsl(${(hue + 180) % 360},40%,60%)"/>`)
    shapes.push(`<line x1="${(next() * width) >> 8}" y1="${(next() * height) >> 8}" x2="${(next() * width) >> 8}" y2="${(next() * height) >> 8}" stroke="#111" stroke-width="${1 + (i % 4)}"/>`)
  }
  const edges = Buffer.from(`<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${shapes.join('')}</svg>`)
  const pixels = await sharp(coarse, { raw: { width: cw, height: ch, channels: 3 } })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .composite([{ input: edges }])
    .removeAlpha()
    .raw()
    .toBuffer()
  // Sensor-like noise, ±12 per sample.
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]! + ((next() * 25) >> 8) - 12
    pixels[i] = v < 0 ? 0 : v > 255 ? 255 : v
  }
  return pixels
}

/** A width × height photo-like JPEG (quality 90, 4:2:0, as cameras write), made once in `cacheDir`. */
export async function ensurePhotoJpeg(cacheDir: string, width: number, height: number, seed = 14): Promise<string> {
  mkdirSync(cacheDir, { recursive: true })
  const path = join(cacheDir, `photo-${width}x${height}-${seed}.jpg`)
  if (existsSync(path)) return path
  const pixels = await photoPixels(width, height, seed)
  await sharp(pixels, { raw: { width, height, channels: 3 }, limitInputPixels: false }).jpeg({ quality: 90, chromaSubsampling: '4:2:0' }).toFile(`${path}.partial`)
  renameSync(`${path}.partial`, path)
  return path
}

/** One image of the five-file drop: a photo-like picture in `format`, made once in `cacheDir`. */
export async function ensurePhotoAs(cacheDir: string, format: 'jpeg' | 'png' | 'webp' | 'tiff', width: number, height: number, seed: number): Promise<string> {
  mkdirSync(cacheDir, { recursive: true })
  const ext = format === 'jpeg' ? 'jpg' : format === 'tiff' ? 'tif' : format
  const path = join(cacheDir, `photo-${width}x${height}-${seed}.${ext}`)
  if (existsSync(path)) return path
  const pixels = await photoPixels(width, height, seed)
  const image = sharp(pixels, { raw: { width, height, channels: 3 }, limitInputPixels: false })
  const encoded =
    format === 'jpeg'
      ? image.jpeg({ quality: 90 })
      : format === 'png'
        ? image.png({ compressionLevel: 6 })
        : format === 'webp'
          ? image.webp({ quality: 85 })
          : image.tiff({ compression: 'lzw', predictor: 'horizontal' })
  await encoded.toFile(`${path}.partial`)
  renameSync(`${path}.partial`, path)
  return path
}

/**
 * The photo `jpegPath` as a camera writes it: the same bytes with an EXIF block holding a 160 px
 * JPEG thumbnail (cameras and phones store one; sharp writes none). Made once beside it.
 */
export async function ensureWithExifThumbnail(jpegPath: string): Promise<string> {
  const path = jpegPath.replace(/\.jpg$/, '-exif.jpg')
  if (existsSync(path)) return path
  const photo = readFileSync(jpegPath)
  const { width = 1, height = 1 } = await sharp(photo).metadata()
  const thumbnail = await sharp(photo).resize(160, Math.max(1, Math.round((160 * height) / width))).jpeg({ quality: 75 }).toBuffer()
  writeFileSync(`${path}.partial`, withSegment(photo, exifSegment(thumbnail)))
  renameSync(`${path}.partial`, path)
  return path
}
