/**
 * What a person asks of the view by key, button or menu: fit, 1:1, zoom and pan steps, full
 * screen, saving the view as a PNG and copying the readout under the cursor. Each command moves
 * the camera or reads the canvas; none plans or draws by itself.
 */
import { messageOf } from '../../shared/errors'
import { worldToMap } from '../../shared/geo/affine'
import { isKnownCrs, metresPerUnit } from '../view/map/crs'
import { fitTargets } from '../view/map/extent'
import { scaleBar, type ScaleBar } from '../view/map/scaleBar'
import { stageToCanvas, type Orientation } from '../view/screenOrientation'
import type { ViewState } from '../view/TileScheduler'
import type { Viewer } from '../view/Viewer'
import { attributionsOf } from './Attribution'
import { stampAttribution } from './attributionStamp'
import { copyText, downloadPng, orientedCopy, readoutText } from './exportView'
import { downloadText, georeferenceSideCars, type SideCar } from './georeferencedExport'
import { readoutTsv } from './readoutTable'
import type { Readout } from './StatusBar'
import { classAt } from '../view/paletteClasses'
import type { ViewOrientation } from './ViewOrientation'

/** Share of the window's smaller side an arrow key pans. */
export const PAN_STEP = 0.15

export interface ViewCommandDeps {
  viewer: Viewer
  orientation: ViewOrientation
  /** The element the view fills (its box turns pan directions into the camera's). */
  stage: HTMLElement
  messages: { show(title: string, message: string): void }
  toast(text: string): void
  /** The scale chosen for a saved PNG (1, 2 or 4). */
  exportScale(): number
  /** The pointer's point in the camera's screen, or null when it is off the picture. */
  pointer(): { x: number; y: number } | null
}

export class ViewCommands {
  private exporting = false

  constructor(private readonly deps: ViewCommandDeps) {}

  /** Fits the view to the layers shown (see `fitTargets`). */
  fit(): void {
    const targets = fitTargets(this.deps.viewer.layers)
    this.deps.viewer.fitLayers(targets.length > 0 ? targets : undefined)
  }

  /** Zooms by `factor` about the window's centre. */
  zoomBy(factor: number): void {
    const { width, height } = this.deps.viewer.view
    this.deps.viewer.camera.zoomAtScreen(factor, width / 2, height / 2, true)
  }

  /** Pans by a step of the window in a direction of the screen (as seen, through any turn or mirror of the view). */
  pan(dx: number, dy: number): void {
    const { viewer, stage, orientation } = this.deps
    const view = viewer.view
    const stageBox = { width: stage.clientWidth, height: stage.clientHeight }
    const from = stageToCanvas(orientation.current, stageBox, { x: 0, y: 0 })
    const to = stageToCanvas(orientation.current, stageBox, { x: dx, y: dy })
    const step = (Math.min(view.width, view.height) * PAN_STEP) / view.zoom
    viewer.camera.setView({ centerX: view.centerX + (to.x - from.x) * step, centerY: view.centerY + (to.y - from.y) * step, zoom: view.zoom })
  }

  /** One pixel of the finest layer per screen pixel, about the same centre. */
  actualPixels(): void {
    const { viewer } = this.deps
    const { centerX, centerY } = viewer.view
    viewer.camera.setView({ centerX, centerY, zoom: 1 / viewer.camera.unitsPerPixel })
  }

  toggleFullscreen(): void {
    const done = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()
    done.catch((error: unknown) => this.deps.messages.show('Could not switch to full screen', messageOf(error)))
  }

