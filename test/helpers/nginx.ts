/**
 * Debian's nginx as a real HTTP server for the tests and benches of remote files (issue #24):
 * started as an unprivileged process on a free loopback port, with its own config and prefix in a
 * temp dir (pid file, error log, a JSON-lines access log), serving one root directory, and
 * stopped by its pid. No test-runner imports, so benches can use it too.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const NGINX_BINARY = '/usr/sbin/nginx'

/** One request as nginx logged it. */
export interface AccessEntry {
  /** "GET /x.tif HTTP/1.1" */
  request: string
  method: string
  uri: string
  status: number
  /** Body bytes sent. */
  bytes: number
  /** The Range header asked, or ''. */
  range: string
  /** 'OK' when nginx sent the whole answer, '' when the client went away first. */
  completion: string
  connection: number
  /** When nginx logged it (its answer sent, or the client gone): epoch seconds, to the millisecond. */
  msec: number
}

export interface NginxOptions {
  /** Extra `location` blocks of the server (see the snippet builders below); `$ROOT` is replaced by the root. */
  locations?: string[]
  /** Config lines of the `server` block outside any location (`add_header …`). */
  serverLines?: string[]
  /** Serve https with HTTP/2 (and HTTP/1.1 by ALPN) with this certificate (`selfSignedCert`). */
  tls?: { certPath: string; keyPath: string }
}

export interface NginxServer {
  port: number
  /** `http://127.0.0.1:PORT` (`https://` with `tls`) */
  origin: string
  /** `origin` + `path` */
  url: (path: string) => string
  root: string
  prefix: string
  pid: number
  /** The access log so far, one entry per request nginx finished (or saw cut). */
  accessLog: () => AccessEntry[]
  /** Waits until the access log holds `count` entries (nginx writes an entry after its answer). */
  waitForAccessLog: (count: number, timeoutMs?: number) => Promise<AccessEntry[]>
  /** Forgets the entries so far (the next reads return only later ones). */
  clearAccessLog: () => void
  errorLog: () => string
  /** SIGQUIT (graceful), SIGTERM after 3 s, SIGKILL after 6 s; waits for the exit. Idempotent. */
  stop: () => Promise<void>
}

/** The nginx binary's path, or a clear error (CI installs Debian's nginx; `.ci/run`). */
export function requireNginx(): string {
  if (!existsSync(NGINX_BINARY)) {
    throw new Error(`These tests need Debian's nginx at ${NGINX_BINARY}: install it (\`apt-get install nginx\`; .ci/run does it).`)
  }
  return NGINX_BINARY
}

/** A location where nginx ignores Range and answers 200 with the whole file (`max_ranges 0`). */
export function noRangeLocation(path: string): string {
  return `location ${path} { max_ranges 0; alias $ROOT/; }`
}

/**
 * A location of files behind nginx's secure_link: `?md5=…&expires=…` from `signedPath`, expired or
 * wrong links answered 403 (as an object store's expired pre-signed URL).
 */
export function secureLinkLocation(path: string, secret: string): string {
  return `location ${path} {
    secure_link $arg_md5,$arg_expires;
    secure_link_md5 "$secure_link_expires$uri ${secret}";
    if ($secure_link != "1") { return 403; }
    alias $ROOT/;
  }`
}

/** `uri?md5=…&expires=…` signed as `secureLinkLocation` checks it (binary MD5, base64url without padding). */
export function signedPath(uri: string, secret: string, expiresEpochSeconds: number): string {
  const md5 = createHash('md5').update(`${expiresEpochSeconds}${uri} ${secret}`).digest('base64url')
  return `${uri}?md5=${md5}&expires=${expiresEpochSeconds}`
}

/** A location whose answers a page of another origin may read by ranges (for the OpenLayers bench). */
export function corsLocation(path: string): string {
  return `location ${path} {
    alias $ROOT/;
    add_header Access-Control-Allow-Origin * always;
    add_header Access-Control-Expose-Headers "Content-Range, Content-Length, ETag" always;
    add_header Access-Control-Allow-Headers Range always;
    if ($request_method = OPTIONS) { return 204; }
  }`
}

/** A free loopback port (bound then released: nginx binds it next; `startNginx` retries on a race). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const NOBODY = 65534

/**
 * Starts nginx serving `root`. As root, nginx runs as the user nobody (the root directory is made
 * world-readable: its files must be too); otherwise as the caller. Rejects with nginx's error log
 * when it does not start.
 */
