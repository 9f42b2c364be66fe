/**
 * Issue 15, the viewer a person expects, shared by the browser and the Electron specs: navigation
 * that cannot get lost (content kept on screen, navigator, view buttons, rotation and flip, full
 * screen, the keyboard help), opening and browsing several files, layers (unique names, greyed
 * when hidden, solo, reorder), errors (one per cause, dismiss all, Esc), export (PNG of the view,
 * the readout copied) and the window (title, sidebar, themes). Pixels are read from screenshots,
 * the DOM from what a person sees.
 */
import type { Page } from '@playwright/test'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { BIG_JPEG, CORRUPT, ELEVATION, PYRAMID, QUAD, elevationValue, quadColor, type RGB } from './images'
import { dropFiles, expect, expectColor, frames, imagePath, shoot, waitForLayers, waitForSharp } from './helpers'

/** The view's backdrop (Viewer.create). */
export const BACKGROUND: RGB = [0x20, 0x21, 0x24]
/** Share of the content kept on screen along each axis (src/renderer/view/cameraBounds.ts). */
const VISIBILITY_RATIO = 0.2

interface View {
  centerX: number
  centerY: number
  zoom: number
  width: number
  height: number
}
interface UiGlobals {
  __tesseraDiagnostics: { view(): View; layers(): string[]; setView(v: { centerX: number; centerY: number; zoom: number }): void }
  document: { title: string; fullscreenElement: unknown }
}

export async function viewOf(page: Page): Promise<View> {
  return page.evaluate(() => (globalThis as unknown as UiGlobals).__tesseraDiagnostics.view())
}

export async function layerIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as UiGlobals).__tesseraDiagnostics.layers())
}

export async function titleOf(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as UiGlobals).document.title)
}

/** Drops the quadrant PNG and waits for it, sharp. */
export async function openQuad(page: Page): Promise<void> {
  await dropFiles(page, [imagePath(QUAD.file)])
  await waitForLayers(page, 1)
  await waitForSharp(page)
}

/** Share of the image's width and height on screen under `view`. */
function visibleShare(view: View, width: number, height: number): { x: number; y: number } {
  const axis = (center: number, span: number, size: number): number => {
    const from = Math.max(0, center - span / 2)
    const to = Math.min(size, center + span / 2)
    return Math.max(0, to - from)
  }
  const spanX = view.width / view.zoom
  const spanY = view.height / view.zoom
  return { x: axis(view.centerX, spanX, width) / Math.min(width, spanX), y: axis(view.centerY, spanY, height) / Math.min(height, spanY) }
}

/** Counts screenshot pixels that are not the backdrop. */
function contentPixels(shot: { width: number; height: number; at(x: number, y: number): RGB }): number {
  let n = 0
  for (let y = 0; y < shot.height; y += 4) {
    for (let x = 0; x < shot.width; x += 4) {
      const c = shot.at(x, y)
      if (c.some((v, i) => Math.abs(v - BACKGROUND[i]!) > 8)) n++
    }
  }
  return n * 16
}

