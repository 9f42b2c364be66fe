/**
 * GDAL as the reference reader of the fidelity corpus (DESIGN.md §5): spawns Debian's `gdal-bin`
 * tools, reads what they write (ENVI raw band-sequential samples + .hdr, `gdalinfo -json`), and
 * generates source rasters from numbers computed here (a raw file wrapped in a VRT, which
 * `gdal_translate` turns into every codec and layout). Shared by the corpus test and benchmarks.
 */
import { execFile, execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import type { GeoTransform, SampleType } from '../../src/shared/raster'
import { seededRandom } from './seededRandom'

const run = promisify(execFile)

export type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array

/** A raster held band-sequentially: sample (band b, x, y) is data[b·width·height + y·width + x]. */
export interface Grid {
  width: number
  height: number
  bands: number
  type: SampleType
  data: Samples
}

const arrays: Record<SampleType, new (length: number) => Samples> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array
}

/** GDAL's data type names. GDAL 3.6 has no Int8: signed bytes are Byte + PIXELTYPE=SIGNEDBYTE. */
export const gdalTypeName: Record<SampleType, string> = {
  uint8: 'Byte',
  int8: 'Byte',
  uint16: 'UInt16',
  int16: 'Int16',
  uint32: 'UInt32',
  int32: 'Int32',
  float32: 'Float32',
  float64: 'Float64'
}

export function newSamples(type: SampleType, length: number): Samples {
  return new arrays[type](length)
}

export function bytesPerSample(type: SampleType): number {
  return (arrays[type] as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
}

// ——— Running GDAL ———

/** GDAL's version string ("GDAL 3.6.2, released 2023/01/02"), or null when gdal-bin is not installed. */
export function gdalVersion(): string | null {
  try {
    return execFileSync('gdalinfo', ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return null
  }
}

/** Throws a clear error when the GDAL command-line tools are missing (CI installs Debian's gdal-bin). */
export function requireGdal(): string {
  const version = gdalVersion()
  if (!version) {
    throw new Error(
      'These tests need the GDAL command-line tools (gdalinfo, gdal_translate, gdaladdo, gdalwarp) on PATH: ' +
        'install Debian\'s gdal-bin (`apt-get install gdal-bin`; .ci/run does it).'
    )
  }
  return version
}

/** Runs one GDAL tool; rejects with the command line and GDAL's own message. */
export async function gdal(tool: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })
    return stdout
  } catch (error) {
    const e = error as { stderr?: string; message: string }
    throw new Error(`${tool} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`)
  }
}

/**
 * `gdaltransform …args` of `points` written to its standard input: the first two coordinates GDAL
 * prints for each (longitude, latitude for `-t_srs EPSG:4326`: GDAL's tools keep the GIS order).
 */
export function gdalTransform(args: string[], points: readonly (readonly [number, number])[]): Promise<[number, number][]> {
  return new Promise((resolve, reject) => {
    const child = execFile('gdaltransform', args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`gdaltransform ${args.join(' ')} failed: ${(stderr || error.message).trim()}`))
      const lines = stdout.trim().split('\n')
      if (lines.length !== points.length) return reject(new Error(`gdaltransform ${args.join(' ')} printed ${lines.length} points for ${points.length}: ${stdout}`))
      resolve(lines.map((line) => line.trim().split(/\s+/).slice(0, 2).map(Number) as [number, number]))
    })
    child.stdin!.end(points.map(([x, y]) => `${x} ${y}`).join('\n') + '\n')
  })
}

/** `gdal_translate -q src dst …args`: writes `dst` and returns its path. */
export async function translate(src: string, dst: string, args: string[] = []): Promise<string> {
  await gdal('gdal_translate', ['-q', ...args, src, dst])
  return dst
}

/** `gdaladdo` (internal overviews, or an external `.ovr` with `external`), AVERAGE by default. */
export async function addOverviews(path: string, factors: number[], options: { external?: boolean; resampling?: string } = {}): Promise<void> {
  await gdal('gdaladdo', ['-q', ...(options.external ? ['-ro'] : []), '-r', options.resampling ?? 'average', path, ...factors.map(String)])
}

// ——— gdalinfo -json ———

export interface GdalBandInfo {
  band: number
  type: string
  colorInterpretation?: string
  description?: string
  noDataValue?: number | string
  mask?: { flags: string[] }
  overviews?: { size: [number, number] }[]
  /** From `-mm`; gdalinfo -json prints them rounded to 3 decimals. */
  computedMin?: number
  computedMax?: number
  metadata?: Record<string, Record<string, string>>
  colorTable?: { count: number; entries: number[][] }
}

