/**
 * The renderer says its view's size (`view-size`); a camera JPEG opened after it decodes first the
 * overview its fit view shows. The arithmetic (`quickOverviewSide`) and the plumbing from the call
 * to the opener.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { quickOverviewSide } from '../../src/main/raster/quickOverview'
import { TextureService } from '../../src/main/service/TextureService'
import type { RasterHooks, RasterOpener } from '../../src/main/service/types'
import { levelForZoom, pyramidLevels } from '../../src/shared/tiles'
import { slowStubRaster } from '../helpers/serviceFixtures'

const dir = mkdtempSync(join(tmpdir(), 'tessera-view-size-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('quickOverviewSide', () => {
  it('is the longest side of the level the fit view shows', () => {
    const levels = pyramidLevels(4096, 4096, 256)
    // A laptop's viewer (1020 × 720): fit zoom 0.176 → level 2 (1024²).
    expect(quickOverviewSide(levels, { width: 1020, height: 720 })).toBe(1024)
    // A 4K screen's viewer (3500 × 2000): fit zoom 0.49 → level 1 (2048²).
    expect(quickOverviewSide(levels, { width: 3500, height: 2000 })).toBe(2048)
    // A view larger than the image: level 0, the whole image.
    expect(quickOverviewSide(levels, { width: 5000, height: 5000 })).toBe(4096)
    // A landscape photo in a portrait view: the narrow side of the view decides.
    const photo = pyramidLevels(6000, 4000, 256)
    expect(quickOverviewSide(photo, { width: 800, height: 1200 })).toBe(1500) // fit zoom 0.133 → level 2 (1500 × 1000)
  })

  it('never picks a level finer than the planner shows at fit', () => {
    for (const [w, h, vw, vh] of [[4096, 4096, 1020, 720], [6000, 4000, 1920, 1080], [3264, 2448, 640, 480], [300, 200, 1000, 800]] as const) {
      const levels = pyramidLevels(w, h, 256)
      const fit = Math.min(vw / w, vh / h)
      const level = levels[levelForZoom(fit, levels.length)]!
      expect(quickOverviewSide(levels, { width: vw, height: vh })).toBe(Math.max(level.width, level.height))
    }
  })
})

describe('view-size', () => {
  it('reaches the opener of every file opened after it, and not before', async () => {
    const seen: Array<RasterHooks['view']> = []
    const opener: RasterOpener = async (_path, hooks) => {
      seen.push(hooks.view)
      return slowStubRaster(512, 1)
    }
    const service = new TextureService({ sink: { send: () => undefined, sendTile: () => undefined }, openRaster: opener, maxWorkers: 1, watchFiles: false })
    const path = join(dir, 'photo.jpg')
    writeFileSync(path, 'stub')
    const reply = (): void => undefined
    await service.receive({ type: 'open', id: 1, path }, reply)
    expect(await service.receive({ type: 'view-size', id: 2, width: 1020, height: 720 }, reply)).toMatchObject({ type: 'reply', id: 2 })
    await service.receive({ type: 'open', id: 3, path }, reply)
    await service.receive({ type: 'view-size', id: 4, width: 0, height: 0 }, reply)
    await service.receive({ type: 'open', id: 5, path }, reply)
    expect(seen).toEqual([undefined, { width: 1020, height: 720 }, undefined])
    // Not a size: refused with the reason.
    expect(await service.receive({ type: 'view-size', id: 6, width: -3, height: 720 } as never, reply)).toMatchObject({ type: 'reply-error', error: { code: 'bad-message' } })
    await service.close()
  })
})
