/**
 * Worker side of strategy 'memory': decode an image once into SharedArrayBuffers (one per level)
 * that every worker reads, and cut tiles out of them.
 */
import type { CutJob, DecodeSharedJob, SharedLevel, TilePixels } from '../../pool/jobs'
import { BYTES_PER_SAMPLE, openImage, openRaw, toPixels } from './pixels'

/** Decodes the image to levels[0] (shrink-on-load when smaller than the image), then halves it level by level. */
export async function decodeShared(job: DecodeSharedJob): Promise<SharedLevel[]> {
  const levels: SharedLevel[] = []
  let pipeline = openImage(job.path, {}, job.autoOrient)
  for (const [index, size] of job.levels.entries()) {
    if (index > 0) {
      const previous = levels[index - 1]!
      pipeline = openRaw(new Uint8Array(previous.buffer), previous.width, previous.height, previous.channels, previous.sampleType)
    }
    if (index > 0 || size.width !== job.width || size.height !== job.height) {
      pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' })
    }
    const pixels = await toPixels(pipeline, job.output)
    const buffer = new SharedArrayBuffer(pixels.buffer.byteLength)
    new Uint8Array(buffer).set(new Uint8Array(pixels.buffer))
    levels.push({ width: pixels.width, height: pixels.height, channels: pixels.channels, sampleType: pixels.sampleType, buffer })
  }
  return levels
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
