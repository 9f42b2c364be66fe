/**
 * One raster on screen: plans the tiles the view needs and hands the plan to its `TileRequester`
 * (which asks, withdraws and tracks every request), keeps what arrives in the shared texture cache,
 * and draws the best tiles it has, coarse under fine (`TileSprites`).
 */
import { type FinalStatistics, rangesFollowingStatistics, withFinalStatistics } from './finalStatistics'
import { Container, Matrix } from 'pixi.js'
import { IDENTITY, type Affine, type Point } from '../../shared/geo/affine'
import { layerDisplacement, layerView } from './layerView'
import { affineMapping, type LayerMapping } from './map/mapping'
import { TileSprites } from './TileSprites'
import type { ErrorCode, OpenedRaster, TileMessage } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import type { TextureCache } from './TextureCache'
import { parseTileKey, tileKey } from '../../shared/tiles'
import { fetchesFromServer, motionRequestRoom, sourcePlanning } from './sourcePlanning'
import { messageOf } from '../../shared/errors'
import {
  coordKey,
  coverTiles,
  levelScaleXY,
  pinnedLevels,
  planTiles,
  type TileCoord,
  type ViewState
} from './TileScheduler'
import { Stretch } from './StretchShader'
import { RgbStretch } from './BandsShader'
import { Hillshade } from './HillshadeShader'
import { levelPixelSize } from './hillshade'
import { crsOfGeoreference, isGeographicCrs } from './map/crs'
import { createTileTexture, tileDisplay, tileValueAt, type CachedTile, type TileDisplay, type TileTexture } from './tileTextures'
import { TileRequester, type TileCounters, type TileTransport } from './TileRequester'
import { prefetchHintsFor } from './prefetchHints'
import {
  applyDisplayChange,
  defaultBandRanges,
  defaultDisplayBands,
  tileBandCount,
  withContractDefaults,
  type BandRange,
  type LayerDisplay,
  type LayerDisplayChange
} from './bandPixels'
import type { Motion, TileLatency } from './CameraMotion'


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
  private infoValue: RasterInfo
  /** How a 'bands' raster is shown (bands, stretch ranges, colour map); null for 'rgba8' rasters. */
  private displayValue: LayerDisplay | null = null
  /** How tiles become textures; a new object whenever the bands shown change (cached tiles of another one are rebuilt when drawn). */
  private tileDisplayValue: TileDisplay = { kind: 'rgba8' }
  /** What draws the tiles of a 'bands' raster: the stretch (one band), the RGB stretch (three) or the hillshade; null for sprites. */
  private shadingValue: Stretch | RgbStretch | Hillshade | null = null
  /** A paletted raster's classes unticked in its legend: drawn transparent. */
  private hiddenClassesValue: ReadonlySet<number> = new Set()
  /** Every tile request of the layer, with its state and the generation it was asked in. */
  private readonly requester: TileRequester
  private readonly sprites: TileSprites
  private visibleValue = true
  /** The camera's zoom at the last frame (screen pixels per world unit): how fine a reprojected tile's mesh must be. */
  private worldZoom = 1
  /** Full-resolution pixel → world: the container's matrix when affine, else each tile's mesh (a reprojection). */
  private mappingValue: LayerMapping = affineMapping(IDENTITY)
  private destroyed = false

  constructor(
    opened: OpenedRaster,
    private readonly deps: TileLayerDeps
  ) {
    this.rasterId = opened.rasterId
    this.infoValue = withContractDefaults(opened.info)
    this.resetDisplay()
    this.requester = new TileRequester(this.rasterId, {
      transport: deps.transport,
      counters: deps.counters,
      latency: deps.latency,
      room: () => deps.room(),
      isFresh: (_key, tile) => this.isFresh(tile),
      // A raster on a server: its plan's backlog is fetched ahead by the host (one request per row, as GDAL).
      hints: prefetchHintsFor(this.rasterId, opened.info, deps.transport)
    })
    this.sprites = new TileSprites(this.container, this.rasterId, {
      cache: deps.cache,
      counters: deps.counters,
      shading: () => this.shadingValue,
      display: () => this.tileDisplayValue,
      info: () => this.infoValue,
      warp: () => (this.mappingValue.affine ? null : this.mappingValue.toWorld),
      worldZoom: () => this.worldZoom
    })
  }

  /** How the layer is shown now (bands, ranges, colour map); null for 'rgba8' rasters (drawn as they are). */
  get display(): LayerDisplay | null {
    return this.displayValue && { ...this.displayValue, bands: [...this.displayValue.bands] as LayerDisplay['bands'], ranges: this.displayValue.ranges.map((r) => ({ ...r })) }
  }

  /** The default display of the raster ('bands': its display bands, percentile stretch, grey). */
  private resetDisplay(): void {
    const info = this.infoValue
    this.shadingValue?.destroy()
    this.shadingValue = null
    // A palette raster's class values are drawn through its colour table, as a picture is: nothing to stretch.
    if (info.tileKind !== 'bands' || info.palette) {
      this.displayValue = null
      this.tileDisplayValue = tileDisplay(info, [0], this.hiddenClassesValue)
      return
    }
    this.displayValue = { bands: defaultDisplayBands(info), ranges: defaultBandRanges(info), colormap: 'grey' }
    this.tileDisplayValue = tileDisplay(info, this.displayValue.bands)
    this.shadingValue = this.createShading(this.displayValue)
  }

  private createShading(display: LayerDisplay): Stretch | RgbStretch | Hillshade {
    const range = (b: number): BandRange => display.ranges[b] ?? { min: 0, max: 1 }
    if (display.hillshade && display.bands.length === 1) {
      const geo = this.infoValue.georeference
      return new Hillshade({
        style: display.hillshade,
        pixel: levelPixelSize(geo?.geoTransform ?? null, { x: 1, y: 1 }),
        // In degrees: scaled as gdaldem -s 111120 (the georeference's own CRS, whatever the view's).
        geographic: isGeographicCrs(crsOfGeoreference(geo)?.id ?? null),
        ...range(display.bands[0]),
        colormap: display.colormap
      })
    }
    if (display.bands.length === 1) {
      // No data is already NaN in the texture (the mask, the no-data value and NaN samples alike).
      return new Stretch({ ...range(display.bands[0]), colormap: display.colormap }, null)
    }
    const [r, g, b] = display.bands
    return new RgbStretch([range(r), range(g), range(b)])
  }

  get info(): RasterInfo {
    return this.infoValue
  }

  /** Where the layer is in the world: full-resolution pixel → world. */
  get mapping(): LayerMapping {
    return this.mappingValue
  }

  /**
   * Pixel → world as an affine: exact for an affine layer, the tangent at the raster's centre for a
   * reprojected one (for what needs one number per layer: fit limits, the checkerboard's scale).
   */
  get transform(): Affine {
    return this.mappingValue.affine ?? this.mappingValue.localAffine({ x: this.infoValue.width / 2, y: this.infoValue.height / 2 })
  }

  /**
   * Places the layer in the world. An affine mapping is its container's matrix (every tile drawn in
   * the layer's pixels); a reprojection leaves the container in world units and draws each tile as
   * a mesh that follows it.
   */
  setMapping(mapping: LayerMapping): void {
    const wasWarped = this.mappingValue.affine === null
    this.mappingValue = mapping
    const t = mapping.affine ?? IDENTITY
    this.container.setFromMatrix(new Matrix(t.a, t.b, t.c, t.d, t.tx, t.ty))
    if (wasWarped || mapping.affine === null) this.sprites.clear() // drawn the other way now
  }

  /** The layer's full-resolution pixel (fractional) at a world point (non-finite outside a reprojection's domain). */
  worldToPixel(p: Point): Point {
    return this.mappingValue.toPixel(p)
  }

  /** Its tiles come from a server (a COG by URL, a web map layer), not from the host's decoders. */
  get fetchesFromServer(): boolean {
    return fetchesFromServer(this.infoValue)
  }

  /** Tiles requested and neither received, failed nor cancelled. */
  get pendingCount(): number {
    return this.requester.pendingCount
  }

  /** When a tile the view wants, failed for now (its server), may be asked again: a frame is due then. Null when none waits. */
  get nextRetryAt(): number | null {
    return this.destroyed ? null : this.requester.nextRetryAt()
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

  /**
   * Changes how a 'bands' layer is shown (no-op for 'rgba8' rasters): stretch ranges and colour map
   * apply at the next render through the shader's uniforms; other bands give the tiles new
   * textures, built again from each cached tile's CPU samples when it is next drawn (no tile is
   * asked for again).
   */
  setStretch(change: LayerDisplayChange): void {
    const current = this.displayValue
    if (!current || this.destroyed) return
    const next = applyDisplayChange(current, change, tileBandCount(this.infoValue))
    this.displayValue = next
    const bandsChanged = next.bands !== current.bands
    // Hillshaded tiles carry their neighbours' edges (a bordered texture): turning it on or off builds them again.
    const shadedChanged = isHillshaded(next) !== isHillshaded(current)
    if (bandsChanged || shadedChanged) {
      this.tileDisplayValue = this.tileDisplayOf(next)
      this.sprites.clear() // their meshes sample the textures of the bands shown before
    }
    const range = (b: number): BandRange => next.ranges[b] ?? { min: 0, max: 1 }
    if ((bandsChanged && next.bands.length !== current.bands.length) || shadedChanged) {
      this.shadingValue?.destroy()
      this.shadingValue = this.createShading(next)
    } else if (this.shadingValue instanceof Hillshade && next.hillshade) {
      this.shadingValue.set({ style: next.hillshade, ...range(next.bands[0]), colormap: next.colormap })
    } else if (this.shadingValue instanceof Stretch) {
      this.shadingValue.set({ ...range(next.bands[0]), colormap: next.colormap })
    } else if (this.shadingValue instanceof RgbStretch) {
      const [r, g, b] = next.bands as [number, number, number]
      this.shadingValue.set([range(r), range(g), range(b)])
    }
  }

  /** A paletted raster's classes that are not drawn (unticked in its legend). */
  get hiddenClasses(): ReadonlySet<number> {
    return this.hiddenClassesValue
  }

  /**
   * Hides the classes `hidden` of a paletted raster (their pixels transparent) and shows the others
   * again: every tile's texture is built again from its class values when next drawn (none is asked
   * for again). No-op for any other raster.
   */
  setHiddenClasses(hidden: Iterable<number>): void {
    if (!this.infoValue.palette || this.destroyed) return
    this.hiddenClassesValue = new Set(hidden)
    this.tileDisplayValue = tileDisplay(this.infoValue, [0], this.hiddenClassesValue)
    this.sprites.clear() // their sprites show the textures of the classes shown before
  }

  /**
   * Runs one frame for the camera's `worldView`: plans in the layer's own pixels (its level from its
   * own pixels per screen pixel), cancels what is obsolete, requests what is missing, draws the cover.
   * `covered`: an opaque layer above hides all of the view (`occlusion.ts`): like a hidden layer, it
   * asks for nothing and withdraws what it asked for until it shows again.
   */
  update(worldView: ViewState, worldMotion: Motion = { zooming: false, lead: { x: 0, y: 0 }, zoomLead: 1, maxNewRequests: Infinity }, covered = false): LayerFrame {
    if (this.destroyed) return { complete: true, level: 0, changed: false }
    this.worldZoom = worldView.zoom
    const view = layerView(worldView, this.mappingValue)
    const center = { x: worldView.centerX, y: worldView.centerY }
    const motion = { ...worldMotion, lead: layerDisplacement(worldMotion.lead, this.mappingValue, center) }
    if (!this.visibleValue || covered) {
      this.requester.withdrawAll()
      return { complete: true, level: 0, changed: false }
    }
    if (!this.requester.served) {
      // Nothing to ask anyone for: keep showing what is cached until the raster is served again.
      const cover = coverTiles(this.visibleNow(view), this.infoValue, (_key, tile) => this.deps.cache.has(this.fullKey(tile)))
      return { complete: false, level: 0, changed: this.sprites.draw(cover.tiles, view.zoom) }
    }
    const plan = planTiles(
      view,
      this.infoValue,
      { isLoaded: (_key, tile) => this.isFresh(tile), isInFlight: (k) => this.requester.isOutstanding(k) },
      // How the layer's source (a file, a server) shapes the plan: hole parents, the level picked,
      // what a moving camera's guess may put on its way.
      {
        ...motion,
        maxNewRequests: motionRequestRoom(motion, fetchesFromServer(this.infoValue), this.requester.pendingCount),
        ...sourcePlanning(this.infoValue, this.deps.latency.ms)
      }
    )
    this.requester.plan(plan.keep, [...plan.high, ...plan.normal, ...plan.low])
    const cover = coverTiles(plan.visible, this.infoValue, (_key, tile) => this.deps.cache.has(this.fullKey(tile)))
    const changed = this.sprites.draw(cover.tiles, view.zoom)
    return { complete: cover.complete && plan.visible.every((t) => this.isFresh(t)), level: plan.level, changed }
  }

  /**
   * Takes a tile that arrived for this raster. Returns false when it is no longer wanted
   * (withdrawn while it was on its way): kept in the cache if still of the raster as it is now and
   * not held already, else counted wasted.
   */
  receive(message: TileMessage): boolean {
    const { level, col, row } = message.header
    const key = coordKey({ level, col, row })
    const arrival = this.requester.arrived(key)
    if (this.destroyed) return false
    if (!arrival.wanted) {
      if (arrival.keep && !this.deps.cache.has(this.fullKey({ level, col, row }))) this.store(key, message, arrival.generation)
      return false
    }
    this.sprites.removeSprite(key)
    return this.store(key, message, arrival.generation)
  }

  /** Caches a received tile, stamped with the generation it was asked in. False if it does not match the raster. */
  private store(key: string, message: TileMessage, generation: number): boolean {
    const { level, col, row } = message.header
    const fullKey = this.fullKey({ level, col, row })
    const pinned = pinnedLevels(this.infoValue).includes(level)
    let tile: TileTexture
    try {
      tile = createTileTexture(message, this.tileDisplayValue)
    } catch (error) {
      // A tile that does not match its raster's description (channels, bands): failed, not asked for again.
      this.requester.unusable(key)
      console.error(`Tile ${fullKey} does not match its raster: ${messageOf(error)}`)
      return false
    }
    // Stamped with the generation it was asked in: one asked before the raster changed is stale (shown, asked again).
    const value: CachedTile = { rasterId: this.rasterId, coord: { level, col, row }, tile, generation, displayed: false }
    this.deps.cache.set(fullKey, value, tile.bytes, { pinned })
    return true
  }

  /** Records a tile the service could not load (see `TileRequester.failed`). */
  tileFailed(key: string, code?: ErrorCode): void {
    // `key` is the tile's `tileKey`; a key of this raster's own pyramid (its `coordKey`) is taken as it is.
    const address = parseTileKey(key)
    this.requester.failed(address?.rasterId === this.rasterId ? coordKey(address) : key, code)
  }

  /**
   * The connection was lost: what is in flight died with it, and the next connection does not know
   * this raster until the host announces it again (`resume`). Asking before would be refused.
   */
  suspend(): void {
    this.requester.suspend()
  }

  /** The raster is served again (announced on the new connection): ask for what the view needs. */
  resume(): void {
    this.requester.resume()
  }

  /**
   * Replaces the raster's description (a pyramid finished building). Tiles already received stay
   * on screen as placeholders but are asked for again; a changed pyramid drops them.
   */
  updateInfo(raw: RasterInfo): void {
    const old = this.infoValue
    const info = withContractDefaults(raw)
    this.infoValue = info
    this.requester.nextGeneration()
    const sameShape =
      old.tileSize === info.tileSize &&
      old.levels.length === info.levels.length &&
      old.levels.every((l, i) => l.width === info.levels[i]!.width && l.height === info.levels[i]!.height)
    if (!sameShape) {
      this.sprites.clear()
      this.deps.cache.deleteWhere((e) => e.value.rasterId === this.rasterId)
    }
    // Tiles of another kind or layout (or another no-data): the tiles received mean something else
    // now, and the display starts again from the raster's defaults.
    if (
      old.tileKind !== info.tileKind ||
      old.tileMask !== info.tileMask ||
      old.tileChannels !== info.tileChannels ||
      !Object.is(old.noData, info.noData) || // a NaN no-data is the same NaN
      old.bands !== info.bands
    ) {
      this.sprites.clear()
      this.deps.cache.deleteWhere((e) => e.value.rasterId === this.rasterId)
      this.resetDisplay()
    }
  }

  /**
   * The raster's whole-raster statistics came (`info-update`): its info takes them, and every band
   * whose range the person has not set follows them (`finalStatistics.ts`). No tile is asked again.
   */
  updateStatistics(update: FinalStatistics): void {
    const before = this.infoValue
    this.infoValue = withFinalStatistics(before, update)
    const ranges = this.displayValue ? rangesFollowingStatistics(this.displayValue, before, this.infoValue) : null
    if (ranges) this.setStretch({ ranges })
  }

  /**
   * The file's original value(s) at full-resolution pixel (x, y), one per band of the file (null:
   * no data there), read from the finest tile drawn there; null outside the raster or where nothing
   * is loaded.
   */
  valueAt(x: number, y: number): { values: Array<number | null>; level: number } | null {
    const info = this.infoValue
    if (x < 0 || y < 0 || x >= info.width || y >= info.height) return null
    const drawn = this.sprites.drawnFinestFirst()
    for (const coord of drawn) {
      const scale = levelScaleXY(info, coord.level)
      const lx = x / scale.x - coord.col * info.tileSize
      const ly = y / scale.y - coord.row * info.tileSize
      const entry = this.deps.cache.peek(this.fullKey(coord))
      const values = entry ? tileValueAt(entry.value.tile, info, lx, ly) : null
      if (values) return { values, level: coord.level }
    }
    return null
  }

  /** Cancels everything in flight, releases every tile and texture of the layer. Idempotent. */
  destroy(): void {
    if (this.destroyed) return
    this.requester.close()
    this.destroyed = true
    this.sprites.clear()
    this.deps.cache.deleteWhere((e) => e.value.rasterId === this.rasterId)
    this.container.destroy({ children: true })
    this.shadingValue?.destroy()
    this.shadingValue = null
  }

  /** How tiles become textures for `display`: bordered by their neighbours' edges when hillshaded. */
  private tileDisplayOf(display: LayerDisplay): TileDisplay {
    const plain = tileDisplay(this.infoValue, display.bands)
    return plain.kind === 'bands' && isHillshaded(display) ? { ...plain, border: true } : plain
  }

  private visibleNow(view: ViewState): TileCoord[] {
    return planTiles(view, this.infoValue, { isLoaded: () => true, isInFlight: () => false }, sourcePlanning(this.infoValue, this.deps.latency.ms)).visible
  }

  private isFresh(tile: TileCoord): boolean {
    const entry = this.deps.cache.peek(this.fullKey(tile))
    return entry !== undefined && entry.value.generation === this.requester.generation
  }

  /** The tile's key in the texture cache, which all layers share. */
  private fullKey(tile: TileCoord): string {
    return tileKey({ rasterId: this.rasterId, level: tile.level, col: tile.col, row: tile.row })
  }
}

/** One band shown with a hillshade style. */
function isHillshaded(display: LayerDisplay): boolean {
  return display.hillshade !== undefined && display.bands.length === 1
}