export const uiScenarios: Array<{ title: string; run: (page: Page, prefix: string) => Promise<void> }> = [
  {
    title: 'the image cannot be lost: drags, flings and wheel zooms over empty space keep part of it on screen',
    run: async (page, prefix) => {
      await openQuad(page)
      const stage = (await page.getByTestId('viewer').boundingBox())!
      // Zoom out, drag the image far into the bottom-right corner, several times.
      for (let i = 0; i < 4; i++) await page.keyboard.press('-')
      for (let i = 0; i < 3; i++) {
        await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2)
        await page.mouse.down()
        await page.mouse.move(stage.x + stage.width - 5, stage.y + stage.height - 5, { steps: 8 })
        await page.mouse.up()
      }
      await frames(page, 30)
      let view = await viewOf(page)
      let share = visibleShare(view, QUAD.width, QUAD.height)
      expect(share.x, 'share of the width on screen after the drags').toBeGreaterThanOrEqual(VISIBILITY_RATIO - 0.01)
      expect(share.y, 'share of the height on screen after the drags').toBeGreaterThanOrEqual(VISIBILITY_RATIO - 0.01)
      await shoot(page, `${prefix}-bounds-dragged`)
      // Wheel in over the empty top-left corner, far past 100 %.
      await page.mouse.move(stage.x + 20, stage.y + 20)
      for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -400)
      await frames(page, 30)
      await waitForSharp(page)
      view = await viewOf(page)
      share = visibleShare(view, QUAD.width, QUAD.height)
      expect(view.zoom, 'zoomed far in').toBeGreaterThan(4)
      expect(share.x).toBeGreaterThanOrEqual(VISIBILITY_RATIO - 0.01)
      expect(share.y).toBeGreaterThanOrEqual(VISIBILITY_RATIO - 0.01)
      const shot = await shoot(page, `${prefix}-bounds-zoomed-in-over-nothing`)
      expect(contentPixels(shot), 'image pixels on screen').toBeGreaterThan(shot.width * shot.height * 0.03)
    }
  },
  {
    title: 'the navigator shows the image and the view; a click there moves the view; the view buttons fit, zoom and show 1:1',
    run: async (page, prefix) => {
      await openQuad(page)
      const navigator = page.getByTestId('navigator')
      await expect(navigator).toHaveAttribute('data-picture', 'true')
      // The overview's picture: each quadrant's colour where it lies in the overview.
      const canvas = page.getByTestId('navigator-canvas')
      const box = (await canvas.boundingBox())!
      const png = await canvas.screenshot({ path: `test-results/screenshots/${prefix}-navigator.png` })
      const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
      const at = (x: number, y: number): RGB => {
        const i = (Math.floor(y) * info.width + Math.floor(x)) * 3
        return [data[i]!, data[i + 1]!, data[i + 2]!]
      }
      // The image fills 92 % of the overview's width (1200 × 800 in 236 × 150: width-bound? height-bound).
      const scale = Math.min(box.width / QUAD.width, box.height / QUAD.height) * 0.92
      const ox = box.width / 2 - (QUAD.width / 2) * scale
      const oy = box.height / 2 - (QUAD.height / 2) * scale
      for (const [x, y] of [
        [900, 200],
        [300, 600],
        [900, 600]
      ] as const) {
        expectColor(at(ox + x * scale, oy + y * scale), quadColor(x, y), `navigator at image ${x},${y}`, 24)
      }
      // Zoom in with the button, then click the bottom-right quadrant in the navigator: the view goes there.
      const before = await viewOf(page)
      await page.getByTestId('view-zoom-in').click()
      await expect.poll(async () => (await viewOf(page)).zoom).toBeCloseTo(before.zoom * 2, 5)
      await canvas.click({ position: { x: ox + 1000 * scale, y: oy + 650 * scale } })
      let view = await viewOf(page)
      expect(view.centerX).toBeCloseTo(1000, -1)
      expect(view.centerY).toBeCloseTo(650, -1)
      await waitForSharp(page)
      const shot = await shoot(page, `${prefix}-navigator-moved`)
      expectColor(shot.at(shot.width / 2, shot.height / 2), quadColor(1000, 650), 'the view centred where the navigator was clicked')
      await page.screenshot({ path: `test-results/screenshots/${prefix}-navigator-moved-window.png` })
      // 1:1, then fit.
      await page.getByTestId('view-actual').click()
      await expect.poll(async () => (await viewOf(page)).zoom).toBeCloseTo(1, 6)
      await page.getByTestId('view-fit').click()
      view = await viewOf(page)
      expect(view.zoom).toBeCloseTo(Math.min(view.width / QUAD.width, view.height / QUAD.height) * 0.95, 6)
      expect(view.centerX).toBeCloseTo(QUAD.width / 2, 3)
      await page.getByTestId('view-zoom-out').click()
      await expect.poll(async () => (await viewOf(page)).zoom).toBeCloseTo(view.zoom / 2, 5)
      // Double-click zooms in at the cursor, Shift+double-click zooms out.
      const stage = (await page.getByTestId('viewer').boundingBox())!
      const z0 = (await viewOf(page)).zoom
      await page.mouse.dblclick(stage.x + stage.width / 2, stage.y + stage.height / 2)
      await expect.poll(async () => (await viewOf(page)).zoom).toBeCloseTo(z0 * 2, 5)
      await page.keyboard.down('Shift')
      await page.mouse.dblclick(stage.x + stage.width / 2, stage.y + stage.height / 2)
      await page.keyboard.up('Shift')
      await expect.poll(async () => (await viewOf(page)).zoom).toBeCloseTo(z0, 5)
    }
  },
  {
    title: 'r, Shift+R and h turn and mirror the view; the screen shows the image turned',
    run: async (page, prefix) => {
      await openQuad(page)
      const centre = async (): Promise<{ tl: RGB; tr: RGB; bl: RGB; br: RGB }> => {
        await waitForSharp(page)
        await frames(page, 2)
        const shot = await shoot(page, `${prefix}-orientation-${await page.getByTestId('canvas-host').getAttribute('data-rotation')}-${await page.getByTestId('canvas-host').getAttribute('data-flipped')}`)
        const cx = shot.width / 2
        const cy = shot.height / 2
        const d = 120
        return { tl: shot.at(cx - d, cy - d), tr: shot.at(cx + d, cy - d), bl: shot.at(cx - d, cy + d), br: shot.at(cx + d, cy + d) }
      }
      const [red, green, blue, yellow] = [quadColor(400, 300), quadColor(900, 200), quadColor(300, 600), quadColor(900, 600)]
      const up = await centre()
      expectColor(up.tr, green, 'upright: top right is the green quadrant')
      expectColor(up.bl, blue, 'upright: bottom left is the blue quadrant')
      await page.keyboard.press('r')
      await expect(page.getByTestId('canvas-host')).toHaveAttribute('data-rotation', '90')
      const turned = await centre()
      // Still as fitted: fitted again to the turned screen (the image, 800 wide once turned, fills the stage's height).
      const refitted = await viewOf(page)
      expect(refitted.zoom).toBeCloseTo(Math.min(refitted.width / QUAD.width, refitted.height / QUAD.height) * 0.95, 5)
      // The navigator turns with the view and still fits its box: wider than tall, the image whole in it.
      const overview = (await page.getByTestId('navigator-canvas').boundingBox())!
      expect(overview.width).toBeGreaterThan(overview.height)
      expect(overview.height).toBeLessThanOrEqual(152)
      // Turned clockwise: the image's top left (red) comes to the top right, its top right (green) to the bottom right, and so on.
      expectColor(turned.tl, blue, 'turned: top left is the blue quadrant')
      expectColor(turned.tr, red, 'turned: top right is the red quadrant')
      expectColor(turned.br, green, 'turned: bottom right is the green quadrant')
      expectColor(turned.bl, yellow, 'turned: bottom left is the yellow quadrant')
      await page.keyboard.press('Shift+R')
      await expect(page.getByTestId('canvas-host')).toHaveAttribute('data-rotation', '0')
      await page.keyboard.press('h')
      await expect(page.getByTestId('canvas-host')).toHaveAttribute('data-flipped', 'true')
      const mirrored = await centre()
      expectColor(mirrored.tl, green, 'mirrored: top left is the green quadrant')
      expectColor(mirrored.br, blue, 'mirrored: bottom right is the blue quadrant')
      // Dragging a mirrored view moves the image with the pointer.
      const stage = (await page.getByTestId('viewer').boundingBox())!
      const before = await viewOf(page)
      await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2)
      await page.mouse.down()
      await page.mouse.move(stage.x + stage.width / 2 + 100, stage.y + stage.height / 2, { steps: 5 })
      await page.mouse.up()
      const after = await viewOf(page)
      // Mirrored: the pointer moving right on screen drags the image right on screen, i.e. its left part comes in view: the centre's x grows.
      expect(after.centerX - before.centerX, 'centre moved against the mirrored drag').toBeGreaterThan(50 / before.zoom)
      await page.keyboard.press('h')
      await expect(page.getByTestId('canvas-host')).toHaveAttribute('data-flipped', 'false')
    }
  },
  {
    title: '? shows every shortcut; Esc closes it; f toggles full screen',
    run: async (page, prefix) => {
      await openQuad(page)
      const help = page.getByTestId('help')
      await expect(help).toBeHidden()
      await page.keyboard.press('?')
      await expect(help).toBeVisible()
      for (const keys of ['Ctrl+O', 'PageUp / PageDown', '← / →', 'r', 'Shift+R', 'h', 'f / F11', '0', '1', '?', 'Esc', 'Alt+↑ / Alt+↓', 'Alt+click the eye', 'c', 'Ctrl+S', 'b', 's']) {
        await expect(help.locator('dt', { hasText: keys }).first(), `help lists ${keys}`).toBeVisible()
      }
      await page.screenshot({ path: `test-results/screenshots/${prefix}-help.png` })
      await page.keyboard.press('Escape')
      await expect(help).toBeHidden()
      await page.keyboard.press('f')
      await expect.poll(() => page.evaluate(() => !!(globalThis as unknown as UiGlobals).document.fullscreenElement)).toBe(true)
      await page.keyboard.press('f')
      await expect.poll(() => page.evaluate(() => !!(globalThis as unknown as UiGlobals).document.fullscreenElement)).toBe(false)
    }
  }
]

