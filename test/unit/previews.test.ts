/**
 * The previews of dropped files: where one goes over its layer, which ones can no longer be
 * replaced by tiles, and that every way out releases the sprite, its texture and the bitmap.
 * Node has no ImageBitmap: a stand-in class with its size and `close` takes its place (the edge
 * that cannot run here); the sprites and textures are Pixi's own.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Container } from 'pixi.js'
import type { Affine } from '../../src/shared/geo/affine'

type PreviewsModule = typeof import('../../src/renderer/view/Previews')
let pixi: typeof import('pixi.js')
let previewsModule: PreviewsModule

class FakeBitmap {
  closed = 0
  constructor(
    readonly width: number,
    readonly height: number
  ) {}
  close(): void {
    this.closed++
  }
}

beforeAll(async () => {
  const g = globalThis as { navigator?: unknown; ImageBitmap?: unknown }
  g.navigator ??= { userAgent: 'node' }
  g.ImageBitmap ??= FakeBitmap
  pixi = await import('pixi.js')
  previewsModule = await import('../../src/renderer/view/Previews')
})

const bitmap = (width: number, height: number): FakeBitmap & ImageBitmap => new FakeBitmap(width, height) as FakeBitmap & ImageBitmap

function setup(layers: Record<string, { width: number; height: number; affine: Affine | null }> = {}) {
  const root: Container = new pixi.Container()
  let frames = 0
  const previews = new previewsModule.Previews({
    root,
    layer: (id) => {
      const l = layers[id]
      return l ? { info: { width: l.width, height: l.height }, mapping: { affine: l.affine } } : undefined
    },
    requestFrame: () => frames++
  })
  return { previews, root, frames: () => frames }
}

describe('Previews', () => {
  it('shows a picture over width × height world units at the origin, and counts it', () => {
    const { previews, root, frames } = setup()
    expect(previews.show('a', bitmap(400, 300), 4000, 3000)).toBe(true)
    const sprite = root.children[0]!
    expect([sprite.x, sprite.y, sprite.width, sprite.height]).toEqual([0, 0, 4000, 3000])
    expect([previews.count, previews.shown]).toEqual([1, 1])
    expect(frames()).toBeGreaterThan(0)
  })

  it('replaces the picture of the same id in place, closing the old bitmap', () => {
    const { previews, root } = setup()
    const first = bitmap(160, 120)
    previews.show('a', first, 4000, 3000)
    expect(previews.show('a', bitmap(400, 300), 4000, 3000)).toBe(false)
    expect(first.closed).toBe(1)
    expect(root.children).toHaveLength(1)
    expect([root.children[0]!.width, root.children[0]!.height]).toEqual([4000, 3000])
    expect([previews.count, previews.shown]).toEqual([1, 1])
  })

  it('goes over its layer once attached, stretched to the layer’s pixels and placed by its transform', () => {
    const { previews, root } = setup({ r1: { width: 4000, height: 3000, affine: { a: 2, b: 0, c: 0, d: 2, tx: 100, ty: -50 } } })
    previews.show('a', bitmap(400, 300), 4000, 3000)
    previews.attach('a', 'r1')
    const sprite = root.children[0]!
    expect([sprite.x, sprite.y, sprite.scale.x, sprite.scale.y, sprite.rotation]).toEqual([100, -50, 20, 20, 0])
  })

  it('is taken away when its layer is reprojected or not there: no straight picture over a bent outline', () => {
    const { previews, root } = setup({ bent: { width: 10, height: 10, affine: null } })
    const a = bitmap(10, 10)
    previews.show('a', a, 10, 10)
    previews.show('b', bitmap(10, 10), 10, 10)
    previews.attach('a', 'bent')
    previews.attach('b', 'gone')
    expect(previews.count).toBe(0)
    expect(root.children).toHaveLength(0)
    expect(a.closed).toBe(1)
  })

  it('releases the sprite, its texture and the bitmap when removed, once', () => {
    const { previews, root } = setup()
    const a = bitmap(10, 10)
    previews.show('a', a, 10, 10)
    const sprite = root.children[0] as InstanceType<typeof pixi.Sprite>
    const texture = sprite.texture
    previews.remove('a')
    previews.remove('a')
    expect(sprite.destroyed).toBe(true)
    expect(texture.destroyed).toBe(true)
    expect(a.closed).toBe(1)
    expect(previews.count).toBe(0)
  })

  it('takes away the previews of a layer that drew tiles, and only those', () => {
    const { previews } = setup({ r1: { width: 10, height: 10, affine: { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 } } })
    previews.show('a', bitmap(10, 10), 10, 10)
    previews.show('b', bitmap(10, 10), 10, 10)
    previews.attach('a', 'r1')
    previews.removeFor('r1')
    expect(previews.count).toBe(1)
  })

  it('prunes the previews whose layers are hidden, covered or gone', () => {
    const identity = { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 }
    const { previews } = setup({ r1: { width: 10, height: 10, affine: identity }, r2: { width: 10, height: 10, affine: identity } })
    for (const id of ['a', 'b', 'c']) previews.show(id, bitmap(10, 10), 10, 10)
    previews.attach('a', 'r1')
    previews.attach('b', 'r2')
    previews.prune([
      { rasterId: 'r1', visible: true, covered: false },
      { rasterId: 'r2', visible: false, covered: false }
    ])
    expect(previews.count).toBe(2) // 'a' (its layer shown) and 'c' (waiting for its file)
  })

  it('closes every preview, and may be closed again', () => {
    const { previews } = setup()
    const shown = [bitmap(10, 10), bitmap(10, 10)]
    shown.forEach((b, i) => previews.show(String(i), b, 10, 10))
    previews.close()
    previews.close()
    expect(previews.count).toBe(0)
    expect(shown.map((b) => b.closed)).toEqual([1, 1])
  })
})

describe('previewsToDrop', () => {
  const layers = [
    { rasterId: 'shown', visible: true, covered: false },
    { rasterId: 'hidden', visible: false, covered: false },
    { rasterId: 'covered', visible: true, covered: true }
  ]

  it('drops a preview whose layer is hidden, covered or gone', () => {
    const previews = ['hidden', 'covered', 'gone'].map((rasterId) => ({ id: `p-${rasterId}`, rasterId }))
    expect(previewsToDrop(previews, layers)).toEqual(['p-hidden', 'p-covered', 'p-gone'])
  })

  it('keeps a preview whose layer is shown, and one still waiting for its file', () => {
    expect(previewsToDrop([{ id: 'a', rasterId: 'shown' }, { id: 'b', rasterId: null }], layers)).toEqual([])
  })

  function previewsToDrop(...args: Parameters<PreviewsModule['previewsToDrop']>): string[] {
    return previewsModule.previewsToDrop(...args)
  }
})

describe('previewMatrix', () => {
  it('stretches the picture’s pixels to the layer’s, then applies the layer’s transform', () => {
    const rotated: Affine = { a: 0, b: 2, c: -3, d: 0, tx: 7, ty: 9 }
    expect(previewsModule.previewMatrix(rotated, { width: 1000, height: 600 }, { width: 250, height: 300 })).toEqual({ a: 0, b: 8, c: -6, d: 0, tx: 7, ty: 9 })
  })
})
