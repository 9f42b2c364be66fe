// Experiment harness (not committed): one scenario, Tessera only, prints renderer counters.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { startServeProcess } from '../test/helpers/serveProcess'
import { ensureViewImages } from './view/images'
import { openSteps, scenarios } from './view/script'
const which = process.argv[2] ?? 'fling'
const mode = process.argv[3] ?? ''
const images = await ensureViewImages(resolve('bench/.cache'))
const serve = await startServeProcess(process.cwd(), [images.tiff], 240_000)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--enable-precise-memory-info'], headless: true })
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await page.addInitScript(() => {
    const g = globalThis as any
    g.__wsDelays = []
    g.__sends = []
    g.__moves = []
    const Original = g.WebSocket
    g.WebSocket = class extends Original {
      constructor(...args: any[]) {
        super(...args)
        const send = this.send.bind(this)
        this.send = (d: any) => {
          if (typeof d === 'string' && d.includes('"request"')) g.__sends.push([Math.round(performance.now()), (d.match(/"level"/g) || []).length])
          return send(d)
        }
        this.addEventListener('message', (e: any) => {
          if (typeof e.data !== 'string') g.__wsDelays.push([Math.round(performance.now()), Math.round(performance.now() - e.timeStamp)])
        })
      }
    }
  })
  await page.goto(`${serve.url}&diagnostics${mode}`)
  await page.waitForFunction(() => (globalThis as any).document.body.dataset.ready === 'true' && (globalThis as any).__tesseraDiagnostics?.layers().length === 1)
  await page.evaluate(readFileSync('bench/view/tessera-adapter.js', 'utf8'))
  await page.evaluate(readFileSync('bench/view/driver.js', 'utf8'))
  const view = await page.evaluate(() => (globalThis as any).__tesseraDiagnostics.view())
  const o = { imageWidth: images.side, imageHeight: images.side, viewWidth: Math.round(view.width), viewHeight: Math.round(view.height), quick: true }
  const drive = (steps: unknown) => page.evaluate(([s]) => (globalThis as any).__benchDriver.run(s, { drainCapMs: 1000, sampleMs: 500 }), [steps] as const)
  await drive(openSteps(o))
  const s0 = await page.evaluate(() => (globalThis as any).__tesseraDiagnostics.stats())
  const sc = scenarios(o).find((s) => s.name === which)!
  const samples: string[] = []
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      const x = await page.evaluate(async () => {
        const d = (globalThis as any).__tesseraDiagnostics
        const t0 = performance.now()
        const sv = await d.service()
        return `${d.stats().pending}/${sv.pending}+${sv.active} rt${Math.round(performance.now() - t0)} lat${d.stats().latencyMs}`
      })
      samples.push(x)
      await new Promise((r) => setTimeout(r, 150))
    }
  })()
  await page.evaluate(() => {
    const g = globalThis as any
    const d = g.__tesseraDiagnostics
    const set = d.setView
    d.setView = (v: any) => { g.__moves.push(Math.round(performance.now())); return set(v) }
    g.__sends.length = 0
  })
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  await cdp.send('Profiler.start')
  const r: any = await drive(sc.steps)
  const { profile } = await cdp.send('Profiler.stop')
  ;(await import('node:fs')).writeFileSync('/tmp/prof/fling.cpuprofile', JSON.stringify(profile))
  sampling = false
  await sampler
  console.log(samples.join(' | '))
  console.log('moves', JSON.stringify(await page.evaluate(() => (globalThis as any).__moves)))
  console.log('sends', JSON.stringify(await page.evaluate(() => (globalThis as any).__sends)))
  const delays = await page.evaluate(() => (globalThis as any).__wsDelays.splice(0))
  const ds = delays.map((d: number[]) => d[1]).sort((a: number, b: number) => a - b)
  console.log('ws dispatch delay ms: n', ds.length, 'p50', ds[ds.length >> 1], 'p90', ds[Math.floor(ds.length * 0.9)], 'max', ds[ds.length - 1])
  const s1 = await page.evaluate(() => (globalThis as any).__tesseraDiagnostics.stats())
  const d: any = {}
  for (const k of ['requested', 'displayed', 'cancelled', 'wasted', 'late']) d[k] = s1[k] - s0[k]
  console.log(which, 'settles', r.settles.map((s: any) => `${s.label}:${s.ms}`).join(' '), 'decoded', r.decoded, 'displayed', r.displayed, 'frames', r.frames, 'longestTask', r.longestTaskMs)
  console.log('renderer', JSON.stringify(d), 'latency', s1.latencyMs)
} finally {
  await browser.close()
  await serve.stop()
}
