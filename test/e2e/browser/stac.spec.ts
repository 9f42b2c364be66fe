/**
 * STAC in a browser against `npm run serve` (issue 25): a static catalog (a root, a child
 * collection, two items) served by Debian's nginx beside two COGs that GDAL wrote, opened by its
 * URL with Ctrl+L. The browser lists the items with their dates; one is picked by its row and its
 * COG asset opened: the layer's pixels are drawn inside the item's footprint outline; the other is
 * picked by a click on its footprint on the view and opened: its pixels are inside its footprint.
 * GDAL and nginx are required: without them this fails with the reason.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { gdal, requireGdal } from '../../helpers/gdal'
import { requireNginx, startNginx, type NginxServer } from '../../helpers/nginx'
import { expect, expectColor, shoot, test, waitForLayers, waitForSharp } from '../helpers'

type Bounds = [number, number, number, number]
const WEST: Bounds = [5.0, 50.0, 5.5, 50.5]
const EAST: Bounds = [5.5, 50.0, 6.0, 50.5]
const RED: [number, number, number] = [200, 40, 40]
const BLUE: [number, number, number] = [40, 60, 210]
const COG_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized'

/** A 3-band COG of one colour over `bounds` (WGS 84). */
async function writeCog(dir: string, name: string, [w, s, e, n]: Bounds, colour: readonly number[]): Promise<void> {
  const plain = join(dir, `${name}.plain.tif`)
  await gdal('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '512', '512', '-bands', '3', '-ot', 'Byte', ...colour.flatMap((c) => ['-burn', String(c)]), '-a_srs', 'EPSG:4326', '-a_ullr', `${w}`, `${n}`, `${e}`, `${s}`, plain])
  await gdal('gdal_translate', ['-q', '-of', 'COG', '-co', 'BLOCKSIZE=256', plain, join(dir, 'site', 'cogs', `${name}.tif`)])
}

function item(id: string, [w, s, e, n]: Bounds, datetime: string, cogHref: string): unknown {
  const ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
  return {
    type: 'Feature', stac_version: '1.0.0', id, bbox: [w, s, e, n], geometry: { type: 'Polygon', coordinates: [ring] }, properties: { datetime }, links: [],
    assets: { data: { href: cogHref, type: COG_TYPE, roles: ['data'], title: `${id} COG` }, thumbnail: { href: `${id}.png`, type: 'image/png', roles: ['thumbnail'] } }
  }
}

function writeJson(dir: string, path: string, value: unknown): void {
  mkdirSync(join(dir, 'site', path, '..'), { recursive: true, mode: 0o755 })
  writeFileSync(join(dir, 'site', path), JSON.stringify(value))
}

/** Places the camera in world units: longitude, −latitude, screen pixels per degree. */
async function setWorldView(page: Page, view: { centerX: number; centerY: number; zoom: number }): Promise<void> {
  await page.evaluate((v) => (globalThis as unknown as { __tesseraDiagnostics: { setWorldView(view: unknown): void } }).__tesseraDiagnostics.setWorldView(v), view)
}

/** The page point at the centre of an item's footprint outline on the view (its box grows with the stroke's joins, evenly). */
async function footprintCentre(page: Page, id: string): Promise<{ x: number; y: number }> {
  const outline = page.locator(`[data-testid="stac-footprint"][data-item="${id}"]`)
  await expect(outline).toHaveCount(1)
  const box = (await outline.boundingBox())!
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

test.describe('STAC, in a browser', () => {
  let root = ''
  let nginx: NginxServer | undefined

  test.beforeAll(async () => {
    requireGdal()
    requireNginx()
    root = mkdtempSync(join(tmpdir(), 'tessera-e2e-stac-'))
    chmodSync(root, 0o755)
    mkdirSync(join(root, 'site', 'cogs'), { recursive: true, mode: 0o755 })
    await writeCog(root, 'west', WEST, RED)
    await writeCog(root, 'east', EAST, BLUE)
    writeJson(root, 'stac/catalog.json', { type: 'Catalog', stac_version: '1.0.0', id: 'tiles', title: 'Two tiles', description: 'A static catalog', links: [{ rel: 'child', href: './tiles/collection.json' }] })
    writeJson(root, 'stac/tiles/collection.json', {
      type: 'Collection', stac_version: '1.0.0', id: 'tiles-collection', description: 'Two tiles', license: 'CC0-1.0',
      extent: { spatial: { bbox: [[5, 50, 6, 50.5]] }, temporal: { interval: [['2021-01-01T00:00:00Z', null]] } },
      links: [{ rel: 'item', href: './west/west.json' }, { rel: 'item', href: './east/east.json' }]
    })
    writeJson(root, 'stac/tiles/west/west.json', item('west', WEST, '2021-06-01T00:00:00Z', '../../../cogs/west.tif'))
    writeJson(root, 'stac/tiles/east/east.json', item('east', EAST, '2022-03-04T00:00:00Z', '/cogs/east.tif'))
    nginx = await startNginx(join(root, 'site'))
  })

  test.afterAll(async () => {
    await nginx?.stop()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  test('Ctrl+L opens a catalog: its items listed, one opened by its row, the other by its footprint, each drawn inside its footprint', async ({ viewer: page }) => {
    await page.keyboard.press('Control+L')
    await page.getByTestId('open-url-input').fill(nginx!.url('/stac/catalog.json'))
    await page.getByTestId('open-url-input').press('Enter')

    const browser = page.getByTestId('stac-browser')
    await expect(browser).toBeVisible()
    await expect(page.getByTestId('stac-title')).toHaveText('Two tiles')
    await expect(page.getByTestId('stac-note')).toHaveText('STAC Catalog · 2 items')
    const rows = page.getByTestId('stac-item')
    await expect(rows).toHaveText(['west2021-06-01', 'east2022-03-04'])
    // No layer yet, so no CRS: the footprints are on the small map only.
    await expect(page.locator('.stac-map-footprint')).toHaveCount(2)
    await expect(page.getByTestId('stac-footprint')).toHaveCount(0)

    // West, by its row: its one COG asset ticked, its thumbnail not openable.
    await rows.filter({ hasText: 'west' }).click()
    await expect(page.locator('[data-testid="stac-asset"][data-asset="data"] input')).toBeChecked()
    await expect(page.locator('[data-testid="stac-asset"][data-asset="thumbnail"] input')).toBeDisabled()
    await page.getByTestId('stac-open').click()
    await waitForLayers(page, 1)
    await expect(page.getByTestId('layer-name')).toHaveText('west.tif')
    await waitForSharp(page)

    // The view is in the COG's CRS now: both outlines drawn; west's holds its red pixels.
    await expect(page.getByTestId('stac-footprint')).toHaveCount(2)
    const box = (await page.getByTestId('viewer').boundingBox())!
    // Both tiles on screen, right of the panel (320 px): 1.0° × 0.5° from the view's middle to 97 % of its width.
    const zoom = Math.min((box.width * 0.47) / 1.0, (box.height * 0.8) / 0.5)
    await setWorldView(page, { centerX: 5.5 - (box.width * 0.235) / zoom, centerY: -50.25, zoom })
    await waitForSharp(page)
    // Each tile is 0.5° square: its outline's centre where the camera puts the tile's centre.
    const side = 0.5 * zoom
    const west = await footprintCentre(page, 'west')
    const east = await footprintCentre(page, 'east')
    expect(Math.abs(west.x - (box.x + box.width * 0.5 + side / 2))).toBeLessThan(1)
    expect(Math.abs(east.x - west.x - side)).toBeLessThan(1)
    expect(Math.abs(east.y - west.y)).toBeLessThan(1)
    expect(Math.abs(west.y - (box.y + box.height / 2))).toBeLessThan(1)

    // East, by a click inside its footprint on the view.
    await page.mouse.click(east.x, east.y)
    await expect(rows.filter({ hasText: 'east' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.locator('[data-testid="stac-footprint"][data-item="east"]')).toHaveClass(/selected/)
    await page.getByTestId('stac-open').click()
    await waitForLayers(page, 2)
    await waitForSharp(page)

    const shot = await shoot(page, 'stac-two-items')
    // Points of the view at fractions of a footprint (0.5, 0.5: its centre).
    const inside = (c: typeof west, fx: number, fy: number): [number, number] => [c.x - box.x + (fx - 0.5) * side, c.y - box.y + (fy - 0.5) * side]
    for (const [fx, fy] of [[0.5, 0.5], [0.05, 0.05], [0.95, 0.95], [0.05, 0.95], [0.95, 0.05]] as const) {
      expectColor(shot.at(...inside(west, fx, fy)), RED, `west's pixels at ${fx},${fy} of its footprint`)
      expectColor(shot.at(...inside(east, fx, fy)), BLUE, `east's pixels at ${fx},${fy} of its footprint`)
    }
    // Nothing drawn outside both footprints (above them).
    const above = shot.at(...inside(east, 0.5, -0.2))
    expect(above.join(',')).not.toBe(BLUE.join(','))
  })
})
