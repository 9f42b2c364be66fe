/**
 * Every call and notification of the protocol, each defined once: its name, the checkers of its
 * parameters and (for a call) the type of its result. Everything else follows from this table, as
 * in VS Code's ProxyChannel: the messages' types, their validation at the boundary (`validate.ts`),
 * what a service implements (`ServiceCalls`, `ServiceNotifications`: the TextureService's handlers
 * must match them), and the bridge's proxy (`proxyCalls`). Adding a call touches this table and
 * the service's handler, nothing else.
 */
import { type Check, type Shape, type ShapeOf, anyString, arrayOf, between, checkShape, fail, integer, oneOf, optional, record, text } from './check'
import { type ImageLoadPriority, isPriority } from './priority'
import type { CrsInfo, RasterInfo } from './raster'
import { type WebCapabilities, type WebServiceKind, MAX_WEB_ZOOM, WEB_SERVICE_KINDS } from './webLayers'
import { STAC_LIMITS, type StacDocument } from './stac'

/** Compressed tile encodings a client may accept (raw is always accepted): see `TileHeader.encoding`. */
export type TileEncoding = 'jpeg' | 'webp' | 'png' | 'empty'

/** Limits of one message: a frame's batch of tiles, the keys kept by one cancellation, string lengths. */
export const MESSAGE_LIMITS = {
  maxTilesPerRequest: 20_000,
  maxKeepKeys: 200_000,
  maxPathLength: 4096,
  /** Longest URL of `open-url` (a pre-signed object-store URL carries a long query). */
  maxUrlLength: 8192,
  maxNameLength: 255,
  maxIdLength: 128,
  /** Largest file accepted for upload: 16 GiB. */
  maxUploadSize: 16 * 1024 ** 3,
  maxLevel: 64,
  /** Encodings named in one `tile-encodings` call (a few known, repeats allowed). */
  maxTileEncodings: 8,
  /** Largest view side said by `view-size`, CSS pixels. */
  maxViewSide: 65_536,
  /** Longest CRS definition given by hand (a WKT of a compound CRS stays well under it). */
  maxCrsDefinition: 16_384,
  /** Longest CRS search text. */
  maxCrsQuery: 200,
  /** Points of one `sample-values` call (a profile asks in batches of at most this). */
  maxSamplePoints: 4096,
  /** Tiles of one `prefetch` hint set (a remote layer's backlog: a view's worth, a few screens at most). */
  maxPrefetchHints: 1024,
  /** Notifications of one batch (a task's: a frame's plan is up to three per layer). */
  maxBatchedNotifications: 1024
} as const

/** One tile wanted by the renderer. `rank` orders within a priority (lower first), e.g. distance to the view centre. */
export interface TileRequest {
  level: number
  col: number
  row: number
  priority: ImageLoadPriority
  rank?: number
}

/** How the service schedules: 'priority' is the product; 'fifo' switches prioritisation and cancellation off (benchmark baseline). */
export type SchedulingMode = 'priority' | 'fifo'

/** What `open` and `upload-end` resolve to. */
export interface OpenedRaster {
  rasterId: string
  info: RasterInfo
}

/** Counters of one service (one window or connection), on demand. */
export interface ServiceStats {
  /** Tile loads scheduled and neither started nor ended. */
  pending: number
  /** Tile loads running. */
  active: number
  /** Tiles decoded and sent. */
  done: number
  cancelled: number
  failed: number
  tilesSent: number
  bytesSent: number
  openRasters: number
  /**
   * The host process's HTTP reads of remote files (issue 24), over every file it opened: requests,
   * body bytes, and bytes received for requests every reader had withdrawn (the bench's figure).
   */
  remote: { requests: number; bytes: number; bytesAfterAbort: number }
}

/** An EPSG CRS found by `search-crs`. */
export interface CrsMatch {
  epsg: number
  name: string
}

/** A level-0 pixel position (column, row; fractional: the pixel is floor of each) of `sample-values`. */
export interface SamplePoint {
  x: number
  y: number
}

