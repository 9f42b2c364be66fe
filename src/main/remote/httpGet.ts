/**
 * One whole GET of a small resource (a capabilities document, a map tile), for web map layers
 * (issue 25): the process's per-host limit taken while it runs, redirects followed, the answer
 * returned whatever its status (the caller reads a WMS ServiceException in a 400's body), its
 * headers kept for HTTP caching, and conditional requests (If-None-Match, If-Modified-Since).
 * Retries 429/5xx answers and connection resets as the range reader does.
 */
import { parseRetryAfter, retryDelayMs, sleep } from './backoff'
import { RemoteReadError, abortError, isRetriableStatus, networkError } from './errors'
import type { HostLimiter } from './HostLimiter'
import { readBody, seconds } from './readBody'
import { parseRemoteUrl } from './remoteUrl'
import type { Http2Origins } from './http2Origins'
import { sharedHostLimiter, sharedOrigins } from './sharedClient'

export interface HttpGetOptions {
  signal?: AbortSignal
  /** Extra request headers (If-None-Match, Accept…). */
  headers?: Record<string, string>
  /** Largest body accepted; default 32 MiB. */
  maxBytes?: number
  /** Time allowed for the answer's headers; default 30 s. */
  firstByteTimeoutMs?: number
  /** Time allowed without a byte mid-body; default 15 s. */
  stallTimeoutMs?: number
  /** Retries of 429, 5xx and resets; default 2. */
  maxRetries?: number
  retryBaseDelayMs?: number
  /** Default the process's limiter (6 per host), shared with remote files. */
  limiter?: HostLimiter
  /** Default the process's HTTP/2 sessions (`sharedOrigins()`). */
  origins?: Http2Origins
  /** Called each time the request leaves (its host's limiter let it go), at each attempt and redirect. */
  onSent?: () => void
  /** Called each time an answer's headers arrive, at each attempt and redirect. */
  onHeaders?: () => void
}

export interface HttpAnswer {
  /** The URL asked for (before redirects). */
  url: string
  status: number
  statusText: string
  headers: Headers
  body: Uint8Array
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

export const httpGetDefaults = { maxBytes: 32 * 1024 * 1024, firstByteTimeoutMs: 30_000, stallTimeoutMs: 15_000, maxRetries: 2, retryBaseDelayMs: 250 }

/**
 * GETs `url` (http or https only). Resolves with the final answer (any status but a redirect);
 * rejects with a RemoteReadError naming the URL and the cause (refused, timeout, DNS…) or with an
 * AbortError when `signal` aborts: the request is then aborted too.
 */
export async function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpAnswer> {
  parseRemoteUrl(url)
  const settings = { ...httpGetDefaults, ...stripUndefined(options) }
  for (let attempt = 0; ; attempt++) {
    let answer: HttpAnswer
    try {
      answer = await followRedirects(url, settings, options)
    } catch (error) {
      if (options.signal?.aborted) throw abortError(`Reading ${url}`)
      if (error instanceof RemoteReadError && error.retriable && attempt < settings.maxRetries) {
        await sleep(retryDelayMs(attempt, settings.retryBaseDelayMs, null, 5_000), options.signal)
        continue
      }
      throw error
    }
    if (isRetriableStatus(answer.status) && attempt < settings.maxRetries) {
      const after = parseRetryAfter(answer.headers.get('retry-after'))
      await sleep(retryDelayMs(attempt, settings.retryBaseDelayMs, after, 5_000), options.signal)
      continue
    }
    return answer
  }
}

async function followRedirects(url: string, settings: typeof httpGetDefaults, options: HttpGetOptions): Promise<HttpAnswer> {
  let from = url
  for (let hops = 0; ; hops++) {
    const answer = await getOnce(url, from, settings, options)
    if (!REDIRECTS.has(answer.status)) return answer
    const location = answer.headers.get('location')
    if (!location) throw new RemoteReadError(url, 'bad-answer', `HTTP ${answer.status} redirect without a Location`)
    if (hops >= MAX_REDIRECTS) throw new RemoteReadError(url, 'bad-answer', `more than ${MAX_REDIRECTS} redirects`)
    const next = new URL(location, from)
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new RemoteReadError(url, 'bad-answer', `the server redirects to a ${next.protocol} URL; Tessera fetches only http and https URLs`)
    }
    from = next.href
  }
}

/** One request to `hopUrl`, its host's slot held until its body is read. */
async function getOnce(url: string, hopUrl: string, settings: typeof httpGetDefaults, options: HttpGetOptions): Promise<HttpAnswer> {
  const { signal } = options
  const limiter = options.limiter ?? sharedHostLimiter()
  const release = await limiter.acquire(new URL(hopUrl).host, signal)
  const controller = new AbortController()
  const onAbort = (): void => controller.abort()
  signal?.addEventListener('abort', onAbort, { once: true })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, settings.firstByteTimeoutMs)
  try {
    let response: Response
    try {
      options.onSent?.()
      response = await (options.origins ?? sharedOrigins()).fetch(hopUrl, { signal: controller.signal, headers: options.headers })
      options.onHeaders?.()
    } catch (error) {
      if (signal?.aborted) throw abortError(`Reading ${url}`)
      if (timedOut) throw new RemoteReadError(url, 'timeout', `no answer from ${new URL(hopUrl).host} within ${seconds(settings.firstByteTimeoutMs)}`)
      throw networkError(url, error)
    } finally {
      clearTimeout(timer)
    }
    const tooLong = (): RemoteReadError => new RemoteReadError(url, 'bad-answer', `the answer is larger than ${settings.maxBytes} bytes`)
    const length = Number(response.headers.get('content-length'))
    if (Number.isFinite(length) && length > settings.maxBytes) {
      response.body?.cancel().catch(() => undefined)
      throw tooLong()
    }
    const body = REDIRECTS.has(response.status)
      ? (response.body?.cancel().catch(() => undefined), new Uint8Array(0))
      : await readBody(url, response.body, { expected: null, limit: settings.maxBytes, tooLong }, settings.stallTimeoutMs, controller, signal, () => {})
    return { url, status: response.status, statusText: response.statusText, headers: response.headers, body }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    release()
  }
}

function stripUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && typeof v === 'number')) as Partial<T>
}
