/**
 * One GET of a byte range, redirects followed by hand: the host's slot taken for each hop, the
 * answer judged before its body is read, the body read with a stall timeout. The resolved URL of
 * a redirect (a pre-signed URL) is kept on the target and resolved again once on a 403.
 */
import { abortError, networkError, RemoteReadError } from './errors'
import type { HostLimiter } from './HostLimiter'
import type { Http2Origins } from './http2Origins'
import type { ResolvedRemoteOptions } from './options'
import { type AskedRange, type KnownFile, judgeAnswer, rangeIgnored, versionOf } from './rangeAnswer'
import { readBody, seconds } from './readBody'

/** The URL of a file and where its redirects lead; shared by all requests of the file. */
export interface RangeTarget {
  readonly url: string
  resolvedUrl: string
}

/** The bytes a server gave: from `start`, the whole file when `whole`. */
export interface RangeAnswer {
  start: number
  bytes: Uint8Array
  size: number
  whole: boolean
  version: string
  etag: string | null
  lastModified: string | null
  contentType: string | null
}

/** What a request needs of the process and of its file. */
export interface RequestEnv {
  options: ResolvedRemoteOptions
  limiter: HostLimiter
  /** The HTTP/2 sessions of https origins (`RemoteOptions.httpOrigins`). */
  origins: Http2Origins
  /** Called as each HTTP request is sent (redirect hops and retries included). */
  onRequest: () => void
  /** Called with each chunk's size as it arrives. */
  onBytes: (count: number) => void
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** One attempt at `asked` (no retry here: see `fetchRange`). Rejects with RemoteReadError, RemoteFileChangedError or an AbortError. */
export async function attemptRange(target: RangeTarget, asked: AskedRange, known: KnownFile | null, env: RequestEnv, signal?: AbortSignal): Promise<RangeAnswer> {
  const { options } = env
  let from = target.resolvedUrl
  let mayResolveAgain = from !== target.url
  let hops = 0
  for (;;) {
    const hop = await sendOnce(target.url, from, asked, env, signal)
    try {
      const { response } = hop
      if (REDIRECTS.has(response.status)) {
        const location = response.headers.get('location')
        if (!location) throw new RemoteReadError(target.url, 'bad-answer', `HTTP ${response.status} redirect without a Location`)
        if (++hops > options.maxRedirects) throw new RemoteReadError(target.url, 'bad-answer', `more than ${options.maxRedirects} redirects`)
        const next = new URL(location, from)
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new RemoteReadError(target.url, 'bad-answer', `the server redirects to a ${next.protocol} URL; Tessera opens only http and https URLs`)
        }
        from = next.href
        continue
      }
      if (response.status === 403 && mayResolveAgain) {
        // A pre-signed URL that expired: ask the URL the person gave for a fresh one, once.
        mayResolveAgain = false
        from = target.url
        hops = 0
        continue
      }
      const expected = judgeAnswer(target.url, response.status, response.statusText, response.headers, asked, known, options.wholeBodyLimit)
      const bytes = await readBody(
        target.url,
        response.body,
        {
          expected: expected.length,
          limit: expected.whole ? options.wholeBodyLimit : expected.length,
          tooLong: () => rangeIgnored(target.url, null, options.wholeBodyLimit)
        },
        options.stallTimeoutMs,
        hop.controller,
        signal,
        env.onBytes
      )
      hop.bodyRead = true
      target.resolvedUrl = from
      return {
        start: expected.whole ? 0 : expected.start,
        bytes,
        size: expected.whole ? bytes.byteLength : expected.size,
        whole: expected.whole,
        version: versionOf(response.headers),
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
        contentType: response.headers.get('content-type')
      }
    } finally {
      hop.finish()
    }
  }
}

interface Hop {
  response: Response
  controller: AbortController
  bodyRead: boolean
  /** Releases the host's slot and drops an unread body. */
  finish: () => void
}

/** Sends one GET to `hopUrl` once a slot of its host is free; resolves when its headers arrive. */
async function sendOnce(url: string, hopUrl: string, asked: AskedRange, env: RequestEnv, signal?: AbortSignal): Promise<Hop> {
  const release = await env.limiter.acquire(new URL(hopUrl).host, signal)
  const controller = new AbortController()
  const onAbort = (): void => controller.abort()
  signal?.addEventListener('abort', onAbort, { once: true })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, env.options.firstByteTimeoutMs)
  const done = (): void => {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
    release()
  }
  try {
    env.onRequest()
    const response = await env.origins.fetch(hopUrl, {
      signal: controller.signal,
      headers: { Range: `bytes=${asked.start}-${asked.end - 1}`, 'Accept-Encoding': 'identity' }
    })
    clearTimeout(timer)
    const hop: Hop = {
      response,
      controller,
      bodyRead: false,
      finish: () => {
        if (!hop.bodyRead) response.body?.cancel().catch(() => undefined)
        done()
      }
    }
    return hop
  } catch (error) {
    done()
    if (signal?.aborted) throw abortError(`Reading ${url}`)
    if (timedOut) throw new RemoteReadError(url, 'timeout', `no answer from ${new URL(hopUrl).host} within ${seconds(env.options.firstByteTimeoutMs)}`)
    throw networkError(url, error)
  }
}
