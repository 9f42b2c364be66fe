/**
 * What the renderer makes of a tile's samples, with no GPU and no DOM (tested as plain functions):
 * the float arrays given to the textures of 'bands' tiles (one displayed band, or three as RGB with
 * a validity channel), the original values under the cursor, the layer's default band stretch, the
 * opacity rule, and the affine pixel → map transform.
 */
import type { GeoTransform, RasterInfo } from '../../shared/raster'
import type { TileMessage } from '../../shared/protocol'
import type { ColormapName } from './colormaps'
import { validHillshade, type HillshadeStyle } from './hillshade'

/** The bands shown, 0-based: one (stretched through a colour map) or three (R, G, B, each stretched). */
export type DisplayBands = [number] | [number, number, number]

/** The samples of one tile as received: `channels` interleaved samples per pixel. */
export interface TileSamples {
  width: number
  height: number
  channels: number
  values: TileMessage['data']
}

/** What tells a valid sample from no data in a 'bands' tile. */
export interface Validity {
  /** The tile's last channel is a validity mask (0 = masked). */
  mask: boolean
  /** Samples equal to it are no data. */
  noData: number | null
}

/** How the bands of a raster are shown: which bands, each band's stretch range, the single band's colour map. */
export interface BandRange {
  min: number
  max: number
}

/** True when a sample is no data: NaN, or equal to the no-data value. */
export function isNoDataSample(value: number, noData: number | null): boolean {
  return Number.isNaN(value) || (noData !== null && value === noData)
}

/**
 * The values of one displayed band as float32 (for a 'r32float' texture): NaN where the mask says
 * no data, where the sample equals no-data or is NaN, so that the stretch shader leaves it transparent.
 */
export function singleBandFloats(tile: TileSamples, band: number, validity: Validity): Float32Array {
  const { width, height, channels, values } = tile
  checkBand(band, channels, validity.mask)
  const count = width * height
  const out = new Float32Array(count)
  const maskAt = channels - 1
  for (let i = 0, at = 0; i < count; i++, at += channels) {
    const v = values[at + band]!
    out[i] = (validity.mask && values[at + maskAt] === 0) || isNoDataSample(v, validity.noData) ? Number.NaN : v
  }
  return out
}

/**
 * Three displayed bands as RGBA float32 (for a 'rgba32float' texture): r, g, b the bands' values,
 * a = 1 where valid, 0 where no data (the mask says so, or any of the three bands equals no-data or
 * is NaN); no-data pixels carry 0 in r, g, b (never NaN: the shader needs no isnan).
 */
export function rgbBandFloats(tile: TileSamples, bands: readonly [number, number, number], validity: Validity): Float32Array {
  const { width, height, channels, values } = tile
  for (const band of bands) checkBand(band, channels, validity.mask)
  const [r, g, b] = bands
  const count = width * height
  const out = new Float32Array(count * 4)
  const maskAt = channels - 1
  for (let i = 0, at = 0; i < count; i++, at += channels) {
    const vr = values[at + r]!
    const vg = values[at + g]!
    const vb = values[at + b]!
    const valid =
      !(validity.mask && values[at + maskAt] === 0) &&
      !isNoDataSample(vr, validity.noData) &&
      !isNoDataSample(vg, validity.noData) &&
      !isNoDataSample(vb, validity.noData)
    if (!valid) continue // zeros: transparent black
    const o = i * 4
    out[o] = vr
    out[o + 1] = vg
    out[o + 2] = vb
    out[o + 3] = 1
  }
  return out
}

/** The float array for the texture of a 'bands' tile showing `bands` (one band or three). */
export function displayFloats(tile: TileSamples, bands: DisplayBands, validity: Validity): Float32Array {
  return bands.length === 1 ? singleBandFloats(tile, bands[0], validity) : rgbBandFloats(tile, bands, validity)
}

function checkBand(band: number, channels: number, mask: boolean): void {
  const bands = channels - (mask ? 1 : 0)
  if (!Number.isInteger(band) || band < 0 || band >= bands) {
    throw new RangeError(`Expected a band index in 0..${bands - 1} but received ${String(band)}`)
  }
}

/**
 * The file's original values at one pixel, one entry per band of the file; null for a band whose
 * sample is no data. For 'bands' tiles the mask channel is left out (masked: every band null); for
 * 'rgba8' tiles only the file's own bands: grey → 1 value, RGB → 3, alpha only where the file
 * declares one (palette images show the colour, r g b). Null outside the tile.
 */
