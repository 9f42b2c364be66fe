/**
 * Main side: which bytes of a remote TIFF the decode of a tile will read — the stored blocks of its
 * region's image that the region covers, and those of the image's mask — from the file's own
 * TileOffsets and TileByteCounts, read by geotiff.js over the RemoteFile (the header is in the
 * block cache since the probe read it). What the prefetch of a scheduled tile fetches
 * (`remotePrefetch.ts`), so that a view's tiles are asked for together, as GDAL reads a window.
 */
import { GeoTIFF } from 'geotiff'
import type { RemoteFile } from '../remote'
import type { ImageSelector, PixelRect } from './decode/jobs'
import type { ByteRange } from './decode/remoteLocation'

/** What a tile's decode reads: `rect` of an image (it may reach past the image's edge), and its mask image. */
export interface TileRegion {
  image: ImageSelector
  imageWidth: number
  imageHeight: number
  rect: PixelRect
  mask: ImageSelector | null
}

/** An image's block grid and where each block is stored. */
interface BlockIndex {
  blockWidth: number
  blockHeight: number
  across: number
  down: number
  /** Blocks per band: the bands of a planar-separate image are stored one plane after another. */
  planes: number
  offsets: ArrayLike<number | bigint>
  counts: ArrayLike<number | bigint>
}

type GeoTiffSource = Parameters<typeof GeoTIFF.fromSource>[0]

export class RemoteTileBytes {
  private tiff: Promise<GeoTIFF> | null = null
  private readonly indexes = new Map<number, Promise<BlockIndex>>()

  constructor(private readonly file: RemoteFile) {}

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

  private async loadIndex(page: number): Promise<BlockIndex> {
    this.tiff ??= GeoTIFF.fromSource(sourceOf(this.file))
    const tiff = this.tiff
    tiff.catch(() => this.tiff === tiff && (this.tiff = null))
    const image = await (await tiff).getImage(page)
    const directory = image.fileDirectory
    const tiled = image.isTiled
    const blockWidth = tiled ? image.getTileWidth() : image.getWidth()
    const blockHeight = image.getTileHeight()
    const [offsets, counts] = await Promise.all([
      directory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets'),
      directory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')
    ])
    if (!offsets || !counts) throw new Error(`Page ${page} of ${this.file.info.url} has no block offsets`)
    const across = Math.ceil(image.getWidth() / blockWidth)
    const down = Math.ceil(image.getHeight() / blockHeight)
    const planes = image.planarConfiguration === 2 ? image.getSamplesPerPixel() : 1
    return { blockWidth, blockHeight, across, down, planes, offsets: offsets as ArrayLike<number>, counts: counts as ArrayLike<number> }
  }
}

/** The stored blocks of `index` that `rect` (inside the image) meets, in every plane. Pure. */
export function blocksOf(index: BlockIndex, rect: PixelRect): ByteRange[] {
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

/** geotiff.js reading `file` through its block cache (the reads the header needs, never aborted). */
function sourceOf(file: RemoteFile): GeoTiffSource {
  const fetch = async (slices: ByteRange[]): Promise<ArrayBuffer[]> => {
    const parts = await file.readRanges(slices.map(({ offset, length }) => ({ offset, length })))
    return parts.map((part) => part.slice().buffer as ArrayBuffer)
  }
  return {
    get fileSize() {
      return file.info.size
    },
    fetch,
    async fetchSlice(slice: ByteRange) {
      const [data] = await fetch([slice])
      return { ...slice, data: data! }
    },
    async close() {}
  } as unknown as GeoTiffSource
}
