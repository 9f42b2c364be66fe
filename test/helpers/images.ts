/**
 * Test images, made with sharp into a temporary directory per test file: smooth patterns (so that
 * reductions by different kernels agree within a small tolerance) with sharp features at known
 * places (so that misplaced tiles show).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { writeArrayBuffer } from 'geotiff'

/** A directory under the system temporary directory, removed by `cleanup()`. */
export function tempDir(prefix = 'tessera-test-'): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Raw interleaved 8-bit pixels. */
export interface RawImage {
  width: number
  height: number
  channels: number
  data: Uint8Array
}

/**
 * A smooth RGB(A) gradient with a 16-pixel checker in the top-left corner and a marker in the
 * bottom-right; alpha (when asked) varies smoothly from 255 down to 64.
 */
export function gradient(width: number, height: number, channels: 3 | 4 = 3): RawImage {
  const data = new Uint8Array(width * height * channels)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels
      const checker = x < 64 && y < 64 && ((x >> 4) + (y >> 4)) % 2 === 0
      data[i] = checker ? 255 : Math.round((x * 255) / Math.max(1, width - 1))
      data[i + 1] = checker ? 0 : Math.round((y * 255) / Math.max(1, height - 1))
      data[i + 2] = Math.round(128 + 100 * Math.sin((x + y) / 97))
      if (channels === 4) data[i + 3] = Math.round(255 - (191 * x) / Math.max(1, width - 1))
    }
  }
  return { width, height, channels, data }
}

/** A sharp pipeline over raw pixels. */
export function fromRaw(image: RawImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels as 3 | 4 } })
}

/** Pixels of a file as raw RGBA8 (after EXIF orientation), the reference the tiles are checked against. */
export async function referenceRgba(path: string, resizeTo?: { width: number; height: number }): Promise<RawImage> {
  let pipeline = sharp(path, { autoOrient: true, limitInputPixels: false })
  if (resizeTo) pipeline = pipeline.resize(resizeTo.width, resizeTo.height, { fit: 'fill' })
  const { data, info } = await pipeline.toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, channels: 4, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/** Reduces raw RGBA pixels to a size (the reference reduction for level ≥ 1 tiles). */
export async function reduceRaw(image: RawImage, width: number, height: number): Promise<RawImage> {
  const { data, info } = await fromRaw(image).resize(width, height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/** The `rect` of a raw image. */
export function crop(image: RawImage, rect: { left: number; top: number; width: number; height: number }): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height * image.channels)
  for (let y = 0; y < rect.height; y++) {
    const start = ((rect.top + y) * image.width + rect.left) * image.channels
    out.set(image.data.subarray(start, start + rect.width * image.channels), y * rect.width * image.channels)
  }
  return out
}

/** Mean and largest absolute difference of two equally long sample arrays. */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; max: number } {
  if (a.length !== b.length) throw new Error(`Cannot compare ${a.length} samples with ${b.length}`)
  let sum = 0
  let max = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!)
    sum += d
    if (d > max) max = d
  }
  return { mean: sum / Math.max(1, a.length), max }
}

/** A single-band 16-bit ramp (value = x * 7 + y * 3) as a PNG. */
export async function writePng16(path: string, width: number, height: number): Promise<Uint16Array> {
  const values = new Uint16Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) values[y * width + x] = (x * 7 + y * 3) % 65536
  // A Uint16Array (not a Buffer) tells sharp the samples are 16-bit.
  await sharp(values, { raw: { width, height, channels: 1 } }).toColourspace('grey16').png().toFile(path)
  return values
}

/** A float32 single-band GeoTIFF (EPSG:32631, 2 m pixels, origin 500000/6000000) with no-data -9999 in the first row. */
export function writeFloatGeoTiff(path: string, width: number, height: number): Float32Array {
  const values = new Float32Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) values[y * width + x] = y === 0 ? -9999 : 100 + x * 0.5 - y * 0.25
  const buffer = writeArrayBuffer(values, {
    width,
    height,
    ModelPixelScale: [2, 2, 0],
    ModelTiepoint: [0, 0, 0, 500000, 6000000, 0],
    ProjectedCSTypeGeoKey: 32631,
    GDAL_NODATA: '-9999'
  })
  writeFileSync(path, Buffer.from(buffer as ArrayBuffer))
  return values
}

