/**
 * ESRI ASCII grids (issue 22) against GDAL: grids written by `gdal_translate -of AAIGrid` (and an
 * xllcenter variant written by hand from one), every level-0 value read through Tessera's tiles
 * against `gdal_translate -of ENVI` of the same file, the georeferencing against `gdalinfo -json`.
 * Real workers; the cache proved by the file it leaves and by no read of the grid on a second open.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { openRaster, type OpenOptions, type RasterSource } from '../../src/main/raster'
import { cachePaths } from '../../src/main/raster/pyramidCache'
import type { GeoTransform } from '../../src/shared/raster'
import * as gdal from '../helpers/gdal'
import { useRasterCorpus } from '../helpers/rasterCorpus'

const { tmp, opened, opts, pools } = useRasterCorpus('asciigrid')

const W = 601
const H = 403
const UTM: GeoTransform = [500000, 2, 0, 5600000, 0, -2]

/** `grid` written by GDAL as an ASCII grid `<name>.asc` (and `.prj` when `srs`). */
function makeGrid(name: string, grid: gdal.Grid, source: gdal.SourceOptions, args: string[] = []): Promise<string> {
  return gdal.gdalRaster(tmp.dir, name, grid, ['-of', 'AAIGrid', ...args], source, 'asc')
}

/** Opens with Tessera; resolves once the grid is read whole (its tiles exact), with the progress heard. */
async function openWhole(path: string, extra: OpenOptions = {}): Promise<{ source: RasterSource; progress: number[]; firstReady: boolean }> {
  const progress: number[] = []
  let ready!: () => void
  let failed!: (error: Error) => void
  const whole = new Promise<void>((resolve, reject) => {
    ready = resolve
    failed = reject
  })
  const source = await openRaster(path, opts({ onProgress: (f) => progress.push(f), onPyramidReady: () => ready(), onPyramidError: failed, ...extra }))
  opened.push(source)
  const firstReady = source.info.pyramidReady
  if (!firstReady) await whole
  return { source, progress, firstReady }
}

/** Every level-0 value through Tessera's tiles against GDAL's read of the same file. */
async function expectValuesAsGdal(source: RasterSource, path: string): Promise<void> {
  const ref = await gdal.gdalRead(path, tmp.dir)
  const { info } = source
  expect(info.width).toBe(ref.width)
  expect(info.height).toBe(ref.height)
  expect(info.sampleType).toBe(ref.type)
  const { tileSize } = info
  let mismatches = 0
  let first = ''
  for (let row = 0; row * tileSize < info.height; row++) {
    for (let col = 0; col * tileSize < info.width; col++) {
      const tile = await source.readTile(0, col, row)
      expect(tile.channels).toBe(1)
      for (let y = 0; y < tile.height; y++) {
        for (let x = 0; x < tile.width; x++) {
          const actual = tile.data[y * tile.width + x]!
          const expected = ref.data[(row * tileSize + y) * ref.width + col * tileSize + x]!
          if (!Object.is(actual, expected)) {
            if (mismatches++ === 0) first = `(${col * tileSize + x}, ${row * tileSize + y}): Tessera ${actual}, GDAL ${expected}`
          }
        }
      }
    }
  }
  expect(mismatches, `values differing from GDAL's, first ${first}`).toBe(0)
}

