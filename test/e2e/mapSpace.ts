/**
 * Issue 13, shared by the browser and the Electron specs: layers drawn where they are on the
 * ground. GDAL writes (gdal_translate -a_srs -a_ullr, gdalwarp -t_srs):
 * - dem.tif: an Int16 "DEM", EPSG:32631, 1 m pixels, 1200 × 800 from (512000, 5594000), value
 *   col + 2·row, with two no-data holes (transparent: the checkerboard shows) at known ground places;
 * - hillshade.tif: an RGB "hillshade" of part of it, 5 m pixels, 100 × 100 from (512600, 5593700)
 *   (DEM pixel 600, 300), blocks of 50 m alternately blue and red;
 * - hillshade-3857.tif, hillshade-31370.tif: the hillshade warped to Web Mercator and to Belgian
 *   Lambert 72 (other CRSs, the second with a 7-parameter datum shift);
 * - hillshade-rotated.tif: the hillshade's pixels on a grid turned by 30° about its corner (a
 *   rotated geotransform, written through a VRT);
 * - plain.png: a picture without georeferencing.
 * The screenshot shows each layer's edges (DEM holes, hillshade blocks) on the same ground lines at
 * the same screen pixels; the readout gives the map coordinates, latitude/longitude (as GDAL's
 * gdaltransform), and every layer's value at the cursor.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import sharp from 'sharp'
import type { RGB } from './images'
import { SCREENSHOTS, expect, shoot, waitForLayers, waitForSharp, type Shot } from './helpers'
import { gdal, gdalRaster, newSamples, type Grid } from '../helpers/gdal'

export const DEM = { file: 'dem.tif', width: 1200, height: 800, left: 512000, top: 5594000, pixel: 1 }
export const HILLSHADE = { file: 'hillshade.tif', width: 100, height: 100, left: 512600, top: 5593700, pixel: 5 }
const NO_DATA = -32768
/** Ground rectangles (map x0, x1, y0, y1) where the DEM is no data. */
const HOLES = [
  { x0: 512650, x1: 512750, y0: 5593750, y1: 5593850 }, // north of the hillshade
  { x0: 512400, x1: 512500, y0: 5593550, y1: 5593650 } // west of it
]
const BLUE: RGB = [40, 80, 210]
const RED: RGB = [225, 45, 40]
const GREEN: RGB = [30, 160, 60]
/** The viewer's background (Viewer.create). */
const BACKGROUND: RGB = [0x20, 0x21, 0x24]
/** Side of the hillshade's colour blocks, in its pixels (50 m). */
const BLOCK = 10
/** The hillshade's grid turned by 30° (counter-clockwise on the map) about its top-left corner. */
const TURN = Math.PI / 6
const ROTATED_GT: [number, number, number, number, number, number] = [
  HILLSHADE.left, HILLSHADE.pixel * Math.cos(TURN), HILLSHADE.pixel * Math.sin(TURN),
  HILLSHADE.top, HILLSHADE.pixel * Math.sin(TURN), -HILLSHADE.pixel * Math.cos(TURN)
]

export function demValue(col: number, row: number): number {
  const x = DEM.left + col + 0.5
  const y = DEM.top - row - 0.5
  return HOLES.some((h) => x >= h.x0 && x < h.x1 && y >= h.y0 && y < h.y1) ? NO_DATA : col + 2 * row
}

export function hillshadeColor(col: number, row: number): RGB {
  return (Math.floor(col / BLOCK) + Math.floor(row / BLOCK)) % 2 === 0 ? BLUE : RED
}

export interface MapFiles {
  dem: string
  hillshade: string
  mercator: string
  lambert: string
  rotated: string
  png: string
}

