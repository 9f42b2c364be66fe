/**
 * The viewer: a Pixi application, its camera and its tile layers. Every change (camera, tile
 * arrival, layer edit) only marks the view dirty; the work is done at most once per animation
 * frame: each layer plans, requests and draws, then the frame is rendered once. Nothing is
 * rendered while nothing changes. The viewer holds the frame (layers, camera, each frame's plan and
 * render, probe); what lies around it has a module of its own: the dropped files' first pictures
 * (`Previews.ts`), the checkerboards under the layers (`Backdrops.ts`) and the view's CRS with each
 * layer's placement in it (`map/Placements.ts`).
 */
import type { FinalStatistics } from './finalStatistics'
import { Application, Container, RenderTexture, Sprite, Texture, Ticker } from 'pixi.js'
import type { OpenedRaster, TileMessage } from '../../shared/protocol'
import type { CrsInfo, Georeference, RasterInfo } from '../../shared/raster'
import type { ErrorCode } from '../../shared/errors'
import { Camera } from './Camera'
import { TextureCache } from './TextureCache'
import { TileLayer } from './TileLayer'
import { graphicsInfoOf, type GraphicsInfo } from './graphicsInfo'
import type { TileCounters, TileTransport } from './TileRequester'
import type { CachedTile } from './tileTextures'
import { CameraMotion, TileLatency, frameOutcome, frameRender } from './CameraMotion'
import { viewOutline, type ViewState } from './TileScheduler'
import { affineOutline, coveredLayers } from './occlusion'
import { unitsPerPixel, type Point } from '../../shared/geo/affine'
import { layersExtent } from './map/extent'
import { crsChoices, type CrsChoice, type LayerPlacement, type ViewCrs } from './map/placement'
import { Placements, viewAcrossCrs } from './map/Placements'
import { screenToWorld } from './layerView'
import { Previews } from './Previews'
import { Backdrops, mayShowThrough } from './Backdrops'
import { inFlightRoom } from './sourcePlanning'

export interface ViewerOptions {
  transport: TileTransport
  /** Byte budget of the texture cache; default 512 MB. */
  budgetBytes?: number
  /**
   * Most tiles in flight (asked for, not arrived) for all layers together; default
   * DEFAULT_MAX_IN_FLIGHT. Infinity sends every request at once (the FIFO baseline).
   */
  maxInFlight?: number
}

/**
 * Enough tiles on their way to keep the decoders busy between two frames, few enough that a tile
 * asked for still matters when it arrives: without a bound, a fling queued seconds of tiles in the
 * socket (measured: a 2 s round trip), all obsolete on arrival. OpenLayers' TileQueue allows 16.
 */
export const DEFAULT_MAX_IN_FLIGHT = 16

/** Counters and state for diagnostics and the status bar. */
export interface ViewerStats extends TileCounters {
  /** Tiles requested, not yet received (nor cancelled, nor failed). */
  pending: number
  textureBytes: number
  /** Smoothed request-to-arrival time of a tile, ms. */
  latencyMs: number
  /** Every visible tile is shown at the level the zoom asks for and nothing is pending. */
  sharp: boolean
  /** First previews of dropped files drawn now (`showPreview`), waiting for their layers' tiles. */
  previews: number
  /** Previews shown since the viewer began. */
  previewsShown: number
}

export class Viewer {
  readonly app: Application
  readonly camera: Camera
  private readonly ticker = new Ticker()
  private readonly cache: TextureCache<CachedTile>
  private readonly counters: TileCounters = { requested: 0, displayed: 0, cancelled: 0, wasted: 0, late: 0 }
  private readonly layerList: TileLayer[] = []
  private readonly backdrops = new Backdrops()
  private readonly placements: Placements
  private readonly layerRoot = new Container()
  private readonly previewRoot = new Container()
  private readonly previews: Previews
  private readonly frameListeners = new Set<() => void>()
  private destroyedValue = false
  private readonly resizeObserver: ResizeObserver
  private dirty = true
  /** A `frameSoon` is queued. */
  private frameQueued = false
  /** Something other than the tiles changed (camera, size, layer settings): render even if no sprite did. */
  private renderNeeded = true
  private sharp = true
  /** Tiles arrived (sprites changed) since the last render. */
  private tilesUnrendered = false
  private renderedAt = -Infinity
  private readonly motion = new CameraMotion()
  private readonly latency = new TileLatency()
  /** The frame a layer waits for: its first tile failed for now is due to be asked again then (`wakeForRetries`). */
  private retryWake: { at: number; timer: ReturnType<typeof setTimeout> } | null = null

