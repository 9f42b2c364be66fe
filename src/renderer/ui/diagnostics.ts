/**
 * `window.__tesseraDiagnostics`, installed only when the page URL has `?diagnostics`: what
 * end-to-end tests and people debugging read (counters, sharpness) and a way to place the camera.
 */
import type { ServiceStats } from '../../shared/protocol'
import type { Viewer, ViewerStats } from '../view/Viewer'

export interface TesseraDiagnostics {
  /** Counters: pending, active, requested, displayed, cancelled, wasted, textureBytes, sharp. */
  stats(): ViewerStats & { active: number }
  /** Places the camera: centre in image pixels, zoom in screen pixels per image pixel. */
  setView(view: { centerX: number; centerY: number; zoom: number }): void
  /** Runs a frame now (plan, requests, cancellations, render), synchronously. */
  frameNow(): void
  /** The current camera. */
  view(): { centerX: number; centerY: number; zoom: number; width: number; height: number }
  /** Ids of the open rasters, bottom first. */
  layers(): string[]
  /** The service's counters (tiles decoded and sent, pending, active…), asked for now. */
  service(): Promise<ServiceStats>
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
export function installDiagnostics(viewer: Viewer, active: () => number, service: () => Promise<ServiceStats>): TesseraDiagnostics {
  const diagnostics: TesseraDiagnostics = {
    stats: () => ({ ...viewer.stats(), active: active() }),
    setView: (view) => viewer.camera.setView(view),
    frameNow: () => viewer.frameNow(),
    view: () => viewer.view,
    layers: () => viewer.layers.map((l) => l.rasterId),
    service
  }
  window.__tesseraDiagnostics = diagnostics
  return diagnostics
}
