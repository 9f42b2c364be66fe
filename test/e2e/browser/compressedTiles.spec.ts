/**
 * A JPEG- or WebP-compressed tiled TIFF's own tiles travel as they are stored, are decoded by the
 * browser in the tile worker, and show the same pixels as the raw tiles the host decodes with
 * libvips: compared on screen, pixel for pixel, against the same page asking for raw tiles, and
 * (JPEG) against libvips' decode of the file at sample points. The view at 100 % covers an edge
 * tile (smaller than the image it is cut from) and the view at fit an overview level.
 */
import { existsSync } from 'node:fs'
import sharp from 'sharp'
import type { Browser, Page } from '@playwright/test'
import { requireGdal, translate } from '../../helpers/gdal'
import { dropFiles, expect, imagePath, setView, shoot, test, waitForLayers, waitForReady, waitForSharp, watchProblems, wireStats, type Shot, type WireStats } from '../helpers'

/** Even at every level (so libvips' pyramid levels are exactly Tessera's), with edge tiles at level 0 and 1. */
const WIDTH = 2304
const HEIGHT = 1280

async function jpegTiff(): Promise<string> {
  const path = imagePath('jpeg-tiles.tif')
  if (existsSync(path)) return path
  // Photo-like: a smooth field blown up, with fine stripes so that the JPEG has detail to round.
  const seed = Buffer.from(Array.from({ length: 24 * 16 * 3 }, (_, i) => (i * 89 + ((i * i) % 241)) % 256))
  const field = await sharp(seed, { raw: { width: 24, height: 16, channels: 3 } }).resize(WIDTH, HEIGHT, { kernel: 'cubic' }).raw().toBuffer()
  for (let i = 0; i < field.length; i += 3 * 7) field[i] = (field[i]! + 60) % 256
  await sharp(field, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'jpeg', quality: 80 })
    .toFile(path)
  return path
}

async function showAt(page: Page, path: string, views: Array<{ centerX: number; centerY: number; zoom: number }>, name: string): Promise<Shot[]> {
  await dropFiles(page, [path])
  await waitForLayers(page, 1)
  const shots: Shot[] = []
  for (const [i, view] of views.entries()) {
    await setView(page, view)
    await waitForSharp(page)
    shots.push(await shoot(page, `${name}-${i}`))
  }
  return shots
}

function maxDifference(a: Shot, b: Shot): number {
  let max = 0
  for (let y = 0; y < a.height; y += 2) {
    for (let x = 0; x < a.width; x += 2) {
      const p = a.at(x, y)
      const q = b.at(x, y)
      for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(p[c]! - q[c]!))
    }
  }
  return max
}

/**
 * Shows `path` at `views` on the test's page (which asks for compressed tiles) and on a second page
 * that asks for raw ones (`?compressedTiles=0`), checks that the first got every tile compressed
 * and the second none, and that both screens are the same at every view. Returns the compressed
 * page's shots and both pages' wire figures.
 */
async function compressedAgainstRaw(
  viewer: Page,
  browser: Browser,
  serveUrl: string,
  path: string,
  views: Array<{ centerX: number; centerY: number; zoom: number }>,
  name: string
): Promise<{ shots: Shot[]; compressed: WireStats; raw: WireStats }> {
  const shots = await showAt(viewer, path, views, `${name}-compressed`)
  const compressed = await wireStats(viewer)
  expect(compressed.compressed, "tiles came as the file's own stored tiles").toBeGreaterThan(0)
  expect(compressed.compressed).toBe(compressed.tiles)
  expect(compressed.inWorker).toBe(compressed.tiles)

  const page = await browser.newPage({ viewport: viewer.viewportSize()! })
  const problems = watchProblems(page)
  await page.goto(`${serveUrl}&diagnostics&compressedTiles=0`)
  await waitForReady(page)
  const rawShots = await showAt(page, path, views, `${name}-raw`)
  const raw = await wireStats(page)
  expect(raw.compressed).toBe(0)
  for (const [i, shot] of shots.entries()) {
    const difference = maxDifference(shot, rawShots[i]!)
    console.log(`[browser] ${name} view ${i}: max screen difference, browser-decoded stored tiles vs libvips-decoded raw tiles: ${difference}`)
    expect(difference, `view ${i}`).toBeLessThanOrEqual(2)
  }
  expect(problems()).toEqual([])
  await page.close()
  return { shots, compressed, raw }
}

