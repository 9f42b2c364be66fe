/** Worker side: runs one decode job and says which buffers to transfer with its result. */
import type { JobOutcome } from '../../pool/serveJobs'
import type { DecodeJob, TilePixels } from './jobs'
import { buildAsciiGrid } from './asciiGrid/buildGrid'
import { probeAsciiGrid } from './asciiGrid/probeGrid'
import { decodeImageBytes } from './imageBytes'
import { readJpegTile } from './jpegTile'
import { finalStatistics, probe } from './probe'
import { buildPyramid } from './pyramid'
import { readBlockIndex } from './blockIndex'
import { readRegion } from './region'
import { sampleOverviewRows } from './sampledOverview'
import { cutShared, decodeShared } from './shared'

const withPixels = (pixels: TilePixels): JobOutcome => ({ value: pixels, transfer: [pixels.buffer] })

/** Runs a (non-test) job; `progress` posts a fraction of the work done. */
export async function runJob(job: DecodeJob, progress: (fraction: number) => void): Promise<JobOutcome> {
  switch (job.kind) {
    case 'region':
      return withPixels(await readRegion(job))
    case 'jpeg-tile': {
      // The stored stream, or the fallback's pixels: either way one buffer of its own, transferred.
      const tile = await readJpegTile(job)
      return { value: tile, transfer: [tile.buffer] }
    }
    case 'cut':
      return withPixels(await cutShared(job))
    case 'decode-shared':
      // SharedArrayBuffers are shared, not transferred.
      return { value: await decodeShared(job), transfer: [] }
    case 'sampled-overview':
      // Written into the caller's shared buffers: nothing to send back.
      await sampleOverviewRows(job)
      return { value: null, transfer: [] }
    case 'probe':
      return { value: await probe(job), transfer: [] }
    case 'statistics':
      return { value: await finalStatistics(job), transfer: [] }
    case 'build-pyramid':
      return { value: await buildPyramid(job, progress), transfer: [] }
    case 'ascii-grid-probe':
      return { value: probeAsciiGrid(job), transfer: [] }
    case 'ascii-grid-build':
      return { value: await buildAsciiGrid(job, progress), transfer: [] }
    case 'decode-image':
      return withPixels(await decodeImageBytes(job))
    case 'block-index': {
      const index = await readBlockIndex(job)
      return { value: index, transfer: [index.offsets.buffer as ArrayBuffer, index.counts.buffer as ArrayBuffer] }
    }
    default:
      throw new Error(`Unknown decode job ${job.kind}`)
  }
}
