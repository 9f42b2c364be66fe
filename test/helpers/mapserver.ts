/**
 * A real WMS for the tests of web layers (issue 25): Debian's MapServer CGI (`mapserv`) run by
 * `fcgiwrap` on a unix socket, behind the nginx of `nginx.ts` (`mapServerLocation` is its location
 * block). The data are written by GDAL in the test (an RGB orthophoto in EPSG:31370 and an Int16
 * DEM in EPSG:32631, drawn grey) with a generated mapfile offering them in their own CRS and in
 * EPSG:3857/4326. As root, fcgiwrap (and so mapserv) runs as the user nobody, as nginx does.
 * Processes are stopped by their pid. No test-runner imports.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import type { GeoTransform } from '../../src/shared/raster'
import { demInt16, gdalRaster, rgbImage } from './gdal'

export const MAPSERV = '/usr/lib/cgi-bin/mapserv'
export const FCGIWRAP = '/usr/sbin/fcgiwrap'
const NOBODY = 65534

/** A clear error when MapServer or fcgiwrap is missing (.ci/run installs cgi-mapserver and fcgiwrap). */
export function requireMapServer(): void {
  for (const [path, pkg] of [[MAPSERV, 'cgi-mapserver'], [FCGIWRAP, 'fcgiwrap']]) {
    if (!existsSync(path)) throw new Error(`These tests need ${path}: install Debian's ${pkg} (\`apt-get install ${pkg}\`; .ci/run does it).`)
  }
}

export interface WmsData {
  dir: string
  /** RGB orthophoto, EPSG:31370, 1 m pixels. */
  ortho: string
  orthoTransform: GeoTransform
  orthoSize: [number, number]
  /** Int16 DEM, EPSG:32631, 10 m pixels, drawn grey by SCALE=0,`demMax`. */
  dem: string
  demTransform: GeoTransform
  demMax: number
  mapfile: string
  /** MapServer 8's config file (MS_MAP_PATTERN, the default map). */
  config: string
}

/** Writes the rasters (GDAL), the mapfile and the config into `dir` (made world-readable). */
export async function writeWmsData(dir: string): Promise<WmsData> {
  chmodSync(dir, 0o755)
  const orthoTransform: GeoTransform = [150000, 1, 0, 170000, 0, -1]
  const orthoSize: [number, number] = [512, 384]
  const ortho = await gdalRaster(dir, 'ortho', rgbImage(...orthoSize), ['-co', 'TILED=YES'], { geoTransform: orthoTransform, srs: 'EPSG:31370' })
  const demTransform: GeoTransform = [600000, 10, 0, 5650000, 0, -10]
  const demGrid = demInt16(200, 150)
  const dem = await gdalRaster(dir, 'dem', demGrid, [], { geoTransform: demTransform, srs: 'EPSG:32631', noData: -32768 })
  let demMax = 0
  for (const v of demGrid.data as Int16Array) if (v !== -32768) demMax = Math.max(demMax, v)
  const mapfile = join(dir, 'tessera.map')
  writeFileSync(mapfile, mapfileText(ortho, dem, demMax, null))
  const config = join(dir, 'mapserver.conf')
  writeFileSync(config, `CONFIG\n  ENV\n    MS_MAP_PATTERN "^${dir}/"\n    MS_MAPFILE "${mapfile}"\n  END\nEND\n`)
  return { dir, ortho, orthoTransform, orthoSize, dem, demTransform, demMax, mapfile, config }
}

/**
 * Writes another mapfile of the same data, `<dir>/<name>.map`, whose capabilities give
 * `onlineResource` as the URL of GetMap (MapServer writes its own host and port there otherwise,
 * and a client follows it: a proxy in front of nginx would be bypassed). Ask for it with
 * `?map=<the path returned>` (MS_MAP_PATTERN allows the data's folder); mapserv reads it at each
 * request, so it may be written after the servers started.
 */
export function writeMapfile(data: WmsData, name: string, options: { onlineResource: string }): string {
  const path = join(data.dir, `${name}.map`)
  writeFileSync(path, mapfileText(data.ortho, data.dem, data.demMax, options.onlineResource))
  return path
}