/** Three solid PNGs of different sizes and colours, for browsing. */
export const BROWSE_IMAGES: ReadonlyArray<{ file: string; width: number; height: number; color: RGB }> = [
  { file: 'browse-red.png', width: 600, height: 400, color: [220, 40, 40] },
  { file: 'browse-green.png', width: 800, height: 600, color: [40, 200, 60] },
  { file: 'browse-blue.png', width: 400, height: 400, color: [40, 60, 220] }
]

/** Empty files dropped together: more messages than are shown at once. */
const EMPTY_FILES = Array.from({ length: 7 }, (_, i) => `empty-${i + 1}.png`)

/** Writes the browsing images and an empty file next to the other generated test images (once). */
export async function writeUiImages(): Promise<void> {
  for (const image of BROWSE_IMAGES) {
    const path = imagePath(image.file)
    if (existsSync(path)) continue
    const [r, g, b] = image.color
    await sharp({ create: { width: image.width, height: image.height, channels: 3, background: { r, g, b } } }).png().toFile(path)
  }
  for (const name of ['empty.png', ...EMPTY_FILES]) if (!existsSync(imagePath(name))) writeFileSync(imagePath(name), Buffer.alloc(0))
}

/** Records every text an element shows from now on (a state too short-lived to poll for). */
async function recordTexts(page: Page, testIds: string[]): Promise<() => Promise<string[]>> {
  await page.evaluate((ids) => {
    const g = globalThis as unknown as { __texts: string[]; document: { querySelector(s: string): { textContent: string | null } | null }; MutationObserver: new (cb: () => void) => { observe(target: unknown, o: unknown): void } }
    g.__texts = []
    for (const id of ids) {
      const el = g.document.querySelector(`[data-testid="${id}"]`)
      if (!el) continue
      new g.MutationObserver(() => g.__texts.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true })
    }
  }, testIds)
  return () => page.evaluate(() => (globalThis as unknown as { __texts: string[] }).__texts)
}

