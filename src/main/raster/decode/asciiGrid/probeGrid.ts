/**
 * Worker side of opening an ESRI ASCII grid: its header, its georeferencing (the header's corner
 * or centre, the CRS of the `.prj` or `.aux.xml` beside it), its sample type as GDAL decides it,
 * and a quick overview that reads a small part of the file.
 *
 * GDAL reads a grid as Float32 when NODATA_value or any value has a decimal point, a decimal comma
 * or an exponent, and as Int32 otherwise, scanning the whole file for it. Tessera scans files up to
 * TYPE_SCAN_MAX_BYTES whole (memchr speed: a few tenths of a second for 500 MB in the page cache);
 * a larger one is judged on its first megabyte and the sampled rows, and its full read confirms.
 *
 * The overview: for each row of the overview level, seek to where that row's text should start
 * (rows of about equal length), skip to the next line break and read that line; its values, one
 * per overview column, are the overview's row (nearest sampling). This needs the usual layout of
 * one row per line (GDAL, ArcGIS, HEC-RAS, SAGA write so); a file whose rows wrap over several
 * lines has no quick overview and is read whole before it opens.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import type { Georeference } from '../../../../shared/raster'
import { BYTES_PER_SAMPLE } from '../../../../shared/tileFrame'
import { pyramidLevels } from '../../../../shared/tiles'
import { georeferenceWithSidecars } from '../../crs/sidecars'
import type { AsciiGridProbe, AsciiGridProbeJob, SharedLevel } from '../jobs'
import { halve } from '../shared'
import { bandStatistics } from '../statistics'
import { AsciiGridFormatError, HEADER_READ_BYTES, parseAsciiGridHeader, type AsciiGridHeader } from './header'
import { floatSyntax, invalidToken, isSpace, parseNumber, tokenText } from './values'

/** Files up to this size are scanned whole for a decimal value before they open (GDAL scans every file). */
export const TYPE_SCAN_MAX_BYTES = 512 * 1024 * 1024
/** The first bytes of the values, always looked at for the type. */
const TYPE_SAMPLE_BYTES = 1024 * 1024
const SCAN_CHUNK_BYTES = 16 * 1024 * 1024

/** Reads the grid's header; throws an AsciiGridFormatError (line and what was expected) for a malformed one. */
export function readHeader(fd: number): AsciiGridHeader {
  const head = Buffer.alloc(HEADER_READ_BYTES)
  const length = readSync(fd, head, 0, head.length, 0)
  return parseAsciiGridHeader(head.subarray(0, length))
}

/** The probe job: see the module's comment. Errors name the line of the file and what was expected. */
export function probeAsciiGrid(job: AsciiGridProbeJob): AsciiGridProbe {
  const fd = openSync(job.path, 'r')
  try {
    const size = fstatSync(fd).size
    const header = readHeader(fd)
    const internal: Georeference = { geoTransform: header.geoTransform, rasterType: 'area', epsg: null, rotated: false }
    const { georeference, warnings } = georeferenceWithSidecars(job.path, 'aaigrid', internal)
    // Every value takes a digit and a separator (the last, at least a digit): a header that claims more is refused now, not after a read.
    const values = header.ncols * header.nrows
    if (size - header.dataStart < 2 * values - 1) {
      throw new AsciiGridFormatError(
        header.dataLine,
        `${values} values (${header.nrows} rows of ${header.ncols}, as the header says) but the ${size - header.dataStart} bytes after the header cannot hold them (it is truncated or its header is wrong)`
      )
    }
    if (job.headerOnly) {
      const float = header.noDataText !== null && /[.,eE]/.test(header.noDataText)
      return { width: header.ncols, height: header.nrows, sampleType: float ? 'float32' : 'int32', typeCertain: false, noData: header.noData, noDataText: header.noDataText, georeference: georeference ?? internal, warnings, overview: null, overviewLevel: -1, statistics: null }
    }
    let float = header.noDataText !== null && /[.,eE]/.test(header.noDataText)
    if (!float) float = hasDecimal(fd, header.dataStart, Math.min(size, header.dataStart + TYPE_SAMPLE_BYTES))
    const levels = pyramidLevels(header.ncols, header.nrows, job.tileSize)
    const overviewLevel = levels.findIndex((l) => Math.max(l.width, l.height) <= job.overviewMaxSide)
    let overview: SharedLevel[] | null = null
    let statistics = null
    if (overviewLevel > 0 && size >= job.overviewMinBytes) {
      const sampled = sampleRows(fd, size, header, levels[overviewLevel]!)
      if (sampled) {
        float ||= sampled.float
        const sampleType = float ? 'float32' : 'int32'
        const noData = header.noData === null ? null : float ? Math.fround(header.noData) : header.noData
        const first = sharedLevel(sampled.values, levels[overviewLevel]!, sampleType)
        overview = [first]
        for (let l = overviewLevel + 1; l < levels.length; l++) overview.push(halve(overview.at(-1)!, { noData, validity: 'none' }))
        statistics = bandStatistics(sampleType === 'int32' ? Int32Array.from(sampled.values) : Float32Array.from(sampled.values), noData)
      }
    }
    let typeCertain = float
    if (!float && size <= TYPE_SCAN_MAX_BYTES) {
      float = hasDecimal(fd, header.dataStart, size)
      typeCertain = true
    }
    if (overview && float && overview[0]!.sampleType === 'int32') {
      // The scan found decimals the samples did not: the overview's samples (integers) are the same numbers as floats.
      overview = overview.map((level) => ({ ...level, ...asFloat32(level) }))
    }
    return {
      width: header.ncols,
      height: header.nrows,
      sampleType: float ? 'float32' : 'int32',
      typeCertain,
      noData: header.noData,
      noDataText: header.noDataText,
      georeference: georeference ?? internal,
      warnings,
      overview,
      overviewLevel,
      statistics
    }
  } finally {
    closeSync(fd)
  }
}

