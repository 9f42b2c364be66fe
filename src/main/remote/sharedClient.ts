/** The process's one block cache and one per-host limit, shared by every remote file. */
import { BlockCache } from './BlockCache'
import { HostLimiter } from './HostLimiter'
import { DEFAULT_CACHE_BYTES, DEFAULT_REQUESTS_PER_HOST } from './options'

let cache: BlockCache | null = null
let limiter: HostLimiter | null = null

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