/** Writes the four files into `dir` (once). */
export async function writeMapFiles(dir: string): Promise<MapFiles> {
  mkdirSync(dir, { recursive: true })
  const files: MapFiles = {
    dem: join(dir, DEM.file),
    hillshade: join(dir, HILLSHADE.file),
    mercator: join(dir, 'hillshade-3857.tif'),
    lambert: join(dir, 'hillshade-31370.tif'),
    rotated: join(dir, 'hillshade-rotated.tif'),
    png: join(dir, 'plain.png')
  }
  if (existsSync(files.png)) return files
  const dem: Grid = { width: DEM.width, height: DEM.height, bands: 1, type: 'int16', data: newSamples('int16', DEM.width * DEM.height) }
  for (let row = 0; row < DEM.height; row++) for (let col = 0; col < DEM.width; col++) dem.data[row * DEM.width + col] = demValue(col, row)
  await gdalRaster(dir, 'dem', dem, [
    '-q', '-of', 'GTiff', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-a_nodata', String(NO_DATA),
    '-a_srs', 'EPSG:32631', '-a_ullr', ...ullr(DEM)
  ])
  const hs: Grid = { width: HILLSHADE.width, height: HILLSHADE.height, bands: 3, type: 'uint8', data: newSamples('uint8', HILLSHADE.width * HILLSHADE.height * 3) }
  const plane = HILLSHADE.width * HILLSHADE.height
  for (let row = 0; row < HILLSHADE.height; row++) {
    for (let col = 0; col < HILLSHADE.width; col++) {
      const color = hillshadeColor(col, row)
      for (let b = 0; b < 3; b++) hs.data[b * plane + row * HILLSHADE.width + col] = color[b]!
    }
  }
  await gdalRaster(dir, 'hillshade', hs, ['-q', '-of', 'GTiff', '-co', 'TILED=YES', '-a_srs', 'EPSG:32631', '-a_ullr', ...ullr(HILLSHADE)], { colorInterp: ['Red', 'Green', 'Blue'] })
  await gdalRaster(dir, 'hillshade-rotated', hs, ['-q', '-of', 'GTiff', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=16', '-co', 'BLOCKYSIZE=16'], {
    colorInterp: ['Red', 'Green', 'Blue'],
    srs: 'EPSG:32631',
    geoTransform: ROTATED_GT
  })
  // 1 m Mercator pixels (0.64 m on the ground here): nearest-neighbour resampling moves an edge by under a screen pixel at 1.2 px/m.
  await gdal('gdalwarp', ['-q', '-t_srs', 'EPSG:3857', '-tr', '1', '1', '-dstalpha', '-co', 'TILED=YES', '-of', 'GTiff', files.hillshade, files.mercator])
  await gdal('gdalwarp', ['-q', '-t_srs', 'EPSG:31370', '-tr', '0.5', '0.5', '-dstalpha', '-co', 'TILED=YES', '-of', 'GTiff', files.hillshade, files.lambert])
  const [r, g, b] = GREEN
  await sharp({ create: { width: 64, height: 64, channels: 3, background: { r, g, b } } }).png().toFile(files.png)
  return files
}

function ullr(r: { left: number; top: number; width: number; height: number; pixel: number }): string[] {
  return [r.left, r.top, r.left + r.width * r.pixel, r.top - r.height * r.pixel].map(String)
}

interface MapGlobals {
  __tesseraDiagnostics: {
    setWorldView(v: { centerX: number; centerY: number; zoom: number }): void
    worldView(): { centerX: number; centerY: number; zoom: number; width: number; height: number }
    layers(): string[]
    layerToScreen(rasterId: string, x: number, y: number): { x: number; y: number } | null
  }
}

/** Places the camera on a map point (EPSG:32631) at `zoom` screen pixels per metre. */
export async function lookAt(page: Page, x: number, y: number, zoom: number): Promise<void> {
  await page.evaluate((v) => (globalThis as unknown as MapGlobals).__tesseraDiagnostics.setWorldView(v), { centerX: x, centerY: -y, zoom })
}

async function worldView(page: Page): Promise<{ centerX: number; centerY: number; zoom: number; width: number; height: number }> {
  return page.evaluate(() => (globalThis as unknown as MapGlobals).__tesseraDiagnostics.worldView())
}

/** Screen point (viewer pixels) of a map point under a world view. */
function mapToScreen(view: { centerX: number; centerY: number; zoom: number; width: number; height: number }, x: number, y: number): { x: number; y: number } {
  return { x: (x - view.centerX) * view.zoom + view.width / 2, y: (-y - view.centerY) * view.zoom + view.height / 2 }
}