/** Georeferencing and no-data against gdalinfo -json. */
async function expectGeoreferenceAsGdal(source: RasterSource, path: string): Promise<void> {
  const info = await gdal.gdalInfo(path)
  const expected = info.geoTransform!
  const actual = source.info.georeference!.geoTransform
  for (let i = 0; i < 6; i++) expect(Math.abs(actual[i]! - expected[i]!), `geoTransform[${i}]: ${actual.join(', ')} vs ${expected.join(', ')}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected[i]!)))
  // GDAL 3.6 names no EPSG code for an ESRI .prj; Tessera identifies one (checked by the callers).
  if (gdal.epsgOf(info) !== null) expect(source.info.georeference!.epsg).toBe(gdal.epsgOf(info))
  expect(source.info.noData).toBe(gdal.noDataOf(info))
}

describe('ESRI ASCII grid: read as GDAL reads it', () => {
  it('reads an Int32 grid with xllcorner, a .prj and NODATA_value exactly, georeferenced as gdalinfo says', async () => {
    const path = await makeGrid('dem-int', gdal.demInt16(W, H), { geoTransform: UTM, srs: 'EPSG:32631', noData: -32768 })
    expect(readFileSync(path, 'latin1')).toMatch(/xllcorner/i)
    expect(existsSync(path.replace(/\.asc$/, '.prj'))).toBe(true)
    expect(gdal.sampleTypeOf(await gdal.gdalInfo(path))).toBe('int32')
    const { source } = await openWhole(path)
    expect(source.info.format).toBe('aaigrid')
    await expectValuesAsGdal(source, path)
    await expectGeoreferenceAsGdal(source, path)
    expect(source.info.georeference!.epsg).toBe(32631)
  })

  it('reads a Float32 grid with no-data exactly', async () => {
    const path = await makeGrid('depth-float', gdal.floatWithHoles(W, H), { geoTransform: UTM, srs: 'EPSG:32631', noData: -9999 })
    expect(gdal.sampleTypeOf(await gdal.gdalInfo(path))).toBe('float32')
    const { source } = await openWhole(path)
    await expectValuesAsGdal(source, path)
    await expectGeoreferenceAsGdal(source, path)
  })

  it('places a grid given by xllcenter/yllcenter half a cell further out, as GDAL does', async () => {
    const corner = await makeGrid('centre-src', gdal.floatWithHoles(W, H), { geoTransform: [1000, 0.5, 0, 2000, 0, -0.5], noData: -9999 })
    const text = readFileSync(corner, 'latin1')
    const x = Number(/xllcorner\s+(\S+)/i.exec(text)![1])
    const y = Number(/yllcorner\s+(\S+)/i.exec(text)![1])
    const path = tmp.file('centre.asc')
    // Keys in another order and case, as GDAL accepts them.
    const body = text.replace(/^(?:[a-zA-Z].*\n)+/, '')
    writeFileSync(path, `NROWS ${H}\nncols ${W}\nXLLCENTER ${x + 0.25}\nyllCenter ${y + 0.25}\nCellSize 0.5\nnodata_value -9999\n${body}`, 'latin1')
    const { source } = await openWhole(path)
    await expectGeoreferenceAsGdal(source, path)
    expect(source.info.georeference!.geoTransform[0]).toBeCloseTo(1000, 9)
    await expectValuesAsGdal(source, path)
  })

  it('reads a grid whose rows are longer than the bytes the header is looked for in', async () => {
    const path = tmp.file('long-rows.asc')
    const row = (r: number): string => Array.from({ length: 20000 }, (_, c) => ((c * 7 + r) % 1000) / 8).join(' ')
    writeFileSync(path, `ncols 20000\nnrows 3\nxllcorner 10\nyllcorner 20\ncellsize 5\n${row(0)}\n${row(1)}\n${row(2)}\n`)
    const { source } = await openWhole(path)
    await expectValuesAsGdal(source, path)
    await expectGeoreferenceAsGdal(source, path)
  })

  it('opens a large grid coarse first, with progress, then serves every value exactly', async () => {
    const path = await makeGrid('coarse-first', gdal.floatWithHoles(W, H), { geoTransform: UTM, noData: -9999 })
    const { source, progress, firstReady } = await openWhole(path, { asciiGridReadWholeBelow: 0, overviewMaxSide: 200 })
    expect(firstReady, 'opened before the grid was read whole').toBe(false)
    expect(progress.length).toBeGreaterThan(0)
    expect(source.info.pyramidReady).toBe(true)
    await expectValuesAsGdal(source, path)
  })

  it('shows pixels of the quick overview before the grid is read whole', async () => {
    const path = await makeGrid('quick', gdal.demInt16(W, H), { geoTransform: UTM, noData: -32768 })
    const source = await openRaster(path, opts({ asciiGridReadWholeBelow: 0, overviewMaxSide: 200, cacheDir: tmp.file('cache-quick') }))
    opened.push(source)
    expect(source.info.pyramidReady).toBe(false)
    const last = source.info.levels.length - 1
    const tile = await source.readTile(last, 0, 0)
    const valid = Array.from(tile.data).filter((v) => v !== -32768)
    expect(valid.length).toBeGreaterThan(0)
    for (const v of valid) expect(v).toBeGreaterThanOrEqual(-120)
  })

  it('opens a second time from its cache: no read of the grid, every value exact', async () => {
    const path = await makeGrid('cached', gdal.demInt16(W, H), { geoTransform: UTM, srs: 'EPSG:32631', noData: -32768 })
    await openWhole(path, { asciiGridReadWholeBelow: 0, overviewMaxSide: 200 })
    const cache = cachePaths(tmp.file('cache'), path, 256)
    expect(existsSync(cache.pyramid) && existsSync(cache.manifest)).toBe(true)
    const jobs: string[] = []
    const watched = new Proxy(pools().background, {
      get(target, key, receiver) {
        if (key === 'run') return (job: { kind: string }, options?: unknown) => (jobs.push(job.kind), target.run(job as never, options as never))
        return Reflect.get(target, key, receiver) as unknown
      }
    })
    const { source, progress, firstReady } = await openWhole(path, { backgroundPool: watched })
    expect(firstReady).toBe(true)
    expect(jobs, 'background jobs of the second open').toEqual([])
    expect(progress).toEqual([])
    await expectValuesAsGdal(source, path)
    await expectGeoreferenceAsGdal(source, path)
  })
})

describe('ESRI ASCII grid: malformed files are refused naming the line', () => {
  const small = (name: string, text: string): string => {
    const path = tmp.file(`${name}.asc`)
    writeFileSync(path, text)
    return path
  }
  const header = 'ncols 4\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 1\nNODATA_value -9999\n'

  it('refuses a truncated grid, saying how many values were expected', async () => {
    const path = small('truncated', `${header}10 20 30 40\n50 60 70 80\n90 100\n`)
    await expect(openRaster(path, opts())).rejects.toThrow(/truncated\.asc.*line 9: expected 12 values \(3 rows of 4.*ends after 10/)
  })

  it('refuses a header that claims more values than the file can hold, at once', async () => {
    const path = small('claims', 'ncols 200000\nnrows 200000\ncellsize 1\n1 2 3\n')
    await expect(openRaster(path, opts())).rejects.toThrow(/claims\.asc.*line 4: expected 40000000000 values .* cannot hold them/)
  })

  it('refuses a header without cellsize', async () => {
    const path = small('no-cellsize', 'ncols 4\nnrows 3\nxllcorner 0\nyllcorner 0\n1 2 3 4\n5 6 7 8\n9 10 11 12\n')
    await expect(openRaster(path, opts())).rejects.toThrow(/no-cellsize\.asc.*line 5: expected cellsize/)
  })

  it('refuses a letter among the values, naming its line', async () => {
    const path = small('letter', `${header}1 2 3 4\n5 6 x7 8\n9 10 11 12\n`)
    await expect(openRaster(path, opts())).rejects.toThrow(/letter\.asc.*line 8: expected a number but found "x7"/)
  })

  it('refuses too many values', async () => {
    const path = small('extra', `${header}1 2 3 4\n5 6 7 8\n9 10 11 12 13\n`)
    await expect(openRaster(path, opts())).rejects.toThrow(/extra\.asc.*line 9: expected no more values/)
  })
})
