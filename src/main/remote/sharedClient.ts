/** The process's one block cache, one per-host limit and one set of HTTP/2 sessions, shared by every remote file and web layer. */
import { BlockCache } from './BlockCache'
import { HostLimiter } from './HostLimiter'
import { Http2Origins } from './http2Origins'
import { DEFAULT_CACHE_BYTES, DEFAULT_REQUESTS_PER_HOST } from './options'
import type { RemoteCounters } from './RemoteFile'

let cache: BlockCache | null = null
let limiter: HostLimiter | null = null
let origins: Http2Origins | null = null

/** The block cache of all remote files (256 MiB). */
export function sharedBlockCache(): BlockCache {
  cache ??= new BlockCache(DEFAULT_CACHE_BYTES)
  return cache
}

/** At most 6 requests at once per host, for the whole process. */
export function sharedHostLimiter(): HostLimiter {
  limiter ??= new HostLimiter(DEFAULT_REQUESTS_PER_HOST)
  return limiter
}

/**
 * The process's HTTP/2 sessions, one per https origin that offers it; an origin on HTTP/2 has its
 * per-host limit widened to its session's streams (at most 64), one connection carrying them all.
 */
export function sharedOrigins(): Http2Origins {
  origins ??= new Http2Origins({
    enabled: process.env.TESSERA_HTTP2 !== '0',
    onMultiplexed: (host, streams) => sharedHostLimiter().setLimit(host, streams),
    onSessionClosed: (host) => sharedHostLimiter().setLimit(host, null)
  })
  return origins
}

/** The counters of every remote file this process opened (a few numbers each, kept after close). */
const everyFileCounters = new Set<RemoteCounters>()

/** New counters for a file opened now, counted in the process's totals. */
export function processCounters(): RemoteCounters {
  const counters: RemoteCounters = { requests: 0, bytes: 0, bytesAfterAbort: 0 }
  everyFileCounters.add(counters)
  return counters
}

/** The process's totals over every remote file it opened: requests, body bytes, bytes received after every reader aborted (the bench's figure). */
export function processRemoteTotals(): RemoteCounters {
  const totals: RemoteCounters = { requests: 0, bytes: 0, bytesAfterAbort: 0 }
  for (const c of everyFileCounters) {
    totals.requests += c.requests
    totals.bytes += c.bytes
    totals.bytesAfterAbort += c.bytesAfterAbort
  }
  return totals
}
