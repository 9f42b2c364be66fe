/**
 * Tile readers: how one strategy turns (level, col, row) into a decode job. A reader knows nothing
 * of pyramids being built (`Raster` picks the reader); one that reads a file in place refuses a
 * tile of a file changed since it was opened.
 */
import { tileCoordKey, tileRect } from '../../shared/tiles'
import type { LevelSize } from '../../shared/raster'
import type { DecodePool } from './decodePools'
import type { ImageSelector, PixelDecoder, PixelOutput, ProbeResult, ReduceRule, RegionJob, SampleLayout, SharedLevel, TileBytes, TilePixels } from './decode/jobs'
import { typedSamples as typedView } from '../../shared/tileFrame'
import { FileChangedError } from './fileStamp'
import type { FileVersion } from './fileVersion'
import type { TileEncoding } from '../../shared/protocol'
import type { JpegLevel } from './jpegPassthrough'
import type { DecodedTile, EncodedTile, LoadedTile } from './types'
import { type LevelImage, levelImages } from './levelImages'

/** Produces the pixels of one tile. */
export interface TileReader {
  read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile>
  /** `read`, or the tile as the file stores it when its level keeps it in one of `accept`; absent: `read`. */
  readAs?(level: number, col: number, row: number, accept: ReadonlySet<TileEncoding>, signal?: AbortSignal): Promise<LoadedTile>
}

/** The pyramid levels among a file's images (`levelImages.ts`), for the readers' callers. */
export { type LevelImage, levelImages }

/** Pixels from a worker, as the typed array the contract promises. */
export function decodedTile(pixels: TilePixels): DecodedTile {
  const samples = pixels.width * pixels.height * pixels.channels
  return { width: pixels.width, height: pixels.height, channels: pixels.channels, data: typedView(pixels.sampleType, pixels.buffer, 0, samples) }
}

/** A file read in place: its level images and masks, and how its pixels are decoded and reduced. */
export interface RegionSource {
  path: string
  images: readonly LevelImage[]
  masks: readonly { selector: ImageSelector; width: number; height: number }[]
  decoder: PixelDecoder
  output: PixelOutput
  layout: SampleLayout
  reduce: ReduceRule
  /** Apply EXIF orientation before cutting (a non-tiled source read in place, whose sizes are oriented). */
  autoOrient: boolean
  /** Decode through damage the probe reported. */
  tolerant: boolean
}

/** The region source of a probed file (`path` may be a built pyramid of the raster, whose output is `output`). */
export function regionSourceOf(path: string, probe: ProbeResult, output: PixelOutput, autoOrient = false): RegionSource {
  return { path, images: levelImages(probe.images), masks: probe.masks, decoder: probe.decoder, output, layout: probe.layout, reduce: probe.reduce, autoOrient, tolerant: probe.tolerant }
}

/**
 * Reads tiles in place from a tiled file: each tile is a region of the nearest image at or finer
 * than its level, reduced when that image is finer (a TIFF without a pyramid, or with fewer levels).
 */
export class RegionReader implements TileReader {
  constructor(
    private readonly source: RegionSource,
    private readonly levels: readonly LevelSize[],
    private readonly tileSize: number,
    private readonly pool: DecodePool,
    /**
     * The version of the file this reader was made for: a tile read from another version (the file
     * rewritten since) is refused with a FileChangedError — it may mix old and new bytes, or be cut
     * with the old geometry — and the version knows the file changed. Null for a file nobody
     * rewrites in place (a built pyramid).
     */
    private readonly version: FileVersion | null = null,
    /**
     * Per level, where the file keeps its tiles as JPEG streams that are exactly Tessera's tiles
     * (`jpegPassthroughLevels`); a level without one is always decoded.
     */
    private readonly jpegLevels: readonly (JpegLevel | null)[] = []
  ) {}