/**
 * What `sample-values` gives for one point: every band's value at level 0 (null for a band whose
 * sample is no data; every band null where masked), or null outside the raster.
 */
export type SampledValues = Array<number | null> | null

/** A call: the checkers of its parameters, and (a type only) what it resolves to. */
export interface CallSpec<P extends Shape, R> {
  readonly params: P
  /** Never set: carries the result's type. */
  readonly result?: R
}

/** Defines a call resolving to `R`: `call<R>()({ field: checker })`. */
function call<R>(): <P extends Shape>(params: P) => CallSpec<P, R> {
  return (params) => ({ params })
}

const id = text(MESSAGE_LIMITS.maxIdLength)

const coordinate = between(-(2 ** 31), 2 ** 31)
const samplePoint: Check<SamplePoint> = (value, name) => {
  const p = record(value, name)
  return { x: coordinate(p.x, `${name}.x`), y: coordinate(p.y, `${name}.y`) }
}

const tileRequest: Check<TileRequest> = (value, name) => {
  const t = record(value, name)
  const level = integer(MESSAGE_LIMITS.maxLevel)(t.level, `${name}.level`)
  const col = integer(2 ** 31)(t.col, `${name}.col`)
  const row = integer(2 ** 31)(t.row, `${name}.row`)
  if (!isPriority(t.priority)) fail('priority 1, 2 or 3', `${name}.priority`, t.priority)
  const tile: TileRequest = { level, col, row, priority: t.priority }
  if (t.rank !== undefined) {
    if (typeof t.rank !== 'number' || !Number.isFinite(t.rank)) fail('finite number', `${name}.rank`, t.rank)
    tile.rank = t.rank
  }
  return tile
}

