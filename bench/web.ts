/**
 * Benchmark suite `web` (issue 25): web map layers — a WMS layer and an XYZ layer — walked at
 * 50 ms of latency, against OpenLayers' `TileWMS` and `XYZ` sources on the same servers in the same
 * Chromium, in one run.
 *
 * Servers (bench/web/fixtures.ts, made once in bench/.cache/web): MapServer (Debian's mapserv
 * under fcgiwrap, test/helpers/mapserver.ts) serving the `remote` suite's RGB COG (EPSG:3857, 1 m)
 * as the WMS layer `ortho`, and an XYZ pyramid of the same COG written by GDAL's gdal2tiles.py,
 * both behind Debian's nginx (test/helpers/nginx.ts) and the fault proxy adding 50 ms before every
 * request (test/helpers/faultProxy.ts).
 * For each layer, Tessera (a fresh `npm run serve` host and page per run, the layer added through
 * Add map layer…, timed from the click on Add) and OpenLayers (`ol/source/TileWMS` or `ol/source/XYZ`
 * in a canvas tile layer, opened at the same view: the WMS layer's bounding box, the world for
 * XYZ) each run the same walk (bench/remote/walk.ts over the COG's area, driven by
 * bench/view/driver.js), `--repeats` times (5) taking turns to go first: time-to-sharp = the sum of
 * its waits for sharp, the median of the walks judged. Goal ≤ 0.8× OpenLayers,
 * judged in GPU mode (the software mode reported), as the `view` suite does.
 * Tiles fetched for views already left: every tile request nginx logged during the walk (an XYZ
 * tile by its z/x/y, a GetMap by its BBOX and WIDTH), against the views the walk settled at. A
 * tile is of a settled view when it meets that view's extent at that view's level or the one
 * above (a resolution over half and at most three times the view's metres per screen pixel: the
 * level drawn, and the parents that fill its holes); every other tile was fetched for a view
 * crossed and left. Goal: ≤ 10 % of the tiles fetched.
 * Each layer is walked twice: over plain http (HTTP/1.1, the fault proxy adding the latency) and
 * over https (nginx with HTTP/2, a TCP tunnel adding the same round trip), both contenders alike.
 * Run: node --import tsx bench/web.ts [--quick] [--modes=gpu] [--layers=xyz] [--transports=https] [--repeats=N]. Writes bench/results/web.json
 * (only when both modes and both layers ran).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { CdpBrowser } from './remote/cdp'
import { isQuick, printTable, ratioOf, round, writeSuiteResult, type ResultRow } from './report'
import { CHROMIUM, CHROMIUM_ARGS, MODE_ARGS, type Mode } from './browser'
import { ensureRemoteCogs } from './remote/cogs'
import { ensureWebFixtures } from './web/fixtures'
import { panZoomWalk, type Walk } from './remote/walk'
import { startPageServer } from './remote/pageServer'
import { drive, openOpenLayers, openTessera, tesseraAddMapLayer, tesseraReadyToDrive, tesseraViewSize, walkTime, type OpenTimes } from './remote/contenders'
import { corsLocation, startNginx, type AccessEntry } from '../test/helpers/nginx'
import { startFaultProxy } from '../test/helpers/faultProxy'
import { startLatencyTunnel } from '../test/helpers/latencyTunnel'
import { selfSignedCert } from '../test/helpers/selfSignedCert'
import { startMapServer } from '../test/helpers/mapserver'
import { settleCapMs, type Step, type View } from './view/script'

const quick = isQuick()
const LATENCY_MS = 50
const ALL_MODES: Mode[] = ['gpu', 'software']
const modesArg = process.argv.find((a) => a.startsWith('--modes='))?.slice('--modes='.length).split(',')
const MODES: Mode[] = ALL_MODES.filter((m) => modesArg?.includes(m) ?? true)
/** `--layers=xyz` (or wms): an exploration run of one layer (nothing written). */
const layersArg = process.argv.find((a) => a.startsWith('--layers='))?.slice('--layers='.length).split(',')
const LAYERS: Array<'wms' | 'xyz'> = (['wms', 'xyz'] as const).filter((k) => layersArg?.includes(k) ?? true)
const MODE_LABEL: Record<Mode, string> = { gpu: 'GPU (emulated)', software: 'software' }
const OPEN_TIMEOUT_MS = quick ? 30_000 : 60_000
/**
 * Walks per contender and layer (`--repeats=N`, default 5), alternating who goes first: the medians
 * are judged. At 3, the XYZ walk over HTTP/2 measured 0.66–0.88× OpenLayers' time for the same code
 * on this machine (OpenLayers' own walk moving from 920 to 1,280 ms), too wide to judge 0.8× by.
 */
