/**
 * The meshes of a reprojected layer's tiles, cached per zoom band (src/renderer/view/map/meshCache.ts):
 * a zoom within a band reuses, a zoom across bands builds, every geometry is destroyed exactly once,
 * and every mesh served stays within half a screen pixel of the reprojection.
 */
import { describe, expect, it } from 'vitest'
import type { Point } from '../../src/shared/geo/affine'
import type { GeoTransform } from '../../src/shared/raster'
import { reprojectedMapping, tileMesh, type TileMesh } from '../../src/renderer/view/map/mapping'
import { TileMeshCache, toleranceBand, type TileMeshCacheOptions } from '../../src/renderer/view/map/meshCache'

/** 10 m Web Mercator pixels from 3° E, 50° N, seen in UTM 31N: the tiles bend enough to need several cells. */
const gt: GeoTransform = [333958.47, 10, 0, 6446275.84, 0, -10]
const mapping = reprojectedMapping(gt, 'EPSG:3857', 'EPSG:32631')!
/** A coarse tile, 41 km wide: its mesh grows finer with the zoom. */
const RECT = { x: 0, y: 0, width: 4096, height: 4096 }
const tolerance = (zoom: number): number => 0.5 / zoom

interface FakeGeometry {
  id: number
  mesh: TileMesh
}

/** A cache whose geometries are records, with how often each was destroyed. */
function cacheWithCounts(options: Partial<TileMeshCacheOptions<FakeGeometry>> = {}) {
  let next = 0
  const destroyed = new Map<number, number>()
  const created: FakeGeometry[] = []
  const cache = new TileMeshCache<FakeGeometry>({
    createGeometry: (mesh) => {
      const geometry = { id: next++, mesh }
      created.push(geometry)
      return geometry
    },
    destroyGeometry: (geometry) => destroyed.set(geometry.id, (destroyed.get(geometry.id) ?? 0) + 1),
    ...options
  })
  return { cache, created, destroyed }
}

describe('toleranceBand', () => {
  it('is the power of two at or below the tolerance', () => {
    expect(toleranceBand(1)).toBe(0)
    expect(toleranceBand(1.99)).toBe(0)
    expect(toleranceBand(2)).toBe(1)
    expect(toleranceBand(0.3)).toBe(-2)
    expect(toleranceBand(1000)).toBe(9)
  })

  it('refuses a tolerance that is not a positive number, naming it', () => {
    expect(() => toleranceBand(0)).toThrow(/positive finite number for tolerance but received 0/)
    expect(() => toleranceBand(Number.NaN)).toThrow(/tolerance/)
  })
})