/** Calls, renderer → service: each gets exactly one reply (`reply` or `reply-error`). */
export const CALLS = {
  // `name`: the file as the person gave it (a dropped file's own name), which a failure's message names instead of the path.
  open: call<OpenedRaster>()({ path: text(MESSAGE_LIMITS.maxPathLength), name: optional(text(MESSAGE_LIMITS.maxNameLength)) }),
  /**
   * A GeoTIFF or COG at an `http:` or `https:` URL, read in place by range requests from the host
   * (any other scheme is refused); resolves as `open` does, its info's `source` naming the URL.
   */
  'open-url': call<OpenedRaster>()({ url: text(MESSAGE_LIMITS.maxUrlLength) }),
  'upload-begin': call<{ uploadId: string }>()({ name: text(MESSAGE_LIMITS.maxNameLength), size: integer(MESSAGE_LIMITS.maxUploadSize) }),
  'upload-end': call<OpenedRaster>()({ uploadId: id }),
  close: call<Record<string, never>>()({ rasterId: id }),
  stats: call<ServiceStats>()({}),
  configure: call<Record<string, never>>()({ scheduling: oneOf<SchedulingMode>('priority', 'fifo') }),
  /**
   * The size of the renderer's view (CSS pixels), said on connecting and when it changes: a file
   * opened after it decodes first what its fit view shows (0 × 0: unknown).
   */
  'view-size': call<Record<string, never>>()({ width: integer(MESSAGE_LIMITS.maxViewSide), height: integer(MESSAGE_LIMITS.maxViewSide) }),
  /**
   * The compressed tile encodings this client decodes (`TileHeader.encoding`), replacing what it
   * said before; until it says any, and with [], every tile comes as raw samples.
   */
  'tile-encodings': call<Record<string, never>>()({ accept: arrayOf(oneOf<TileEncoding>('jpeg', 'webp', 'png', 'empty'), MESSAGE_LIMITS.maxTileEncodings, 'tile encodings') }),
  /** EPSG CRSs whose code starts with, or whose name contains every word of, `query` (Set CRS…). */
  'search-crs': call<CrsMatch[]>()({ query: text(MESSAGE_LIMITS.maxCrsQuery) }),
  /**
   * A CRS a person gives by hand (`EPSG:<n>`, a PROJ string or a WKT), described as a file's CRS is:
   * its definition, the EPSG code it is equivalent to, its name (source 'manual').
   */
  'describe-crs': call<CrsInfo>()({ definition: text(MESSAGE_LIMITS.maxCrsDefinition) }),
  /**
   * The level-0 values of a raster of 'bands' tiles at pixel positions (a profile's samples), read
   * from the file as GDAL reads them, whatever the renderer has cached: one entry per point.
   */
  'sample-values': call<SampledValues[]>()({ rasterId: id, points: arrayOf(samplePoint, MESSAGE_LIMITS.maxSamplePoints, 'points') }),
  /**
   * What a web map service offers (issue 25), read by the host: a WMS or WMTS GetCapabilities URL
   * (the request's parameters added when the URL has none), or an XYZ/TMS template
   * (`…/{z}/{x}/{y}.png`, `{-y}`, `{s}`), which answers one layer.
   */
  'web-capabilities': call<WebCapabilities>()({ url: text(MESSAGE_LIMITS.maxUrlLength) }),
  /**
   * Opens one layer of a web map service as a raster (resolves as `open` does, its info's `source`
   * of kind 'web' naming the service, layer and attribution): tiles are the server's images of
   * their map bounds. `viewCrs`: the view's CRS id, asked of a WMS when it offers it; `crs`, a
   * CRS the person picked instead; `tileMatrixSet` picks a WMTS set.
   */
  'open-web-layer': call<OpenedRaster>()({
    service: oneOf<WebServiceKind>(...WEB_SERVICE_KINDS),
    url: text(MESSAGE_LIMITS.maxUrlLength),
    layer: text(MESSAGE_LIMITS.maxUrlLength),
    style: optional(text(MESSAGE_LIMITS.maxNameLength)),
    format: optional(text(MESSAGE_LIMITS.maxNameLength)),
    crs: optional(text(MESSAGE_LIMITS.maxNameLength)),
    tileMatrixSet: optional(text(MESSAGE_LIMITS.maxNameLength)),
    viewCrs: optional(text(MESSAGE_LIMITS.maxNameLength)),
    time: optional(text(MESSAGE_LIMITS.maxNameLength)),
    attribution: optional(text(MESSAGE_LIMITS.maxCrsDefinition)),
    title: optional(text(MESSAGE_LIMITS.maxNameLength)),
    // XYZ: the zooms the tiles exist at (default: the document's, else 0–19); none finer is asked for.
    minZoom: optional(integer(MAX_WEB_ZOOM)),
    maxZoom: optional(integer(MAX_WEB_ZOOM))
  }),
  /**
   * A STAC Item, Collection, Catalog or ItemCollection (issue 25) at an http(s) URL or a host path
   * (paths only where `open` takes them), summarised with every href resolved: an Item's
   * footprint and assets; a Collection's or Catalog's items (its own and its children's, one level
   * down) a page at a time from `first`. `text`: the document itself, when the page has it (a file
   * dropped in a browser); `href` then only names it and is the base of its relative hrefs.
   */
  'stac-read': call<StacDocument>()({
    href: text(MESSAGE_LIMITS.maxUrlLength),
    first: optional(integer(STAC_LIMITS.maxItems)),
    text: optional(text(STAC_LIMITS.maxDocumentText))
  })
}

/** Notifications, renderer → service: fire-and-forget, sent per frame; their errors come back as `error` events. */
export const NOTIFICATIONS = {
  request: { rasterId: id, tiles: arrayOf(tileRequest, MESSAGE_LIMITS.maxTilesPerRequest, 'tile requests') },
  'cancel-obsolete': { rasterId: id, keep: arrayOf(anyString('string tile key'), MESSAGE_LIMITS.maxKeepKeys, 'tile keys') },
  /**
   * A remote raster's backlog (issue 24): the tiles its plan wants that the renderer's flow control
   * has not asked for yet, most urgent first, sent when that set changes. The host fetches their
   * bytes (never decodes them) so that a view's whole plan reaches the server together, as GDAL
   * reads a window; each set replaces the last (a tile left out is no longer fetched for it).
   */
  prefetch: { rasterId: id, tiles: arrayOf(tileRequest, MESSAGE_LIMITS.maxPrefetchHints, 'prefetch hints') }
}

