/**
 * Static files of the built renderer for the `serve` host: GET and HEAD only, correct MIME types,
 * the renderer's own Content-Security-Policy as a header, and nothing outside the root directory.
 */
import { readFileSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8'
}

/** Used when the built index.html carries no CSP meta tag. */
export const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'"

/** The Content-Security-Policy of `<meta http-equiv="Content-Security-Policy">` in an HTML file, or the fallback. */
export function readRendererCsp(indexHtmlPath: string): string {
  try {
    const html = readFileSync(indexHtmlPath, 'utf8')
    const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)
    return match ? match[1]!.replace(/\s+/g, ' ').trim() : FALLBACK_CSP
  } catch {
    return FALLBACK_CSP
  }
}

/**
 * Resolves a URL path inside `root`; null for anything that would leave it (`..`, encoded
 * separators, NUL bytes) or does not decode. '/' is index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  if (decoded.split('/').some((part) => part === '..')) return null
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded
  const full = normalize(join(root, relative))
  const rootWithSep = root.endsWith(sep) ? root : root + sep
  return full.startsWith(rootWithSep) ? full : null
}

/** A request handler serving `root` with `csp` on every response. */
export function staticFileHandler(root: string, csp: string): (req: IncomingMessage, res: ServerResponse) => void {
  const headers = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache'
  }
  return (req, res) => {
    const send = (status: number, body: string): void => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : body)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return send(405, 'Method not allowed')
    }
    const urlPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!
    const file = resolveStaticPath(root, urlPath)
    if (!file) return send(403, 'Forbidden')
    void (async () => {
      try {
        const info = await stat(file)
        if (!info.isFile()) return send(404, 'Not found')
        const body = await readFile(file)
        res.writeHead(200, {
          ...headers,
          'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Length': body.byteLength
        })
        res.end(req.method === 'HEAD' ? undefined : body)
      } catch {
        send(404, 'Not found')
      }
    })()
  }
}