type Kind = 'checker' | 'blue' | 'red' | 'other'
function kindOf([r, g, b]: RGB): Kind {
  if (r === g && g === b && (Math.abs(r - 204) <= 2 || Math.abs(r - 153) <= 2)) return 'checker'
  const near = (c: RGB): boolean => Math.abs(r - c[0]) <= 8 && Math.abs(g - c[1]) <= 8 && Math.abs(b - c[2]) <= 8
  return near(BLUE) ? 'blue' : near(RED) ? 'red' : 'other'
}

/**
 * Where, along a screen line, the picture changes kind (checkerboard, blue, red, other) within
 * `reach` pixels of `expected`: the coordinate of the first pixel of the new kind.
 */
function edgeAlong(shot: Shot, axis: 'x' | 'y', expected: number, fixed: number, reach = 8): number | null {
  const at = (t: number): RGB => (axis === 'x' ? shot.at(t, fixed) : shot.at(fixed, t))
  const from = Math.floor(expected) - reach
  let previous = kindOf(at(from))
  for (let t = from + 1; t <= Math.floor(expected) + reach; t++) {
    const kind = kindOf(at(t))
    if (kind !== previous) return t
    previous = kind
  }
  return null
}

/** One ground line drawn by both layers: where each draws it on screen. */
export interface GroundCheck {
  ground: string
  predicted: number
  inDem: number | null
  inHillshade: number | null
  /** Where the Web Mercator copy of the hillshade, reprojected on the fly, draws it (expectReprojectedOnTheGround). */
  inMercator?: number | null
  /** Where the Belgian Lambert 72 copy draws it. */
  inLambert?: number | null
}

/** The centre of the view the ground checks look at, and its zoom (screen pixels per metre). */
const CHECK_VIEW = { x: 512700.15, y: 5593650.2, zoom: 1.2 }

/** Where the hillshade's block edges are on screen along the four ground lines (see expectLayersOnTheGround). */
function hillshadeEdges(shot: Shot, screen: (x: number, y: number) => { x: number; y: number }): Array<number | null> {
  return [
    ...[HOLES[0]!.x0, HOLES[0]!.x1].map((x) => edgeAlong(shot, 'x', screen(x, 0).x, screen(0, 5593522.5).y)),
    ...[HOLES[1]!.y1, HOLES[1]!.y0].map((y) => edgeAlong(shot, 'y', screen(0, y).y, screen(512627.5, 0).x))
  ]
}

/**
 * Opens the DEM and the hillshade together, looks at their overlap, and checks by screenshot that
 * four ground lines (two meridian-like, two parallel-like) are drawn at the same screen pixel by
 * each layer (DEM: edges of its no-data holes; hillshade: edges of its colour blocks), within a
 * pixel of where the view puts them. Returns the table of the checks.
 */