  async read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    const pixels = await this.pool.run<TilePixels>(this.regionJob(level, col, row), { signal })
    this.checkStamp(pixels.fileStamp, level, col, row)
    return decodedTile(pixels)
  }

  /**
   * The file's own JPEG or WebP tile where the level keeps its tiles as Tessera's (`jpegLevels`,
   * decided at open) and `accept` has its encoding; a tile the file leaves out is decoded in the same job.
   */
  async readAs(level: number, col: number, row: number, accept: ReadonlySet<TileEncoding>, signal?: AbortSignal): Promise<LoadedTile> {
    const stored = this.jpegLevels[level]
    if (!stored || !accept.has(stored.encoding)) return this.read(level, col, row, signal)
    const fallback = this.regionJob(level, col, row)
    const tile = tileRect(this.levels[level]!, this.tileSize, col, row)
    const result = await this.pool.run<TileBytes | TilePixels>(
      {
        kind: 'jpeg-tile',
        encoding: stored.encoding,
        path: this.source.path,
        page: stored.page,
        tileIndex: row * stored.tilesAcross + col,
        width: tile.width,
        height: tile.height,
        stampFile: this.version !== null,
        fallback
      },
      { signal }
    )
    this.checkStamp(result.fileStamp, level, col, row)
    if (!('encoding' in result)) return decodedTile(result)
    const encoded: EncodedTile = { encoding: result.encoding, width: result.width, height: result.height, bytes: new Uint8Array(result.buffer) }
    return encoded
  }

  /** The region job of tile (level, col, row): what its decode reads (a remote raster's prefetch reads the same blocks). */
  regionJob(level: number, col: number, row: number): RegionJob {
    const source = this.source
    const image = source.images.filter((i) => i.scale <= level).at(-1)!
    const tile = tileRect(this.levels[level]!, this.tileSize, col, row)
    const factor = 2 ** (level - image.scale)
    const rect = { left: tile.left * factor, top: tile.top * factor, width: tile.width * factor, height: tile.height * factor }
    const mask = source.masks.find((m) => m.width === image.width && m.height === image.height && m.selector.file === image.selector.file)
    return {
      kind: 'region',
      path: source.path,
      image: image.selector,
      autoOrient: source.autoOrient,
      imageWidth: image.width,
      imageHeight: image.height,
      rect,
      outWidth: tile.width,
      outHeight: tile.height,
      output: source.output,
      decoder: source.decoder,
      mask: mask?.selector ?? null,
      layout: source.layout,
      reduce: source.reduce,
      tolerant: source.tolerant,
      stampFile: this.version !== null
    }
  }

  /** Refuses a tile read from another version of the file than this reader's (FileChangedError). */
  private checkStamp(stamp: TilePixels['fileStamp'], level: number, col: number, row: number): void {
    if (this.version && !this.version.matches(stamp ?? null)) {
      throw new FileChangedError(`${this.source.path} changed on disk since it was opened: tile ${tileCoordKey({ level, col, row })} read from it now is not served`)
    }
  }
}

/**
 * Cuts tiles from levels held in shared memory, from `firstLevel` down. Finer levels than the
 * first are served by enlarging the matching part of it: blurred, but at once (strategy 'pyramid'
 * while its pyramid is being built).
 */
export class SharedReader implements TileReader {
  constructor(
    private readonly levels: readonly LevelSize[],
    private readonly tileSize: number,
    private readonly shared: readonly SharedLevel[],
    private readonly firstLevel: number,
    private readonly pool: DecodePool,
    private readonly output: PixelOutput
  ) {}

  async read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    const tile = tileRect(this.levels[level]!, this.tileSize, col, row)
    const source = this.shared[Math.max(0, level - this.firstLevel)]!
    let rect = tile
    if (level < this.firstLevel) {
      const factor = 2 ** (this.firstLevel - level)
      const left = Math.min(source.width - 1, Math.floor(tile.left / factor))
      const top = Math.min(source.height - 1, Math.floor(tile.top / factor))
      const right = Math.min(source.width, Math.max(left + 1, Math.ceil((tile.left + tile.width) / factor)))
      const bottom = Math.min(source.height, Math.max(top + 1, Math.ceil((tile.top + tile.height) / factor)))
      rect = { left, top, width: right - left, height: bottom - top }
    }
    const pixels = await this.pool.run<TilePixels>({ kind: 'cut', level: source, rect, outWidth: tile.width, outHeight: tile.height, output: this.output }, { signal })
    return decodedTile(pixels)
  }
}

/**
 * Serves levels from `firstLevel` down (coarser) from `coarse` (an overview in memory), and finer
 * levels from `fine` (regions decoded from the source file on demand): strategy 'pyramid' when no
 * pyramid can be built or kept (cache directory not writable, build failed). Sharp, but each fine
 * tile costs a decode of the source.
 */
export class SplitReader implements TileReader {
  constructor(
    private readonly coarse: TileReader,
    private readonly fine: TileReader,
    private readonly firstLevel: number
  ) {}

  read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    return (level < this.firstLevel ? this.fine : this.coarse).read(level, col, row, signal)
  }
}
