/**
 * Benchmark suite `view` (issues 6 and 14): how fast the view becomes sharp, and how little work is wasted.
 *
 * Measures, in Debian Chromium (headless, 1280×800 window) on the `npm run serve` host, one run,
 * on a generated 16384² image (cached in bench/.cache) read in place from its Cloud-Optimised
 * GeoTIFF (GDAL, 256² JPEG tiles), a fixed seeded camera script (bench/view/script.ts): zoom jumps
 * (fit, then five regions at 1:1), a fling pan across the image at 1:1, a fast wheel zoom fit →
 * 16× fit and back, a random walk (60 s; 6 s with --quick). Each scenario starts from a fresh page
 * (fresh service, empty caches) at fit ("open"). For each: time-to-sharp (from the last camera move
 * until every visible tile at the target level is displayed), tiles decoded, displayed, wasted
 * (decoded, never displayed) and their share, tiles withdrawn before they were sent (dropped from
 * the host's send queue), frames, the longest main-thread task during motion and overall, texture
 * bytes and JS heap (after a GC) at the end.
 * Every scenario runs in two browser modes, both printed: GPU compositing emulated
 * (`--use-angle=swiftshader --use-gl=angle --ignore-gpu-blocklist`: what a desktop with a GPU
 * does; the goals are evaluated here) and plain software compositing (reported).
 * Baselines, in the same run and the same Chromium, driven by the same in-page script:
 * - Tessera with prioritisation, cancellation and the send queue's withdrawals switched off
 *   (`?scheduling=fifo`, a flag of the app): goal time-to-sharp ≤ 0.8× in fling, wheel and walk
 *   (open and jumps reported); waste ≤ 10 % of tiles decoded;
 * - OpenSeadragon 6 (npm `openseadragon`) on the DZI twin (same pixels, 256² JPEG tiles, same
 *   quality), measured with its own events, with its fastest settings here (canvas drawer, 8 new
 *   tiles per frame; see osd.html): goal time-to-sharp ≤ 0.8× in every scenario and at open;
 * - OpenLayers (npm `ol`) with `ol/source/GeoTIFF` and a WebGL tile layer on the same COG, read by
 *   HTTP range requests from the same local server (bench/view/olPeer.js), sharp at its
 *   `rendercomplete`: goal time-to-sharp ≤ 0.8× in every scenario and at open;
 * - longest main-thread task during motion < 50 ms.
 * The machine is shared and noisy: each scenario runs the contenders once, in an order that
 * rotates from scenario to scenario, and time-to-sharp is a median over the scenario's settle
 * points (the wheel zoom: the sum of its two waits).
 * Run: node --import tsx bench/view.ts [--quick]. Writes bench/results/view.json.
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { isQuick, printTable, ratioOf, round, writeSuiteResult, type Chart, type ResultRow } from './report'
import { startServeProcess, type ServeProcess } from '../test/helpers/serveProcess'
import { ensureViewImages } from './view/images'
import { CHROMIUM, CHROMIUM_ARGS, MODE_ARGS, type Mode, WINDOW } from './browser'
import { startPeerServer } from './view/peerServer'
import { openSteps, scenarios as makeScenarios, settleCapMs, type Scenario, type Step } from './view/script'

const quick = isQuick()
/** The two browser modes: GPU compositing emulated by SwiftShader through ANGLE (goals), and plain software compositing. */
const ALL_MODES: Mode[] = ['gpu', 'software']
/** `--modes=gpu` / `--contenders=tessera,fifo`: an exploration run (progress lines only, no table, nothing written). */
const listArg = (name: string): string[] | null => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  return arg ? arg.slice(name.length + 3).split(',').filter(Boolean) : null
}
const MODES: Mode[] = ALL_MODES.filter((m) => listArg('modes')?.includes(m) ?? true)
const MODE_LABEL: Record<Mode, string> = { gpu: 'GPU (emulated)', software: 'software' }
const DRIVER = readFileSync(resolve('bench/view/driver.js'), 'utf8')
const TESSERA_ADAPTER = readFileSync(resolve('bench/view/tessera-adapter.js'), 'utf8')
const suiteStart = performance.now()
const progress = (what: string): void => {
  process.stderr.write(`[view ${((performance.now() - suiteStart) / 1000).toFixed(1)} s] ${what}\n`)
}