export async function expectLayersOnTheGround(page: Page, prefix: string): Promise<GroundCheck[]> {
  await waitForLayers(page, 2)
  // Coloured (viridis) so that the DEM is never taken for the checkerboard's greys.
  await page.getByLabel('Colour map', { exact: true }).selectOption('viridis')
  // A centre off the pixel grid: no ground line passes through screen pixel centres (an edge there is either pixel).
  await lookAt(page, CHECK_VIEW.x, CHECK_VIEW.y, CHECK_VIEW.zoom)
  await waitForSharp(page)
  const shot = await shoot(page, `${prefix}-map-overlap`)
  const view = await worldView(page)
  const screen = (x: number, y: number): { x: number; y: number } => mapToScreen(view, x, y)

  // Pixel centres: the hillshade's blocks where it lies, the DEM's holes show the checkerboard.
  for (const [col, row] of [[5, 5], [15, 5], [55, 35], [95, 95]] as const) {
    const p = screen(HILLSHADE.left + (col + 0.5) * HILLSHADE.pixel, HILLSHADE.top - (row + 0.5) * HILLSHADE.pixel)
    if (p.x < 0 || p.y < 0 || p.x >= shot.width || p.y >= shot.height) continue
    expect(kindOf(shot.at(p.x, p.y)), `hillshade block at its pixel ${col},${row}`).toBe(kindOf(hillshadeColor(col, row)))
  }
  for (const hole of HOLES) {
    const p = screen((hole.x0 + hole.x1) / 2, (hole.y0 + hole.y1) / 2)
    expect(kindOf(shot.at(p.x, p.y)), `DEM no-data hole at ${hole.x0},${hole.y0}`).toBe('checker')
  }

  const checks: GroundCheck[] = []
  const inHillshade = hillshadeEdges(shot, screen)
  // Meridian-like lines: hole H1's west and east edges (DEM), hillshade block edges (x = 512650, 512750).
  for (const x of [HOLES[0]!.x0, HOLES[0]!.x1]) {
    const predicted = screen(x, 0).x
    checks.push({ ground: `x = ${x}`, predicted, inDem: edgeAlong(shot, 'x', predicted, screen(0, 5593800).y), inHillshade: inHillshade[checks.length]! })
  }
  // Parallel-like lines: hole H2's north and south edges (DEM), hillshade block edges (y = 5593650, 5593550).
  for (const y of [HOLES[1]!.y1, HOLES[1]!.y0]) {
    const predicted = screen(0, y).y
    checks.push({ ground: `y = ${y}`, predicted, inDem: edgeAlong(shot, 'y', predicted, screen(512450, 0).x), inHillshade: inHillshade[checks.length]! })
  }
  writeFileSync(join(SCREENSHOTS, `${prefix}-ground-checks.json`), JSON.stringify(checks, null, 2))
  for (const c of checks) {
    expect(c.inDem, `${c.ground}: an edge of the DEM near screen ${c.predicted.toFixed(2)}`).not.toBeNull()
    expect(c.inHillshade, `${c.ground}: an edge of the hillshade near screen ${c.predicted.toFixed(2)}`).not.toBeNull()
    // The first pixel of the new kind is the one whose centre is past the line.
    expect(Math.abs(c.inDem! - c.predicted), `${c.ground}: DEM edge at ${c.inDem}, view puts it at ${c.predicted.toFixed(2)}`).toBeLessThanOrEqual(1)
    expect(Math.abs(c.inHillshade! - c.predicted), `${c.ground}: hillshade edge at ${c.inHillshade}, view puts it at ${c.predicted.toFixed(2)}`).toBeLessThanOrEqual(1)
    expect(Math.abs(c.inDem! - c.inHillshade!), `${c.ground}: both layers draw it at the same pixel`).toBeLessThanOrEqual(1)
  }
  return checks
}

/** Latitude/longitude of a UTM 31N point as GDAL computes it. */
function gdalLatLon(x: number, y: number): { lat: number; lon: number } {
  const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:32631', '-t_srs', 'EPSG:4326', '-output_xy'], { input: `${x} ${y}\n` }).toString().trim().split(/\s+/)
  return { lon: Number(out[0]), lat: Number(out[1]) }
}

/** Moves the mouse over a map point and checks the readout: map coordinates, lat/lon, each layer's value. */
export async function expectReadout(page: Page, prefix: string): Promise<void> {
  const view = await worldView(page)
  const box = (await page.getByTestId('viewer').boundingBox())!
  const pointAt = async (x: number, y: number): Promise<void> => {
    const s = mapToScreen(view, x, y)
    await page.mouse.move(box.x + s.x, box.y + s.y)
  }
  // Over both layers: DEM pixel (900, 549), hillshade pixel (60, 49).
  const ground = { x: 512900.5, y: 5593450.5 }
  await pointAt(ground.x, ground.y)
  const map = page.getByTestId('status-map')
  await expect(map).toContainText('(EPSG:32631)')
  const [mx, my] = ((await map.textContent()) ?? '').split(/[ ,]+/).map(Number)
  expect(Math.abs(mx! - ground.x), `map X ${mx}`).toBeLessThan(0.6)
  expect(Math.abs(my! - ground.y), `map Y ${my}`).toBeLessThan(0.6)
  const latLon = (await page.getByTestId('status-latlon').textContent()) ?? ''
  const [, lat, lon] = /([\d.]+)° N, ([\d.]+)° E/.exec(latLon) ?? []
  const reference = gdalLatLon(mx!, my!)
  expect(Math.abs(Number(lat) - reference.lat), `latitude ${latLon} vs GDAL ${reference.lat}`).toBeLessThan(2e-6)
  expect(Math.abs(Number(lon) - reference.lon), `longitude ${latLon} vs GDAL ${reference.lon}`).toBeLessThan(2e-6)
  const layers = page.getByTestId('status-layers')
  await expect(layers).toContainText(`${DEM.file}: ${demValue(900, 549)}`)
  await expect(layers).toContainText(`${HILLSHADE.file}: ${hillshadeColor(60, 49).join(', ')}`)
  await expect(page.getByTestId('status-position')).toHaveText('x 60  y 49') // the top layer's pixel
  await shoot(page, `${prefix}-map-readout`)
  // Over the DEM only: the hillshade has no data there; over a DEM hole, the DEM has none.
  await pointAt(512420.5, 5593880.5)
  await expect(layers).toContainText(`${DEM.file}: ${demValue(420, 119)}`)
  await expect(layers).toContainText(`${HILLSHADE.file}: no data`)
  await pointAt(512700.5, 5593800.5)
  await expect(layers).toContainText(`${DEM.file}: no data`)
  // A scale bar in ground metres: 100 m at 1.2 screen pixels per metre (UTM's scale factor aside).
  await expect(page.getByTestId('status-scale')).toHaveText('100 m')
  const pixels = Number((await page.getByTestId('status-scale').getAttribute('data-pixels'))!.replace('px', ''))
  expect(Math.abs(pixels - 120)).toBeLessThanOrEqual(1)
}

