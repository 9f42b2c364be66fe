/**
 * Turns a received tile into a GPU texture. The format is always given explicitly (never
 * `Texture.from`, which caches globally): RGBA8 tiles become 'rgba8unorm' textures, single-band
 * tiles a 'r32float' texture that the stretch shader colours.
 */
import { BufferImageSource, Texture } from 'pixi.js'
import type { TileMessage } from '../../shared/protocol'

/** A texture and the CPU copy of its values (for the readout under the cursor). */
export interface TileTexture {
  texture: Texture
  width: number
  height: number
  channels: 1 | 4
  /** The tile's original values: RGBA8 rows or one band in its sample type. */
  values: TileMessage['data']
  /** GPU plus CPU bytes, for the cache budget. */
  bytes: number
}

/** Creates the texture of a tile (uploaded at the next render). */
export function createTileTexture(tile: TileMessage): TileTexture {
  const { width, height, channels } = tile.header
  if (channels === 4) {
    const pixels = tile.data instanceof Uint8Array ? tile.data : new Uint8Array(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength)
    const source = new BufferImageSource({ resource: pixels, width, height, format: 'rgba8unorm', autoGenerateMipmaps: false })
    return { texture: new Texture({ source }), width, height, channels, values: pixels, bytes: pixels.byteLength * 2 }
  }
  const floats = tile.data instanceof Float32Array ? tile.data : Float32Array.from(tile.data as ArrayLike<number>)
  // r32float is not filterable in WebGL2 without an extension: sample it nearest (the stretch shader does the rest).
  const source = new BufferImageSource({
    resource: floats,
    width,
    height,
    format: 'r32float',
    alphaMode: 'no-premultiply-alpha',
    scaleMode: 'nearest',
    autoGenerateMipmaps: false
  })
  const cpuBytes = floats === tile.data ? 0 : tile.data.byteLength
  return { texture: new Texture({ source }), width, height, channels, values: tile.data, bytes: floats.byteLength + cpuBytes }
}

/**
 * The value(s) of the pixel (x, y) of a tile: [r, g, b, a] for RGBA tiles, [value] for single-band
 * ones; null outside the tile.
 */
export function tileValueAt(tile: Pick<TileTexture, 'width' | 'height' | 'channels' | 'values'>, x: number, y: number): number[] | null {
  const px = Math.floor(x)
  const py = Math.floor(y)
  if (px < 0 || py < 0 || px >= tile.width || py >= tile.height) return null
  const at = (py * tile.width + px) * tile.channels
  return Array.from(tile.values.subarray(at, at + tile.channels) as ArrayLike<number>)
}
