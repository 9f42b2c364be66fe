/** Worker side: what a file is, without decoding more than a small reduction of it. */
import { closeSync, openSync, readSync } from 'node:fs'
import sharp from 'sharp'
import type { BandInfo, ColorInterpretation } from '../../../shared/raster'
import type { PixelOutput, PixelRect, ProbeJob, ProbeResult, ReduceRule, SampleLayout, StatisticsJob } from './jobs'
import { PHOTOMETRIC, alphaBandOf, chooseTiffDecoder, colorInterpretations, compressionName, isPaletteLayout, isPictureLayout, layoutInWords, type TiffDirectory, type TiffLayout } from '../tiffLayout'
import { openImage, sampleTypeOfDepth, toPixels, typedView } from './pixels'
import { jpegDamage, pngDamage } from './damage'
import { bandStatistics, classCounts } from './statistics'
import { classStatisticsOverEveryPixel } from './classCountPass'
import { forgetOpenTiffs, openTiff } from './tiffFiles'
import { readTiffRect } from './tiffRegion'
import { readTiffStructure } from './tiffStructure'
import { isRemoteLocation } from './remoteLocation'
import { displayBandsOf } from '../displayBands'
import { georeferenceWithSidecars } from '../crs/sidecars'
import { classNamesBeside } from '../rasterAttributeTable'

/** Longest side of the reduction that statistics of a non-TIFF value raster are computed on. */
const STATISTICS_SIDE = 1024
/**
 * Pixels read at most for statistics: the finest image (full resolution or overview) up to this
 * size is read whole, else a strided pass over the block rows of the coarsest. About 0.2–0.5 s of
 * decoding at open; exact min/max for rasters up to 2000².
 */
const STATISTICS_MAX_DECODE = 4_000_000
/**
 * Pixels read at most for the provisional statistics a value raster opens with: blocks spread
 * evenly over the finest image (or the smallest overview read whole), about what a picture's open
 * costs. A 5000 × 4000 Float32 DEM in strips waited 3 s for its 4-megapixel pass at open.
 */
const PROVISIONAL_MAX_DECODE = 262_144
/** Strips of at most this many rows are read in place like tiles; taller ones need a whole decode. */
const RANDOM_ACCESS_MAX_ROWS = 512

/** Reads the header, the TIFF pages, masks and overviews, georeferencing, and the statistics of a value raster. */
export async function probe(job: ProbeJob): Promise<ProbeResult> {
  forgetOpenedFiles()
  const statistics = job.statistics ?? 'provisional'
  // A file on a server is a TIFF (its opener checked its first bytes) and has no side-cars read beside it.
  const remote = isRemoteLocation(job.path)
  const result = remote || startsLikeTiff(job.path) ? await probeTiff(job.path, statistics) : await probeOther(job.path)
  return remote ? result : withSidecars(job.path, result)
}

/**
 * The whole-raster statistics of every band (the `statistics` job, after the open): the probe's, with
 * the final pass; a paletted band's classes counted over every pixel where that pass read a sample.
 */
export async function finalStatistics(job: StatisticsJob): Promise<BandInfo['statistics'][]> {
  const result = await probe({ kind: 'probe', path: job.path, statistics: 'final' })
  const statistics: BandInfo['statistics'][] = []
  for (const [band, info] of result.bandInfo.entries()) {
    const output = result.output
    const [full] = result.images
    const sampled = info.colorInterpretation === 'palette' && info.statistics?.exact === false
    if (!sampled || output.kind !== 'bands' || !full) {
      statistics.push(info.statistics)
      continue
    }
    const mask = result.masks.find((m) => m.width === full.width && m.height === full.height && m.selector.file === full.selector.file)
    const read = { path: job.path, image: full.selector, mask: mask?.selector ?? null, width: full.width, height: full.height, blockHeight: full.directory?.blockHeight ?? full.height }
    statistics.push(await classStatisticsOverEveryPixel({ ...read, layout: result.layout, output, band, noData: result.noData }))
  }
  return statistics
}

/**
 * The file's georeferencing with its side-cars (`.aux.xml`, world file, `.prj`) applied as GDAL
 * applies them, and the class names of the raster attribute table in its `.aux.xml` (a value raster's).
 */
