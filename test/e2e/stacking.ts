/**
 * Issue 16, shared by the browser and the Electron specs: files given together (on the command
 * line, in one drop) stack in the order given, the last on top, whatever order their opens finish
 * in (pictures without georeferencing are browsed one at a time from the top one, issue 20, until
 * b stacks them), and fit (0) shows all of them. A big PNG (20 megapixels: opened from an overview while
 * its pyramid is built, much slower to open) and a small one, of clearly different colours, both
 * from the top-left corner: where they overlap, the screenshot shows the one given last. The
 * layers list says the same, top first.
 */
import { existsSync } from 'node:fs'
import type { Page } from '@playwright/test'
import sharp from 'sharp'
import type { RGB } from './images'
import { expect, expectColor, imagePath, shoot, waitForLayers, waitForSharp } from './helpers'

export interface StackImage {
  file: string
  width: number
  height: number
  color: RGB
}

/** 5000 × 4000 solid blue PNG. */
export const BIG: StackImage = { file: 'stack-big.png', width: 5000, height: 4000, color: [40, 80, 210] }
/** 600 × 400 solid red PNG, over the big one's top-left corner when given after it. */
export const SMALL: StackImage = { file: 'stack-small.png', width: 600, height: 400, color: [225, 45, 40] }
/** The viewer's background (Viewer.create). */
const BACKGROUND: RGB = [0x20, 0x21, 0x24]
/** Share of the window a fitted extent fills (Camera's FIT_MARGIN). */
const FIT_MARGIN = 0.95

/** The two orders tested: the big file first (the small, ready first, must end on top), and the reverse. */
export const ORDERS: ReadonlyArray<{ title: string; given: [StackImage, StackImage] }> = [
  { title: 'big then small', given: [BIG, SMALL] },
  { title: 'small then big', given: [SMALL, BIG] }
]

/** How many times each case runs: the order must be the same every time. */
export const RUNS = 3

/** Writes both images next to the other generated test images (once). */
export async function writeStackImages(): Promise<void> {
  for (const image of [BIG, SMALL]) {
    const path = imagePath(image.file)
    if (existsSync(path)) continue
    const [r, g, b] = image.color
    await sharp({ create: { width: image.width, height: image.height, channels: 3, background: { r, g, b } } }).png().toFile(path)
  }
}

export function stackPaths(given: readonly StackImage[]): string[] {
  return given.map((image) => imagePath(image.file))
}

interface ViewGlobals {
  __tesseraDiagnostics: { view(): { centerX: number; centerY: number; zoom: number; width: number; height: number } }
}

/**
 * Waits for both layers, then checks: the layers list, top first, is the reverse of the order
 * given; they are browsed one at a time from the one given last; stacked (b) and fitted (0), the
 * camera fits the union of both (the big one's extent, whole and centred); and the
 * screenshot shows the file given last where they overlap, each file whole, and the background
 * just outside the big one.
 */
export async function expectStackedAndFitted(page: Page, given: readonly [StackImage, StackImage], name: string): Promise<void> {
  const [bottom, top] = given
  await waitForLayers(page, 2)
  await waitForSharp(page)
  const names = page.getByTestId('layer')
  await expect(names).toHaveCount(2)
  await expect(names.nth(0)).toContainText(top.file)
  await expect(names.nth(1)).toContainText(bottom.file)

  // Pictures without georeferencing given together are browsed one at a time, from the one given
  // last (issue 20); b stacks them, 0 fits them all.
  await expect(page.getByTestId('toolbar-mode')).toHaveAttribute('data-mode', 'browse')
  await expect.poll(() => page.title()).toBe(`${top.file} (2 of 2) — Tessera`)
  await expect(page.locator('[data-testid="layer"].layer-hidden')).toHaveCount(1)
  await expect(page.locator('[data-testid="layer"].layer-hidden')).toContainText(bottom.file)
  await page.keyboard.press('b')
  await expect(page.getByTestId('toolbar-mode')).toHaveAttribute('data-mode', 'stack')
  await page.keyboard.press('0')
  await waitForSharp(page)
  await expect(page.getByTestId('toast')).toBeHidden() // the note that said so goes on its own; it covers part of the view

  // Stacked and fitted, both: the union of their extents (both start at the origin).
  const view = await page.evaluate(() => (globalThis as unknown as ViewGlobals).__tesseraDiagnostics.view())
  const width = Math.max(BIG.width, SMALL.width)
  const height = Math.max(BIG.height, SMALL.height)
  const fitZoom = Math.min(view.width / width, view.height / height) * FIT_MARGIN
  expect(view.centerX).toBeCloseTo(width / 2, 3)
  expect(view.centerY).toBeCloseTo(height / 2, 3)
  expect(view.zoom).toBeCloseTo(fitZoom, 6)

  const shot = await shoot(page, name)
  const screen = (ix: number, iy: number): { x: number; y: number } => ({
    x: (ix - view.centerX) * view.zoom + view.width / 2,
    y: (iy - view.centerY) * view.zoom + view.height / 2
  })
  // Both whole on screen.
  for (const image of [BIG, SMALL]) {
    const from = screen(0, 0)
    const to = screen(image.width, image.height)
    expect(from.x, `${image.file} left edge on screen`).toBeGreaterThanOrEqual(0)
    expect(from.y, `${image.file} top edge on screen`).toBeGreaterThanOrEqual(0)
    expect(to.x, `${image.file} right edge on screen`).toBeLessThanOrEqual(shot.width)
    expect(to.y, `${image.file} bottom edge on screen`).toBeLessThanOrEqual(shot.height)
  }
  // Where they overlap (the small one's area), the one given last.
  const inset = 4 / view.zoom // four screen pixels inside an edge
  for (const [x, y] of [
    [SMALL.width / 2, SMALL.height / 2],
    [inset, inset],
    [SMALL.width - inset, SMALL.height - inset],
    [SMALL.width - inset, inset],
    [inset, SMALL.height - inset]
  ] as const) {
    expectColor(shot.image(x, y), top.color, `${top.file} on top at ${Math.round(x)},${Math.round(y)}`)
  }
  // The big one elsewhere, to its corners, and the background just outside it.
  for (const [x, y] of [
    [BIG.width / 2, BIG.height / 2],
    [BIG.width - inset, inset],
    [inset, BIG.height - inset],
    [BIG.width - inset, BIG.height - inset],
    [SMALL.width + 2 * inset, SMALL.height + 2 * inset]
  ] as const) {
    expectColor(shot.image(x, y), BIG.color, `${BIG.file} at ${Math.round(x)},${Math.round(y)}`)
  }
  const corner = screen(BIG.width, BIG.height)
  expectColor(shot.at(corner.x + 3, corner.y + 3), BACKGROUND, 'background past the bottom-right corner')
  const origin = screen(0, 0)
  if (origin.x >= 4) expectColor(shot.at(origin.x - 4, corner.y / 2), BACKGROUND, 'background left of the images')
}
