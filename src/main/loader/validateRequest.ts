/** Checks a load request at the loader's entry, naming the field, the value and what was expected. */
import { expectedMessage } from '../../shared/errors'
import { isPriority } from '../../shared/priority'
import type { LoadRequest } from './types'

/** Throws a TypeError `Expected <what> for <field> but received <value> of type <type>` for a malformed request. */
export function validateRequest<T>(request: LoadRequest<T>): void {
  if (typeof request !== 'object' || request === null) {
    throw new TypeError(expectedMessage('object', 'request', request, String(request)))
  }
  expect(typeof request.id === 'string', 'string', 'id', request.id)
  expect(typeof request.textureId === 'string', 'string', 'textureId', request.textureId)
  expect(typeof request.load === 'function', 'function', 'load', request.load)
  expect(typeof request.callback === 'function', 'function', 'callback', request.callback)
  if (request.priority !== undefined) expect(isPriority(request.priority), 'ImageLoadPriority 1, 2 or 3', 'priority', request.priority)
  if (request.rank !== undefined) expect(typeof request.rank === 'number' && !Number.isNaN(request.rank), 'number', 'rank', request.rank)
  if (request.lane !== undefined) expect(request.lane === 'decode' || request.lane === 'network', "'decode' or 'network'", 'lane', request.lane)
}

// At module level, not inside validateRequest: scheduleLoad is hot (one call per tile per frame).
function expect(ok: boolean, what: string, name: string, value: unknown): void {
  if (!ok) throw new TypeError(expectedMessage(what, name, value, String(value)))
}
