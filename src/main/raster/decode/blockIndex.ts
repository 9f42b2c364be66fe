/** Worker side: where the blocks of a page of a TIFF are stored, for the main process's prefetch. */
import type { BlockIndex, BlockIndexJob } from './jobs'
import { openTiff } from './tiffFiles'

export async function readBlockIndex(job: BlockIndexJob): Promise<BlockIndex> {
  const image = await (await openTiff(job.path)).getImage(job.page)
  const tiled = image.isTiled
  const blockWidth = tiled ? image.getTileWidth() : image.getWidth()
  const blockHeight = image.getTileHeight()
  const directory = image.fileDirectory as unknown as { loadValue(name: string): Promise<ArrayLike<number | bigint> | undefined> }
  const [offsets, counts] = await Promise.all([
    directory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets'),
    directory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')
  ])
  if (!offsets || !counts) throw new Error(`page ${job.page} has no block offsets`)
  return {
    blockWidth,
    blockHeight,
    across: Math.ceil(image.getWidth() / blockWidth),
    down: Math.ceil(image.getHeight() / blockHeight),
    planes: image.planarConfiguration === 2 ? image.getSamplesPerPixel() : 1,
    offsets: Float64Array.from(offsets, Number),
    counts: Float64Array.from(counts, Number)
  }
}