export const openingScenarios: Array<{ title: string; run: (page: Page, prefix: string) => Promise<void> }> = [
  {
    title: 'a drop says "Opening …" at once, on the drop zone and the toolbar, until the first pixels',
    run: async (page, prefix) => {
      const texts = await recordTexts(page, ['drop-title', 'opening'])
      await page.evaluate(() => {
        const g = globalThis as unknown as { __loadingRows: number; document: { body: unknown; querySelectorAll(s: string): { length: number } }; MutationObserver: new (cb: () => void) => { observe(t: unknown, o: unknown): void } }
        g.__loadingRows = 0
        new g.MutationObserver(() => {
          g.__loadingRows = Math.max(g.__loadingRows, g.document.querySelectorAll('[data-testid="layer"].layer-loading').length)
        }).observe(g.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] })
      })
      await dropFiles(page, [imagePath(BIG_JPEG.file)])
      await waitForLayers(page, 1)
      await expect(page.getByTestId('opening')).toBeHidden({ timeout: 60_000 })
      await expect(page.getByTestId('drop-zone')).toBeHidden()
      const seen = await texts()
      expect(seen, 'the drop zone said the file is opening').toContain(`Opening ${BIG_JPEG.file}…`)
      expect(await page.evaluate(() => (globalThis as unknown as { __loadingRows: number }).__loadingRows), 'its layer row said "opening…" until its first pixels').toBe(1)
      await expect(page.locator('[data-testid="layer"].layer-loading')).toHaveCount(0)
      await expect(page.getByTestId('toolbar-open')).toBeVisible()
      expect(await titleOf(page)).toBe(`${BIG_JPEG.file} — Tessera`)
      await expect(page.getByTestId('status-file')).toHaveText(BIG_JPEG.file)
      await shoot(page, `${prefix}-opened`)
    }
  },
  {
    title: 'pictures dropped together browse one at a time from the top one, and say so; PageDown, ← and → browse; the title and status say which; b stacks them again',
    run: async (page, prefix) => {
      await dropFiles(page, BROWSE_IMAGES.map((i) => imagePath(i.file)))
      await waitForLayers(page, 3)
      await waitForSharp(page)
      const [red, green, blue] = BROWSE_IMAGES as [(typeof BROWSE_IMAGES)[number], (typeof BROWSE_IMAGES)[number], (typeof BROWSE_IMAGES)[number]]
      // Without georeferencing, given together: one at a time from the top one (issue 20; they stacked as a collage), and said.
      await expect(page.getByTestId('toast')).toContainText('shown one at a time')
      await expect(page.getByTestId('toolbar-mode')).toHaveAttribute('data-mode', 'browse')
      expect(await titleOf(page)).toBe(`${blue.file} (3 of 3) — Tessera`)
      await expect(page.locator('[data-testid="layer"].layer-hidden')).toHaveCount(2)
      const centre = async (name: string): Promise<RGB> => {
        await waitForSharp(page)
        const shot = await shoot(page, `${prefix}-browse-${name}`)
        return shot.at(shot.width / 2, shot.height / 2)
      }
      await page.keyboard.press('PageDown')
      expect(await titleOf(page)).toBe(`${red.file} (1 of 3) — Tessera`)
      await expect(page.getByTestId('status-file')).toHaveText(`1 / 3  ${red.file}`)
      await expect(page.getByTestId('browse-position')).toHaveText(`1 / 3  ${red.file}`)
      expectColor(await centre('1-red'), red.color, 'the first file alone')
      // Only the file shown is visible; the others are greyed in the list.
      await expect(page.locator('[data-testid="layer"].layer-hidden')).toHaveCount(2)
      await page.keyboard.press('ArrowRight')
      expect(await titleOf(page)).toBe(`${green.file} (2 of 3) — Tessera`)
      const view = await viewOf(page)
      expect(view.zoom, 'each file fitted').toBeCloseTo(Math.min(view.width / green.width, view.height / green.height) * 0.95, 5)
      expectColor(await centre('2-green'), green.color, 'the second file alone (the red one is hidden under it)')
      await page.keyboard.press('ArrowRight')
      expectColor(await centre('3-blue'), blue.color, 'the third')
      await page.keyboard.press('ArrowRight')
      expect(await titleOf(page)).toBe(`${red.file} (1 of 3) — Tessera`)
      await page.keyboard.press('ArrowLeft')
      await page.keyboard.press('PageUp')
      expect(await titleOf(page)).toBe(`${green.file} (2 of 3) — Tessera`)
      await page.getByTestId('browse-next').click()
      expect(await titleOf(page)).toBe(`${blue.file} (3 of 3) — Tessera`)
      await page.keyboard.press('b')
      await expect(page.getByTestId('toolbar-mode')).toHaveAttribute('data-mode', 'stack')
      expect(await titleOf(page)).toBe(`${blue.file} — Tessera`)
      await expect(page.locator('[data-testid="layer"].layer-hidden')).toHaveCount(0)
      // Stacked again: arrows pan, they do not browse.
      const before = await viewOf(page)
      await page.keyboard.press('ArrowRight')
      expect(await titleOf(page)).toBe(`${blue.file} — Tessera`)
      expect((await viewOf(page)).centerX).toBeGreaterThan(before.centerX)
    }
  },
  {
    title: 'browsing: each picture keeps its own turn, a turn fits the picture again, and a file opened while browsing is shown',
    run: async (page, prefix) => {
      const [red, green, blue] = BROWSE_IMAGES as [(typeof BROWSE_IMAGES)[number], (typeof BROWSE_IMAGES)[number], (typeof BROWSE_IMAGES)[number]]
      await dropFiles(page, [imagePath(red.file), imagePath(green.file)])
      await waitForLayers(page, 2)
      await waitForSharp(page)
      expect(await titleOf(page)).toBe(`${green.file} (2 of 2) — Tessera`)
      const host = page.getByTestId('canvas-host')
      // Turned a quarter: the 800 × 600 picture is fitted to the turned screen (the camera's screen,
      // its width and height swapped once turned: as the r, Shift+R and h scenario checks it).
      const upright = await viewOf(page)
      await page.keyboard.press('r')
      await expect(host).toHaveAttribute('data-rotation', '90')
      await expect.poll(async () => (await viewOf(page)).width).toBeCloseTo(upright.height, 0)
      await expect
        .poll(async () => {
          const v = await viewOf(page)
          return v.zoom / (Math.min(v.width / green.width, v.height / green.height) * 0.95)
        })
        .toBeCloseTo(1, 4)
      // The next picture is upright: the turn was the green one's.
      await page.keyboard.press('ArrowRight')
      expect(await titleOf(page)).toBe(`${red.file} (1 of 2) — Tessera`)
      await expect(host).toHaveAttribute('data-rotation', '0')
      await page.keyboard.press('ArrowRight')
      await expect(host).toHaveAttribute('data-rotation', '90')
      await page.keyboard.press('Shift+R')
      await expect(host).toHaveAttribute('data-rotation', '0')
      // A file opened while browsing is the one shown.
      await dropFiles(page, [imagePath(blue.file)])
      await waitForLayers(page, 3)
      await expect.poll(() => titleOf(page)).toBe(`${blue.file} (3 of 3) — Tessera`)
      await waitForSharp(page)
      const shot = await shoot(page, `${prefix}-browse-opened-later`)
      expectColor(shot.at(shot.width / 2, shot.height / 2), blue.color, 'the file opened while browsing, shown')
      await expect(page.locator('[data-testid="layer"].layer-hidden')).toHaveCount(2)
    }
  }
]