/**
 * Adds the picture without georeferencing: its info says where it is drawn; "zoom to layer" shows
 * it at the world origin; fit shows every layer.
 */
export async function expectMixedLayers(page: Page, drop: (paths: string[]) => Promise<void>, files: MapFiles, prefix: string): Promise<void> {
  const before = await page.evaluate(() => (globalThis as unknown as MapGlobals).__tesseraDiagnostics.layers().length)
  await drop([files.png])
  await waitForLayers(page, before + 1)
  const png = page.getByTestId('layer').filter({ hasText: 'plain.png' })
  await expect(png.getByTestId('layer-placement')).toContainText('Not georeferenced: drawn at the map origin (0, 0), one map unit per pixel')
  await png.getByTestId('layer-zoom').click()
  const view = await worldView(page)
  expect(view.centerX).toBeCloseTo(32, 6)
  expect(view.centerY).toBeCloseTo(32, 6)
  await waitForSharp(page)
  const shot = await shoot(page, `${prefix}-map-plain-png`)
  expect(kindOf(shot.at(shot.width / 2, shot.height / 2))).toBe('other')
  const [r, g, b] = shot.at(shot.width / 2, shot.height / 2)
  expect(Math.abs(r - GREEN[0]) + Math.abs(g - GREEN[1]) + Math.abs(b - GREEN[2])).toBeLessThanOrEqual(9)

  await expect(page.getByTestId('layer').filter({ hasText: DEM.file }).getByTestId('layer-placement')).toHaveCount(0)

  // Fit (key 0) shows the georeferenced layers: the picture at the map origin, a continent away,
  // is left out while they are shown (issue 21; it used to be fitted with them, and neither showed).
  await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('0')
  const fitted = await worldView(page)
  expect(fitted.centerX - (fitted.width / 2) / fitted.zoom).toBeGreaterThan(0)
  expect(fitted.centerX - (fitted.width / 2) / fitted.zoom).toBeLessThanOrEqual(DEM.left)
  expect(fitted.centerX + (fitted.width / 2) / fitted.zoom).toBeGreaterThanOrEqual(DEM.left + DEM.width)
  await shoot(page, `${prefix}-map-fit-all`)
}

/**
 * Adds the hillshade warped by gdalwarp to Web Mercator, then to Belgian Lambert 72: each is
 * reprojected on the fly (its info says so; Lambert 72 once its definition is found in the
 * definitions list) and, with the other hillshades hidden, draws the same block edges on the same
 * ground lines (within a screen pixel and the warp's own nearest-neighbour resampling). Fills
 * `checks`' inMercator and inLambert.
 */