export function pixelValues(
  tile: TileSamples,
  info: Pick<RasterInfo, 'tileKind' | 'tileMask' | 'bands' | 'hasAlpha' | 'hasMask' | 'noData' | 'bandInfo'>,
  x: number,
  y: number
): Array<number | null> | null {
  const px = Math.floor(x)
  const py = Math.floor(y)
  if (!(px >= 0 && py >= 0 && px < tile.width && py < tile.height)) return null
  const at = (py * tile.width + px) * tile.channels
  const { values } = tile
  if (info.tileKind === 'bands') {
    const bands = tile.channels - (info.tileMask ? 1 : 0)
    const masked = info.tileMask && values[at + bands] === 0
    const out: Array<number | null> = []
    for (let b = 0; b < bands; b++) {
      const v = values[at + b]!
      out.push(masked || isNoDataSample(v, info.noData) ? null : v)
    }
    return out
  }
  // RGBA8: which of r, g, b, a are the file's.
  const alphaBands = info.bandInfo?.filter((b) => b.colorInterpretation === 'alpha').length ?? 0
  const fileAlpha = alphaBands > 0 || (info.hasAlpha && !info.hasMask && (info.bands === 2 || info.bands === 4))
  const colourBands = info.bands - (fileAlpha ? 1 : 0)
  const palette = info.bandInfo?.[0]?.colorInterpretation === 'palette'
  const colourIndices = colourBands >= 3 || palette ? [0, 1, 2] : [0]
  const a = values[at + 3]!
  // A pixel the mask (or the host's no-data) made transparent is no data; a file's own alpha is a value.
  if (a === 0 && !fileAlpha && (info.hasMask || info.hasAlpha || info.noData !== null)) return colourIndices.map(() => null)
  const out: Array<number | null> = colourIndices.map((c) => {
    const v = values[at + c]!
    return palette || info.noData === null || v !== info.noData ? v : null
  })
  if (fileAlpha) out.push(a)
  return out
}

/** What `defaultBandRange` reads of a raster's description. */
type RangeSource = Pick<RasterInfo, 'bandInfo' | 'statistics' | 'displayBands' | 'bands' | 'tileKind' | 'tileChannels' | 'tileMask'> &
  Partial<Pick<RasterInfo, 'tileSampleType' | 'noData'>>

/**
 * The default stretch range of a band: 0–255 for a single 8-bit band without no-data (a grey scan
 * looks as it is until the person stretches it), else its 2nd–98th percentiles (every band of a
 * multi-band raster, 8-bit ones too: a Landsat scene at 0–255 opens dark), else its min–max, else [0, 1].
 */
export function defaultBandRange(info: RangeSource, band: number): BandRange {
  if (info.tileSampleType === 'uint8' && (info.noData ?? null) === null && tileBandCount(info) === 1) return { min: 0, max: 255 }
  const stats = info.bandInfo?.[band]?.statistics ?? (band === info.displayBands?.[0] ? info.statistics : null)
  if (stats) {
    if (Number.isFinite(stats.p2) && Number.isFinite(stats.p98) && stats.p98 > stats.p2) return { min: stats.p2, max: stats.p98 }
    if (Number.isFinite(stats.min) && Number.isFinite(stats.max) && stats.max > stats.min) return { min: stats.min, max: stats.max }
    if (Number.isFinite(stats.min)) return { min: stats.min - 0.5, max: stats.min + 0.5 }
  }
  return { min: 0, max: 1 }
}

/** Default stretch range of every band of the raster. */
export function defaultBandRanges(info: RangeSource): BandRange[] {
  return Array.from({ length: Math.max(1, info.bands) }, (_, b) => defaultBandRange(info, b))
}

/**
 * Bands the tiles of a raster carry, each in its own channel: for 'bands' tiles their channels but
 * the validity one (a 16-bit picture's alpha becomes that channel, not a band); else the file's bands.
 */
export function tileBandCount(info: Pick<RasterInfo, 'bands' | 'tileKind' | 'tileChannels' | 'tileMask'>): number {
  if (info.tileKind !== 'bands') return info.bands
  return Math.max(1, Math.min(info.bands, info.tileChannels - (info.tileMask ? 1 : 0)))
}

/** The bands shown by default: the raster's `displayBands` when valid, else band 1 (or 1-2-3 for three bands or more). */
export function defaultDisplayBands(info: Pick<RasterInfo, 'bands' | 'displayBands' | 'tileKind' | 'tileChannels' | 'tileMask'>): DisplayBands {
  const count = tileBandCount(info)
  const valid = (b: number): boolean => Number.isInteger(b) && b >= 0 && b < count
  const given = info.displayBands
  if (given && (given.length === 1 || given.length === 3) && given.every(valid)) return [...given] as DisplayBands
  return count >= 3 ? [0, 1, 2] : [0]
}

/**
 * True when every pixel of the raster is opaque, so nothing under it can be seen: an 'rgba8' raster
 * without alpha (nor mask), or a 'bands' raster without mask and without no-data. (NaN samples of a
 * float raster without declared no-data are not foreseen: they show the background.)
 */
export function isOpaqueRaster(info: Pick<RasterInfo, 'tileKind' | 'hasAlpha' | 'hasMask' | 'tileMask' | 'noData'>): boolean {
  if (info.tileKind === 'bands') return !info.tileMask && !info.hasMask && info.noData === null
  return !info.hasAlpha && !info.hasMask
}