function withSidecars(path: string, result: ProbeResult): ProbeResult {
  const { georeference, warnings } = georeferenceWithSidecars(path, result.format, result.georeference)
  const classNames = result.output.kind === 'bands' ? classNamesBeside(path) : null
  return { ...result, georeference, warnings: [...result.warnings, ...warnings], ...(classNames ? { classNames } : {}) }
}

/** A TIFF: its layout read by geotiff.js decides the decoder (or the refusal) and the output. */
async function probeTiff(path: string, statistics: 'provisional' | 'final'): Promise<ProbeResult> {
  const { layout, georeference } = await readTiffStructure(path)
  const choice = chooseTiffDecoder(layout)
  if ('refused' in choice) throw new Error(choice.refused)
  const decoder = choice.decoder
  // libvips reads files by path: a file on a server is read by geotiff.js alone, its bytes asked of
  // the main thread (its readers decode with geotiff.js; `decoder` still says what the layout is).
  const remote = isRemoteLocation(path)
  const [full] = layout.images
  // GDAL reads pixels in stored order; libvips reads the EXIF-style orientation of a picture (a scan) too.
  let orientation = 1
  let subifds = 0
  if (decoder === 'vips' && !remote) {
    const metadata = await openImage(path).metadata()
    orientation = metadata.orientation ?? 1
    subifds = metadata.subifds ?? 0
  }
  const alphaBand = alphaBandOf(layout)
  const hasMask = layout.masks.length > 0
  const picture = isPictureLayout(layout)
  // A paletted raster travels as its class index (the readout gives the class, as GDAL and QGIS
  // do), drawn through its colour table (`layout.colorMap`) by the renderer.
  const palette = isPaletteLayout(layout)
  // A single grey band (a scan, an 8-bit DEM) travels as its values, so that it can be stretched
  // and colour-mapped like any value raster; with a mask it stays a picture (alpha from the mask).
  const greyValues = picture && layout.bands === 1 && layout.photometric !== PHOTOMETRIC.palette && !hasMask
  const output: PixelOutput =
    picture && !greyValues && !palette ? { kind: 'rgba8' } : { kind: 'bands', sampleType: layout.sampleType!, bands: layout.bands, mask: hasMask || alphaBand >= 0 }
  const sampleLayout: SampleLayout = {
    bands: layout.bands,
    photometric: layout.photometric,
    alphaBand,
    // A land cover with a no-data value is no picture, and still has its colour table.
    colorMap: (picture || palette) && layout.photometric === PHOTOMETRIC.palette ? await colorMapOf(path) : null
  }
  const randomAccess = (d: { tiled: boolean; blockHeight: number }): boolean => d.tiled || (decoder === 'geotiff' && d.blockHeight <= RANDOM_ACCESS_MAX_ROWS)
  const images: ProbeResult['images'] = layout.images.map((image) => ({
    selector: { page: image.index, ...(image.file ? { file: image.file } : {}) },
    width: image.width,
    height: image.height,
    tiled: randomAccess(image),
    randomAccess: randomAccess(image),
    directory: tiffDirectoryOf(image)
  }))
  for (let subifd = 0; subifd < subifds; subifd++) {
    const level = await openImage(path, { subifd }).metadata()
    images.push({ selector: { subifd }, width: level.width, height: level.height, tiled: images[0]!.tiled })
  }
  const interpretations = colorInterpretations(layout)
  const descriptions = layout.gdalDescriptions ?? []
  const result: ProbeResult = {
    format: 'tiff',
    width: orientation >= 5 ? full!.height : full!.width,
    height: orientation >= 5 ? full!.width : full!.height,
    bands: layout.bands,
    sampleType: layout.sampleType!,
    hasAlpha: alphaBand >= 0 || hasMask,
    orientation,
    images,
    masks: layout.masks.map((mask) => ({ selector: { page: mask.index, ...(mask.file ? { file: mask.file } : {}) }, width: mask.width, height: mask.height })),
    decoder,
    output,
    layout: sampleLayout,
    // Class indices are never averaged: a reduced pixel is one of its block's (GDAL's NEAREST).
    reduce: { ...reduceRule(output, layout.noData, alphaBand >= 0 || hasMask), ...(palette ? { nearest: true } : {}) },
    georeference,
    noData: layout.noData,
    hasMask,
    bandInfo: interpretations.map((colorInterpretation, band) => ({
      colorInterpretation,
      statistics: null,
      ...(descriptions[band] ? { description: descriptions[band] } : {})
    })),
    statisticsState: 'final',
    displayBands: displayBandsOf(interpretations, descriptions),
    compression: compressionName(full!.compression),
    lossless: full!.compression !== 7 && full!.compression !== 50001,
    warnings: pagesWarning(layout.pages ?? 1),
    tolerant: false
  }
  // libvips reads what it decodes (a JPEG-compressed grey scan); geotiff.js the rest, in full.
  if (output.kind === 'bands') {
    await (decoder === 'vips' && !remote ? reducedStatistics(path, result, output) : tiffStatistics(path, result, layout, statistics)).catch((error: unknown) => {
      // A layout the decoders take and yet cannot decode is refused at open, named, never tile by tile.
      const reason = error instanceof Error ? error.message : String(error)
      if (/past the end of the file|truncated|damaged/i.test(reason)) throw error
      throw new Error(`its pixels (${layoutInWords(layout)}, ${compressionName(full!.compression)} compression) could not be decoded`)
    })
  }
  return result
}

