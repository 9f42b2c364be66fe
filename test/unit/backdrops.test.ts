/** The checkerboards under the layers: where each goes, when it is drawn, its squares' size on screen, and its lifetime. */
import { beforeAll, describe, expect, it } from 'vitest'
import type { RasterInfo } from '../../src/shared/raster'

type BackdropsModule = typeof import('../../src/renderer/view/Backdrops')
let backdrops: BackdropsModule

beforeAll(async () => {
  const g = globalThis as { navigator?: unknown }
  g.navigator ??= { userAgent: 'node' }
  backdrops = await import('../../src/renderer/view/Backdrops')
})

/** An 8-bit RGB raster (opaque) or RGBA (may show through). */
const info = (hasAlpha: boolean): RasterInfo => ({ tileKind: 'rgba8', hasAlpha, hasMask: false, tileMask: false, noData: null }) as unknown as RasterInfo
const identity = { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 }
const layer = (over: Partial<{ info: RasterInfo; visible: boolean; opacity: number; renderable: boolean }> = {}) => ({
  rasterId: 'r1',
  info: over.info ?? info(true),
  visible: over.visible ?? true,
  opacity: over.opacity ?? 1,
  transform: identity,
  container: { renderable: over.renderable ?? true }
})

describe('Backdrops', () => {
  it('adds a checkerboard over a raster’s rectangle, placed by its layer’s transform', () => {
    const b = new backdrops.Backdrops()
    b.add('r1', 300, 200)
    b.place('r1', { a: 5, b: 0, c: 0, d: 5, tx: 1000, ty: -2000 })
    const sprite = b.root.children[0]!
    expect([sprite.x, sprite.y, sprite.scale.x, sprite.scale.y, sprite.renderable]).toEqual([1000, -2000, 5, 5, true])
    b.close()
  })

  it('draws none under a reprojected layer (its outline bends)', () => {
    const b = new backdrops.Backdrops()
    b.add('r1', 300, 200)
    b.place('r1', null)
    expect(b.root.children[0]!.renderable).toBe(false)
    b.close()
  })

  it('shows a checkerboard only where its layer is drawn and may show through', () => {
    const b = new backdrops.Backdrops()
    b.add('r1', 10, 10)
    const sprite = b.root.children[0]!
    const shown = (l: ReturnType<typeof layer>): boolean => {
      b.update([l], 1)
      return sprite.visible
    }
    expect(shown(layer())).toBe(true)
    expect(shown(layer({ info: info(false) }))).toBe(false)
    expect(shown(layer({ info: info(false), opacity: 0.5 }))).toBe(true)
    expect(shown(layer({ visible: false }))).toBe(false)
    expect(shown(layer({ renderable: false }))).toBe(false)
    b.close()
  })

  it('draws none under a web map layer, transparent or not: the map under it shows where its server draws nothing', () => {
    const b = new backdrops.Backdrops()
    b.add('r1', 10, 10)
    const sprite = b.root.children[0]!
    const web = { ...info(true), source: { kind: 'web', service: 'xyz', url: 'https://tiles.example/{z}/{x}/{y}.png', layer: 'osm', attribution: '' } } as unknown as RasterInfo
    b.update([layer({ info: web })], 1)
    expect(sprite.visible).toBe(false)
    b.update([layer({ info: web, opacity: 0.5 })], 1)
    expect(sprite.visible).toBe(false)
    // The same pixels from a file keep theirs.
    b.update([layer({ info: info(true) })], 1)
    expect(sprite.visible).toBe(true)
    b.close()
  })

  it('destroys every checkerboard and the shared texture when closed, and may be closed again', () => {
    const b = new backdrops.Backdrops()
    b.add('r1', 10, 10)
    b.add('r2', 10, 10)
    const sprites = [...b.root.children]
    const texture = (sprites[0] as unknown as { texture: { destroyed: boolean } }).texture
    b.remove('r2')
    expect(sprites[1]!.destroyed).toBe(true)
    b.close()
    b.close()
    expect(sprites[0]!.destroyed).toBe(true)
    expect(texture.destroyed).toBe(true)
    expect(b.root.children).toHaveLength(0)
  })
})

describe('checkerScale', () => {
  it('keeps the squares one size on screen: the inverse of the screen pixels per layer pixel, along each axis', () => {
    expect(backdrops.checkerScale({ a: 5, b: 0, c: 0, d: -2, tx: 0, ty: 0 }, 0.1)).toEqual({ x: 2, y: 5 })
    const s = backdrops.checkerScale({ a: 3, b: 4, c: -4, d: 3, tx: 0, ty: 0 }, 2) // rotated, 5 units per pixel
    expect(s.x).toBeCloseTo(0.1, 12)
    expect(s.y).toBeCloseTo(0.1, 12)
  })
})

describe('checkerPixels', () => {
  it('paints 2 × 2 squares, light on the diagonal, opaque', () => {
    const pixels = backdrops.checkerPixels(2)
    const at = (x: number, y: number): number[] => [...pixels.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4)]
    expect(pixels).toHaveLength(4 * 4 * 4)
    expect(at(0, 0)).toEqual([204, 204, 204, 255])
    expect(at(3, 3)).toEqual([204, 204, 204, 255])
    expect(at(2, 1)).toEqual([153, 153, 153, 255])
    expect(at(1, 2)).toEqual([153, 153, 153, 255])
  })
})
