/** Opening a remote file: its URL checked, then one first GET of the header's bytes, which says its size and version. */
import { fetchRange } from './fetchRange'
import { type RemoteOptions, resolveRemoteOptions } from './options'
import { parseRemoteUrl } from './remoteUrl'
import type { RangeTarget } from './rangeAttempt'
import { type RemoteCounters, RemoteFile } from './RemoteFile'
import { processCounters, sharedBlockCache, sharedHostLimiter, sharedOrigins } from './sharedClient'

/**
 * Opens `url` (http: or https: only, else a clear refusal) with one GET of at least `headerBytes`
 * (16 KiB): the answer's Content-Range gives the size, its ETag (else Last-Modified) the version.
 * A server that ignores Range has the file read whole when it is small enough (`info.wholeBody`).
 */
export async function openRemoteFile(url: string, options: RemoteOptions = {}): Promise<RemoteFile> {
  const parsed = parseRemoteUrl(url)
  const resolved = resolveRemoteOptions(options)
  const cache = options.cache ?? sharedBlockCache()
  const limiter = options.hostLimiter ?? sharedHostLimiter()
  const origins = options.httpOrigins ?? sharedOrigins()
  const target: RangeTarget = { url: parsed.href, resolvedUrl: parsed.href }
  const counters: RemoteCounters = processCounters()
  const headerEnd = Math.ceil(resolved.headerBytes / resolved.blockSize) * resolved.blockSize
  const env = {
    options: resolved,
    limiter,
    origins,
    onRequest: () => counters.requests++,
    onBytes: (count: number) => (counters.bytes += count)
  }
  const first = await fetchRange(target, { start: 0, end: headerEnd }, null, env, options.signal)
  const info = {
    url,
    resolvedUrl: target.resolvedUrl,
    size: first.size,
    version: first.version,
    lastModified: first.lastModified,
    contentType: first.contentType,
    wholeBody: first.whole
  }
  return new RemoteFile(info, target, resolved, cache, { limiter, origins }, counters, first)
}
