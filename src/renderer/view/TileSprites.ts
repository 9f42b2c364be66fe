/**
 * The sprites of one layer: exactly the tiles chosen for this frame, coarse under fine, each
 * sprite reused while its tile stays drawn. Colour tiles are Sprites (crisp above 100 %, smooth
 * below); value tiles ('bands') are meshes of the layer's shading (one band stretched, or three as
 * RGB). A cached tile whose texture was built for other bands than those shown now gets its texture
 * built again from its CPU samples before it is drawn. Drawn tiles are marked in use in the cache
 * so they are never evicted from under a sprite. A reprojected layer's tiles are meshes in world
 * units that follow its mapping within half a screen pixel, kept per zoom band (`TileMeshCache`): a
 * zoom that asks for a finer mesh gives the tile's mesh the band's geometry, cached or built once.
 */

import { Container, Mesh, MeshGeometry, Sprite } from 'pixi.js'
import type { Point } from '../../shared/geo/affine'
import { MAX_MESH_CELLS } from './map/mapping'
import { TileMeshCache, type CachedMesh } from './map/meshCache'
import type { RasterInfo } from '../../shared/raster'
import { messageOf } from '../../shared/errors'
import { tileKey } from '../../shared/tiles'
import type { CacheEntry, TextureCache } from './TextureCache'
import { coordKey, levelScaleXY, type TileCoord } from './TileScheduler'
import type { TileShading } from './StretchShader'
import { rebuildTileTexture, type CachedTile, type TileDisplay, type TileTexture } from './tileTextures'
import { NEIGHBOUR_OFFSETS } from './hillshade'
import type { TileSamples } from './bandPixels'
import type { TileCounters } from './TileRequester'

/** A drawn tile: its sprite or mesh, and for a reprojected tile the cached mesh it is drawn with (held until released). */
interface Drawn {
  sprite: Container
  coord: TileCoord
  warp?: CachedMesh<MeshGeometry>
}

/** Half a screen pixel: the most a reprojected tile's mesh may stray from the reprojection. */
const MESH_TOLERANCE_PX = 0.5

export class TileSprites {
  private sprites = new Map<string, Drawn>()
  /** Something drawn changed since the last `draw` (a sprite added, removed or restyled). */
  private changed = true
  /**
   * Meshes of a reprojected layer's tiles by zoom band, keyed by the tile's cache key. Before them a
   * tile's mesh was built again whenever the zoom grew finer than it; the sprite and its GPU geometry with it.
   */
  private readonly meshes = new TileMeshCache<MeshGeometry>({
    createGeometry: (mesh) => new MeshGeometry({ positions: mesh.positions, uvs: mesh.uvs, indices: mesh.indices }),
    destroyGeometry: (geometry) => geometry.destroy()
  })

  constructor(
    private readonly container: Container,
    private readonly rasterId: string,
    private readonly deps: {
      cache: TextureCache<CachedTile>
      counters: TileCounters
      /** What draws value tiles now (null: colour tiles, drawn as sprites). */
      shading: () => TileShading | null
      /** How tiles are turned into textures now. */
      display: () => TileDisplay
      info: () => RasterInfo
      /** Pixel → world of a reprojected layer (its tiles are meshes in world units); null for an affine one. */
      warp: () => ((p: Point) => Point) | null
      /** Screen pixels per world unit now. */
      worldZoom: () => number
    }
  ) {}

  /** Tiles drawn now, finest first (for the readout). */
  drawnFinestFirst(): TileCoord[] {
    return [...this.sprites.values()].map((s) => s.coord).sort((a, b) => a.level - b.level)
  }

