/**
 * One raster on screen: asks for the tiles the view needs (one request batch and at most one
 * `cancelObsolete` per frame), keeps what arrives in the shared texture cache, and draws the best
 * tiles it has, coarse under fine. It knows nothing of IPC: it talks to a `TileTransport`.
 */
import { Container } from 'pixi.js'
import { TileSprites } from './TileSprites'
import type { ErrorCode, OpenedRaster, TileMessage, TileRequest } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import { tileKey } from '../../shared/tiles'
import type { TextureCache } from './TextureCache'
import {
  coordKey,
  coverTiles,
  levelScaleXY,
  pinnedLevels,
  planTiles,
  type TileCoord,
  type ViewState
} from './TileScheduler'
import { Stretch, type StretchSettings } from './StretchShader'
import { createTileTexture, tileValueAt, type TileTexture } from './tileTextures'
import type { Motion, TileLatency } from './CameraMotion'

/** Withdrawn tiles whose request time is kept (for the latency of those that arrive anyway). */
const MAX_WITHDRAWN_REMEMBERED = 256

/** The two notifications a layer sends (a subset of the bridge). */
export interface TileTransport {
  requestTiles(rasterId: string, tiles: TileRequest[]): void
  cancelObsolete(rasterId: string, keepKeys: Iterable<string>): void
}

/** Counters shared by all layers of a viewer (diagnostics). */
export interface TileCounters {
  requested: number
  displayed: number
  cancelled: number
  wasted: number
  /** Of `wasted`: tiles that arrived after they were cancelled (already on their way). */
  late: number
}

/** What the shared cache holds for one tile. */
export interface CachedTile {
  rasterId: string
  coord: TileCoord
  tile: TileTexture
  /** Raster generation the tile belongs to (a finished pyramid makes earlier tiles stale). */
  generation: number
  displayed: boolean
}

export interface TileLayerDeps {
  transport: TileTransport
  cache: TextureCache<CachedTile>
  counters: TileCounters
  /** Request-to-arrival time of tiles, shared by the layers (it sets how far ahead a pan is planned). */
  latency: TileLatency
  /** How many more tiles may be put in flight now, for all layers together (flow control). */
  room(): number
}

/** What one frame of a layer ended with. */
export interface LayerFrame {
  /** Every visible tile is drawn at the wanted level. */
  complete: boolean
  level: number
  /** What the layer draws changed since its previous frame (a render is needed to show it). */
  changed: boolean
}

export class TileLayer {
  readonly rasterId: string
  readonly container = new Container({ sortableChildren: true })
  /** Present for single-band rasters. */
  readonly stretch: Stretch | null
  private infoValue: RasterInfo
  private generation = 0
  /** Tiles asked for and not arrived: key → when they were asked for (performance.now()). */
  private readonly inFlight = new Map<string, number>()
  /**
   * Tiles withdrawn while on their way: key → when they were asked for. One arriving anyway still
   * tells how long tiles take (under load, mostly such ones: leaving them out underestimated it).
   */
  private readonly withdrawn = new Map<string, number>()
  /** The last plan's requests the flow did not allow yet, most urgent first: sent as slots free up. */
  private backlog: TileRequest[] = []
  private readonly failed = new Set<string>()
  private readonly sprites: TileSprites
  private visibleValue = true
  /** The service's connection knows this raster: false from a lost connection until the raster is announced again. */
  private served = true
  private destroyed = false

  constructor(
    opened: OpenedRaster,
    private readonly deps: TileLayerDeps
  ) {
    this.rasterId = opened.rasterId
    this.infoValue = opened.info
    const stats = opened.info.statistics
    this.stretch =
      opened.info.tileChannels === 1
        ? new Stretch(
            { min: stats?.p2 ?? 0, max: stats?.p98 ?? 1, colormap: 'grey' },
            stats?.noData ?? null
          )
        : null
    this.sprites = new TileSprites(this.container, this.rasterId, {
      cache: deps.cache,
      counters: deps.counters,
      stretch: this.stretch,
      info: () => this.infoValue
    })
  }

  get info(): RasterInfo {
    return this.infoValue
  }

  /** Tiles requested and neither received, failed nor cancelled. */
  get pendingCount(): number {
    return this.inFlight.size
  }

  get visible(): boolean {
    return this.visibleValue
  }

