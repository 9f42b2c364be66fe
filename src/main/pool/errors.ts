/** Errors that the pool and the raster sources share. */

/** An Error named 'AbortError' (as DOM fetch and Node streams name theirs), for work cancelled by an AbortSignal. */
export function abortError(what: string): Error {
  const error = new Error(`${what} was aborted`)
  error.name = 'AbortError'
  return error
}

/** True for an error made by `abortError` or any other AbortError. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError'
}