  /**
   * Makes the drawn tiles exactly `tiles` (coarse first), reusing sprites already there. Returns
   * whether anything drawn changed since the previous call (else the last rendered frame still holds).
   */
  draw(tiles: readonly TileCoord[], zoom: number): boolean {
    const next = new Map<string, Drawn>()
    const levelCount = this.deps.info().levels.length
    for (const coord of tiles) {
      const key = coordKey(coord)
      let entry = this.deps.cache.get(this.fullKey(coord))
      if (!entry) continue
      let drawn = this.sprites.get(key)
      // A bordered (hillshaded) tile is built again when a neighbour came, left or changed since: no seam stays.
      const neighbours = this.borderNeighbours(coord)
      if (drawn && neighbours && staleBorder(entry.value.tile, neighbours)) {
        this.sprites.delete(key)
        this.destroySprite(drawn)
        drawn = undefined
      }
      if (drawn?.warp && drawn.warp.mesh.cells < MAX_MESH_CELLS && drawn.warp.mesh.errorWorld * this.deps.worldZoom() > MESH_TOLERANCE_PX) {
        // Zoomed in past what its mesh is good for: the finer band's, on the same sprite.
        this.rewarp(drawn, entry.value)
      }
      if (!drawn) {
        if (entry.value.tile.display !== this.deps.display() || (neighbours && staleBorder(entry.value.tile, neighbours))) entry = this.rebuild(entry, neighbours ?? undefined)
        if (!entry) continue
        drawn = this.createSprite(entry.value)
        drawn.sprite.zIndex = levelCount - coord.level
        this.container.addChild(drawn.sprite)
        this.changed = true
        this.deps.cache.setInUse(entry.key, true)
        if (!entry.value.displayed) {
          entry.value.displayed = true
          this.deps.counters.displayed++
        }
      }
      next.set(key, drawn)
      if (!this.deps.shading()) {
        // Crisp pixels above 100 %, smooth below.
        const texelsOnScreen = zoom * levelScaleXY(this.deps.info(), coord.level).x
        const mode = texelsOnScreen >= 1 ? 'nearest' : 'linear'
        const source = entry.value.tile.texture.source
        if (source.scaleMode !== mode) {
          source.scaleMode = mode
          source.style.update() // a style change reaches an uploaded texture only through update()
          this.changed = true
        }
      }
    }
    for (const [key, drawn] of this.sprites) {
      if (!next.has(key)) this.destroySprite(drawn)
    }
    this.sprites = next
    // A tile's meshes leave with its texture (evicted from the cache since the last change).
    if (this.changed && this.meshes.size > 0) this.meshes.deleteWhere((fullKey) => !this.deps.cache.has(fullKey))
    const changed = this.changed
    this.changed = false
    return changed
  }

  private createSprite(cached: CachedTile): Drawn {
    const { coord, tile } = cached
    const scale = levelScaleXY(this.deps.info(), coord.level)
    const x = coord.col * this.deps.info().tileSize * scale.x
    const y = coord.row * this.deps.info().tileSize * scale.y
    const shading = this.deps.shading()
    const warp = this.deps.warp()
    if (warp) {
      const cached = this.acquireMesh(coord, warp, { x, y, width: tile.width * scale.x, height: tile.height * scale.y })
      const { geometry, mesh } = cached
      const sprite: Container = shading ? shading.createMesh(tile.texture, geometry, scale) : new Mesh({ geometry, texture: tile.texture })
      sprite.position.set(mesh.origin.x, mesh.origin.y)
      return { sprite, coord, warp: cached }
    }
    if (shading) {
      const mesh = shading.createMesh(tile.texture, undefined, scale)
      mesh.position.set(x, y)
      mesh.scale.set(tile.width * scale.x, tile.height * scale.y)
      return { sprite: mesh, coord }
    }
    const sprite = new Sprite(tile.texture)
    sprite.position.set(x, y)
    sprite.scale.set(scale.x, scale.y)
    return { sprite, coord }
  }

  /** The mesh of a tile's pixel rectangle through `warp` fine enough for the zoom now (cached per band), held by the caller. */
  private acquireMesh(coord: TileCoord, warp: (p: Point) => Point, rect: { x: number; y: number; width: number; height: number }): CachedMesh<MeshGeometry> {
    const zoom = this.deps.worldZoom()
    return this.meshes.acquire(this.fullKey(coord), rect, warp, MESH_TOLERANCE_PX / (zoom > 0 && Number.isFinite(zoom) ? zoom : 1))
  }

