/**
 * Benchmark suite `fidelity` (issue 11): the issue's closing table, file kind → result → time to
 * open, measured.
 *
 * For each kind of the fidelity corpus (every codec, sample type and layout of issue 11), a file
 * written by GDAL (Debian's gdal-bin, through test/helpers/gdal.ts) is opened with `openRaster`
 * (its own tile pool of 2 workers and background pool of 1, warmed first as the app's are), and
 * the suite reports:
 * - the result: what Tessera opened (tile kind, sample type × bands, strategy, compression) or
 *   the refusal message;
 * - the time to open (ms, median of 3 opens, each a fresh source);
 * - the time to the coarsest tile and to a level-0 tile (the middle one), both asked as soon as
 *   the open resolves, each timed from the start of the open (median of the same 3 rounds);
 * - whether level 0 equals GDAL's read (`gdal_translate -srcwin … -of ENVI`) on three sample tiles
 *   (top-left, middle, bottom-right edge): "exact", or the largest absolute difference of a sample
 *   (within ±3 is the contract for JPEG and lossy WebP), and any pixel whose validity (mask,
 *   no-data, alpha) differs from GDAL's mask.
 * ESRI ASCII grids (2000² and 10000², Float32 text written by GDAL) are opened twice each, with an
 * empty cache and then from it: time to open, to first pixels (the coarsest tile) and to full
 * resolution (the text read whole into the cache, then a level-0 tile).
 * Sizes are moderate (1500 × 1000, 1.5 Mpx) except the realistic striped Int16 DEM (8000 × 8000,
 * GDAL's default strips, decoded in place with an overview decoded in the background) and a
 * 6000 × 4000 tiled DEM without overviews (24 Mpx: its coarse levels come from a background
 * overview too). --quick halves the sides. Files are in the page cache (just written), so opens
 * are warm-cache opens.
 * Value raster vs picture (issue 23): a 5000 × 4000 relief written by GDAL as a Float32 DEM and as
 * its 8-bit twin, same layout (GDAL's default strips, LZW, PREDICTOR=2: bench/drop/dems.ts, made once
 * in bench/.cache; --quick: 2500 × 2000), opened alternately 3 times each; open-to-first-pixels (the
 * coarsest tile, asked as soon as the open resolves) of the DEM over the twin's, in the same run:
 * goal ≤ 1.5×.
 * No other baseline: the figures are Tessera's own. GDAL is the reference of the pixels, not of the
 * times. Run: node --import tsx bench/fidelity.ts [--quick] [--ascii-grids]. Writes bench/results/fidelity.json.
 */
import { registerModulePathHook } from './modulePathHook'
import { isQuick, printCells, round, writeSuiteResult, type ResultRow } from './report'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import * as gdal from '../test/helpers/gdal'
import type { GeoTransform } from '../src/shared/raster'
import { ensureDemTwins } from './drop/dems'

registerModulePathHook()

const { createDecodePool } = await import('../src/main/raster/decodePools')
const { openRaster } = await import('../src/main/raster/index')
type RasterSource = Awaited<ReturnType<typeof openRaster>>

const quick = isQuick()
const ROUNDS = 3
const W = quick ? 1000 : 1500
const H = quick ? 750 : 1000
const DEM_SIDE = quick ? 4000 : 8000
const [WIDE_W, WIDE_H] = quick ? [3000, 2000] : [6000, 4000]
const UTM: GeoTransform = [500000, 2, 0, 5600000, 0, -2]
const RGB = ['Red', 'Green', 'Blue']

const version = gdal.requireGdal()
const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-fidelity-'))
const make = (name: string, grid: gdal.Grid, args: string[], source: gdal.SourceOptions = {}): Promise<string> => gdal.gdalRaster(dir, name, grid, args, source)
const tiled = (compression: string, ...more: string[]): string[] => ['-co', 'TILED=YES', '-co', `COMPRESS=${compression}`, ...more]

interface Kind {
  name: string
  build: () => Promise<string>
  /** Largest difference per sample the contract allows (lossy codecs), 0 otherwise. */
  tolerance?: number
}

