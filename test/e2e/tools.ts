/**
 * Issue 23's profile and measure tools end to end, shared by the browser and the Electron specs.
 * GDAL writes a Float32 DEM in UTM 31N (EPSG:32631), 10 m pixels, with no-data holes (a disk and a
 * strip on the left). A profile drawn across it gives, at its vertices, the values
 * `gdallocationinfo` reads at the same level-0 pixels (no data where GDAL reads the no-data value),
 * and its CSV holds the same values, with gaps across the hole. A line and a polygon measured on it
 * give the lengths and area GeographicLib computes here from the same map points, taken to
 * latitude/longitude by GDAL's `gdaltransform`. The drawing follows a zoom and a turn of the view.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { floatWithHoles, gdalRaster, gdalTransform } from '../helpers/gdal'
import { gdalLocationValues } from '../helpers/locationInfo'
import { expect, frames, shoot, waitForLayers, waitForSharp } from './helpers'

// A CommonJS (UMD) package: Node's ESM loader sees no named exports in it.
const { Geodesic } = createRequire(import.meta.url)('geographiclib-geodesic') as typeof import('geographiclib-geodesic')

export const TOOLS_DEM = { file: 'tools-dem.tif', noCrsFile: 'tools-dem-no-crs.tif', width: 700, height: 500, left: 500000, top: 5600000, pixel: 10, noData: -9999 }

/** Writes the DEM into `dir` (once); returns its path. */
export async function writeToolsDem(dir: string): Promise<string> {
  const path = join(dir, TOOLS_DEM.file)
  if (existsSync(path)) return path
  const { width, height, left, top, pixel, noData } = TOOLS_DEM
  return gdalRaster(dir, 'tools-dem', floatWithHoles(width, height, noData), ['-co', 'TILED=YES', '-co', 'COMPRESS=LZW'], {
    srs: 'EPSG:32631',
    geoTransform: [left, pixel, 0, top, 0, -pixel],
    noData
  })
}

/** Writes the same DEM placed by its geotransform alone, no CRS (once); returns its path. */
export async function writeToolsDemWithoutCrs(dir: string): Promise<string> {
  const path = join(dir, TOOLS_DEM.noCrsFile)
  if (existsSync(path)) return path
  const { width, height, left, top, pixel, noData } = TOOLS_DEM
  return gdalRaster(dir, 'tools-dem-no-crs', floatWithHoles(width, height, noData), ['--config', 'GDAL_PAM_ENABLED', 'NO', '-co', 'TILED=YES'], {
    geoTransform: [left, pixel, 0, top, 0, -pixel],
    noData
  })
}

interface ToolsGlobals {
  __tesseraDiagnostics: { mapToScreen(x: number, y: number): { x: number; y: number }; worldView(): { zoom: number } }
}

/** The client (window) point where map point (x, y) is drawn. */
async function clientOf(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('viewer').boundingBox())!
  const p = await page.evaluate(([mx, my]) => (globalThis as unknown as ToolsGlobals).__tesseraDiagnostics.mapToScreen(mx!, my!), [x, y])
  return { x: box.x + p.x, y: box.y + p.y }
}

/** A map point of the DEM at pixel (col, row): its top-left corner plus a fraction of a pixel. */
function mapOfPixel(col: number, row: number): { x: number; y: number } {
  return { x: TOOLS_DEM.left + (col + 0.3) * TOOLS_DEM.pixel, y: TOOLS_DEM.top - (row + 0.6) * TOOLS_DEM.pixel }
}

/** Opens the DEM and waits until it is sharp, fitted. */
async function openDem(page: Page, drop: (paths: string[]) => Promise<void>, path: string): Promise<void> {
  await drop([path])
  await waitForLayers(page, 1)
  await waitForSharp(page)
}

/**
 * Clicks the map points in turn with the active tool; the last one is double-clicked (finishing the
 * line) when `finishBy` is 'dblclick', else Enter finishes it.
 */
async function drawLine(page: Page, points: Array<{ x: number; y: number }>, finishBy: 'dblclick' | 'enter'): Promise<void> {
  for (const [i, p] of points.entries()) {
    const at = await clientOf(page, p.x, p.y)
    if (i === points.length - 1 && finishBy === 'dblclick') await page.mouse.dblclick(at.x, at.y)
    else await page.mouse.click(at.x, at.y)
    await frames(page, 1)
  }
  if (finishBy === 'enter') await page.keyboard.press('Enter')
}