export const refitScenarios: Array<{ title: string; run: (page: Page, prefix: string) => Promise<void> }> = [
  {
    title: 'a larger file added later, the view untouched since it was fitted, is fitted with the others',
    run: async (page) => {
      const blue = BROWSE_IMAGES[2]!
      await dropFiles(page, [imagePath(blue.file)])
      await waitForLayers(page, 1)
      await waitForSharp(page)
      await dropFiles(page, [imagePath(QUAD.file)])
      await waitForLayers(page, 2)
      await expect
        .poll(async () => {
          const v = await viewOf(page)
          return v.zoom / (Math.min(v.width / QUAD.width, v.height / QUAD.height) * 0.95)
        })
        .toBeCloseTo(1, 5)
      expect(await titleOf(page)).toBe(`${QUAD.file} — Tessera`)
    }
  }
]

export const layerScenarios: Array<{ title: string; run: (page: Page, prefix: string) => Promise<void> }> = [
  {
    title: 'layers: unique names, greyed when hidden, solo with Alt+click, reordered by Alt+↑ and by dragging, removed without Pixi warnings',
    run: async (page, prefix) => {
      const warnings: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text())
      })
      // Two drops: stacked (the same picture given twice together would be browsed one at a time).
      await dropFiles(page, [imagePath(QUAD.file)])
      await waitForLayers(page, 1)
      await dropFiles(page, [imagePath(QUAD.file)])
      await waitForLayers(page, 2)
      await waitForSharp(page)
      const names = page.getByTestId('layer-name')
      await expect(names).toHaveText([`${QUAD.file} (2)`, QUAD.file])
      const [bottom, top] = await layerIds(page)
      const item = (id: string) => page.locator(`[data-testid="layer"][data-raster-id="${id}"]`)
      // Hide the top one: greyed.
      await item(top!).locator('.layer-visible').uncheck()
      await expect(item(top!)).toHaveClass(/layer-hidden/)
      await page.screenshot({ path: `test-results/screenshots/${prefix}-layer-hidden.png` })
      await item(top!).locator('.layer-visible').check()
      // Alt+click the bottom one's eye: it alone; again: both.
      await item(bottom!).locator('.layer-visible').click({ modifiers: ['Alt'] })
      await expect(item(top!)).toHaveClass(/layer-hidden/)
      await expect(item(bottom!)).not.toHaveClass(/layer-hidden/)
      await item(bottom!).locator('.layer-visible').click({ modifiers: ['Alt'] })
      await expect(page.locator('[data-testid="layer"].layer-hidden')).toHaveCount(0)
      // Select the bottom one and move it up with Alt+↑.
      await item(bottom!).locator('.layer-name').click()
      await page.keyboard.press('Alt+ArrowUp')
      expect(await layerIds(page)).toEqual([top, bottom])
      await expect(page.getByTestId('layer').first()).toHaveAttribute('data-raster-id', bottom!)
      // Drag it back under.
      await item(bottom!).locator('.layer-head').dragTo(item(top!))
      await expect.poll(() => layerIds(page)).toEqual([bottom, top])
      await expect(page.getByTestId('layer').first()).toHaveAttribute('data-raster-id', top!)
      await page.screenshot({ path: `test-results/screenshots/${prefix}-layers-reordered.png` })
      // Remove both, and two big files while their tiles are still coming.
      for (const name of [`${QUAD.file} (2)`, QUAD.file]) await page.getByRole('button', { name: `Remove ${name}`, exact: true }).click()
      await waitForLayers(page, 0)
      await dropFiles(page, [imagePath(PYRAMID.file), imagePath(BIG_JPEG.file)])
      await waitForLayers(page, 2)
      await page.getByTestId('view-zoom-in').click()
      await page.getByTestId('view-zoom-in').click()
      for (const name of [BIG_JPEG.file, PYRAMID.file]) await page.getByRole('button', { name: `Remove ${name}`, exact: true }).click()
      await waitForLayers(page, 0)
      await frames(page, 10)
      expect(warnings.filter((w) => /destroyed|still bound/i.test(w)), 'Pixi warnings on removal').toEqual([])
      expect(await titleOf(page)).toBe('Tessera')
    }
  },
  {
    title: 'errors: one message per cause, title what failed and body why; dismiss all; Esc',
    run: async (page, prefix) => {
      await dropFiles(page, [imagePath(CORRUPT.file), imagePath('empty.png')])
      const errors = page.getByTestId('error')
      await expect(errors).toHaveCount(2, { timeout: 30_000 })
      const corrupt = errors.filter({ hasText: CORRUPT.file })
      await expect(corrupt.locator('.error-title')).toHaveText(`Could not open ${CORRUPT.file}`)
      const cause = await corrupt.locator('.error-cause').innerText()
      expect(cause, 'the body does not repeat the title').not.toMatch(/^(Cannot|Could not) open/)
      expect(cause.length).toBeGreaterThan(5)
      await expect(errors.filter({ hasText: 'empty.png' }).locator('.error-cause')).toContainText('the file is empty')
      await page.screenshot({ path: `test-results/screenshots/${prefix}-errors.png` })
      await page.getByTestId('errors-dismiss-all').click()
      await expect(errors).toHaveCount(0)
      await dropFiles(page, [imagePath(CORRUPT.file), imagePath('empty.png')])
      await expect(errors).toHaveCount(2, { timeout: 30_000 })
      await page.keyboard.press('Escape')
      await expect(errors).toHaveCount(0)
      // Many at once: the newest five, the others behind "2 more…".
      await dropFiles(page, EMPTY_FILES.map((f) => imagePath(f)))
      await expect(errors).toHaveCount(7, { timeout: 30_000 })
      await expect(errors.locator('visible=true')).toHaveCount(5)
      await expect(page.getByTestId('errors-more')).toHaveText('2 more…')
      await page.screenshot({ path: `test-results/screenshots/${prefix}-errors-many.png` })
      await page.getByTestId('errors-more').click()
      await expect(errors.locator('visible=true')).toHaveCount(7)
      await page.getByTestId('errors-dismiss-all').click()
      await expect(errors).toHaveCount(0)
      await expect(page.getByTestId('errors-more')).toBeHidden()
      // One: dismissed by its own button.
      await dropFiles(page, [imagePath(CORRUPT.file)])
      await expect(errors).toHaveCount(1, { timeout: 30_000 })
      await expect(page.getByTestId('errors-dismiss-all')).toBeHidden()
      await errors.first().getByRole('button', { name: 'Dismiss', exact: true }).click()
      await expect(errors).toHaveCount(0)
    }
  }
]