const REPEATS = Math.max(1, Number(process.argv.find((a) => a.startsWith('--repeats='))?.slice('--repeats='.length) ?? 5) || 5)
/** Half the Web Mercator world's side, metres. */
const HALF_WORLD = Math.PI * 6378137
const suiteStart = performance.now()
const progress = (what: string): void => {
  process.stderr.write(`[web ${((performance.now() - suiteStart) / 1000).toFixed(1)} s] ${what}\n`)
}

type LayerKind = 'wms' | 'xyz'
const LAYER_LABEL: Record<LayerKind, string> = { wms: 'WMS (MapServer)', xyz: 'XYZ (gdal2tiles on nginx)' }
/**
 * How the contenders reach the servers: plain http (HTTP/1.1, six connections per host for both)
 * through the fault proxy, or https through a TCP tunnel adding the same round trip, where the
 * browser and Tessera's host both speak HTTP/2 when nginx offers it, as public tile servers do.
 */
type Transport = 'http' | 'https'
const ALL_TRANSPORTS: Transport[] = ['http', 'https']
const transportsArg = process.argv.find((a) => a.startsWith('--transports='))?.slice('--transports='.length).split(',')
const TRANSPORTS: Transport[] = ALL_TRANSPORTS.filter((t) => transportsArg?.includes(t) ?? true)
const TRANSPORT_LABEL: Record<Transport, string> = { http: 'http, HTTP/1.1', https: 'https, HTTP/2' }
/** The key of a layer's results (`details` in web.json): the http ones keep the names of earlier runs. */
const resultKey = (transport: Transport, kind: LayerKind): string => (transport === 'http' ? kind : `${kind}-https`)

// ---- tiles of the access log ---------------------------------------------------------------------

interface TileFootprint {
  minX: number
  minY: number
  maxX: number
  maxY: number
  /** Metres per tile pixel. */
  res: number
}

/** The footprint (EPSG:3857) of a logged tile request, or null when it is not one (capabilities) or not in EPSG:3857. */
function footprintOf(entry: AccessEntry): TileFootprint | null | 'other-crs' {
  const xyz = /\/xyz\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(entry.uri)
  if (xyz) {
    const [z, x, y] = [Number(xyz[1]), Number(xyz[2]), Number(xyz[3])]
    const size = (2 * HALF_WORLD) / 2 ** z
    return { minX: -HALF_WORLD + x * size, maxX: -HALF_WORLD + (x + 1) * size, maxY: HALF_WORLD - y * size, minY: HALF_WORLD - (y + 1) * size, res: size / 256 }
  }
  const query = entry.request.split(' ')[1]?.split('?')[1]
  if (!query) return null
  const params = new Map([...new URLSearchParams(query)].map(([k, v]) => [k.toUpperCase(), v]))
  if (params.get('REQUEST')?.toUpperCase() !== 'GETMAP') return null
  const crs = (params.get('CRS') ?? params.get('SRS') ?? '').toUpperCase()
  if (crs !== 'EPSG:3857' && crs !== 'EPSG:900913') return 'other-crs'
  const [minX, minY, maxX, maxY] = (params.get('BBOX') ?? '').split(',').map(Number) as [number, number, number, number]
  return { minX, minY, maxX, maxY, res: (maxX - minX) / Number(params.get('WIDTH')) }
}

/** The view's extent (EPSG:3857) and metres per screen pixel; world units are map X, −map Y. */
function extentOf(view: View, width: number, height: number): TileFootprint {
  const halfW = width / 2 / view.zoom
  const halfH = height / 2 / view.zoom
  return { minX: view.centerX - halfW, maxX: view.centerX + halfW, minY: -view.centerY - halfH, maxY: -view.centerY + halfH, res: 1 / view.zoom }
}

/**
 * Why a tile counted as fetched for views left is not of a settled view: of the settled views it
 * meets, it is coarser than the levels kept for all (`coarser`: a parent of a parent, a pinned
 * level), finer than all (`finer`: a level no view of the walk reached, as a zoom overshot), or
 * between them (`between`: a level crossed in a zoom); or it meets none (`elsewhere`: a view crossed
 * in a pan).
 */
interface LeftKinds {
  coarser: number
  finer: number
  between: number
  elsewhere: number
}

/** The step of the walk under way at `ms` (epoch): its move, or the wait for sharp after it. */
function stepAt(ms: number, settles: ReadonlyArray<{ label: string; at: number; ms: number | null; capMs: number }>): string {
  for (const settle of settles) if (ms <= settle.at + (settle.ms ?? settle.capMs)) return settle.label
  return 'after the walk'
}

