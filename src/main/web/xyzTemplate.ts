/**
 * XYZ and TMS tile URL templates, as OpenLayers' XYZ source and Leaflet take them: `{z}`, `{x}`,
 * `{y}` (rows from the north), `{-y}` (TMS rows, from the south: 2^z − 1 − y), `{s}` a subdomain
 * (from `{a-c}`-style ranges or the default a, b, c), and `{a-c}` / `{1-4}` written in the host.
 * Every XYZ layer is Web Mercator (EPSG:3857) in 256-px tiles.
 */
import { parseRemoteUrl } from '../remote/remoteUrl'

/** A parsed template: which subdomains `{s}` takes, and the text with a range written as `{s}`. */
export interface XyzTemplate {
  template: string
  subdomains: string[]
}

/** True when `url` is an XYZ/TMS template (it has `{z}`, `{x}` and `{y}` or `{-y}`). */
export function isXyzTemplate(url: string): boolean {
  return /\{z\}/.test(url) && /\{x\}/.test(url) && /\{-?y\}/.test(url)
}

/** Reads a template; `{a-c}` or `{1-4}` becomes `{s}` with those subdomains. Throws when `{z}`, `{x}` or `{y}` is missing. */
export function parseXyzTemplate(url: string): XyzTemplate {
  if (!isXyzTemplate(url)) throw new Error(`it is not an XYZ tile template: it needs {z}, {x} and {y} (or {-y})`)
  let subdomains = ['a', 'b', 'c']
  const template = url.replace(/\{([a-z0-9])-([a-z0-9])\}/i, (_match, from: string, to: string) => {
    const start = from.charCodeAt(0)
    const end = to.charCodeAt(0)
    if (end < start) throw new Error(`the subdomain range {${from}-${to}} runs backwards`)
    subdomains = Array.from({ length: end - start + 1 }, (_v, i) => String.fromCharCode(start + i))
    return '{s}'
  })
  const parsed = { template, subdomains }
  // Refused at the open, in words, rather than at every tile: its tiles must be URLs Tessera fetches.
  parseRemoteUrl(xyzTileUrl(parsed, 0, 0, 0))
  return parsed
}

/** The URL of tile (z, x, y), y counted from the north; the subdomain chosen by the tile, so a tile keeps its URL (and its cache entry). */
export function xyzTileUrl(template: XyzTemplate, z: number, x: number, y: number): string {
  const subdomain = template.subdomains[(x + y) % template.subdomains.length] ?? ''
  return template.template
    .replace(/\{z\}/g, String(z))
    .replace(/\{x\}/g, String(x))
    .replace(/\{-y\}/g, String(2 ** z - 1 - y))
    .replace(/\{y\}/g, String(y))
    .replace(/\{s\}/g, subdomain)
}

/** Half the width of the Web Mercator square, in metres (EPSG:3857's ±20037508.34). */
export const WEB_MERCATOR_HALF = Math.PI * 6378137
