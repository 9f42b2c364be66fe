/** Errors that the pool and the raster sources share. */

/** An Error named 'AbortError' (as DOM fetch and Node streams name theirs), for work cancelled by an AbortSignal. */
export function abortError(what: string): Error {
  const error = new Error(`${what} was aborted`)
  error.name = 'AbortError'
  return error
}

/** `promise`, or `abortError(what)` as soon as `signal` aborts (the work behind the promise goes on: a shared fetch, an overview). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(what))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}

/** True for an error made by `abortError` or any other AbortError. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError'
}
