/**
 * Validation of every message that crosses the boundary, once, where it arrives: a TesseraService's
 * messages, whose type names a call or notification of `calls.ts`, and the renderer's events, whose
 * type names an event of `events.ts`; the table's checkers then check the fields (the first problem
 * is reported sharp-style, naming the field). Inner code then trusts `ClientMessage` and
 * `EventMessage`.
 */
import { CALLS, type CallMessage, type ClientMessage, MESSAGE_LIMITS, NOTIFICATIONS, type NotifyMessage, checkParams, isCallName, isNotifyName } from './calls'
import { fail, record } from './check'
import { TesseraError, expectedMessage } from './errors'
import { EVENTS, type EventMessage, checkEventPayload, isEventName } from './events'

export { MESSAGE_LIMITS }

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
 * Checks the length of a batch of notifications (`NotifyBatch` as an array); an empty one is
 * never sent, so it is malformed. Its elements are checked one by one (`validateBatchedNotification`).
 */
export function checkNotifyBatch(value: unknown[]): void {
  const most = MESSAGE_LIMITS.maxBatchedNotifications
  if (value.length === 0 || value.length > most) throw new TesseraError('bad-message', expectedMessage(`1 to ${most} notifications`, 'batch', value, `${value.length}`))
}

/**
 * Checks element `index` of a batch as `validateClientMessage` checks a message, naming its fields
 * `batch[<index>].<field>`. Only a notification: a call's reply would have nowhere to go.
 */
export function validateBatchedNotification(value: unknown, index: number): NotifyMessage {
  const name = `batch[${index}]`
  const message = record(value, name)
  const type = message.type
  if (!isNotifyName(type)) fail(`one of ${Object.keys(NOTIFICATIONS).join(', ')}`, `${name}.type`, type)
  return { type, ...checkParams(type, message, `${name}.`) } as NotifyMessage
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

/**
 * Checks that `value` is a well-formed event of `events.ts` and returns it typed, with its known
 * fields only. Throws a `TesseraError` with code 'bad-message' naming the first field that is
 * wrong, as `<event>.<field>` (`tile-failed.error.code`).
 */
export function validateServerEvent(value: unknown): EventMessage {
  const message = record(value, 'message')
  const type = message.type
  if (!isEventName(type)) fail(`one of ${Object.keys(EVENTS).join(', ')}`, 'type', type)
  return { type, ...checkEventPayload(type, message) } as EventMessage
}

function isCallId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