/**
 * A profile across the DEM (through its no-data disk): the values at its vertices are
 * gdallocationinfo's at the same pixels; the CSV export holds every sample, the vertices' values,
 * and gaps where the line crosses no data; the chart's cursor marks the point on the view.
 */
export async function expectProfileValues(page: Page, drop: (paths: string[]) => Promise<void>, path: string, shotName: string): Promise<void> {
  await openDem(page, drop, path)
  await page.getByTestId('tool-profile').click()
  await expect(page.getByTestId('tool-profile')).toHaveAttribute('aria-pressed', 'true')
  // From the upper left, across the no-data disk (centre 62 %, 45 % of the raster), to the right.
  const pixels = [
    { col: 120, row: 60 },
    { col: 430, row: 225 },
    { col: 610, row: 120 },
    { col: 660, row: 300 }
  ]
  await drawLine(page, pixels.map((p) => mapOfPixel(p.col, p.row)), 'dblclick')
  const panel = page.getByTestId('profile-panel')
  await expect(panel).toHaveAttribute('data-ready', 'true', { timeout: 60_000 })
  await expect(page.getByTestId('profile-status')).toContainText('geodesic, WGS 84')
  const cells = page.getByTestId('profile-vertex-value')
  await expect(cells).toHaveCount(pixels.length)
  const vertices = await cells.evaluateAll((els) => els.map((el) => ({ x: Number(el.getAttribute('data-col')), y: Number(el.getAttribute('data-row')), value: el.getAttribute('data-value') })))
  // Each vertex is the pixel clicked.
  expect(vertices.map((v) => ({ col: v.x, row: v.y }))).toEqual(pixels)
  const gdalValues = await gdalLocationValues(path, vertices)
  vertices.forEach((v, i) => {
    const reference = gdalValues[i]![0]!
    if (reference === TOOLS_DEM.noData) expect(v.value, `vertex ${i + 1} at ${v.x},${v.y}`).toBe('')
    else expect(Number(v.value), `vertex ${i + 1} at ${v.x},${v.y}: gdallocationinfo says ${reference}`).toBe(Math.fround(reference))
  })

  // The chart's cursor marks its point on the view.
  const chart = page.getByTestId('profile-chart')
  const box = (await chart.boundingBox())!
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5)
  await expect(page.getByTestId('profile-marker')).toHaveCount(1)
  await expect(page.getByTestId('profile-readout')).toContainText(TOOLS_DEM.file)
  await shoot(page, shotName)

  // The CSV: distance, x, y, then the layer; every sample; the vertices' values; gaps across the hole.
  const download = page.waitForEvent('download')
  await page.getByTestId('profile-csv').click()
  const file = await (await download).path()
  const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n')
  expect(lines[0]).toBe(`distance_m,x,y,${TOOLS_DEM.file}`)
  const rows = lines.slice(1).map((line) => line.split(','))
  const samples = Number(/^(\d+) samples/.exec((await page.getByTestId('profile-status').textContent()) ?? '')?.[1])
  expect(rows).toHaveLength(samples)
  const distances = rows.map((r) => Number(r[0]))
  for (let i = 1; i < distances.length; i++) expect(distances[i]!).toBeGreaterThan(distances[i - 1]!)
  expect(rows.some((r) => r[3] === '')).toBe(true) // the no-data disk
  // Samples one finest pixel apart (10 m on the map; UTM's scale near 3° E, 50° N keeps the ground within 0.1 %).
  expect(distances[1]! - distances[0]!).toBeGreaterThan(9.9)
  expect(distances[1]! - distances[0]!).toBeLessThan(10.1)
  // The first and last rows are the first and last vertices, with gdallocationinfo's values.
  for (const [row, vertex, reference] of [[rows[0]!, pixels[0]!, gdalValues[0]![0]!], [rows.at(-1)!, pixels.at(-1)!, gdalValues.at(-1)![0]!]] as const) {
    const map = mapOfPixel(vertex.col, vertex.row)
    expect(Number(row[1])).toBeCloseTo(map.x, 3)
    expect(Number(row[2])).toBeCloseTo(map.y, 3)
    expect(row[3]).toBe(reference === TOOLS_DEM.noData ? '' : String(Math.fround(reference)))
  }
}

