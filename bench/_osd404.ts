import { resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { ensureViewImages } from './view/images'
import { startPeerServer } from './view/peerServer'
const images = await ensureViewImages(resolve('bench/.cache'))
const peer = await startPeerServer(images.dzi)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader'], headless: true })
for (let run = 0; run < 3; run++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('response', (r) => { if (r.status() === 404) console.log('404', r.url()) })
  await page.goto(`${peer.origin}/osd.html?w=1020&h=775`)
  await page.waitForFunction(() => (globalThis as any).document.body.dataset.ready === 'true')
  const ms = await page.evaluate(async () => {
    const a = (globalThis as any).__benchAdapter
    const t0 = performance.now()
    a.setView({ centerX: 8192, centerY: 8192, zoom: 1020 / 16384 })
    while (!a.isSharp() && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20))
    return [Math.round(performance.now() - t0), a.isSharp(), a.counts.updatedAt > a.counts.movedAt, a.counts.decoded]
  })
  console.log('fit', JSON.stringify(ms))
  await page.close()
}
await browser.close(); await peer.close()
