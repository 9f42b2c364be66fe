/**
 * Benchmark suite `drop` (issue 14): how soon a dropped photo shows, and is sharp.
 *
 * Measures, in Debian Chromium (headless, 1280×800, GPU compositing emulated as in the `view`
 * suite's first mode) on the `npm run serve` host: files dropped on the page exactly as a person
 * drops them (a DataTransfer of File objects: dragenter, dragover, drop on the viewer), timed in
 * the page from the drop event:
 * - one real-size 4096² photo-like JPEG (bench/drop/images.ts: smooth gradients, edges, noise;
 *   quality 90, 4:2:0, as a camera writes);
 * - five mixed images at once: a 4000×3000 JPEG, a 2400×1600 PNG, a 3000×2000 WebP, a 2000×1500
 *   LZW TIFF and a 3264×2448 JPEG;
 * - reported: the 4096² photo with the 160 px EXIF thumbnail a camera stores, which the page shows
 *   before its preview.
 * First pixels: the first frame showing pixels of a dropped file — its preview, decoded by the page
 * from the File while the host opens it, or a tile; the first tile is reported too. Sharp: every layer
 * open and the view sharp (every visible tile at its level drawn, nothing pending), and still so
 * 300 ms later (a pyramid that becomes ready asks its tiles again).
 * Baseline, in the same run and the same browser: Chromium's own `<img>` paint of the same files
 * (an object URL of the same File objects; load, then two animation frames): goal first pixels
 * ≤ 2× that; goals sharp ≤ 0.5 s for one file and ≤ 1.5 s for five.
 * Value raster vs picture (issue 23): a 5000 × 4000 relief written by GDAL as a Float32 DEM and as its
 * 8-bit twin in the same layout (GDAL's default strips, LZW, PREDICTOR=2; bench/drop/dems.ts), each
 * dropped alone, alternately: open to first pixels (from the file's upload done, when the host
 * opens it, to its first tile drawn: a TIFF has no preview) of the DEM over the twin's, goal ≤ 1.5×;
 * and from the drop (the upload of a file ten times larger included), reported.
 * Each case runs 5 times (3 with --quick) on a fresh page, alternating with the baseline; figures
 * are medians.
 * Run: node --import tsx bench/drop.ts [--quick]. Writes bench/results/drop.json.
 */
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { isQuick, printTable, ratioOf, round, writeSuiteResult, type ResultRow } from './report'
import { startServeProcess } from '../test/helpers/serveProcess'
import { ensurePhotoAs, ensurePhotoJpeg, ensureWithExifThumbnail } from './drop/images'
import { ensureDemTwins } from './drop/dems'
import { CHROMIUM, CHROMIUM_ARGS, MODE_ARGS, WINDOW } from './browser'

const quick = isQuick()
const RUNS = quick ? 3 : 5
const SHARP_STABLE_MS = 300
const CAP_MS = 20_000
const suiteStart = performance.now()
const progress = (what: string): void => {
  process.stderr.write(`[drop ${((performance.now() - suiteStart) / 1000).toFixed(1)} s] ${what}\n`)
}

interface DropTimes {
  /** The first frame showing pixels of a dropped file: its preview (decoded by the page) or a tile. */
  firstPixelsMs: number | null
  /** The first frame with a tile of a dropped file drawn (reported). */
  firstTileMs: number | null
  sharpMs: number | null
  /** When the last of the files reached each step of its opening (the app's timeline), ms after the drop. */
  steps: Record<string, number>
}
interface ImgTimes {
  firstPaintMs: number
  allPaintedMs: number
  /** Files Chromium cannot show in an <img> (TIFF): left out of the baseline. */
  unpaintable: number
}

/** The page globals used inside `page.evaluate` (benches type-check without the DOM library). */
interface PageGlobals {
  document: {
    body: { dataset: Record<string, string | undefined>; append(node: unknown): void }
    createElement(tag: string): { type: string; multiple: boolean; id: string; style: Record<string, string>; files?: ArrayLike<unknown> }
    getElementById(id: string): { files?: ArrayLike<unknown>; remove(): void } | null
    querySelector(selector: string): { dispatchEvent(event: unknown): boolean } | null
  }
  DataTransfer: new () => { items: { add(file: unknown): void } }
  DragEvent: new (type: string, init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean }) => unknown
  Image: new () => { src: string; onload: (() => void) | null; onerror: (() => void) | null; style: Record<string, string> }
  URL: { createObjectURL(file: unknown): string }
  requestAnimationFrame(callback: () => void): void
  __tesseraDiagnostics?: { stats(): { displayed: number; previewsShown: number; sharp: boolean; pending: number }; layers(): string[]; timeline(): Array<{ t: number; step: string }> }
}

