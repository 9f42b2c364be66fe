/**
 * The viewer end to end in Debian's Chromium against `npm run serve`: real uploads, real decoding,
 * real streaming, the real Pixi renderer (WebGL through SwiftShader).
 */
import { existsSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { dropFiles, expect, graphicsInfo, imagePath, openTimeline, stats, test, waitForLayers, waitForSharp, wireStats } from '../helpers'
import { openBoth, scenarios } from '../scenarios'
import { exifSegment, withSegment } from '../../helpers/exifJpeg'

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

  test('a dropped 4096² JPEG shows a preview decoded by the page unless its tiles come first, gone once they are drawn', async ({ viewer }) => {
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
    const steps = (await openTimeline(viewer)).filter((e) => e.name === 'camera-4096.jpg')
    const at = (step: string): number | undefined => steps.find((e) => e.step === step)?.t
    // The page's decode and the host's open race: the preview shows if it is decoded before the
    // layer draws its first tiles, and is then taken away with them; else it is never shown.
    const shown = at('preview')
    const late = at('preview late')
    expect(shown === undefined ? 0 : 1, 'a preview, or a preview too late, never both').toBe(late === undefined ? 1 : 0)
    expect(after.previewsShown).toBe(shown === undefined ? 0 : 1)
    if (late !== undefined) expect(late, 'too late: decoded after the first tiles were drawn').toBeGreaterThanOrEqual(at('first tile')!)
    console.log(`[browser] 4096² JPEG: ${shown !== undefined ? `preview at ${Math.round(shown - at('dropped')!)} ms` : 'no preview (its tiles came first)'}, first tile at ${Math.round(at('first tile')! - at('dropped')!)} ms`)
    expect(after.previews, 'no preview is left once the layer draws its tiles').toBe(0)
    expect(after.displayed).toBeGreaterThan(0)
  })

  test('a dropped camera JPEG shows its EXIF thumbnail first, then its preview in the same place, all gone once its tiles are drawn', async ({ viewer }) => {
    const path = imagePath('camera-exif-4096.jpg')
    if (!existsSync(path)) {
      const seed = Buffer.from(Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 89 + ((i * i) % 241)) % 256))
      const photo = await sharp(seed, { raw: { width: 16, height: 16, channels: 3 } }).resize(4096, 4096, { kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer()
      const thumbnail = await sharp(photo).resize(160, 160).jpeg({ quality: 75 }).toBuffer()
      writeFileSync(path, withSegment(photo, exifSegment(thumbnail))) // as is: sharp would not keep the thumbnail
    }
    await dropFiles(viewer, [path])
    await waitForLayers(viewer, 1)
    await waitForSharp(viewer)
    const after = await stats(viewer)
    const steps = (await openTimeline(viewer)).filter((e) => e.name === 'camera-exif-4096.jpg')
    const at = (step: string): number | undefined => steps.find((e) => e.step === step)?.t
    const thumbnail = at('thumbnail')
    const preview = at('preview')
    // The thumbnail decodes in milliseconds: shown unless the layer drew its tiles even sooner.
    if (thumbnail === undefined) expect(at('preview late')!).toBeGreaterThanOrEqual(at('first tile')!)
    else {
      expect(after.previewsShown, 'the preview replaced the thumbnail in place: one picture shown').toBe(1)
      if (preview !== undefined) expect(preview).toBeGreaterThanOrEqual(thumbnail)
    }
    console.log(
      `[browser] camera JPEG: ${thumbnail !== undefined ? `thumbnail at ${Math.round(thumbnail - at('dropped')!)} ms` : 'no thumbnail'}, ${preview !== undefined ? `preview at ${Math.round(preview - at('dropped')!)} ms` : 'no preview'}, first tile at ${Math.round(at('first tile')! - at('dropped')!)} ms`
    )
    expect(after.previews, 'no picture is left once the layer draws its tiles').toBe(0)
  })
})