  private constructor(
    private readonly host: HTMLElement,
    app: Application,
    private readonly options: ViewerOptions
  ) {
    this.app = app
    this.cache = new TextureCache<CachedTile>({
      budgetBytes: options.budgetBytes,
      onEvict: (entry) => {
        if (!entry.value.displayed) this.counters.wasted++
        entry.value.tile.texture.destroy(true)
      }
    })
    this.camera = new Camera({
      events: app.renderer.events,
      ticker: this.ticker,
      element: host,
      width: host.clientWidth || 1,
      height: host.clientHeight || 1,
      onChange: () => this.requestFrame(),
      // A jump (CameraMotion.placed) is planned at once; other placements (an arrow key, a script's
      // glide) with the frames, whose pace the camera's motion follows.
      onPlaced: () => {
        if (this.motion.placed(this.camera.view)) this.frameSoon()
      }
    })
    this.placements = new Placements({
      // A CRS outside the built-in ones was found in the definitions list: reprojected now.
      definitionsFound: () => {
        this.placeLayers()
        this.requestFrame()
        this.placements.changed()
      }
    })
    this.previews = new Previews({ root: this.previewRoot, layer: (id) => this.layer(id), requestFrame: () => this.requestFrame() })
    this.camera.viewport.addChild(this.backdrops.root, this.layerRoot, this.previewRoot)
    app.stage.addChild(this.camera.viewport)
    this.ticker.add(() => this.frame())
    this.ticker.start()
    this.resizeObserver = new ResizeObserver(() => this.onResize())
    this.resizeObserver.observe(host)
  }

  /** Creates the viewer inside `host` (WebGL; the canvas fills the element). */
  static async create(host: HTMLElement, options: ViewerOptions): Promise<Viewer> {
    const app = new Application()
    await app.init({
      preference: 'webgl',
      background: '#202124',
      antialias: false,
      autoStart: false,
      sharedTicker: false,
      resolution: window.devicePixelRatio || 1,
      autoDensity: true,
      width: host.clientWidth || 1,
      height: host.clientHeight || 1
    })
    app.ticker.stop()
    oneTexturePerBatch(app)
    compileSpriteShader(app)
    host.appendChild(app.canvas)
    return new Viewer(host, app, options)
  }

  /** What draws the view (the WebGL renderer's name; whether it is software). */
  get graphics(): GraphicsInfo {
    const gl = (this.app.renderer as unknown as { gl?: WebGLRenderingContext | WebGL2RenderingContext }).gl
    return gl ? graphicsInfoOf(gl) : { renderer: 'unknown', software: false }
  }

  get layers(): readonly TileLayer[] {
    return this.layerList
  }

  get view(): ViewState {
    return this.camera.view
  }

  layer(rasterId: string): TileLayer | undefined {
    return this.layerList.find((l) => l.rasterId === rasterId)
  }

  /** The CRS of the world: the first georeferenced layer's, until a person picks another (`setViewCrs`). */
  get viewCrs(): ViewCrs {
    return this.placements.viewCrs
  }

  /** The CRSs the view can take: each georeferenced layer's, once. */
  get crsChoices(): CrsChoice[] {
    return crsChoices(this.layerList.map((l) => ({ georeference: this.placements.georeferenceOf(l) })))
  }

  /** A layer's georeferencing as it is placed: its CRS the one a person set, if any, else the file's. */
  georeferenceOf(rasterId: string): Georeference | null {
    const layer = this.layer(rasterId)
    return layer ? this.placements.georeferenceOf(layer) : null
  }

  /**
   * Gives a georeferenced layer the CRS a person set by hand (null: the file's own again), and
   * places every layer again at once (the view's CRS follows when it was that layer's).
   */
  setLayerCrs(rasterId: string, crs: CrsInfo | null): void {
    if (!this.layer(rasterId)?.info.georeference) return
    this.placements.setCrs(rasterId, crs)
    this.placeLayers()
    this.placements.changed()
    this.requestFrame()
  }