  /** Gives a drawn reprojected tile the mesh the zoom now asks for (the sprite stays; its geometry changes). */
  private rewarp(drawn: Drawn, cached: CachedTile): void {
    const warp = this.deps.warp()
    if (!warp || !drawn.warp) return
    const scale = levelScaleXY(this.deps.info(), drawn.coord.level)
    const { tileSize } = this.deps.info()
    const rect = { x: drawn.coord.col * tileSize * scale.x, y: drawn.coord.row * tileSize * scale.y, width: cached.tile.width * scale.x, height: cached.tile.height * scale.y }
    const next = this.acquireMesh(drawn.coord, warp, rect)
    if (next === drawn.warp) {
      this.meshes.release(next) // the same mesh: held once already
      return
    }
    ;(drawn.sprite as Mesh).geometry = next.geometry
    drawn.sprite.position.set(next.mesh.origin.x, next.mesh.origin.y)
    this.meshes.release(drawn.warp)
    drawn.warp = next
    this.changed = true
  }

  /**
   * Builds the texture of a cached tile again for the bands shown now, from the tile's CPU samples
   * (the old texture leaves with the replaced entry). Undefined if the cache could not keep it.
   */
  private rebuild(entry: CacheEntry<CachedTile>, neighbours?: ReadonlyArray<TileSamples | null>): CacheEntry<CachedTile> | undefined {
    let tile
    try {
      tile = rebuildTileTexture(entry.value.tile, this.deps.display(), neighbours)
    } catch (error) {
      console.error(`Tile ${entry.key} cannot show the bands picked: ${messageOf(error)}`)
      return undefined
    }
    const wasDisplayed = entry.value.displayed
    entry.value.displayed = true // replaced, not wasted
    this.deps.cache.set(entry.key, { ...entry.value, tile, displayed: wasDisplayed }, tile.bytes, { pinned: entry.pinned })
    return this.deps.cache.get(entry.key)
  }

  /** Removes the sprite of a tile (its texture is about to be replaced). */
  removeSprite(key: string): void {
    const drawn = this.sprites.get(key)
    if (!drawn) return
    this.sprites.delete(key)
    this.destroySprite(drawn)
  }

  private destroySprite(drawn: Drawn): void {
    this.container.removeChild(drawn.sprite)
    this.changed = true
    drawn.sprite.destroy({ children: false, texture: false, textureSource: false })
    if (drawn.warp) this.meshes.release(drawn.warp) // the cache destroys its geometry, unlike the unit quad every plain tile shares
    this.deps.cache.setInUse(this.fullKey(drawn.coord), false)
  }

  /** Removes every sprite, and the reprojected tiles' meshes (the mapping, the bands or the layer are going). */
  clear(): void {
    for (const drawn of this.sprites.values()) this.destroySprite(drawn)
    this.sprites.clear()
    this.meshes.clear()
  }

  /** The tile's key in the texture cache, which all layers share. */
  private fullKey(coord: TileCoord): string {
    return tileKey({ rasterId: this.rasterId, level: coord.level, col: coord.col, row: coord.row })
  }

  /** The samples of the eight tiles around `coord` at its level (null: not cached), when the display borders its textures; else null. */
  private borderNeighbours(coord: TileCoord): Array<TileSamples | null> | null {
    const display = this.deps.display()
    if (display.kind !== 'bands' || !display.border) return null
    return NEIGHBOUR_OFFSETS.map(([dx, dy]) => this.deps.cache.peek(this.fullKey({ level: coord.level, col: coord.col + dx, row: coord.row + dy }))?.value.tile ?? null)
  }
}

/** True when a bordered texture was built from other neighbours than those cached now (or is not bordered). */
function staleBorder(tile: TileTexture, neighbours: ReadonlyArray<TileSamples | null>): boolean {
  const from = tile.borderFrom
  return !from || neighbours.some((n, i) => (n?.values ?? null) !== from[i])
}
