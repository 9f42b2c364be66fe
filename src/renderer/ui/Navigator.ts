/**
 * The navigator: a small overview of the content with the view's rectangle on it (click or drag
 * there to move the view), and the view buttons beside it: fit, 1:1, zoom in, zoom out, rotate,
 * flip, full screen. The overview is a picture of the view taken when the whole content was on
 * screen and sharp (taken again when layers change, or when the content's extent does: the view's
 * CRS changed, or a layer was placed anew); before there is one, the layers' outlines.
 */
import type { Extent } from '../view/Camera'
import { contains, fromOverview, overviewFrame, pictureFate, toOverview, viewExtent, type OverviewFrame } from '../view/navigatorMath'
import { canvasTransform, stageToCanvas, type Orientation } from '../view/screenOrientation'
import { element } from './format'

export interface NavigatorView {
  centerX: number
  centerY: number
  zoom: number
  width: number
  height: number
}

export interface NavigatorHost {
  /** What the overview shows (the visible layers' extent), null when nothing is open. */
  content(): Extent | null
  /** Each visible layer's extent, for the outline drawn before a picture is taken. */
  outlines(): Extent[]
  view(): NavigatorView
  /** True when every visible tile is drawn at the level the zoom asks for. */
  sharp(): boolean
  /** Renders the view now and returns its canvas (to be read in the same task). */
  renderedCanvas(): HTMLCanvasElement
  centerOn(x: number, y: number): void
  fit(): void
  actualPixels(): void
  zoomBy(factor: number): void
  rotate(turns: number): void
  flip(): void
  fullscreen(): void
}

const WIDTH = 236
const HEIGHT = 150

export class Navigator {
  readonly root: HTMLElement
  private readonly canvas: HTMLCanvasElement
  private readonly context: CanvasRenderingContext2D
  /** The picture, the world rectangle it shows, and the content's extent when it was taken. */
  private picture: { image: HTMLCanvasElement; world: Extent; content: Extent } | null = null
  private pictureStale = true
  private orientation: Orientation = { quarterTurns: 0, flipped: false }
  private frame: OverviewFrame | null = null
  private dragging = false
  private lastDrawn = ''
  /** The overview's size in CSS pixels, before it is turned with the view (height and width swapped for a quarter turn). */
  private width = WIDTH
  private height = HEIGHT

  constructor(
    parent: HTMLElement,
    private readonly host: NavigatorHost
  ) {
    this.root = element('section', 'navigator', undefined, { 'data-testid': 'navigator', 'aria-label': 'Navigator' })
    const box = element('div', 'navigator-box')
    this.canvas = element('canvas', 'navigator-canvas', undefined, { 'data-testid': 'navigator-canvas', title: 'Click or drag to move the view' })
    this.context = this.canvas.getContext('2d')!
    this.size(WIDTH, HEIGHT)
    box.append(this.canvas)
    const buttons = element('div', 'view-buttons')
    const button = (label: string, title: string, testId: string, run: () => void): void => {
      const b = element('button', 'view-button', label, { type: 'button', title, 'aria-label': title, 'data-testid': testId })
      b.addEventListener('click', run)
      buttons.append(b)
    }
    button('⤢', 'Fit (0)', 'view-fit', () => host.fit())
    button('1:1', 'Actual pixels (1)', 'view-actual', () => host.actualPixels())
    button('+', 'Zoom in (+)', 'view-zoom-in', () => host.zoomBy(2))
    button('−', 'Zoom out (−)', 'view-zoom-out', () => host.zoomBy(0.5))
    button('⟳', 'Rotate clockwise (r)', 'view-rotate', () => host.rotate(1))
    button('⟲', 'Rotate counter-clockwise (Shift+R)', 'view-rotate-back', () => host.rotate(-1))
    button('⇋', 'Flip (h)', 'view-flip', () => host.flip())
    button('⊞', 'Full screen (f)', 'view-fullscreen', () => host.fullscreen())
    this.root.append(element('h2', 'panel-title', 'Navigator'), box, buttons)
    parent.append(this.root)

    this.canvas.addEventListener('pointerdown', (e) => {
      this.dragging = true
      this.canvas.setPointerCapture(e.pointerId)
      this.moveTo(e)
    })
    this.canvas.addEventListener('pointermove', (e) => {
      if (this.dragging) this.moveTo(e)
    })
    const stop = (): void => {
      this.dragging = false
    }
    this.canvas.addEventListener('pointerup', stop)
    this.canvas.addEventListener('pointercancel', stop)
  }

  /** The content changed (layers, visibility, display): the picture is taken again when it can be. */
  invalidate(): void {
    this.pictureStale = true
    this.lastDrawn = ''
  }