type Calls = typeof CALLS
type Notifications = typeof NOTIFICATIONS
type Flat<T> = { [K in keyof T]: T[K] }

export type CallName = keyof Calls
export type NotifyName = keyof Notifications
export type CallParams<K extends CallName> = ShapeOf<Calls[K]['params']>
export type CallResult<K extends CallName> = Calls[K] extends CallSpec<Shape, infer R> ? R : never
export type NotifyParams<K extends NotifyName> = ShapeOf<Notifications[K]>
/** The result each call resolves to. */
export type CallResults = { [K in CallName]: CallResult<K> }

export type CallMessage = { [K in CallName]: Flat<{ type: K; id: number } & CallParams<K>> }[CallName]
export type NotifyMessage = { [K in NotifyName]: Flat<{ type: K } & NotifyParams<K>> }[NotifyName]
export type ClientMessage = CallMessage | NotifyMessage
/**
 * The notifications a renderer sent in one task, in order, as one message (`NotifyMessage[]` on
 * the wire; a lone one goes as itself). The host handles them together before it dispatches a
 * tile: a frame's cancellation cannot trail behind the requests it withdraws, and the most urgent
 * request of any layer goes first (the loader's pump runs after the whole batch).
 */
export type NotifyBatch = NotifyMessage | NotifyMessage[]

/** What a service implements for the calls, and what a bridge's proxy offers: one method per call. */
export type ServiceCalls = { [K in CallName]: (params: CallParams<K>) => Promise<CallResult<K>> }
/** What a service implements for the notifications, and what a bridge's proxy offers. */
export type ServiceNotifications = { [K in NotifyName]: (params: NotifyParams<K>) => void }

/** True when `type` names a call. */
export function isCallName(type: unknown): type is CallName {
  return typeof type === 'string' && Object.hasOwn(CALLS, type)
}

/** True when `type` names a notification. */
export function isNotifyName(type: unknown): type is NotifyName {
  return typeof type === 'string' && Object.hasOwn(NOTIFICATIONS, type)
}

/** The checked parameters of a call or notification (`message` is a plain object). */
export function checkParams(type: CallName | NotifyName, message: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const shape: Shape = isCallName(type) ? CALLS[type].params : NOTIFICATIONS[type]
  return checkShape(shape, message, prefix)
}

/** Runs the handler of a (validated) call with its parameters. */
export function handleCall(handlers: ServiceCalls, message: CallMessage): Promise<CallResults[CallName]> {
  const { type, id: _id, ...params } = message
  return (handlers[type] as (params: unknown) => Promise<CallResults[CallName]>)(params)
}

/** Runs the handler of a (validated) notification with its parameters. */
export function handleNotify(handlers: ServiceNotifications, message: NotifyMessage): void {
  const { type, ...params } = message
  ;(handlers[type] as (params: unknown) => void)(params)
}

/**
 * A bridge's side of every call and notification: one method per name of the tables above, each
 * handing its name and parameters to `call` (which numbers it, sends it and awaits its reply) or
 * to `notify`.
 */
export function proxyService(
  call: (type: CallName, params: object) => Promise<unknown>,
  notify: (type: NotifyName, params: object) => void
): { calls: ServiceCalls; notifications: ServiceNotifications } {
  const calls = Object.fromEntries(Object.keys(CALLS).map((type) => [type, (params: object) => call(type as CallName, params)]))
  const notifications = Object.fromEntries(Object.keys(NOTIFICATIONS).map((type) => [type, (params: object) => notify(type as NotifyName, params)]))
  return { calls: calls as ServiceCalls, notifications: notifications as ServiceNotifications }
}