  /**
   * Puts the view in CRS `id` (one of `crsChoices`): layers in it are placed by their
   * geotransforms, the others reprojected, and every layer's note follows; the ground point at the
   * centre stays there, at the same ground scale.
   */
  setViewCrs(id: string): void {
    const before = this.viewCrs.id
    if (id === before || !this.crsChoices.some((c) => c.id === id)) return
    const next = viewAcrossCrs(this.camera.view, before, id)
    this.placements.choose(id)
    this.placeLayers()
    if (next) this.camera.setView(next)
    else this.fitLayers()
    this.placements.changed()
    this.requestFrame()
  }

  /** How a layer is placed in the world, and what its info must say about it. */
  placement(rasterId: string): LayerPlacement | undefined {
    return this.placements.placement(rasterId)
  }

  /**
   * Zoom in screen pixels per pixel of the top visible layer, at the view's centre (what "100 %"
   * means: the layer a person looks at, not the finest one, which may be hidden or far finer).
   */
  get pixelZoom(): number {
    const view = this.camera.view
    const top = [...this.layerList].reverse().find((l) => l.visible) ?? this.layerList.at(-1)
    const mapping = top ? this.placement(top.rasterId)?.mapping : undefined
    if (!mapping) return view.zoom * this.camera.unitsPerPixel
    const local = mapping.affine ?? mapping.localAffine(mapping.toPixel({ x: view.centerX, y: view.centerY }))
    const units = unitsPerPixel(local)
    return Number.isFinite(units) && units > 0 ? view.zoom * units : view.zoom * this.camera.unitsPerPixel
  }

  /**
   * What each visible layer holds at a screen point of the canvas, top layer first: the world
   * point, and per layer covering it its pixel and values (null when nothing is loaded there yet).
   */
  probe(screenX: number, screenY: number): { world: Point; layers: LayerProbe[] } {
    const world = screenToWorld(this.camera.view, { x: screenX, y: screenY })
    const layers: LayerProbe[] = []
    for (const layer of [...this.layerList].reverse()) {
      if (!layer.visible) continue
      const pixel = layer.worldToPixel(world)
      const inside = pixel.x >= 0 && pixel.y >= 0 && pixel.x < layer.info.width && pixel.y < layer.info.height
      layers.push({ layer, pixel, inside, value: inside ? layer.valueAt(pixel.x, pixel.y) : null })
    }
    return { world, layers }
  }

  /**
   * Adds a raster on top of the others, or under `below`. `fit` (default: when it is the only
   * layer) fits the camera to it.
   */
  addLayer(opened: OpenedRaster, options: { below?: string | null; fit?: boolean } = {}): TileLayer {
    const existing = this.layer(opened.rasterId)
    if (existing) {
      // Announced again (a new connection re-opened it): served again, and described anew if it changed.
      existing.resume()
      if (JSON.stringify(existing.info) !== JSON.stringify(opened.info)) {
        existing.updateInfo(opened.info)
        this.placeLayers() // its georeferencing may have changed with the file
      }
      this.requestFrame()
      return existing
    }
    const layer: TileLayer = new TileLayer(opened, {
      transport: this.options.transport,
      cache: this.cache,
      counters: this.counters,
      latency: this.latency,
      room: (): number => this.roomFor(layer)
    })
    const under = options.below ? this.layerList.findIndex((l) => l.rasterId === options.below) : -1
    const at = under >= 0 ? under : this.layerList.length
    this.layerList.splice(at, 0, layer)
    this.layerRoot.addChildAt(layer.container, at)
    this.backdrops.add(layer.rasterId, opened.info.width, opened.info.height)
    this.placeLayers()
    if (options.fit ?? this.layerList.length === 1) this.fitLayers([layer.rasterId])
    this.requestFrame()
    return layer
  }

  /** Fits the camera to the layers named (all of them when none is): every one whole in the window. */
  fitLayers(rasterIds?: readonly string[]): void {
    const layers = rasterIds ? this.layerList.filter((l) => rasterIds.includes(l.rasterId)) : this.layerList
    const extent = layersExtent(layers)
    if (extent) this.camera.fitExtent(extent)
  }

