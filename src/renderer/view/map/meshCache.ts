/**
 * The meshes of a reprojected layer's tiles, kept per zoom band so that a zoom does not build them
 * again. A band is a power of two of the tolerance (world units a mesh may stray: half a screen pixel
 * at the current zoom): a mesh built for the band's finest tolerance, 2^k, serves every zoom whose
 * tolerance lies in [2^k, 2^(k+1)), and a finer mesh serves any coarser band. Each tile also keeps the
 * points already projected (`TileSamples`), so a finer band projects only the points it adds.
 *
 * It knows nothing of Pixi: the geometry a mesh becomes on the GPU, and how it is freed, are the
 * owner's (`createGeometry`, `destroyGeometry`), so tests count them without a GPU. Each geometry is
 * destroyed exactly once: when its mesh leaves the cache unused, or when its last user releases it
 * after it left.
 */
import type { Point } from '../../../shared/geo/affine'
import { MAX_MESH_CELLS, tileMesh, type PixelRect, type TileMesh, type TileSamples } from './mapping'

/** The zoom band of a tolerance: k such that 2^k ≤ tolerance < 2^(k+1). */
export function toleranceBand(tolerance: number): number {
  if (!(tolerance > 0 && Number.isFinite(tolerance))) {
    throw new RangeError(`Expected a positive finite number for tolerance but received ${String(tolerance)} of type ${typeof tolerance}`)
  }
  return Math.floor(Math.log2(tolerance))
}

/** A tile's mesh for one band and its geometry, held while `users` > 0. */
export interface CachedMesh<G> {
  readonly key: string
  readonly band: number
  readonly mesh: TileMesh
  readonly geometry: G
  /** Drawn sprites using it: it is not evicted while any is. */
  users: number
}

interface Entry<G> extends CachedMesh<G> {
  /** Left the cache while in use: destroyed when its last user releases it. */
  retired: boolean
  destroyed: boolean
}

interface TileEntry<G> {
  rect: PixelRect
  samples: TileSamples
  meshes: Map<number, Entry<G>>
}

export interface TileMeshCacheOptions<G> {
  /** Makes the geometry a mesh is drawn with (a Pixi MeshGeometry in the view). */
  createGeometry: (mesh: TileMesh) => G
  /** Frees a geometry; called exactly once for each one created. */
  destroyGeometry: (geometry: G) => void
  /** Tiles whose meshes are kept (least recently used ones leave first, unless in use). */
  maxTiles?: number
  /** Bands kept per tile (those farthest from the band asked for leave first, unless in use). */
  maxBandsPerTile?: number
}

export class TileMeshCache<G> {
  /**
   * 512 tiles: twice the 256-pixel tiles of two 4K screens, more than a layer draws at once. Three
   * bands: the one drawn and one each side, what a zoom back and forth goes through.
   */
  static readonly defaultOptions = { maxTiles: 512, maxBandsPerTile: 3 }
  /** Map order is recency: the first tile is the least recently used. */
  private readonly tiles = new Map<string, TileEntry<G>>()
  private toWorld: ((p: Point) => Point) | null = null
  private readonly maxTiles: number
  private readonly maxBandsPerTile: number
  private meshCount = 0
  /** Meshes built, and meshes served from the cache, since it was made. */
  readonly counts = { built: 0, reused: 0, destroyed: 0 }

  constructor(private readonly options: TileMeshCacheOptions<G>) {
    this.maxTiles = checkCount('maxTiles', options.maxTiles ?? TileMeshCache.defaultOptions.maxTiles)
    this.maxBandsPerTile = checkCount('maxBandsPerTile', options.maxBandsPerTile ?? TileMeshCache.defaultOptions.maxBandsPerTile)
  }

  /** Meshes held (in use or not). */
  get size(): number {
    return this.meshCount
  }

