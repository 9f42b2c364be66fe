/**
 * The fixture of the tests that open GDAL-written rasters with `openRaster` (fidelity, ASCII grids,
 * side-cars, band composites): a temporary folder, a tile pool and a background pool made before
 * the file's tests and closed after them, GDAL required (CI installs it: without it every test
 * fails with the reason, never skips), and every source a test opened closed after it.
 */
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import type { OpenOptions, RasterSource } from '../../src/main/raster'
import * as gdal from './gdal'
import { tempDir } from './images'

export interface RasterCorpus {
  tmp: ReturnType<typeof tempDir>
  /** Sources to close after the current test. */
  opened: RasterSource[]
  /** The pools (valid from the first test on). */
  pools(): { pool: DecodePool; background: DecodePool }
  /** Options of `openRaster` with the pools and a pyramid cache in the folder. */
  opts(extra?: OpenOptions): OpenOptions
}

/** Registers the hooks of the fixture in the calling test file; `name` names its folder and pools. */
export function useRasterCorpus(name: string): RasterCorpus {
  const tmp = tempDir(`tessera-${name}-`)
  const opened: RasterSource[] = []
  let pool: DecodePool | undefined
  let background: DecodePool | undefined
  beforeAll(() => {
    gdal.requireGdal()
    pool = createDecodePool({ size: 2, name: `${name} tile pool` })
    background = createDecodePool({ size: 1, name: `${name} background pool` })
  })
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((source) => source.close()))
  })
  afterAll(async () => {
    await Promise.all([pool?.close(), background?.close()])
    tmp.cleanup()
  })
  const pools = (): { pool: DecodePool; background: DecodePool } => ({ pool: pool!, background: background! })
  return { tmp, opened, pools, opts: (extra = {}) => ({ pool, backgroundPool: background, cacheDir: tmp.file('cache'), ...extra }) }
}
