/**
 * Reading an answer's body whole into one buffer, with a stall timeout between chunks and the
 * length checked: exactly `expected` bytes when known (fewer = truncated), at most `limit`.
 */
import { RemoteReadError, abortError, networkError } from './errors'

export interface BodyExpectation {
  /** Bytes the body must hold, when known. */
  expected: number | null
  /** Most bytes accepted when `expected` is unknown. */
  limit: number
  /** The error when the body grows past `limit`. */
  tooLong: () => RemoteReadError
}

/**
 * The body's bytes. `controller` aborts the request: this calls it on a stall; when `signal` (the
 * callers' own) aborts, rejects with an AbortError. `onBytes` counts each chunk as it arrives.
 */
export async function readBody(
  url: string,
  body: ReadableStream<Uint8Array> | null,
  expectation: BodyExpectation,
  stallTimeoutMs: number,
  controller: AbortController,
  signal: AbortSignal | undefined,
  onBytes: (count: number) => void
): Promise<Uint8Array> {
  const { expected, limit } = expectation
  let buffer = new Uint8Array(expected ?? Math.min(limit, 1 << 20))
  let received = 0
  if (!body) {
    if (expected) throw truncated(url, received, expected)
    return buffer.subarray(0, 0)
  }
  const reader = body.getReader()
  let stalled = false
  let timer: NodeJS.Timeout | undefined
  const armStall = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      stalled = true
      controller.abort()
    }, stallTimeoutMs)
  }
  try {
    armStall()
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (error) {
        if (signal?.aborted) throw abortError(`Reading ${url}`)
        if (stalled) {
          const of = expected === null ? '' : ` of ${expected}`
          throw new RemoteReadError(url, 'stalled', `the server stalled for ${seconds(stallTimeoutMs)} mid-body (after ${received}${of} bytes)`)
        }
        throw networkError(url, error, { bytes: received, expected })
      }
      if (chunk.done) break
      armStall()
      const bytes = chunk.value
      onBytes(bytes.byteLength)
      const size = received + bytes.byteLength
      if (expected !== null && size > expected) {
        throw new RemoteReadError(url, 'bad-answer', `the server sent more than the ${expected} bytes it announced`)
      }
      if (size > limit) throw expectation.tooLong()
      if (size > buffer.byteLength) {
        const grown = new Uint8Array(Math.min(limit, Math.max(size, buffer.byteLength * 2)))
        grown.set(buffer.subarray(0, received))
        buffer = grown
      }
      buffer.set(bytes, received)
      received = size
    }
  } finally {
    clearTimeout(timer)
    // A body left unread (an error above) would hold its connection: cancel it. Never throws.
    reader.cancel().catch(() => undefined)
  }
  if (expected !== null && received < expected) throw truncated(url, received, expected)
  return received === buffer.byteLength ? buffer : buffer.slice(0, received)
}

function truncated(url: string, received: number, expected: number): RemoteReadError {
  return new RemoteReadError(url, 'truncated', `the body was truncated: ${received} of ${expected} bytes arrived`, true)
}

/** "15 s", "0.2 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}
