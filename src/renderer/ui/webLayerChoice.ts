/**
 * What "Add map layer…" decides, apart from its DOM (issue 25): the well-known XYZ presets, which
 * of a long capabilities list match what a person typed, which format, style and time a layer is
 * asked in, and the `open-web-layer` parameters a choice makes. Pure.
 */
import { MESSAGE_LIMITS } from '../../shared/calls'
import type { WebCapabilities, WebLayerChoice, WebServiceKind } from '../../shared/webLayers'
import type { WebLayerParams } from '../session/webLayerList'

/** A well-known tiled basemap offered without typing its template. */
export interface WebLayerPreset {
  label: string
  /** Its XYZ template. */
  url: string
  /** What its provider asks to be shown beside it. */
  attribution: string
  /** The zooms its tiles exist at: none finer is asked for (the view magnifies the finest). */
  minZoom: number
  maxZoom: number
}

/**
 * OpenStreetMap's standard tiles, OpenTopoMap and Esri World Imagery, with the attribution each
 * provider's terms ask for. Their servers are on the internet: without a network they fail, and say so.
 */
export const WEB_LAYER_PRESETS: readonly WebLayerPreset[] = [
  { label: 'OpenStreetMap', url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: '© OpenStreetMap contributors', minZoom: 0, maxZoom: 19 },
  { label: 'OpenTopoMap', url: 'https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png', attribution: 'Map data © OpenStreetMap contributors, SRTM; map style © OpenTopoMap (CC-BY-SA)', minZoom: 0, maxZoom: 17 },
  {
    label: 'Esri World Imagery',
    url: 'https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}',
    attribution: 'Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community',
    minZoom: 0,
    maxZoom: 19
  }
]

/** How a service is named in the interface. */
export function serviceLabel(service: WebServiceKind): string {
  return service === 'wms' ? 'WMS' : service === 'wmts' ? 'WMTS' : 'XYZ'
}

/** The layers whose title, name or CRSs hold every word of `query` (case ignored), in their order. */
export function filterLayers(layers: readonly WebLayerChoice[], query: string): WebLayerChoice[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...layers]
  return layers.filter((layer) => {
    const text = `${layer.title} ${layer.name} ${layer.crs.join(' ')}`.toLowerCase()
    return words.every((w) => text.includes(w))
  })
}

/** Image formats in the order they are preferred: PNG keeps transparency and is lossless; JPEG next. */
const FORMAT_PREFERENCE = ['image/png', 'image/png8', 'image/jpeg', 'image/webp']

/** The format a layer is asked in unless a person picks another: PNG, then JPEG, then the first offered. */
export function preferredFormat(formats: readonly string[]): string | undefined {
  for (const wanted of FORMAT_PREFERENCE) {
    // The plain type before its variants ("image/png" before "image/png; mode=8bit").
    const found = formats.find((f) => f.toLowerCase() === wanted) ?? formats.find((f) => f.toLowerCase().replace(/\s/g, '').startsWith(`${wanted};`))
    if (found) return found
  }
  return formats[0]
}

/** The times a person can pick from a time dimension's values: a comma list, each; a period (start/end/step) is typed, none listed. */
export function timeOptions(time: WebLayerChoice['time']): string[] {
  const values = time?.values?.trim()
  if (!values || values.includes('/')) return []
  return values.split(',').map((v) => v.trim()).filter(Boolean)
}

/** What a person picked beside the layer; absent: the default (the host's, for CRS and tile matrix set). */
export interface WebLayerPicks {
  style?: string
  format?: string
  crs?: string
  tileMatrixSet?: string
  time?: string
  /** What the view shows beside an XYZ layer, as typed (its template states none): '' for none. */
  attribution?: string
}

/**
 * The `open-web-layer` parameters of a layer picked from the capabilities read at `url`, asked
 * for a view in CRS `viewCrs` (null: the view has none yet, the host picks). The attribution
 * typed stands for any other, then a preset's for the service's (an XYZ template states none).
 */
export function openParamsFor(url: string, capabilities: WebCapabilities, layer: WebLayerChoice, picks: WebLayerPicks, viewCrs: string | null, preset?: WebLayerPreset): WebLayerParams {
  const params: WebLayerParams = { service: capabilities.service, url: url.trim(), layer: layer.name }
  const style = picks.style ?? layer.styles[0]?.name
  if (style) params.style = style
  const format = picks.format ?? preferredFormat(layer.formats)
  if (format) params.format = format
  if (picks.crs) params.crs = picks.crs
  if (picks.tileMatrixSet) params.tileMatrixSet = picks.tileMatrixSet
  if (viewCrs) params.viewCrs = viewCrs
  const time = picks.time?.trim() || layer.time?.default
  if (time) params.time = time
  const attribution = picks.attribution !== undefined ? picks.attribution.trim() : (preset?.attribution ?? capabilities.attribution)
  if (attribution) params.attribution = attribution
  if (preset) {
    params.minZoom = preset.minZoom
    params.maxZoom = preset.maxZoom
  }
  const title = preset?.label ?? (layer.title || layer.name)
  if (title) params.title = title.slice(0, MESSAGE_LIMITS.maxNameLength) // a long title is only a label
  return params
}

/** The preset whose template is `url` (typed or picked), if any. */
export function presetOf(url: string): WebLayerPreset | undefined {
  return WEB_LAYER_PRESETS.find((p) => p.url === url.trim())
}

/** Timers for `withTimeout` (the page's, or a test's). */
export interface Timers {
  set(run: () => void, ms: number): unknown
  clear(timer: unknown): void
}

/** The page's timers, called as functions (as methods of an object, the browser's throw "Illegal invocation"). */
const PAGE_TIMERS: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>)
}

/**
 * Resolves as `promise` does, or rejects after `ms` with "No answer from <what> after <n> s": a
 * server that never answers leaves the dialog usable and says so, whatever the host's own limits.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, timers: Timers = PAGE_TIMERS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = timers.set(() => reject(new Error(`No answer from ${what} after ${Math.round(ms / 1000)} s`)), ms)
    promise.then(
      (value) => {
        timers.clear(timer)
        resolve(value)
      },
      (error: unknown) => {
        timers.clear(timer)
        reject(error instanceof Error ? error : new Error(String(error)))
      }
    )
  })
}
