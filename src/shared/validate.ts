/**
 * Validation of every message a TesseraService receives, once, at the boundary. A small schema
 * checker of its own (no dependency): each field is checked by type and range, and the first
 * problem is reported sharp-style, naming the field. Inner code then trusts `ClientMessage`.
 */
import { TesseraError, expectedMessage } from './errors'
import { isPriority } from './priority'
import type { CallMessage, ClientMessage, NotifyMessage, SchedulingMode, TileRequest } from './protocol'

/** Limits of one message: a frame's batch of tiles, the keys kept by one cancellation, string lengths. */
export const MESSAGE_LIMITS = {
  maxTilesPerRequest: 20_000,
  maxKeepKeys: 200_000,
  maxPathLength: 4096,
  maxNameLength: 255,
  maxIdLength: 128,
  /** Largest file accepted for upload: 16 GiB. */
  maxUploadSize: 16 * 1024 ** 3,
  maxLevel: 64
} as const

const CALL_TYPES = new Set<string>(['open', 'upload-begin', 'upload-end', 'close', 'stats', 'configure'])
const NOTIFY_TYPES = new Set<string>(['request', 'cancel-obsolete'])

/** True when `message` is a call (carries an id and gets one reply). */
export function isCallMessage(message: ClientMessage): message is CallMessage {
  return CALL_TYPES.has(message.type)
}

/** The call id of a message that is too malformed to validate, when it has a usable one; else null. */
export function callIdOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null
  const id = (value as { id?: unknown }).id
  return isCallId(id) ? id : null
}

/**
 * Checks that `value` is a well-formed `ClientMessage` and returns it typed. Throws a
 * `TesseraError` with code 'bad-message' naming the first field that is wrong.
 */
export function validateClientMessage(value: unknown): ClientMessage {
  const message = record(value, 'message')
  const type = message.type
  if (typeof type !== 'string' || !(CALL_TYPES.has(type) || NOTIFY_TYPES.has(type))) {
    fail(`one of ${[...CALL_TYPES, ...NOTIFY_TYPES].join(', ')}`, 'type', type)
  }
  if (NOTIFY_TYPES.has(type)) return validateNotify(type as NotifyMessage['type'], message)
  return validateCall(type as CallMessage['type'], message)
}

function validateCall(type: CallMessage['type'], m: Record<string, unknown>): CallMessage {
  if (!isCallId(m.id)) fail('non-negative integer', 'id', m.id)
  const id = m.id as number
  switch (type) {
    case 'open':
      return { type, id, path: text(m.path, 'path', MESSAGE_LIMITS.maxPathLength) }
    case 'upload-begin':
      return { type, id, name: text(m.name, 'name', MESSAGE_LIMITS.maxNameLength), size: size(m.size) }
    case 'upload-end':
      return { type, id, uploadId: text(m.uploadId, 'uploadId', MESSAGE_LIMITS.maxIdLength) }
    case 'close':
      return { type, id, rasterId: text(m.rasterId, 'rasterId', MESSAGE_LIMITS.maxIdLength) }
    case 'stats':
      return { type, id }
    case 'configure':
      if (m.scheduling !== 'priority' && m.scheduling !== 'fifo') fail("'priority' or 'fifo'", 'scheduling', m.scheduling)
      return { type, id, scheduling: m.scheduling as SchedulingMode }
  }
}

function validateNotify(type: NotifyMessage['type'], m: Record<string, unknown>): NotifyMessage {
  const rasterId = text(m.rasterId, 'rasterId', MESSAGE_LIMITS.maxIdLength)
  if (type === 'request') {
    if (!Array.isArray(m.tiles) || m.tiles.length > MESSAGE_LIMITS.maxTilesPerRequest) {
      fail(`array of at most ${MESSAGE_LIMITS.maxTilesPerRequest} tile requests`, 'tiles', m.tiles)
    }
    const tiles = (m.tiles as unknown[]).map((tile, i) => tileRequest(tile, `tiles[${i}]`))
    return { type, rasterId, tiles }
  }
  if (!Array.isArray(m.keep) || m.keep.length > MESSAGE_LIMITS.maxKeepKeys) {
    fail(`array of at most ${MESSAGE_LIMITS.maxKeepKeys} tile keys`, 'keep', m.keep)
  }
  const keep = m.keep as unknown[]
  for (let i = 0; i < keep.length; i++) {
    if (typeof keep[i] !== 'string') fail('string tile key', `keep[${i}]`, keep[i])
  }
  return { type, rasterId, keep: keep as string[] }
}

function tileRequest(value: unknown, name: string): TileRequest {
  const t = record(value, name)
  const level = integer(t.level, `${name}.level`, MESSAGE_LIMITS.maxLevel)
  const col = integer(t.col, `${name}.col`, 2 ** 31)
  const row = integer(t.row, `${name}.row`, 2 ** 31)
  if (!isPriority(t.priority)) fail('priority 1, 2 or 3', `${name}.priority`, t.priority)
  const tile: TileRequest = { level, col, row, priority: t.priority }
  if (t.rank !== undefined) {
    if (typeof t.rank !== 'number' || !Number.isFinite(t.rank)) fail('finite number', `${name}.rank`, t.rank)
    tile.rank = t.rank
  }
  return tile
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('object', name, value)
  return value as Record<string, unknown>
}

function text(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    fail(`non-empty string of at most ${maxLength} characters`, name, value)
  }
  return value
}

function integer(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    fail(`integer between 0 and ${max}`, name, value)
  }
  return value
}

function size(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MESSAGE_LIMITS.maxUploadSize) {
    fail(`integer between 0 and ${MESSAGE_LIMITS.maxUploadSize}`, 'size', value)
  }
  return value
}

function isCallId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function fail(what: string, name: string, value: unknown): never {
  throw new TesseraError('bad-message', expectedMessage(what, name, value))
}