  /** Removes a raster: cancels its loads and destroys its textures. */
  removeLayer(rasterId: string): void {
    const index = this.layerList.findIndex((l) => l.rasterId === rasterId)
    if (index < 0) return
    const [layer] = this.layerList.splice(index, 1)
    layer!.destroy()
    this.backdrops.remove(rasterId)
    this.placements.forget(rasterId)
    this.placeLayers()
    this.requestFrame()
  }

  /** Moves a layer to `index` of the stack (0: the bottom), as a person reorders the list. */
  moveLayer(rasterId: string, index: number): void {
    const from = this.layerList.findIndex((l) => l.rasterId === rasterId)
    const to = Math.max(0, Math.min(this.layerList.length - 1, index))
    if (from < 0 || to === from) return
    const [layer] = this.layerList.splice(from, 1)
    this.layerList.splice(to, 0, layer!)
    this.layerRoot.setChildIndex(layer!.container, to)
    this.placeLayers()
    this.requestFrame()
  }

  /** Shows or hides a layer (and its checkerboard). */
  setLayerVisible(rasterId: string, visible: boolean): void {
    const layer = this.layer(rasterId)
    if (!layer) return
    layer.visible = visible
    this.backdrops.setVisible(rasterId, visible)
    this.requestFrame()
  }

  setLayerOpacity(rasterId: string, opacity: number): void {
    const layer = this.layer(rasterId)
    if (!layer) return
    layer.opacity = opacity
    this.requestFrame()
  }

  /**
   * Shows `bitmap` (a dropped file decoded by the browser, maybe shrunk, or its EXIF thumbnail) over
   * `width` × `height` world units at the world origin, where a picture without georeferencing
   * goes, on top of the layers until `attachPreview` names its layer and that layer draws its first
   * tiles. On an empty view the camera fits it. Shown again for the same `id`, the new picture
   * replaces the old in place.
   */
  showPreview(id: string, bitmap: ImageBitmap, width: number, height: number): void {
    if (this.destroyedValue) {
      bitmap.close()
      return
    }
    if (this.previews.show(id, bitmap, width, height) && this.layerList.length === 0 && this.previews.count === 1) {
      const extent = { x: 0, y: 0, width, height }
      this.camera.setWorld(extent)
      this.camera.fitExtent(extent)
    }
  }

  /** The preview `id` stands for layer `rasterId` now: placed over it, gone once it draws tiles. */
  attachPreview(id: string, rasterId: string): void {
    this.previews.attach(id, rasterId)
  }

  /** Takes a preview away (its layer drew tiles, or its file did not open). */
  removePreview(id: string): void {
    this.previews.remove(id)
  }

  /** Routes a received tile to its layer; tiles of a removed layer count as wasted. */
  receiveTile(tile: TileMessage): void {
    const layer = this.layer(tile.header.rasterId)
    if (!layer) {
      this.counters.wasted++
      this.counters.late++
      return
    }
    // Its first tile is drawn at the next frame, and its preview goes with the same render.
    if (layer.receive(tile)) this.previews.removeFor(layer.rasterId)
    // A tile only needs a render if it changes what is drawn (a margin prefetch does not).
    this.requestFrame({ render: false })
  }

  tileFailed(rasterId: string, key: string, code?: ErrorCode): void {
    this.layer(rasterId)?.tileFailed(key, code)
    this.requestFrame({ render: false })
  }

  /** A raster's whole-raster statistics came: its layer's stretch follows them where the person has not set it. */
  updateStatistics(rasterId: string, update: FinalStatistics): void {
    this.layer(rasterId)?.updateStatistics(update)
    this.requestFrame({ render: true })
  }

  updateInfo(rasterId: string, info: RasterInfo): void {
    this.layer(rasterId)?.updateInfo(info)
    this.placeLayers()
    this.requestFrame()
  }

  /**
   * The connection to the service was lost: requests in flight died with it, and each layer waits
   * until its raster is announced again (`addLayer` with its id) before asking for tiles.
   */
  connectionLost(): void {
    for (const layer of this.layerList) layer.suspend()
    this.requestFrame()
  }

  /** Diagnostics: counters, pending tiles, texture bytes, and whether the view is sharp. */
  stats(): ViewerStats {
    const pending = this.pendingCount()
    return {
      ...this.counters,
      pending,
      textureBytes: this.cache.bytes,
      latencyMs: Math.round(this.latency.ms),
      sharp: this.sharp && pending === 0 && !this.dirty,
      previews: this.previews.count,
      previewsShown: this.previews.shown
    }
  }

