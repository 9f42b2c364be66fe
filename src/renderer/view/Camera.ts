/**
 * The camera: a pixi-viewport over the world (map units, or pixels when nothing is georeferenced;
 * see src/shared/geo/affine.ts), with drag (inertia), wheel zoom at the cursor, pinch, double-click,
 * keys, and zoom clamped between "everything smaller than the window" and 32 screen pixels per pixel
 * of the finest layer. It reports every change through `onChange`, which the viewer coalesces to
 * one frame.
 */
import type { EventSystem, Ticker } from 'pixi.js'
import { Viewport } from 'pixi-viewport'
import type { ViewState } from './TileScheduler'

/** Highest zoom: screen pixels per pixel of the finest layer. */
export const MAX_ZOOM = 32
/** Lowest zoom, as a fraction of the zoom that fits the image in the window. */
export const MIN_ZOOM_OF_FIT = 0.25
/** Share of the window the image fills when fitted. */
const FIT_MARGIN = 0.95

/** A rectangle of the world: left, top, width, height. */
export interface Extent {
  x: number
  y: number
  width: number
  height: number
}

export interface CameraOptions {
  events: EventSystem
  ticker: Ticker
  /** Element receiving keys and double-clicks (the one holding the canvas). */
  element: HTMLElement
  width: number
  height: number
  onChange: () => void
  /**
   * The camera was placed (`setView`: a jump, the navigator, a key, a fit), not moved by a drag,
   * wheel or animation (those come with the frames). Called after `onChange`.
   */
  onPlaced?: () => void
}

export class Camera {
  readonly viewport: Viewport
  private world: Extent = { x: 0, y: 0, width: 1, height: 1 }
  /** World units per pixel of the finest layer: zoom 1/unitsPerPixel is 1:1. */
  private unitsPerPixelValue = 1
  private readonly onChange: () => void
  private readonly onPlaced: () => void
  private readonly listeners: Array<() => void> = []

  constructor(options: CameraOptions) {
    this.onChange = options.onChange
    this.onPlaced = options.onPlaced ?? (() => {})
    this.viewport = new Viewport({
      screenWidth: options.width,
      screenHeight: options.height,
      worldWidth: 1,
      worldHeight: 1,
      events: options.events,
      ticker: options.ticker,
      passiveWheel: false,
      disableOnContextMenu: true
    })
    this.viewport.drag().pinch().wheel({ smooth: false, percent: 0.15 }).decelerate({ friction: 0.92 })
    this.viewport.on('moved', this.onChange)
    this.viewport.on('zoomed', this.onChange)
    this.applyZoomLimits()
    this.listen(options.element, 'dblclick', (e) => this.zoomAtScreen(2, e.offsetX, e.offsetY, true))
    this.listen(window, 'keydown', (e) => this.onKey(e))
  }

  /** The current view in world units (zoom: screen pixels per world unit). */
  get view(): ViewState {
    const center = this.viewport.center
    return {
      centerX: center.x,
      centerY: center.y,
      zoom: this.viewport.scale.x,
      width: this.viewport.screenWidth,
      height: this.viewport.screenHeight
    }
  }

  /** Zoom that fits the whole world in the window. */
  get fitZoom(): number {
    return (Math.min(this.viewport.screenWidth / this.world.width, this.viewport.screenHeight / this.world.height) * FIT_MARGIN)
  }

  /** World units per pixel of the finest layer (zoom 1 / this is 1:1). */
  get unitsPerPixel(): number {
    return this.unitsPerPixelValue
  }

  /**
   * Sets the extent of what is shown (every layer), the size of the finest layer's pixels in world
   * units, and the zoom limits that follow from them.
   */
  setWorld(extent: Extent, unitsPerPixel = 1): void {
    this.unitsPerPixelValue = unitsPerPixel > 0 && Number.isFinite(unitsPerPixel) ? unitsPerPixel : 1
    const tiny = this.unitsPerPixelValue
    this.world = { x: extent.x, y: extent.y, width: Math.max(tiny, extent.width), height: Math.max(tiny, extent.height) }
    this.viewport.worldWidth = this.world.width
    this.viewport.worldHeight = this.world.height
    this.applyZoomLimits()
  }

  /** Shows the whole world, centred. */
  fit(): void {
    this.fitExtent(this.world)
  }