const kinds: Kind[] = [
  {
    name: 'DEFLATE + PREDICTOR=2 Int16 DEM, tiled, no-data',
    build: () => make('deflate-dem', gdal.demInt16(W, H), tiled('DEFLATE', '-co', 'PREDICTOR=2'), { noData: -32768, geoTransform: UTM, srs: 'EPSG:32631' })
  },
  { name: 'DEFLATE + PREDICTOR=3 Float32, tiled', build: () => make('deflate-pred3', gdal.valueGrid(W, H, 1, 'float32', 3), tiled('DEFLATE', '-co', 'PREDICTOR=3')) },
  { name: 'LZW 8-bit RGB, tiled', build: () => make('lzw-rgb', gdal.rgbImage(W, H), tiled('LZW'), { colorInterp: RGB }) },
  {
    name: 'JPEG-YCbCr RGB COG with mask (q90)',
    tolerance: 3,
    build: () => make('cog-jpeg-mask', gdal.rgbImage(W, H, true), ['-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', 'QUALITY=90'], { colorInterp: [...RGB, 'Alpha'] })
  },
  { name: 'WEBP lossy (level 80) RGB, tiled', tolerance: 3, build: () => make('webp-lossy', gdal.rgbImage(W, H), tiled('WEBP', '-co', 'WEBP_LEVEL=80'), { colorInterp: RGB }) },
  { name: 'WEBP lossless RGB, tiled', build: () => make('webp-lossless', gdal.rgbImage(W, H), tiled('WEBP', '-co', 'WEBP_LOSSLESS=YES'), { colorInterp: RGB }) },
  { name: 'ZSTD Float32, tiled', build: () => make('zstd', gdal.valueGrid(W, H, 1, 'float32', 5), tiled('ZSTD')) },
  {
    name: 'ZSTD + PREDICTOR=2 Int16 DEM COG (AVERAGE overviews)',
    build: () =>
      make('cog-zstd-dem', gdal.demInt16(W, H), ['-of', 'COG', '-co', 'COMPRESS=ZSTD', '-co', 'PREDICTOR=YES', '-co', 'RESAMPLING=AVERAGE', '-co', 'BLOCKSIZE=256'], {
        noData: -32768,
        geoTransform: UTM,
        srs: 'EPSG:32631'
      })
  },
  { name: 'LZMA Int16, tiled (to be refused)', build: () => make('lzma', gdal.valueGrid(W, H, 1, 'int16', 8), tiled('LZMA')) },
  { name: 'LERC Float32 (MAX_Z_ERROR=0), tiled', build: () => make('lerc', gdal.valueGrid(W, H, 1, 'float32', 7), tiled('LERC', '-co', 'MAX_Z_ERROR=0')) },
  { name: 'LERC_DEFLATE Float32 (MAX_Z_ERROR=0), tiled', build: () => make('lerc-deflate', gdal.valueGrid(W, H, 1, 'float32', 7), tiled('LERC_DEFLATE', '-co', 'MAX_Z_ERROR=0')) },
  { name: 'LERC_ZSTD UInt16 (MAX_Z_ERROR=0), tiled', build: () => make('lerc-zstd', gdal.valueGrid(W, H, 1, 'uint16', 7), tiled('LERC_ZSTD', '-co', 'MAX_Z_ERROR=0')) },
  ...(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'] as const).map(
    (type): Kind => ({
      name: `${type} single band, tiled DEFLATE`,
      build: () => make(`type-${type}`, gdal.valueGrid(W, H, 1, type, 9), tiled('DEFLATE', ...(type === 'int8' ? ['-co', 'PIXELTYPE=SIGNEDBYTE'] : [])))
    })
  ),
  { name: 'UInt16 4 bands, tiled DEFLATE', build: () => make('uint16-4band', gdal.valueGrid(W, H, 4, 'uint16', 10), tiled('DEFLATE')) },
  {
    name: `striped Int16 DEM ${DEM_SIDE}×${DEM_SIDE} (GDAL default strips, DEFLATE, no-data)`,
    build: () => make('dem-striped', gdal.demInt16(DEM_SIDE, DEM_SIDE), ['-co', 'COMPRESS=DEFLATE'], { noData: -32768, geoTransform: UTM, srs: 'EPSG:32631' })
  },
  {
    name: `tiled Int16 DEM ${WIDE_W}×${WIDE_H} without overviews (DEFLATE, no-data)`,
    build: () => make('dem-tiled-no-overviews', gdal.demInt16(WIDE_W, WIDE_H), tiled('DEFLATE', '-co', 'PREDICTOR=2'), { noData: -32768, geoTransform: UTM, srs: 'EPSG:32631' })
  },
  { name: 'planar separate (INTERLEAVE=BAND) RGB, tiled', build: () => make('separate-rgb', gdal.rgbImage(W, H), tiled('DEFLATE', '-co', 'INTERLEAVE=BAND'), { colorInterp: RGB }) },
  {
    name: 'palette (16 colours), tiled',
    build: () => {
      const { grid, colorTable } = gdal.paletteImage(W, H)
      return make('palette', grid, tiled('DEFLATE'), { colorInterp: ['Palette'], colorTable })
    }
  },
  {
    name: 'RGB with internal mask, tiled',
    build: () => {
      const rgba = gdal.writeSource(dir, 'mask-rgb-src', gdal.rgbImage(W, H, true), { colorInterp: [...RGB, 'Undefined'] })
      return gdal.translate(rgba, join(dir, 'mask-rgb.tif'), ['-b', '1', '-b', '2', '-b', '3', '-mask', '4', '-colorinterp', 'red,green,blue', ...tiled('DEFLATE'), '--config', 'GDAL_TIFF_INTERNAL_MASK', 'YES'])
    }
  },
  {
    name: 'RGB with internal overviews (gdaladdo 2 4 8)',
    build: async () => {
      const path = await make('overviews-internal', gdal.rgbImage(W, H), tiled('DEFLATE'), { colorInterp: RGB })
      await gdal.addOverviews(path, [2, 4, 8])
      return path
    }
  },
  {
    name: 'Float32 with external .ovr (gdaladdo -ro 2 4 8)',
    build: async () => {
      const path = await make('overviews-external', gdal.valueGrid(W, H, 1, 'float32', 16), tiled('DEFLATE'))
      await gdal.addOverviews(path, [2, 4, 8], { external: true })
      return path
    }
  },
  { name: 'BigTIFF UInt16, tiled', build: () => make('bigtiff', gdal.valueGrid(W, H, 1, 'uint16', 17), tiled('DEFLATE', '-co', 'BIGTIFF=YES')) },
  {
    name: 'rotated / sheared geotransform',
    build: () => make('geo-rotated', gdal.valueGrid(W, H, 1, 'uint16', 18), tiled('DEFLATE'), { geoTransform: [500000, 1.7320508075688772, 1, 5600000, 1, -1.7320508075688772], srs: 'EPSG:32631' })
  },
  { name: 'south-up (positive Y pixel size)', build: () => make('geo-southup', gdal.valueGrid(W, H, 1, 'uint16', 18), tiled('DEFLATE'), { geoTransform: [500000, 2, 0, 5599600, 0, 2], srs: 'EPSG:32631' }) },
  {
    name: 'PixelIsPoint',
    build: () =>
      make('geo-point', gdal.valueGrid(W, H, 1, 'uint16', 18), [...tiled('DEFLATE'), '-mo', 'AREA_OR_POINT=Point', '--config', 'GTIFF_POINT_GEO_IGNORE', 'NO'], {
        geoTransform: UTM,
        srs: 'EPSG:32631'
      })
  },
  {
    name: 'EPSG:4326 (geographic)',
    build: () => make('geo-4326', gdal.valueGrid(W, H, 1, 'uint16', 18), tiled('DEFLATE'), { geoTransform: [4.3, 0.000833333333333, 0, 50.9, 0, -0.000833333333333], srs: 'EPSG:4326' })
  }
]