export const exportScenarios: Array<{ title: string; run: (page: Page, prefix: string) => Promise<void> }> = [
  {
    title: 'c copies the coordinates and value under the cursor; s hides the sidebar; the interface follows the light and dark themes',
    run: async (page, prefix) => {
      await openQuad(page)
      const view = await viewOf(page)
      const stage = (await page.getByTestId('viewer').boundingBox())!
      const screen = (ix: number, iy: number) => ({ x: stage.x + (ix + 0.5 - view.centerX) * view.zoom + view.width / 2, y: stage.y + (iy + 0.5 - view.centerY) * view.zoom + view.height / 2 })
      const p = screen(900, 200)
      await page.mouse.move(p.x, p.y)
      await page.keyboard.press('c')
      const toast = page.getByTestId('toast')
      await expect(toast).toBeVisible()
      const text = await toast.innerText()
      expect(text).toContain(`Copied: ${QUAD.file}`)
      expect(text).toMatch(/x 9\d\d, y [12]\d\d/)
      expect(text).toContain(`value ${quadColor(900, 200).join(', ')}`)
      await page.screenshot({ path: `test-results/screenshots/${prefix}-copied.png` })
      // The sidebar.
      const wide = (await viewOf(page)).width
      await page.keyboard.press('s')
      await expect(page.locator('#sidebar')).toBeHidden()
      await expect.poll(async () => (await viewOf(page)).width).toBeGreaterThan(wide + 200)
      await page.screenshot({ path: `test-results/screenshots/${prefix}-sidebar-hidden.png` })
      await page.getByTestId('toolbar-sidebar').click()
      await expect(page.locator('#sidebar')).toBeVisible()
      // Wider by dragging its edge: the view narrows as much.
      await expect.poll(async () => (await viewOf(page)).width).toBe(wide)
      const edge = (await page.getByTestId('sidebar-resizer').boundingBox())!
      await page.mouse.move(edge.x + edge.width / 2, edge.y + 200)
      await page.mouse.down()
      await page.mouse.move(edge.x + edge.width / 2 - 100, edge.y + 200, { steps: 5 })
      await page.mouse.up()
      await expect.poll(async () => (await viewOf(page)).width).toBeLessThan(wide - 90)
      await page.screenshot({ path: `test-results/screenshots/${prefix}-sidebar-wider.png` })
      // Keys on a control that moves with the arrows stay with it: the splitter, the opacity slider.
      const narrower = (await viewOf(page)).width
      const centre = (await viewOf(page)).centerX
      await page.getByTestId('sidebar-resizer').focus()
      await page.keyboard.press('ArrowLeft')
      await expect.poll(async () => (await viewOf(page)).width).toBe(narrower - 20)
      const opacity = page.locator('.layer-opacity').first()
      await opacity.focus()
      await page.keyboard.press('ArrowLeft')
      await expect(opacity).toHaveValue('0.95')
      expect((await viewOf(page)).centerX, 'the arrows did not pan').toBeCloseTo(centre, 6)
      await page.keyboard.press('ArrowRight')
      // Themes.
      const toolbarColour = () => page.getByTestId('toolbar').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)
      await page.emulateMedia({ colorScheme: 'dark' })
      expect(await toolbarColour()).toBe('rgb(42, 43, 46)')
      await page.screenshot({ path: `test-results/screenshots/${prefix}-theme-dark.png` })
      await page.emulateMedia({ colorScheme: 'light' })
      expect(await toolbarColour()).toBe('rgb(255, 255, 255)')
      await page.screenshot({ path: `test-results/screenshots/${prefix}-theme-light.png` })
    }
  }
]

