/** Worker side: what a file is, without decoding more than a small reduction of it. */
import sharp from 'sharp'
import type { PixelOutput, ProbeJob, ProbeResult } from '../../pool/jobs'
import { readTiffStructure } from './geo'
import { openImage, sampleTypeOfDepth, toPixels, typedView } from './pixels'
import { bandStatistics } from './statistics'

/** Longest side of the reduction that statistics are computed on. */
const STATISTICS_SIDE = 1024
/** Above this many pixels, statistics come from a central window instead of the whole image. */
const STATISTICS_MAX_DECODE = 16_000_000

/** Reads the header, the TIFF pages and sub-IFDs, georeferencing, and the statistics of a value raster. */
export async function probe(job: ProbeJob): Promise<ProbeResult> {
  forgetOpenedFiles()
  const metadata = await openImage(job.path).metadata()
  const sampleType = sampleTypeOfDepth(metadata.depth)
  if (!sampleType) throw new Error(`unsupported sample format ${metadata.depth}`)
  const orientation = metadata.orientation ?? 1
  const result: ProbeResult = {
    format: metadata.format,
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    bands: metadata.channels,
    sampleType,
    hasAlpha: metadata.hasAlpha,
    orientation,
    images: [{ selector: {}, width: metadata.width, height: metadata.height, tiled: false }],
    georeference: null,
    noData: null,
    statistics: null
  }
  if (metadata.format === 'tiff') {
    const structure = await readTiffStructure(job.path)
    result.images = structure.pages.map((page, index) => ({ selector: { page: index }, ...page }))
    result.georeference = structure.georeference
    result.noData = structure.noData
    const tiled = result.images[0]?.tiled ?? false
    for (let subifd = 0; subifd < (metadata.subifds ?? 0); subifd++) {
      const level = await openImage(job.path, { subifd }).metadata()
      result.images.push({ selector: { subifd }, width: level.width, height: level.height, tiled })
    }
  }
  const output = valueOutput(result)
  if (output) result.statistics = await statistics(job.path, result, output)
  return result
}

/** The one-band output of a value raster (single band, not 8-bit); null for images shown in colour. */
export function valueOutput(probe: Pick<ProbeResult, 'bands' | 'hasAlpha' | 'sampleType'>): PixelOutput | null {
  const bands = probe.bands - (probe.hasAlpha ? 1 : 0)
  if (bands !== 1 || probe.sampleType === 'uint8') return null
  const sampleType = probe.sampleType === 'uint16' || probe.sampleType === 'int16' ? probe.sampleType : 'float32'
  return { kind: 'band', sampleType }
}

/** Statistics over the coarsest image of the file, reduced (nearest neighbour, so no-data stays no-data). */
async function statistics(path: string, probe: ProbeResult, output: PixelOutput): Promise<ProbeResult['statistics']> {
  const coarsest = probe.images.reduce((a, b) => (b.width * b.height < a.width * a.height ? b : a))
  let pipeline = openImage(path, coarsest.selector, probe.orientation !== 1)
  let { width, height } = coarsest
  if (width * height > STATISTICS_MAX_DECODE && coarsest.tiled) {
    const side = Math.min(width, height, 4096)
    pipeline = pipeline.extract({ left: (width - side) >> 1, top: (height - side) >> 1, width: side, height: side })
    width = height = side
  }
  const scale = Math.min(1, STATISTICS_SIDE / Math.max(width, height))
  if (scale < 1) {
    pipeline = pipeline.resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { fit: 'fill', kernel: 'nearest' })
  }
  const pixels = await toPixels(pipeline, output)
  const values = typedView(pixels.sampleType, pixels.buffer, 0, pixels.width * pixels.height)
  return bandStatistics(values, probe.noData)
}

/**
 * libvips keeps the files it opened in its operation cache, keyed by name, and does not look at
 * them again: a file rewritten or replaced since (a reopened raster, a rebuilt pyramid at the same
 * cache path) would be read with its old header — old sizes, pixels cut with the old geometry, or
 * the old inode's pixels. Every open (every probe) starts from what is on disk: the cache, one per
 * process and shared by every worker, is emptied, its limits kept. Opens are rare; the tiles of
 * other rasters only parse their file's header once more.
 */
function forgetOpenedFiles(): void {
  const { memory, files, items } = sharp.cache()
  sharp.cache(false)
  sharp.cache({ memory: memory.max, files: files.max, items: items.max })
}
