/**
 * Worker side of strategy 'memory': decode an image once into SharedArrayBuffers (one per level)
 * that every worker reads, and cut tiles out of them.
 */
import type { Sharp } from 'sharp'
import type { SampleType } from '../../../shared/raster'
import type { CutJob, DecodeSharedJob, PixelOutput, ReduceRule, SharedLevel, TilePixels } from './jobs'
import { BYTES_PER_SAMPLE, copyToArrayBuffer, openImage, openRaw, toPixels, typedView } from './pixels'
import { reduceBlocks, resizeNearest } from './reduce'
import { readTiffReduced } from './tiffRegion'

/**
 * Decodes the image to levels[0] (shrink-on-load when smaller than the image), then halves it level
 * by level. The halvings are computed straight into the shared buffers: one pass over each level,
 * no further sharp pipeline, so that a pyramid's overview is ready sooner. They never mix no-data,
 * masked or transparent pixels into values (see `reduce.ts`).
 */
export async function decodeShared(job: DecodeSharedJob): Promise<SharedLevel[]> {
  const levels: SharedLevel[] = []
  for (const [index, size] of job.levels.entries()) {
    const previous = levels[index - 1]
    if (previous && size.width === Math.ceil(previous.width / 2) && size.height === Math.ceil(previous.height / 2)) {
      levels.push(halve(previous, job.reduce))
      continue
    }
    const pixels = previous ? await resizeShared(previous, size, job) : await decodeFirst(job, size)
    const buffer = new SharedArrayBuffer(pixels.buffer.byteLength)
    new Uint8Array(buffer).set(new Uint8Array(pixels.buffer))
    levels.push({ width: pixels.width, height: pixels.height, channels: pixels.channels, sampleType: pixels.sampleType, buffer })
  }
  return levels
}

/** The first level: the whole image decoded by its decoder (geotiff.js at full size, or libvips with shrink-on-load). */
async function decodeFirst(job: DecodeSharedJob, size: { width: number; height: number }): Promise<TilePixels> {
  if (job.decoder === 'geotiff') return decodeTiffStriped(job, size)
  if (job.source) throw new Error('only geotiff.js reads an overview image into shared levels')
  let pipeline = openImage(job.path, {}, job.autoOrient, job.tolerant)
  if (size.width !== job.width || size.height !== job.height) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' })
  return toPixels(pipeline, job.output)
}

/** Rows of full-resolution samples decoded at once, at most (times the width and the channels). */
const STRIPE_SAMPLES = 16_000_000

/**
 * The image (or `job.source`) reduced to `size` by the power of two between them, read in
 * horizontal stripes of whole reduction blocks: each stripe is decoded, reduced (valid samples
 * only) and copied into place, so that a 400-megapixel raster never sits in memory at once.
 */
async function decodeTiffStriped(job: DecodeSharedJob, size: { width: number; height: number }): Promise<TilePixels> {
  const source = job.source ?? { image: {}, mask: job.mask, width: job.width, height: job.height, scale: 0 }
  const factor = Math.max(1, Math.round(source.width / size.width))
  if (Math.ceil(source.width / factor) !== size.width || Math.ceil(source.height / factor) !== size.height) {
    throw new Error(`a ${source.width}×${source.height} image does not reduce to ${size.width}×${size.height} by a power of two`)
  }
  const channels = channelsOf(job.output)
  const sampleType = sampleTypeOf(job.output)
  const out = typedView(sampleType, new ArrayBuffer(size.width * size.height * channels * BYTES_PER_SAMPLE[sampleType]), 0, size.width * size.height * channels)
  const stripeBlocks = Math.max(1, Math.floor(STRIPE_SAMPLES / (source.width * channels * factor)))
  const stripeRows = stripeBlocks * factor
  for (let top = 0; top < source.height; top += stripeRows) {
    const rect = { left: 0, top, width: source.width, height: Math.min(stripeRows, source.height - top) }
    const read = { path: job.path, image: source.image, mask: source.mask, rect, layout: job.layout, output: job.output }
    const reduced = await readTiffReduced(read, factor, job.reduce)
    out.set(reduced.data as never, (top / factor) * size.width * channels)
  }
  return { width: size.width, height: size.height, channels, sampleType, buffer: out.buffer as ArrayBuffer }
}

/** A level of another size than half the previous one (rare: a shrink-on-load that rounded otherwise). */
function resizeShared(previous: SharedLevel, size: { width: number; height: number }, job: DecodeSharedJob): Promise<TilePixels> {
  return resizeSamples(new Uint8Array(previous.buffer), previous, size.width, size.height, job.output)
}

/**
 * Samples resized: libvips for RGBA8 (alpha premultiplied), nearest neighbour for bands (values
 * never blended with no-data, and any number of channels).
 */
