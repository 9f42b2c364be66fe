/**
 * Benchmark suite `remote` (issue 24): cloud-optimised GeoTIFFs read over HTTP, against OpenLayers
 * and GDAL on the same server, in one run.
 *
 * The COGs (bench/remote/cogs.ts: an RGB JPEG COG 30000² and a Float32 DEM COG 10000², 12000² and
 * 5000² with --quick, written by GDAL into bench/.cache/remote) are served by Debian's nginx
 * (test/helpers/nginx.ts, CORS headers for the OpenLayers page) behind the fault proxy
 * (test/helpers/faultProxy.ts) adding 50 ms before every request. For each COG:
 * - Tessera (a fresh `npm run serve` host per run, the URL opened with Ctrl+L → Open URL… → Enter)
 *   and OpenLayers (`ol/source/GeoTIFF` + a WebGL tile layer, its page on another origin) in the
 *   same Chromium, each in a fresh browser context: time to first pixels and to sharp after the
 *   open (from the Enter, or from the source's creation), then a pan-and-zoom walk
 *   (bench/remote/walk.ts: glides and jumps, each followed by a wait for sharp) whose time-to-sharp
 *   is the sum of its waits. Goal: Tessera ≤ 0.8× OpenLayers, judged in GPU mode (the other
 *   Chromium mode reported), as the `view` suite does.
 * - HTTP requests and bytes for the walk's views, Tessera against GDAL reading the same windows,
 *   both counted from nginx's access log: Tessera opens the URL (the fitted view) and jumps to each
 *   view in turn, waiting for sharp and for its loads to end; GDAL runs, per view,
 *   `gdal_translate -oo OVERVIEW_LEVEL=<level − 1> -srcwin … /vsicurl/<url>` on the tiles of the level Tessera
 *   draws the view from (its planner's own functions). Each gdal_translate is a fresh process that
 *   reads the file's structure again; GDAL "in one session" counts its first run whole and only the
 *   tile reads of the others (a request whose range starts before the first tile's offset reads
 *   the structure). Goals: Tessera's requests ≤ GDAL's, bytes ≤ 1.2× GDAL's.
 * - Bytes fetched for tiles already withdrawn, over the walks: the host's remote counters
 *   (`bytesAfterAbort`: body bytes received while every reader of their request had given up),
 *   read through the `stats` call. Goal: 0.
 * Run: node --import tsx bench/remote.ts [--quick] [--modes=gpu]. Writes bench/results/remote.json
 * (only when both modes ran).
 */
import { mkdirSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { CdpBrowser } from './remote/cdp'
import { isQuick, printTable, ratioOf, round, writeSuiteResult, type ResultRow } from './report'
import { CHROMIUM, CHROMIUM_ARGS, MODE_ARGS, type Mode } from './browser'
import { ensureRemoteCogs, type RemoteCog } from './remote/cogs'
import { cogGeometry, firstTileOffset, gdalReadWindow, windowOf, GDAL_REMOTE_ENV, type Window } from './remote/gdalWindows'
import { panZoomWalk, type Walk } from './remote/walk'
import { startPageServer } from './remote/pageServer'
import { drive, openOpenLayers, openTessera, tesseraOpenUrl, tesseraReadyToDrive, tesseraViewSize, walkTime, type OpenTimes, type TesseraPage } from './remote/contenders'
import { corsLocation, startNginx, type AccessEntry, type NginxServer } from '../test/helpers/nginx'
import { startFaultProxy } from '../test/helpers/faultProxy'
import { settleCapMs } from './view/script'

const quick = isQuick()
const LATENCY_MS = 50
const ALL_MODES: Mode[] = ['gpu', 'software']
const modesArg = process.argv.find((a) => a.startsWith('--modes='))?.slice('--modes='.length).split(',')
const MODES: Mode[] = ALL_MODES.filter((m) => modesArg?.includes(m) ?? true)
const MODE_LABEL: Record<Mode, string> = { gpu: 'GPU (emulated)', software: 'software' }
const OPEN_TIMEOUT_MS = quick ? 30_000 : 60_000
const suiteStart = performance.now()
const progress = (what: string): void => {
  process.stderr.write(`[remote ${((performance.now() - suiteStart) / 1000).toFixed(1)} s] ${what}\n`)
}

// ---- the access log ------------------------------------------------------------------------------

/** The requests of `entries` for the file `name`, and what they carried. */
function tally(entries: AccessEntry[], name: string, dataStart: number): { requests: number; bytes: number; structureRequests: number; structureBytes: number; cut: number } {
  const mine = entries.filter((e) => e.uri.endsWith(`/${name}`) && e.method !== 'OPTIONS')
  const structure = mine.filter((e) => {
    const start = /^bytes=(\d+)-/.exec(e.range)
    return !start || Number(start[1]) < dataStart
  })
  return {
    requests: mine.length,
    bytes: mine.reduce((s, e) => s + e.bytes, 0),
    structureRequests: structure.length,
    structureBytes: structure.reduce((s, e) => s + e.bytes, 0),
    cut: mine.filter((e) => e.completion !== 'OK').length
  }
}

/** Waits until nginx has logged every request the proxy forwarded (nginx logs after its answer). */
async function settledLog(nginx: NginxServer, proxy: { idle(timeoutMs?: number): Promise<void> }): Promise<AccessEntry[]> {
  await proxy.idle(30_000)
  await new Promise((r) => setTimeout(r, 150))
  return nginx.accessLog()
}

// ---- the host's remote counters --------------------------------------------------------------------

interface RemoteCounters {
  requests: number
  bytes: number
  bytesAfterAbort: number
}

async function remoteCounters(t: TesseraPage): Promise<RemoteCounters | null> {
  const stats = await t.serviceStats()
  const remote = stats.remote as RemoteCounters | undefined
  return remote && typeof remote.bytesAfterAbort === 'number' ? remote : null
}

/**
 * Waits until Tessera's page is sharp and nothing is loading (renderer and service), polled from
 * here: Playwright's waitForFunction takes the Promise an async predicate returns as a truthy
 * answer and returns at once, which is how the first runs of this suite counted each view's
 * requests before most of them were made (and withdrew them at the next view).
 */
async function tesseraIdle(t: TesseraPage, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  const idle = (): Promise<boolean> =>
    t.page.evaluate(async () => {
      const d = (globalThis as unknown as { __tesseraDiagnostics: { stats(): { sharp: boolean; pending: number }; service(): Promise<{ pending: number; active: number }> } }).__tesseraDiagnostics
      const s = d.stats()
      const service = await d.service()
      return s.sharp && s.pending === 0 && service.pending + service.active === 0
    })
  while (performance.now() < deadline) {
    if (await idle()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  progress(`  (a view was not idle within ${timeoutMs} ms: its requests so far counted)`)
}

// ---- runs ----------------------------------------------------------------------------------------

interface WalkRun {
  open: OpenTimes
  walkMs: number
  censored: number
  settles: Array<{ label: string; ms: number | null }>
  requests: number
  bytes: number
  cut: number
  bytesAfterAbort: number | null
  problems: string[]
}

interface Ctx {
  browser: CdpBrowser
  nginx: NginxServer
  proxy: Awaited<ReturnType<typeof startFaultProxy>>
  pageOrigin: string
  view: { width: number; height: number }
}

const urlOf = (ctx: Ctx, cog: RemoteCog): string => ctx.proxy.url(`/cog/${cog.name}`)

async function tesseraWalk(ctx: Ctx, cog: RemoteCog, walk: Walk, dataStart: number): Promise<WalkRun> {
  const t = await openTessera(ctx.browser)
  try {
    const before = (await settledLog(ctx.nginx, ctx.proxy)).length
    const open = await tesseraOpenUrl(t, urlOf(ctx, cog), OPEN_TIMEOUT_MS)
    await tesseraReadyToDrive(t)
    const result = await drive(t.page, [{ type: 'move', view: walk.views[0]!.view }, ...walk.steps], quick)
    const { ms, censored } = walkTime(result)
    const log = tally((await settledLog(ctx.nginx, ctx.proxy)).slice(before), cog.name, dataStart)
    const remote = await remoteCounters(t)
    return {
      open,
      walkMs: ms,
      censored,
      settles: result.settles.map((s) => ({ label: s.label, ms: s.ms })),
      requests: log.requests,
      bytes: log.bytes,
      cut: log.cut,
      bytesAfterAbort: remote?.bytesAfterAbort ?? null,
      problems: t.problems()
    }
  } finally {
    await t.close()
  }
}

async function olWalk(ctx: Ctx, cog: RemoteCog, walk: Walk, dataStart: number): Promise<WalkRun> {
  const before = (await settledLog(ctx.nginx, ctx.proxy)).length
  const { ol, times } = await openOpenLayers(
    ctx.browser,
    `${ctx.pageOrigin}/remote.html?w=${ctx.view.width}&h=${ctx.view.height}`,
    { url: urlOf(ctx, cog), kind: cog.kind, min: cog.range?.[0], max: cog.range?.[1] },
    OPEN_TIMEOUT_MS
  )
  try {
    const result = await drive(ol.page, [{ type: 'move', view: walk.views[0]!.view }, ...walk.steps], quick)
    const { ms, censored } = walkTime(result)
    const log = tally((await settledLog(ctx.nginx, ctx.proxy)).slice(before), cog.name, dataStart)
    return { open: times, walkMs: ms, censored, settles: result.settles.map((s) => ({ label: s.label, ms: s.ms })), requests: log.requests, bytes: log.bytes, cut: log.cut, bytesAfterAbort: null, problems: ol.problems() }
  } finally {
    await ol.close()
  }
}

interface ViewCount {
  label: string
  window: Window
  tessera: ReturnType<typeof tally>
  gdal: ReturnType<typeof tally>
  gdalMs: number
}

/** Tessera (one session: open, then a jump to each view, each waited out) and GDAL (one gdal_translate per view) on the walk's views. */
async function viewCounts(ctx: Ctx, cog: RemoteCog, walk: Walk, dataStart: number): Promise<ViewCount[]> {
  const geometry = await cogGeometry(cog.path)
  const windows = walk.views.map((v) => windowOf(v.view, ctx.view.width, ctx.view.height, geometry))
  const tessera: Array<ReturnType<typeof tally>> = []
  const t = await openTessera(ctx.browser)
  try {
    let mark = (await settledLog(ctx.nginx, ctx.proxy)).length
    const step = async (): Promise<void> => {
      await tesseraIdle(t, settleCapMs(quick) * 2)
      const log = await settledLog(ctx.nginx, ctx.proxy)
      tessera.push(tally(log.slice(mark), cog.name, dataStart))
      mark = log.length
    }
    await tesseraOpenUrl(t, urlOf(ctx, cog), OPEN_TIMEOUT_MS)
    await tesseraReadyToDrive(t)
    // The fitted view GDAL reads (Tessera's own fit may differ by a pixel or so).
    await t.page.evaluate(`window.__benchAdapter.setView(${JSON.stringify(walk.views[0]!.view)}); window.__tesseraDiagnostics.frameNow()`)
    await step()
    for (const { view } of walk.views.slice(1)) {
      // Placed, then a frame run at once: its requests are asked for before the wait for idle begins.
      await t.page.evaluate(`window.__benchAdapter.setView(${JSON.stringify(view)}); window.__tesseraDiagnostics.frameNow()`)
      await step()
    }
  } finally {
    await t.close()
  }
  const counts: ViewCount[] = []
  const scratch = resolve(tmpdir())
  for (const [i, { label }] of walk.views.entries()) {
    const mark = (await settledLog(ctx.nginx, ctx.proxy)).length
    const gdalMs = await gdalReadWindow(urlOf(ctx, cog), windows[i]!, scratch)
    const gdal = tally((await settledLog(ctx.nginx, ctx.proxy)).slice(mark), cog.name, dataStart)
    counts.push({ label, window: windows[i]!, tessera: tessera[i]!, gdal, gdalMs })
  }
  return counts
}

// ---- the suite -----------------------------------------------------------------------------------

const cacheDir = resolve('bench/.cache/remote')
mkdirSync(cacheDir, { recursive: true })
const { cogs, generatedSeconds } = await ensureRemoteCogs(cacheDir, quick)
if (generatedSeconds > 0) progress(`wrote the COGs in ${generatedSeconds.toFixed(0)} s (cached for the next runs)`)
const dataStarts = new Map<string, number>()
for (const cog of cogs) dataStarts.set(cog.name, await firstTileOffset(cog.path))

const nginx = await startNginx(cacheDir, { locations: [corsLocation('/cog/')] })
const proxy = await startFaultProxy(nginx.port)
proxy.always = { latencyMs: LATENCY_MS }
const pages = await startPageServer(resolve('bench/.cache'))
const walks = new Map<Mode, Map<string, { tessera: WalkRun; ol: WalkRun }>>()
const counts = new Map<string, ViewCount[]>()
const notes: string[] = []
const loads: number[] = [loadavg()[0]!]
let viewSize = { width: 0, height: 0 }
try {
  for (const mode of MODES) {
    const browser = await CdpBrowser.launch(CHROMIUM, [...CHROMIUM_ARGS, ...MODE_ARGS[mode]])
    try {
      if (viewSize.width === 0) {
        progress('starting a serve host to measure the viewer element (builds first if the sources changed)')
        viewSize = await tesseraViewSize(browser)
        progress(`viewer element ${viewSize.width}×${viewSize.height}`)
      }
      const ctx: Ctx = { browser, nginx, proxy, pageOrigin: pages.origin, view: viewSize }
      const byCog = new Map<string, { tessera: WalkRun; ol: WalkRun }>()
      walks.set(mode, byCog)
      for (const [index, cog] of cogs.entries()) {
        const walk = panZoomWalk({ left: 0, top: 0, width: cog.side, height: cog.side, viewWidth: viewSize.width, viewHeight: viewSize.height, maxZoom: 1 }, quick)
        const dataStart = dataStarts.get(cog.name)!
        // The order alternates from COG to COG: neither contender always runs on the cooler machine.
        const runs: Partial<{ tessera: WalkRun; ol: WalkRun }> = {}
        for (const who of index % 2 === 0 ? (['tessera', 'ol'] as const) : (['ol', 'tessera'] as const)) {
          progress(`[${MODE_LABEL[mode]}] ${cog.label}: ${who === 'tessera' ? 'Tessera' : 'OpenLayers'} open and walk`)
          const r = who === 'tessera' ? await tesseraWalk(ctx, cog, walk, dataStart) : await olWalk(ctx, cog, walk, dataStart)
          loads.push(loadavg()[0]!)
          progress(`  first pixels ${round(r.open.firstPixelsMs ?? NaN)} ms, sharp ${round(r.open.sharpMs ?? NaN)} ms; walk ${Math.round(r.walkMs)} ms${r.censored ? ` (${r.censored} not sharp in time)` : ''} [${r.settles.map((s) => s.ms ?? 'cap').join(', ')}]; ${r.requests} requests, ${(r.bytes / 1e6).toFixed(2)} MB${r.bytesAfterAbort !== null ? `; bytes after withdrawal ${r.bytesAfterAbort}` : ''}`)
          for (const problem of new Set(r.problems)) notes.push(`[${MODE_LABEL[mode]}] ${cog.label}, ${who === 'tessera' ? 'Tessera' : 'OpenLayers'}: ${problem}`)
          runs[who] = r
        }
        byCog.set(cog.name, runs as { tessera: WalkRun; ol: WalkRun })
        if (mode === MODES[0]) {
          progress(`${cog.label}: requests and bytes per view, Tessera then GDAL`)
          const c = await viewCounts(ctx, cog, walk, dataStart)
          counts.set(cog.name, c)
          for (const v of c) progress(`  ${v.label} (level ${v.window.level}, ${v.window.tiles} tiles): Tessera ${v.tessera.requests} req ${(v.tessera.bytes / 1e3).toFixed(0)} kB; GDAL ${v.gdal.requests} req (${v.gdal.structureRequests} structure) ${(v.gdal.bytes / 1e3).toFixed(0)} kB`)
        }
      }
    } finally {
      await browser.close()
    }
  }
} finally {
  await pages.close()
  await proxy.close()
  await nginx.stop()
}

// ---- rows ----------------------------------------------------------------------------------------

const rows: ResultRow[] = []
const row = (figure: string, value: number, unit: string, baseline: number | null, goal: string, met: boolean | null): void => {
  rows.push({ figure, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: ratioOf(value, baseline), goal, met })
}
let afterAbortTotal: number | null = 0
for (const mode of MODES) {
  const m = `[${MODE_LABEL[mode]}]`
  const judged = (text: string, met: boolean): [string, boolean | null] => (mode === 'gpu' ? [text, met] : [`${text} (judged in GPU mode)`, null])
  for (const cog of cogs) {
    const r = walks.get(mode)?.get(cog.name)
    if (!r) continue
    const { tessera: t, ol } = r
    const ms = (v: number | null): number => v ?? OPEN_TIMEOUT_MS
    row(`${m} ${cog.label}: time to first pixels after the open vs OpenLayers`, ms(t.open.firstPixelsMs), 'ms', ms(ol.open.firstPixelsMs), 'reported', null)
    row(`${m} ${cog.label}: time to sharp after the open (fitted view) vs OpenLayers`, ms(t.open.sharpMs), 'ms', ms(ol.open.sharpMs), 'reported', null)
    row(`${m} ${cog.label}: pan-and-zoom walk time-to-sharp (sum of ${t.settles.length} waits) vs OpenLayers`, t.walkMs, 'ms', ol.walkMs, ...judged('≤ 0.8×', t.walkMs <= 0.8 * ol.walkMs))
    row(`${m} ${cog.label}: HTTP requests of open + walk vs OpenLayers`, t.requests, 'requests', ol.requests, 'reported', null)
    row(`${m} ${cog.label}: bytes of open + walk vs OpenLayers`, t.bytes / 1e6, 'MB', ol.bytes / 1e6, 'reported', null)
    if (t.bytesAfterAbort === null) afterAbortTotal = null
    else if (afterAbortTotal !== null) afterAbortTotal += t.bytesAfterAbort
  }
}
for (const cog of cogs) {
  const c = counts.get(cog.name)
  if (!c) continue
  const sum = (pick: (v: ViewCount) => number): number => c.reduce((s, v) => s + pick(v), 0)
  const gdalSessionRequests = c[0]!.gdal.requests + sum((v) => v.gdal.requests - v.gdal.structureRequests) - (c[0]!.gdal.requests - c[0]!.gdal.structureRequests)
  const gdalSessionBytes = c[0]!.gdal.bytes + sum((v) => v.gdal.bytes - v.gdal.structureBytes) - (c[0]!.gdal.bytes - c[0]!.gdal.structureBytes)
  const tRequests = sum((v) => v.tessera.requests)
  const tBytes = sum((v) => v.tessera.bytes)
  const n = c.length
  row(`${cog.label}: HTTP requests per view (${n} views, open included) vs GDAL in one session`, tRequests / n, 'requests', gdalSessionRequests / n, '≤ 1×', tRequests <= gdalSessionRequests)
  row(`${cog.label}: bytes per view vs GDAL in one session`, tBytes / n / 1e3, 'kB', gdalSessionBytes / n / 1e3, '≤ 1.2×', tBytes <= 1.2 * gdalSessionBytes)
  row(`${cog.label}: tile reads (ranges past the structure) per view vs GDAL`, sum((v) => v.tessera.requests - v.tessera.structureRequests) / n, 'requests', sum((v) => v.gdal.requests - v.gdal.structureRequests) / n, 'reported', null)
  row(`${cog.label}: HTTP requests per view vs GDAL, a fresh gdal_translate per view`, tRequests / n, 'requests', sum((v) => v.gdal.requests) / n, 'reported', null)
  row(`${cog.label}: bytes per view vs GDAL, a fresh gdal_translate per view`, tBytes / n / 1e3, 'kB', sum((v) => v.gdal.bytes) / n / 1e3, 'reported', null)
}
if (afterAbortTotal === null) {
  notes.push('Bytes fetched for tiles already withdrawn: not measured — the host did not report its remote counters (ServiceStats.remote) in this run.')
} else {
  row(`bytes fetched for tiles already withdrawn, over the ${MODES.length * cogs.length} Tessera walks`, afterAbortTotal, 'bytes', null, '= 0', afterAbortTotal === 0)
}

notes.unshift(
  `One run on a shared ${process.env.CI ? 'CI' : '2-core'} machine (load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}); nginx ${nginx.origin} behind a proxy adding ${LATENCY_MS} ms before every request; viewer element ${viewSize.width}×${viewSize.height} for both. Figures move by tens of per cent between runs: read the ratios.`,
  'Browser modes: "GPU (emulated)" adds --use-angle=swiftshader --use-gl=angle --ignore-gpu-blocklist (goals judged there); "software" is Chromium\'s plain software compositing, reported.',
  'Tessera: a fresh `npm run serve` host per run (empty block cache), the URL opened by Ctrl+L, Open URL…, Enter; timed from the Enter to the first frame showing a tile, and to sharp. OpenLayers: ol/source/GeoTIFF (geotiff.js, 64 KiB blocks, its worker decoders) and ol/layer/WebGLTile, its page on another origin (CORS), timed from the source\'s creation to its layer\'s first frame after a tile loaded, and to its rendercomplete. Both in a fresh browser context (empty HTTP cache).',
  `Walk (bench/remote/walk.ts, the same steps for both, run by bench/view/driver.js): glides of 0.6–0.8 s and jumps from the fitted view (zoom in 6× fit, pan 2 screens, zoom to 1:1, fling 3 screens, jump at 1:2, zoom out to 2× fit, jump to 1:1); time-to-sharp is the sum of the ${7} waits for sharp, a wait not sharp within ${settleCapMs(quick) / 1000} s counting as that cap.`,
  `Requests and bytes: counted from nginx's access log (JSON, with the Range asked). Tessera: open (the fitted view), then a jump to each of the walk's views, each waited until sharp and idle. GDAL ${'3.6'}: per view, a fresh \`gdal_translate -oo OVERVIEW_LEVEL=<level − 1> -srcwin …\` (the window in the overview's pixels) of the tiles of the level Tessera draws it from, via /vsicurl/ with ${Object.entries(GDAL_REMOTE_ENV).map(([k, v]) => `${k}=${v}`).join(', ')}. "GDAL in one session" counts its first view whole (it reads the file's structure) and only the tile reads of the others (ranges starting past the first tile's offset); the fresh-process totals are reported beside it.`,
  'Bytes fetched for tiles already withdrawn: Tessera\'s host counter bytesAfterAbort (src/main/remote: body bytes received for a request all of whose readers had aborted), summed over its walks in both modes.'
)

printTable(rows)
for (const note of notes) console.log(`\nNote: ${note}`)
if (MODES.length < ALL_MODES.length) {
  console.log('exploration run (--modes): nothing written')
} else {
  const details = { walks: Object.fromEntries([...walks].map(([mode, byCog]) => [mode, Object.fromEntries(byCog)])), views: Object.fromEntries(counts), dataStarts: Object.fromEntries(dataStarts) }
  console.log(`\nWrote ${writeSuiteResult('remote', rows, { quick, notes, details })}`)
}
