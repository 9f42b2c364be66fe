/**
 * Errors as they cross the boundary between processes: a stable code for programs and a message
 * for people, built sharp-style ("Expected <what> for <name> but received <value> of type <type>").
 * No Node, no DOM.
 */

/**
 * Why something failed, as a program reads it: every layer branches on the code, never on the
 * message, which is for people.
 */
export type ErrorCode =
  | 'bad-message' // malformed or unknown message
  | 'unknown-raster'
  | 'out-of-range' // tile outside the pyramid
  | 'not-allowed' // path not opened by the user
  | 'open-failed' // file missing, unreadable, not an image, too large…
  | 'decode-failed'
  | 'overloaded' // per-connection cap reached; least urgent requests dropped (a tile-failed with it may be asked for again)
  | 'unavailable' // the server or the network failed for now (5xx, 408, 429, reset, refused, timeout, DNS): the same read may succeed later
  | 'file-changed' // an open file changed on disk and its new content cannot be read
  | 'file-deleted' // an open file was deleted or moved away
  | 'internal'

/** An error as it crosses the boundary: a stable code for programs, a message for people. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
}

/** An Error that carries a protocol error code; what the service throws for anything it refuses. */
export class TesseraError extends Error {
  /** Stable code, e.g. 'bad-message', 'unknown-raster'. */
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'TesseraError'
    this.code = code
  }
}

/**
 * A file that cannot be opened: the file and the reason kept apart (a program reads `reason`, never
 * the message), and the message a person reads, "Cannot open <path>: <reason>".
 */
export class CannotOpenError extends TesseraError {
  constructor(
    readonly path: string,
    readonly reason: string
  ) {
    super('open-failed', cannotOpenMessage(path, reason))
    this.name = 'CannotOpenError'
  }
}

/**
 * "Cannot open <file>: <reason>", the one message of a file that does not open, whatever the route
 * (command line, Open dialog, drop): `file` as the person gave it — the path typed or picked, a
 * dropped file's own name, never a temporary upload's path.
 */
export function cannotOpenMessage(file: string, reason: string): string {
  return `Cannot open ${file}: ${reason.trim().replace(/\s*:\s*$/, '')}`
}

/** Short, printable form of any value for an error message (strings quoted, long values cut). */
export function describeValue(value: unknown): string {
  let text: string
  if (typeof value === 'string') text = JSON.stringify(value)
  else if (typeof value === 'object' && value !== null) {
    try {
      text = JSON.stringify(value) ?? String(value)
    } catch {
      text = Object.prototype.toString.call(value)
    }
  } else text = String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/**
 * `Expected <what> for <name> but received <value> of type <type>`: the one builder of every
 * validation message (sharp's). `shown` is how the value is written, `describeValue` unless given.
 */
export function expectedMessage(what: string, name: string, value: unknown, shown: string = describeValue(value)): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
  return `Expected ${what} for ${name} but received ${shown} of type ${type}`
}

/** The wire form of any thrown value: its code when it is a TesseraError, else `fallback`. */
export function toErrorInfo(error: unknown, fallback: ErrorCode = 'internal'): ErrorInfo {
  if (error instanceof TesseraError) return { code: error.code, message: error.message }
  if (error instanceof Error) return { code: fallback, message: error.message }
  return { code: fallback, message: String(error) }
}

/**
 * The message of any thrown value, for a person or a log: an Error's (or an error-like object's)
 * `message`, else the value as text. The one place that knows how to read a thrown value.
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  if (error !== null && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message)
  return String(error)
}