type ContenderName = 'tessera' | 'fifo' | 'osd' | 'ol'
const CONTENDERS: ContenderName[] = (['tessera', 'fifo', 'osd', 'ol'] as const).filter((c) => listArg('contenders')?.includes(c) ?? true)
const exploring = MODES.length < ALL_MODES.length || CONTENDERS.length < 4
const LABEL: Record<ContenderName, string> = { tessera: 'Tessera', fifo: 'Tessera FIFO', osd: 'OpenSeadragon 6', ol: 'OpenLayers' }

interface Settle {
  label: string
  ms: number | null
  capMs: number
  counted: boolean
}
interface DriverResult {
  settles: Settle[]
  decoded: number
  /** Null when the viewer cannot say (OpenLayers). */
  displayed: number | null
  /** Tiles withdrawn before they were sent (Tessera's send queue); 0 for the peers. */
  withdrawn: number
  drainedMs: number
  stillBusy: boolean
  frames: number
  longestFrameGapMs: number
  longestTaskMs: number
  longestTaskInMotionMs: number
  longTasks: number
  textureBytes: number
  samples: Array<{ t: number; textureBytes: number; heap: number }>
}
interface RunResult extends DriverResult {
  openMs: number | null
  timeToSharpMs: number
  censored: number
  wasted: number | null
  wasteShare: number | null
  heapBytes: number
  problems: string[]
}

// ---- hosts --------------------------------------------------------------------------------------

/** `node scripts/serve.mjs --port 0 <tiff>` (it builds first when the sources changed). */
function startServe(tiff: string): Promise<ServeProcess> {
  return startServeProcess(process.cwd(), [tiff], 240_000)
}

// ---- one run ------------------------------------------------------------------------------------

interface Hosts {
  browser: Browser
  tesseraUrl: string
  peerOrigin: string
  viewSize: { width: number; height: number }
  imageSide: number
}

/** The page globals used inside `page.evaluate` (benches type-check without the DOM library). */
interface PageGlobals {
  document: { body: { dataset: Record<string, string | undefined> } }
  __tesseraDiagnostics?: { layers(): string[]; view(): { width: number; height: number } }
  __benchDriver: { run(steps: unknown, options: unknown): Promise<DriverResult> }
}

/** Opens a fresh page (own browser context: no shared HTTP cache) of a contender, ready to drive. */
async function openContender(hosts: Hosts, who: ContenderName): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
  const context = await hosts.browser.newContext({ viewport: WINDOW })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  if (who === 'osd' || who === 'ol') {
    await page.goto(`${hosts.peerOrigin}/${who}.html?w=${hosts.viewSize.width}&h=${hosts.viewSize.height}`)
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.body.dataset.ready === 'true', undefined, { timeout: 60_000 })
  } else {
    await page.goto(`${hosts.tesseraUrl}&diagnostics${who === 'fifo' ? '&scheduling=fifo' : ''}`)
    await page.waitForFunction(() => {
      const g = globalThis as unknown as PageGlobals
      return g.document.body.dataset.ready === 'true' && (g.__tesseraDiagnostics?.layers().length ?? 0) === 1
    }, undefined, { timeout: 60_000 })
    await page.evaluate(TESSERA_ADAPTER) // evaluated, not a <script>: the app's CSP forbids inline scripts
  }
  await page.evaluate(DRIVER)
  return { page, problems, close: () => context.close() }
}

