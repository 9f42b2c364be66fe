/**
 * The hillshade formula against `gdaldem hillshade` (Debian's gdal-bin) on small grids written by
 * GDAL: the default light, another azimuth/altitude/z-factor, `-multidirectional`, a grid in
 * degrees with `-s 111120`, and no-data (`-compute_edges`). Within 1 level of the 8-bit shade,
 * the outer row and column left out (gdaldem's corners replicate where the tiles extrapolate).
 * Then the border assembly: neighbours' edges, extrapolated where a neighbour is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gdal, gdalRaster, gdalRead, requireGdal, type Grid } from '../helpers/gdal'
import {
  DEFAULT_HILLSHADE,
  hillshadeConstants,
  levelPixelSize,
  shadeGrid,
  withBorder,
  type HillshadeStyle,
  type NeighbourValues
} from '../../src/renderer/view/hillshade'
import { applyDisplayChange } from '../../src/renderer/view/bandPixels'

const W = 40
const H = 30
const NO_DATA = -9999

/** A relief with ridges in several directions, steep and flat parts, in metres (Float32). */
function relief(width: number, height: number, amplitude = 60): Grid {
  const data = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[y * width + x] = 500 + amplitude * Math.sin(x / 4.3) * Math.cos(y / 3.1) + 3.7 * x - 2.1 * y + (x > 25 && y < 8 ? 40 : 0)
    }
  }
  return { width, height, bands: 1, type: 'float32', data }
}

interface Comparison {
  maxDiff: number
  within1: number
  compared: number
  noDataAgree: boolean
}

/** Ours (rounded as GDAL writes a float into a Byte band) against gdaldem's bytes, the outer row and column left out. */
function compare(ours: Float64Array, theirs: Grid): Comparison {
  let maxDiff = 0
  let within1 = 0
  let compared = 0
  let noDataAgree = true
  for (let y = 1; y < theirs.height - 1; y++) {
    for (let x = 1; x < theirs.width - 1; x++) {
      const i = y * theirs.width + x
      const g = theirs.data[i]!
      const o = ours[i]!
      if (Number.isNaN(o) || g === 0) {
        if (Number.isNaN(o) !== (g === 0)) noDataAgree = false
        continue
      }
      const d = Math.abs(Math.round(o) - g)
      maxDiff = Math.max(maxDiff, d)
      if (d <= 1) within1++
      compared++
    }
  }
  return { maxDiff, within1, compared, noDataAgree }
}

