/** Waiting between retries: exponential backoff, or the server's Retry-After when it says more. */
import { abortError } from './errors'

/** Delay before retry `attempt` (0 for the first retry): base·2^attempt, at least the Retry-After (capped). */
export function retryDelayMs(attempt: number, baseMs: number, retryAfterMs: number | null, maxRetryAfterMs: number): number {
  const backoff = baseMs * 2 ** attempt
  return retryAfterMs === null ? backoff : Math.max(backoff, Math.min(retryAfterMs, maxRetryAfterMs))
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError('A retry'))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortError('A retry'))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
