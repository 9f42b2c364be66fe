/**
 * Turns a received tile into a GPU texture. The format is always given explicitly (never
 * `Texture.from`, which caches globally):
 * - 'rgba8' tiles become 'rgba8unorm' textures, drawn as sprites;
 * - 'bands' tiles showing one band become a 'r32float' texture of that band (no data → NaN), drawn
 *   by the stretch shader; showing three bands, a 'rgba32float' texture (r, g, b the bands, a the
 *   validity), drawn by the bands shader.
 * The tile's original samples (every band, in their own type) are kept on the CPU for the readout
 * and for building the texture again when the person picks other bands.
 */
import { BufferImageSource, Texture } from 'pixi.js'
import type { TileMessage } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import { displayFloats, pixelValues, type DisplayBands, type TileSamples, type Validity } from './bandPixels'
import { paletteBytes, paletteRgba } from './paletteClasses'
import { borderedBandFloats } from './hillshade'
import type { TileCoord } from './TileScheduler'

/**
 * How a layer turns its tiles into textures. `border` (one band, hillshade): the texture is
 * (w + 2) × (h + 2), its border the neighbours' edge texels (`hillshade.ts` `borderedBandFloats`).
 */
export type TileDisplay =
  | { kind: 'rgba8' }
  | { kind: 'bands'; bands: DisplayBands; validity: Validity; border?: boolean }
  /** Class values drawn through a colour table (`paletteClasses.ts`): an RGBA8 texture, drawn as a sprite. */
  | { kind: 'palette'; colours: Uint8Array; validity: Validity }

/** A texture and the CPU copy of its values (for the readout under the cursor). */
export interface TileTexture {
  texture: Texture
  width: number
  height: number
  /** Samples per pixel of `values`: 4 for RGBA8, the bands (+ mask) for 'bands' tiles. */
  channels: number
  /** The tile's original values: RGBA8 rows or every band interleaved in its sample type. */
  values: TileMessage['data']
  /** What the texture shows ('rgba8', or the bands it was built for). */
  display: TileDisplay
  /** GPU plus CPU bytes, for the cache budget. */
  bytes: number
  /** A bordered texture: the samples of the eight neighbours its border was taken from (null: extrapolated), to know when to build it again. */
  borderFrom?: ReadonlyArray<TileMessage['data'] | null>
}

/** What the shared cache holds for one tile. */
export interface CachedTile {
  rasterId: string
  coord: TileCoord
  tile: TileTexture
  /** Raster generation the tile was asked for in (a finished pyramid makes earlier tiles stale). */
  generation: number
  displayed: boolean
}

/** The display of a raster's tiles for the chosen bands (a paletted raster's: without the classes `hiddenClasses`). */
export function tileDisplay(info: Pick<RasterInfo, 'tileKind' | 'tileMask' | 'noData' | 'palette'>, bands: DisplayBands, hiddenClasses?: ReadonlySet<number>): TileDisplay {
  if (info.tileKind === 'bands' && info.palette) return { kind: 'palette', colours: paletteBytes(info.palette, hiddenClasses), validity: { mask: info.tileMask, noData: info.noData } }
  return info.tileKind === 'bands' ? { kind: 'bands', bands, validity: { mask: info.tileMask, noData: info.noData } } : { kind: 'rgba8' }
}

/** Creates the texture of a tile (uploaded at the next render). */
export function createTileTexture(tile: TileMessage, display: TileDisplay): TileTexture {
  const { width, height, channels } = tile.header
  return textureOf({ width, height, channels, values: tile.data }, display)
}

/**
 * The texture of samples already received, for another display (other bands) or, bordered, other
 * neighbours (the eight tiles around it, in `NEIGHBOUR_OFFSETS` order): the CPU values are shared.
 */
export function rebuildTileTexture(
  tile: Pick<TileTexture, 'width' | 'height' | 'channels' | 'values'>,
  display: TileDisplay,
  neighbours: ReadonlyArray<TileSamples | null> = NO_NEIGHBOURS
): TileTexture {
  return textureOf(tile, display, neighbours)
}

const NO_NEIGHBOURS: ReadonlyArray<TileSamples | null> = Array.from({ length: 8 }, () => null)

function textureOf(tile: Pick<TileTexture, 'width' | 'height' | 'channels' | 'values'>, display: TileDisplay, neighbours = NO_NEIGHBOURS): TileTexture {
  const { width, height, channels, values } = tile
  if (display.kind === 'bands' && display.border && display.bands.length === 1) {
    const floats = borderedBandFloats(tile, display.bands[0], display.validity, neighbours)
    const source = new BufferImageSource({
      resource: floats,
      width: width + 2,
      height: height + 2,
      format: 'r32float',
      alphaMode: 'no-premultiply-alpha',
      scaleMode: 'nearest',
      autoGenerateMipmaps: false
    })
    const borderFrom = neighbours.map((n) => n?.values ?? null)
    return { texture: new Texture({ source }), width, height, channels, values, display, bytes: floats.byteLength + values.byteLength, borderFrom }
  }
  if (display.kind === 'palette') {
    const pixels = paletteRgba({ width, height, channels, values }, display.colours, display.validity)
    const source = new BufferImageSource({ resource: pixels, width, height, format: 'rgba8unorm', autoGenerateMipmaps: false })
    return { texture: new Texture({ source }), width, height, channels, values, display, bytes: pixels.byteLength + values.byteLength }
  }
  if (display.kind === 'rgba8') {
    const pixels = values instanceof Uint8Array ? values : new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
    const source = new BufferImageSource({ resource: pixels, width, height, format: 'rgba8unorm', autoGenerateMipmaps: false })
    return { texture: new Texture({ source }), width, height, channels, values: pixels, display, bytes: pixels.byteLength * 2 }
  }
  const floats = displayFloats({ width, height, channels, values }, display.bands, display.validity)
  // Float textures are not filterable in WebGL2 without an extension: sample them nearest (the shader does the rest).
  const source = new BufferImageSource({
    resource: floats,
    width,
    height,
    format: display.bands.length === 1 ? 'r32float' : 'rgba32float',
    alphaMode: 'no-premultiply-alpha',
    scaleMode: 'nearest',
    autoGenerateMipmaps: false
  })
  return { texture: new Texture({ source }), width, height, channels, values, display, bytes: floats.byteLength + values.byteLength }
}

/**
 * The file's original value(s) at pixel (x, y) of a tile, one per band of the file, null for a
 * band that is no data there; null outside the tile.
 */
export function tileValueAt(
  tile: Pick<TileTexture, 'width' | 'height' | 'channels' | 'values'>,
  info: Parameters<typeof pixelValues>[1],
  x: number,
  y: number
): Array<number | null> | null {
  return pixelValues(tile, info, x, y)
}
