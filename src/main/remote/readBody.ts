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
  // A known length is read into one buffer of that size. An unknown one (a web tile, a document)
  // keeps its chunks and joins them once at the end: a buffer allocated ahead at a guess (1 MiB) was
  // zeroed and thrown away for every 100 kB tile, a third of the host's CPU in garbage collection
  // during the web bench's jumps.
  const buffer = expected === null ? null : new Uint8Array(expected)
  const chunks: Uint8Array[] = []
  let received = 0
  if (!body) {
    if (expected) throw truncated(url, received, expected)
    return new Uint8Array(0)
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
      if (buffer) buffer.set(bytes, received)
      else chunks.push(bytes)
      received = size
    }
  } finally {
    clearTimeout(timer)
    // A body left unread (an error above) would hold its connection: cancel it. Never throws.
    reader.cancel().catch(() => undefined)
  }
  if (buffer) {
    if (received < buffer.byteLength) throw truncated(url, received, buffer.byteLength)
    return buffer
  }
  return joined(chunks, received)
}

/**
 * The chunks as one array that owns its buffer (callers may transfer it to a worker): the only
 * chunk itself when it spans its buffer, else a copy.
 */
function joined(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const only = chunks.length === 1 ? chunks[0]! : null
  if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) return only
  const bytes = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return bytes
}

function truncated(url: string, received: number, expected: number): RemoteReadError {
  return new RemoteReadError(url, 'truncated', `the body was truncated: ${received} of ${expected} bytes arrived`, true)
}

/** "15 s", "0.2 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}
