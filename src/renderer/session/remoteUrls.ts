/**
 * What text is a raster's URL (issue 24): typed in Open URL…, dropped from a browser's address bar
 * or a link, pasted on the window. Only `http:` and `https:` open (the host fetches nothing else);
 * text that names another scheme is refused in words, and text that is no URL at all is nothing to
 * open. Pure: no DOM, tested alone.
 */

/** What a text is, as a raster's address. */
export type UrlRecognition =
  | { kind: 'url'; url: string }
  /** A URL of another scheme (`file:`, `ftp:`, `s3:`…): `reason` says what opens instead. */
  | { kind: 'refused'; text: string; reason: string }
  /** Not a URL (words, a path, several lines). */
  | { kind: 'none' }

/** The schemes the host fetches. */
export const OPENABLE_SCHEMES = ['http:', 'https:'] as const

/** "scheme:" at the start, as RFC 3986 spells a scheme. */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i

/**
 * Recognises one URL in `text` (trimmed): an http(s) URL as the person gave it, a URL of another
 * scheme refused with the reason, or nothing. A URL with spaces inside is not one.
 */
export function recogniseUrl(text: string): UrlRecognition {
  const t = text.trim()
  const scheme = SCHEME.exec(t)
  if (!scheme || /\s/.test(t)) return { kind: 'none' }
  // "c:\data\dem.tif" and "localhost:8080/dem.tif" have a "scheme" too, but neither is a URL of one.
  const drive = /^[a-z]:[\\/]/i.test(t)
  const hostAndPort = !t.slice(scheme[0].length).startsWith('/') && !/^(data|urn|mailto):/i.test(t)
  if (drive || hostAndPort) return { kind: 'none' }
  let parsed: URL
  try {
    parsed = new URL(t)
  } catch {
    return { kind: 'refused', text: t, reason: `${describeText(t)} is not a valid URL` }
  }
  if (!(OPENABLE_SCHEMES as readonly string[]).includes(parsed.protocol)) {
    return { kind: 'refused', text: t, reason: `only http:// and https:// URLs open, not ${parsed.protocol} ones` }
  }
  return { kind: 'url', url: t }
}

/**
 * What a person typed in Open URL…: the URL to open, or why not, in a sentence. Text without a
 * scheme ("example.com/dem.tif") is refused rather than guessed: http and https are different
 * servers' answers, and the person knows which.
 */
export function checkTypedUrl(text: string): { url: string } | { error: string } {
  const t = text.trim()
  if (t === '') return { error: 'Type or paste the http:// or https:// address of a GeoTIFF or COG' }
  const found = recogniseUrl(t)
  if (found.kind === 'url') return { url: found.url }
  if (found.kind === 'refused') return { error: `Cannot open ${found.text}: ${found.reason}` }
  return { error: `Expected an http:// or https:// URL but received ${describeText(t)}` }
}

/** The part of a DataTransfer the recognition reads: its types, and the data of one type. */
export interface DragData {
  readonly types: readonly string[]
  getData(type: string): string
}

/**
 * The URL a drag carries when it carries no files: the first URL of `text/uri-list` (RFC 2483:
 * one per line, `#` lines are comments; a browser's link or address bar gives one), else the
 * `text/plain`. A drag with files is the files' (a file manager also lists their `file:` URIs).
 */
export function urlFromDragData(data: DragData): UrlRecognition {
  if (data.types.includes('Files')) return { kind: 'none' }
  if (data.types.includes('text/uri-list')) {
    const first = data
      .getData('text/uri-list')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('#'))
    if (first !== undefined) return recogniseUrl(first)
  }
  if (data.types.includes('text/plain')) return recogniseUrl(data.getData('text/plain'))
  return { kind: 'none' }
}

/** True when a drag may carry a URL (its data cannot be read before the drop, only its types). */
export function mayCarryUrl(types: readonly string[]): boolean {
  return types.includes('text/uri-list') || types.includes('text/plain')
}

/**
 * The name of a layer opened from a URL, before the host names it: the last segment of its path,
 * decoded ("dem%20v2.tif" → "dem v2.tif"), else the server's name.
 */
export function urlLayerName(url: string): string {
  try {
    const parsed = new URL(url)
    const segment = parsed.pathname.split('/').filter((s) => s !== '').at(-1)
    if (!segment) return parsed.host
    try {
      return decodeURIComponent(segment)
    } catch {
      return segment
    }
  } catch {
    return url
  }
}

/** A text quoted for a message, cut when long. */
function describeText(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}…` : text)
}