export async function expectReprojectedOnTheGround(page: Page, drop: (paths: string[]) => Promise<void>, files: MapFiles, checks: GroundCheck[], prefix: string): Promise<void> {
  const copies = [
    { path: files.mercator, name: 'hillshade-3857.tif', epsg: 3857, key: 'inMercator' as const },
    { path: files.lambert, name: 'hillshade-31370.tif', epsg: 31370, key: 'inLambert' as const }
  ]
  const hidden: string[] = [HILLSHADE.file]
  for (const copy of copies) {
    const before = await page.evaluate(() => (globalThis as unknown as MapGlobals).__tesseraDiagnostics.layers().length)
    await drop([copy.path])
    await waitForLayers(page, before + 1)
    const row = page.getByTestId('layer').filter({ hasText: copy.name })
    await expect(row.getByTestId('layer-placement')).toHaveText(`EPSG:${copy.epsg} reprojected on the fly to the view's EPSG:32631`)
    for (const name of hidden) await page.getByLabel(`Show ${name}`).uncheck()
    await lookAt(page, CHECK_VIEW.x, CHECK_VIEW.y, CHECK_VIEW.zoom)
    await waitForSharp(page)
    const shot = await shoot(page, `${prefix}-map-reprojected-${copy.epsg}`)
    const view = await worldView(page)
    const screen = (x: number, y: number): { x: number; y: number } => mapToScreen(view, x, y)
    for (const [col, row] of [[5, 5], [15, 5], [5, 25], [35, 15]] as const) {
      const p = screen(HILLSHADE.left + (col + 0.5) * HILLSHADE.pixel, HILLSHADE.top - (row + 0.5) * HILLSHADE.pixel)
      expect(kindOf(shot.at(p.x, p.y)), `${copy.name} block at the hillshade's pixel ${col},${row}`).toBe(kindOf(hillshadeColor(col, row)))
    }
    const edges = hillshadeEdges(shot, screen)
    checks.forEach((c, i) => {
      const edge = edges[i]!
      c[copy.key] = edge
      expect(edge, `${c.ground}: an edge of ${copy.name} near ${c.predicted.toFixed(2)}`).not.toBeNull()
      expect(Math.abs(edge! - c.predicted), `${c.ground}: ${copy.name} edge at ${edge}, view puts it at ${c.predicted.toFixed(2)}`).toBeLessThanOrEqual(1.5)
    })
    hidden.push(copy.name)
  }
  writeFileSync(join(SCREENSHOTS, `${prefix}-ground-checks.json`), JSON.stringify(checks, null, 2))
  for (const name of hidden) await page.getByLabel(`Show ${name}`).check()
}

/**
 * Adds the hillshade on a grid turned by 30°: with the other hillshades hidden, the centre of each
 * of its colour blocks on screen shows that block's colour where its rotated geotransform puts it
 * on the ground (every tile the turned view meets is planned and drawn), and the readout names the
 * block's colour there.
 */
export async function expectRotatedOnTheGround(page: Page, drop: (paths: string[]) => Promise<void>, files: MapFiles, prefix: string): Promise<number> {
  const before = await page.evaluate(() => (globalThis as unknown as MapGlobals).__tesseraDiagnostics.layers().length)
  await drop([files.rotated])
  await waitForLayers(page, before + 1)
  const others = [HILLSHADE.file, 'hillshade-3857.tif', 'hillshade-31370.tif']
  for (const name of others) await page.getByLabel(`Show ${name}`).uncheck()
  const ground = (col: number, row: number): { x: number; y: number } => ({
    x: ROTATED_GT[0] + col * ROTATED_GT[1] + row * ROTATED_GT[2],
    y: ROTATED_GT[3] + col * ROTATED_GT[4] + row * ROTATED_GT[5]
  })
  const centre = ground(40, 40)
  await lookAt(page, centre.x, centre.y, 1.2)
  await waitForSharp(page)
  const shot = await shoot(page, `${prefix}-map-rotated`)
  const view = await worldView(page)
  let checked = 0
  for (let bj = 0; bj < HILLSHADE.height / BLOCK; bj++) {
    for (let bi = 0; bi < HILLSHADE.width / BLOCK; bi++) {
      const g = ground(bi * BLOCK + BLOCK / 2, bj * BLOCK + BLOCK / 2)
      const p = mapToScreen(view, g.x, g.y)
      if (p.x < 5 || p.y < 5 || p.x >= shot.width - 5 || p.y >= shot.height - 5) continue
      expect(kindOf(shot.at(p.x, p.y)), `rotated block ${bi},${bj} at screen ${p.x.toFixed(1)},${p.y.toFixed(1)}`).toBe(kindOf(hillshadeColor(bi * BLOCK, bj * BLOCK)))
      checked++
    }
  }
  expect(checked, 'rotated blocks on screen').toBeGreaterThan(20)
  const box = (await page.getByTestId('viewer').boundingBox())!
  const at = mapToScreen(view, ground(45.5, 35.5).x, ground(45.5, 35.5).y) // the centre of pixel (45, 35)
  await page.mouse.move(box.x + at.x, box.y + at.y)
  await expect(page.getByTestId('status-layers')).toContainText(`hillshade-rotated.tif: ${hillshadeColor(45, 35).join(', ')}`)
  await expect(page.getByTestId('status-position')).toHaveText('x 45  y 35')
  for (const name of others) await page.getByLabel(`Show ${name}`).check()
  await page.getByLabel('Show hillshade-rotated.tif').uncheck()
  return checked
}