/**
 * Each wait split at the server's last tile answer in it: `untilAnswerMs` sums, over the counted
 * waits, the time from the move to the last tile request nginx finished answering before sharp
 * (0 when every tile came during the move), `afterAnswerMs` the rest of the wait. The first is the
 * network's part (the latency, the connections, when each request left); the second the viewer's
 * own, from the last bytes answered to the view drawn sharp. nginx's time is when it sent an
 * answer's last byte: the proxy (http) passes it on at once, the tunnel (https) 25 ms later.
 */
function serverSplit(entries: AccessEntry[], settles: ReadonlyArray<{ label: string; at: number; ms: number | null; capMs: number; counted: boolean }>): { untilAnswerMs: number; afterAnswerMs: number } {
  const answers = entries.filter((e) => e.method !== 'OPTIONS' && e.status !== 499 && footprintOf(e) !== null).map((e) => e.msec * 1000)
  let untilAnswerMs = 0
  let afterAnswerMs = 0
  let previousEnd = -Infinity
  for (const settle of settles) {
    const end = settle.at + (settle.ms ?? settle.capMs)
    const last = answers.filter((t) => t > previousEnd && t <= end).reduce((a, b) => Math.max(a, b), -Infinity)
    previousEnd = end
    if (!settle.counted) continue
    const network = Number.isFinite(last) ? Math.max(0, last - settle.at) : 0
    untilAnswerMs += network
    afterAnswerMs += end - settle.at - network
  }
  return { untilAnswerMs: Math.round(untilAnswerMs), afterAnswerMs: Math.round(afterAnswerMs) }
}

/** Tiles fetched, and of them those for no settled view (see the header); requests in another CRS are counted apart. */
function leftTiles(
  entries: AccessEntry[],
  views: View[],
  size: { width: number; height: number },
  settles: ReadonlyArray<{ label: string; at: number; ms: number | null; capMs: number }>
): { tiles: number; left: number; otherCrs: number; leftKinds: LeftKinds; abandoned: number } {
  const extents = views.map((v) => extentOf(v, size.width, size.height))
  let tiles = 0
  let left = 0
  let otherCrs = 0
  let abandoned = 0
  const leftKinds: LeftKinds = { coarser: 0, finer: 0, between: 0, elsewhere: 0 }
  for (const entry of entries) {
    if (entry.method === 'OPTIONS') continue
    const f = footprintOf(entry)
    if (f === null) continue
    // nginx's 499: the client closed the request before any answer was sent (a GetMap MapServer was
    // still rendering when the tile was withdrawn): no byte of it was fetched. Counted apart.
    if (entry.status === 499) {
      abandoned++
      continue
    }
    if (f === 'other-crs') {
      otherCrs++
      continue
    }
    tiles++
    const meeting = extents.filter((e) => f.minX < e.maxX && f.maxX > e.minX && f.minY < e.maxY && f.maxY > e.minY)
    const kept = meeting.some((e) => f.res > e.res / 2 && f.res <= 3 * e.res)
    if (kept) continue
    left++
    if (process.env.WEB_LEFT_LOG) process.stderr.write(`LEFT ${entry.uri} meets ${meeting.map((e) => e.res.toFixed(2)).join(',')} during ${stepAt(entry.msec * 1000, settles)}\n`)
    if (meeting.length === 0) leftKinds.elsewhere++
    else if (meeting.every((e) => f.res > 3 * e.res)) leftKinds.coarser++
    else if (meeting.every((e) => f.res <= e.res / 2)) leftKinds.finer++
    else leftKinds.between++
  }
  return { tiles, left, otherCrs, leftKinds, abandoned }
}

/**
 * `WEB_BENCH_TRACE=<folder>`: Tessera's page records, at every frame of the walk, [epoch ms, centre
 * x, centre y, zoom, pending tiles, measured tile latency, sharp (1/0), requested, cancelled,
 * displayed], and the proxy each tile request's [URL, epoch ms forwarded to nginx (after the 50 ms),
 * epoch ms its answer ended or the client closed] (http only), and nginx's log of the walk
 * ([URI, epoch ms of its answer's last byte, status]: https too), with the walk's settles (`at`:
 * epoch ms of the move waited for): `tessera-<mode>-<layer>-<epoch>.json` there (and `ol-…` with
 * the settles, the proxy's record and nginx's log), where a wait's time goes; Tessera's page adds its long animation frames
 * (`loaf`: [epoch ms, duration, render start, blocking, scripts]). Nothing is traced otherwise.
 * `WEB_LEFT_LOG=1`: each tile counted as fetched for views left is printed (stderr) with the
 * metres per pixel of the settled views it meets: which motion fetched it.
 */
