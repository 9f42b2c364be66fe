/** Options of `openRemoteFile`, with their defaults stated once. */
import type { BlockCache } from './BlockCache'
import type { HostLimiter } from './HostLimiter'
import type { Http2Origins } from './http2Origins'

const KiB = 1024
const MiB = 1024 * KiB

export interface RemoteOptions {
  /**
   * Bytes per cached block, and the alignment of requests; default 4 KiB. GDAL's /vsicurl/ aligns
   * to 16 KiB, but it reads a whole window at once; Tessera's reads are a tile's (a JPEG tile of a
   * few KiB), for which 16 KiB at both ends fetched up to three times the tile.
   */
  blockSize?: number
  /** How long a read waits for the reads arriving after it, so that their blocks are fetched together; default 4 ms. */
  coalesceMs?: number
  /** Missing runs at most this many bytes apart are fetched in one request, the gap with them; default 16 KiB. */
  mergeGapBytes?: number
  /** Bytes of the first GET (the TIFF header and, in a COG, its IFDs); default 16 KiB. */
  headerBytes?: number
  /** Time allowed to connect and receive an answer's headers; default 30 s. */
  firstByteTimeoutMs?: number
  /** Time allowed without a byte in the middle of a body; default 15 s. */
  stallTimeoutMs?: number
  /** Retries of an answer 429, 5xx, a connection reset or a truncated body; default 3 (GDAL_HTTP_MAX_RETRY). */
  maxRetries?: number
  /** First retry's delay, doubled at each retry; default 500 ms. */
  retryBaseDelayMs?: number
  /** Longest wait for a server's Retry-After; default 30 s. */
  maxRetryAfterMs?: number
  /** Redirects followed per request; default 5. */
  maxRedirects?: number
  /** A server that ignores Range has its file read whole up to this size; default 64 MiB. */
  wholeBodyLimit?: number
  /** Block cache; default the process's one (`sharedBlockCache()`, 256 MiB for all files). */
  cache?: BlockCache
  /** Requests at once per host; default the process's limiter (`sharedHostLimiter()`, 6 per host). */
  hostLimiter?: HostLimiter
  /** HTTP/2 sessions of https origins; default the process's (`sharedOrigins()`). */
  httpOrigins?: Http2Origins
  /** Aborts the opening (the first GET). */
  signal?: AbortSignal
}

export type ResolvedRemoteOptions = Required<Omit<RemoteOptions, 'cache' | 'hostLimiter' | 'httpOrigins' | 'signal'>>

export const defaultRemoteOptions: ResolvedRemoteOptions = {
  blockSize: 4 * KiB,
  coalesceMs: 4,
  mergeGapBytes: 16 * KiB,
  headerBytes: 16 * KiB,
  firstByteTimeoutMs: 30_000,
  stallTimeoutMs: 15_000,
  maxRetries: 3,
  retryBaseDelayMs: 500,
  maxRetryAfterMs: 30_000,
  maxRedirects: 5,
  wholeBodyLimit: 64 * MiB
}

/** Default cache budget of the process, shared by every remote file. */
export const DEFAULT_CACHE_BYTES = 256 * MiB
/** Requests at once per host, as a browser allows. */
export const DEFAULT_REQUESTS_PER_HOST = 6

/** The numeric options with their defaults, each checked (sharp's manner: the name, the value, what was expected). */
export function resolveRemoteOptions(options: RemoteOptions = {}): ResolvedRemoteOptions {
  const resolved = { ...defaultRemoteOptions }
  for (const name of Object.keys(defaultRemoteOptions) as (keyof ResolvedRemoteOptions)[]) {
    const value = options[name]
    if (value === undefined) continue
    const minimum = name === 'blockSize' || name === 'headerBytes' ? 1 : 0
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      throw new TypeError(`Expected an integer >= ${minimum} for ${name} but received ${String(value)} of type ${typeof value}`)
    }
    resolved[name] = value
  }
  return resolved
}
