/**
 * The OpenLayers pages of the `remote` and `web` suites, served on 127.0.0.1 and an ephemeral port:
 * `/remote.html` (bench/remote/olRemote.js) and `/web.html` (bench/web/olWeb.js), each bundled by
 * esbuild into bench/.cache when missing or older than its source or `ol`. The pages hold no data:
 * they read the COGs and tiles from nginx and MapServer, on another origin (CORS), as Tessera does.
 */
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'

export interface PageServer {
  /** http://127.0.0.1:PORT */
  origin: string
  close(): Promise<void>
}

const PAGES = { remote: 'bench/remote/olRemote.js', web: 'bench/web/olWeb.js' } as const
/** What both pages import besides `ol`: a change to it bundles them again. */
const SHARED = ['bench/remote/olRenderComplete.js']

async function bundle(entry: string, out: string): Promise<string> {
  const olVersion = statSync(resolve('node_modules/ol/package.json')).mtimeMs
  const sources = [entry, ...SHARED.map((path) => resolve(path))].map((path) => statSync(path).mtimeMs)
  if (!existsSync(out) || statSync(out).mtimeMs < Math.max(...sources, olVersion)) {
    await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', minify: true, outfile: out, logLevel: 'error' })
  }
  return out
}

const html = (script: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>OpenLayers peer</title><style>html, body { margin: 0; background: #202124; overflow: hidden } #map { position: absolute; left: 0; top: 0 }</style></head><body><div id="map"></div><script src="/${script}.js"></script></body></html>`

/** Bundles both pages into `cacheDir` and serves them. */
export async function startPageServer(cacheDir: string): Promise<PageServer> {
  const scripts = new Map<string, string>()
  for (const [name, entry] of Object.entries(PAGES)) scripts.set(name, await bundle(resolve(entry), join(cacheDir, `ol-${name}.js`)))
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    const page = /^\/(remote|web)\.html$/.exec(path)?.[1]
    const script = /^\/(remote|web)\.js$/.exec(path)?.[1]
    if (page) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html(page))
    } else if (script) {
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(readFileSync(scripts.get(script)!))
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      })
  }
}
