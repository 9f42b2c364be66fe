/**
 * Validation of every message a TesseraService receives, once, at the boundary: the message's
 * type names a call or notification of `calls.ts`, whose checkers then check its fields (the first
 * problem is reported sharp-style, naming the field). Inner code then trusts `ClientMessage`.
 */
import { CALLS, type CallMessage, type ClientMessage, NOTIFICATIONS, checkParams, isCallName, isNotifyName } from './calls'
import { fail, record } from './check'

export { MESSAGE_LIMITS } from './calls'

/** True when `message` is a call (carries an id and gets one reply). */
export function isCallMessage(message: ClientMessage): message is CallMessage {
  return isCallName(message.type)
}

/** The call id of a message that is too malformed to validate, when it has a usable one; else null. */
export function callIdOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null
  const id = (value as { id?: unknown }).id
  return isCallId(id) ? id : null
}

/**
 * Checks that `value` is a well-formed `ClientMessage` and returns it typed, with its known fields
 * only. Throws a `TesseraError` with code 'bad-message' naming the first field that is wrong.
 */
export function validateClientMessage(value: unknown): ClientMessage {
  const message = record(value, 'message')
  const type = message.type
  if (isNotifyName(type)) return { type, ...checkParams(type, message) } as ClientMessage
  if (!isCallName(type)) fail(`one of ${[...Object.keys(CALLS), ...Object.keys(NOTIFICATIONS)].join(', ')}`, 'type', type)
  if (!isCallId(message.id)) fail('non-negative integer', 'id', message.id)
  return { type, id: message.id, ...checkParams(type, message) } as ClientMessage
}

function isCallId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