  /** Sets the byte budget of the texture cache. */
  setBudget(bytes: number): void {
    this.cache.budgetBytes = bytes
  }

  /** Called when layers are placed anew after CRS definitions arrived (their info notes may change). */
  onPlacementsChanged(listener: () => void): () => void {
    return this.placements.onChanged(listener)
  }

  /** Called after each frame that did work (status bar, readout). */
  onFrame(listener: () => void): () => void {
    this.frameListeners.add(listener)
    return () => this.frameListeners.delete(listener)
  }

  /**
   * Marks the view dirty: the next animation frame plans and renders once. `render: false` (tile
   * arrivals) renders only if the layers' drawn sprites change.
   */
  requestFrame(options: { render?: boolean } = {}): void {
    this.dirty = true
    if (options.render !== false) this.renderNeeded = true
  }

  /**
   * Plans and renders now instead of at the next animation frame (diagnostics: lets a test leave
   * a view within one task, before any tile of it can arrive).
   */
  frameNow(): void {
    this.requestFrame()
    this.frame()
  }

  /**
   * Plans (and renders) at the end of the current task rather than at the next animation frame: a
   * camera placed by a click, a key or a script asks for its tiles at once. The next animation
   * frame waits while the compositor finishes the last one: under a software rasteriser, with tiles
   * arriving, a jump's requests left 40–100 ms after the jump (the web bench's trace). Several
   * placements in one task make one plan.
   */
  private frameSoon(): void {
    if (this.frameQueued) return
    this.frameQueued = true
    queueMicrotask(() => {
      this.frameQueued = false
      if (!this.destroyedValue) this.frame()
    })
  }

  destroy(): void {
    this.destroyedValue = true
    if (this.retryWake) clearTimeout(this.retryWake.timer)
    this.retryWake = null
    this.resizeObserver.disconnect()
    this.ticker.destroy()
    this.camera.destroy()
    for (const layer of this.layerList.splice(0)) layer.destroy()
    this.previews.close()
    this.backdrops.close()
    this.placements.close()
    this.cache.clear()
    this.app.destroy(true, { children: true })
  }

  private frame(): void {
    if (!this.dirty) return
    this.dirty = false
    const view = this.camera.view
    let sharp = true
    const cameraChanged = this.renderNeeded
    this.renderNeeded = false
    const motion = this.motion.update(view, performance.now(), this.latency.ms)
    // Layers an opaque layer above hides from the whole view ask for nothing and are not drawn.
    const covered = coveredLayers(
      this.layerList.map((l) => ({
        visible: l.visible,
        // A masked layer (the swipe, view/Swipe.ts) shows what is under it beside its mask.
        opaque: !mayShowThrough(l) && !l.container.mask,
        polygon: l.mapping.affine ? affineOutline(l.mapping.affine, l.info.width, l.info.height) : null
      })),
      viewOutline(view)
    )
    for (const [i, layer] of this.layerList.entries()) {
      layer.container.renderable = !covered[i]
      const result = layer.update(view, motion, covered[i])
      sharp &&= result.complete
      this.tilesUnrendered ||= result.changed
    }
    // A frame in motion plans for the motion (see planTiles): plan again next frame, so that the
    // frame after the camera rests asks for what it shows even if nothing else happens by then
    // (unless this one is already sharp: a jump to a cached view is sharp the frame it is reached).
    this.wakeForRetries()
    const outcome = frameOutcome({ complete: sharp, pending: this.pendingCount(), unsettled: this.motion.unsettled })
    this.sharp = sharp
    if (outcome.planAgain) this.dirty = true
    // A preview whose layer left, is hidden or is covered would never see that layer's tiles.
    this.previews.prune(this.layerList.map((l, i) => ({ rasterId: l.rasterId, visible: l.visible, covered: covered[i]! })))
    this.backdrops.update(this.layerList, view.zoom)
    const now = performance.now()
    // The frame that completes the view renders at once: only the ones on the way there wait.
    const complete = sharp && this.pendingCount() === 0
    const render = frameRender({ cameraChanged, tilesUnrendered: this.tilesUnrendered, complete, sinceRenderMs: now - this.renderedAt })
    if (render === 'hold') {
      // Shown at the first frame TILE_RENDER_INTERVAL_MS after the last render; its listeners hear of it then.
      this.dirty = true
      return
    }
    if (render === 'render') {
      this.app.render()
      this.renderedAt = now
      this.tilesUnrendered = false
    }
    for (const listener of this.frameListeners) listener()
  }

