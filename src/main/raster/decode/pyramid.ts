/**
 * Worker side of strategy 'pyramid': convert a file that is not randomly addressable into a tiled
 * pyramidal TIFF (read in place afterwards). libvips reports no progress through sharp, so progress
 * is the size of the file being written against the size expected; it only grows, and reaches 1
 * when the file is complete.
 *
 * The whole conversion is one sharp pipeline (`tiff({ tile, pyramid })`): libvips decodes the
 * source once, in a single sequential pass, and writes every level from it as it goes.
 */
import { rename, rm, stat } from 'node:fs/promises'
import type { TiffOptions } from 'sharp'
import { threadId } from 'node:worker_threads'
import type { BuildPyramidJob } from './jobs'
import { convertFor, openImage } from './pixels'

const PROGRESS_INTERVAL_MS = 100

/** JPEG quality of the tiles of a colour pyramid: sharp's default for TIFF, close to the source at a viewer's zoom. */
export const PYRAMID_JPEG_QUALITY = 80

/**
 * The TIFF options of a built pyramid. Built pyramids are lossless (deflate with the horizontal
 * predictor) whatever the source: level 0 of a lossless source stays exact at 1:1, and a JPEG is
 * not compressed twice. JPEG tiles (`lossy`) are only what the bench compares with. The bench
 * converts with exactly these.
 */
export function pyramidTiffOptions(lossy: boolean, tileSize: number, bigtiff = false): TiffOptions {
  return {
    tile: true,
    tileWidth: tileSize,
    tileHeight: tileSize,
    pyramid: true,
    compression: lossy ? 'jpeg' : 'deflate',
    ...(lossy ? { quality: PYRAMID_JPEG_QUALITY } : { predictor: 'horizontal' as const }),
    bigtiff
  }
}

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
    let pipeline = openImage(job.path, {}, true, job.tolerant)
    // RGB stays RGB (RGBA only with alpha); bands keep their 16 bits and their alpha.
    pipeline = job.output.kind === 'rgba8' ? pipeline.toColourspace('srgb') : convertFor(pipeline, job.output)
    await pipeline
      .tiff(pyramidTiffOptions(false, job.tileSize, job.expectedBytes > 3e9))
      .toFile(partial)
    clearInterval(timer)
    await rename(partial, job.outPath)
    // A size read still under way reports nothing after this: `reported` is already 1.
    progress((reported = 1))
    return { bytes: (await stat(job.outPath)).size }
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  } finally {
    clearInterval(timer)
  }
}
