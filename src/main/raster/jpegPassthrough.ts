/**
 * Which levels of a raster read in place can send the file's own JPEG or WebP tiles as they are
 * stored (`TileHeader.encoding`), decided once at open. Pure: no sharp, no geotiff (the main
 * process decides from what the probe read in the worker).
 *
 * A level qualifies only when the host's decode of its tile is that very JPEG stream, cropped: the
 * TIFF page serving it is exactly the level (no reduction, no resampling), its tiles are Tessera's
 * tiles, and libvips shows its samples as the stream says (8-bit RGB or YCbCr, nothing beside the
 * three colours, no mask, no orientation). Anything else is decoded as before. A WebP tile with an
 * alpha band is decoded too: a browser's canvas would premultiply its colours.
 */
import type { TileEncoding } from '../../shared/protocol'
import type { LevelSize } from '../../shared/raster'
import type { ImageSelector, PixelDecoder, PixelOutput } from './decode/jobs'
import { levelImages } from './levelImages'
import { PHOTOMETRIC, type TiffDirectory } from './tiffLayout'

/** TIFF Compression 7: JPEG ("new-style", with JPEGTables). Old-style JPEG (6) is never sent as is. */
const COMPRESSION_JPEG = 7
/** TIFF Compression 50001: WebP (GDAL's and libtiff's code). */
const COMPRESSION_WEBP = 50001

/** Where a level's stored tiles are: page `page` of the raster's own file, `tilesAcross` tiles a row, in `encoding`. */
export interface JpegLevel {
  page: number
  tilesAcross: number
  encoding: TileEncoding
}

export interface PassthroughInput {
  levels: readonly LevelSize[]
  tileSize: number
  /** The probe's images (full resolution first), with their IFD's tags. */
  images: readonly { selector: ImageSelector; width: number; height: number; directory?: TiffDirectory }[]
  masks: readonly { selector: ImageSelector; width: number; height: number }[]
  output: PixelOutput
  decoder: PixelDecoder
  /** EXIF-style orientation of the file (1: as stored). */
  orientation: number
  /** Whether the reader orients before cutting. */
  autoOrient: boolean
}

/** Per level, where its JPEG tiles are, or null when it is decoded as before. */
export function jpegPassthroughLevels(input: PassthroughInput): (JpegLevel | null)[] {
  const { levels, tileSize } = input
  const raster = input.output.kind === 'rgba8' && input.decoder === 'vips' && input.orientation === 1 && !input.autoOrient
  const images = levelImages(input.images)
  return levels.map((size, level) => {
    if (!raster) return null
    // The image the region reader would read this level from: the nearest at or finer than it.
    const image = images.filter((i) => i.scale <= level).at(-1)
    if (!image || image.scale !== level || image.width !== size.width || image.height !== size.height) return null
    const { page, subifd, file } = image.selector
    if (page === undefined || subifd !== undefined || file !== undefined) return null
    const masked = input.masks.some((m) => m.width === image.width && m.height === image.height && m.selector.file === file)
    const encoding = masked || !image.directory ? null : storedTileEncoding(image.directory, tileSize)
    if (!encoding) return null
    return { page, tilesAcross: Math.ceil(size.width / tileSize), encoding }
  })
}

/**
 * The encoding a TIFF page's tiles are stored in when they can be sent as they are, else null:
 * tiles of exactly tileSize × tileSize, three 8-bit colour samples interleaved and nothing beside
 * them, in JPEG (RGB or YCbCr) or WebP (RGB: a WebP with alpha is decoded by the host instead).
 */
export function storedTileEncoding(d: TiffDirectory, tileSize: number): TileEncoding | null {
  const threeColourTiles =
    d.tiled &&
    d.tileWidth === tileSize &&
    d.blockHeight === tileSize &&
    !d.planarSeparate &&
    d.samplesPerPixel === 3 &&
    d.extraSamples === 0 &&
    d.bitsPerSample.length > 0 &&
    d.bitsPerSample.every((bits) => bits === 8) &&
    (d.subfileType & 4) === 0
  if (!threeColourTiles) return null
  if (d.compression === COMPRESSION_JPEG && (d.photometric === PHOTOMETRIC.ycbcr || d.photometric === PHOTOMETRIC.rgb)) return 'jpeg'
  if (d.compression === COMPRESSION_WEBP && d.photometric === PHOTOMETRIC.rgb) return 'webp'
  return null
}
