/**
 * First pictures of dropped files: each one decoded by the browser (maybe shrunk, or its EXIF
 * thumbnail), drawn at the world origin over the layers until its layer names it (`attach`), then
 * over that layer until the layer draws its first tiles. A preview owns its sprite, texture and
 * bitmap; every way out (`remove`, `close`) releases all three. The arithmetic (where a preview
 * goes over its layer, which previews can no longer be replaced by tiles) is pure and exported.
 */
import { Container, Matrix, Sprite, Texture } from 'pixi.js'
import type { Affine } from '../../shared/geo/affine'

/** The layer a preview stands for, as the previews see it. */
export interface PreviewLayer {
  info: { width: number; height: number }
  /** Full-resolution pixel → world when the layer is placed by an affine transform; null when it is reprojected. */
  mapping: { affine: Affine | null }
}

export interface PreviewsOptions {
  /** The container the preview sprites go in (above the layers). */
  root: Container
  /** The layer of a raster id, if the viewer holds it. */
  layer(rasterId: string): PreviewLayer | undefined
  /** Something drawn changed. */
  requestFrame(): void
}

/** A dropped file's first picture, shown until its layer draws tiles. */
interface Preview {
  sprite: Sprite
  bitmap: ImageBitmap
  /** The layer it stands for, once its file opened. */
  rasterId: string | null
}

export class Previews {
  private readonly previews = new Map<string, Preview>()
  private shownValue = 0

  constructor(private readonly options: PreviewsOptions) {}

  /** Previews drawn now. */
  get count(): number {
    return this.previews.size
  }

  /** Previews shown since they began. */
  get shown(): number {
    return this.shownValue
  }

  /**
   * Shows `bitmap` over `width` × `height` world units at the world origin; shown again for the same
   * `id`, the new picture replaces the old in place. Returns true when it is a new preview.
   */
  show(id: string, bitmap: ImageBitmap, width: number, height: number): boolean {
    const shown = this.previews.get(id)
    if (shown) {
      // A better picture of the same file (its decode after its EXIF thumbnail): same place.
      const old = shown.sprite.texture
      shown.sprite.texture = Texture.from(bitmap)
      old.destroy(true)
      shown.bitmap.close()
      shown.bitmap = bitmap
      if (shown.rasterId) this.attach(id, shown.rasterId)
      else {
        shown.sprite.width = width
        shown.sprite.height = height
      }
      this.options.requestFrame()
      return false
    }
    const sprite = new Sprite(Texture.from(bitmap))
    sprite.width = width
    sprite.height = height
    this.options.root.addChild(sprite)
    this.previews.set(id, { sprite, bitmap, rasterId: null })
    this.shownValue++
    this.options.requestFrame()
    return true
  }

  /** The preview `id` stands for layer `rasterId` now: placed over it; taken away if that layer is gone or reprojected. */
  attach(id: string, rasterId: string): void {
    const preview = this.previews.get(id)
    const layer = this.options.layer(rasterId)
    if (!preview) return
    if (!layer || !layer.mapping.affine) {
      this.remove(id) // a reprojected layer's outline bends: no straight picture over it
      return
    }
    preview.rasterId = rasterId
    const m = previewMatrix(layer.mapping.affine, layer.info, preview.bitmap)
    preview.sprite.setFromMatrix(new Matrix(m.a, m.b, m.c, m.d, m.tx, m.ty))
    this.options.requestFrame()
  }

  /** Takes a preview away and releases its sprite, texture and bitmap. */
  remove(id: string): void {
    const preview = this.previews.get(id)
    if (!preview) return
    this.previews.delete(id)
    preview.sprite.destroy({ texture: true, textureSource: true })
    preview.bitmap.close()
    this.options.requestFrame()
  }

  /** Takes away the previews of a layer (it drew its first tiles). */
  removeFor(rasterId: string): void {
    for (const [id, preview] of this.previews) if (preview.rasterId === rasterId) this.remove(id)
  }

  /** Takes away the previews whose layers would never draw tiles in their place (see `previewsToDrop`). */
  prune(layers: readonly PreviewLayerShown[]): void {
    const attached = [...this.previews].map(([id, p]) => ({ id, rasterId: p.rasterId }))
    for (const id of previewsToDrop(attached, layers)) this.remove(id)
  }

  /** Releases every preview. Idempotent. */
  close(): void {
    for (const id of [...this.previews.keys()]) this.remove(id)
  }
}

/** Whether a layer can draw tiles in a preview's place this frame. */
export interface PreviewLayerShown {
  rasterId: string
  visible: boolean
  /** An opaque layer above hides it from the whole view (it asks for no tiles). */
  covered: boolean
}

/**
 * The previews to take away: those attached to a layer that left, is hidden or is covered, which
 * would never see that layer's tiles. A preview not attached yet waits for its file.
 */
export function previewsToDrop(previews: ReadonlyArray<{ id: string; rasterId: string | null }>, layers: readonly PreviewLayerShown[]): string[] {
  return previews
    .filter(({ rasterId }) => {
      if (rasterId === null) return false
      const layer = layers.find((l) => l.rasterId === rasterId)
      return !layer || !layer.visible || layer.covered
    })
    .map((p) => p.id)
}

/**
 * The sprite matrix that lays a `bitmap`-sized picture over a layer of `layer` pixels placed by
 * `affine` (pixel → world): the picture's pixels are stretched to the layer's, then placed as they are.
 */
export function previewMatrix(affine: Affine, layer: { width: number; height: number }, bitmap: { width: number; height: number }): Affine {
  const sx = layer.width / bitmap.width
  const sy = layer.height / bitmap.height
  return { a: affine.a * sx, b: affine.b * sx, c: affine.c * sy, d: affine.d * sy, tx: affine.tx, ty: affine.ty }
}
