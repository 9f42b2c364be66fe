/**
 * The peer's static server for bench/view.ts: serves, on 127.0.0.1 and an ephemeral port, the
 * OpenSeadragon page (bench/view/osd.html), OpenSeadragon's own build from node_modules, and the
 * DZI twin of the bench image (`/image.dzi`, `/image_files/<level>/<col>_<row>.jpeg`). Nothing else;
 * `no-store` so that no run reads tiles from another run's browser cache.
 */
import { createServer, type Server } from 'node:http'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { basename, dirname, join, normalize, resolve } from 'node:path'
import type { AddressInfo } from 'node:net'

export interface PeerServer {
  /** http://127.0.0.1:PORT */
  origin: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.dzi': 'application/xml', '.jpeg': 'image/jpeg', '.jpg': 'image/jpeg' }

/** Starts the server for the DZI at `dzi` (its tiles in `<name>_files/` beside it). */
export async function startPeerServer(dzi: string): Promise<PeerServer> {
  const page = resolve('bench/view/osd.html')
  const script = resolve('node_modules/openseadragon/build/openseadragon/openseadragon.min.js')
  if (!existsSync(script)) throw new Error(`Expected OpenSeadragon at ${script} but found nothing; run npm install`)
  const tilesDir = join(dirname(dzi), `${basename(dzi, '.dzi')}_files`)
  const fileFor = (path: string): string | null => {
    if (path === '/' || path === '/osd.html') return page
    if (path === '/openseadragon.min.js') return script
    if (path === '/image.dzi') return dzi
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
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'content-length': statSync(file).size })
    createReadStream(file).pipe(response)
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