/** Puts `paths` as File objects in a hidden file input of the page; returns the input's id. */
async function stageFiles(page: Page, paths: string[]): Promise<string> {
  // tsx names the functions it compiles with a `__name` helper that the page lacks.
  await page.evaluate('globalThis.__name = (f) => f')
  const id = `bench-drop-${Date.now()}`
  await page.evaluate((inputId) => {
    const g = globalThis as unknown as PageGlobals
    const input = g.document.createElement('input')
    input.type = 'file'
    input.multiple = true
    input.id = inputId
    input.style.display = 'none'
    g.document.body.append(input)
  }, id)
  await page.setInputFiles(`#${id}`, paths)
  return id
}

/** Drops the staged files on Tessera's viewer and times, in the page, first pixels and sharp. */
async function dropOnTessera(browser: Browser, url: string, paths: string[]): Promise<DropTimes> {
  const context = await browser.newContext({ viewport: WINDOW })
  try {
    const page = await context.newPage()
    await page.goto(`${url}&diagnostics`)
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.body.dataset.ready === 'true', undefined, { timeout: 60_000 })
    const id = await stageFiles(page, paths)
    return await page.evaluate(
      ([inputId, count, stableMs, capMs]) =>
        new Promise<DropTimes>((done) => {
          const g = globalThis as unknown as PageGlobals
          const input = g.document.getElementById(inputId)!
          const transfer = new g.DataTransfer()
          for (const file of Array.from(input.files ?? [])) transfer.items.add(file)
          input.remove()
          const viewer = g.document.querySelector('[data-testid="viewer"]')!
          const d = g.__tesseraDiagnostics!
          const before = d.stats()
          const t0 = performance.now()
          for (const type of ['dragenter', 'dragover', 'drop']) viewer.dispatchEvent(new g.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }))
          let firstPixelsMs: number | null = null
          let firstTileMs: number | null = null
          const steps = (): Record<string, number> => {
            const last: Record<string, number> = {}
            for (const e of d.timeline()) if (e.t >= t0) last[e.step] = Math.max(last[e.step] ?? 0, Math.round(e.t - t0))
            return last
          }
          let sharpSince: number | null = null
          const frame = (): void => {
            const now = performance.now()
            const s = d.stats()
            if (firstTileMs === null && s.displayed > before.displayed) firstTileMs = now - t0
            if (firstPixelsMs === null && (s.displayed > before.displayed || s.previewsShown > before.previewsShown)) firstPixelsMs = now - t0
            const sharp = d.layers().length === count && s.sharp && s.pending === 0
            if (!sharp) sharpSince = null
            else if (sharpSince === null) sharpSince = now
            if (sharpSince !== null && now - sharpSince >= stableMs) return done({ firstPixelsMs, firstTileMs, sharpMs: sharpSince - t0, steps: steps() })
            if (now - t0 > capMs) return done({ firstPixelsMs, firstTileMs, sharpMs: null, steps: steps() })
            g.requestAnimationFrame(frame)
          }
          g.requestAnimationFrame(frame)
        }),
      [id, paths.length, SHARP_STABLE_MS, CAP_MS] as const
    )
  } finally {
    await context.close()
  }
}

