/**
 * Worker side: rectangles of TIFF pages with empty blocks. GDAL writes a block whose pixels are all
 * no-data (0 without one) as no bytes at all when asked to (`SPARSE_OK=TRUE`, common in mosaics and
 * warped orthophotos), and reads it back as that value. libtiff's JPEG codec fails on such a block
 * ("Unknown error" through libvips), so a JPEG COG with empty areas lost every tile touching them.
 * Here a rectangle libvips could not read is put together as GDAL reads it: the stored blocks read
 * one by one, the empty ones zero (no-data is refused for the libvips path; alpha 0: transparent).
 */
import sharp, { type Sharp } from 'sharp'
import type { ImageSelector, PixelRect } from './jobs'
import { openImage } from './pixels'
import { openTiff } from './tiffFiles'

/** The blocks of a page meeting a rectangle, in page pixels, clipped to it, and whether each is stored empty. */
interface EmptyBlocks {
  blocks: Array<{ rect: PixelRect; empty: boolean }>
}

/**
 * The blocks of `image` in `path` meeting `rect`, when at least one of them is stored empty; null
 * for anything else (not a TIFF, no empty block there, a page whose blocks this cannot map:
 * oriented, planes stored apart, not 8-bit, a SubIFD).
 */
export async function emptyBlocksIn(path: string, image: ImageSelector, rect: PixelRect): Promise<EmptyBlocks | null> {
  if (image.subifd !== undefined) return null
  let page
  try {
    page = await (await openTiff(image.file ?? path)).getImage(image.page ?? 0)
  } catch {
    return null // not a TIFF geotiff.js reads: nothing to say
  }
  const directory = page.fileDirectory
  const orientation = Number((await directory.loadValue('Orientation')) ?? 1)
  const planar = Number(directory.getValue('PlanarConfiguration') ?? 1)
  const bitsValue = directory.getValue('BitsPerSample') as ArrayLike<number> | number | undefined
  const bits = bitsValue === undefined ? [8] : typeof bitsValue === 'number' ? [bitsValue] : Array.from(bitsValue, Number)
  if (orientation !== 1 || planar !== 1 || bits.some((b) => b !== 8)) return null
  const blockWidth = page.getTileWidth()
  const blockHeight = page.getTileHeight()
  const across = Math.ceil(page.getWidth() / blockWidth)
  const countTag = page.isTiled ? 'TileByteCounts' : 'StripByteCounts'
  const blocks: EmptyBlocks['blocks'] = []
  let anyEmpty = false
  for (let row = Math.floor(rect.top / blockHeight); row * blockHeight < rect.top + rect.height; row++) {
    for (let col = Math.floor(rect.left / blockWidth); col * blockWidth < rect.left + rect.width; col++) {
      const count = Number(await directory.loadValueIndexed(countTag, row * across + col))
      const left = Math.max(rect.left, col * blockWidth)
      const top = Math.max(rect.top, row * blockHeight)
      const right = Math.min(rect.left + rect.width, (col + 1) * blockWidth, page.getWidth())
      const bottom = Math.min(rect.top + rect.height, (row + 1) * blockHeight, page.getHeight())
      if (right <= left || bottom <= top) continue
      const empty = count === 0
      anyEmpty ||= empty
      blocks.push({ rect: { left, top, width: right - left, height: bottom - top }, empty })
    }
  }
  return anyEmpty ? { blocks } : null
}

/**
 * `read` of the pixels of `rect` of the page (a pipeline starting at them); if libvips fails on
 * them and an empty block lies there, `read` of the rectangle put together around its empty
 * blocks instead. Any other failure is the caller's, unchanged.
 */
export async function readAroundEmptyBlocks<T>(
  source: { path: string; image: ImageSelector; autoOrient: boolean; tolerant?: boolean },
  rect: PixelRect,
  read: (pixels: Sharp) => Promise<T>
): Promise<T> {
  const open = (): Sharp => openImage(source.path, source.image, source.autoOrient, source.tolerant)
  try {
    return await read(open().extract(rect))
  } catch (error) {
    const layout = await emptyBlocksIn(source.path, source.image, rect)
    if (!layout) throw error
    return read(await assemble(open, rect, layout))
  }
}

/** The rectangle's 8-bit pixels, as libvips gives them, with each empty block zero. */
async function assemble(open: () => Sharp, rect: PixelRect, layout: EmptyBlocks): Promise<Sharp> {
  let channels = 0
  let pixels: Uint8Array | null = null
  for (const block of layout.blocks) {
    if (block.empty) continue
    const { data, info } = await open().extract(block.rect).raw().toBuffer({ resolveWithObject: true })
    if (pixels === null) {
      channels = info.channels
      pixels = new Uint8Array(rect.width * rect.height * channels)
    }
    if (info.channels !== channels || info.width !== block.rect.width || info.height !== block.rect.height || data.length !== info.width * info.height * channels) {
      throw new Error(`A block of the image decoded to ${info.width}×${info.height}×${info.channels}, not ${block.rect.width}×${block.rect.height}×${channels}`)
    }
    const rowBytes = block.rect.width * channels
    for (let y = 0; y < block.rect.height; y++) {
      const to = ((block.rect.top - rect.top + y) * rect.width + (block.rect.left - rect.left)) * channels
      pixels.set(data.subarray(y * rowBytes, (y + 1) * rowBytes), to)
    }
  }
  if (pixels === null) {
    // Every block empty: the page's channels, as libvips gives them.
    channels = (await open().metadata()).channels ?? 0
    pixels = new Uint8Array(rect.width * rect.height * channels)
  }
  if (!(channels >= 1 && channels <= 4)) throw new Error(`Cannot put together an image of ${channels} channels around its empty blocks`)
  return sharp(pixels, { raw: { width: rect.width, height: rect.height, channels: channels as 1 | 2 | 3 | 4 } })
}
