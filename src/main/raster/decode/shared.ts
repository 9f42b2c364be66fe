/**
 * Worker side of strategy 'memory': decode an image once into SharedArrayBuffers (one per level)
 * that every worker reads, and cut tiles out of them.
 */
import type { CutJob, DecodeSharedJob, SharedLevel, TilePixels } from '../../pool/jobs'
import { BYTES_PER_SAMPLE, openImage, openRaw, toPixels, typedView } from './pixels'

/**
 * Decodes the image to levels[0] (shrink-on-load when smaller than the image), then halves it level
 * by level. The halvings are 2×2 box averages computed straight into the shared buffers: one pass
 * over each level, no further sharp pipeline, so that a pyramid's overview is ready sooner.
 */
export async function decodeShared(job: DecodeSharedJob): Promise<SharedLevel[]> {
  const levels: SharedLevel[] = []
  for (const [index, size] of job.levels.entries()) {
    const previous = levels[index - 1]
    if (previous && size.width === Math.ceil(previous.width / 2) && size.height === Math.ceil(previous.height / 2)) {
      levels.push(halve(previous))
      continue
    }
    let pipeline = previous
      ? openRaw(new Uint8Array(previous.buffer), previous.width, previous.height, previous.channels, previous.sampleType)
      : openImage(job.path, {}, job.autoOrient)
    if (previous || size.width !== job.width || size.height !== job.height) {
      pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' })
    }
    const pixels = await toPixels(pipeline, job.output)
    const buffer = new SharedArrayBuffer(pixels.buffer.byteLength)
    new Uint8Array(buffer).set(new Uint8Array(pixels.buffer))
    levels.push({ width: pixels.width, height: pixels.height, channels: pixels.channels, sampleType: pixels.sampleType, buffer })
  }
  return levels
}

/** The next level of `level` (each side halved, rounded up): every pixel the mean of a 2×2 block, the last row and column repeated at an odd edge. */
export function halve(level: SharedLevel): SharedLevel {
  const { width, height, channels, sampleType } = level
  const outWidth = Math.ceil(width / 2)
  const outHeight = Math.ceil(height / 2)
  const buffer = new SharedArrayBuffer(outWidth * outHeight * channels * BYTES_PER_SAMPLE[sampleType])
  const source = typedView(sampleType, level.buffer, 0, width * height * channels)
  const target = typedView(sampleType, buffer, 0, outWidth * outHeight * channels)
  // One function per array type, so that each stays monomorphic (and fast) in V8.
  if (source instanceof Uint8Array) halveUint8(source, target as Uint8Array, width, height, channels)
  else if (source instanceof Float32Array) halveOther(source, target, width, height, channels, false)
  else halveOther(source, target, width, height, channels, true)
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

function halveOther(source: ArrayLike<number>, target: { [index: number]: number }, width: number, height: number, channels: number, integer: boolean): void {
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
        const sum = source[row0 + c]! + source[row0 + c + step]! + source[row1 + c]! + source[row1 + c + step]!
        // Integer sums fit in 32 bits (at most 4 × 65535): round half up with a shift.
        target[out++] = integer ? (sum + 2) >> 2 : sum * 0.25
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
  const pipeline = openRaw(out, rect.width, rect.height, level.channels, level.sampleType).resize(job.outWidth, job.outHeight, { fit: 'fill' })
  return toPixels(pipeline, level.channels === 1 && level.sampleType !== 'uint8' ? { kind: 'band', sampleType: level.sampleType as 'uint16' } : { kind: 'rgba8' })
}