  /** Turns the overview with the view (drawn with its sides swapped for a quarter turn, so that it fits its box once turned). */
  setOrientation(orientation: Orientation): void {
    this.orientation = orientation
    const swap = orientation.quarterTurns % 2 === 1
    this.size(swap ? HEIGHT : WIDTH, swap ? WIDTH : HEIGHT)
    this.canvas.style.transform = canvasTransform(orientation)
    this.lastDrawn = ''
  }

  private size(width: number, height: number): void {
    const ratio = window.devicePixelRatio || 1
    this.width = width
    this.height = height
    this.canvas.width = Math.round(width * ratio)
    this.canvas.height = Math.round(height * ratio)
    this.canvas.style.width = `${width}px`
    this.canvas.style.height = `${height}px`
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0)
  }

  /** After each frame of the viewer: takes the picture if due, and redraws when something moved. */
  update(): void {
    const content = this.host.content()
    if (!content) {
      this.picture = null
      this.frame = null
      this.root.dataset.empty = 'true'
      if (this.lastDrawn !== 'empty') this.context.clearRect(0, 0, this.width, this.height)
      this.lastDrawn = 'empty'
      return
    }
    delete this.root.dataset.empty
    this.judgePicture(content)
    const view = this.host.view()
    const shown = viewExtent(view)
    if (this.pictureStale && contains(shown, content) && this.host.sharp()) this.takePicture(shown, content)
    const key = JSON.stringify([content, shown, this.picture?.world ?? null])
    if (key === this.lastDrawn) return
    this.lastDrawn = key
    this.draw(content, shown)
  }

  /**
   * A picture of other content is taken again. Nothing else says when the world itself changes
   * (the view's CRS): a picture kept with its old world rectangle was drawn off the new content,
   * leaving the overview blank, and never taken again. One that lies off the content is dropped.
   */
  private judgePicture(content: Extent): void {
    if (!this.picture) return
    const fate = pictureFate(this.picture.content, content)
    if (fate === 'keep') return
    this.pictureStale = true
    if (fate === 'drop') {
      this.picture = null
      delete this.root.dataset.picture
    }
  }

  private takePicture(world: Extent, content: Extent): void {
    const source = this.host.renderedCanvas()
    const ratio = window.devicePixelRatio || 1
    const scale = Math.min(1, (Math.max(WIDTH, HEIGHT) * ratio * 2) / Math.max(1, source.width))
    const image = document.createElement('canvas')
    image.width = Math.max(1, Math.round(source.width * scale))
    image.height = Math.max(1, Math.round(source.height * scale))
    image.getContext('2d')!.drawImage(source, 0, 0, image.width, image.height)
    this.picture = { image, world, content }
    this.pictureStale = false
    this.root.dataset.picture = 'true'
  }

  private draw(content: Extent, shown: Extent): void {
    const ctx = this.context
    const frame = overviewFrame(content, this.width, this.height)
    this.frame = frame
    ctx.clearRect(0, 0, this.width, this.height)
    ctx.save()
    const area = toOverview(frame, content)
    ctx.beginPath()
    ctx.rect(area.x, area.y, area.width, area.height)
    ctx.clip()
    if (this.picture) {
      const at = toOverview(frame, this.picture.world)
      ctx.drawImage(this.picture.image, at.x, at.y, at.width, at.height)
    } else {
      ctx.fillStyle = 'rgba(128, 128, 128, 0.35)'
      for (const outline of this.host.outlines()) {
        const r = toOverview(frame, outline)
        ctx.fillRect(r.x, r.y, r.width, r.height)
      }
    }
    ctx.restore()
    const r = toOverview(frame, shown)
    // The view's rectangle, kept inside the overview so that it can always be seen and grabbed.
    const x0 = Math.max(1, r.x)
    const y0 = Math.max(1, r.y)
    const x1 = Math.min(this.width - 1, r.x + r.width)
    const y1 = Math.min(this.height - 1, r.y + r.height)
    ctx.lineWidth = 2
    ctx.strokeStyle = '#ff3b30'
    if (x1 > x0 && y1 > y0) ctx.strokeRect(x0, y0, x1 - x0, y1 - y0)
    this.canvas.dataset.view = [r.x, r.y, r.width, r.height].map((v) => v.toFixed(1)).join(',')
  }

  private moveTo(event: PointerEvent): void {
    if (!this.frame) return
    const rect = this.canvas.getBoundingClientRect()
    const local = stageToCanvas(this.orientation, { width: rect.width, height: rect.height }, { x: event.clientX - rect.left, y: event.clientY - rect.top })
    const world = fromOverview(this.frame, local)
    this.host.centerOn(world.x, world.y)
  }
}