test('a JPEG TIFF\'s own JPEG tiles are decoded in the tile worker and show what the raw tiles show', async ({ viewer, serveUrl, browser }) => {
  const path = await jpegTiff()
  // At 100 % on the right edge (a 256-wide JPEG of which 0 columns beyond 2304 exist: the last
  // column of tiles is cut from a full JPEG at level 1), and at fit (an overview level).
  const views = [
    { centerX: WIDTH - 300, centerY: 700, zoom: 1 },
    { centerX: 600, centerY: 400, zoom: 0.5 },
    { centerX: WIDTH / 2, centerY: HEIGHT / 2, zoom: 0.35 }
  ]
  const { shots: compressed, compressed: wire, raw: rawWire } = await compressedAgainstRaw(viewer, browser, serveUrl, path, views, 'jpeg-tiles')
  const rawBytesPerTile = rawWire.bytes / rawWire.tiles
  const jpegBytesPerTile = wire.bytes / wire.tiles
  console.log(`[browser] wire bytes per tile: raw ${rawBytesPerTile.toFixed(0)}, jpeg ${jpegBytesPerTile.toFixed(0)} (${(rawBytesPerTile / jpegBytesPerTile).toFixed(1)}× fewer)`)
  expect(jpegBytesPerTile).toBeLessThan(rawBytesPerTile / 4)

  // Against libvips' decode of the file itself, at 100 %: every 37th pixel of the part of the view it covers. The screen
  // may sit half a pixel off the image (a viewer of odd width): the closest of the pixel and its
  // neighbours is compared (the file's stripes make any other content differ by tens of levels).
  const { data } = await sharp(path).raw().toBuffer({ resolveWithObject: true })
  const shot = compressed[0]!
  let worst = 0
  for (let iy = 700 - 290; iy < 700 + 290; iy += 37) {
    for (let ix = WIDTH - 600; ix < WIDTH - 1; ix += 37) {
      const screen = shot.image(ix, iy)
      let best = Infinity
      for (const [dx, dy] of [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1], [1, -1], [-1, 1]] as const) {
        const o = ((iy + dy) * WIDTH + ix + dx) * 3
        best = Math.min(best, Math.max(...[0, 1, 2].map((c) => Math.abs(screen[c]! - data[o + c]!))))
      }
      worst = Math.max(worst, best)
    }
  }
  expect(worst, 'screen vs libvips at 100 %').toBeLessThanOrEqual(2)
})

/** The same picture as a GDAL COG of 256-pixel lossy WebP tiles (GDAL writes RGB WebP tiles without alpha for 3 bands). */
async function webpCog(): Promise<string> {
  const path = imagePath('webp-tiles-cog.tif')
  if (existsSync(path)) return path
  requireGdal()
  const plain = imagePath('webp-tiles-plain.tif')
  await sharp(await jpegTiff()).tiff({ compression: 'none' }).toFile(plain)
  return translate(plain, path, ['-of', 'COG', '-co', 'COMPRESS=WEBP', '-co', 'QUALITY=80', '-co', 'BLOCKSIZE=256'])
}

test('a WebP COG\'s own WebP tiles are decoded in the tile worker and show what the raw tiles show', async ({ viewer, serveUrl, browser }) => {
  const path = await webpCog()
  const views = [
    { centerX: WIDTH - 300, centerY: 700, zoom: 1 },
    { centerX: WIDTH / 2, centerY: HEIGHT / 2, zoom: 0.35 }
  ]
  await compressedAgainstRaw(viewer, browser, serveUrl, path, views, 'webp-tiles')
})