const TRACE = process.env.WEB_BENCH_TRACE ?? null
const TESSERA_TRACE = `(() => {
  const d = window.__tesseraDiagnostics
  const trace = (window.__benchTrace = [])
  const tick = () => {
    const s = d.stats()
    const v = d.view()
    trace.push([Math.round(performance.timeOrigin + performance.now()), Math.round(v.centerX ?? 0), Math.round(v.centerY ?? 0), +(v.zoom ?? 0).toPrecision(4), s.pending, s.latencyMs, s.sharp ? 1 : 0, s.requested, s.cancelled, s.displayed])
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  // Long animation frames, with the scripts that took their time: where a wait's gaps between frames go.
  const loaf = (window.__benchLoaf = [])
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      loaf.push([Math.round(performance.timeOrigin + e.startTime), Math.round(e.duration), Math.round(e.renderStart ? e.renderStart - e.startTime : -1), Math.round(e.blockingDuration ?? 0),
        (e.scripts ?? []).map((s) => [Math.round(s.duration), s.invoker, s.sourceFunctionName, (s.sourceURL ?? '').split('/').pop(), s.sourceCharPosition])])
    }
  }).observe({ type: 'long-animation-frame', buffered: false })
})()`

// ---- the suite -----------------------------------------------------------------------------------

/** A layer's figures: each contender's runs as one (`combineRuns`), and the runs. */
interface LayerResult {
  tessera: WalkRun
  ol: WalkRun
  runs: { tessera: WalkRun[]; ol: WalkRun[] }
}

interface WalkRun {
  open: OpenTimes
  walkMs: number
  censored: number
  settles: Array<{ label: string; ms: number | null }>
  tiles: number
  left: number
  otherCrs: number
  leftKinds: LeftKinds
  /** Tile requests the client abandoned before the server answered (nginx's 499): not fetched. */
  abandoned: number
  /** The waits split at the server's last tile answer in each (`serverSplit`). */
  untilAnswerMs: number
  afterAnswerMs: number
  problems: string[]
}

const { cogs } = await ensureRemoteCogs(resolve('bench/.cache/remote'), quick)
const ortho = cogs.find((c) => c.kind === 'rgb')!
const started = performance.now()
const fixtures = await ensureWebFixtures(resolve('bench/.cache/web'), ortho, quick)
if (performance.now() - started > 5000) progress(`wrote the XYZ pyramid (gdal2tiles) in ${((performance.now() - started) / 1000).toFixed(0)} s (cached for the next runs)`)
const mapserver = await startMapServer(fixtures.wms)
const nginx = await startNginx(fixtures.xyzDir, { locations: [corsLocation('/xyz/'), mapserver.location('/wms')] })
const proxy = await startFaultProxy(nginx.port)
// The https servers: the same nginx locations with a self-signed certificate, trusted by Tessera's
// hosts (NODE_EXTRA_CA_CERTS, read by each host at its start) and by the browser (--ignore-certificate-errors).
const tls = selfSignedCert(resolve('bench/.cache/web/tls'))
process.env.NODE_EXTRA_CA_CERTS = tls.certPath
// MapServer behind the tunnel writes the tunnel's port in its capabilities, as a server behind a
// proxy is configured to (else its GetMap URL would name nginx's own port, which no client reaches).
const tunnel = await startLatencyTunnel(0, LATENCY_MS)
const secureNginx = await startNginx(fixtures.xyzDir, { locations: [corsLocation('/xyz/'), mapserver.location('/wms', tunnel.port)], tls })
tunnel.upstreamPort = secureNginx.port
const secureUrl = (path: string): string => `https://127.0.0.1:${tunnel.port}${path}`
/** With WEB_BENCH_TRACE: every proxied request's URL, when it was forwarded and when it ended (epoch ms). */
const proxyTrace: Array<[string, number, number]> = []
proxy.always = {
  latencyMs: LATENCY_MS,
  ...(process.env.WEB_BENCH_TRACE
    ? {
        respond: (request, response) => {
          const entry: [string, number, number] = [request.url ?? '', Date.now(), 0]
          proxyTrace.push(entry)
          response.once('close', () => (entry[2] = Date.now()))
          return false
        }
      }
    : {})
}
const pages = await startPageServer(resolve('bench/.cache'))
/** The Tessera hosts' TMPDIRs (`withFreshWebCache`), removed at the end. */
const hostTmpRoot = mkdtempSync(join(tmpdir(), 'tessera-web-bench-'))
const urlOf = (transport: Transport, path: string): string => (transport === 'http' ? proxy.url(path) : secureUrl(path))
const capabilitiesUrl = (transport: Transport, kind: LayerKind): string =>
  urlOf(transport, kind === 'wms' ? '/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0' : '/xyz/{z}/{x}/{y}.png')
const results = new Map<Mode, Map<string, LayerResult>>()
const notes: string[] = []
const loads: number[] = [loadavg()[0]!]
let viewSize = { width: 0, height: 0 }

