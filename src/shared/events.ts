/**
 * Every event of the protocol, service → renderer, each defined once: its name, the checkers of its
 * payload, and whether the renderer keeps it until someone listens. Everything else follows from
 * this table, as the calls follow from `calls.ts`: the event messages (`EventMessage`, part of
 * `ServerMessage`), which the service builds and sends; their validation in the renderer
 * (`validateServerEvent` in `validate.ts`); and the bridge's dispatch and listeners
 * (`bridge.on(name, listener)`, `BridgeEvents`). Adding an event touches this table and its
 * handler, nothing else. Tiles are not events: they travel as binary frames (`tileFrame.ts`).
 */
import { MESSAGE_LIMITS } from './calls'
import {
  type Check,
  type Shape,
  type ShapeOf,
  anyNumber,
  anyString,
  arrayOf,
  between,
  boolean,
  fail,
  integer,
  nullable,
  oneOf,
  optional,
  shape,
  text
} from './check'
import type { ErrorCode, ErrorInfo } from './errors'
import { type BandInfo, type BandStatistics, type ClassName, type CrsInfo, type Georeference, HISTOGRAM_BINS, type LevelSize, type PaletteEntry, type RasterInfo, type RemoteSource, type SampleType } from './raster'

/**
 * Files the host opens together (command line, File > Open with several files, a folder): the
 * place of one of them. The renderer stacks them in the order given, the last on top, whatever the
 * order their opens finish in. `batch` is unique per connection (or window); `index` < `size`.
 */
export interface OpenBatchSlot {
  batch: string
  index: number
  size: number
}

/** An event: the checkers of its payload, and whether it is kept for the first listener. */
export interface EventSpec<P extends Shape> {
  readonly payload: P
  /**
   * Kept while nobody listens and handed to the first listener: the host opens files given on
   * the command line before the renderer has built its viewer, and a person must still see them
   * and their errors.
   */
  readonly replay: boolean
}

function event<P extends Shape>(payload: P, options: { replay?: boolean } = {}): EventSpec<P> {
  return { payload, replay: options.replay ?? false }
}

const id = text(MESSAGE_LIMITS.maxIdLength)
const count = integer(2 ** 31)

/** Every code of `ErrorCode`, once (the compiler says when one is missing). */
const ERROR_CODES: Record<ErrorCode, true> = {
  'bad-message': true,
  'unknown-raster': true,
  'out-of-range': true,
  'not-allowed': true,
  'open-failed': true,
  'decode-failed': true,
  overloaded: true,
  unavailable: true,
  'file-changed': true,
  'file-deleted': true,
  internal: true
}

const errorInfo: Check<ErrorInfo> = shape({ code: oneOf(...(Object.keys(ERROR_CODES) as ErrorCode[])), message: anyString('string') })

const openBatchSlot: Check<OpenBatchSlot> = (value, name) => {
  const slot = shape({ batch: id, index: count, size: count })(value, name)
  if (slot.index >= slot.size) fail(`index below size ${slot.size}`, `${name}.index`, slot.index)
  return slot
}

const sampleType = oneOf<SampleType>('uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64')
const maxBands = 65_535

const bandStatistics = shape({
  min: anyNumber,
  max: anyNumber,
  p2: anyNumber,
  p98: anyNumber,
  p0_5: optional(anyNumber),
  p99_5: optional(anyNumber),
  mean: optional(anyNumber),
  stdDev: optional(anyNumber),
  noData: nullable(anyNumber),
  exact: optional(boolean),
  histogram: optional(arrayOf(anyNumber, HISTOGRAM_BINS, 'bin counts')),
  classCounts: optional(arrayOf(integer(Number.MAX_SAFE_INTEGER), 65_536, 'class counts'))
} satisfies { [K in keyof BandStatistics]-?: Check<BandStatistics[K]> })

const bandInfo = shape({
  colorInterpretation: oneOf('gray', 'red', 'green', 'blue', 'alpha', 'palette', 'undefined'),
  statistics: nullable(bandStatistics),
  description: optional(anyString('string'))
} satisfies { [K in keyof BandInfo]-?: Check<BandInfo[K]> })

const crsInfo = shape({
  id: text(512),
  epsg: nullable(count),
  proj4: nullable(text(8192)),
  name: anyString('string'),
  source: oneOf('geokeys', 'prj', 'aux-xml', 'manual', 'service')
} satisfies { [K in keyof CrsInfo]-?: Check<CrsInfo[K]> })

const georeference = shape({
  geoTransform: (value, name) => {
    if (!Array.isArray(value) || value.length !== 6) fail('array of 6 numbers', name, value)
    return value.map((n, i) => anyNumber(n, `${name}[${i}]`)) as Georeference['geoTransform']
  },
  rasterType: oneOf('area', 'point'),
  epsg: nullable(count),
  crs: optional(nullable(crsInfo)),
  rotated: boolean
} satisfies { [K in keyof Georeference]-?: Check<Georeference[K]> })

const paletteEntry: Check<PaletteEntry> = (value, name) => {
  if (!Array.isArray(value) || value.length !== 4) fail('array of 4 colour components (r, g, b, a)', name, value)
  return value.map((c, i) => integer(255)(c, `${name}[${i}]`)) as PaletteEntry
}

const displayBands: Check<RasterInfo['displayBands']> = (value, name) => {
  if (!Array.isArray(value) || (value.length !== 1 && value.length !== 3)) fail('array of 1 or 3 band indices', name, value)
  return value.map((band, i) => integer(maxBands)(band, `${name}[${i}]`)) as RasterInfo['displayBands']
}

