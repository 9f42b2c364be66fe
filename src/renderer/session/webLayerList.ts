/**
 * The web map layers a person added (issue 25), as the page keeps them between starts: each one's
 * `open-web-layer` parameters, whether it is shown and its opacity, bottom of the stack first —
 * never tiles. What is read back from storage is checked entry by entry: storage is outside the
 * program (another version, a person's hand, a full disk) and an entry that does not check out is
 * dropped with a note naming why, the others kept. Pure: no DOM, no storage; `webLayers.ts` reads
 * and writes.
 */
import { MESSAGE_LIMITS, type CallParams } from '../../shared/calls'
import { MAX_WEB_ZOOM, WEB_SERVICE_KINDS, type WebServiceKind } from '../../shared/webLayers'

/**
 * What `open-web-layer` is given for one layer (src/shared/calls.ts): the service, the
 * capabilities URL or XYZ template as the person gave it, the layer, and optionally its style,
 * format, CRS, tile matrix set, time, the view's CRS when it was added, attribution and title.
 */
export type WebLayerParams = CallParams<'open-web-layer'>

/** One saved web layer. */
export interface StoredWebLayer {
  params: WebLayerParams
  visible: boolean
  /** 0 (transparent) to 1. */
  opacity: number
}

/** The key of the saved list in the page's storage (its version in the key: another shape, another key). */
export const WEB_LAYERS_STORAGE_KEY = 'tessera.webLayers.v1'

/** At most this many layers are kept: a list longer than a person would stack is not a list they made. */
export const MAX_STORED_WEB_LAYERS = 64

/** Longest text of each optional field, as the call takes it. */
const OPTIONAL_TEXT_FIELDS = {
  style: MESSAGE_LIMITS.maxNameLength,
  format: MESSAGE_LIMITS.maxNameLength,
  crs: MESSAGE_LIMITS.maxNameLength,
  tileMatrixSet: MESSAGE_LIMITS.maxNameLength,
  viewCrs: MESSAGE_LIMITS.maxNameLength,
  time: MESSAGE_LIMITS.maxNameLength,
  attribution: MESSAGE_LIMITS.maxCrsDefinition,
  title: MESSAGE_LIMITS.maxNameLength
} as const

/** The text that saves `layers` (bottom of the stack first). */
export function writeWebLayers(layers: readonly StoredWebLayer[]): string {
  return JSON.stringify({ layers: layers.slice(0, MAX_STORED_WEB_LAYERS).map((l) => ({ params: l.params, visible: l.visible, opacity: l.opacity })) })
}

/**
 * The saved layers in `text` (null: nothing saved), and a note for each entry dropped: "the saved
 * map layer 2 was dropped: its service is "tms", not wms, wmts or xyz".
 */
export function readWebLayers(text: string | null): { layers: StoredWebLayer[]; notes: string[] } {
  if (text === null || text === '') return { layers: [], notes: [] }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { layers: [], notes: ['The saved map layers were dropped: their list is not JSON'] }
  }
  const list = isRecord(value) ? value.layers : undefined
  if (!Array.isArray(list)) return { layers: [], notes: ['The saved map layers were dropped: expected a list of layers but found none'] }
  const layers: StoredWebLayer[] = []
  const notes: string[] = []
  let beyond = 0
  list.forEach((entry: unknown, i) => {
    if (layers.length >= MAX_STORED_WEB_LAYERS) return void beyond++
    const checked = storedWebLayer(entry)
    if (typeof checked === 'string') notes.push(`The saved map layer ${i + 1} was dropped: ${checked}`)
    else layers.push(checked)
  })
  if (beyond > 0) notes.push(`${beyond} saved map layers beyond the first ${MAX_STORED_WEB_LAYERS} were dropped`)
  return { layers, notes }
}

/** The entry as a saved layer, or why it is not one. */
function storedWebLayer(entry: unknown): StoredWebLayer | string {
  if (!isRecord(entry)) return `expected an object but found ${describe(entry)}`
  const params = webLayerParams(entry.params)
  if (typeof params === 'string') return params
  const { visible, opacity } = entry
  if (typeof visible !== 'boolean') return `expected visible true or false but found ${describe(visible)}`
  if (typeof opacity !== 'number' || !Number.isFinite(opacity) || opacity < 0 || opacity > 1) return `expected an opacity from 0 to 1 but found ${describe(opacity)}`
  return { params, visible, opacity }
}

/** The parameters as `open-web-layer` takes them, or why they are not. Fields it does not know are left out. */
export function webLayerParams(value: unknown): WebLayerParams | string {
  if (!isRecord(value)) return `expected its parameters but found ${describe(value)}`
  const { service, url, layer } = value
  if (typeof service !== 'string' || !(WEB_SERVICE_KINDS as readonly string[]).includes(service)) return `its service is ${describe(service)}, not ${WEB_SERVICE_KINDS.join(', ')}`
  if (typeof url !== 'string' || url.length > MESSAGE_LIMITS.maxUrlLength || !isHttpUrl(url)) return `its URL ${describe(url)} is not an http: or https: URL`
  if (typeof layer !== 'string' || layer === '' || layer.length > MESSAGE_LIMITS.maxUrlLength) return `expected a layer name but found ${describe(layer)}`
  const params: WebLayerParams = { service: service as WebServiceKind, url, layer }
  for (const [field, limit] of Object.entries(OPTIONAL_TEXT_FIELDS) as Array<[keyof typeof OPTIONAL_TEXT_FIELDS, number]>) {
    const v = value[field]
    if (v === undefined) continue
    if (typeof v !== 'string' || v.length > limit) return `expected its ${field} as text but found ${describe(v)}`
    params[field] = v
  }
  // An XYZ layer's zoom range (a preset's), kept so that it reopens without asking beyond it.
  for (const field of ['minZoom', 'maxZoom'] as const) {
    const v = value[field]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_WEB_ZOOM) return `expected its ${field} as a zoom from 0 to ${MAX_WEB_ZOOM} but found ${describe(v)}`
    params[field] = v
  }
  return params
}

/** True for a URL of the web: http: or https:, with a host (an XYZ template's braces parse as path). */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.replace(/\{[^}]*\}/g, '0'))
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value as a note names it: short, typed. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  const text = typeof value === 'string' ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value) : String(value)
  return typeof value === 'string' ? text : `${text} (${typeof value})`
}