/** nginx's access log once the walk's requests have ended (the tunnel cannot see requests: the log stands still for 400 ms). */
async function settledLog(transport: Transport): Promise<AccessEntry[]> {
  if (transport === 'http') {
    await proxy.idle(30_000)
    await new Promise((r) => setTimeout(r, 150))
    return nginx.accessLog()
  }
  const deadline = Date.now() + 30_000
  let count = secureNginx.accessLog().length
  for (;;) {
    await new Promise((r) => setTimeout(r, 400))
    const now = secureNginx.accessLog()
    if (now.length === count || Date.now() > deadline) return now
    count = now.length
  }
}

/**
 * Runs `open` (a host's start) with TMPDIR a new empty folder: the host's disk cache of web tiles
 * (os.tmpdir()/tessera-web-cache) starts empty, as OpenLayers' fresh browser context does; tiles
 * an earlier run fetched would otherwise be served without a request (nginx's Last-Modified makes
 * them heuristically fresh).
 */
async function withFreshWebCache<T>(open: () => Promise<T>): Promise<T> {
  const before = process.env.TMPDIR
  process.env.TMPDIR = mkdtempSync(join(hostTmpRoot, 'run-'))
  try {
    return await open()
  } finally {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
  }
}

/**
 * How long a WMS wait may take before it counts as its cap, for both contenders: MapServer renders
 * each GetMap from the COG (tens to hundreds of ms of CPU a tile), so on a loaded 2-core machine a
 * view's tiles take longer than the raster walks' cap, and every wait hit it for both (no ratio).
 */
const WMS_SETTLE_CAP_MS = settleCapMs(quick) * 5

/** The walk's steps for a web layer: to the area's fit first (waited for, not counted), then the walk. */
function webSteps(walk: Walk, kind: LayerKind): Step[] {
  const cap = kind === 'wms' ? WMS_SETTLE_CAP_MS : settleCapMs(quick)
  const steps = walk.steps.map((s): Step => (s.type === 'settle' ? { ...s, capMs: cap } : s))
  return [{ type: 'move', view: walk.views[0]!.view }, { type: 'settle', label: 'fit (set-up)', capMs: cap * 2, counted: false }, ...steps]
}

/** One walk of Tessera over a web layer: a fresh host (empty tile cache) and page, the layer added, the walk driven. */
async function tesseraWalk(browser: CdpBrowser, mode: Mode, transport: Transport, kind: LayerKind, walk: Walk): Promise<WalkRun> {
  const t = await withFreshWebCache(() => openTessera(browser))
  try {
    const open = await tesseraAddMapLayer(t, capabilitiesUrl(transport, kind), kind === 'wms' ? 'ortho' : null, OPEN_TIMEOUT_MS)
    await tesseraReadyToDrive(t)
    await t.page.evaluate('window.__benchAdapter.setView = (v) => window.__tesseraDiagnostics.setWorldView(v)')
    const mark = (await settledLog(transport)).length
    proxyTrace.splice(0)
    if (TRACE) await t.page.evaluate(TESSERA_TRACE)
    const result = await drive(t.page, webSteps(walk, kind), quick)
    const trace = TRACE ? { settles: result.settles, frames: await t.page.evaluate('window.__benchTrace'), loaf: await t.page.evaluate('window.__benchLoaf'), proxy: proxyTrace.splice(0) } : null
    const entries = (await settledLog(transport)).slice(mark)
    if (TRACE) writeFileSync(join(TRACE, `tessera-${mode}-${kind}-${Date.now()}.json`), JSON.stringify({ ...trace, nginx: entries.map((e) => [e.uri, Math.round(e.msec * 1000), e.status]) }))
    return walkRun(open, result, leftTiles(entries, walk.views.map((v) => v.view), viewSize, result.settles), serverSplit(entries, result.settles), t.problems())
  } finally {
    await t.close()
  }
}

/** One walk of OpenLayers over the same layer, in a fresh browser context. */
async function openLayersWalk(browser: CdpBrowser, mode: Mode, transport: Transport, kind: LayerKind, walk: Walk): Promise<WalkRun> {
  const extent = kind === 'wms' ? fixtures.extent : [-HALF_WORLD, -HALF_WORLD, HALF_WORLD, HALF_WORLD]
  const { ol, times } = await openOpenLayers(
    browser,
    `${pages.origin}/web.html?w=${viewSize.width}&h=${viewSize.height}`,
    { service: kind, url: kind === 'wms' ? urlOf(transport, '/wms') : capabilitiesUrl(transport, 'xyz'), layer: 'ortho', format: 'image/png', extent },
    OPEN_TIMEOUT_MS
  )
  try {
    const mark = (await settledLog(transport)).length
    proxyTrace.splice(0)
    const result = await drive(ol.page, webSteps(walk, kind), quick)
    const proxied = proxyTrace.splice(0)
    const entries = (await settledLog(transport)).slice(mark)
    if (TRACE) writeFileSync(join(TRACE, `ol-${mode}-${kind}-${Date.now()}.json`), JSON.stringify({ settles: result.settles, proxy: proxied, nginx: entries.map((e) => [e.uri, Math.round(e.msec * 1000), e.status]) }))
    return walkRun(times, result, leftTiles(entries, walk.views.map((v) => v.view), viewSize, result.settles), serverSplit(entries, result.settles), ol.problems())
  } finally {
    await ol.close()
  }
}