// ——— Measuring ———

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const ms = (since: number): number => performance.now() - since
const short = (message: string): string => message.split(`${dir}/`).join('')

interface Check {
  /** Largest |Tessera − GDAL| over the compared samples (0 = exact); NaN against NaN counts as equal. */
  maxError: number
  samples: number
  /** Pixels valid for one side and invalid for the other. */
  validityMismatches: number
  /** What differs in the info (sample type, bands) from gdalinfo, if anything. */
  infoMismatch: string | null
}

/** Three level-0 tiles (top-left, middle, bottom-right) against GDAL's read of the same windows. */
async function checkLevel0(path: string, source: RasterSource): Promise<Check> {
  const info = await gdal.gdalInfo(path)
  const sampleType = gdal.sampleTypeOf(info)
  const bands = info.bands.length
  const noData = gdal.noDataOf(info)
  const valid = gdal.allValid(info)
  const interpretations = info.bands.map(gdal.colorInterpretationOf)
  const alphaBand = interpretations.indexOf('alpha')
  const palette = interpretations[0] === 'palette'
  const mismatch: string[] = []
  if (source.info.sampleType !== sampleType) mismatch.push(`sample type ${source.info.sampleType}, GDAL ${sampleType}`)
  if (source.info.bands !== bands) mismatch.push(`${source.info.bands} bands, GDAL ${bands}`)
  const { tileSize, tileMask, tileKind } = source.info
  const cols = Math.ceil(info.size[0] / tileSize)
  const rows = Math.ceil(info.size[1] / tileSize)
  const check: Check = { maxError: 0, samples: 0, validityMismatches: 0, infoMismatch: mismatch.length ? mismatch.join('; ') : null }
  const note = (actual: number, expected: number): void => {
    check.samples++
    if (Number.isNaN(actual) && Number.isNaN(expected)) return
    const d = Math.abs(actual - expected)
    check.maxError = Math.max(check.maxError, Number.isNaN(d) ? Infinity : d)
  }
  for (const [col, row] of [[0, 0], [Math.floor(cols / 2), Math.floor(rows / 2)], [cols - 1, rows - 1]] as const) {
    const tile = await source.readTile(0, col, row)
    const left = col * tileSize
    const top = row * tileSize
    const window = ['-srcwin', String(left), String(top), String(tile.width), String(tile.height)]
    const values = await gdal.gdalRead(path, dir, window, { signedBytes: sampleType === 'int8' })
    const mask = valid ? null : ((await gdal.gdalRead(path, dir, ['-b', 'mask', ...window])).data as Uint8Array)
    const expanded = palette ? await gdal.gdalRead(path, dir, ['-expand', 'rgb', ...window]) : null
    const plane = tile.width * tile.height
    for (let p = 0; p < plane; p++) {
      const invalid = mask !== null && mask[p] === 0
      if (tileKind === 'rgba8') {
        const t = p * 4
        const alpha = alphaBand >= 0 ? values.data[alphaBand * plane + p]! : mask ? mask[p]! : 255
        note(tile.data[t + 3]!, alpha)
        if (alpha === 0) continue // the colour under alpha 0 is nobody's business
        for (let c = 0; c < 3; c++) note(tile.data[t + c]!, expanded ? expanded.data[c * plane + p]! : bands <= 2 ? values.data[p]! : values.data[c * plane + p]!)
      } else {
        const channels = bands + (tileMask ? 1 : 0)
        const t = p * channels
        const tileInvalid = (tileMask && tile.data[t + bands] === 0) || (noData !== null && tile.data[t] === noData)
        if (tileInvalid !== invalid) check.validityMismatches++
        if (invalid && noData === null) continue // a masked value is hidden
        for (let b = 0; b < bands; b++) note(tile.data[t + b]!, values.data[b * plane + p]!)
      }
    }
  }
  return check
}

