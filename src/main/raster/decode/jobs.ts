/**
 * What the decode worker can be asked to do: the vocabulary of decoding, shared by the raster
 * sources that ask (main thread) and `decode/` that answers (worker). A job is plain data
 * (structured-clonable), never a closure, so that it can cross into a worker thread; results come
 * back the same way, with pixel buffers transferred rather than copied. The pool that carries them
 * knows only that a job has a `kind` (`pool/workerMessages.ts`).
 */
import type { TileEncoding } from '../../../shared/protocol'
import type { BandInfo, BandStatistics, ClassName, Georeference, SampleType, StatisticsState } from '../../../shared/raster'
import type { TestJob } from '../../pool/workerMessages'
import type { TiffDirectory } from '../tiffLayout'

/**
 * How tile pixels leave the worker: RGBA8 rows, or every band in its own sample type followed by
 * a validity channel when `mask` (0 = masked, see RasterInfo.tileKind).
 */
export type PixelOutput = { kind: 'rgba8' } | { kind: 'bands'; sampleType: SampleType; bands: number; mask: boolean }

/** Which decoder reads a file's pixels: libvips (sharp), or geotiff.js for what libvips cannot read as GDAL does. */
export type PixelDecoder = 'vips' | 'geotiff'

/**
 * How reductions treat invalid pixels: never mixed into values (GDAL's AVERAGE with no-data).
 * 'alpha': the last channel is an alpha (RGBA8), averaged; colours average the visible pixels.
 * 'mask': the last channel is a validity channel; a reduced pixel is valid when one of its block is.
 */
export interface ReduceRule {
  noData: number | null
  validity: 'none' | 'alpha' | 'mask'
  /** Class values (a palette's indices): a reduced pixel is its block's first valid one, never an average. */
  nearest?: boolean
}

/** What the geotiff.js decoder needs to turn a file's samples into the output (see `decode/compose.ts`). */
export interface SampleLayout {
  bands: number
  /** TIFF PhotometricInterpretation (grey, RGB, palette…), for RGBA8 output. */
  photometric: number
  /** Band the file declares alpha, or -1. */
  alphaBand: number
  /** TIFF ColorMap (red, then green, then blue entries, 16-bit) of a palette image. */
  colorMap: number[] | null
}

/** Which image of a file to read: a TIFF page (of `file`, an external overview, when given), a sub-IFD of page 0, or the only image. */
export interface ImageSelector {
  page?: number
  subifd?: number
  /** Another file than the raster's own: its `.ovr`. */
  file?: string
}

/** A rectangle in pixels. */
export interface PixelRect {
  left: number
  top: number
  width: number
  height: number
}

/** Pixels of one level held in memory that every worker shares (strategy 'memory'). */
export interface SharedLevel {
  width: number
  height: number
  channels: number
  sampleType: SampleType
  buffer: SharedArrayBuffer
}

/** Read `rect` of an image of a file, reduce it to outWidth × outHeight, convert to `output`. */
export interface RegionJob {
  kind: 'region'
  path: string
  image: ImageSelector
  autoOrient: boolean
  /** Size of the selected image (after orientation). */
  imageWidth: number
  imageHeight: number
  /** Region of the selected image; it may reach past the image's edge (then the edge is repeated). */
  rect: PixelRect
  outWidth: number
  outHeight: number
  output: PixelOutput
  decoder: PixelDecoder
  /** The mask image of the same size as `image`, when the file has masks. */
  mask: ImageSelector | null
  layout: SampleLayout
  reduce: ReduceRule
  /** Decode through damage the probe found and reported (ProbeResult.tolerant). */
  tolerant?: boolean
  /**
   * Also stat the file once the pixels are read, and return its stamp (`TilePixels.fileStamp`):
   * the caller refuses a tile read from a file changed since it was opened (mixed pixels). A sync
   * stat in the worker costs microseconds; one on the main thread would cost an event-loop trip.
   */
  stampFile?: boolean
}

/** Cut `rect` out of a shared level, optionally resized (a finer level served from a coarser one). */
export interface CutJob {
  kind: 'cut'
  level: SharedLevel
  rect: PixelRect
  outWidth: number
  outHeight: number
  output: PixelOutput
}