async function drive(page: Page, steps: Step[]): Promise<DriverResult> {
  return page.evaluate(
    ([s, options]) => (globalThis as unknown as PageGlobals).__benchDriver.run(s, options),
    [steps, { drainCapMs: quick ? 1_000 : 5_000, sampleMs: 500 }] as const
  )
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Runs one scenario for one contender: on a fresh page, or on `reuse` (--quick), after a move to fit. */
async function runOne(hosts: Hosts, who: ContenderName, scenario: Scenario, reuse?: Awaited<ReturnType<typeof openContender>>): Promise<RunResult> {
  const opened = reuse ?? (await openContender(hosts, who))
  const { page, problems } = opened
  try {
    const open = await drive(page, openSteps({ imageWidth: hosts.imageSide, imageHeight: hosts.imageSide, viewWidth: hosts.viewSize.width, viewHeight: hosts.viewSize.height, quick }))
    const rendererStats = (): Promise<Record<string, number>> =>
      page.evaluate(() => (globalThis as unknown as { __tesseraDiagnostics: { stats(): Record<string, number> } }).__tesseraDiagnostics.stats())
    const before = exploring && (who === 'tessera' || who === 'fifo') ? await rendererStats() : null
    const result = await drive(page, scenario.steps)
    if (before) {
      // Exploration runs: where the renderer's tiles went (requested, withdrawn, arrived late, wasted).
      const after = await rendererStats()
      const delta = (k: string): number => (after[k] ?? 0) - (before[k] ?? 0)
      progress(`    ${scenario.name} renderer: requested ${delta('requested')}, cancelled ${delta('cancelled')}, displayed ${delta('displayed')}, wasted ${delta('wasted')} (late ${delta('late')}), latency ${after.latencyMs} ms`)
    }
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const { usedSize } = await cdp.send('Runtime.getHeapUsage')
    await cdp.detach()
    const counted = result.settles.filter((s) => s.counted)
    const times = counted.map((s) => s.ms ?? s.capMs)
    const wasted = result.displayed === null ? null : Math.max(0, result.decoded - result.displayed)
    return {
      ...result,
      openMs: open.settles[0]?.ms ?? null,
      timeToSharpMs: scenario.timeToSharp === 'sum' ? times.reduce((a, b) => a + b, 0) : median(times),
      censored: counted.filter((s) => s.ms === null).length,
      wasted,
      wasteShare: wasted === null ? null : result.decoded > 0 ? (100 * wasted) / result.decoded : 0,
      heapBytes: usedSize,
      problems: problems.splice(0)
    }
  } finally {
    if (!reuse) await opened.close()
  }
}

// ---- the suite ----------------------------------------------------------------------------------

const images = await ensureViewImages(resolve('bench/.cache'))
if (images.generatedSeconds > 0) progress(`generated the 16384² TIFF, its DZI and its COG in ${images.generatedSeconds.toFixed(1)} s (cached for the next runs)`)
progress('starting the serve host (builds first if the sources changed)')
const serve = await startServe(images.cog)
const peer = await startPeerServer(images.dzi, images.cog)
const results = new Map<Mode, Map<string, Record<ContenderName, RunResult>>>()
let scenarioList: Scenario[] = []
const notes: string[] = []
const loads: number[] = [loadavg()[0]!]
try {
  // The viewer element's size (the window minus Tessera's side panel and status bar): the peers get the same.
  const hosts: Hosts = { browser: null as unknown as Browser, tesseraUrl: serve.url, peerOrigin: peer.origin, viewSize: { width: 0, height: 0 }, imageSide: images.side }
  for (const mode of MODES) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...MODE_ARGS[mode]], headless: true })
    hosts.browser = browser
    const byScenario = new Map<string, Record<ContenderName, RunResult>>()
    results.set(mode, byScenario)
    try {
      if (hosts.viewSize.width === 0) {
        const probe = await openContender(hosts, 'tessera')
        const view = await probe.page.evaluate(() => (globalThis as unknown as PageGlobals).__tesseraDiagnostics!.view())
        hosts.viewSize = { width: Math.round(view.width), height: Math.round(view.height) }
        await probe.close()
        progress(`viewer element ${hosts.viewSize.width}×${hosts.viewSize.height} in a ${WINDOW.width}×${WINDOW.height} window`)
        scenarioList = makeScenarios({ imageWidth: images.side, imageHeight: images.side, viewWidth: hosts.viewSize.width, viewHeight: hosts.viewSize.height, quick })
      }
      const record = (scenario: Scenario, who: ContenderName, r: RunResult): void => {
        loads.push(loadavg()[0]!)
        progress(`  [${MODE_LABEL[mode]}] ${scenario.name}, ${LABEL[who]}: time-to-sharp ${r.timeToSharpMs} ms${r.censored ? ` (${r.censored} not sharp in time)` : ''}, decoded ${r.decoded}, displayed ${r.displayed ?? '?'}, withdrawn before sent ${r.withdrawn}, longest task in motion ${r.longestTaskInMotionMs} ms`)
        for (const problem of new Set(r.problems)) notes.push(`[${MODE_LABEL[mode]}] ${scenario.name}, ${LABEL[who]}: ${problem}`)
        if (r.stillBusy) notes.push(`[${MODE_LABEL[mode]}] ${scenario.name}, ${LABEL[who]}: still loading when the drain wait ended; later decodes are not counted.`)
        const byContender = byScenario.get(scenario.name) ?? ({} as Record<ContenderName, RunResult>)
        byContender[who] = r
        byScenario.set(scenario.name, byContender)
      }
      if (quick) {
        // --quick: one page per contender for all scenarios (each preceded by a move to fit), to stay short.
        for (const who of CONTENDERS) {
          progress(`[${MODE_LABEL[mode]}] ${LABEL[who]}: all scenarios on one page`)
          const page = await openContender(hosts, who)
          try {
            for (const scenario of scenarioList) record(scenario, who, await runOne(hosts, who, scenario, page))
          } finally {
            await page.close()
          }
        }
      } else {
        for (const [index, scenario] of scenarioList.entries()) {
          const order = CONTENDERS.map((_, i) => CONTENDERS[(i + index) % CONTENDERS.length]!)
          for (const who of order) {
            progress(`[${MODE_LABEL[mode]}] ${scenario.name}: ${LABEL[who]}`)
            record(scenario, who, await runOne(hosts, who, scenario))
          }
        }
      }
    } finally {
      await browser.close()
    }
  }
} finally {
  await peer.close()
  await serve.stop()
}