interface Measured {
  kind: string
  size: string
  fileMB: number
  result: string
  refused: boolean
  openMs: number[]
  coarsestMs: number[]
  level0Ms: number[]
  levels: number
  check: Check | null
  tolerance: number
}

async function measure(kind: Kind, pool: ReturnType<typeof createDecodePool>, background: ReturnType<typeof createDecodePool>): Promise<Measured> {
  const path = await kind.build()
  const info = await gdal.gdalInfo(path)
  const measured: Measured = {
    kind: kind.name,
    size: `${info.size[0]}×${info.size[1]}`,
    fileMB: round(statSync(path).size / 1e6),
    result: '',
    refused: false,
    openMs: [],
    coarsestMs: [],
    level0Ms: [],
    levels: 0,
    check: null,
    tolerance: kind.tolerance ?? 0
  }
  const cacheDir = join(dir, 'cache')
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now()
    let ready!: () => void
    const built = new Promise<void>((resolve) => (ready = resolve))
    let source: RasterSource
    try {
      source = await openRaster(path, { pool, backgroundPool: background, cacheDir, onPyramidReady: () => ready(), onPyramidError: () => ready() })
    } catch (error) {
      measured.openMs.push(ms(start))
      measured.refused = true
      measured.result = `refused: ${short(error instanceof Error ? error.message : String(error))}`
      continue
    }
    measured.openMs.push(ms(start))
    const { levels, tileSize } = source.info
    const coarsest = levels.length - 1
    const middle = [Math.floor(Math.ceil(levels[0]!.width / tileSize) / 2), Math.floor(Math.ceil(levels[0]!.height / tileSize) / 2)] as const
    const timed = async (read: Promise<unknown>): Promise<number> => (await read, ms(start))
    const [coarse, fine] = await Promise.all([timed(source.readTile(coarsest, 0, 0)), timed(source.readTile(0, middle[0], middle[1]))])
    measured.coarsestMs.push(coarse)
    measured.level0Ms.push(fine)
    if (r === ROUNDS - 1) {
      const i = source.info
      measured.levels = levels.length
      measured.result = `${i.tileKind} ${i.sampleType}×${i.bands}${i.tileMask ? ' +mask' : ''}, ${i.strategy}${i.compression ? `, ${i.compression}` : ''}`
      if (!i.pyramidReady) await built
      measured.check = await checkLevel0(path, source)
    }
    await source.close()
  }
  return measured
}