/** Decode a whole image (or a shrink-on-load reduction of it) into shared levels. */
export interface DecodeSharedJob {
  kind: 'decode-shared'
  path: string
  autoOrient: boolean
  /** Size of the image after orientation; levels[0] smaller than this is a shrink-on-load. */
  width: number
  height: number
  /** Sizes of the levels to make, finest first; levels[0] is what the image is decoded to. */
  levels: { width: number; height: number }[]
  output: PixelOutput
  decoder: PixelDecoder
  /** The full-resolution mask, when the file has one. */
  mask: ImageSelector | null
  layout: SampleLayout
  reduce: ReduceRule
  /** Decode through damage the probe found and reported (ProbeResult.tolerant). */
  tolerant?: boolean
  /**
   * geotiff.js only: read this image of the file (an overview) instead of the first, `scale`
   * halvings below full resolution, in horizontal stripes reduced as they are read (memory stays
   * bounded by a stripe, whatever the size of the file).
   */
  source?: { image: ImageSelector; mask: ImageSelector | null; width: number; height: number; scale: number }
}

/**
 * Fill rows [rows.from, rows.to) of `levels[0]` (and the matching rows of every coarser level of
 * `levels`, shared buffers the caller made) from rows of `image` sampled across it: for each row of
 * the level, the rows of the one block (strip) that holds the middle of its `factor` source rows,
 * reduced (valid samples only, `decode/reduce.ts`). A quick overview of a striped raster read in
 * place (`decode/sampledOverview.ts`); several jobs fill one overview, each its band of rows.
 */
export interface SampledOverviewJob {
  kind: 'sampled-overview'
  path: string
  image: ImageSelector
  mask: ImageSelector | null
  imageWidth: number
  imageHeight: number
  /** Rows per strip (or tile height) of `image`: the rows one decode gives. */
  blockHeight: number
  /** Halvings from `image` to `levels[0]`, as a factor (a power of two). */
  factor: number
  levels: SharedLevel[]
  /** Rows of levels[0] to fill; `from` a multiple of 2^(levels.length − 1), so that each coarser level's rows are whole. */
  rows: { from: number; to: number }
  layout: SampleLayout
  output: PixelOutput
  reduce: ReduceRule
}

/**
 * Read the header of a file: sizes, bands, pages, tiling, georeferencing, statistics. The
 * statistics of a value raster are provisional (a few blocks spread over it, or its smallest
 * overview: the open does not wait for more) unless `statistics` is 'final' (the whole-raster pass).
 */
export interface ProbeJob {
  kind: 'probe'
  path: string
  statistics?: 'provisional' | 'final'
}

/** The whole-raster statistics of a value raster, one entry per band (null for a band without): run after the open, in the background lane. */
export interface StatisticsJob {
  kind: 'statistics'
  path: string
}

/** Convert a file into a tiled pyramidal TIFF at `outPath` (posting progress 0…1). */
export interface BuildPyramidJob {
  kind: 'build-pyramid'
  path: string
  outPath: string
  tileSize: number
  output: PixelOutput
  /** Bytes the finished file is expected to have, for progress. */
  expectedBytes: number
  /** Decode through damage the probe found and reported (ProbeResult.tolerant). */
  tolerant?: boolean
}

/**
 * The source's own JPEG tile `tileIndex` of TIFF page `page` of `path` (its JPEGTables joined), as
 * it is in the file: a level whose tiles are exactly the file's (`jpegPassthrough.ts`), for a
 * client that decodes JPEG. A tile the file leaves out (byte count 0) or that does not start like a
 * JPEG stream is decoded by `fallback` instead, in the same job (the loader's slot is this worker).
 */
export interface JpegTileJob {
  kind: 'jpeg-tile'
  /** How the page stores its tiles: JPEG streams (tables joined here) or WebP files. */
  encoding: TileEncoding
  path: string
  page: number
  tileIndex: number
  /** The tile's real size (an edge tile is smaller than the JPEG's). */
  width: number
  height: number
  /** Stat the file after reading, as a region job does (`RegionJob.stampFile`). */
  stampFile?: boolean
  fallback: RegionJob
}

/**
 * Read an ESRI ASCII grid's header and side-cars, decide its sample type as GDAL does, and make a
 * quick decimated overview of level `overviewLevel` from rows sampled across the file
 * (`decode/asciiGrid/probeGrid.ts`); no overview for a file under `overviewMinBytes` (read whole at once).
 */
export interface AsciiGridProbeJob {
  kind: 'ascii-grid-probe'
  path: string
  tileSize: number
  overviewMaxSide: number
  overviewMinBytes: number
  /** The header and side-cars only (the grid is cached): no overview, no scan for the type. */
  headerOnly?: boolean
}

/** What `AsciiGridProbeJob` finds. */
export interface AsciiGridProbe {
  width: number
  height: number
  sampleType: 'int32' | 'float32'
  /** False when a file too large to scan was taken as Int32 from a sample: the full read may find a decimal value. */
  typeCertain: boolean
  /** NODATA_value as GDAL reads it (a double), and as written. */
  noData: number | null
  noDataText: string | null
  georeference: Georeference
  warnings: string[]
  /** Levels from `overviewLevel` down, decimated from sampled rows; null when the grid is read whole first. */
  overview: SharedLevel[] | null
  overviewLevel: number
  statistics: BandStatistics | null
}