/** A UTM 31N point in another CRS, as GDAL's gdaltransform computes it. */
function gdalTransform(x: number, y: number, to: string): { x: number; y: number } {
  const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:32631', '-t_srs', to, '-output_xy'], { input: `${x} ${y}\n` }).toString().trim().split(/\s+/)
  return { x: Number(out[0]), y: Number(out[1]) }
}

/**
 * Puts the view in Web Mercator from the status bar's CRS list: the DEM is then the reprojected one
 * (its info says so), the point at the centre stays on the same ground (same latitude/longitude
 * under the cursor), the DEM's holes (the background: no checkerboard under a reprojected layer)
 * and the hillshade's blocks are where GDAL puts their ground points in Web Mercator; then back to UTM.
 */
export async function expectViewCrsChange(page: Page, prefix: string): Promise<void> {
  await lookAt(page, CHECK_VIEW.x, CHECK_VIEW.y, CHECK_VIEW.zoom)
  await waitForSharp(page)
  const box = (await page.getByTestId('viewer').boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const latLon = page.getByTestId('status-latlon')
  await expect(page.getByTestId('status-map')).toContainText('(EPSG:32631)')
  const before = (await latLon.textContent()) ?? ''
  await page.getByTestId('status-crs').selectOption('3857')
  await expect(page.getByTestId('layer').filter({ hasText: DEM.file }).getByTestId('layer-placement')).toHaveText("EPSG:32631 reprojected on the fly to the view's EPSG:3857")
  await expect(page.getByTestId('status-map')).toContainText('(EPSG:3857)')
  const degrees = (text: string): number[] => (/([\d.]+)° N, ([\d.]+)° E/.exec(text) ?? []).slice(1).map(Number)
  const [lat0, lon0] = degrees(before)
  await expect.poll(async () => {
    const [lat1, lon1] = degrees((await latLon.textContent()) ?? '')
    return Math.max(Math.abs(lat1! - lat0!), Math.abs(lon1! - lon0!))
  }, { message: `the same ground at the centre: ${before}` }).toBeLessThan(1e-5)
  await waitForSharp(page)
  const shot = await shoot(page, `${prefix}-map-view-3857`)
  const view = await worldView(page)
  for (const hole of HOLES) {
    const m = gdalTransform((hole.x0 + hole.x1) / 2, (hole.y0 + hole.y1) / 2, 'EPSG:3857')
    const p = mapToScreen(view, m.x, m.y)
    // A reprojected layer has no checkerboard under it (its outline bends): the background shows.
    const [r, g, b] = shot.at(p.x, p.y)
    expect(Math.max(Math.abs(r - BACKGROUND[0]), Math.abs(g - BACKGROUND[1]), Math.abs(b - BACKGROUND[2])), `DEM hole at ${hole.x0},${hole.y0} in Web Mercator: ${r},${g},${b}`).toBeLessThanOrEqual(6)
  }
  for (const [col, row] of [[5, 5], [15, 5], [5, 15]] as const) {
    const m = gdalTransform(HILLSHADE.left + (col + 0.5) * HILLSHADE.pixel, HILLSHADE.top - (row + 0.5) * HILLSHADE.pixel, 'EPSG:3857')
    const p = mapToScreen(view, m.x, m.y)
    expect(kindOf(shot.at(p.x, p.y)), `hillshade block ${col},${row} in Web Mercator`).toBe(kindOf(hillshadeColor(col, row)))
  }
  await page.getByTestId('status-crs').selectOption('32631')
  await expect(page.getByTestId('status-map')).toContainText('(EPSG:32631)')
}
