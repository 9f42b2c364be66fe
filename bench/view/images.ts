/**
 * The image of the `view` suite, made once and cached in bench/.cache: a 16384² tiled pyramidal
 * TIFF (256² JPEG tiles, what Tessera reads in place) and its Deep Zoom twin for OpenSeadragon,
 * cut by sharp `.tile()` from the same pixels with the same tile size, no overlap and the same JPEG
 * quality, so both viewers decode the same pixels in the same codec; and a Cloud-Optimised GeoTIFF
 * of it written by GDAL (`gdal_translate -of COG`, 256² JPEG tiles at the same quality, GDAL's
 * overviews, EPSG:3857 at 1 m a pixel with the origin at the top-left corner, so that map X = pixel
 * x and map Y = −pixel y): the file OpenLayers reads over HTTP range requests, and Tessera in place.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'

export const VIEW_IMAGE_SIDE = 16384
export const VIEW_TILE_SIZE = 256
const JPEG_QUALITY = 85
/** The artwork is drawn at side / ARTWORK_SCALE and enlarged. */
const ARTWORK_SCALE = 8

export interface ViewImages {
  side: number
  /** The tiled pyramidal TIFF. */
  tiff: string
  /** The .dzi descriptor; its tiles are in `<name>_files/` beside it. */
  dzi: string
  /** The COG twin (GDAL). */
  cog: string
  /** Seconds spent generating (0 when both came from the cache). */
  generatedSeconds: number
}

/** An SVG with shapes of every size (large discs down to thin lines), so each level has detail. */
function artwork(side: number): string {
  const shapes: string[] = []
  for (let i = 0; i < 400; i++) {
    shapes.push(`<circle cx="${(i * 7919) % side}" cy="${(i * 104729) % side}" r="${(40 + (i % 23) * 45) / ARTWORK_SCALE}" fill="hsl(${(i * 37) % 360},65%,${35 + (i % 5) * 8}%)" opacity="0.75"/>`)
  }
  for (let i = 0; i < 600; i++) {
    const x = (i * 15485863) % side
    const y = (i * 32452843) % side
    shapes.push(`<line x1="${x}" y1="${y}" x2="${(x + side / 5) % side}" y2="${(y + side / 9) % side}" stroke="hsl(${(i * 53) % 360},80%,70%)" stroke-width="${(2 + (i % 7)) / 2}"/>`)
  }
  for (let i = 0; i < 300; i++) {
    shapes.push(`<text x="${(i * 104723) % side}" y="${(i * 7907) % side}" font-size="${(24 + (i % 9) * 30) / ARTWORK_SCALE + 4}" fill="#fff">TESSERA ${i}</text>`)
  }
  return `<svg width="${side}" height="${side}" xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#0b2a3c"/><stop offset="1" stop-color="#c8b070"/></linearGradient></defs><rect width="${side}" height="${side}" fill="url(#g)"/>${shapes.join('')}</svg>`
}

/** Makes (or finds in `cacheDir`) the TIFF and its DZI twin. Files are written under a temporary name and renamed when complete. */
export async function ensureViewImages(cacheDir: string, side = VIEW_IMAGE_SIDE): Promise<ViewImages> {
  mkdirSync(cacheDir, { recursive: true })
  const base = join(cacheDir, `view-${side}`)
  const tiff = `${base}.tif`
  const dzi = `${base}.dzi`
  const started = performance.now()
  let generated = false
  if (!existsSync(tiff) || !existsSync(dzi)) {
    // Drawn small, rasterised once, then enlarged in memory: a pipeline from the SVG itself would
    // render the whole document again for every region libvips asks for (minutes instead of seconds).
    const drawn = await sharp(Buffer.from(artwork(side / ARTWORK_SCALE))).removeAlpha().png({ compressionLevel: 0 }).toBuffer()
    const pixels = await sharp(drawn).resize(side, side, { kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true })
    const full = (): Sharp => sharp(pixels.data, { raw: { width: side, height: side, channels: pixels.info.channels }, limitInputPixels: false })
    const partial = `${base}.partial`
    rmSync(`${partial}_files`, { recursive: true, force: true })
    await full()
      .tiff({ tile: true, tileWidth: VIEW_TILE_SIZE, tileHeight: VIEW_TILE_SIZE, pyramid: true, compression: 'jpeg', quality: JPEG_QUALITY })
      .toFile(`${partial}.tif`)
    await full().jpeg({ quality: JPEG_QUALITY }).tile({ size: VIEW_TILE_SIZE, overlap: 0, layout: 'dz' }).toFile(`${partial}.dz`)
    rmSync(`${base}_files`, { recursive: true, force: true })
    renameSync(`${partial}_files`, `${base}_files`)
    renameSync(`${partial}.dzi`, dzi)
    renameSync(`${partial}.tif`, tiff)
    generated = true
  }
  const cog = `${base}-cog.tif`
  if (!existsSync(cog)) {
    const made = spawnSync(
      'gdal_translate',
      ['-q', '-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', `QUALITY=${JPEG_QUALITY}`, '-co', `BLOCKSIZE=${VIEW_TILE_SIZE}`, '-co', 'OVERVIEW_RESAMPLING=AVERAGE',
        '-a_srs', 'EPSG:3857', '-a_ullr', '0', '0', String(side), String(-side), tiff, `${cog}.partial`],
      { encoding: 'utf8' }
    )
    if (made.error || made.status !== 0) {
      throw new Error(`Expected gdal_translate (Debian's gdal-bin) to write the bench COG but it ${made.error ? `could not run (${made.error.message})` : `failed: ${made.stderr}`}`)
    }
    renameSync(`${cog}.partial`, cog)
    generated = true
  }
  return { side, tiff, dzi, cog, generatedSeconds: generated ? (performance.now() - started) / 1000 : 0 }
}