/** What a person is told of a TIFF of several pages: which one is shown, and how to get the others. */
export function pagesWarning(pages: number): string[] {
  if (pages <= 1) return []
  return [`The file holds ${pages} pages; page 1 is shown, as GDAL reads it (extract another with gdal_translate GTIFF_DIR:<page>:<file> page.tif)`]
}

/** The IFD's tags alone (the layout's image also names its file). */
function tiffDirectoryOf({ file: _file, ...directory }: TiffLayout['images'][number]): TiffDirectory {
  return directory
}

/** Any other format, read by libvips: 8-bit pictures as RGBA8, 16-bit ones as their bands. */
async function probeOther(path: string): Promise<ProbeResult> {
  const metadata = await openImage(path).metadata()
  const sampleType = sampleTypeOfDepth(metadata.depth)
  if (!sampleType) throw new Error(`its ${metadata.depth} samples are not supported`)
  const channels = metadata.channels
  const alphaBand = metadata.hasAlpha ? channels - 1 : -1
  const colour = channels - (metadata.hasAlpha ? 1 : 0)
  const greyValues = sampleType === 'uint8' && channels === 1 // a grey scan or photo: stretchable values
  const output: PixelOutput =
    (sampleType === 'uint16' && (colour === 1 || colour === 3)) || greyValues ? { kind: 'bands', sampleType, bands: colour, mask: metadata.hasAlpha } : { kind: 'rgba8' }
  const interpretations: ColorInterpretation[] = Array.from({ length: channels }, (_, band) =>
    band === alphaBand ? 'alpha' : colour >= 3 ? ((['red', 'green', 'blue'] as const)[band] ?? 'undefined') : band === 0 ? 'gray' : 'undefined'
  )
  const result: ProbeResult = {
    format: metadata.format,
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    bands: output.kind === 'bands' ? colour : channels,
    sampleType,
    hasAlpha: metadata.hasAlpha,
    orientation: metadata.orientation ?? 1,
    images: [{ selector: {}, width: metadata.width, height: metadata.height, tiled: false }],
    masks: [],
    decoder: 'vips',
    output,
    layout: { bands: channels, photometric: colour >= 3 ? PHOTOMETRIC.rgb : PHOTOMETRIC.minIsBlack, alphaBand, colorMap: null },
    reduce: reduceRule(output, null, metadata.hasAlpha),
    georeference: null,
    noData: null,
    hasMask: false,
    bandInfo: interpretations.slice(0, output.kind === 'bands' ? colour : channels).map((colorInterpretation) => ({ colorInterpretation, statistics: null })),
    statisticsState: 'final',
    displayBands: colour >= 3 ? [0, 1, 2] : [0],
    compression: null,
    lossless: isLosslessFormat(path, metadata.format),
    warnings: metadata.format === 'png' ? pngDamage(path) : metadata.format === 'jpeg' ? jpegDamage(path) : [],
    tolerant: false
  }
  // A JPEG cut short decodes its first rows (libjpeg fills the rest grey): shown, and said.
  result.tolerant = metadata.format === 'jpeg' && result.warnings.length > 0
  if (output.kind === 'bands') await reducedStatistics(path, result, output)
  return result
}