async function resizeSamples(bytes: Uint8Array, from: { width: number; height: number; channels: number; sampleType: SampleType }, outWidth: number, outHeight: number, output: PixelOutput): Promise<TilePixels> {
  const { width, height, channels, sampleType } = from
  if (output.kind === 'bands') {
    const source = typedView(sampleType, bytes.buffer, bytes.byteOffset, width * height * channels)
    const resized = resizeNearest(source, width, height, channels, outWidth, outHeight)
    return { width: outWidth, height: outHeight, channels, sampleType, buffer: resized.buffer as ArrayBuffer }
  }
  const pipeline = openRaw(bytes, width, height, channels, sampleType).resize(outWidth, outHeight, { fit: 'fill' })
  return rawPixels(pipeline, channels, sampleType)
}

/** The next level of `level` (each side halved, rounded up): every pixel the mean of the valid pixels of a 2×2 block. */
export function halve(level: SharedLevel, rule: ReduceRule = { noData: null, validity: 'none' }): SharedLevel {
  const { width, height, channels, sampleType } = level
  const source = typedView(sampleType, level.buffer, 0, width * height * channels)
  const outWidth = Math.ceil(width / 2)
  const outHeight = Math.ceil(height / 2)
  const buffer = new SharedArrayBuffer(outWidth * outHeight * channels * BYTES_PER_SAMPLE[sampleType])
  const target = typedView(sampleType, buffer, 0, outWidth * outHeight * channels)
  // The common case (a picture without transparency) keeps its tight loop; everything else averages valid samples only.
  if (source instanceof Uint8Array && rule.validity === 'none' && rule.noData === null && !rule.nearest) halveUint8(source, target as Uint8Array, width, height, channels)
  else target.set(reduceBlocks(source, width, height, channels, 2, rule).data as never)
  return { width: outWidth, height: outHeight, channels, sampleType, buffer }
}

function halveUint8(source: Uint8Array, target: Uint8Array, width: number, height: number, channels: number): void {
  const outWidth = Math.ceil(width / 2)
  const outHeight = Math.ceil(height / 2)
  const rowLength = width * channels
  let out = 0
  for (let y = 0; y < outHeight; y++) {
    const row0 = 2 * y * rowLength
    const row1 = Math.min(2 * y + 1, height - 1) * rowLength
    for (let x = 0; x < outWidth; x++) {
      const col0 = 2 * x * channels
      const step = 2 * x + 1 < width ? channels : 0
      for (let c = col0; c < col0 + channels; c++) {
        target[out++] = (source[row0 + c]! + source[row0 + c + step]! + source[row1 + c]! + source[row1 + c + step]! + 2) >> 2
      }
    }
  }
}

/** Copies `rect` of a shared level; resizes it when the job asks for another size. */
export async function cutShared(job: CutJob): Promise<TilePixels> {
  const { level, rect } = job
  const pixelBytes = level.channels * BYTES_PER_SAMPLE[level.sampleType]
  const rowBytes = rect.width * pixelBytes
  const out = new Uint8Array(rowBytes * rect.height)
  const source = new Uint8Array(level.buffer)
  for (let y = 0; y < rect.height; y++) {
    const start = ((rect.top + y) * level.width + rect.left) * pixelBytes
    out.set(source.subarray(start, start + rowBytes), y * rowBytes)
  }
  const cut: TilePixels = { width: rect.width, height: rect.height, channels: level.channels, sampleType: level.sampleType, buffer: out.buffer }
  if (job.outWidth === rect.width && job.outHeight === rect.height) return cut
  // Enlarged: a finer level served from the overview while the pyramid is built.
  return resizeSamples(out, { width: rect.width, height: rect.height, channels: level.channels, sampleType: level.sampleType }, job.outWidth, job.outHeight, job.output)
}

/** Raw samples of a pipeline over raw samples, in their own type and channels. */
async function rawPixels(pipeline: Sharp, channels: number, sampleType: SampleType): Promise<TilePixels> {
  const depth = VIPS_DEPTH[sampleType]
  const { data, info } = await pipeline.raw({ depth }).toBuffer({ resolveWithObject: true })
  if (info.channels !== channels) throw new Error(`resized ${info.channels} channels where ${channels} were expected`)
  return { width: info.width, height: info.height, channels, sampleType, buffer: copyToArrayBuffer(data) }
}

const VIPS_DEPTH = { uint8: 'uchar', int8: 'char', uint16: 'ushort', int16: 'short', uint32: 'uint', int32: 'int', float32: 'float', float64: 'double' } as const

function channelsOf(output: PixelOutput): number {
  return output.kind === 'rgba8' ? 4 : output.bands + (output.mask ? 1 : 0)
}

function sampleTypeOf(output: PixelOutput): SampleType {
  return output.kind === 'rgba8' ? 'uint8' : output.sampleType
}