export interface GdalInfo {
  size: [number, number]
  geoTransform?: number[]
  coordinateSystem?: { wkt: string }
  metadata?: Record<string, Record<string, string>>
  bands: GdalBandInfo[]
  files?: string[]
}

/** `gdalinfo -json` (add `-mm` for exact per-band min/max; `-stats` is avoided: it writes a .aux.xml). */
export async function gdalInfo(path: string, args: string[] = []): Promise<GdalInfo> {
  return JSON.parse(await gdal('gdalinfo', ['-json', ...args, path])) as GdalInfo
}

/** The sample type of band `index` as Tessera names it (Byte + PIXELTYPE=SIGNEDBYTE is int8). */
export function sampleTypeOf(info: GdalInfo, index = 0): SampleType {
  const band = info.bands[index]!
  const signedByte = band.metadata?.IMAGE_STRUCTURE?.PIXELTYPE === 'SIGNEDBYTE' || info.metadata?.IMAGE_STRUCTURE?.PIXELTYPE === 'SIGNEDBYTE'
  if (band.type === 'Byte') return signedByte ? 'int8' : 'uint8'
  const found = (Object.keys(gdalTypeName) as SampleType[]).find((type) => type !== 'uint8' && type !== 'int8' && gdalTypeName[type] === band.type)
  if (!found) throw new Error(`GDAL type ${band.type} has no Tessera sample type`)
  return found
}

/** GDAL's no-data value of the first band as a number (gdalinfo writes NaN/Infinity as strings), or null. */
export function noDataOf(info: GdalInfo): number | null {
  const value = info.bands[0]?.noDataValue
  if (value === undefined || value === null) return null
  return typeof value === 'number' ? value : Number(value)
}

/** EPSG code of the CRS (the top-level ID of the WKT 2 that gdalinfo prints), or null. */
export function epsgOf(info: GdalInfo): number | null {
  const wkt = info.coordinateSystem?.wkt
  if (!wkt) return null
  const match = /ID\["EPSG",(\d+)\]\]\s*$/.exec(wkt)
  return match ? Number(match[1]) : null
}

/** GeoTIFF raster type as GDAL reports it (AREA_OR_POINT; Area when absent). */
export function rasterTypeOf(info: GdalInfo): 'area' | 'point' {
  return info.metadata?.['']?.AREA_OR_POINT === 'Point' ? 'point' : 'area'
}

/** True when GDAL sees a per-dataset mask (internal mask / COG mask), not one derived from no-data or alpha. */
export function hasInternalMask(info: GdalInfo): boolean {
  return info.bands[0]?.mask?.flags.includes('PER_DATASET') === true && !info.bands[0]!.mask!.flags.includes('ALPHA')
}

/**
 * True when every pixel is valid for GDAL (no no-data, no mask, no alpha). gdalinfo prints a band's
 * mask only for PER_DATASET / ALPHA masks, never for ALL_VALID or NODATA ones: no-data is seen from
 * noDataValue.
 */
export function allValid(info: GdalInfo): boolean {
  return info.bands.every((band) => band.noDataValue === undefined && (!band.mask || band.mask.flags.includes('ALL_VALID')))
}

/** GDAL's colour interpretation names as Tessera's `ColorInterpretation`. */
export function colorInterpretationOf(band: GdalBandInfo): string {
  const name = (band.colorInterpretation ?? 'Undefined').toLowerCase()
  return name === 'grey' ? 'gray' : name
}

// ——— ENVI ———

const enviTypes: Record<number, SampleType> = { 1: 'uint8', 2: 'int16', 3: 'int32', 4: 'float32', 5: 'float64', 12: 'uint16', 13: 'uint32' }

