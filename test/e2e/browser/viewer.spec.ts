/**
 * The viewer end to end in Debian's Chromium against `npm run serve`: real uploads, real decoding,
 * real streaming, the real Pixi renderer (WebGL through SwiftShader).
 */
import { existsSync } from 'node:fs'
import sharp from 'sharp'
import { dropFiles, expect, graphicsInfo, imagePath, stats, test, waitForLayers, waitForSharp, wireStats } from '../helpers'
import { openBoth, scenarios } from '../scenarios'

test.describe('viewer in a browser', () => {
  for (const scenario of scenarios) {
    test(scenario.title, async ({ viewer }) => scenario.run(viewer, 'browser'))
  }

  test('tiles are received and unpacked in the tile worker, and the status bar says WebGL is drawn in software here', async ({ viewer }) => {
    await openBoth(viewer)
    const wire = await wireStats(viewer)
    expect(wire.tiles).toBeGreaterThan(0)
    expect(wire.inWorker, 'every tile came through the tile worker, none was read on the main thread').toBe(wire.tiles)
    const graphics = await graphicsInfo(viewer)
    // Without a GPU (this machine, CI) Chromium draws WebGL with SwiftShader; with one, nothing is said.
    expect(graphics.software).toBe(/SwiftShader/i.test(graphics.renderer))
    if (graphics.software) {
      await expect(viewer.getByTestId('status-graphics')).toHaveText('Software WebGL')
      await expect(viewer.getByTestId('status-graphics')).toHaveAttribute('title', /on the CPU \(.*SwiftShader/i)
    } else {
      await expect(viewer.getByTestId('status-graphics')).toBeHidden()
    }
  })

  test('a dropped 4096² JPEG shows a preview decoded by the page, gone once its first tiles are drawn', async ({ viewer }) => {
    const path = imagePath('camera-4096.jpg')
    if (!existsSync(path)) {
      // Photo-like: a smooth field (a small random picture blown up), as a camera JPEG.
      const seed = Buffer.from(Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 97 + ((i * i) % 251)) % 256))
      await sharp(seed, { raw: { width: 16, height: 16, channels: 3 } }).resize(4096, 4096, { kernel: 'cubic' }).jpeg({ quality: 90 }).toFile(path)
    }
    expect((await stats(viewer)).previewsShown).toBe(0)
    await dropFiles(viewer, [path])
    await waitForLayers(viewer, 1)
    await waitForSharp(viewer)
    const after = await stats(viewer)
    expect(after.previewsShown, 'a preview was drawn while the host opened the file').toBe(1)
    expect(after.previews, 'the preview is gone once the layer draws its tiles').toBe(0)
    expect(after.displayed).toBeGreaterThan(0)
  })
})