function walkRun(open: OpenTimes, result: Awaited<ReturnType<typeof drive>>, counted: ReturnType<typeof leftTiles>, split: ReturnType<typeof serverSplit>, problems: string[]): WalkRun {
  const settles = result.settles.filter((s) => s.counted).map((s) => ({ label: s.label, ms: s.ms }))
  return { open, walkMs: walkTime(result).ms, censored: walkTime(result).censored, settles, ...counted, ...split, problems }
}

/**
 * A contender's runs as one: the median of each time (the walk's sum, each wait, the open's), and
 * the tiles of all runs together (their shares are pooled). A wait not sharp in time counts as null
 * in its run; its median is null when most runs had it so.
 */
function combineRuns(runs: readonly WalkRun[]): WalkRun {
  const first = runs[0]!
  const medianOf = (values: ReadonlyArray<number | null>): number | null => {
    const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b)
    if (known.length * 2 < values.length) return null
    const mid = (values.length - 1) / 2
    // The nulls are the largest (a cap hit), so they sit at the top of the order.
    const ordered = [...known, ...Array<number>(values.length - known.length).fill(Infinity)]
    const middle = (ordered[Math.floor(mid)]! + ordered[Math.ceil(mid)]!) / 2
    return Number.isFinite(middle) ? middle : null
  }
  const sum = (pick: (r: WalkRun) => number): number => runs.reduce((n, r) => n + pick(r), 0)
  return {
    open: { firstPixelsMs: medianOf(runs.map((r) => r.open.firstPixelsMs)), sharpMs: medianOf(runs.map((r) => r.open.sharpMs)) },
    walkMs: medianOf(runs.map((r) => r.walkMs))!,
    censored: sum((r) => r.censored),
    settles: first.settles.map((s, i) => ({ label: s.label, ms: medianOf(runs.map((r) => r.settles[i]?.ms ?? null)) })),
    tiles: sum((r) => r.tiles),
    left: sum((r) => r.left),
    otherCrs: sum((r) => r.otherCrs),
    leftKinds: { coarser: sum((r) => r.leftKinds.coarser), finer: sum((r) => r.leftKinds.finer), between: sum((r) => r.leftKinds.between), elsewhere: sum((r) => r.leftKinds.elsewhere) },
    abandoned: sum((r) => r.abandoned),
    untilAnswerMs: medianOf(runs.map((r) => r.untilAnswerMs))!,
    afterAnswerMs: medianOf(runs.map((r) => r.afterAnswerMs))!,
    problems: runs.flatMap((r) => r.problems)
  }
}