/** Map coordinates of full-resolution pixel position (x, y) (corner convention) through GDAL's affine geotransform. */
export function pixelToMap(gt: GeoTransform, x: number, y: number): { x: number; y: number } {
  return { x: gt[0] + x * gt[1] + y * gt[2], y: gt[3] + x * gt[4] + y * gt[5] }
}

/**
 * The description with every field of the issue-11 contract present: a host from before it (no
 * `tileKind`: 1-channel tiles were one value band, 4-channel ones RGBA8; no-data in the statistics)
 * is read the same way as a current one.
 */
export function withContractDefaults(info: RasterInfo): RasterInfo {
  const partial = info as Partial<RasterInfo> & RasterInfo
  const tileKind = partial.tileKind ?? (partial.tileChannels === 4 ? 'rgba8' : 'bands')
  const bands = Math.max(1, partial.bands ?? 1)
  return {
    ...info,
    tileKind,
    tileMask: partial.tileMask ?? false,
    hasMask: partial.hasMask ?? false,
    noData: partial.noData !== undefined ? partial.noData : (partial.statistics?.noData ?? null),
    bandInfo:
      partial.bandInfo ??
      Array.from({ length: bands }, (_, b) => ({ colorInterpretation: 'undefined' as const, statistics: b === 0 ? (partial.statistics ?? null) : null })),
    displayBands: partial.displayBands ?? (tileKind === 'bands' && bands >= 3 ? [0, 1, 2] : [0]),
    warnings: partial.warnings ?? [],
    tileSampleType: partial.tileSampleType ?? (tileKind === 'rgba8' ? 'uint8' : partial.sampleType),
    georeference: georeferenceWithDefaults(partial.georeference)
  }
}

/** A georeference of the contract before issue 11 (north-up origin and pixel size) as a geotransform. */
function georeferenceWithDefaults(geo: RasterInfo['georeference'] | undefined): RasterInfo['georeference'] {
  if (!geo) return null
  if (Array.isArray(geo.geoTransform)) return geo
  const old = geo as unknown as { originX: number; originY: number; pixelSizeX: number; pixelSizeY: number; epsg?: number | null }
  if (![old.originX, old.originY, old.pixelSizeX, old.pixelSizeY].every(Number.isFinite)) return null
  return { geoTransform: [old.originX, old.pixelSizeX, 0, old.originY, 0, old.pixelSizeY], rasterType: 'area', epsg: old.epsg ?? null, rotated: false }
}

/** How a 'bands' layer is shown: the bands, every band's stretch range (by band index), the colour map of a single band. */
export interface LayerDisplay {
  bands: DisplayBands
  /** Stretch range of each band of the file (index = band). */
  ranges: BandRange[]
  colormap: ColormapName
  /** Shaded as `gdaldem hillshade` (one band shown): absent or undefined, the stretch alone. */
  hillshade?: HillshadeStyle
}

/**
 * A change of a layer's display. `min`/`max` (the single-band stretch of before) set the range of
 * the first displayed band; `ranges` sets the range of the bands it names.
 */
export interface LayerDisplayChange {
  bands?: DisplayBands
  ranges?: Record<number, BandRange>
  min?: number
  max?: number
  colormap?: ColormapName
  /** A hillshade style, or null to stop shading. */
  hillshade?: HillshadeStyle | null
}

/** The display after a change; invalid parts (unknown band, empty or reversed range) are ignored. */
export function applyDisplayChange(display: LayerDisplay, change: LayerDisplayChange, bandCount: number): LayerDisplay {
  const validBand = (b: number): boolean => Number.isInteger(b) && b >= 0 && b < bandCount
  const validRange = (r: BandRange | undefined): r is BandRange =>
    r !== undefined && Number.isFinite(r.min) && Number.isFinite(r.max) && r.max > r.min
  let bands = display.bands
  if (change.bands && (change.bands.length === 1 || change.bands.length === 3) && change.bands.every(validBand)) {
    const same = change.bands.length === bands.length && change.bands.every((b, i) => b === bands[i])
    if (!same) bands = [...change.bands] as DisplayBands
  }
  const ranges = display.ranges.map((r) => ({ ...r }))
  for (const [key, range] of Object.entries(change.ranges ?? {})) {
    const band = Number(key)
    if (validBand(band) && validRange(range)) ranges[band] = { min: range.min, max: range.max }
  }
  const legacy = { min: change.min ?? ranges[bands[0]]?.min ?? 0, max: change.max ?? ranges[bands[0]]?.max ?? 1 }
  if ((change.min !== undefined || change.max !== undefined) && validRange(legacy)) ranges[bands[0]] = legacy
  const next: LayerDisplay = { bands, ranges, colormap: change.colormap ?? display.colormap }
  const hillshade = change.hillshade === undefined ? display.hillshade : change.hillshade === null ? undefined : validHillshade(change.hillshade)
  if (hillshade) next.hillshade = hillshade
  return next
}
