/**
 * Worker side of strategy 'pyramid': convert a file that is not randomly addressable into a tiled
 * pyramidal TIFF (read in place afterwards). libvips reports no progress through sharp, so progress
 * is the size of the file being written against the size expected; it only grows, and reaches 1
 * when the file is complete.
 */
import { rename, rm, stat } from 'node:fs/promises'
import { threadId } from 'node:worker_threads'
import type { BuildPyramidJob } from '../../pool/jobs'
import { openImage } from './pixels'

const PROGRESS_INTERVAL_MS = 100

/** Writes the pyramid to a temporary name beside `outPath`, then renames it: a reader never sees half a file. */
export async function buildPyramid(job: BuildPyramidJob, progress: (fraction: number) => void): Promise<{ bytes: number }> {
  const partial = `${job.outPath}.partial-${process.pid}-${threadId}`
  let reported = 0
  progress(0)
  const timer = setInterval(() => {
    stat(partial).then(
      (s) => {
        const fraction = Math.min(0.99, s.size / job.expectedBytes)
        if (fraction > reported) progress((reported = fraction))
      },
      () => {}
    )
  }, PROGRESS_INTERVAL_MS)
  try {
    let pipeline = openImage(job.path, {}, true)
    pipeline = job.output.kind === 'rgba8' ? pipeline.toColourspace('srgb') : job.output.sampleType === 'uint16' ? pipeline.toColourspace('grey16') : pipeline.extractChannel(0)
    const { channels, hasAlpha } = await pipeline.clone().metadata()
    // JPEG tiles for 8-bit colour (what viewers' pyramids use); lossless deflate for alpha and values.
    const lossy = job.output.kind === 'rgba8' && !hasAlpha && channels !== 4
    await pipeline
      .tiff({
        tile: true,
        tileWidth: job.tileSize,
        tileHeight: job.tileSize,
        pyramid: true,
        compression: lossy ? 'jpeg' : 'deflate',
        quality: 90,
        bigtiff: job.expectedBytes > 3e9
      })
      .toFile(partial)
    await rename(partial, job.outPath)
    progress(1)
    return { bytes: (await stat(job.outPath)).size }
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  } finally {
    clearInterval(timer)
  }
}