/** The DEM twins' size; the goal of a value raster's first pixels over its 8-bit twin's. */
const [TWIN_W, TWIN_H] = quick ? [2500, 2000] : [5000, 4000]
const TWIN_GOAL = 1.5

interface TwinTimes {
  name: string
  result: string
  openMs: number[]
  firstPixelsMs: number[]
}

/** Opens the Float32 DEM and its 8-bit twin alternately; open and first pixels (the coarsest tile) from the start of each open. */
async function measureTwins(pool: ReturnType<typeof createDecodePool>, background: ReturnType<typeof createDecodePool>): Promise<TwinTimes[]> {
  const twins = await ensureDemTwins(resolve('bench/.cache'), TWIN_W, TWIN_H)
  const times: TwinTimes[] = [
    { name: `Float32 DEM ${TWIN_W}×${TWIN_H}, striped LZW + PREDICTOR=2, no-data`, result: '', openMs: [], firstPixelsMs: [] },
    { name: `8-bit twin ${TWIN_W}×${TWIN_H}, striped LZW + PREDICTOR=2`, result: '', openMs: [], firstPixelsMs: [] }
  ]
  for (let r = 0; r < ROUNDS; r++) {
    for (const [index, path] of [twins.float32, twins.byte].entries()) {
      const start = performance.now()
      const source = await openRaster(path, { pool, backgroundPool: background, cacheDir: join(dir, 'twin-cache') })
      times[index]!.openMs.push(ms(start))
      await source.readTile(source.info.levels.length - 1, 0, 0)
      times[index]!.firstPixelsMs.push(ms(start))
      const i = source.info
      times[index]!.result = `${i.tileKind} ${i.sampleType}×${i.bands}, ${i.strategy}`
      await source.close()
      // The closed raster's background work is withdrawn; its worker ends the job it runs before the next open.
      await new Promise((done) => setTimeout(done, 300))
    }
  }
  return times
}

/** ESRI ASCII grids written by GDAL (`-of AAIGrid`), Float32 water depths with no-data: sides of the bench's rows. */
const ASCII_GRID_SIDES = quick ? [1000, 5000] : [2000, 10000]

/**
 * An ASCII grid opened twice: first with an empty cache (a quick overview, then the whole text
 * read into the cache in the background), then from its cache. Each row: time to open, to the
 * first pixels (the coarsest tile, asked as soon as the open resolves) and to full resolution (the
 * grid read whole, `onPyramidReady`, and the middle level-0 tile read), ms from the start of the open.
 */
