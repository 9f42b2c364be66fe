/**
 * Worker side of the quick overview of a striped raster read in place (`inPlaceOverview.ts`): its
 * exact overview decodes every strip of the file (a 5000 × 4000 Float32 DEM in LZW strips: 3 s);
 * this one decodes, for each row of the overview, only the strip that holds the middle of the rows
 * it stands for (a quarter of the strips for an overview at a quarter of the size, less coarser),
 * and reduces those rows as the exact one does, valid samples only (`reduce.ts`). As the ASCII grid's
 * sampled lines (`asciiGrid/probeGrid.ts`), it shows the whole raster at once, approximately, until
 * the exact overview replaces it.
 */
import type { SampledOverviewJob, SharedLevel } from './jobs'
import { BYTES_PER_SAMPLE, typedView } from './pixels'
import { reduceBlocks } from './reduce'
import { readTiffRect } from './tiffRegion'

/**
 * The source rows that stand for row `row` of a level `factor` times smaller than an image of
 * `imageHeight` rows stored in blocks of `blockHeight` rows: those of the block holding the middle
 * of the row's `factor` rows, within them. Pure.
 */
export function sampledRows(row: number, factor: number, blockHeight: number, imageHeight: number): { top: number; height: number } {
  const top = row * factor
  const bottom = Math.min(imageHeight, top + factor)
  const middle = Math.min(bottom - 1, top + Math.floor(factor / 2))
  const block = Math.floor(middle / blockHeight)
  const from = Math.max(top, block * blockHeight)
  const to = Math.min(bottom, (block + 1) * blockHeight)
  return { top: from, height: to - from }
}

/** Fills the job's band of rows of every level it names (see `SampledOverviewJob`). */
export async function sampleOverviewRows(job: SampledOverviewJob): Promise<void> {
  const [first] = job.levels
  if (!first) return
  const { from, to } = job.rows
  const channels = first.channels
  const target = samplesOf(first)
  for (let row = from; row < to; row++) {
    const rows = sampledRows(row, job.factor, job.blockHeight, job.imageHeight)
    const rect = { left: 0, top: rows.top, width: job.imageWidth, height: rows.height }
    const samples = await readTiffRect({ path: job.path, image: job.image, mask: job.mask, rect, layout: job.layout, output: job.output })
    // Columns reduced by the factor, the sampled rows (at most the factor) into one: a row of the level.
    const reduced = reduceBlocks(samples, job.imageWidth, rows.height, channels, job.factor, job.reduce)
    if (reduced.width !== first.width) throw new Error(`a row ${job.imageWidth} wide reduced by ${job.factor} is ${reduced.width} wide, not the level's ${first.width}`)
    target.set(reduced.data as never, row * first.width * channels)
  }
  // Each coarser level's rows of this band: halvings of the band's rows of the level above.
  let band = { from, to }
  for (let index = 1; index < job.levels.length; index++) {
    const finer = job.levels[index - 1]!
    const level = job.levels[index]!
    const rows = samplesOf(finer).subarray(band.from * finer.width * channels, band.to * finer.width * channels)
    const halved = reduceBlocks(rows, finer.width, band.to - band.from, channels, 2, job.reduce)
    band = { from: band.from / 2, to: band.from / 2 + halved.height }
    samplesOf(level).set(halved.data as never, band.from * level.width * channels)
  }
}

function samplesOf(level: SharedLevel): ReturnType<typeof typedView> {
  const length = level.width * level.height * level.channels
  if (level.buffer.byteLength < length * BYTES_PER_SAMPLE[level.sampleType]) throw new Error(`a shared level of ${level.width}×${level.height}×${level.channels} holds only ${level.buffer.byteLength} bytes`)
  return typedView(level.sampleType, level.buffer, 0, length)
}
