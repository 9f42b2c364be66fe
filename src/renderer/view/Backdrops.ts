/**
 * The checkerboards under the layers: one per layer, over its raster's rectangle, where its
 * transparent pixels show through. Each is placed with its layer's affine transform (none under a
 * reprojected layer, whose outline bends), drawn only where it can be seen (not under an opaque
 * layer, whose fill would double the work), and its squares keep one size on screen at any zoom.
 * A web map layer has none: where its server draws nothing, what is under it shows, as in every
 * map viewer (an XYZ basemap's rectangle is the world: its checkerboard was a second full-screen
 * fill at every frame, under tiles that are opaque; the web bench's walk time did not tell the
 * difference beyond its noise).
 * The checker texture is shared; `close` frees it with the sprites.
 */
import { BufferImageSource, Container, Matrix, Texture, TilingSprite } from 'pixi.js'
import type { Affine } from '../../shared/geo/affine'
import type { RasterInfo } from '../../shared/raster'
import { isOpaqueRaster } from './bandPixels'

/** Side of one square of the checkerboard, in screen pixels. */
export const CHECKER_SQUARE = 8

/** A layer as its backdrop sees it. */
export interface BackdropLayer {
  rasterId: string
  info: RasterInfo
  visible: boolean
  opacity: number
  /** Pixel → world (the local affine of a reprojected layer). */
  transform: Affine
  container: { renderable: boolean }
}

export class Backdrops {
  /** Holds the checkerboards; goes under the layers. */
  readonly root = new Container()
  private readonly checker = checkerTexture()
  private readonly sprites = new Map<string, TilingSprite>()

  /** Adds the checkerboard of a `width` × `height` raster. */
  add(rasterId: string, width: number, height: number): void {
    const sprite = new TilingSprite({ texture: this.checker, width, height })
    this.sprites.set(rasterId, sprite)
    this.root.addChild(sprite)
  }

  /** Removes and destroys a layer's checkerboard. */
  remove(rasterId: string): void {
    this.sprites.get(rasterId)?.destroy()
    this.sprites.delete(rasterId)
  }

  /** Places a layer's checkerboard by its affine transform, pixel → world; none under a reprojected layer (`affine` null). */
  place(rasterId: string, affine: Affine | null): void {
    const sprite = this.sprites.get(rasterId)
    if (!sprite) return
    // A reprojected layer's outline bends: no checkerboard under it (one straight one would stray).
    sprite.renderable = affine !== null
    if (affine) sprite.setFromMatrix(new Matrix(affine.a, affine.b, affine.c, affine.d, affine.tx, affine.ty))
  }

  /** Shows or hides a layer's checkerboard with it. */
  setVisible(rasterId: string, visible: boolean): void {
    const sprite = this.sprites.get(rasterId)
    if (sprite) sprite.visible = visible
  }

  /** Each frame: which checkerboards can be seen, and their squares' size at zoom `zoom` (screen pixels per world unit). */
  update(layers: readonly BackdropLayer[], zoom: number): void {
    for (const layer of layers) {
      const sprite = this.sprites.get(layer.rasterId)
      if (!sprite) continue
      sprite.visible = backdropShown(layer)
      const scale = checkerScale(layer.transform, zoom)
      sprite.tileScale.set(scale.x, scale.y)
    }
  }

  /** Destroys every checkerboard and the shared texture. Idempotent. */
  close(): void {
    for (const rasterId of [...this.sprites.keys()]) this.remove(rasterId)
    this.checker.destroy(true)
  }
}

/** True when pixels of the layer can be transparent: the checkerboard under it may show. */
export function mayShowThrough(layer: { info: RasterInfo; opacity: number }): boolean {
  return !isOpaqueRaster(layer.info) || layer.opacity < 1
}

/** A layer's checkerboard is drawn when the layer is, something under it can show, and it is a raster, not a web map layer. */
export function backdropShown(layer: Pick<BackdropLayer, 'info' | 'opacity' | 'visible' | 'container'>): boolean {
  // Under an opaque raster the checkerboard is never seen: drawing it would double the fill work.
  return layer.visible && mayShowThrough(layer) && layer.container.renderable && layer.info.source?.kind !== 'web'
}

/**
 * The checker texture's scale in the layer's pixels, so that its squares are the same size on screen
 * whatever the layer's pixel size: one over the screen pixels each layer pixel spans, along each axis.
 */
export function checkerScale(transform: Affine, zoom: number): { x: number; y: number } {
  return { x: 1 / (zoom * Math.hypot(transform.a, transform.b)), y: 1 / (zoom * Math.hypot(transform.c, transform.d)) }
}

/** The RGBA pixels of a two-tone checkerboard tile: 2 × 2 squares of `square` pixels, light on the diagonal. */
export function checkerPixels(square = CHECKER_SQUARE): Uint8Array {
  const size = square * 2
  const pixels = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const light = (x < square) === (y < square)
      pixels.set(light ? [204, 204, 204, 255] : [153, 153, 153, 255], (y * size + x) * 4)
    }
  }
  return pixels
}

/** A repeating checkerboard texture, one CHECKER_SQUARE² square per colour, for transparent pixels. */
function checkerTexture(): Texture {
  const size = CHECKER_SQUARE * 2
  const source = new BufferImageSource({ resource: checkerPixels(), width: size, height: size, format: 'rgba8unorm', scaleMode: 'nearest', addressMode: 'repeat' })
  return new Texture({ source })
}
