/** A range request with its retries: 429, 5xx, a connection reset or a truncated body, at most `maxRetries`, with backoff. */
import { sleep, retryDelayMs } from './backoff'
import { RemoteReadError } from './errors'
import type { AskedRange, KnownFile } from './rangeAnswer'
import { attemptRange, type RangeAnswer, type RangeTarget, type RequestEnv } from './rangeAttempt'

/** The bytes of `asked`; the last error (its message saying how many retries were made) when every attempt failed. */
export async function fetchRange(target: RangeTarget, asked: AskedRange, known: KnownFile | null, env: RequestEnv, signal?: AbortSignal): Promise<RangeAnswer> {
  const { maxRetries, retryBaseDelayMs, maxRetryAfterMs } = env.options
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptRange(target, asked, known, env, signal)
    } catch (error) {
      if (!(error instanceof RemoteReadError) || !error.retriable) throw error
      if (attempt >= maxRetries) {
        if (attempt === 0) throw error
        throw new RemoteReadError(error.url, error.failure, `${error.reason} (after ${attempt} ${attempt === 1 ? 'retry' : 'retries'})`, false, null, error.status)
      }
      await sleep(retryDelayMs(attempt, retryBaseDelayMs, error.retryAfterMs, maxRetryAfterMs), signal)
    }
  }
}