const remoteSource = shape({
  kind: oneOf('url'),
  url: text(MESSAGE_LIMITS.maxUrlLength),
  size: integer(Number.MAX_SAFE_INTEGER),
  lastModified: nullable(anyString('string')),
  wholeBody: boolean
} satisfies { [K in keyof RemoteSource]-?: Check<RemoteSource[K]> })

/** Every field of a raster's info, down to its statistics and georeferencing. */
const rasterInfo: Check<RasterInfo> = shape({
  name: anyString('string'),
  format: anyString('string'),
  fileSize: integer(Number.MAX_SAFE_INTEGER),
  width: count,
  height: count,
  tileSize: integer(65_536),
  levels: arrayOf(shape({ width: count, height: count } satisfies { [K in keyof LevelSize]: Check<number> }), MESSAGE_LIMITS.maxLevel + 1, 'levels'),
  bands: integer(maxBands),
  sampleType,
  hasAlpha: boolean,
  bandInfo: arrayOf(bandInfo, maxBands, 'bands'),
  noData: nullable(anyNumber),
  hasMask: boolean,
  displayBands,
  tileKind: oneOf('rgba8', 'bands'),
  tileMask: boolean,
  compression: optional(anyString('string')),
  warnings: arrayOf(anyString('string'), 10_000, 'warnings'),
  tileChannels: integer(maxBands + 1),
  tileSampleType: sampleType,
  statistics: nullable(bandStatistics),
  statisticsState: optional(oneOf('provisional', 'final')),
  georeference: nullable(georeference),
  strategy: oneOf('tiled', 'memory', 'pyramid'),
  pyramidReady: boolean,
  palette: optional(arrayOf(paletteEntry, 65_536, 'palette entries')),
  classNames: optional(arrayOf(shape({ value: anyNumber, name: anyString('string') } satisfies { [K in keyof ClassName]: Check<ClassName[K]> }), 65_536, 'classes')),
  source: optional(remoteSource)
} satisfies { [K in keyof RasterInfo]-?: Check<RasterInfo[K]> })

/** Events, service → renderer: the renderer checks each against its payload, and drops (and reports) what does not match. */
export const EVENTS = {
  /** Pyramid build progress, 0…1; 1 ends the phase, whether the pyramid is ready or its build failed (an `error` follows then). */
  progress: event({ rasterId: id, phase: oneOf('pyramid'), progress: between(0, 1) }),
  /** A raster's info changed: its pyramid is ready, or its file changed and was opened again. */
  'raster-updated': event({ rasterId: id, info: rasterInfo }),
  /**
   * A raster's whole-raster statistics, once computed after its open (it opened with provisional
   * ones, `RasterInfo.statisticsState`): every band's (`bandInfo`, by band) and the first shown
   * band's (`statistics`), now 'final'. Said once per open of the file; never after its close.
   */
  'info-update': event({ rasterId: id, bandInfo: arrayOf(bandInfo, maxBands, 'bands'), statistics: nullable(bandStatistics), statisticsState: oneOf('final') }),
  /** A raster the host opened (command line, File menu); `batch` when it was given with others. */
  'raster-opened': event({ rasterId: id, info: rasterInfo, batch: optional(openBatchSlot) }, { replay: true }),
  /**
   * A tile that will not come. Code 'overloaded': dropped by the service's cap, not failed — it may be
   * asked for again; 'unavailable': its server or the network failed for now — asked again later.
   */
  'tile-failed': event({ rasterId: id, key: anyString('string tile key'), error: errorInfo }),
  /**
   * `rasterId` names the raster the error is about, when it is about one (its file changed or
   * vanished); `batch`, the place of a file the host failed to open among files given together,
   * and `file`, that file as the host was given it (its path on the command line or in File > Open).
   */
  error: event({ error: errorInfo, rasterId: optional(id), batch: optional(openBatchSlot), file: optional(text(MESSAGE_LIMITS.maxPathLength)) }, { replay: true })
}

type Events = typeof EVENTS
type Flat<T> = { [K in keyof T]: T[K] }

export type EventName = keyof Events
/** What an event carries besides its name, e.g. 'tile-failed' → `{ rasterId, key, error }`. */
export type EventPayload<E extends EventName> = ShapeOf<Events[E]['payload']>
/** Every event's payload, by name. */
export type ServerEvents = { [E in EventName]: EventPayload<E> }
/** An event as it crosses the wire: its name in `type`, beside its payload's fields. */
export type EventMessage<E extends EventName = EventName> = { [K in E]: Flat<{ type: K } & EventPayload<K>> }[E]

/** True when `type` names an event. */
export function isEventName(type: unknown): type is EventName {
  return typeof type === 'string' && Object.hasOwn(EVENTS, type)
}

/** The names of the events kept for the first listener when nobody listens (`EventSpec.replay`). */
export const REPLAYED_EVENTS: ReadonlySet<EventName> = new Set((Object.keys(EVENTS) as EventName[]).filter((name) => EVENTS[name].replay))

/** The checked payload of an event (`message` is a plain object), its fields named `<type>.<field>`. */
export function checkEventPayload<E extends EventName>(type: E, message: Record<string, unknown>): EventPayload<E> {
  return shape(EVENTS[type].payload as Shape)(message, type) as EventPayload<E>
}

/** Splits a (validated) event message into its name and payload. */
export function eventPayload<E extends EventName>(message: EventMessage<E>): { type: E; payload: EventPayload<E> } {
  const { type, ...payload } = message as { type: E } & Record<string, unknown>
  return { type, payload: payload as EventPayload<E> }
}