/** Chromium's own paint of the same files in `<img>` elements: first and last painted, from the same File objects. */
async function paintInImg(browser: Browser, origin: string, paths: string[]): Promise<ImgTimes> {
  const context = await browser.newContext({ viewport: WINDOW })
  try {
    const page = await context.newPage()
    // The host's page gives a same-origin document to stage files in; it is emptied first.
    await page.goto(origin)
    await page.evaluate(() => {
      const g = globalThis as unknown as { document: { body: { innerHTML: string } } }
      g.document.body.innerHTML = ''
    })
    const id = await stageFiles(page, paths)
    return await page.evaluate(
      (inputId) =>
        new Promise<ImgTimes>((done, fail) => {
          const g = globalThis as unknown as PageGlobals
          const files = Array.from(g.document.getElementById(inputId)!.files ?? [])
          const t0 = performance.now()
          const painted: number[] = []
          let unpaintable = 0
          const settled = (): void => {
            if (painted.length + unpaintable < files.length) return
            if (painted.length === 0) fail(new Error('no file could be shown in an <img>'))
            else done({ firstPaintMs: Math.min(...painted), allPaintedMs: Math.max(...painted), unpaintable })
          }
          for (const file of files) {
            const img = new g.Image()
            img.style.maxWidth = '1280px'
            img.style.maxHeight = '800px'
            img.onerror = () => {
              unpaintable++
              settled()
            }
            img.onload = () =>
              // Loaded and decoded for this frame: painted once the next frame has been produced.
              g.requestAnimationFrame(() =>
                g.requestAnimationFrame(() => {
                  painted.push(performance.now() - t0)
                  settled()
                })
              )
            img.src = g.URL.createObjectURL(file)
            g.document.body.append(img)
          }
        }),
      id
    )
  } finally {
    await context.close()
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

// ---- the suite ----------------------------------------------------------------------------------

const cache = resolve('bench/.cache')
progress('making the images (cached in bench/.cache)')
const one = [await ensurePhotoJpeg(cache, 4096, 4096)]
const camera = [await ensureWithExifThumbnail(one[0]!)]
const five = [
  await ensurePhotoAs(cache, 'jpeg', 4000, 3000, 21),
  await ensurePhotoAs(cache, 'png', 2400, 1600, 22),
  await ensurePhotoAs(cache, 'webp', 3000, 2000, 23),
  await ensurePhotoAs(cache, 'tiff', 2000, 1500, 24),
  await ensurePhotoAs(cache, 'jpeg', 3264, 2448, 25)
]
const twins = await ensureDemTwins(cache, 5000, 4000)
/** The value raster's goal: its open to first pixels at most this many times its 8-bit twin's. */
const TWIN_GOAL = 1.5
progress('starting the serve host (builds first if the sources changed)')
const serve = await startServeProcess(process.cwd(), [], 240_000)
const origin = new URL(serve.url).origin
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...MODE_ARGS.gpu], headless: true })
const loads = [loadavg()[0]!]
const cases = [
  { name: 'one 4096² JPEG (16.8 Mpx)', paths: one, sharpGoalMs: 500 },
  { name: 'five mixed images (JPEG, PNG, WebP, TIFF, JPEG; 48 Mpx in all)', paths: five, sharpGoalMs: 1500 },
  // The same photo with the EXIF thumbnail a camera stores: reported (the goals are the plain file's).
  { name: 'the same 4096² JPEG with an EXIF thumbnail (160², as a camera writes it)', paths: camera, sharpGoalMs: null }
]
const measured: Array<{ name: string; sharpGoalMs: number | null; tessera: DropTimes[]; img: ImgTimes[] }> = []
const twinTimes: Record<'float32' | 'byte', DropTimes[]> = { float32: [], byte: [] }
/** From the file's upload done (the host opens it) to its first tile drawn; the cap when it never drew. */
const openToFirstTile = (t: DropTimes): number => (t.firstTileMs === null || t.steps.sent === undefined ? CAP_MS : t.firstTileMs - t.steps.sent)
try {
  for (const c of cases) {
    const entry = { name: c.name, sharpGoalMs: c.sharpGoalMs, tessera: [] as DropTimes[], img: [] as ImgTimes[] }
    for (let run = 0; run < RUNS; run++) {
      // Alternate which goes first, so that neither always meets a busier machine.
      const img = async (): Promise<void> => void entry.img.push(await paintInImg(browser, origin, c.paths))
      const tessera = async (): Promise<void> => void entry.tessera.push(await dropOnTessera(browser, serve.url, c.paths))
      if (run % 2) {
        await img()
        await tessera()
      } else {
        await tessera()
        await img()
      }
      loads.push(loadavg()[0]!)
      const t = entry.tessera.at(-1)!
      const i = entry.img.at(-1)!
      progress(`${c.name}, run ${run + 1}: Tessera first pixels ${round(t.firstPixelsMs ?? NaN)} ms, first tile ${round(t.firstTileMs ?? NaN)} ms, sharp ${round(t.sharpMs ?? NaN)} ms (last file ${Object.entries(t.steps).map(([k, v]) => `${k} ${v}`).join(', ')}); <img> first paint ${round(i.firstPaintMs)} ms, all ${round(i.allPaintedMs)} ms`)
    }
    measured.push(entry)
  }
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 ? (['byte', 'float32'] as const) : (['float32', 'byte'] as const)
    for (const kind of order) twinTimes[kind].push(await dropOnTessera(browser, serve.url, [twins[kind]]))
    loads.push(loadavg()[0]!)
    const times = (t: DropTimes): string => `open to first tile ${round(openToFirstTile(t))} ms, drop to first tile ${round(t.firstTileMs ?? NaN)} ms`
    progress(`DEM twins, run ${run + 1}: Float32 ${times(twinTimes.float32.at(-1)!)}; 8-bit ${times(twinTimes.byte.at(-1)!)}`)
  }
} finally {
  await browser.close()
  await serve.stop()
}

