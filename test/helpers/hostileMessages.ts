/**
 * What the hostile-message fuzz tests (issue 7) of the transports share: the error codes and the
 * validation message they expect, what the boundary's validator (the contract, tested in
 * validate.test.ts) makes of a message, and the arbitraries of values of every type and shape and
 * of tile messages that look almost right.
 */
import fc from 'fast-check'
import type { ErrorCode } from '../../src/shared/protocol'
import { callIdOf, validateClientMessage } from '../../src/shared/validate'

export const ERROR_CODES: readonly ErrorCode[] = ['bad-message', 'unknown-raster', 'out-of-range', 'not-allowed', 'open-failed', 'decode-failed', 'overloaded', 'internal']
/** The sharp-style message every validation error carries (errors.ts `expectedMessage`). */
export const EXPECTED_PATTERN = /^Expected .+ for \S+ but received .* of type (string|number|bigint|boolean|undefined|object|null|array|symbol|function)$/s

/** True when the boundary's validator accepts `message`. */
export function isWellFormed(message: unknown): boolean {
  try {
    validateClientMessage(message)
    return true
  } catch {
    return false
  }
}

/** True when the service answers `message` with a reply: a well-formed call, or a malformed message that carries a usable call id. */
export function isAnsweredCall(message: unknown): boolean {
  try {
    const valid = validateClientMessage(message)
    return valid.type !== 'request' && valid.type !== 'cancel-obsolete'
  } catch {
    return callIdOf(message) !== null
  }
}

/**
 * What a message owes the client when it is not an answered call: the code of the one `error`
 * event it must raise (malformed, or for a raster that is not open), or null when it is accepted.
 */
export function owedError(message: unknown, openRasters: ReadonlySet<string>): ErrorCode | null {
  let valid
  try {
    valid = validateClientMessage(message)
  } catch {
    return 'bad-message'
  }
  if (valid.type === 'request' || valid.type === 'cancel-obsolete') return openRasters.has(valid.rasterId) ? null : 'unknown-raster'
  return null
}

/**
 * Values of every type and shape, short and long; `undefined` among them only where the channel
 * carries it (Electron's IPC, a structured clone, does; JSON does not).
 */
export function anyValueOf(options: { withUndefined: boolean }): fc.Arbitrary<unknown> {
  const values: Array<fc.Arbitrary<unknown>> = [
    fc.anything({ maxDepth: 3 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(-1, -0, NaN, Infinity, -Infinity, 2 ** 31 + 1, 2 ** 53, Number.MAX_VALUE),
    fc.string({ maxLength: 300 }),
    fc.constant(null),
    ...(options.withUndefined ? [fc.constant(undefined)] : []),
    fc.array(fc.integer(), { maxLength: 50 })
  ]
  return fc.oneof(...values)
}

/**
 * Tile requests and cancels that look almost right: tiles at `coordinate`s, for the raster `ids`,
 * fields of the wrong type, range or size (each value may also be any of `anyValue`).
 */
export function nearTileMessage(coordinate: fc.Arbitrary<unknown>, ids: fc.Arbitrary<unknown>, anyValue: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const tile = fc.record(
    { level: fc.oneof(fc.integer({ min: -5, max: 70 }), coordinate), col: coordinate, row: coordinate, priority: fc.oneof(fc.integer({ min: -1, max: 5 }), anyValue), rank: fc.oneof(fc.double(), anyValue) },
    { requiredKeys: [] }
  )
  return fc.record(
    { type: fc.constantFrom('request', 'cancel-obsolete'), rasterId: ids, tiles: fc.oneof(fc.array(tile, { maxLength: 30 }), anyValue), keep: fc.oneof(fc.array(fc.oneof(fc.string(), anyValue), { maxLength: 30 }), anyValue), id: anyValue },
    { requiredKeys: ['type'] }
  )
}