/** Reads an ENVI file pair as GDAL writes it (`.hdr` next to the raw file; BSQ, BIL or BIP; either byte order). */
export function readEnvi(rawPath: string): Grid {
  const header = readFileSync(rawPath.replace(/\.[^./]*$/, '') + '.hdr', 'utf8')
  const field = (name: string): string => {
    const match = new RegExp(`^${name}\\s*=\\s*(.*)$`, 'mi').exec(header)
    if (!match) throw new Error(`ENVI header of ${rawPath} has no "${name}"`)
    return match[1]!.trim()
  }
  const width = Number(field('samples'))
  const height = Number(field('lines'))
  const bands = Number(field('bands'))
  const enviType = Number(field('data type'))
  const type = enviTypes[enviType]
  if (!type) throw new Error(`ENVI data type ${enviType} of ${rawPath} is not read here`)
  const offset = Number(/^header offset\s*=\s*(\d+)/mi.exec(header)?.[1] ?? 0)
  const bigEndian = /^byte order\s*=\s*1/mi.test(header)
  const interleave = (/^interleave\s*=\s*(\w+)/mi.exec(header)?.[1] ?? 'bsq').toLowerCase()
  const size = bytesPerSample(type)
  const bytes = readFileSync(rawPath)
  const count = width * height * bands
  if (bytes.length < offset + count * size) throw new Error(`ENVI file ${rawPath} holds ${bytes.length} bytes, expected ${offset + count * size}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * size)
  const data = newSamples(type, count)
  const get = (i: number): number => {
    const at = i * size
    switch (type) {
      case 'uint8': return view.getUint8(at)
      case 'int8': return view.getInt8(at)
      case 'uint16': return view.getUint16(at, !bigEndian)
      case 'int16': return view.getInt16(at, !bigEndian)
      case 'uint32': return view.getUint32(at, !bigEndian)
      case 'int32': return view.getInt32(at, !bigEndian)
      case 'float32': return view.getFloat32(at, !bigEndian)
      case 'float64': return view.getFloat64(at, !bigEndian)
    }
  }
  // Index of sample (b, x, y) in the file for each interleave; the grid is always band-sequential.
  for (let b = 0; b < bands; b++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const source = interleave === 'bip' ? (y * width + x) * bands + b : interleave === 'bil' ? (y * bands + b) * width + x : (b * height + y) * width + x
        data[(b * height + y) * width + x] = get(source)
      }
    }
  }
  return { width, height, bands, type, data }
}

let readCounter = 0

/**
 * What GDAL reads from `path`, through `gdal_translate -of ENVI` into `scratchDir`: `args` picks
 * bands (`-b 1`, `-b mask`), windows (`-srcwin x y w h`), expansion (`-expand rgb`) or open
 * options (`-oo OVERVIEW_LEVEL=0`). `signedBytes` reinterprets Byte samples as int8 (GDAL 3.6
 * reads PIXELTYPE=SIGNEDBYTE bands as unsigned bytes).
 */
export async function gdalRead(path: string, scratchDir: string, args: string[] = [], options: { signedBytes?: boolean } = {}): Promise<Grid> {
  const out = join(scratchDir, `read-${process.pid}-${readCounter++}-${basename(path).replace(/\W/g, '_')}.bin`)
  await translate(path, out, ['-of', 'ENVI', ...args])
  const grid = readEnvi(out)
  if (options.signedBytes && grid.type === 'uint8') {
    return { ...grid, type: 'int8', data: new Int8Array(grid.data.buffer, grid.data.byteOffset, grid.data.length) }
  }
  return grid
}

// ——— Sources ———

export interface SourceOptions {
  geoTransform?: GeoTransform
  /** Anything GDAL's SetFromUserInput takes: "EPSG:32631". */
  srs?: string
  noData?: number
  /** One GDAL colour interpretation per band: Gray, Red, Green, Blue, Alpha, Palette, Undefined. */
  colorInterp?: string[]
  /** One description per band ("Red", "NIR"…), which GDAL writes into the TIFF's GDAL_METADATA. */
  descriptions?: string[]
  /** Palette entries (r, g, b, a) of band 1. */
  colorTable?: [number, number, number, number][]
  /** A raster attribute table of band 1: class value and name (GDAL keeps it in the `.aux.xml` of a GeoTIFF). */
  attributeTable?: { value: number; name: string }[]
  /** Dataset metadata of the default domain (AREA_OR_POINT…). */
  metadata?: Record<string, string>
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * Writes `grid` as a little-endian raw file wrapped in a GDAL VRT (`<name>.vrt` + `<name>.raw`)
 * with its georeferencing, no-data, colour interpretation and palette; returns the VRT's path,
 * the source of `gdal_translate` for every codec and layout. Int8 grids are written as Byte (GDAL
 * 3.6 has no Int8): translate them with `-co PIXELTYPE=SIGNEDBYTE`.
 */
export function writeSource(dir: string, name: string, grid: Grid, options: SourceOptions = {}): string {
  const raw = join(dir, `${name}.raw`)
  const vrt = join(dir, `${name}.vrt`)
  const size = bytesPerSample(grid.type)
  const bytes = Buffer.alloc(grid.data.length * size)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < grid.data.length; i++) {
    const v = grid.data[i]!
    const at = i * size
    switch (grid.type) {
      case 'uint8': view.setUint8(at, v); break
      case 'int8': view.setInt8(at, v); break
      case 'uint16': view.setUint16(at, v, true); break
      case 'int16': view.setInt16(at, v, true); break
      case 'uint32': view.setUint32(at, v, true); break
      case 'int32': view.setInt32(at, v, true); break
      case 'float32': view.setFloat32(at, v, true); break
      case 'float64': view.setFloat64(at, v, true); break
    }
  }
  writeFileSync(raw, bytes)
  const lines: string[] = [`<VRTDataset rasterXSize="${grid.width}" rasterYSize="${grid.height}">`]
  if (options.srs) lines.push(`  <SRS>${xml(options.srs)}</SRS>`)
  if (options.geoTransform) lines.push(`  <GeoTransform>${options.geoTransform.map((v) => v.toPrecision(17)).join(', ')}</GeoTransform>`)
  if (options.metadata) {
    lines.push('  <Metadata>')
    for (const [key, value] of Object.entries(options.metadata)) lines.push(`    <MDI key="${xml(key)}">${xml(value)}</MDI>`)
    lines.push('  </Metadata>')
  }
  for (let b = 0; b < grid.bands; b++) {
    lines.push(`  <VRTRasterBand dataType="${gdalTypeName[grid.type]}" band="${b + 1}" subClass="VRTRawRasterBand">`)
    if (options.noData !== undefined) lines.push(`    <NoDataValue>${options.noData}</NoDataValue>`)
    const description = options.descriptions?.[b]
    if (description) lines.push(`    <Description>${xml(description)}</Description>`)
    const interp = options.colorInterp?.[b]
    if (interp) lines.push(`    <ColorInterp>${interp}</ColorInterp>`)
    if (b === 0 && options.colorTable) {
      lines.push('    <ColorTable>')
      for (const [r, g, bl, a] of options.colorTable) lines.push(`      <Entry c1="${r}" c2="${g}" c3="${bl}" c4="${a}"/>`)
      lines.push('    </ColorTable>')
    }
    if (b === 0 && options.attributeTable) {
      lines.push('    <GDALRasterAttributeTable tableType="thematic">')
      lines.push('      <FieldDefn index="0"><Name>Value</Name><Type>0</Type><Usage>5</Usage></FieldDefn>')
      lines.push('      <FieldDefn index="1"><Name>Class_Name</Name><Type>2</Type><Usage>2</Usage></FieldDefn>')
      options.attributeTable.forEach(({ value, name }, row) => lines.push(`      <Row index="${row}"><F>${value}</F><F>${xml(name)}</F></Row>`))
      lines.push('    </GDALRasterAttributeTable>')
    }
    lines.push(`    <SourceFilename relativeToVRT="1">${xml(basename(raw))}</SourceFilename>`)
    lines.push(`    <ImageOffset>${b * grid.width * grid.height * size}</ImageOffset>`)
    lines.push(`    <PixelOffset>${size}</PixelOffset>`)
    lines.push(`    <LineOffset>${grid.width * size}</LineOffset>`)
    lines.push('    <ByteOrder>LSB</ByteOrder>')
    lines.push('  </VRTRasterBand>')
  }
  lines.push('</VRTDataset>')
  writeFileSync(vrt, lines.join('\n') + '\n')
  return vrt
}

let sourceCounter = 0

/**
 * A raster file written by GDAL: `grid` (with `source` georeferencing, no-data, palette…) as a VRT,
 * translated by `gdal_translate …args` into `<dir>/<name>.tif` (or any extension the args' `-of`
 * wants). The generator of the fidelity corpus and of benchmark files.
 */
export async function gdalRaster(dir: string, name: string, grid: Grid, args: string[], source: SourceOptions = {}, extension = 'tif'): Promise<string> {
  const vrt = writeSource(dir, `${name}-src-${process.pid}-${sourceCounter++}`, grid, source)
  return translate(vrt, join(dir, `${name}.${extension}`), args)
}

// ——— Generated grids (numbers computed here, deterministic) ———

/** Value ranges of `valueGrid` per type: wide, signed types with negatives. */
const ranges: Record<SampleType, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-3000, 5000],
  uint32: [0, 4_000_000_000],
  int32: [-2_000_000_000, 2_000_000_000],
  float32: [-500.25, 4973.9],
  float64: [-1e6, 1e6]
}

/**
 * A smooth field with noise, different per band, spread over `type`'s range (signed types go
 * negative); floats keep fractional parts (float64 ones that float32 cannot hold).
 */
export function valueGrid(width: number, height: number, bands: number, type: SampleType, seed = 1): Grid {
  const random = seededRandom(seed)
  const data = newSamples(type, width * height * bands)
  const [lo, hi] = ranges[type]
  const integer = !type.startsWith('float')
  for (let b = 0; b < bands; b++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const smooth = 0.5 + 0.3 * Math.sin((x + 17 * b) / 53) * Math.cos((y - 11 * b) / 41) + 0.15 * ((x + y + 40 * b) / (width + height + 40 * bands) - 0.5)
        const t = Math.min(1, Math.max(0, smooth + 0.05 * (random() - 0.5)))
        // The corners reach the ends of the range.
        const u = x === 0 && y === 0 ? 0 : x === width - 1 && y === height - 1 ? 1 : t
        const value = lo + u * (hi - lo)
        data[(b * height + y) * width + x] = integer ? Math.round(value) : type === 'float64' ? value + 1e-9 * (x % 7) : value
      }
    }
  }
  return { width, height, bands, type, data }
}

/** A disk of no-data (centre, radius) and a no-data strip along the left edge, `stripWidth` wide. */
function isHole(x: number, y: number, width: number, height: number, stripWidth: number): boolean {
  const cx = width * 0.62
  const cy = height * 0.45
  const r = Math.min(width, height) * 0.18
  return x < stripWidth || (x - cx) ** 2 + (y - cy) ** 2 < r * r
}

/**
 * An Int16 elevation model (metres, −120…4000, with 331 at (10, 10) and −45 at (11, 10)) with
 * no-data −32768 in a disk and a 5-pixel strip on the left (odd, so reduced blocks mix).
 */
export function demInt16(width: number, height: number, noData = -32768): Grid {
  const random = seededRandom(7)
  const data = new Int16Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const h = 1800 + 1500 * Math.sin(x / 97) * Math.cos(y / 71) - 0.8 * y + 40 * (random() - 0.5)
      data[y * width + x] = isHole(x, y, width, height, 5) ? noData : Math.max(-120, Math.min(4000, Math.round(h)))
    }
  }
  data[10 * width + 10] = 331
  data[10 * width + 11] = -45
  return { width, height, bands: 1, type: 'int16', data }
}

/** A Float32 water-depth-like grid (0.013…12.9 m, fractional) with no-data −9999 in a disk and a 3-pixel strip. */
export function floatWithHoles(width: number, height: number, noData = -9999): Grid {
  const random = seededRandom(11)
  const data = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = 6.5 + 6 * Math.sin((x + y) / 83) * Math.sin((x - y) / 59) + 0.4 * (random() - 0.5)
      data[y * width + x] = isHole(x, y, width, height, 3) ? noData : Math.max(0.013, d)
    }
  }
  return { width, height, bands: 1, type: 'float32', data }
}

/**
 * A smooth 8-bit RGB picture (photo-like, so that JPEG/WebP rounding stays small), with an alpha
 * band when `alpha`: 0 inside a disk and a rectangle, 255 elsewhere (the source of internal masks).
 */
export function rgbImage(width: number, height: number, alpha = false): Grid {
  const bands = alpha ? 4 : 3
  const data = new Uint8Array(width * height * bands)
  const plane = width * height
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      data[i] = Math.round(20 + (215 * x) / Math.max(1, width - 1))
      data[plane + i] = Math.round(30 + (200 * y) / Math.max(1, height - 1))
      data[2 * plane + i] = Math.round(128 + 90 * Math.sin((x + y) / 97))
      if (alpha) data[3 * plane + i] = isHole(x, y, width, height, 0) || (x > width * 0.1 && x < width * 0.3 && y > height * 0.6) ? 0 : 255
    }
  }
  return { width, height, bands, type: 'uint8', data }
}

/** A 16-colour palette image: indices in bands of 23 pixels, and its colour table (opaque). */
export function paletteImage(width: number, height: number): { grid: Grid; colorTable: [number, number, number, number][] } {
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (Math.floor(x / 23) + 3 * Math.floor(y / 31)) % 16
  const colorTable: [number, number, number, number][] = []
  for (let i = 0; i < 16; i++) colorTable.push([(i * 53) % 256, (i * 97 + 40) % 256, 255 - ((i * 31) % 256), 255])
  return { grid: { width, height, bands: 1, type: 'uint8', data }, colorTable }
}