function mapfileText(ortho: string, dem: string, demMax: number, onlineResource: string | null): string {
  return `MAP
  NAME "tessera"
  EXTENT 150000 169616 150512 170000
  SIZE 256 256
  PROJECTION "init=epsg:31370" END
  WEB
    METADATA
      "wms_title" "Tessera test WMS"
      "wms_srs" "EPSG:31370 EPSG:3857 EPSG:4326"
      "wms_enable_request" "*"
      "wms_attribution_title" "Test data (c) Tessera"${onlineResource ? `
      "wms_onlineresource" "${onlineResource}"` : ''}
    END
  END
  OUTPUTFORMAT NAME "png" DRIVER "AGG/PNG" MIMETYPE "image/png" IMAGEMODE RGBA EXTENSION "png" END
  OUTPUTFORMAT NAME "jpeg" DRIVER "AGG/JPEG" MIMETYPE "image/jpeg" IMAGEMODE RGB EXTENSION "jpg" END
  LAYER
    NAME "ortho"
    TYPE RASTER
    STATUS ON
    DATA "${ortho}"
    PROJECTION "init=epsg:31370" END
    METADATA "wms_title" "Orthophoto" "wms_attribution_title" "Orthophoto (c) a test survey" END
  END
  LAYER
    NAME "dem"
    TYPE RASTER
    STATUS ON
    DATA "${dem}"
    PROJECTION "init=epsg:32631" END
    PROCESSING "SCALE=0,${demMax}"
    METADATA "wms_title" "Elevation" "wms_srs" "EPSG:32631" END
  END
END
`
}

export interface MapServerProcess {
  /** fcgiwrap's unix socket. */
  socket: string
  pid: number
  /**
   * The nginx location that serves the WMS at `path` (for `startNginx`'s `locations`). `publicPort`:
   * the port clients reach it on when something stands in front of nginx (the bench's latency
   * tunnel), so that its capabilities' URLs name it (MapServer writes SERVER_PORT and, with HTTPS
   * on, https).
   */
  location(path?: string, publicPort?: number): string
  /** SIGTERM, then SIGKILL after 3 s; waits for the exit. Idempotent. */
  stop(): Promise<void>
}

/** Starts fcgiwrap for `data` on a unix socket in its folder. */
export async function startMapServer(data: WmsData): Promise<MapServerProcess> {
  requireMapServer()
  const socket = join(data.dir, 'fcgiwrap.sock')
  const asRoot = process.getuid?.() === 0
  if (asRoot) chownSync(data.dir, NOBODY, NOBODY)
  await removeStaleSocket(socket)
  // Its own process group: fcgiwrap's preforked children are stopped with it (signalled alone,
  // they outlived it, holding the stderr pipe: the test or bench process never exited).
  const child = spawn(FCGIWRAP, ['-c', '2', '-s', `unix:${socket}`], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: '/usr/bin:/bin', MAPSERVER_CONFIG_FILE: data.config },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {})
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  try {
    await waitForSocket(socket, child, 10_000)
  } catch (error) {
    await stopChild(child)
    throw new Error(`fcgiwrap did not start on ${socket}: ${(error as Error).message}\n${stderr}`)
  }
  return {
    socket,
    pid: child.pid!,
    location: (path = '/wms', publicPort?: number) => `location = ${path} {
      fastcgi_pass unix:${socket};
      fastcgi_param SCRIPT_FILENAME ${MAPSERV};
      fastcgi_param QUERY_STRING $query_string;
      fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type;
      fastcgi_param CONTENT_LENGTH $content_length;
      fastcgi_param SCRIPT_NAME $uri;
      fastcgi_param SERVER_NAME $host;
      fastcgi_param SERVER_PORT ${publicPort ?? '$server_port'};
      fastcgi_param HTTPS $https if_not_empty;
      fastcgi_param HTTP_HOST $http_host;
      fastcgi_param SERVER_PROTOCOL $server_protocol;
      fastcgi_param MAPSERVER_CONFIG_FILE ${data.config};
    }`,
    stop: () => stopChild(child)
  }
}

async function waitForSocket(socket: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`fcgiwrap exited with ${child.exitCode ?? child.signalCode}`)
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(socket)
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`no socket within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Stops fcgiwrap and its children: the process group it leads (its pid), SIGTERM then SIGKILL after 3 s. */
function stopChild(child: ChildProcess): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal)
    } catch {
      // The group is gone already.
    }
  }
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup('SIGTERM')
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => signalGroup('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    signalGroup('SIGTERM')
  })
}

/** Removes a socket file nobody listens on (left by a run that was killed): fcgiwrap cannot bind over it. */
async function removeStaleSocket(socket: string): Promise<void> {
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect(socket)
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
  if (refused) rmSync(socket, { force: true })
}
