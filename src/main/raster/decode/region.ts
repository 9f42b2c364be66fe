/** Worker side: read a rectangle of an image in a file, reduce it, convert it. */
import { statSync } from 'node:fs'
import type { RegionJob, TilePixels } from '../../pool/jobs'
import { openImage, toPixels } from './pixels'

/**
 * Pixels of `job.rect` of the selected image, at outWidth × outHeight. A rectangle that reaches
 * past the image (a pyramid page rounded down where Tessera's levels round up) is clipped and its
 * last row/column repeated, so that edge tiles always have the size the contract promises.
 */
export async function readRegion(job: RegionJob): Promise<TilePixels> {
  const { rect, outWidth, outHeight } = job
  const width = Math.min(rect.width, job.imageWidth - rect.left)
  const height = Math.min(rect.height, job.imageHeight - rect.top)
  if (width <= 0 || height <= 0) {
    throw new Error(`Region ${rect.left},${rect.top} ${rect.width}×${rect.height} is outside the ${job.imageWidth}×${job.imageHeight} image`)
  }
  const targetWidth = Math.max(1, Math.min(outWidth, Math.round((width * outWidth) / rect.width)))
  const targetHeight = Math.max(1, Math.min(outHeight, Math.round((height * outHeight) / rect.height)))
  let pipeline = openImage(job.path, job.image, job.autoOrient).extract({ left: rect.left, top: rect.top, width, height })
  if (targetWidth !== width || targetHeight !== height) pipeline = pipeline.resize(targetWidth, targetHeight, { fit: 'fill' })
  if (targetWidth < outWidth || targetHeight < outHeight) {
    pipeline = pipeline.extend({ right: outWidth - targetWidth, bottom: outHeight - targetHeight, extendWith: 'copy' })
  }
  const pixels = await toPixels(pipeline, job.output)
  if (job.stampFile) {
    // After the read: a write at any time before this changes the stamp.
    const stats = statSync(job.path, { throwIfNoEntry: false })
    pixels.fileStamp = stats ? { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino } : null
  }
  return pixels
}