/** How far (CSS pixels, the largest) each vertex drawn over the view is from where its map point is drawn now. */
async function overlayOffsets(page: Page, points: Array<[number, number]>): Promise<number> {
  const drawn = await page.getByTestId('tool-overlay').locator('circle.tool-vertex').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 }
    })
  )
  if (drawn.length !== points.length) return Number.POSITIVE_INFINITY
  let worst = 0
  for (const [i, [x, y]] of points.entries()) {
    const at = await clientOf(page, x, y)
    worst = Math.max(worst, Math.hypot(at.x - drawn[i]!.x, at.y - drawn[i]!.y))
  }
  return worst
}

/**
 * Hovers each vertex drawn over the view (those the panels leave uncovered, at least three) and
 * reads the map point the status bar gives there: within `tolerance` map units of the vertex's.
 */
async function expectCornersUnderReadout(page: Page, points: Array<[number, number]>, tolerance: number): Promise<void> {
  const centres = await page.getByTestId('tool-overlay').locator('circle.tool-vertex').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      const x = r.x + r.width / 2
      const y = r.y + r.height / 2
      return { x, y, onCanvas: document.elementFromPoint(x, y)?.tagName === 'CANVAS' }
    })
  )
  expect(centres).toHaveLength(points.length)
  let checked = 0
  for (const [i, c] of centres.entries()) {
    if (!c.onCanvas) continue
    await page.mouse.move(c.x, c.y)
    await expect
      .poll(async () => {
        const text = (await page.getByTestId('status-map').textContent()) ?? ''
        const [x, y] = text.split(/[ ,]+/).map(Number)
        return Math.max(Math.abs(x! - points[i]![0]), Math.abs(y! - points[i]![1]))
      }, { timeout: 5000 })
      .toBeLessThan(tolerance)
    checked++
  }
  expect(checked).toBeGreaterThanOrEqual(3)
}

/** GeographicLib's lengths (and area) of map points of EPSG:32631, taken to latitude/longitude by gdaltransform. */
async function geographicLibFigures(points: Array<[number, number]>, polygon: boolean): Promise<{ segments: number[]; total: number; area: number | null }> {
  const lonLat = await gdalTransform(['-s_srs', 'EPSG:32631', '-t_srs', 'EPSG:4326'], points)
  const ring = polygon ? [...lonLat, lonLat[0]!] : lonLat
  const segments = ring.slice(1).map((b, i) => Geodesic.WGS84.Inverse(ring[i]![1], ring[i]![0], b[1], b[0]).s12!)
  let area: number | null = null
  if (polygon) {
    const shape = Geodesic.WGS84.Polygon(false)
    for (const [lon, lat] of lonLat) shape.AddPoint(lat, lon)
    area = Math.abs(shape.Compute(false, true).area!)
  }
  return { segments, total: segments.reduce((a, b) => a + b, 0), area }
}

async function measured(page: Page): Promise<{ points: Array<[number, number]>; segments: number[]; total: number; area: number | null; method: string }> {
  const panel = page.getByTestId('measure-panel')
  const points = JSON.parse((await panel.getAttribute('data-points')) ?? '[]') as Array<[number, number]>
  const segments = await page.getByTestId('measure-segment').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))))
  const total = Number(await page.getByTestId('measure-total').getAttribute('data-value'))
  const areaText = await page.getByTestId('measure-area').getAttribute('data-value')
  return { points, segments, total, area: areaText ? Number(areaText) : null, method: (await page.getByTestId('measure-method').textContent()) ?? '' }
}

/**
 * A line (3 points, finished with Enter) and a polygon (4 corners, finished by double-click)
 * measured on the UTM DEM: "geodesic, WGS 84", and the figures GeographicLib gives for the same
 * points; the polygon's area within a millionth.
 */