describe('TileMeshCache', () => {
  it('reuses the mesh built for a zoom band at every zoom in that band', () => {
    const { cache, created } = cacheWithCounts()
    // Tolerances 0.5/1.1, 0.5/1.5 and 0.5/1.9 all lie in [0.25, 0.5): one band.
    const meshes = [1.1, 1.5, 1.9].map((zoom) => cache.acquire('t', RECT, mapping.toWorld, tolerance(zoom)))
    expect(created).toHaveLength(1)
    expect(meshes[1]).toBe(meshes[0])
    expect(meshes[2]).toBe(meshes[0])
    expect(cache.counts).toMatchObject({ built: 1, reused: 2 })
    expect(meshes[0]!.users).toBe(3)
  })

  it('builds again when the zoom crosses into a finer band, and serves a coarser band with the finer mesh it holds', () => {
    const { cache, created } = cacheWithCounts()
    const coarse = cache.acquire('t', RECT, mapping.toWorld, tolerance(0.05))
    const fine = cache.acquire('t', RECT, mapping.toWorld, tolerance(1))
    expect(fine).not.toBe(coarse)
    expect(created).toHaveLength(2)
    expect(fine.mesh.cells).toBeGreaterThan(coarse.mesh.cells)
    // Back out: the coarse band's own mesh (the coarsest that is fine enough).
    expect(cache.acquire('t', RECT, mapping.toWorld, tolerance(0.05))).toBe(coarse)
    // A fresh tile first seen zoomed in, then zoomed out: the fine mesh serves both.
    const first = cache.acquire('u', RECT, mapping.toWorld, tolerance(1))
    expect(cache.acquire('u', RECT, mapping.toWorld, tolerance(0.05))).toBe(first)
    expect(created).toHaveLength(3)
  })

  it('serves only meshes within half a screen pixel of the reprojection at the zoom asked for', () => {
    const { cache } = cacheWithCounts()
    for (const zoom of [0.001, 0.0015, 0.05, 0.07, 0.2, 1, 1.9, 0.3, 0.01]) {
      const { mesh } = cache.acquire('t', RECT, mapping.toWorld, tolerance(zoom))
      expect(mesh.errorWorld * zoom, `zoom ${zoom}, ${mesh.cells} cells`).toBeLessThanOrEqual(0.5)
    }
  })

  it('projects a point of a tile once for all its bands (a finer grid holds the coarser one)', () => {
    let calls = 0
    const counted = (p: Point): Point => {
      calls++
      return mapping.toWorld(p)
    }
    const { cache } = cacheWithCounts()
    cache.acquire('t', RECT, counted, tolerance(0.05))
    const before = calls
    cache.acquire('t', RECT, counted, tolerance(1))
    const finerAfterCoarse = calls - before
    calls = 0
    tileMesh(counted, RECT, 2 ** toleranceBand(tolerance(1)))
    expect(finerAfterCoarse).toBeLessThan(calls)
    // Within one call, a grid's cell centres are the next grid's vertices: (2n + 1)² points at most.
    const mesh = tileMesh(mapping.toWorld, RECT, 2 ** toleranceBand(tolerance(1)))
    expect(calls).toBeLessThanOrEqual((2 * mesh.cells + 1) ** 2)
  })

  it('keeps at most maxBandsPerTile bands of a tile, dropping the unused ones farthest from the band asked for', () => {
    const { cache, created, destroyed } = cacheWithCounts({ maxBandsPerTile: 2 })
    const zooms = [0.01, 0.1, 1] // 1, 4 and 16 cells
    const meshes = zooms.map((zoom) => cache.acquire('t', RECT, mapping.toWorld, tolerance(zoom)))
    expect(new Set(meshes).size).toBe(3)
    meshes.forEach((m) => cache.release(m))
    cache.acquire('t', RECT, mapping.toWorld, tolerance(4)) // a fourth band: the two farthest go
    expect(cache.size).toBe(2)
    expect([...destroyed.keys()].sort()).toEqual([created[0]!.id, created[1]!.id])
  })

  it('evicts the least recently used tiles beyond maxTiles, destroying each geometry exactly once', () => {
    const { cache, created, destroyed } = cacheWithCounts({ maxTiles: 2 })
    for (const key of ['a', 'b', 'c', 'a', 'd', 'e']) cache.release(cache.acquire(key, RECT, mapping.toWorld, tolerance(0.05)))
    expect(cache.size).toBe(2)
    cache.clear()
    cache.clear()
    expect(cache.size).toBe(0)
    expect(created.length).toBeGreaterThan(2)
    for (const geometry of created) expect(destroyed.get(geometry.id), `geometry ${geometry.id}`).toBe(1)
    expect(cache.counts.destroyed).toBe(created.length)
  })

  it('never destroys a mesh in use: one that leaves the cache goes when its last user releases it', () => {
    const { cache, created, destroyed } = cacheWithCounts({ maxTiles: 1 })
    const held = cache.acquire('a', RECT, mapping.toWorld, tolerance(0.05))
    cache.acquire('a', RECT, mapping.toWorld, tolerance(0.05)) // a second user
    cache.release(cache.acquire('b', RECT, mapping.toWorld, tolerance(0.05))) // over maxTiles, but 'a' is in use
    expect(destroyed.has(held.geometry.id)).toBe(false)
    expect(cache.deleteWhere((key) => key === 'a')).toBe(1) // its texture left
    cache.release(held)
    expect(destroyed.has(held.geometry.id)).toBe(false)
    cache.release(held)
    expect(destroyed.get(held.geometry.id)).toBe(1)
    cache.release(held) // one release too many changes nothing
    cache.clear()
    for (const geometry of created) expect(destroyed.get(geometry.id)).toBe(1)
  })

  it('drops every mesh when the mapping changes, or when a tile comes back with another rectangle', () => {
    const { cache, destroyed } = cacheWithCounts()
    const first = cache.acquire('t', RECT, mapping.toWorld, tolerance(0.05))
    cache.release(first)
    const other = reprojectedMapping(gt, 'EPSG:3857', 'EPSG:32631')!
    const again = cache.acquire('t', RECT, other.toWorld, tolerance(0.05))
    expect(again).not.toBe(first)
    expect(destroyed.get(first.geometry.id)).toBe(1)
    cache.release(again)
    const moved = cache.acquire('t', { ...RECT, width: 2048 }, other.toWorld, tolerance(0.05))
    expect(moved).not.toBe(again)
    expect(destroyed.get(again.geometry.id)).toBe(1)
  })
})