async function measureAsciiGrid(side: number, pool: ReturnType<typeof createDecodePool>, background: ReturnType<typeof createDecodePool>): Promise<Measured[]> {
  const made = performance.now()
  const path = await gdal.gdalRaster(dir, `grid-${side}`, gdal.floatWithHoles(side, side), ['-of', 'AAIGrid'], { noData: -9999, geoTransform: UTM, srs: 'EPSG:32631' }, 'asc')
  console.log(`  (GDAL wrote the ${side}² grid, ${round(statSync(path).size / 1e6)} MB, in ${round(ms(made) / 1000)} s)`)
  const cacheDir = join(dir, `grid-cache-${side}`)
  const rows: Measured[] = []
  for (const open of ['first open', 'cached open']) {
    const start = performance.now()
    let ready!: () => void
    const whole = new Promise<void>((resolve) => (ready = resolve))
    const source = await openRaster(path, { pool, backgroundPool: background, cacheDir, onPyramidReady: () => ready(), onPyramidError: () => ready() })
    const openMs = ms(start)
    const { levels, tileSize } = source.info
    const coarse = (await source.readTile(levels.length - 1, 0, 0), ms(start))
    if (!source.info.pyramidReady) await whole
    const middle = [Math.floor(Math.ceil(levels[0]!.width / tileSize) / 2), Math.floor(Math.ceil(levels[0]!.height / tileSize) / 2)] as const
    const fine = (await source.readTile(0, middle[0], middle[1]), ms(start))
    const i = source.info
    rows.push({
      kind: `ESRI ASCII grid Float32, ${open} (level-0 ms: read whole)`,
      size: `${side}×${side}`,
      fileMB: round(statSync(path).size / 1e6),
      result: `${i.tileKind} ${i.sampleType}×${i.bands}, ${i.strategy}${i.pyramidReady ? '' : ' (not read whole)'}`,
      refused: false,
      openMs: [openMs],
      coarsestMs: [coarse],
      level0Ms: [fine],
      levels: levels.length,
      check: await checkLevel0(path, source),
      tolerance: 0
    })
    await source.close()
  }
  return rows
}

function fidelityText(m: Measured): string {
  if (m.refused) return '— (refused)'
  const c = m.check!
  const parts: string[] = []
  parts.push(c.maxError === 0 ? 'exact' : `max |Δ| ${round(c.maxError)}${m.tolerance ? ` (≤ ${m.tolerance} allowed, lossy)` : ''}`)
  if (c.validityMismatches) parts.push(`${c.validityMismatches} validity mismatches`)
  if (c.infoMismatch) parts.push(c.infoMismatch)
  return `${parts.join('; ')} (${c.samples.toLocaleString('en-US')} samples)`
}

const asGdal = (m: Measured): boolean =>
  m.refused ? /not supported/.test(m.result) : m.check!.maxError <= m.tolerance && m.check!.validityMismatches === 0 && m.check!.infoMismatch === null

// ——— Run ———

const loadAtStart = loadavg()[0]!
console.log(`${version}; files in ${dir}`)
const pool = createDecodePool({ size: 2, name: 'fidelity bench tile pool' })
const background = createDecodePool({ size: 1, name: 'fidelity bench background pool' })
const measured: Measured[] = []
let twins: TwinTimes[] = []
try {
  // Workers started and their modules loaded before the first figure, as the app's shared pools are.
  const warmFile = await kinds[0]!.build()
  pool.warm()
  background.warm()
  await Promise.all([pool.run({ kind: 'probe', path: warmFile }), pool.run({ kind: 'probe', path: warmFile }), background.run({ kind: 'probe', path: warmFile })])
  // --ascii-grids: only the ESRI ASCII grid rows.
  for (const kind of process.argv.includes('--ascii-grids') ? [] : kinds) {
    const started = performance.now()
    const m = await measure(kind, pool, background)
    measured.push(m)
    console.log(`  ${m.kind}: open ${round(median(m.openMs))} ms — ${m.result} — ${fidelityText(m)} (${round(ms(started) / 1000)} s with GDAL's side)`)
  }
  if (!process.argv.includes('--ascii-grids')) {
    twins = await measureTwins(pool, background)
    for (const t of twins) console.log(`  ${t.name}: open ${round(median(t.openMs))} ms, first pixels ${round(median(t.firstPixelsMs))} ms — ${t.result}`)
  }
  for (const side of ASCII_GRID_SIDES) {
    for (const m of await measureAsciiGrid(side, pool, background)) {
      measured.push(m)
      console.log(`  ${m.kind} ${m.size}: open ${round(m.openMs[0]!)} ms, first pixels ${round(m.coarsestMs[0]!)} ms, full resolution ${round(m.level0Ms[0]!)} ms — ${m.result} — ${fidelityText(m)}`)
    }
  }
} finally {
  await Promise.all([pool.close(), background.close()])
  rmSync(dir, { recursive: true, force: true })
}

