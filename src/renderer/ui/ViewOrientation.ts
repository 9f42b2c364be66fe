/**
 * Turns and mirrors the view on screen (r, Shift+R, h): owns the element that holds the viewer's
 * canvas, lays it out with the camera's screen size and turns it by CSS (see
 * view/screenOrientation.ts), and maps pointer positions back into the camera's screen for Pixi's
 * events (drag, wheel, pinch) and for the readout.
 */
import type { Application } from 'pixi.js'
import { canvasBox, canvasTransform, flipOrientation, rotateOrientation, stageToCanvas, UPRIGHT, type Orientation } from '../view/screenOrientation'
import { element } from './format'

export class ViewOrientation {
  /** The element to build the viewer in: the camera's screen. */
  readonly canvasHost: HTMLElement
  private orientation: Orientation = UPRIGHT
  /** Screen pixels per pixel of the canvas: above 1 while a view is rendered larger than shown (export). */
  private scale = 1
  private readonly observer: ResizeObserver
  private readonly listeners = new Set<(o: Orientation) => void>()

  constructor(private readonly stage: HTMLElement) {
    this.canvasHost = element('div', 'canvas-host', undefined, { 'data-testid': 'canvas-host' })
    stage.prepend(this.canvasHost)
    this.layout()
    this.observer = new ResizeObserver(() => this.layout())
    this.observer.observe(stage)
  }

  get current(): Orientation {
    return this.orientation
  }

  /** Makes Pixi read pointer positions through the turn: events land where they are seen. */
  attach(app: Application): void {
    app.renderer.events.mapPositionToPoint = (point, x, y) => {
      const p = this.clientToCanvas(x, y)
      point.x = p.x
      point.y = p.y
    }
  }

  /** Turns the view by quarter turns (positive: clockwise). */
  rotate(turns: number): void {
    this.set(rotateOrientation(this.orientation, turns))
  }

  /** Mirrors the view left to right. */
  flip(): void {
    this.set(flipOrientation(this.orientation))
  }

  set(orientation: Orientation): void {
    this.orientation = orientation
    this.layout()
    for (const listener of this.listeners) listener(orientation)
  }

  onChange(listener: (o: Orientation) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Lays the canvas out `scale` times larger and shows it shrunk by as much: the window looks the
   * same while the camera plans and draws `scale`² times the pixels (a view saved at a chosen
   * resolution). 1 restores it.
   */
  setRenderScale(scale: number): void {
    this.scale = scale > 0 && Number.isFinite(scale) ? scale : 1
    this.layout()
  }

  /** The camera's screen point under a client (window) point. */
  clientToCanvas(clientX: number, clientY: number): { x: number; y: number } {
    const rect = this.stage.getBoundingClientRect()
    const p = stageToCanvas(this.orientation, { width: rect.width, height: rect.height }, { x: clientX - rect.left, y: clientY - rect.top })
    return { x: p.x * this.scale, y: p.y * this.scale }
  }

  destroy(): void {
    this.observer.disconnect()
  }

  private layout(): void {
    const box = canvasBox(this.orientation, this.stage.clientWidth, this.stage.clientHeight)
    const k = this.scale
    const style = this.canvasHost.style
    style.width = `${box.width * k}px`
    style.height = `${box.height * k}px`
    // Centred on the same point as the canvas it stands for, then shrunk back about its centre.
    style.left = `${box.left - (box.width * (k - 1)) / 2}px`
    style.top = `${box.top - (box.height * (k - 1)) / 2}px`
    const turn = canvasTransform(this.orientation)
    style.transform = k === 1 ? turn : `scale(${1 / k})${turn === 'none' ? '' : ` ${turn}`}`
    this.canvasHost.dataset.rotation = String(this.orientation.quarterTurns * 90)
    this.canvasHost.dataset.flipped = String(this.orientation.flipped)
  }
}