  set visible(value: boolean) {
    this.visibleValue = value
    this.container.visible = value
  }

  get opacity(): number {
    return this.container.alpha
  }

  set opacity(value: number) {
    this.container.alpha = Math.min(1, Math.max(0, value))
  }

  /** Changes the stretch of a single-band layer (no-op for colour rasters). */
  setStretch(settings: Partial<StretchSettings>): void {
    this.stretch?.set(settings)
  }

  /** Runs one frame: plans, cancels what is obsolete, requests what is missing, draws the cover. */
  update(view: ViewState, motion: Motion = { zooming: false, lead: { x: 0, y: 0 }, maxNewRequests: Infinity }): LayerFrame {
    if (this.destroyed) return { complete: true, level: 0, changed: false }
    if (!this.visibleValue) {
      this.cancelAll()
      return { complete: true, level: 0, changed: false }
    }
    if (!this.served) {
      // Nothing to ask anyone for: keep showing what is cached until the raster is served again.
      const cover = coverTiles(this.visibleNow(view), this.infoValue, (k) => this.deps.cache.has(this.fullKey(k)))
      return { complete: false, level: 0, changed: this.sprites.draw(cover.tiles, view.zoom) }
    }
    const plan = planTiles(
      view,
      this.infoValue,
      { isLoaded: (k) => this.isFresh(k), isInFlight: (k) => this.inFlight.has(k) || this.failed.has(k) },
      motion
    )
    let obsolete = 0
    for (const [key, requestedAt] of this.inFlight) {
      if (plan.keep.has(key)) continue
      this.inFlight.delete(key)
      this.withdraw(key, requestedAt)
      obsolete++
    }
    if (obsolete > 0) {
      this.deps.counters.cancelled += obsolete
      this.deps.transport.cancelObsolete(this.rasterId, [...plan.keep].map((k) => this.fullKey(k)))
    }
    // Only as many as the flow allows: the rest stays here, in the plan of the next frames, where
    // leaving the view withdraws it for free (a tile sent for is decoded even if it arrives too late).
    this.backlog = [...plan.high, ...plan.normal, ...plan.low]
    this.sendBacklog()
    const cover = coverTiles(plan.visible, this.infoValue, (k) => this.deps.cache.has(this.fullKey(k)))
    const changed = this.sprites.draw(cover.tiles, view.zoom)
    return { complete: cover.complete && plan.visible.every((t) => this.isFresh(coordKey(t))), level: plan.level, changed }
  }

  /**
   * Takes a tile that arrived for this raster. Returns false (and counts it wasted) when it is
   * no longer wanted: cancelled while it was on its way.
   */
  receive(message: TileMessage): boolean {
    const { level, col, row } = message.header
    const key = coordKey({ level, col, row })
    const requestedAt = this.inFlight.get(key)
    if (this.destroyed || requestedAt === undefined) {
      this.deps.counters.wasted++
      this.deps.counters.late++
      const withdrawnAt = this.withdrawn.get(key)
      if (withdrawnAt !== undefined) {
        this.withdrawn.delete(key)
        this.deps.latency.add(performance.now() - withdrawnAt)
      }
      return false
    }
    this.inFlight.delete(key)
    this.deps.latency.add(performance.now() - requestedAt)
    this.sendBacklog() // a slot is free: the next wanted tile goes now, not at the next frame
    const fullKey = this.fullKey(key)
    this.sprites.removeSprite(key)
    const pinned = pinnedLevels(this.infoValue).includes(level)
    const tile = createTileTexture(message)
    const value: CachedTile = { rasterId: this.rasterId, coord: { level, col, row }, tile, generation: this.generation, displayed: false }
    this.deps.cache.set(fullKey, value, tile.bytes, { pinned })
    return true
  }

  /**
   * Records a tile the service could not load: it is not asked for again until the raster changes.
   * One dropped by the service's cap ('overloaded') did not fail: it is only no longer in flight,
   * and the next frame asks for it again if the view still needs it.
   */
  tileFailed(key: string, code?: ErrorCode): void {
    const local = key.startsWith(`${this.rasterId}/`) ? key.slice(this.rasterId.length + 1) : key
    if (this.inFlight.delete(local) && code !== 'overloaded') this.failed.add(local)
    this.sendBacklog()
  }