  /**
   * A mesh of tile `key` (the pixel rectangle `rect` through `toWorld`) within `tolerance` world
   * units: the coarsest cached one fine enough, else one built for the tolerance's band. The caller
   * holds it until `release`. Another `toWorld` than the cache's meshes follow, or another rectangle
   * for the key, retires what was cached for them. O(bands of the tile) when cached.
   */
  acquire(key: string, rect: PixelRect, toWorld: (p: Point) => Point, tolerance: number): CachedMesh<G> {
    const band = toleranceBand(tolerance)
    if (toWorld !== this.toWorld) {
      this.clear()
      this.toWorld = toWorld
    }
    let tile = this.tiles.get(key)
    if (tile && !sameRect(tile.rect, rect)) {
      this.deleteWhere((k) => k === key)
      tile = undefined
    }
    if (tile) {
      this.tiles.delete(key)
      this.tiles.set(key, tile) // most recently used
      let best: Entry<G> | undefined
      for (const entry of tile.meshes.values()) {
        // Built for this band or a finer one, as fine as the tolerance anyway, or as fine as a mesh gets.
        const fine = entry.band <= band || entry.mesh.errorWorld <= tolerance || entry.mesh.cells >= MAX_MESH_CELLS
        if (fine && (!best || entry.band > best.band)) best = entry
      }
      if (best) {
        best.users++
        this.counts.reused++
        return best
      }
    } else {
      tile = { rect: { ...rect }, samples: new Map(), meshes: new Map() }
      this.tiles.set(key, tile)
    }
    const mesh = tileMesh(toWorld, rect, 2 ** band, tile.samples)
    const entry: Entry<G> = { key, band, mesh, geometry: this.options.createGeometry(mesh), users: 1, retired: false, destroyed: false }
    this.counts.built++
    tile.meshes.set(band, entry)
    this.meshCount++
    this.trimBands(tile, band)
    this.trimTiles()
    return entry
  }

  /** A user is done with `mesh`; a mesh that left the cache meanwhile is destroyed with its last user. */
  release(mesh: CachedMesh<G>): void {
    const entry = mesh as Entry<G>
    if (entry.users <= 0) return
    entry.users--
    if (entry.users === 0 && entry.retired) this.destroy(entry)
  }

  /** Drops every mesh of the tiles whose key passes `predicate` (their textures left the cache). Returns how many tiles. */
  deleteWhere(predicate: (key: string) => boolean): number {
    let count = 0
    for (const [key, tile] of [...this.tiles]) {
      if (!predicate(key)) continue
      this.tiles.delete(key)
      for (const entry of tile.meshes.values()) this.retire(entry)
      count++
    }
    return count
  }

  /** Drops every mesh (those in use are destroyed when released). Idempotent. */
  clear(): void {
    this.deleteWhere(() => true)
    this.toWorld = null
  }

  /** Keeps at most maxBandsPerTile bands of a tile, dropping the unused ones farthest from `band`. */
  private trimBands(tile: TileEntry<G>, band: number): void {
    if (tile.meshes.size <= this.maxBandsPerTile) return
    const byDistance = [...tile.meshes.values()].filter((e) => e.users === 0).sort((a, b) => Math.abs(b.band - band) - Math.abs(a.band - band))
    for (const entry of byDistance) {
      if (tile.meshes.size <= this.maxBandsPerTile) break
      tile.meshes.delete(entry.band)
      this.retire(entry)
    }
  }

  /** Keeps at most maxTiles tiles, dropping the least recently used ones none of whose meshes is in use. */
  private trimTiles(): void {
    if (this.tiles.size <= this.maxTiles) return
    for (const [key, tile] of [...this.tiles]) {
      if (this.tiles.size <= this.maxTiles) break
      if ([...tile.meshes.values()].some((e) => e.users > 0)) continue
      this.tiles.delete(key)
      for (const entry of tile.meshes.values()) this.retire(entry)
    }
  }

  /** The mesh has left the cache: destroyed now if unused, else when its last user releases it. */
  private retire(entry: Entry<G>): void {
    if (entry.retired) return
    entry.retired = true
    this.meshCount--
    if (entry.users === 0) this.destroy(entry)
  }

  private destroy(entry: Entry<G>): void {
    if (entry.destroyed) return
    entry.destroyed = true
    this.counts.destroyed++
    this.options.destroyGeometry(entry.geometry)
  }
}

function sameRect(a: PixelRect, b: PixelRect): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height
}

function checkCount(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new RangeError(`Expected a positive integer for ${name} but received ${String(value)} of type ${typeof value}`)
  }
  return value
}