/** Parse an ESRI ASCII grid whole, streaming, into a tiled pyramidal TIFF at `outPath` (posting progress 0…1). */
export interface AsciiGridBuildJob {
  kind: 'ascii-grid-build'
  path: string
  outPath: string
  tileSize: number
  /** The type the probe decided; an Int32 guess found wrong is read again as Float32 (the result says which). */
  sampleType: 'int32' | 'float32'
}

/**
 * Decode an encoded image received whole (a web map tile, `decode/imageBytes.ts`) into RGBA8: it
 * must be imageWidth × imageHeight (the size asked of the server); its top-left width × height
 * pixels are the tile. `url` names it in errors.
 */
export interface DecodeImageJob {
  kind: 'decode-image'
  url: string
  bytes: ArrayBuffer
  imageWidth: number
  imageHeight: number
  width: number
  height: number
}

/**
 * Where the blocks of page `page` of a TIFF are stored (its TileOffsets/StripOffsets and byte
 * counts), read in a worker so that geotiff.js stays out of the main process: what the prefetch of
 * a remote file's tiles fetches (`remoteTileBytes.ts`).
 */
export interface BlockIndexJob {
  kind: 'block-index'
  path: string
  page: number
}

/** An image's block grid and where each block is stored (offsets and byte counts as doubles, transferred). */
export interface BlockIndex {
  blockWidth: number
  blockHeight: number
  across: number
  down: number
  /** Blocks per band: the bands of a planar-separate image are stored one plane after another. */
  planes: number
  offsets: Float64Array
  counts: Float64Array
}

/** Every job the decode worker runs; the pool's test hooks (`TestJob`) too, in workers started with them. */
export type DecodeJob = RegionJob | JpegTileJob | CutJob | DecodeSharedJob | SampledOverviewJob | ProbeJob | StatisticsJob | BuildPyramidJob | AsciiGridProbeJob | AsciiGridBuildJob | DecodeImageJob | BlockIndexJob | TestJob

/** Pixels as they come back from a worker: the buffer is transferred. */
export interface TilePixels {
  width: number
  height: number
  channels: number
  sampleType: SampleType
  buffer: ArrayBuffer
  /** Size, modification time and inode of the file just after it was read (a region job with `stampFile`); null if it was gone. */
  fileStamp?: { size: number; mtimeMs: number; ino: number } | null
}

/** A tile as the file stores it (a JpegTileJob): a complete JPEG stream or WebP file whose top-left width × height pixels are the tile. */
export interface TileBytes {
  encoding: TileEncoding
  width: number
  height: number
  buffer: ArrayBuffer
  /** As `TilePixels.fileStamp`. */
  fileStamp?: { size: number; mtimeMs: number; ino: number } | null
}

/** What the probe finds; sizes are after EXIF orientation. */
export interface ProbeResult {
  format: string
  width: number
  height: number
  bands: number
  sampleType: SampleType
  /** The file declares an alpha band (or has a mask). */
  hasAlpha: boolean
  orientation: number
  /**
   * Every TIFF image that could serve as a pyramid level (page 0 first), with its tiling; `randomAccess`
   * when a tile can be read without decoding much more than it (tiled, or strips of few rows);
   * `directory`, a TIFF page's own tags (whether its tiles can be sent as they are stored).
   */
  images: { selector: ImageSelector; width: number; height: number; tiled: boolean; randomAccess?: boolean; directory?: TiffDirectory }[]
  /** Masks of those images, by size. */
  masks: { selector: ImageSelector; width: number; height: number }[]
  decoder: PixelDecoder
  output: PixelOutput
  layout: SampleLayout
  reduce: ReduceRule
  georeference: Georeference | null
  noData: number | null
  hasMask: boolean
  bandInfo: BandInfo[]
  /** 'final' when the bands' statistics are the whole-raster ones (or there are none), 'provisional' when a `statistics` job follows. */
  statisticsState: StatisticsState
  displayBands: [number] | [number, number, number]
  compression: string | null
  /** The source's own coding loses nothing (a pyramid of it must not either). */
  lossless: boolean
  /** Damage found in a file that still decodes. */
  warnings: string[]
  /** Class names of the raster attribute table in GDAL's `.aux.xml` beside the file, when it has one. */
  classNames?: ClassName[] | null
  /** Decode the file through its damage (it is said in `warnings`): a truncated JPEG shows its first rows. */
  tolerant: boolean
}