describe('hillshade formula against gdaldem hillshade', () => {
  let dir = ''
  beforeAll(() => {
    requireGdal()
    dir = mkdtempSync(join(tmpdir(), 'tessera-hillshade-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function gdaldem(name: string, grid: Grid, args: string[], source: Parameters<typeof gdalRaster>[4]): Promise<{ dem: Grid; shade: Grid }> {
    const tif = await gdalRaster(dir, name, grid, ['-of', 'GTiff'], source)
    const out = join(dir, `${name}-shade.tif`)
    await gdal('gdaldem', ['hillshade', '-q', '-compute_edges', ...args, tif, out])
    return { dem: await gdalRead(tif, dir), shade: await gdalRead(out, dir) }
  }

  function ourShade(dem: Grid, style: HillshadeStyle, gt: number[], geographic: boolean, noData: number | null = null): Float64Array {
    const values = Float64Array.from(dem.data, (v) => (noData !== null && v === noData ? Number.NaN : v))
    return shadeGrid(values, dem.width, dem.height, hillshadeConstants(style, levelPixelSize(gt, { x: 1, y: 1 }), geographic))
  }

  const metric = [300000, 5, 0, 5600000, 0, -5]

  const cases: Array<{ name: string; style: HillshadeStyle; args: string[] }> = [
    { name: 'the default light (azimuth 315°, altitude 45°)', style: { ...DEFAULT_HILLSHADE }, args: [] },
    { name: 'azimuth 120°, altitude 30°, z-factor 2.5', style: { ...DEFAULT_HILLSHADE, azimuth: 120, altitude: 30, zFactor: 2.5 }, args: ['-az', '120', '-alt', '30', '-z', '2.5'] },
    { name: '-multidirectional', style: { ...DEFAULT_HILLSHADE, multidirectional: true }, args: ['-multidirectional'] },
    { name: '-multidirectional at altitude 60°, z-factor 3', style: { ...DEFAULT_HILLSHADE, multidirectional: true, altitude: 60, zFactor: 3 }, args: ['-multidirectional', '-alt', '60', '-z', '3'] }
  ]
  for (const c of cases) {
    it(`matches gdaldem within one level: ${c.name}`, async () => {
      const { dem, shade } = await gdaldem(`metric-${cases.indexOf(c)}`, relief(W, H), c.args, { geoTransform: metric as never, srs: 'EPSG:32631' })
      const result = compare(ourShade(dem, c.style, metric, false), shade)
      expect(result.compared).toBe((W - 2) * (H - 2))
      expect(result.maxDiff, JSON.stringify(result)).toBeLessThanOrEqual(1)
    })
  }

  it('scales a grid in degrees as gdaldem -s 111120 does', async () => {
    const degrees = [4.5, 0.0001, 0, 50.8, 0, -0.0001]
    const { dem, shade } = await gdaldem('geographic', relief(W, H, 20), ['-s', '111120'], { geoTransform: degrees as never, srs: 'EPSG:4326' })
    const result = compare(ourShade(dem, DEFAULT_HILLSHADE, degrees, true), shade)
    expect(result.maxDiff, JSON.stringify(result)).toBeLessThanOrEqual(1)
    // Unscaled, degrees would be read as metres: a flat grey picture, far from gdaldem's.
    expect(compare(ourShade(dem, DEFAULT_HILLSHADE, degrees, false), shade).maxDiff).toBeGreaterThan(20)
  })

  it('leaves no-data without shade and shades its neighbours as gdaldem -compute_edges does', async () => {
    const grid = relief(W, H)
    for (let y = 10; y < 16; y++) for (let x = 12; x < 19; x++) grid.data[y * W + x] = NO_DATA
    grid.data[3 * W + 30] = NO_DATA
    const { dem, shade } = await gdaldem('nodata', grid, [], { geoTransform: metric as never, srs: 'EPSG:32631', noData: NO_DATA })
    const result = compare(ourShade(dem, DEFAULT_HILLSHADE, metric, false, NO_DATA), shade)
    expect(result.noDataAgree).toBe(true)
    expect(result.compared).toBe((W - 2) * (H - 2) - 6 * 7 - 1)
    expect(result.maxDiff, JSON.stringify(result)).toBeLessThanOrEqual(1)
  })
})

describe('a tile with its border', () => {
  const grid = (w: number, h: number, f: (x: number, y: number) => number): Float32Array => Float32Array.from({ length: w * h }, (_, i) => f(i % w, Math.floor(i / w)))
  const neighbourOf = (w: number, h: number, f: (x: number, y: number) => number): NeighbourValues => ({ width: w, height: h, at: f })
  /** Value of the whole raster at (x, y), tiles of 4 × 3 at (col, row). */
  const world = (x: number, y: number): number => x * 10 + y * 1000 + (x * y) % 7

  it('takes each border texel from the neighbour that holds it', () => {
    const tw = 4
    const th = 3
    const col = 1
    const row = 1
    const values = grid(tw, th, (x, y) => world(col * tw + x, row * th + y))
    const out = withBorder(values, tw, th, (dx, dy) => neighbourOf(tw, th, (x, y) => world((col + dx) * tw + x, (row + dy) * th + y)))
    for (let y = -1; y <= th; y++) for (let x = -1; x <= tw; x++) expect(out[(y + 1) * (tw + 2) + x + 1]).toBe(world(col * tw + x, row * th + y))
  })

  it('extrapolates where a neighbour is missing (2a − b, as gdaldem -compute_edges), corners along the border row', () => {
    const plane = (x: number, y: number): number => 3 * x - 5 * y + 11
    const values = grid(4, 3, plane)
    const out = withBorder(values, 4, 3, () => null)
    // A plane is extrapolated exactly, corners too.
    for (let y = -1; y <= 3; y++) for (let x = -1; x <= 4; x++) expect(out[(y + 1) * 6 + x + 1]).toBe(plane(x, y))
  })

  it('mixes present and missing neighbours: the present edge as it is, the rest extrapolated', () => {
    const values = grid(4, 3, () => 1)
    // Only the east neighbour is loaded (all 9); the north-east corner extrapolates along the north row.
    const out = withBorder(values, 4, 3, (dx, dy) => (dx === 1 && dy === 0 ? neighbourOf(4, 3, () => 9) : null))
    const at = (x: number, y: number): number => out[(y + 1) * 6 + x + 1]!
    for (let y = 0; y < 3; y++) expect(at(4, y)).toBe(9)
    expect(at(-1, 1)).toBe(1)
    expect(at(2, -1)).toBe(1)
    expect(at(4, -1)).toBe(1)
  })

  it('keeps no data (NaN) from a neighbour, and an extrapolation from no data is no data', () => {
    const values = grid(3, 3, (x) => (x === 0 ? Number.NaN : 5))
    const out = withBorder(values, 3, 3, (dx, dy) => (dx === 0 && dy === 1 ? neighbourOf(3, 3, (x) => (x === 1 ? Number.NaN : 2)) : null))
    const at = (x: number, y: number): number => out[(y + 1) * 5 + x + 1]!
    expect(at(1, 3)).toBeNaN()
    expect(at(2, 3)).toBe(2)
    expect(at(-1, 1)).toBeNaN()
  })

  it('gives the same shade across a tile boundary as over the whole grid', () => {
    const k = hillshadeConstants(DEFAULT_HILLSHADE, { ew: 5, ns: -5 }, false)
    const big = relief(8, 6).data as Float32Array
    const whole = shadeGrid(big, 8, 6, k)
    // Two tiles of 4 × 6, side by side; the left one with its east neighbour as border.
    const left = grid(4, 6, (x, y) => big[y * 8 + x]!)
    const bordered = withBorder(left, 4, 6, (dx, dy) => (dx === 1 && dy === 0 ? neighbourOf(4, 6, (x, y) => big[y * 8 + 4 + x]!) : null))
    const k9 = new Float64Array(9)
    for (let y = 1; y < 5; y++) {
      for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) k9[j * 3 + i] = bordered[(y + j) * 6 + 3 + i]!
      // Pixel x = 3, the left tile's last column: its window reaches into the east neighbour.
      const ours = shadeGrid(Float64Array.from(k9), 3, 3, k)[4]!
      expect(ours).toBeCloseTo(whole[y * 8 + 3]!, 6)
    }
  })
})

describe('a layer display with a hillshade style', () => {
  const display = { bands: [0] as [number], ranges: [{ min: 0, max: 100 }], colormap: 'grey' as const }

  it('takes a style, keeps it through other changes, and drops it on null', () => {
    const shaded = applyDisplayChange(display, { hillshade: { ...DEFAULT_HILLSHADE, azimuth: 90 } }, 1)
    expect(shaded.hillshade?.azimuth).toBe(90)
    const restretched = applyDisplayChange(shaded, { ranges: { 0: { min: 10, max: 20 } } }, 1)
    expect(restretched.hillshade).toEqual(shaded.hillshade)
    expect(applyDisplayChange(restretched, { hillshade: null }, 1).hillshade).toBeUndefined()
  })

  it('replaces what is out of range: azimuth taken modulo 360, altitude within 0–90, non-numbers by the defaults', () => {
    const shaded = applyDisplayChange(display, { hillshade: { ...DEFAULT_HILLSHADE, azimuth: -45, altitude: 120, zFactor: Number.NaN } }, 1)
    expect(shaded.hillshade).toEqual({ ...DEFAULT_HILLSHADE, azimuth: 315, altitude: 90, zFactor: 1 })
  })
})