const rows: ResultRow[] = []
const row = (figure: string, value: number, unit: string, baseline: number | null, goal: string, met: boolean | null): void => {
  rows.push({ figure, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: ratioOf(value, baseline), goal, met })
}
const notes: string[] = []
for (const m of measured) {
  const firsts = m.tessera.map((t) => t.firstPixelsMs ?? CAP_MS)
  const sharps = m.tessera.map((t) => t.sharpMs ?? CAP_MS)
  const censored = m.tessera.filter((t) => t.sharpMs === null).length
  if (censored) notes.push(`${m.name}: ${censored} of ${m.tessera.length} runs not sharp within ${CAP_MS / 1000} s (counted as ${CAP_MS / 1000} s).`)
  const imgFirst = median(m.img.map((i) => i.firstPaintMs))
  const imgAll = median(m.img.map((i) => i.allPaintedMs))
  const first = median(firsts)
  const sharp = median(sharps)
  const goals = m.sharpGoalMs !== null
  row(`${m.name}: first pixels (${goals ? 'preview' : 'thumbnail, preview'} or tile) vs Chromium's <img> first paint`, first, 'ms', imgFirst, goals ? '≤ 2×' : 'reported', goals ? first <= 2 * imgFirst : null)
  row(`${m.name}: first tile drawn`, median(m.tessera.map((t) => t.firstTileMs ?? CAP_MS)), 'ms', imgFirst, 'reported', null)
  const left = m.img[0]?.unpaintable ?? 0
  const sharpFigure = `${m.name}: sharp vs Chromium's <img> paint of every file${left ? ` it can show (${left} TIFF left out)` : ''}`
  if (m.sharpGoalMs === null) row(sharpFigure, sharp, 'ms', imgAll, 'reported', null)
  else row(sharpFigure, sharp, 'ms', imgAll, `≤ ${m.sharpGoalMs} ms`, sharp <= m.sharpGoalMs)
}
{
  const dem = median(twinTimes.float32.map(openToFirstTile))
  const picture = median(twinTimes.byte.map(openToFirstTile))
  row('Float32 DEM 5000×4000 (striped LZW + PREDICTOR=2, 47.6 MB): open to first pixels vs its 8-bit twin (same layout, 4.6 MB)', dem, 'ms', picture, `≤ ${TWIN_GOAL}×`, dem <= TWIN_GOAL * picture)
  const fromDrop = median(twinTimes.float32.map((t) => t.firstTileMs ?? CAP_MS))
  row('Float32 DEM 5000×4000: drop to first pixels (its upload included) vs its 8-bit twin', fromDrop, 'ms', median(twinTimes.byte.map((t) => t.firstTileMs ?? CAP_MS)), 'reported', null)
  row('Float32 DEM 5000×4000: drop to sharp (the exact overview in place of the quick one) vs its 8-bit twin', median(twinTimes.float32.map((t) => t.sharpMs ?? CAP_MS)), 'ms', median(twinTimes.byte.map((t) => t.sharpMs ?? CAP_MS)), 'reported', null)
}
notes.unshift(
  `Medians of ${RUNS} runs a case, each on a fresh page, alternating with the <img> baseline, in one run on a shared ${process.env.CI ? 'CI' : '2-core'} machine (load average over the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}). Chromium with GPU compositing emulated (--use-angle=swiftshader --use-gl=angle --ignore-gpu-blocklist).`,
  'Tessera is timed from the drop event in the page: upload over the WebSocket, probe, decode (in memory up to 25 Mpx, else an overview and a background pyramid), tiles streamed and drawn. First pixels: the first frame showing pixels of a dropped file, its preview (decoded by the page from the File, at most 2048 px a side) or a tile; first tile: the first frame with a tile drawn; sharp: every layer open, the view sharp and nothing pending, still so 300 ms later. <img>: object URLs of the same File objects, load then two animation frames.'
)

printTable(rows)
for (const note of notes) console.log(`\nNote: ${note}`)
console.log(`\nWrote ${writeSuiteResult('drop', rows, { quick, notes, details: { measured, twins: twinTimes } })}`)
