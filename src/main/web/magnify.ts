/**
 * A tile past an XYZ server's deepest zoom, drawn from its ancestor's image (`WebTileReader`'s
 * overzoom): the ancestor's part over the tile, magnified `factor` times by nearest neighbour (each
 * pixel a square, its value kept, as map viewers overzoom). On the main thread: a copy of the
 * tile's pixels, where the siblings sharing an ancestor share its one decode.
 */
import type { DecodedTile } from '../raster/types'

/** Where the tile lies in its ancestor's image, and how much it is magnified. */
export interface Magnify {
  left: number
  top: number
  factor: number
}

/** The `width` × `height` RGBA8 tile whose pixel (x, y) is `image`'s (left + ⌊x / factor⌋, top + ⌊y / factor⌋). */
export function magnifyPart(image: DecodedTile, width: number, height: number, part: Magnify, url: string): DecodedTile {
  const { left, top, factor } = part
  if (image.channels !== 4 || !(image.data instanceof Uint8Array)) throw new Error(`${url}: cannot magnify an image of ${image.channels} channels (RGBA8 expected)`)
  if (!(Number.isInteger(factor) && factor >= 1) || left < 0 || top < 0 || left + Math.ceil(width / factor) > image.width || top + Math.ceil(height / factor) > image.height) {
    throw new Error(`${url}: cannot magnify ${factor}× its part at (${left}, ${top}) into ${width} × ${height}: the image is ${image.width} × ${image.height}`)
  }
  // Whole RGBA pixels as one number each (a view of unaligned bytes is copied first).
  const bytes = image.data.byteOffset % 4 === 0 ? image.data : new Uint8Array(image.data)
  const pixels = new Uint32Array(bytes.buffer, bytes.byteOffset, (image.width * image.height) | 0)
  const out = new Uint32Array(width * height)
  for (let y = 0; y < height; y++) {
    // Each source row is spread once; the factor − 1 rows under it are copies of that row.
    if (y % factor !== 0) {
      out.copyWithin(y * width, (y - 1) * width, y * width)
      continue
    }
    const from = (top + y / factor) * image.width + left
    for (let x = 0; x < width; x++) out[y * width + x] = pixels[from + Math.floor(x / factor)]!
  }
  return { width, height, channels: 4, data: new Uint8Array(out.buffer) }
}