/** True when bytes [from, to) of the file hold a decimal point, a decimal comma or an exponent (GDAL's test for Float32). */
function hasDecimal(fd: number, from: number, to: number): boolean {
  const chunk = Buffer.allocUnsafe(Math.min(SCAN_CHUNK_BYTES, Math.max(1, to - from)))
  for (let position = from; position < to; ) {
    const length = readSync(fd, chunk, 0, Math.min(chunk.length, to - position), position)
    if (length <= 0) break
    const view = chunk.subarray(0, length)
    if (view.indexOf(46) >= 0 || view.indexOf(44) >= 0 || view.indexOf(101) >= 0 || view.indexOf(69) >= 0) return true
    position += length
  }
  return false
}

/**
 * One value per overview pixel, from the lines found at evenly spaced offsets (see the module's
 * comment); null when a line does not hold exactly `ncols` values (rows wrapped over lines).
 */
function sampleRows(fd: number, size: number, header: AsciiGridHeader, target: { width: number; height: number }): { values: Float64Array; float: boolean } | null {
  const { ncols, nrows, dataStart } = header
  const rowBytes = (size - dataStart) / nrows
  const values = new Float64Array(target.width * target.height)
  const columns = Int32Array.from({ length: target.width }, (_, x) => Math.min(ncols - 1, Math.floor(((x + 0.5) * ncols) / target.width)))
  let buffer = Buffer.allocUnsafe(Math.ceil(rowBytes * 2) + 64 * 1024)
  let float = false
  for (let y = 0; y < target.height; y++) {
    const row = Math.min(nrows - 1, Math.floor(((y + 0.5) * nrows) / target.height))
    // The last rows are looked for a few rows before the end: the resynchronisation must find a line after the offset.
    const offset = Math.max(dataStart, Math.floor(dataStart + Math.min(row, nrows - 3) * rowBytes) - 1)
    let length = readSync(fd, buffer, 0, buffer.length, offset)
    let start = offset === dataStart ? 0 : buffer.indexOf(10) + 1
    if (offset !== dataStart && start === 0) return null
    let end = buffer.indexOf(10, start)
    while (end < 0 && offset + length < size) {
      // A line longer than expected: read more.
      const larger = Buffer.allocUnsafe(buffer.length * 2)
      buffer.copy(larger, 0, 0, length)
      length += readSync(fd, larger, length, larger.length - length, offset + length)
      buffer = larger
      end = buffer.indexOf(10, start)
    }
    if (end < 0 || end > length) end = length
    if (start >= end) return null
    let token = 0
    let next = 0
    let i = start
    while (i < end) {
      if (isSpace(buffer[i]!)) {
        i++
        continue
      }
      const tokenStart = i
      while (i < end && !isSpace(buffer[i]!)) i++
      if (token === columns[next]) {
        const value = parseNumber(buffer, tokenStart, i, true)
        if (invalidToken) {
          throw new AsciiGridFormatError(approximateLine(header, offset, rowBytes), `a number but found "${tokenText(buffer, tokenStart, i)}"`)
        }
        float ||= floatSyntax
        while (columns[next] === token) values[y * target.width + next++] = value
      }
      token++
    }
    if (token !== ncols) return null
  }
  return { values, float }
}

/** The line near byte `offset`, for a message about a sampled row (rows of about equal length). */
function approximateLine(header: AsciiGridHeader, offset: number, rowBytes: number): number {
  return header.dataLine + Math.round((offset - header.dataStart) / rowBytes)
}

function sharedLevel(values: Float64Array, size: { width: number; height: number }, sampleType: 'int32' | 'float32'): SharedLevel {
  const buffer = new SharedArrayBuffer(values.length * BYTES_PER_SAMPLE[sampleType])
  ;(sampleType === 'int32' ? new Int32Array(buffer) : new Float32Array(buffer)).set(values)
  return { width: size.width, height: size.height, channels: 1, sampleType, buffer }
}

function asFloat32(level: SharedLevel): Pick<SharedLevel, 'buffer' | 'sampleType'> {
  const buffer = new SharedArrayBuffer(level.width * level.height * 4)
  new Float32Array(buffer).set(new Int32Array(level.buffer))
  return { buffer, sampleType: 'float32' }
}