// ---- rows ---------------------------------------------------------------------------------------

if (exploring) {
  progress('exploration run (--modes / --contenders): nothing written')
  process.exit(0)
}

const rows: ResultRow[] = []
const row = (figure: string, value: number, unit: string, baseline: number | null, goal: string, met: boolean | null): void => {
  rows.push({ figure, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: ratioOf(value, baseline), goal, met })
}
const MB = 1024 * 1024
/** FIFO matters where withdrawing does: moves that leave tiles behind. */
const FIFO_GOAL_SCENARIOS = new Set(['fling', 'wheel', 'walk'])
for (const mode of MODES) {
  const byScenario = results.get(mode)
  if (!byScenario || byScenario.size === 0) continue
  const m = `[${MODE_LABEL[mode]}]`
  /** A goal is judged in GPU mode; in software mode the same figure is reported beside the goal. */
  const goal = (text: string, met: boolean): [string, boolean | null] => (mode === 'gpu' ? [text, met] : [`${text} (judged in GPU mode)`, null])
  const opens = (who: ContenderName): number[] => [...byScenario.values()].map((r) => r[who]?.openMs).filter((v): v is number => typeof v === 'number')
  const openMedian = (who: ContenderName): number | null => (opens(who).length > 0 ? median(opens(who)) : null)
  const tesseraOpen = openMedian('tessera')
  if (tesseraOpen !== null) {
    const where = quick ? 'median over the scenarios, caches warm after the first' : 'median over the fresh pages'
    row(`${m} open at fit: time-to-sharp vs FIFO (${where})`, tesseraOpen, 'ms', openMedian('fifo'), 'reported', null)
    for (const peerName of ['osd', 'ol'] as const) {
      const base = openMedian(peerName)
      row(`${m} open at fit: time-to-sharp vs ${LABEL[peerName]}`, tesseraOpen, 'ms', base, ...goal('≤ 0.8×', base !== null && tesseraOpen <= 0.8 * base))
    }
  }
  for (const scenario of scenarioList) {
    const r = byScenario.get(scenario.name)
    if (!r) continue
    const { tessera: t, fifo: f, osd: o, ol } = r
    const s = `${m} ${scenario.name}`
    if (FIFO_GOAL_SCENARIOS.has(scenario.name)) row(`${s}: time-to-sharp vs FIFO`, t.timeToSharpMs, 'ms', f.timeToSharpMs, ...goal('≤ 0.8×', t.timeToSharpMs <= 0.8 * f.timeToSharpMs))
    else row(`${s}: time-to-sharp vs FIFO`, t.timeToSharpMs, 'ms', f.timeToSharpMs, 'reported', null)
    row(`${s}: time-to-sharp vs OpenSeadragon 6`, t.timeToSharpMs, 'ms', o.timeToSharpMs, ...goal('≤ 0.8×', t.timeToSharpMs <= 0.8 * o.timeToSharpMs))
    row(`${s}: time-to-sharp vs OpenLayers`, t.timeToSharpMs, 'ms', ol.timeToSharpMs, ...goal('≤ 0.8×', t.timeToSharpMs <= 0.8 * ol.timeToSharpMs))
    row(`${s}: tiles wasted (decoded, never displayed), share of decoded vs FIFO`, t.wasteShare ?? 0, '%', f.wasteShare, ...goal('≤ 10 %', (t.wasteShare ?? 0) <= 10))
    row(`${s}: waste share vs OpenSeadragon 6`, t.wasteShare ?? 0, '%', o.wasteShare, 'reported', null)
    row(`${s}: tiles withdrawn before they were sent vs FIFO (decoded ${t.decoded} vs ${f.decoded})`, t.withdrawn, 'tiles', f.withdrawn, 'reported', null)
    row(`${s}: tiles decoded vs OpenSeadragon 6 (displayed ${t.displayed ?? '?'} vs ${o.displayed ?? '?'})`, t.decoded, 'tiles', o.decoded, 'reported', null)
    row(`${s}: tiles decoded vs OpenLayers`, t.decoded, 'tiles', ol.decoded, 'reported', null)
    row(`${s}: longest main-thread task during motion vs OpenSeadragon 6 (0 = none ≥ 50 ms)`, t.longestTaskInMotionMs, 'ms', o.longestTaskInMotionMs, ...goal('< 50 ms', t.longestTaskInMotionMs < 50))
    row(`${s}: longest main-thread task during motion vs OpenLayers`, t.longestTaskInMotionMs, 'ms', ol.longestTaskInMotionMs, 'reported', null)
    row(`${s}: longest main-thread task overall vs OpenSeadragon 6`, t.longestTaskMs, 'ms', o.longestTaskMs, 'reported', null)
    row(`${s}: frames vs OpenSeadragon 6`, t.frames, 'frames', o.frames, 'reported', null)
    row(`${s}: texture bytes at the end vs OpenSeadragon 6`, t.textureBytes / MB, 'MB', o.textureBytes / MB, 'reported', null)
    row(`${s}: JS heap at the end (after GC) vs OpenLayers`, t.heapBytes / MB, 'MB', ol.heapBytes / MB, 'reported', null)
  }
}

