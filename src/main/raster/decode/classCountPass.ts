/**
 * Worker side: a paletted band's classes counted over every pixel of the file, for the whole-raster
 * statistics that follow its open (`finalStatistics` in `probe.ts`). The provisional statistics count
 * a sample of blocks, and the final pass of a value raster reads a strided sample above 4 Mpx; a class
 * legend, though, says "every pixel counted" only when it is so (GDAL's `gdalinfo -hist` counts every
 * pixel): the file is read in stripes of whole block rows, each counted and let go, so that memory
 * stays bounded by a stripe whatever the raster's size.
 */
import type { BandStatistics } from '../../../shared/raster'
import type { ImageSelector, PixelOutput, SampleLayout } from './jobs'
import { MAX_CLASS_VALUE, statisticsOfClassCounts } from './statistics'
import { readTiffRect } from './tiffRegion'

/** Samples of the file read at once, at most (a stripe of whole block rows). */
const STRIPE_SAMPLES = 8_000_000

/** What the pass reads: the file's first image (and its mask), `band` of its output. */
export interface ClassCountRead {
  path: string
  image: ImageSelector
  mask: ImageSelector | null
  width: number
  height: number
  blockHeight: number
  layout: SampleLayout
  output: PixelOutput & { kind: 'bands' }
  band: number
  noData: number | null
}

/** The band's statistics from its class counts over every valid pixel (exact: `statisticsOfClassCounts`). */
export async function classStatisticsOverEveryPixel(read: ClassCountRead): Promise<BandStatistics> {
  const channels = read.output.bands + (read.output.mask ? 1 : 0)
  const validity = read.output.mask ? channels - 1 : -1
  const blockHeight = Math.max(1, Math.min(read.height, read.blockHeight))
  const stripeRows = Math.max(1, Math.floor(STRIPE_SAMPLES / (read.width * channels * blockHeight))) * blockHeight
  const counts: number[] = []
  for (let top = 0; top < read.height; top += stripeRows) {
    const rect = { left: 0, top, width: read.width, height: Math.min(stripeRows, read.height - top) }
    const samples = await readTiffRect({ path: read.path, image: read.image, mask: read.mask, rect, layout: read.layout, output: read.output })
    for (let at = 0; at < samples.length; at += channels) {
      if (validity >= 0 && samples[at + validity] === 0) continue
      const value = samples[at + read.band]!
      if (value === read.noData || !(value >= 0 && value <= MAX_CLASS_VALUE) || !Number.isInteger(value)) continue
      while (counts.length <= value) counts.push(0)
      counts[value]!++
    }
  }
  return statisticsOfClassCounts(counts, read.noData)
}
