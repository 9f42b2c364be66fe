/**
 * HTTP caching as a private cache keeps an answer (RFC 9111): whether it may be stored, how long
 * it stays fresh, and how to ask whether a stale one still holds. Pure: the disk cache
 * (`tileCache.ts`) asks these questions of the headers it keeps.
 */

/** What a cache keeps of an answer's headers. */
export interface CachedHeaders {
  contentType: string | null
  etag: string | null
  lastModified: string | null
  /** When it was received or last revalidated (ms since the epoch). */
  storedAt: number
  /** How long it is fresh from `storedAt` (ms); 0: revalidate before every use. */
  freshForMs: number
  /**
   * May stand in, stale, when the server cannot answer its revalidation (down, 5xx): not when it
   * said no-cache, must-revalidate or proxy-revalidate (RFC 9111 §4.2.4). Absent in answers kept
   * before it was recorded: taken as false.
   */
  servableStale?: boolean
}

/** Cache-Control's directives, lower-cased (`max-age` → '3600', `no-store` → ''). */
export function cacheControl(header: string | null): Map<string, string> {
  const directives = new Map<string, string>()
  for (const part of (header ?? '').split(',')) {
    const [name, ...value] = part.split('=')
    const key = name!.trim().toLowerCase()
    if (key) directives.set(key, value.join('=').trim().replace(/^"|"$/g, ''))
  }
  return directives
}

/**
 * What to keep of a 200 answer, or null when it must not be kept: `no-store`, or nothing to go
 * by (no lifetime and no validator: it could be neither reused nor revalidated).
 */
export function cacheableHeaders(headers: Headers, now: number): CachedHeaders | null {
  const control = cacheControl(headers.get('cache-control'))
  if (control.has('no-store')) return null
  const etag = headers.get('etag')
  const lastModified = headers.get('last-modified')
  const freshForMs = control.has('no-cache') ? 0 : lifetimeMs(control, headers, now)
  if (freshForMs === 0 && !etag && !lastModified) return null
  const servableStale = !['no-cache', 'must-revalidate', 'proxy-revalidate'].some((directive) => control.has(directive))
  return { contentType: headers.get('content-type'), etag, lastModified, storedAt: now, freshForMs, servableStale }
}

/**
 * The freshness lifetime: max-age, else Expires − Date, else the heuristic of RFC 9111 §4.2.2
 * (a tenth of the time since Last-Modified, at most a day), else 0.
 */
function lifetimeMs(control: Map<string, string>, headers: Headers, now: number): number {
  const maxAge = control.get('max-age')
  if (maxAge !== undefined) {
    const seconds = Number(maxAge)
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0
  }
  const date = Date.parse(headers.get('date') ?? '') || now
  const expires = headers.get('expires')
  if (expires !== null) {
    const at = Date.parse(expires)
    return Number.isNaN(at) ? 0 : Math.max(0, at - date)
  }
  const modified = Date.parse(headers.get('last-modified') ?? '')
  if (!Number.isNaN(modified) && modified < date) return Math.min((date - modified) / 10, 24 * 3600 * 1000)
  return 0
}

/** True while a kept answer may be used without asking the server. */
export function isFresh(kept: CachedHeaders, now: number): boolean {
  return now - kept.storedAt < kept.freshForMs
}

/** The headers that ask whether a kept answer still holds (If-None-Match, If-Modified-Since); empty without validators. */
export function revalidationHeaders(kept: CachedHeaders): Record<string, string> {
  const headers: Record<string, string> = {}
  if (kept.etag) headers['If-None-Match'] = kept.etag
  if (kept.lastModified) headers['If-Modified-Since'] = kept.lastModified
  return headers
}

/** The kept headers after a 304: its new lifetime and validators, the kept body's content type. */
export function refreshedHeaders(kept: CachedHeaders, headers: Headers, now: number): CachedHeaders | null {
  const fresh = cacheableHeaders(headers, now)
  if (fresh === null && cacheControl(headers.get('cache-control')).has('no-store')) return null
  return {
    contentType: kept.contentType,
    etag: headers.get('etag') ?? kept.etag,
    lastModified: headers.get('last-modified') ?? kept.lastModified,
    storedAt: now,
    freshForMs: fresh?.freshForMs ?? 0,
    servableStale: fresh?.servableStale ?? false
  }
}