/** How reductions of `output` treat invalid pixels. */
function reduceRule(output: PixelOutput, noData: number | null, transparent: boolean): ReduceRule {
  if (output.kind === 'rgba8') return { noData: null, validity: transparent ? 'alpha' : 'none' }
  return { noData, validity: output.mask ? 'mask' : 'none' }
}

async function colorMapOf(path: string): Promise<number[] | null> {
  const image = await (await openTiff(path)).getImage(0)
  const map = (await image.fileDirectory.loadValue('ColorMap')) as ArrayLike<number> | undefined
  return map ? Array.from(map) : null
}

/**
 * Statistics of every band. 'final': over the whole raster, the finest image read whole when it is
 * small enough (exact when that is the full resolution), else a strided pass over its block rows.
 * 'provisional': the finest image when it is tiny (then they are final), else the smallest image
 * read whole when it is small, else blocks spread evenly over the finest image.
 */
async function tiffStatistics(path: string, result: ProbeResult, layout: TiffLayout, mode: 'provisional' | 'final'): Promise<void> {
  const output = result.output
  if (output.kind !== 'bands') return
  const bySize = [...layout.images].sort((a, b) => b.width * b.height - a.width * a.height)
  const pixels = (image: TiffLayout['images'][number]): number => image.width * image.height
  const finest = bySize[0]!
  // A file on a server: its smallest image only (as GDAL's approximate statistics), blocks spread
  // over it when it is large; never the whole raster, whose requests are the cost. No pass follows.
  const remote = isRemoteLocation(path)
  const provisional = !remote && mode === 'provisional' && pixels(finest) > PROVISIONAL_MAX_DECODE
  const budget = provisional || remote ? PROVISIONAL_MAX_DECODE : STATISTICS_MAX_DECODE
  const chosen = remote ? bySize.at(-1)! : provisional ? (pixels(bySize.at(-1)!) <= budget ? bySize.at(-1)! : finest) : (bySize.find((image) => pixels(image) <= budget) ?? bySize.at(-1)!)
  const mask = layout.masks.find((m) => m.width === chosen.width && m.height === chosen.height && m.file === chosen.file)
  const image = { page: chosen.index, ...(chosen.file ? { file: chosen.file } : {}) }
  const maskSelector = mask ? { page: mask.index, ...(mask.file ? { file: mask.file } : {}) } : null
  const whole = pixels(chosen) <= budget
  const rects = whole ? [{ left: 0, top: 0, width: chosen.width, height: chosen.height }] : provisional || remote ? spreadBlocks({ ...chosen, blockWidth: chosen.tiled ? chosen.tileWidth : chosen.width }, budget) : strideBlockRows(chosen, budget)
  const channels = output.bands + (output.mask ? 1 : 0)
  const parts: ArrayLike<number>[] = []
  for (const rect of rects) parts.push(await readTiffRect({ path, image, mask: maskSelector, rect, layout: result.layout, output }))
  const exact = whole && chosen === layout.images[0]
  result.statisticsState = provisional ? 'provisional' : 'final'
  result.bandInfo = result.bandInfo.map((band, index): BandInfo => {
    const values = bandOf(parts, channels, index, output.mask ? channels - 1 : -1)
    // A paletted band's classes are counted too, over the same pixels: its legend lists the classes present.
    const classes = band.colorInterpretation === 'palette' ? { classCounts: classCounts(values, result.noData) } : {}
    return { ...band, statistics: { ...bandStatistics(values, result.noData), exact, ...classes } }
  })
}

/** Every `stride`-th block row of `image` (whole rows of blocks), so that about `budget` pixels are read. */
function strideBlockRows(image: TiffLayout['images'][number], budget: number): PixelRect[] {
  const rowsPerRead = Math.max(1, image.blockHeight)
  const blockRows = Math.ceil(image.height / rowsPerRead)
  const stride = Math.max(1, Math.ceil((image.width * image.height) / budget))
  const rects: PixelRect[] = []
  for (let row = 0; row < blockRows; row += stride) {
    const top = row * rowsPerRead
    rects.push({ left: 0, top, width: image.width, height: Math.min(rowsPerRead, image.height - top) })
  }
  return rects
}

/**
 * Blocks (tiles, or strips) of `image` spread evenly over it, in reading order, about `budget`
 * pixels in all (one block at least): a sample of the whole raster that decodes nothing twice.
 */
