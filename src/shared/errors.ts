/**
 * Errors as they cross the boundary between processes: a stable code for programs and a message
 * for people, built sharp-style ("Expected <what> for <name> but received <value> of type <type>").
 * No Node, no DOM.
 */
import type { ErrorCode, ErrorInfo } from './protocol'

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

/** `Expected <what> for <name> but received <value> of type <type>`. */
export function expectedMessage(what: string, name: string, value: unknown): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
  return `Expected ${what} for ${name} but received ${describeValue(value)} of type ${type}`
}

/** The wire form of any thrown value: its code when it is a TesseraError, else `fallback`. */
export function toErrorInfo(error: unknown, fallback: ErrorCode = 'internal'): ErrorInfo {
  if (error instanceof TesseraError) return { code: error.code, message: error.message }
  if (error instanceof Error) return { code: fallback, message: error.message }
  return { code: fallback, message: String(error) }
}
