/**
 * The COGs of the `remote` suite, written once by GDAL (`gdal_translate -of COG`) into a cache
 * folder under bench/ (bench/.cache/remote, ignored by git) and served by nginx:
 * - an orthophoto-like RGB COG, 256² JPEG tiles (quality 85) with GDAL's overviews, 30000² (12000²
 *   with --quick): an artwork drawn by sharp at 1/8 of the side and enlarged by GDAL (cubic), as the
 *   `view` suite's image is made;
 * - a Float32 DEM COG, 256² DEFLATE tiles (floating-point predictor), 10000² (5000² with --quick):
 *   a terrain of sines and noise computed at 1/5 of the side and enlarged by GDAL (cubic spline).
 * Both in EPSG:3857 at 1 m a pixel with the origin at the top-left corner: map X = pixel x, map
 * Y = −pixel y (what OpenLayers' page and the walk rely on). Files are written under a temporary
 * name and renamed when complete; their names carry the side.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { gdal, requireGdal, writeSource, type Grid } from '../../test/helpers/gdal'
import { seededRandom } from '../../test/helpers/seededRandom'

export interface RemoteCog {
  /** What it is, for the table: "RGB JPEG COG 30000²". */
  label: string
  /** Its file name, as served: `/ortho-30000.tif`. */
  name: string
  path: string
  side: number
  kind: 'rgb' | 'dem'
  /** The DEM's value range (for OpenLayers' normalisation), null for the RGB COG. */
  range: [number, number] | null
}

const JPEG_QUALITY = 85
export const DEM_RANGE: [number, number] = [-50, 3200]

/** Shapes of every size on a gradient, so each level has detail (as bench/view/images.ts draws it). */
function artworkSvg(side: number): string {
  const shapes: string[] = []
  for (let i = 0; i < 500; i++) {
    shapes.push(`<circle cx="${(i * 7919) % side}" cy="${(i * 104729) % side}" r="${4 + (i % 23) * 6}" fill="hsl(${(i * 37) % 360},65%,${35 + (i % 5) * 8}%)" opacity="0.75"/>`)
  }
  for (let i = 0; i < 800; i++) {
    const x = (i * 15485863) % side
    const y = (i * 32452843) % side
    shapes.push(`<line x1="${x}" y1="${y}" x2="${(x + side / 5) % side}" y2="${(y + side / 9) % side}" stroke="hsl(${(i * 53) % 360},80%,70%)" stroke-width="${1 + (i % 4)}"/>`)
  }
  for (let i = 0; i < 400; i++) {
    shapes.push(`<text x="${(i * 104723) % side}" y="${(i * 7907) % side}" font-size="${6 + (i % 9) * 4}" fill="#fff">TESSERA ${i}</text>`)
  }
  return `<svg width="${side}" height="${side}" xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#0b2a3c"/><stop offset="1" stop-color="#c8b070"/></linearGradient></defs><rect width="${side}" height="${side}" fill="url(#g)"/>${shapes.join('')}</svg>`
}

/** A terrain (metres) of crossing sines, a slope and noise, within DEM_RANGE. */
function terrain(side: number): Grid {
  const random = seededRandom(24)
  const data = new Float32Array(side * side)
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const h = 1500 + 900 * Math.sin(x / 61) * Math.cos(y / 47) + 400 * Math.sin((x + 2 * y) / 233) - (0.3 * y * 2000) / side + 25 * (random() - 0.5)
      data[y * side + x] = Math.max(DEM_RANGE[0], Math.min(DEM_RANGE[1], h))
    }
  }
  return { width: side, height: side, bands: 1, type: 'float32', data }
}

const cogOptions = (side: number): string[] => [
  '-q', '-of', 'COG', '-co', 'BLOCKSIZE=256', '-co', 'NUM_THREADS=ALL_CPUS', '-co', 'OVERVIEW_RESAMPLING=AVERAGE',
  '-a_srs', 'EPSG:3857', '-a_ullr', '0', '0', String(side), String(-side), '-outsize', String(side), String(side)
]

/** Makes (or finds in `cacheDir`) both COGs. Returns them and the seconds spent writing (0 when cached). */
export async function ensureRemoteCogs(cacheDir: string, quick: boolean): Promise<{ cogs: RemoteCog[]; generatedSeconds: number }> {
  requireGdal()
  mkdirSync(cacheDir, { recursive: true })
  const started = performance.now()
  let generated = false
  const orthoSide = quick ? 12000 : 30000
  const demSide = quick ? 5000 : 10000
  const ortho: RemoteCog = { label: `RGB JPEG COG ${orthoSide}²`, name: `ortho-${orthoSide}.tif`, path: join(cacheDir, `ortho-${orthoSide}.tif`), side: orthoSide, kind: 'rgb', range: null }
  const dem: RemoteCog = { label: `Float32 DEM COG ${demSide}²`, name: `dem-${demSide}.tif`, path: join(cacheDir, `dem-${demSide}.tif`), side: demSide, kind: 'dem', range: DEM_RANGE }
  if (!existsSync(ortho.path)) {
    const small = join(cacheDir, `ortho-art-${orthoSide / 8}.png`)
    await sharp(Buffer.from(artworkSvg(orthoSide / 8))).removeAlpha().png({ compressionLevel: 1 }).toFile(small)
    const partial = `${ortho.path}.partial.tif`
    await gdal('gdal_translate', [...cogOptions(orthoSide), '-r', 'cubic', '-co', 'COMPRESS=JPEG', '-co', `QUALITY=${JPEG_QUALITY}`, small, partial])
    renameSync(partial, ortho.path)
    rmSync(small, { force: true })
    generated = true
  }
  if (!existsSync(dem.path)) {
    const source = writeSource(cacheDir, `dem-source-${demSide / 5}`, terrain(demSide / 5))
    const partial = `${dem.path}.partial.tif`
    await gdal('gdal_translate', [...cogOptions(demSide), '-r', 'cubicspline', '-ot', 'Float32', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=YES', source, partial])
    renameSync(partial, dem.path)
    for (const file of readdirSync(cacheDir)) if (file.startsWith('dem-source-')) rmSync(join(cacheDir, file), { force: true })
    generated = true
  }
  return { cogs: [ortho, dem], generatedSeconds: generated ? (performance.now() - started) / 1000 : 0 }
}
