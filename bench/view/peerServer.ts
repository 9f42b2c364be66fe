/**
 * The peers' static server for bench/view.ts: serves, on 127.0.0.1 and an ephemeral port, the
 * OpenSeadragon page (bench/view/osd.html), OpenSeadragon's own build from node_modules, and the
 * DZI twin of the bench image (`/image.dzi`, `/image_files/<level>/<col>_<row>.jpeg`); the
 * OpenLayers page (bench/view/ol.html), its bundle (`/ol-peer.js`, bench/view/olPeer.js bundled by
 * esbuild into bench/.cache) and the COG (`/image.tif`), with HTTP range requests (one range a
 * request, what geotiff.js asks; 206 Partial Content, 416 outside the file). Nothing else;
 * `no-store` so that no run reads tiles from another run's browser cache.
 */
import { createServer, type Server } from 'node:http'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { basename, dirname, join, normalize, resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'

export interface PeerServer {
  /** http://127.0.0.1:PORT */
  origin: string
  /** Range requests answered (206), for the notes. */
  rangeRequests(): number
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.dzi': 'application/xml',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.tif': 'image/tiff'
}

/** Bundles the OpenLayers page's script into `cacheDir` when it is missing or older than its source. */
async function olBundle(cacheDir: string): Promise<string> {
  const entry = resolve('bench/view/olPeer.js')
  const out = join(cacheDir, 'ol-peer.js')
  const olVersion = statSync(resolve('node_modules/ol/package.json')).mtimeMs
  if (!existsSync(out) || statSync(out).mtimeMs < Math.max(statSync(entry).mtimeMs, olVersion)) {
    await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', minify: true, outfile: out, logLevel: 'error' })
  }
  return out
}

/** Parses a `Range: bytes=a-b` header against a file of `size` bytes: the range, 'unsatisfiable', or null (no usable single range: send it whole). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null
  if (!match || (match[1] === '' && match[2] === '')) return null
  let start: number
  let end: number
  if (match[1] === '') {
    // A suffix: the last N bytes.
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(size - 1, Number(match[2]))
  }
  return start >= size || start > end ? 'unsatisfiable' : { start, end }
}

/** Starts the server for the DZI at `dzi` (its tiles in `<name>_files/` beside it) and the COG at `cog`. */
export async function startPeerServer(dzi: string, cog: string): Promise<PeerServer> {
  const page = resolve('bench/view/osd.html')
  const olPage = resolve('bench/view/ol.html')
  const script = resolve('node_modules/openseadragon/build/openseadragon/openseadragon.min.js')
  if (!existsSync(script)) throw new Error(`Expected OpenSeadragon at ${script} but found nothing; run npm install`)
  const olScript = await olBundle(dirname(cog))
  const tilesDir = join(dirname(dzi), `${basename(dzi, '.dzi')}_files`)
  let ranges = 0
  const fileFor = (path: string): string | null => {
    if (path === '/' || path === '/osd.html') return page
    if (path === '/ol.html') return olPage
    if (path === '/openseadragon.min.js') return script
    if (path === '/ol-peer.js') return olScript
    if (path === '/image.dzi') return dzi
    if (path === '/image.tif') return cog
    if (path.startsWith('/image_files/')) {
      const file = normalize(join(tilesDir, path.slice('/image_files/'.length)))
      return file.startsWith(tilesDir) ? file : null
    }
    return null
  }
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    const file = fileFor(path)
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end()
      return
    }
    const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream'
    const size = statSync(file).size
    const headers = { 'content-type': type, 'cache-control': 'no-store', 'accept-ranges': 'bytes' }
    const range = parseRange(request.headers.range, size)
    if (range === 'unsatisfiable') {
      response.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end()
      return
    }
    if (range) {
      ranges++
      response.writeHead(206, { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': range.end - range.start + 1 })
      if (request.method === 'HEAD') response.end()
      else createReadStream(file, { start: range.start, end: range.end }).pipe(response)
      return
    }
    response.writeHead(200, { ...headers, 'content-length': size })
    if (request.method === 'HEAD') response.end()
    else createReadStream(file).pipe(response)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    rangeRequests: () => ranges,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      })
  }
}