export async function expectMeasuredLineAndArea(page: Page, drop: (paths: string[]) => Promise<void>, path: string, shotName: string): Promise<void> {
  await openDem(page, drop, path)
  await page.keyboard.press('m')
  await expect(page.getByTestId('tool-distance')).toHaveAttribute('aria-pressed', 'true')
  const line = [mapOfPixel(200, 40), mapOfPixel(500, 90), mapOfPixel(650, 260)]
  await drawLine(page, line, 'enter')
  const m = await measured(page)
  expect(m.method).toBe('geodesic, WGS 84')
  expect(m.points).toHaveLength(3)
  // The points measured are those clicked (within a screen pixel of the view).
  const metresPerScreenPixel = (TOOLS_DEM.width * TOOLS_DEM.pixel) / ((await page.getByTestId('viewer').boundingBox())!.width * 0.5)
  m.points.forEach(([x, y], i) => {
    expect(Math.abs(x - line[i]!.x)).toBeLessThan(metresPerScreenPixel)
    expect(Math.abs(y - line[i]!.y)).toBeLessThan(metresPerScreenPixel)
  })
  const lineReference = await geographicLibFigures(m.points, false)
  expect(m.segments).toHaveLength(2)
  m.segments.forEach((s, i) => expect(Math.abs(s - lineReference.segments[i]!), `segment ${i + 1}: ${s} vs GeographicLib ${lineReference.segments[i]}`).toBeLessThan(0.01))
  expect(Math.abs(m.total - lineReference.total)).toBeLessThan(0.01)
  await expect(page.getByTestId('tool-overlay').locator('text')).toHaveCount(3) // two segments and the total
  await shoot(page, `${shotName}-line`)
  // The drawing follows the camera: zoomed in, each vertex is still drawn on its map point.
  const zoom = (): Promise<number> => page.evaluate(() => (globalThis as unknown as ToolsGlobals).__tesseraDiagnostics.worldView().zoom)
  const fitted = await zoom()
  await page.keyboard.press('+')
  await expect.poll(zoom, { timeout: 10_000 }).toBeCloseTo(fitted * 2, 6)
  await frames(page, 2)
  expect(await overlayOffsets(page, m.points)).toBeLessThan(1.5)
  await page.keyboard.press('0') // fitted again, for the polygon
  await expect.poll(async () => overlayOffsets(page, m.points), { timeout: 10_000 }).toBeLessThan(1.5)
  await frames(page, 2)

  await page.keyboard.press('Shift+M')
  await expect(page.getByTestId('tool-area')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('tool-distance')).toHaveAttribute('aria-pressed', 'false')
  const square = [mapOfPixel(150, 50), mapOfPixel(550, 60), mapOfPixel(560, 330), mapOfPixel(160, 320)]
  await drawLine(page, square, 'dblclick')
  const a = await measured(page)
  expect(a.method).toBe('geodesic, WGS 84')
  expect(a.points).toHaveLength(4)
  const areaReference = await geographicLibFigures(a.points, true)
  expect(a.segments).toHaveLength(4)
  expect(Math.abs(a.total - areaReference.total)).toBeLessThan(0.01)
  expect(Math.abs(a.area! / areaReference.area! - 1), `area ${a.area} vs GeographicLib ${areaReference.area}`).toBeLessThan(1e-6)
  await expect(page.getByTestId('measure-area')).toContainText('km²')
  await shoot(page, `${shotName}-area`)

  // The drawing follows a turn of the view: where each corner is drawn, the readout (the pointer
  // mapped back through the turn) names its map point.
  await page.keyboard.press('r')
  await expect(page.getByTestId('canvas-host')).toHaveAttribute('data-rotation', '90')
  await frames(page, 3)
  await expectCornersUnderReadout(page, a.points, metresPerScreenPixel * 2)
  await shoot(page, `${shotName}-area-turned`)

  // Esc clears the polygon, again leaves the tool.
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('tool-overlay').locator('circle')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('tool-area')).toHaveAttribute('aria-pressed', 'false')
  await expect(page.getByTestId('measure-panel')).toBeHidden()
}

/** On a DEM of no CRS, a measured line is planar, in map units, and says so: the plane's lengths of its map points. */
export async function expectPlanarWithoutCrs(page: Page, drop: (paths: string[]) => Promise<void>, path: string): Promise<void> {
  await openDem(page, drop, path)
  await page.getByTestId('tool-distance').click()
  await drawLine(page, [mapOfPixel(100, 100), mapOfPixel(400, 140), mapOfPixel(420, 400)], 'dblclick')
  const m = await measured(page)
  expect(m.method).toBe('planar, map units')
  const planar = m.points.slice(1).map(([x, y], i) => Math.hypot(x - m.points[i]![0], y - m.points[i]![1]))
  expect(m.segments).toEqual(planar)
  expect(m.total).toBeCloseTo(planar[0]! + planar[1]!, 9)
  await expect(page.getByTestId('measure-total')).toContainText('units')
}