export const stretchScenarios: Array<{ title: string; run: (page: Page, prefix: string) => Promise<void> }> = [
  {
    title: 'stretch: a maximum below the minimum is refused and said; presets, reset, the value axis with the statistics, a legend for the colour map',
    run: async (page, prefix) => {
      await dropFiles(page, [imagePath(ELEVATION.file)])
      await waitForLayers(page, 1)
      await waitForSharp(page)
      const layer = page.getByTestId('layer')
      const min = layer.getByTestId('stretch-min-0')
      const max = layer.getByTestId('stretch-max-0')
      const preset = layer.getByTestId('stretch-preset-0')
      await expect(preset).toHaveValue('p2')
      const initial = { min: await min.inputValue(), max: await max.inputValue() }
      const midGrey = async (name: string): Promise<RGB> => {
        await waitForSharp(page)
        await frames(page, 2)
        return (await shoot(page, `${prefix}-stretch-${name}`)).image(512, 384)
      }
      const before = await midGrey('initial')
      // Refused: the field shows the error, the picture keeps its stretch.
      await max.fill('10')
      await max.press('Enter')
      await expect(layer.getByTestId('stretch-error-0')).toBeVisible()
      await expect(layer.getByTestId('stretch-error-0')).toContainText('The maximum must be above the minimum')
      await expect(max).toHaveAttribute('aria-invalid', '')
      await page.screenshot({ path: `test-results/screenshots/${prefix}-stretch-refused.png` })
      expectColor(await midGrey('refused'), before, 'the stretch is unchanged by a refused maximum', 1)
      // Presets: min – max puts the middle value at the middle grey.
      await preset.selectOption('minmax')
      await expect(min).toHaveValue('0')
      await expect(max).toHaveValue(String(elevationValue(ELEVATION.width - 1, ELEVATION.height - 1)))
      await expect(layer.getByTestId('stretch-error-0')).toBeHidden()
      await expect(max).not.toHaveAttribute('aria-invalid')
      const full = await midGrey('minmax')
      expectColor(full, [128, 128, 128], 'min – max: the middle value is mid grey', 4)
      // The axis: the range over the whole of it, the statistics marked, the band's histogram under them.
      const axis = layer.getByTestId('stretch-axis-0')
      await expect(axis).toHaveAttribute('data-range', `0,${elevationValue(ELEVATION.width - 1, ELEVATION.height - 1)}`)
      expect(await axis.locator('.stretch-axis-mark').count()).toBeGreaterThanOrEqual(5)
      await expect(layer).toContainText('Histogram of the band’s values')
      const bars = await layer.getByTestId('stretch-histogram-0').evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
        let painted = 0
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++
        return painted
      })
      expect(bars, 'the histogram has bars').toBeGreaterThan(100)
      // Reset: back to what the layer opened with.
      await layer.getByTestId('stretch-reset-0').click()
      await expect(min).toHaveValue(initial.min)
      await expect(max).toHaveValue(initial.max)
      await expect(preset).toHaveValue('p2')
      expectColor(await midGrey('reset'), before, 'reset restores the first stretch', 1)
      // The legend follows the colour map.
      await layer.getByTestId('stretch-colormap').selectOption('viridis')
      const legend = layer.getByTestId('legend')
      await expect(legend).toHaveAttribute('data-colormap', 'viridis')
      await expect(layer.getByTestId('legend-labels')).toContainText(initial.min)
      await expect(layer.getByTestId('legend-labels')).toContainText(initial.max)
      const bar = await legend.locator('canvas').screenshot({ path: `test-results/screenshots/${prefix}-legend.png` })
      const { data, info } = await sharp(bar).removeAlpha().raw().toBuffer({ resolveWithObject: true })
      const px = (x: number): RGB => {
        const i = (Math.floor(info.height / 2) * info.width + x) * 3
        return [data[i]!, data[i + 1]!, data[i + 2]!]
      }
      expectColor(px(1), [0x44, 0x01, 0x54], 'legend starts dark purple', 12)
      expectColor(px(info.width - 2), [0xfd, 0xe7, 0x25], 'legend ends yellow', 12)
      await page.screenshot({ path: `test-results/screenshots/${prefix}-stretch-legend-window.png` })
      // A diverging map (differences) centres the stretch on 0, holding both its ends (issue 23).
      await layer.getByTestId('stretch-colormap').selectOption('diverging')
      const half = Math.max(Math.abs(Number(initial.min)), Math.abs(Number(initial.max)))
      await expect.poll(async () => [Number(await min.inputValue()), Number(await max.inputValue())]).toEqual([-half, half])
      await expect(legend).toHaveAttribute('data-colormap', 'diverging')
    }
  },
  {
    title: 'the readout says the level only when it is not full resolution, in words',
    run: async (page, prefix) => {
      await dropFiles(page, [imagePath(ELEVATION.file)])
      await waitForLayers(page, 1)
      await page.getByTestId('view-zoom-out').click()
      // The button animates the zoom: a frame on the way may already be sharp (its tiles cached).
      await expect.poll(async () => (await viewOf(page)).zoom, { timeout: 10_000 }).toBeLessThan(0.5)
      await waitForSharp(page)
      const view = await viewOf(page)
      const stage = (await page.getByTestId('viewer').boundingBox())!
      const hover = async (ix: number, iy: number): Promise<void> => {
        const v = await viewOf(page)
        await page.mouse.move(stage.x + (ix + 0.5 - v.centerX) * v.zoom + v.width / 2, stage.y + (iy + 0.5 - v.centerY) * v.zoom + v.height / 2)
      }
      expect(view.zoom).toBeLessThan(0.5)
      await hover(300, 200)
      await expect(page.getByTestId('status-value')).toHaveText(/\(from a 1:(2|4|8) overview\)$/)
      await expect(page.getByTestId('status-value')).not.toContainText('level')
      await page.screenshot({ path: `test-results/screenshots/${prefix}-readout-overview.png` })
      await page.keyboard.press('1')
      await waitForSharp(page)
      await hover(300, 200)
      await expect(page.getByTestId('status-value')).toHaveText(String(elevationValue(300, 200)))
    }
  }
]

/** Decodes a PNG file and reads its colour at (x, y). */
export async function pngColor(path: string): Promise<{ width: number; height: number; at(x: number, y: number): RGB }> {
  const { data, info } = await sharp(readFileSync(path)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => {
      const i = (Math.floor(y) * info.width + Math.floor(x)) * 3
      return [data[i]!, data[i + 1]!, data[i + 2]!]
    }
  }
}