try {
  for (const mode of MODES) {
    const browser = await CdpBrowser.launch(CHROMIUM, [...CHROMIUM_ARGS, ...MODE_ARGS[mode], '--ignore-certificate-errors'])
    try {
      if (viewSize.width === 0) {
        progress('starting a serve host to measure the viewer element (builds first if the sources changed)')
        viewSize = await tesseraViewSize(browser)
        progress(`viewer element ${viewSize.width}×${viewSize.height}`)
      }
      const byLayer = new Map<string, LayerResult>()
      results.set(mode, byLayer)
      for (const [transport, kind] of TRANSPORTS.flatMap((t) => LAYERS.map((k) => [t, k] as const))) {
        const label = `${LAYER_LABEL[kind]} [${TRANSPORT_LABEL[transport]}]`
        // The finest zoom walked: the pyramid's finest level for XYZ; for the WMS, 1.19 m a pixel (zoom 17).
        const finestRes = kind === 'xyz' ? (2 * HALF_WORLD) / 256 / 2 ** fixtures.maxZoom : (2 * HALF_WORLD) / 256 / 2 ** 17
        const walk = panZoomWalk({ left: 0, top: 0, width: ortho.side, height: ortho.side, viewWidth: viewSize.width, viewHeight: viewSize.height, maxZoom: 1 / finestRes }, quick)
        const runs: { tessera: WalkRun[]; ol: WalkRun[] } = { tessera: [], ol: [] }
        for (let repeat = 0; repeat < REPEATS; repeat++) {
          // Each contender goes first in every other round: neither always meets the machine as the other left it.
          for (const who of repeat % 2 === 0 ? (['tessera', 'ol'] as const) : (['ol', 'tessera'] as const)) {
            progress(`[${MODE_LABEL[mode]}] ${label}: ${who === 'tessera' ? 'Tessera' : 'OpenLayers'} open and walk (${repeat + 1} of ${REPEATS})`)
            const run = who === 'tessera' ? await tesseraWalk(browser, mode, transport, kind, walk) : await openLayersWalk(browser, mode, transport, kind, walk)
            loads.push(loadavg()[0]!)
            progress(`  first pixels ${round(run.open.firstPixelsMs ?? NaN)} ms, sharp ${round(run.open.sharpMs ?? NaN)} ms; walk ${Math.round(run.walkMs)} ms${run.censored ? ` (${run.censored} not sharp in time)` : ''} [${run.settles.map((s) => s.ms ?? 'cap').join(', ')}]; ${run.tiles} tiles fetched, ${run.left} for views left (${run.leftKinds.coarser} coarser than a settled view's, ${run.leftKinds.finer} finer, ${run.leftKinds.between} between, ${run.leftKinds.elsewhere} elsewhere)${run.abandoned ? `, ${run.abandoned} abandoned before the answer (499)` : ''}${run.otherCrs ? `, ${run.otherCrs} GetMaps in another CRS` : ''}; waits until the server's last answer ${run.untilAnswerMs} ms, after it ${run.afterAnswerMs} ms`)
            for (const problem of new Set(run.problems)) notes.push(`[${MODE_LABEL[mode]}] ${label}, ${who === 'tessera' ? 'Tessera' : 'OpenLayers'}: ${problem}`)
            runs[who].push(run)
          }
        }
        byLayer.set(resultKey(transport, kind), { tessera: combineRuns(runs.tessera), ol: combineRuns(runs.ol), runs })
      }
    } finally {
      await browser.close()
    }
  }
} finally {
  rmSync(hostTmpRoot, { recursive: true, force: true })
  await pages.close()
  await proxy.close()
  await tunnel.close()
  await nginx.stop()
  await secureNginx.stop()
  await mapserver.stop()
}

// ---- rows ----------------------------------------------------------------------------------------

const rows: ResultRow[] = []
const row = (figure: string, value: number, unit: string, baseline: number | null, goal: string, met: boolean | null): void => {
  rows.push({ figure, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: ratioOf(value, baseline), goal, met })
}
for (const mode of MODES) {
  const m = `[${MODE_LABEL[mode]}]`
  const judged = (text: string, met: boolean): [string, boolean | null] => (mode === 'gpu' ? [text, met] : [`${text} (judged in GPU mode)`, null])
  for (const [transport, kind] of ALL_TRANSPORTS.flatMap((t) => (['wms', 'xyz'] as const).map((k) => [t, k] as const))) {
    const r = results.get(mode)?.get(resultKey(transport, kind))
    if (!r) continue
    const layer = `${LAYER_LABEL[kind]} [${TRANSPORT_LABEL[transport]}]`
    const { tessera: t, ol } = r
    const ms = (v: number | null): number => v ?? OPEN_TIMEOUT_MS
    const share = (x: WalkRun): number => (x.tiles > 0 ? (100 * x.left) / x.tiles : 0)
    row(`${m} ${layer}: time to first pixels after the open vs OpenLayers`, ms(t.open.firstPixelsMs), 'ms', ms(ol.open.firstPixelsMs), 'reported', null)
    row(`${m} ${layer}: time to sharp after the open vs OpenLayers`, ms(t.open.sharpMs), 'ms', ms(ol.open.sharpMs), 'reported', null)
    row(`${m} ${layer}: walk time-to-sharp (sum of ${t.settles.length} waits) vs OpenLayers`, t.walkMs, 'ms', ol.walkMs, ...judged('≤ 0.8×', t.walkMs <= 0.8 * ol.walkMs))
    row(`${m} ${layer}: the waits until the server's last tile answer in each (sum) vs OpenLayers`, t.untilAnswerMs, 'ms', ol.untilAnswerMs, 'reported', null)
    row(`${m} ${layer}: the waits after it, to sharp (sum) vs OpenLayers`, t.afterAnswerMs, 'ms', ol.afterAnswerMs, 'reported', null)
    row(`${m} ${layer}: tiles fetched for views already left, share of ${t.tiles} fetched (OpenLayers: of ${ol.tiles})`, share(t), '%', share(ol), ...judged('≤ 10 %', t.tiles > 0 && share(t) <= 10))
    row(`${m} ${layer}: tiles fetched during the walk vs OpenLayers`, t.tiles, 'tiles', ol.tiles, 'reported', null)
  }
}