/**
 * Writes an uncompressed tiled RGB TIFF whose reduced levels are sub-IFDs of the first image (as
 * OME-TIFF and GDAL can write, and sharp cannot): the levels are given finest first.
 */
export function writeSubifdPyramid(path: string, levels: RawImage[], tileSize: number): void {
  const chunks: Uint8Array[] = []
  let offset = 8
  const place = (bytes: Uint8Array): number => {
    const at = offset
    chunks.push(bytes)
    offset += bytes.length + (bytes.length % 2) // word-align what follows
    if (bytes.length % 2) chunks.push(new Uint8Array(1))
    return at
  }
  const u32 = (values: number[]): Uint8Array => new Uint8Array(Uint32Array.from(values).buffer)
  const u16 = (values: number[]): Uint8Array => new Uint8Array(Uint16Array.from(values).buffer)
  const tileOffsets = levels.map((level) => {
    const offsets: number[] = []
    for (let ty = 0; ty < Math.ceil(level.height / tileSize); ty++) {
      for (let tx = 0; tx < Math.ceil(level.width / tileSize); tx++) {
        const tile = new Uint8Array(tileSize * tileSize * 3)
        for (let y = 0; y < tileSize && ty * tileSize + y < level.height; y++) {
          const width = Math.min(tileSize, level.width - tx * tileSize)
          const start = ((ty * tileSize + y) * level.width + tx * tileSize) * level.channels
          for (let x = 0; x < width; x++) tile.set(level.data.subarray(start + x * level.channels, start + x * level.channels + 3), (y * tileSize + x) * 3)
        }
        offsets.push(place(tile))
      }
    }
    return offsets
  })
  const bits = place(u16([8, 8, 8]))
  const formats = place(u16([1, 1, 1]))
  // IFDs: sub-IFDs first (their offsets go into the first IFD's SubIFDs tag).
  const ifd = (index: number, subifds: number[]): number => {
    const level = levels[index]!
    const offsets = tileOffsets[index]!
    const counts = offsets.map(() => tileSize * tileSize * 3)
    const inlineOrPlaced = (values: number[]): number => (values.length === 1 ? values[0]! : place(u32(values)))
    const entries: [number, number, number, number][] = [
      [254, 4, 1, index === 0 ? 0 : 1],
      [256, 4, 1, level.width],
      [257, 4, 1, level.height],
      [258, 3, 3, bits],
      [259, 3, 1, 1],
      [262, 3, 1, 2],
      [277, 3, 1, 3],
      [284, 3, 1, 1],
      [322, 4, 1, tileSize],
      [323, 4, 1, tileSize],
      [324, 4, offsets.length, inlineOrPlaced(offsets)],
      [325, 4, counts.length, inlineOrPlaced(counts)],
      ...(subifds.length ? [[330, 13, subifds.length, inlineOrPlaced(subifds)] as [number, number, number, number]] : []),
      [339, 3, 3, formats]
    ]
    const bytes = new DataView(new ArrayBuffer(2 + entries.length * 12 + 4))
    bytes.setUint16(0, entries.length, true)
    entries.forEach(([tag, type, count, value], i) => {
      bytes.setUint16(2 + i * 12, tag, true)
      bytes.setUint16(4 + i * 12, type, true)
      bytes.setUint32(6 + i * 12, count, true)
      if (type === 3 && count === 1) bytes.setUint16(10 + i * 12, value, true)
      else bytes.setUint32(10 + i * 12, value, true)
    })
    return place(new Uint8Array(bytes.buffer))
  }
  const subifds = levels.slice(1).map((_, i) => ifd(i + 1, []))
  const first = ifd(0, subifds)
  const header = new DataView(new ArrayBuffer(8))
  header.setUint8(0, 0x49)
  header.setUint8(1, 0x49)
  header.setUint16(2, 42, true)
  header.setUint32(4, first, true)
  writeFileSync(path, Buffer.concat([new Uint8Array(header.buffer), ...chunks]))
}
