/**
 * Telling a URL from a path where both arrive as text (the host's command line, the service's
 * locations), and what a person reads of a URL. Pure: nothing here fetches.
 */

/** True for text that is an `http:` or `https:` URL: the only schemes Tessera fetches. */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\//i.test(text)
}

/**
 * The scheme of text written as a URL (`ftp:`, `file:`, `s3:`…), or null for text that is a path.
 * One letter before ':' is a Windows drive (`C:\data`), not a scheme.
 */
export function urlSchemeOf(text: string): string | null {
  const match = /^([a-z][a-z0-9+.-]+):\/\//i.exec(text)
  return match ? `${match[1]!.toLowerCase()}:` : null
}

/** The name a person sees for a raster at `url`: its last path segment, decoded ("dem.tif"), else the host. */
export function nameOfUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const last = parsed.pathname.split('/').filter((segment) => segment.length > 0).pop()
    if (!last) return parsed.host
    try {
      return decodeURIComponent(last)
    } catch {
      return last
    }
  } catch {
    return url
  }
}