  /**
   * Plans again when the first tile the layers wait to ask again (its server failed for now) is
   * due: a still view has no other frame then, and its hole would stay after the server is back.
   */
  private wakeForRetries(): void {
    let at: number | null = null
    for (const layer of this.layerList) {
      const next = layer.nextRetryAt
      if (next !== null && (at === null || next < at)) at = next
    }
    if (this.retryWake?.at === at) return
    if (this.retryWake) clearTimeout(this.retryWake.timer)
    this.retryWake = null
    if (at === null) return
    const timer = setTimeout(
      () => {
        this.retryWake = null
        if (!this.destroyedValue) this.requestFrame({ render: false })
      },
      Math.max(0, at - performance.now())
    )
    this.retryWake = { at, timer }
  }

  /** How many more tiles `layer` may put in flight (`inFlightRoom`: files and servers each have their budget). */
  private roomFor(layer: TileLayer): number {
    return inFlightRoom(this.layerList, layer.fetchesFromServer, this.options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT)
  }

  private pendingCount(): number {
    return this.layerList.reduce((n, l) => n + l.pendingCount, 0)
  }

  private onResize(): void {
    const width = Math.max(1, this.host.clientWidth)
    const height = Math.max(1, this.host.clientHeight)
    this.app.renderer.resize(width, height)
    this.camera.resize(width, height)
    this.requestFrame()
  }

  /**
   * Places every layer in the world (the view's CRS may have changed with the layers), its
   * checkerboard with it, and tells the camera the world's extent and finest pixel.
   */
  private placeLayers(): void {
    const placed = this.placements.place(this.layerList)
    this.layerList.forEach((layer, i) => {
      const { mapping } = placed[i]!
      layer.setMapping(mapping)
      this.backdrops.place(layer.rasterId, mapping.affine)
    })
    const extent = layersExtent(this.layerList)
    const finest = Math.min(...this.layerList.map((l) => unitsPerPixel(l.transform)))
    this.camera.setWorld(extent ?? { x: 0, y: 0, width: 1, height: 1 }, Number.isFinite(finest) ? finest : 1)
  }
}

/** What one layer holds under a point (Viewer.probe). */
export interface LayerProbe {
  layer: TileLayer
  /** The layer's full-resolution pixel there (fractional). */
  pixel: Point
  /** The point is within the layer's raster. */
  inside: boolean
  /** Its values there (read from the finest tile drawn); null outside or where nothing is loaded. */
  value: { values: Array<number | null>; level: number } | null
}

/**
 * Makes Pixi's batcher sample one texture per draw call. Its default batch shader picks among up
 * to 16–32 textures with a chain of `if`s per fragment; a software rasteriser (SwiftShader, and
 * Chromium without GPU) evaluates the whole chain for every pixel, which made each full-window
 * frame cost ~85 ms per layer of sprites instead of ~20 ms. A view holds a few dozen tiles, so one
 * draw call per tile costs nothing on a GPU. Reapplied when the context is restored (the limits
 * system recomputes the value on every context change).
 */
function oneTexturePerBatch(app: Application): void {
  const apply = (): void => {
    app.renderer.limits.maxBatchableTextures = 1
  }
  apply()
  app.renderer.runners.contextChange.add({ contextChange: apply })
}

/**
 * Draws a sprite once, off screen, so that the first frame showing a picture (a dropped file's
 * preview, the first tiles) does not also compile the sprite shader and set up the GL state: with
 * WebGL in software (SwiftShader) that frame took 50-195 ms instead of 16-23.
 */
function compileSpriteShader(app: Application): void {
  const target = RenderTexture.create({ width: 1, height: 1 })
  const sprite = new Sprite(Texture.WHITE)
  app.renderer.render({ container: sprite, target })
  sprite.destroy()
  target.destroy(true)
}