const formatMs = (values: number[]): string => (values.length ? String(Math.round(median(values))) : '—')
const headers = ['file kind', 'size', 'result', 'open ms', 'coarsest tile ms', 'level-0 tile ms', 'level 0 vs GDAL']
const cells = measured.map((m) => [m.kind, `${m.size}, ${m.fileMB} MB`, m.result, formatMs(m.openMs), formatMs(m.coarsestMs), formatMs(m.level0Ms), fidelityText(m)])
console.log()
printCells(headers, cells, (c) => c === 0 || c === 1 || c === 2 || c === 6)

const rows: ResultRow[] = measured.map((m) => ({
  figure: `${m.kind}: time to open (${m.result})`,
  value: round(median(m.openMs)),
  unit: 'ms',
  baseline: null,
  ratio: null,
  goal: m.refused ? 'refused, naming the codec' : m.tolerance ? `level 0 within ±${m.tolerance} of GDAL` : 'level 0 = GDAL',
  met: asGdal(m)
}))
const twinRatio = twins.length === 2 ? median(twins[0]!.firstPixelsMs) / median(twins[1]!.firstPixelsMs) : null
if (twinRatio !== null) {
  const [dem, picture] = twins as [TwinTimes, TwinTimes]
  const twinHeaders = ['file', 'result', 'open ms', 'first pixels ms', 'ratio to the 8-bit twin', `goal ≤ ${TWIN_GOAL}×`]
  const twinCells = [
    [dem.name, dem.result, formatMs(dem.openMs), formatMs(dem.firstPixelsMs), `${round(twinRatio, 2)}×`, twinRatio <= TWIN_GOAL ? 'pass' : 'FAIL'],
    [picture.name, picture.result, formatMs(picture.openMs), formatMs(picture.firstPixelsMs), '1×', '']
  ]
  console.log()
  printCells(twinHeaders, twinCells, (c) => c === 0 || c === 1)
  rows.push({
    figure: `${dem.name}: open to first pixels (the coarsest tile), vs its 8-bit twin in the same layout`,
    value: round(median(dem.firstPixelsMs)),
    unit: 'ms',
    baseline: round(median(picture.firstPixelsMs)),
    ratio: round(twinRatio, 2),
    goal: `≤ ${TWIN_GOAL}× the 8-bit twin`,
    met: twinRatio <= TWIN_GOAL
  })
}
const path = writeSuiteResult('fidelity', rows, {
  quick,
  table: { headers, rows: cells },
  notes: [
    `${version}. Tile pool of 2 workers, background pool of 1, warmed first; files just written by GDAL (in the page cache).`,
    'open: median of 3 fresh opens; coarsest / level-0 tile: both asked as soon as the open resolves, ms from the start of the open (median of the same 3 rounds); the level-0 tile is the middle one.',
    `Load average (1 min) ${round(loadAtStart, 2)} at the start, ${round(loadavg()[0]!, 2)} at the end: the cores are shared with whatever else runs on this machine, so single figures are noisy.`,
    'level 0 vs GDAL: top-left, middle and bottom-right level-0 tiles against gdal_translate -srcwin … -of ENVI of the same windows (RGBA8 tiles: palette expanded, alpha from the alpha band or mask; colour under alpha 0 not compared; masked values not compared).'
  ],
  charts: [
    {
      kind: 'bars',
      title: 'Time from the start of the open (median of 3)',
      unit: 'ms',
      groups: measured.filter((m) => !m.refused).map((m) => m.kind),
      series: [
        { name: 'open', values: measured.filter((m) => !m.refused).map((m) => Math.round(median(m.openMs))) },
        { name: 'coarsest tile', values: measured.filter((m) => !m.refused).map((m) => Math.round(median(m.coarsestMs))) },
        { name: 'level-0 tile', values: measured.filter((m) => !m.refused).map((m) => Math.round(median(m.level0Ms))) }
      ]
    }
  ],
  details: measured
})
console.log(`\nWrote ${path}`)
