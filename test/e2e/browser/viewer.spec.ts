/**
 * The viewer end to end in Debian's Chromium against `npm run serve`: real uploads, real decoding,
 * real streaming, the real Pixi renderer (WebGL through SwiftShader).
 */
import { existsSync } from 'node:fs'
import sharp from 'sharp'
import { dropFiles, expect, imagePath, stats, test, waitForLayers, waitForSharp } from '../helpers'
import { scenarios } from '../scenarios'

test.describe('viewer in a browser', () => {
  for (const scenario of scenarios) {
    test(scenario.title, async ({ viewer }) => scenario.run(viewer, 'browser'))
  }

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
