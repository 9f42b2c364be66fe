/**
 * Main side: which bytes of a remote TIFF the decode of a tile will read — the stored blocks of its
 * region's image that the region covers, and those of the image's mask — from the file's own
 * TileOffsets and TileByteCounts, read by geotiff.js in a decode worker (a 'block-index' job, over
 * the ask channel: the header is in the block cache since the probe read it; geotiff.js stays out of
 * the main process). What the prefetch of a scheduled tile fetches
 * (`remotePrefetch.ts`), so that a view's tiles are asked for together, as GDAL reads a window.
 */
import type { BlockIndex, BlockIndexJob, ImageSelector, PixelRect } from './decode/jobs'
import type { ByteRange } from './decode/remoteLocation'

/** What a tile's decode reads: `rect` of an image (it may reach past the image's edge), and its mask image. */
export interface TileRegion {
  image: ImageSelector
  imageWidth: number
  imageHeight: number
  rect: PixelRect
  mask: ImageSelector | null
}

/** A block index as `blocksOf` reads it (any list of offsets and counts). */
export type BlockGrid = Omit<BlockIndex, 'offsets' | 'counts'> & { offsets: ArrayLike<number>; counts: ArrayLike<number> }

/** Runs a block-index job in a decode worker (the tile pool's `run`). */
export type RunBlockIndex = (job: BlockIndexJob) => Promise<BlockIndex>

export class RemoteTileBytes {
  private readonly indexes = new Map<number, Promise<BlockIndex>>()

  /** `location`: the remote file as its decode jobs name it (`remoteLocation`). */
  constructor(
    private readonly location: string,
    private readonly run: RunBlockIndex
  ) {}

  /**
   * The byte ranges of the blocks `region`'s decode reads, in file order; blocks stored empty
   * (byte count 0) left out. Null for an image this index does not read (another file's, a sub-IFD).
   * Rejects when the file's structure cannot be read (the decode will say why).
   */
  async rangesOf(region: TileRegion): Promise<ByteRange[] | null> {
    const width = Math.min(region.rect.width, region.imageWidth - region.rect.left)
    const height = Math.min(region.rect.height, region.imageHeight - region.rect.top)
    if (width <= 0 || height <= 0) return []
    const clipped = { left: region.rect.left, top: region.rect.top, width, height }
    const selectors = region.mask ? [region.image, region.mask] : [region.image]
    if (selectors.some((s) => s.file !== undefined || s.subifd !== undefined)) return null
    const ranges: ByteRange[] = []
    for (const selector of selectors) ranges.push(...blocksOf(await this.indexOf(selector.page ?? 0), clipped))
    return ranges.sort((a, b) => a.offset - b.offset)
  }

  private indexOf(page: number): Promise<BlockIndex> {
    let index = this.indexes.get(page)
    if (!index) {
      index = this.loadIndex(page)
      this.indexes.set(page, index)
      // A failed load (a read aborted, the server down) is tried again by the next tile.
      index.catch(() => this.indexes.get(page) === index && this.indexes.delete(page))
    }
    return index
  }

  /** Reads the indexes of `pages` now; false when one cannot be read (the decodes will say why). */
  async load(pages: readonly number[]): Promise<boolean> {
    const loaded = await Promise.allSettled(pages.map((page) => this.indexOf(page)))
    return loaded.every((result) => result.status === 'fulfilled')
  }

  private loadIndex(page: number): Promise<BlockIndex> {
    return this.run({ kind: 'block-index', path: this.location, page })
  }
}

/** The stored blocks of `index` that `rect` (inside the image) meets, in every plane. Pure. */
export function blocksOf(index: BlockGrid, rect: PixelRect): ByteRange[] {
  const ranges: ByteRange[] = []
  const firstCol = Math.floor(rect.left / index.blockWidth)
  const lastCol = Math.min(index.across - 1, Math.floor((rect.left + rect.width - 1) / index.blockWidth))
  const firstRow = Math.floor(rect.top / index.blockHeight)
  const lastRow = Math.min(index.down - 1, Math.floor((rect.top + rect.height - 1) / index.blockHeight))
  for (let plane = 0; plane < index.planes; plane++) {
    for (let row = firstRow; row <= lastRow; row++) {
      for (let col = firstCol; col <= lastCol; col++) {
        const block = plane * index.across * index.down + row * index.across + col
        const length = Number(index.counts[block] ?? 0)
        if (length > 0) ranges.push({ offset: Number(index.offsets[block]), length })
      }
    }
  }
  return ranges
}