  /**
   * Saves the view as a PNG, as on screen or drawn at 2× or 4× its pixels: the canvas is laid out
   * that many times larger (finer tiles where the file has them) and shown shrunk meanwhile, the
   * camera zoomed by as much, and the canvas read once the view is sharp. The web layers'
   * attribution is written in its corner, as the window shows it.
   */
  async exportPng(): Promise<void> {
    const { viewer, orientation } = this.deps
    if (viewer.layers.length === 0 || this.exporting) return
    this.exporting = true
    const scale = this.deps.exportScale()
    const before = viewer.view
    let picture: HTMLCanvasElement
    let placed: { view: ViewState; canvasPixelsPerScreen: number; orientation: Orientation }
    try {
      if (scale !== 1) {
        this.deps.toast(`Rendering the view at ${scale}×…`)
        orientation.setRenderScale(scale)
        await until(() => Math.abs(viewer.view.width - before.width * scale) <= 1, 3000)
        viewer.camera.setView({ centerX: before.centerX, centerY: before.centerY, zoom: before.zoom * scale })
        await until(() => viewer.stats().sharp, 120_000)
      }
      viewer.frameNow() // renders now: the canvas is read in this same task
      picture = orientedCopy(viewer.app.canvas, orientation.current)
      // Where the picture lies on the map: the camera as drawn, the canvas's pixels per screen pixel.
      placed = { view: viewer.view, canvasPixelsPerScreen: viewer.app.canvas.width / viewer.view.width, orientation: orientation.current }
      // The web layers' providers credited in the picture as in the window.
      stampAttribution(picture, attributionsOf(viewer.layers), placed.canvasPixelsPerScreen)
    } finally {
      if (scale !== 1) {
        orientation.setRenderScale(1)
        await until(() => Math.abs(viewer.view.width - before.width) <= 1, 3000)
        viewer.camera.setView(before)
      }
      this.exporting = false
    }
    const name = `${(document.title.split(' — ')[0] ?? 'view').replace(/\s+\(\d+ of \d+\)$/, '').replace(/\.[^.]+$/, '')}-view${scale === 1 ? '' : `-${scale}x`}.png`
    const sideCars: SideCar[] = georeferenceSideCars(name, placed.view, placed.orientation, { width: picture.width, height: picture.height, canvasPixelsPerScreen: placed.canvasPixelsPerScreen }, viewer.viewCrs)
    try {
      await downloadPng(picture, name)
      for (const file of sideCars) downloadText(file)
      const placedBy = sideCars.length > 0 ? `, placed on the map by ${sideCars.map((f) => f.fileName).join(', ')}` : ''
      this.deps.toast(`Saved the view as ${name} (${picture.width} × ${picture.height})${placedBy}`)
    } catch (error) {
      this.deps.messages.show('Could not save the view', messageOf(error))
    }
  }

  /**
   * Copies the coordinates and values under the cursor as tab-separated values (a header row and
   * one row: x, y, lat, lon, one column per visible layer) that paste into a spreadsheet.
   */
  copyReadout(): void {
    const pointer = this.deps.pointer()
    const { viewer } = this.deps
    if (!pointer || viewer.layers.length === 0) {
      this.deps.toast('Point at the image first: c copies what is under the cursor')
      return
    }
    const readout = readoutAt(viewer, pointer.x, pointer.y)
    copyText(readoutTsv(readout))
      .then(() => this.deps.toast(`Copied: ${readoutText(readout)}`))
      .catch((error: unknown) => this.deps.messages.show('Could not copy the readout', messageOf(error)))
  }

  /** Resolves once the canvas has the width of the view as it is turned now (the layout follows a turn within a frame or two). */
  orientationSettled(): Promise<void> {
    const { viewer, orientation } = this.deps
    const width = orientation.canvasHost.clientWidth
    return until(() => Math.abs(viewer.view.width - width) <= 1, 3000)
  }
}

/** What the status bar shows for a screen point: the top layer's pixel and values, the map point, each layer's values. */
export function readoutAt(viewer: Viewer, x: number, y: number): Readout {
  const probe = viewer.probe(x, y)
  const top = probe.layers.find((l) => l.inside)
  const crs = viewer.viewCrs
  return {
    ...(top
      ? {
          x: top.pixel.x,
          y: top.pixel.y,
          layer: top.layer.info.name,
          values: top.value?.values,
          level: top.value?.level,
          georeference: top.layer.info.georeference,
          classValue: classAt(top.layer.info, top.value?.values)
        }
      : {}),
    map: crs.georeferenced ? { ...worldToMap(probe.world), epsg: crs.epsg, crs: crs.id, label: crs.name } : undefined,
    layers: probe.layers.map((l) => ({ name: l.layer.info.name, values: l.inside ? l.value?.values : null }))
  }
}

/**
 * The scale bar of the view: ground metres only in a known CRS (where the centre is inside it); in
 * the top visible layer's pixels otherwise (no georeferencing, or a CRS Tessera does not know).
 */
export function viewScaleBar(viewer: Viewer): ScaleBar | null {
  const crs = viewer.viewCrs
  const view = viewer.view
  const unitsPerScreenPixel = 1 / view.zoom
  if (crs.georeferenced && isKnownCrs(crs.id)) {
    const centre = worldToMap({ x: view.centerX, y: view.centerY })
    const metres = metresPerUnit(crs.id, centre.x, centre.y, unitsPerScreenPixel * 100)
    if (metres) return scaleBar(unitsPerScreenPixel * metres)
  }
  return scaleBar(1 / viewer.pixelZoom, 120, 'pixels')
}

/** Resolves once `done()` is true (checked every animation frame), or after `timeoutMs` whatever it says. */
export function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs
  return new Promise((resolve) => {
    const check = (): void => {
      if (done() || performance.now() >= end) resolve()
      else requestAnimationFrame(check)
    }
    check()
  })
}
