/**
 * Where a STAC document or asset is, and how an href in a document resolves against the document's
 * own location (STAC's rule: relative hrefs are relative to the document that holds them). A
 * document read from a server may point only at servers: an href that resolves to `file:` or a
 * path is not followed, so that a page's catalog never makes the host read its disk.
 */
import { dirname, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A document's or asset's place: an http(s) URL, or an absolute path on the host. */
export type StacLocation = { kind: 'url'; url: string } | { kind: 'path'; path: string }

/**
 * What an href is resolved against: a document's place, or a document the page sent without one (a
 * file dropped in a browser, known by its name only), whose relative hrefs lead nowhere.
 */
export type StacBase = StacLocation | { kind: 'detached'; name: string }

/** An href resolved, or why it has no place Tessera reads. */
export type ResolvedHref = StacLocation | { kind: 'none'; href: string; why: string }

/** The location of what a person gave: an http(s) URL, a `file:` URL or a path (made absolute). */
export function locationOf(text: string): StacLocation | { kind: 'none'; href: string; why: string } {
  const trimmed = text.trim()
  if (/^https?:\/\//i.test(trimmed)) return { kind: 'url', url: new URL(trimmed).href }
  if (/^file:/i.test(trimmed)) return { kind: 'path', path: fileURLToPath(trimmed) }
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(trimmed)
  // A one-letter "scheme" is a Windows drive.
  if (scheme && scheme[1]!.length > 1) return { kind: 'none', href: trimmed, why: `${scheme[1]!.toLowerCase()}: addresses are not read (Tessera reads http and https URLs and files)` }
  return { kind: 'path', path: resolve(trimmed) }
}

/** How `location` is written for people and in resolved hrefs. */
export function locationText(location: StacBase): string {
  return location.kind === 'url' ? location.url : location.kind === 'path' ? location.path : location.name
}

/** `href` as written in the document at `base`, resolved as STAC says. */
export function resolveHref(href: string, base: StacBase): ResolvedHref {
  const written = href.trim()
  if (written === '') return { kind: 'none', href, why: 'its href is empty' }
  if (base.kind === 'detached') {
    if (/^https?:/i.test(written)) return resolveHref(written, { kind: 'url', url: 'http://base.invalid/' })
    return { kind: 'none', href, why: `${base.name} was given without its place: open it by its URL or path to reach what it points at` }
  }
  if (base.kind === 'url') {
    let url: URL
    try {
      url = new URL(written, base.url)
    } catch {
      return { kind: 'none', href, why: `"${href}" is not a URL` }
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'url', url: url.href }
    if (url.protocol === 'file:') return { kind: 'none', href, why: 'a document from a server cannot point at files on this computer' }
    return { kind: 'none', href, why: `${url.protocol.replace(/:$/, '')}: addresses are not read (Tessera fetches http and https)` }
  }
  const absolute = locationOf(written)
  if (absolute.kind !== 'path' || isAbsolute(written) || /^file:/i.test(written)) return absolute
  return { kind: 'path', path: resolve(dirname(base.path), decodeRelative(written)) }
}

/** A relative href is a URL reference: its %-escapes stand for characters of the file's name. */
function decodeRelative(href: string): string {
  const path = href.split(/[?#]/)[0]!
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