notes.unshift(
  `${REPEATS} walks per contender and layer, alternating who goes first; the times are their medians (the walk's sum, each wait, the open's) and the tiles those of all walks together (details: \`runs\`). On a shared ${process.env.CI ? 'CI' : '2-core'} machine (load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}); over http, nginx behind a proxy adding ${LATENCY_MS} ms before every request (HTTP/1.1, six connections a host for both); over https, nginx with TLS and http2 behind a TCP tunnel delaying every chunk by ${LATENCY_MS / 2} ms each way (a ${LATENCY_MS} ms round trip; both contenders on HTTP/2: Chromium with --ignore-certificate-errors, Tessera's host trusting the test certificate by NODE_EXTRA_CA_CERTS); a request withdrawn over the tunnel has usually reached nginx and been answered (the proxy holds it back the whole ${LATENCY_MS} ms, so a withdrawal there costs nothing), so more tiles count as fetched for views left over https, for both; MapServer 8 (mapserv under fcgiwrap, 2 processes) for the WMS; the XYZ pyramid by gdal2tiles.py (zooms 0–${fixtures.maxZoom}, PNG) of the ${ortho.label} (EPSG:3857, 1 m); viewer element ${viewSize.width}×${viewSize.height} for both. Figures move by tens of per cent between runs: read the ratios.`,
  'Browser modes: "GPU (emulated)" adds --use-angle=swiftshader --use-gl=angle --ignore-gpu-blocklist (goals judged there); "software" is Chromium\'s plain software compositing, reported.',
  'Tessera: a fresh `npm run serve` host per run (its disk cache of web tiles empty: a new TMPDIR), the layer added with Add map layer… (URL, Load, the layer, Add), timed from the click on Add; the camera then placed in world units (setWorldView). OpenLayers 10: ol/source/TileWMS (WMS 1.3.0, PNG, 256 px tiles on its EPSG:3857 grid) or ol/source/XYZ in an ol/layer/Tile, no transition, opened at the view Tessera opens at (the WMS bounding box, the world for XYZ), timed from the source\'s creation; sharp = its rendercomplete after the last move, of a frame that shows the view as set (OpenLayers dispatches the event from a timeout after its frame: a move made in between got the event of the frame before, which drew the old view, and counted as sharp before its tiles were asked for; a jump measured 39 ms). Both in a fresh browser context of a Chromium driven over DevTools (bench/remote/cdp.ts), not through Playwright, whose Network domain had Chromium send every WebSocket tile frame of Tessera\'s page, base64-encoded, to the bench (about 1.8 s of CPU a walk on this machine, which no Electron user pays).',
  `Walk (bench/remote/walk.ts over the COG's area, in EPSG:3857 metres): to the area's fit (waited for, not counted), then glides of 0.6–0.8 s and jumps (zoom in 6× fit, pan 2 screens, zoom to the finest — zoom ${fixtures.maxZoom} for XYZ, 1.19 m a pixel for WMS — fling 3 screens, jump at half that, zoom out to 2× fit, jump to the finest); time-to-sharp is the sum of the 7 waits, a wait not sharp within ${settleCapMs(quick) / 1000} s (XYZ) or ${WMS_SETTLE_CAP_MS / 1000} s (WMS: MapServer renders every GetMap; the same cap for both contenders) counting as that cap.`,
  'Tiles fetched for views already left: nginx\'s access log during the walk (after the open), each tile (XYZ z/x/y, GetMap BBOX/WIDTH in EPSG:3857) against the 8 views the walk settled at: a tile is of a settled view when it meets its extent at a resolution over half and at most three times that view\'s metres per screen pixel (the level drawn and the parents filling its holes); all others count as fetched for views left. The coarsest always-wanted levels count as left too. A request the client abandoned before the server sent anything (nginx\'s status 499: a GetMap withdrawn while MapServer rendered it) fetched no byte and is not counted (its number is in the details, `abandoned`); one whose answer had begun is counted.',
  "The waits split at the server's last tile answer in each: from the move to the last tile nginx finished answering before sharp (0 when every tile came during the move: the network's part, its latency, connections and when each request left), then from there to sharp (the viewer's part: the last bytes received, decoded and drawn). nginx logs an answer when its last byte is sent: the proxy (http) passes it on at once, the tunnel (https) 25 ms later, alike for both contenders."
)

printTable(rows)
for (const note of notes) console.log(`\nNote: ${note}`)
if (MODES.length < ALL_MODES.length || LAYERS.length < 2 || TRANSPORTS.length < ALL_TRANSPORTS.length) {
  console.log('exploration run (--modes): nothing written')
} else {
  const details = Object.fromEntries([...results].map(([mode, byLayer]) => [mode, Object.fromEntries(byLayer)]))
  console.log(`\nWrote ${writeSuiteResult('web', rows, { quick, notes, details })}`)
}