notes.unshift(
  `One run on a shared ${process.env.CI ? 'CI' : '2-core'} machine (load average over the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}): ${quick ? '--quick: in each browser mode, each contender ran every scenario on one page (caches warm from the previous scenario)' : 'in each browser mode, each scenario ran Tessera, Tessera FIFO, OpenSeadragon and OpenLayers once, in an order rotating per scenario, each on a fresh page'}; time-to-sharp is the median over the scenario's settle points (wheel: sum of its two waits). Figures move by tens of per cent between runs: compare within a run.`,
  'Browser modes: "GPU (emulated)" adds --use-angle=swiftshader --use-gl=angle --ignore-gpu-blocklist (GPU compositing, as on a desktop with a GPU; no read-back of every frame): goals are judged there; "software" is Chromium\'s plain software compositing, reported.',
  `Viewer element the same size for all; OpenSeadragon ${JSON.parse(readFileSync(resolve('node_modules/openseadragon/package.json'), 'utf8')).version as string} with its canvas drawer and up to 8 new tiles per frame, its fastest settings here (its default WebGL drawer took 6–11 s to show a 1:1 view under SwiftShader), animations off (the script moves the camera).`,
  `OpenLayers ${JSON.parse(readFileSync(resolve('node_modules/ol/package.json'), 'utf8')).version as string}: ol/source/GeoTIFF (geotiff.js, its decoder workers) and ol/layer/WebGLTile on the COG that Tessera reads, fetched by HTTP range requests (${peer.rangeRequests()} answered with 206 in this run), no tile transition; sharp = its rendercomplete after the last move. It says nothing per tile drawn: its displayed tiles, waste and texture bytes are not measured (— or 0).`,
  'Tessera FIFO (`?scheduling=fifo`) switches off the service\'s priorities and cancellation, the send queue\'s withdrawals and the renderer\'s flow control (every request sent at once, nothing withdrawn); the planner stays: what a frame asks for, so both ask for about the same tiles and differ by what is decoded and sent in vain.',
  'Tiles decoded: Tessera = tiles the service decoded (sent, or withdrawn from the send queue before they were sent; a decode cancelled while running is discarded and not counted); OpenSeadragon = tile-loaded events; OpenLayers = tileloadend events. Displayed: drawn at least once. Wasted = decoded − displayed, after the queue drained. "Withdrawn before they were sent": decoded tiles that a cancelObsolete dropped from the host\'s send queue (they waited while the page had more than 1 MiB of tiles unread: each tile is followed by a ping, the pong acknowledges it). They count as wasted too (decoded, never displayed). OpenSeadragon texture bytes are estimated as 4 bytes per pixel of each loaded tile.',
  'Longest main-thread task during motion: the longest Long Tasks API entry (only tasks ≥ 50 ms are reported, so 0 = none) that overlaps a glide, a run of wheel ticks or the frame after a jump.',
  `A settle point not sharp within its cap (${settleCapMs(quick) / 1000} s; 1.2 s during the random walk) counts as its cap.`
)

