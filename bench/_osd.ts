import { resolve } from 'node:path'
import { readFileSync, writeFileSync } from 'node:fs'
import { chromium } from '@playwright/test'
import { ensureViewImages } from './view/images'
import { startPeerServer } from './view/peerServer'
const images = await ensureViewImages(resolve('bench/.cache'))
const html = readFileSync('bench/view/osd.html', 'utf8')
const variants: Record<string, string> = { default: '', canvas: "drawer: 'canvas',", canvas8: "drawer: 'canvas', maxTilesPerFrame: 8,", webgl8: 'maxTilesPerFrame: 8,' }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader'], headless: true })
for (const [name, extra] of Object.entries(variants)) {
  writeFileSync('bench/view/_osd-variant.html', html.replace('mouseNavEnabled: false', `mouseNavEnabled: false, ${extra}`))
  const peer = await startPeerServer(images.dzi)
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.route('**/osd.html*', (route) => route.fulfill({ contentType: 'text/html', body: readFileSync('bench/view/_osd-variant.html', 'utf8') }))
  await page.goto(`${peer.origin}/osd.html?w=1020&h=775`)
  await page.waitForFunction(() => (globalThis as any).document.body.dataset.ready === 'true')
  const out: number[] = []
  for (const [x, y] of [[4000, 4000], [12000, 5000], [7000, 13000]]) {
    const ms = await page.evaluate(async ([x, y]) => {
      const a = (globalThis as any).__benchAdapter
      const t0 = performance.now()
      a.setView({ centerX: x, centerY: y, zoom: 1 })
      while (!a.isSharp() && performance.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 20))
      return Math.round(performance.now() - t0)
    }, [x, y])
    out.push(ms)
  }
  console.log(name, out.join(' '), (await page.evaluate(() => (globalThis as any).__benchAdapter.counts.decoded)))
  await page.close()
  await peer.close()
}
await browser.close()