  /** Shows a rectangle of the world, whole and centred (with the same margin as `fit`). */
  fitExtent(extent: Extent): void {
    const width = Math.max(this.unitsPerPixelValue, extent.width)
    const height = Math.max(this.unitsPerPixelValue, extent.height)
    const zoom = Math.min(this.viewport.screenWidth / width, this.viewport.screenHeight / height) * FIT_MARGIN
    this.setView({ centerX: extent.x + extent.width / 2, centerY: extent.y + extent.height / 2, zoom })
  }

  /** Places the camera: centre in world units, zoom in screen pixels per world unit (clamped). */
  setView(view: { centerX: number; centerY: number; zoom: number }): void {
    this.viewport.plugins.remove('animate')
    this.viewport.plugins.get('decelerate')?.reset()
    this.viewport.setZoom(this.clampZoom(view.zoom))
    this.viewport.moveCenter(view.centerX, view.centerY)
    this.onChange()
    this.onPlaced()
  }

  /** Zooms by `factor` keeping the world point under screen point (x, y) in place. */
  zoomAtScreen(factor: number, x: number, y: number, animate = false): void {
    const before = this.viewport.toWorld(x, y)
    const { centerX, centerY, zoom } = this.view
    const next = this.clampZoom(zoom * factor)
    const k = zoom / next
    const center = { x: before.x + (centerX - before.x) * k, y: before.y + (centerY - before.y) * k }
    if (animate) {
      this.viewport.animate({ scale: next, position: center, time: 180, ease: 'easeInOutSine', removeOnInterrupt: true })
      this.onChange()
    } else {
      this.setView({ centerX: center.x, centerY: center.y, zoom: next })
    }
  }

  /** Resizes the screen keeping the same world point at the centre. */
  resize(width: number, height: number): void {
    const { centerX, centerY } = this.view
    this.viewport.resize(width, height, this.world.width, this.world.height)
    this.applyZoomLimits()
    this.viewport.moveCenter(centerX, centerY)
    this.onChange()
  }

  /** World point under a screen point of the canvas. */
  toWorld(x: number, y: number): { x: number; y: number } {
    const p = this.viewport.toWorld(x, y)
    return { x: p.x, y: p.y }
  }

  destroy(): void {
    for (const remove of this.listeners.splice(0)) remove()
    this.viewport.off('moved', this.onChange)
    this.viewport.off('zoomed', this.onChange)
  }

  private clampZoom(zoom: number): number {
    return Math.min(this.maxZoom, Math.max(this.fitZoom * MIN_ZOOM_OF_FIT, zoom))
  }

  private applyZoomLimits(): void {
    this.viewport.plugins.remove('clamp-zoom')
    this.viewport.clampZoom({ minScale: Math.min(1 / this.unitsPerPixelValue, this.fitZoom * MIN_ZOOM_OF_FIT), maxScale: this.maxZoom })
  }

  /** MAX_ZOOM screen pixels per pixel of the finest layer. */
  private get maxZoom(): number {
    return MAX_ZOOM / this.unitsPerPixelValue
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null
    if (target && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) return
    if (event.ctrlKey || event.metaKey || event.altKey) return
    const { width, height, zoom, centerX, centerY } = this.view
    const step = Math.min(width, height) * 0.15 / zoom
    const actions: Record<string, () => void> = {
      '+': () => this.zoomAtScreen(2, width / 2, height / 2, true),
      '=': () => this.zoomAtScreen(2, width / 2, height / 2, true),
      '-': () => this.zoomAtScreen(0.5, width / 2, height / 2, true),
      _: () => this.zoomAtScreen(0.5, width / 2, height / 2, true),
      '0': () => this.fit(),
      '1': () => this.setView({ centerX, centerY, zoom: 1 / this.unitsPerPixelValue }),
      ArrowLeft: () => this.setView({ centerX: centerX - step, centerY, zoom }),
      ArrowRight: () => this.setView({ centerX: centerX + step, centerY, zoom }),
      ArrowUp: () => this.setView({ centerX, centerY: centerY - step, zoom }),
      ArrowDown: () => this.setView({ centerX, centerY: centerY + step, zoom })
    }
    const action = actions[event.key]
    if (!action) return
    event.preventDefault()
    action()
  }

  private listen<K extends keyof HTMLElementEventMap>(target: HTMLElement | Window, type: K, handler: (e: HTMLElementEventMap[K]) => void): void {
    const listener = handler as EventListener
    target.addEventListener(type, listener)
    this.listeners.push(() => target.removeEventListener(type, listener))
  }
}