export async function startNginx(root: string, options: NginxOptions = {}): Promise<NginxServer> {
  const binary = requireNginx()
  let lastError: Error | null = null
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, root, options)
    } catch (error) {
      lastError = error as Error
      if (!/Address already in use/.test(lastError.message)) throw lastError
    }
  }
  throw lastError!
}

async function startOnce(binary: string, root: string, options: NginxOptions): Promise<NginxServer> {
  const port = await freePort()
  const prefix = mkdtempSync(join(tmpdir(), 'tessera-nginx-'))
  for (const dir of ['logs', 'temp', 'conf']) mkdirSync(join(prefix, dir))
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    for (const dir of [prefix, join(prefix, 'logs'), join(prefix, 'temp'), join(prefix, 'conf')]) chownSync(dir, NOBODY, NOBODY)
    chmodSync(root, 0o755)
  }
  const confPath = join(prefix, 'conf', 'nginx.conf')
  const locations = (options.locations ?? []).map((location) => location.split('$ROOT').join(root))
  writeFileSync(confPath, config(prefix, root, port, locations, options.serverLines ?? [], options.tls))
  const child = spawn(binary, ['-p', prefix, '-c', confPath, '-e', join(prefix, 'logs', 'error.log'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {})
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const errorLog = (): string => readIfExists(join(prefix, 'logs', 'error.log'))
  try {
    await waitUntilListening(port, child, 10_000)
  } catch (error) {
    await stopChild(child)
    const log = `${stderr}\n${errorLog()}`.trim()
    rmSync(prefix, { recursive: true, force: true })
    throw new Error(`nginx did not start on 127.0.0.1:${port}: ${(error as Error).message}\n${log}`)
  }
  const accessPath = join(prefix, 'logs', 'access.log')
  let skip = 0
  const scheme = options.tls ? 'https' : 'http'
  const accessLog = (): AccessEntry[] => parseAccessLog(readIfExists(accessPath)).slice(skip)
  const server: NginxServer = {
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    url: (path) => `${scheme}://127.0.0.1:${port}${path.startsWith('/') ? '' : '/'}${path}`,
    root,
    prefix,
    pid: child.pid!,
    accessLog,
    waitForAccessLog: async (count, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const entries = accessLog()
        if (entries.length >= count) return entries
        if (Date.now() > deadline) throw new Error(`nginx logged ${entries.length} requests within ${timeoutMs} ms, expected ${count}: ${JSON.stringify(entries)}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    clearAccessLog: () => {
      skip += accessLog().length
    },
    errorLog,
    stop: async () => {
      await stopChild(child)
      rmSync(prefix, { recursive: true, force: true })
    }
  }
  return server
}

function config(prefix: string, root: string, port: number, locations: string[], serverLines: string[], tls: NginxOptions['tls']): string {
  // nginx 1.22 (Debian 12) takes http2 on the listen line.
  const listen = tls ? `listen 127.0.0.1:${port} ssl http2;\n    ssl_certificate ${tls.certPath};\n    ssl_certificate_key ${tls.keyPath};` : `listen 127.0.0.1:${port};`
  const temp = join(prefix, 'temp')
  return `worker_processes 1;
pid ${join(prefix, 'logs', 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} warn;
events { worker_connections 512; }
http {
  types { image/tiff tif tiff; text/html html; application/json json; }
  default_type application/octet-stream;
  log_format tessera escape=json '{"request":"$request","method":"$request_method","uri":"$uri","status":$status,"bytes":$body_bytes_sent,"range":"$http_range","completion":"$request_completion","connection":$connection,"msec":$msec}';
  access_log ${join(prefix, 'logs', 'access.log')} tessera;
  client_body_temp_path ${temp}/client;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 10000;
  server {
    ${listen}
    server_name localhost;
    root ${root};
${serverLines.map((line) => `    ${line}`).join('\n')}
${locations.map((location) => `    ${location}`).join('\n')}
  }
}
`
}

/** The JSON lines of the access log (a line being written is skipped). */
export function parseAccessLog(text: string): AccessEntry[] {
  const entries: AccessEntry[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      entries.push(JSON.parse(line) as AccessEntry)
    } catch {
      // A line nginx has not finished writing.
    }
  }
  return entries
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

async function waitUntilListening(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited = false
  child.once('exit', () => (exited = true))
  for (;;) {
    if (exited || child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode ?? child.signalCode}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`not listening within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  process.kill(child.pid!, 'SIGQUIT')
  const term = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGTERM'), 3000)
  const kill = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 6000)
  await exited
  clearTimeout(term)
  clearTimeout(kill)
}
