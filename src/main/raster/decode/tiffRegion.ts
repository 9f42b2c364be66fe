/**
 * Worker side: regions of a TIFF decoded by geotiff.js (every sample type, band-interleaved files,
 * ZSTD, LERC), with its mask, composed into the tile's output and reduced without mixing no-data.
 */
import type { ImageSelector, PixelOutput, PixelRect, ReduceRule, SampleLayout } from './jobs'
import { composeSamples } from './compose'
import { reduceBlocks } from './reduce'
import { openTiff } from './tiffFiles'
import { registerLzwDecoder } from './lzw'
import { registerDeflateDecoder } from './deflate'

// geotiff.js' own LZW decoder took 12 s of a striped Float32 DEM's 15 s to its first tile (lzw.ts).
registerLzwDecoder()
// pako's inflate took ~30 ms per 512² Float32 tile of a DEFLATE DEM COG; zlib a fraction of it (deflate.ts).
registerDeflateDecoder()

type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array

/** What to read: `rect` of an image of the file (inside it), and its mask image when there is one. */
export interface TiffRead {
  path: string
  image: ImageSelector
  mask: ImageSelector | null
  rect: PixelRect
  layout: SampleLayout
  output: PixelOutput
}

/** The samples of `read.rect` as the output wants them (rect.width × rect.height pixels). */
export async function readTiffRect(read: TiffRead): Promise<Samples> {
  const { rect } = read
  const window = [rect.left, rect.top, rect.left + rect.width, rect.top + rect.height]
  const image = await imageOf(read.path, read.image)
  const samples = (await image.readRasters({ window, interleave: true })) as unknown as Samples
  const mask = read.mask ? await readMask(read.path, read.mask, window) : null
  return composeSamples(samples, rect.width * rect.height, read.layout, read.output, mask)
}

/** Reads `read.rect` and reduces it by `factor` (a power of two) without mixing invalid pixels. */
export async function readTiffReduced(read: TiffRead, factor: number, rule: ReduceRule): Promise<{ data: Samples; width: number; height: number }> {
  const data = await readTiffRect(read)
  const channels = read.output.kind === 'rgba8' ? 4 : read.output.bands + (read.output.mask ? 1 : 0)
  if (factor === 1) return { data, width: read.rect.width, height: read.rect.height }
  return reduceBlocks(data, read.rect.width, read.rect.height, channels, factor, rule)
}

async function imageOf(path: string, selector: ImageSelector): Promise<Awaited<ReturnType<Awaited<ReturnType<typeof openTiff>>['getImage']>>> {
  const tiff = await openTiff(selector.file ?? path)
  return tiff.getImage(selector.page ?? 0)
}

/** One byte per pixel, 0 where masked out (GDAL writes masks as 1-bit images; 8-bit ones exist too). */
async function readMask(path: string, selector: ImageSelector, window: number[]): Promise<Uint8Array> {
  const image = await imageOf(path, selector)
  const values = (await image.readRasters({ window, interleave: true })) as unknown as ArrayLike<number>
  const mask = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) mask[i] = values[i] === 0 ? 0 : 255
  return mask
}