  /** Sends as much of the backlog as the flow allows, skipping what was asked for or arrived since. */
  private sendBacklog(): void {
    if (this.destroyed || !this.served || this.backlog.length === 0) return
    const room = this.deps.room()
    if (room <= 0) return
    const requests: TileRequest[] = []
    let taken = 0
    for (const request of this.backlog) {
      if (requests.length >= room) break
      taken++
      const key = coordKey(request)
      if (this.inFlight.has(key) || this.failed.has(key) || this.isFresh(key)) continue
      requests.push(request)
    }
    this.backlog = this.backlog.slice(taken)
    if (requests.length === 0) return
    const now = performance.now()
    for (const request of requests) this.inFlight.set(coordKey(request), now)
    this.deps.counters.requested += requests.length
    this.deps.transport.requestTiles(this.rasterId, requests)
  }

  /** Remembers when a withdrawn tile was asked for (bounded: the oldest are forgotten first). */
  private withdraw(key: string, requestedAt: number): void {
    this.withdrawn.set(key, requestedAt)
    if (this.withdrawn.size > MAX_WITHDRAWN_REMEMBERED) this.withdrawn.delete(this.withdrawn.keys().next().value!)
  }

  /**
   * The connection was lost: what is in flight died with it, and the next connection does not know
   * this raster until the host announces it again (`resume`). Asking before would be refused.
   */
  suspend(): void {
    this.served = false
    this.backlog = []
    this.inFlight.clear()
    this.failed.clear()
  }

  /** The raster is served again (announced on the new connection): ask for what the view needs. */
  resume(): void {
    this.served = true
  }

  /**
   * Replaces the raster's description (a pyramid finished building). Tiles already received stay
   * on screen as placeholders but are asked for again; a changed pyramid drops them.
   */
  updateInfo(info: RasterInfo): void {
    const old = this.infoValue
    this.infoValue = info
    this.generation++
    this.failed.clear()
    const sameShape =
      old.tileSize === info.tileSize &&
      old.levels.length === info.levels.length &&
      old.levels.every((l, i) => l.width === info.levels[i]!.width && l.height === info.levels[i]!.height)
    if (!sameShape) {
      this.sprites.clear()
      this.deps.cache.deleteWhere((e) => e.value.rasterId === this.rasterId)
    }
  }

  /**
   * Original value(s) at full-resolution pixel (x, y), read from the finest tile drawn there;
   * null outside the raster or where nothing is loaded.
   */
  valueAt(x: number, y: number): { values: number[]; level: number } | null {
    const info = this.infoValue
    if (x < 0 || y < 0 || x >= info.width || y >= info.height) return null
    const drawn = this.sprites.drawnFinestFirst()
    for (const coord of drawn) {
      const scale = levelScaleXY(info, coord.level)
      const lx = x / scale.x - coord.col * info.tileSize
      const ly = y / scale.y - coord.row * info.tileSize
      const entry = this.deps.cache.peek(this.fullKey(coordKey(coord)))
      const values = entry ? tileValueAt(entry.value.tile, lx, ly) : null
      if (values) return { values, level: coord.level }
    }
    return null
  }

  /** Cancels everything in flight, releases every tile and texture of the layer. Idempotent. */
  destroy(): void {
    if (this.destroyed) return
    this.cancelAll()
    this.destroyed = true
    this.sprites.clear()
    this.deps.cache.deleteWhere((e) => e.value.rasterId === this.rasterId)
    this.container.destroy({ children: true })
    this.stretch?.destroy()
  }

  private cancelAll(): void {
    this.backlog = []
    if (this.inFlight.size === 0) return
    this.deps.counters.cancelled += this.inFlight.size
    this.inFlight.clear()
    this.deps.transport.cancelObsolete(this.rasterId, [])
  }

  private visibleNow(view: ViewState): TileCoord[] {
    return planTiles(view, this.infoValue, { isLoaded: () => true, isInFlight: () => false }).visible
  }

  private isFresh(key: string): boolean {
    const entry = this.deps.cache.peek(this.fullKey(key))
    return entry !== undefined && entry.value.generation === this.generation
  }

  private fullKey(key: string): string {
    return `${this.rasterId}/${key}`
  }

}

/** The full tile key (`rasterId/level/col/row`) of a tile of a layer. */
export function layerTileKey(rasterId: string, coord: TileCoord): string {
  return tileKey({ rasterId, ...coord })
}
