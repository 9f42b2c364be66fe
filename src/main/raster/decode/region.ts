/** Worker side: read a rectangle of an image in a file, reduce it, convert it. */
import { statSync } from 'node:fs'
import type { RegionJob, TilePixels } from './jobs'
import { readAroundEmptyBlocks } from './emptyBlocks'
import { toPixels, typedView } from './pixels'
import { fitTo, reduceBlocks } from './reduce'
import { readTiffReduced } from './tiffRegion'

/**
 * Pixels of `job.rect` of the selected image, at outWidth × outHeight. A rectangle that reaches
 * past the image (a pyramid page rounded down where Tessera's levels round up) is clipped and its
 * last row/column repeated, so that edge tiles always have the size the contract promises.
 */
export async function readRegion(job: RegionJob): Promise<TilePixels> {
  const { rect } = job
  const width = Math.min(rect.width, job.imageWidth - rect.left)
  const height = Math.min(rect.height, job.imageHeight - rect.top)
  if (width <= 0 || height <= 0) {
    throw new Error(`Region ${rect.left},${rect.top} ${rect.width}×${rect.height} is outside the ${job.imageWidth}×${job.imageHeight} image`)
  }
  const pixels = job.decoder === 'geotiff' || job.mask ? await readExactly(job, width, height) : await readWithVips(job, width, height)
  if (job.stampFile) {
    // After the read: a write at any time before this changes the stamp.
    const stats = statSync(job.path, { throwIfNoEntry: false })
    pixels.fileStamp = stats ? { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino } : null
  }
  return pixels
}

/** libvips reads and resizes (alpha premultiplied by sharp, so no dark fringes): pictures without no-data or mask. */
async function readWithVips(job: RegionJob, width: number, height: number): Promise<TilePixels> {
  const { rect, outWidth, outHeight } = job
  const targetWidth = Math.max(1, Math.min(outWidth, Math.round((width * outWidth) / rect.width)))
  const targetHeight = Math.max(1, Math.min(outHeight, Math.round((height * outHeight) / rect.height)))
  return readAroundEmptyBlocks(job, { left: rect.left, top: rect.top, width, height }, (pixels) => {
    let pipeline = pixels
    if (targetWidth !== width || targetHeight !== height) pipeline = pipeline.resize(targetWidth, targetHeight, { fit: 'fill' })
    if (targetWidth < outWidth || targetHeight < outHeight) {
      pipeline = pipeline.extend({ right: outWidth - targetWidth, bottom: outHeight - targetHeight, extendWith: 'copy' })
    }
    return toPixels(pipeline, job.output)
  })
}

/**
 * Reads the region at the image's resolution (geotiff.js, or libvips for the pixels of a picture
 * with a mask), then reduces it by the level's power of two, averaging valid samples only.
 */
async function readExactly(job: RegionJob, width: number, height: number): Promise<TilePixels> {
  const factor = Math.max(1, Math.round(job.rect.width / job.outWidth))
  const clipped = { ...job.rect, width, height }
  const channels = job.output.kind === 'rgba8' ? 4 : job.output.bands + (job.output.mask ? 1 : 0)
  let reduced: { data: ArrayBufferView & ArrayLike<number>; width: number; height: number }
  if (job.decoder === 'geotiff') {
    reduced = await readTiffReduced({ path: job.path, image: job.image, mask: job.mask, rect: clipped, layout: job.layout, output: job.output }, factor, job.reduce)
  } else {
    // A picture with a mask: libvips decodes the pixels (JPEG tiles), geotiff.js the mask.
    const full = await readAroundEmptyBlocks({ ...job, autoOrient: false }, { left: clipped.left, top: clipped.top, width, height }, (pixels) => toPixels(pixels, job.output))
    const rgba = new Uint8Array(full.buffer)
    const mask = await readTiffMask(job, clipped)
    for (let p = 0; p < mask.length; p++) if (mask[p] === 0) rgba[p * 4 + 3] = 0
    reduced = factor === 1 ? { data: rgba, width, height } : reduceBlocks(rgba, width, height, 4, factor, job.reduce)
  }
  const fitted = fitTo(reduced.data as Uint8Array, reduced.width, reduced.height, channels, job.outWidth, job.outHeight)
  const sampleType = job.output.kind === 'rgba8' ? 'uint8' : job.output.sampleType
  const buffer = ownBuffer(fitted)
  // The typed view checks the byte length against the promised size.
  typedView(sampleType, buffer, 0, job.outWidth * job.outHeight * channels)
  return { width: job.outWidth, height: job.outHeight, channels, sampleType, buffer }
}

async function readTiffMask(job: RegionJob, rect: { left: number; top: number; width: number; height: number }): Promise<Uint8Array> {
  const layout = { bands: 1, photometric: 1, alphaBand: -1, colorMap: null }
  const samples = await readTiffReduced({ path: job.path, image: job.mask!, mask: null, rect, layout, output: { kind: 'bands', sampleType: 'uint8', bands: 1, mask: false } }, 1, { noData: null, validity: 'none' })
  return samples.data as Uint8Array
}

/** The typed array's bytes in an ArrayBuffer of their own (transferable, nothing else in it). */
function ownBuffer(data: ArrayBufferView): ArrayBuffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) return data.buffer
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer
}
