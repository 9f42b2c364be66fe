/**
 * `window.__tesseraDiagnostics`, installed only when the page URL has `?diagnostics`: what
 * end-to-end tests and people debugging read (counters, sharpness) and a way to place the camera.
 */
import type { ServiceStats } from '../../shared/protocol'
import type { Viewer, ViewerStats } from '../view/Viewer'
import { IDENTITY, apply, invert, mapToWorld, unitsPerPixel } from '../../shared/geo/affine'
import { worldToScreen } from '../view/layerView'

export interface TesseraDiagnostics {
  /** Counters: pending, active, requested, displayed, cancelled, wasted, textureBytes, sharp. */
  stats(): ViewerStats & { active: number }
  /**
   * Places the camera in the pixels of the bottom layer (the world itself when there is none):
   * centre in its full-resolution pixels, zoom in screen pixels per such pixel. Tests think in
   * image pixels; for a layer that rotates, use `setWorldView`.
   */
  setView(view: { centerX: number; centerY: number; zoom: number }): void
  /** Runs a frame now (plan, requests, cancellations, render), synchronously. */
  frameNow(): void
  /** The current camera in the pixels of the bottom layer (as `setView` takes it). */
  view(): { centerX: number; centerY: number; zoom: number; width: number; height: number }
  /** Places the camera in world units (map X, −map Y when georeferenced; see src/shared/geo/affine.ts). */
  setWorldView(view: { centerX: number; centerY: number; zoom: number }): void
  /** The current camera in world units. */
  worldView(): { centerX: number; centerY: number; zoom: number; width: number; height: number }
  /** Screen point (CSS pixels of the canvas) of a full-resolution pixel position of a layer. */
  layerToScreen(rasterId: string, x: number, y: number): { x: number; y: number } | null
  /** Screen point of a map point of the view's CRS. */
  mapToScreen(x: number, y: number): { x: number; y: number }
  /** Ids of the open rasters, bottom first. */
  layers(): string[]
  /** The service's counters (tiles decoded and sent, pending, active…), asked for now. */
  service(): Promise<ServiceStats>
  /** Tiles received: how many, their bytes on the wire, how many came compressed, how many were unpacked in the tile worker. */
  wire(): { tiles: number; bytes: number; compressed: number; inWorker: number }
  /** What draws the view: the WebGL renderer's name, and whether it is software. */
  graphics(): { renderer: string; software: boolean }
  /** When each dropped file reached each step of its opening (dropped, preview, sent, opened, first tile), performance.now() ms. */
  timeline(): Array<{ t: number; step: string; name: string }>
  /** The connection to the service is open. */
  connected(): boolean
  /** When the connection first opened (Date.now()), or null. */
  connectedAt(): number | null
  /** Ends the connection as a lost one would (browser host): the bridge reconnects. */
  dropConnection(): void
}

declare global {
  interface Window {
    __tesseraDiagnostics?: TesseraDiagnostics
  }
}

/** True when the page was opened with `?diagnostics`. */
export function diagnosticsRequested(location: Location = window.location): boolean {
  return new URLSearchParams(location.search).has('diagnostics')
}

/**
 * Installs the diagnostics object on `window`. `active` reads the service's last known active
 * count; `service` asks the service for its counters.
 */
export function installDiagnostics(
  viewer: Viewer,
  active: () => number,
  service: () => Promise<ServiceStats>,
  wire: () => { tiles: number; bytes: number; compressed: number; inWorker: number },
  timeline: () => ReadonlyArray<{ t: number; step: string; name: string }>,
  connection: { connected(): boolean; connectedAt(): number | null; drop(): void }
): TesseraDiagnostics {
  const diagnostics: TesseraDiagnostics = {
    stats: () => ({ ...viewer.stats(), active: active() }),
    setView: (view) => {
      const bottom = viewer.layers[0]?.transform ?? IDENTITY
      const center = apply(bottom, { x: view.centerX, y: view.centerY })
      viewer.camera.setView({ centerX: center.x, centerY: center.y, zoom: view.zoom / unitsPerPixel(bottom) })
    },
    frameNow: () => viewer.frameNow(),
    view: () => {
      const world = viewer.view
      const bottom = viewer.layers[0]?.transform ?? IDENTITY
      const center = apply(invert(bottom), { x: world.centerX, y: world.centerY })
      return { ...world, centerX: center.x, centerY: center.y, zoom: world.zoom * unitsPerPixel(bottom) }
    },
    setWorldView: (view) => viewer.camera.setView(view),
    worldView: () => viewer.view,
    layerToScreen: (rasterId, x, y) => {
      const layer = viewer.layer(rasterId)
      return layer ? worldToScreen(viewer.view, apply(layer.transform, { x, y })) : null
    },
    mapToScreen: (x, y) => worldToScreen(viewer.view, mapToWorld({ x, y })),
    layers: () => viewer.layers.map((l) => l.rasterId),
    service,
    wire: () => ({ ...wire() }),
    graphics: () => viewer.graphics,
    timeline: () => timeline().map((e) => ({ ...e })),
    connected: () => connection.connected(),
    connectedAt: () => connection.connectedAt(),
    dropConnection: () => connection.drop()
  }
  window.__tesseraDiagnostics = diagnostics
  return diagnostics
}