const gpuResults = results.get('gpu') ?? new Map<string, Record<ContenderName, RunResult>>()
const charts: Chart[] = MODES.map((mode) => ({
  kind: 'bars' as const,
  title: `Time-to-sharp per scenario, ${MODE_LABEL[mode]}`,
  unit: 'ms',
  groups: scenarioList.map((s) => s.name),
  series: CONTENDERS.map((who) => ({ name: LABEL[who], values: scenarioList.map((s) => results.get(mode)?.get(s.name)?.[who]?.timeToSharpMs ?? 0) }))
}))
charts.push({
  kind: 'bars',
  title: 'Tiles wasted (decoded, never displayed), share of decoded, GPU (emulated)',
  unit: '%',
  groups: scenarioList.map((s) => s.name),
  series: (['tessera', 'fifo', 'osd'] as const).map((who) => ({ name: LABEL[who], values: scenarioList.map((s) => round(gpuResults.get(s.name)?.[who]?.wasteShare ?? 0)) }))
})
const walk = gpuResults.get('walk')
if (walk) {
  for (const [title, pick] of [
    ['Texture bytes over the random walk, GPU (emulated)', (x: { textureBytes: number }) => x.textureBytes / MB],
    ['JS heap over the random walk (not after GC), GPU (emulated)', (x: { heap: number }) => x.heap / MB]
  ] as const) {
    charts.push({
      kind: 'lines',
      title,
      unit: 'MB',
      xUnit: 's',
      series: CONTENDERS.map((who) => ({ name: LABEL[who], points: walk[who].samples.map((p) => [p.t / 1000, round(pick(p as never))] as [number, number]) }))
    })
  }
}
const details = Object.fromEntries(
  MODES.map((mode) => [
    mode,
    Object.fromEntries(
      [...(results.get(mode) ?? [])].map(([name, byContender]) => [
        name,
        Object.fromEntries(CONTENDERS.map((who) => [who, { ...byContender[who], samples: name === 'walk' ? byContender[who]?.samples : undefined }]))
      ])
    )
  ])
)

printTable(rows)
for (const note of notes) console.log(`\nNote: ${note}`)
console.log(`\nWrote ${writeSuiteResult('view', rows, { quick, notes, charts, details })}`)