export function spreadBlocks(image: { width: number; height: number; blockWidth: number; blockHeight: number }, budget: number): PixelRect[] {
  const blockWidth = Math.max(1, Math.min(image.width, image.blockWidth))
  const blockHeight = Math.max(1, Math.min(image.height, image.blockHeight))
  const across = Math.ceil(image.width / blockWidth)
  const blocks = across * Math.ceil(image.height / blockHeight)
  const wanted = Math.max(1, Math.min(blocks, Math.floor(budget / (blockWidth * blockHeight))))
  const rects: PixelRect[] = []
  for (let i = 0; i < wanted; i++) {
    const block = Math.floor(((i + 0.5) * blocks) / wanted)
    const left = (block % across) * blockWidth
    const top = Math.floor(block / across) * blockHeight
    rects.push({ left, top, width: Math.min(blockWidth, image.width - left), height: Math.min(blockHeight, image.height - top) })
  }
  return rects
}

/** The values of band `band` of interleaved parts, NaN where the validity channel says masked. */
function bandOf(parts: ArrayLike<number>[], channels: number, band: number, validity: number): Float64Array {
  const total = parts.reduce((sum, part) => sum + part.length / channels, 0)
  const values = new Float64Array(total)
  let out = 0
  for (const part of parts) {
    for (let at = 0; at < part.length; at += channels) {
      values[out++] = validity >= 0 && part[at + validity] === 0 ? Number.NaN : part[at + band]!
    }
  }
  return values
}

/** Statistics of a non-TIFF value raster over a reduction of the whole image (nearest neighbour). */
async function reducedStatistics(path: string, result: ProbeResult, output: PixelOutput & { kind: 'bands' }): Promise<void> {
  let pipeline = openImage(path, {}, result.orientation !== 1)
  const scale = Math.min(1, STATISTICS_SIDE / Math.max(result.width, result.height))
  if (scale < 1) {
    pipeline = pipeline.resize(Math.max(1, Math.round(result.width * scale)), Math.max(1, Math.round(result.height * scale)), { fit: 'fill', kernel: 'nearest' })
  }
  const pixels = await toPixels(pipeline, output)
  const values = typedView(pixels.sampleType, pixels.buffer, 0, pixels.width * pixels.height * pixels.channels)
  const channels = pixels.channels
  result.bandInfo = result.bandInfo.map((band, index) => ({
    ...band,
    statistics: { ...bandStatistics(bandOf([values], channels, index, output.mask ? channels - 1 : -1), null), exact: scale === 1 }
  }))
}

/** True when the file starts with a TIFF or BigTIFF signature. */
function startsLikeTiff(path: string): boolean {
  const head = readHead(path, 4)
  const signature = head.toString('latin1')
  return signature === 'II*\0' || signature === 'MM\0*' || signature === 'II+\0' || signature === 'MM\0+'
}

/** Whether the coding of a non-TIFF format loses nothing: PNG, GIF, SVG yes; JPEG, HEIF/AVIF no; WebP by its chunk (VP8L lossless). */
function isLosslessFormat(path: string, format: string): boolean {
  if (format === 'jpeg' || format === 'heif' || format === 'jp2k' || format === 'jxl') return false
  if (format === 'webp') return readHead(path, 16).toString('latin1', 12, 16) === 'VP8L'
  return true
}

function readHead(path: string, length: number): Buffer {
  const head = Buffer.alloc(length)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, head, 0, length, 0)
  } finally {
    closeSync(fd)
  }
  return head
}

/**
 * libvips keeps the files it opened in its operation cache, keyed by name, and does not look at
 * them again: a file rewritten or replaced since (a reopened raster, a rebuilt pyramid at the same
 * cache path) would be read with its old header — old sizes, pixels cut with the old geometry, or
 * the old inode's pixels. Every open (every probe) starts from what is on disk: the cache, one per
 * process and shared by every worker, is emptied, its limits kept. geotiff.js handles are reopened
 * when the file's version changes (`tiffFiles.ts`), and closed here too.
 */
function forgetOpenedFiles(): void {
  const { memory, files, items } = sharp.cache()
  sharp.cache(false)
  sharp.cache({ memory: memory.max, files: files.max, items: items.max })
  forgetOpenTiffs()
}
