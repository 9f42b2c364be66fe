/**
 * The errors of remote reads: each names the URL and the cause, and says whether a retry may help
 * now (`retriable`, the reader's own retries) and whether the server failed only for now
 * (`isServerUnavailable`: the tile is asked for again later).
 */
import { STATUS_CODES } from 'node:http'

export { abortError, abortable, isAbortError } from '../pool/errors'

/** The server's file is no longer the version opened (another ETag / Last-Modified, or another size). */
export class RemoteFileChangedError extends Error {
  constructor(
    readonly url: string,
    detail: string
  ) {
    super(`${url} changed on the server (${detail})`)
    this.name = 'RemoteFileChangedError'
  }
}

/** What went wrong, for programs; the message is for people. */
export type RemoteFailure =
  | 'http-status'
  | 'dns'
  | 'tls'
  | 'refused'
  | 'reset'
  | 'network'
  | 'timeout'
  | 'stalled'
  | 'truncated'
  | 'bad-answer'
  | 'range-ignored'
  | 'closed'

/** A read of `url` that failed; `reason` is the cause in words ("HTTP 404 Not Found"). */
export class RemoteReadError extends Error {
  constructor(
    readonly url: string,
    readonly failure: RemoteFailure,
    readonly reason: string,
    /** True for 429, 5xx, a connection reset and a truncated body (GDAL retries those too). */
    readonly retriable = false,
    /** The server's Retry-After, in ms, when it said one. */
    readonly retryAfterMs: number | null = null,
    readonly status: number | null = null
  ) {
    super(`Cannot read ${url}: ${reason}`)
    this.name = 'RemoteReadError'
  }
}

/** "404 Not Found": the status with the server's reason phrase, or the standard one. */
export function statusText(status: number, phrase: string): string {
  return `${status} ${phrase || STATUS_CODES[status] || 'Unknown'}`
}

/** Statuses worth a retry: too many requests and server errors, but not "not implemented" ones. */
export function isRetriableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505)
}

/**
 * The failures of the server or the network that pass (an outage, a restart, a full queue, a
 * dropped connection): asking for the same bytes a moment later may succeed. Not a TLS error, a
 * 4xx but 408/429, a bad answer or a changed file: those stay until something changes.
 */
const PASSING_FAILURES: ReadonlySet<RemoteFailure> = new Set(['dns', 'refused', 'reset', 'network', 'timeout', 'stalled', 'truncated'])

/** Statuses of a server failing for now: 408, 429 and the 5xx but "not implemented" ones (as `isRetriableStatus`). */
export function isUnavailableStatus(status: number): boolean {
  return status === 408 || isRetriableStatus(status)
}

/** True when a failed read of `failure` (and HTTP `status`) may succeed later: see `PASSING_FAILURES`. */
export function isPassingFailure(failure: RemoteFailure, status: number | null): boolean {
  if (failure === 'http-status') return status !== null && isUnavailableStatus(status)
  return PASSING_FAILURES.has(failure)
}

/**
 * A read that failed because its server or the network failed for now (`isPassingFailure`), said
 * in the words of the failure. Its name crosses the decode pool (a worker's error keeps only its
 * name and message), so that the tile's failure is coded 'unavailable' and asked for again later.
 */
export class ServerUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ServerUnavailableError'
  }
}

/**
 * True for a read that failed for now (`isPassingFailure`): a RemoteReadError of such a failure, or a
 * ServerUnavailableError, here or from a worker (by its name). The other failures are the data's.
 */
export function isServerUnavailable(error: unknown): boolean {
  if (error instanceof RemoteReadError) return isPassingFailure(error.failure, error.status)
  return error instanceof Error && error.name === 'ServerUnavailableError'
}

interface Coded {
  code?: string
  message?: string
  cause?: unknown
}

/** The innermost coded cause of a fetch error ("fetch failed" → getaddrinfo ENOTFOUND …). */
function rootCause(error: unknown): Coded {
  let current = error as Coded
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    if (current.code) return current
    if (!current.cause) break
    current = current.cause as Coded
  }
  return (current ?? {}) as Coded
}

/** A network error of fetch or of a body read, as a RemoteReadError with the cause in words. */
export function networkError(url: string, error: unknown, received?: { bytes: number; expected: number | null }): RemoteReadError {
  const cause = rootCause(error)
  const code = cause.code ?? ''
  const host = safeHost(url)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new RemoteReadError(url, 'dns', `cannot resolve host ${host} (${code})`)
  }
  if (code === 'ECONNREFUSED') return new RemoteReadError(url, 'refused', `connection refused by ${host}`)
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'EPROTO' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    // OpenSSL's own messages are long internal paths; its code says it ("ERR_SSL_WRONG_VERSION_NUMBER"),
    // while Node's certificate messages read well ("self-signed certificate").
    const detail = code.startsWith('ERR_SSL') || !cause.message ? code : `${code}: ${firstLine(cause.message)}`
    return new RemoteReadError(url, 'tls', `TLS error with ${host} (${detail})`)
  }
  if (received) {
    const of = received.expected === null ? '' : ` of ${received.expected}`
    return new RemoteReadError(url, 'truncated', `the body was truncated: the connection closed after ${received.bytes}${of} bytes`, true)
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'ECONNABORTED') {
    return new RemoteReadError(url, 'reset', `the connection was reset (${code})`, true)
  }
  const text = cause.message ? firstLine(cause.message) : (error as Coded)?.message ?? String(error)
  return new RemoteReadError(url, 'network', `network error (${code ? `${code}: ` : ''}${text})`)
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim()
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
