/**
 * The header of an ESRI ASCII grid (`.asc`), read as GDAL's AAIGrid driver reads it (3.6, checked
 * with gdalinfo): lines that begin with a letter are `key value` pairs in any order, keys in any
 * case; the values start at the first line that does not begin with a letter. `ncols`, `nrows` and
 * `cellsize` (or `dx`, with `dy` defaulting to it) are required; `xllcorner`/`yllcorner` place the
 * lower-left corner of the grid, `xllcenter`/`yllcenter` the centre of its lower-left cell (half a
 * cell further in); without either pair GDAL puts the top-left corner at (0, 0). `NODATA_value` is
 * read as a double. Pure: the worker gives it the first bytes of the file.
 */
import type { GeoTransform } from '../../../../shared/raster'

/** What the header says. */
export interface AsciiGridHeader {
  ncols: number
  nrows: number
  geoTransform: GeoTransform
  /** NODATA_value as GDAL reads it (a double), or null. */
  noData: number | null
  /** The value of NODATA_value as written (its decimal point or exponent makes the grid Float32, as in GDAL). */
  noDataText: string | null
  /** Byte offset of the first value. */
  dataStart: number
  /** 1-based line number of the first line of values. */
  dataLine: number
}

/** Bytes of the file the header is looked for in: GDAL's own headers are six short lines. */
export const HEADER_READ_BYTES = 64 * 1024

/** Keys GDAL knows; anything else beginning with a letter is still a header line, and ignored. */
const KEYS = ['ncols', 'nrows', 'xllcorner', 'yllcorner', 'xllcenter', 'yllcenter', 'cellsize', 'dx', 'dy', 'nodata_value'] as const
type Key = (typeof KEYS)[number]

/** A header or body that is not an ASCII grid as GDAL reads one: `line` is 1-based; the message is the reason a refusal gives. */
export class AsciiGridFormatError extends Error {
  constructor(
    readonly line: number,
    readonly expected: string
  ) {
    super(`it is not a valid ESRI ASCII grid: line ${line}: expected ${expected}`)
    this.name = 'AsciiGridFormatError'
  }
}

/** True when `head` (the first bytes of a file) starts like an ASCII grid: GDAL's test, one of its keys first, in any case. */
export function looksLikeAsciiGrid(head: Uint8Array): boolean {
  const start = Buffer.from(head.subarray(0, 32)).toString('latin1').toLowerCase()
  return /^(ncols|nrows|xllcorner|yllcorner|xllcenter|yllcenter|dx|dy|cellsize)\s/.test(start)
}

/**
 * Parses the header in `head` (the first bytes of the file; the whole header must be in it).
 * Throws an AsciiGridFormatError naming the line and what was expected.
 */
export function parseAsciiGridHeader(head: Uint8Array): AsciiGridHeader {
  const text = Buffer.from(head).toString('latin1')
  const values = new Map<Key, { text: string; line: number }>()
  let offset = 0
  let line = 1
  for (;;) {
    const first = text.charCodeAt(offset)
    const isLetter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122)
    // The values start at the first line that does not begin with a letter (a row may be longer than `head`).
    if (!isLetter && /^[ \t]*[^\s]/.test(text.slice(offset, offset + 256))) break
    const end = text.indexOf('\n', offset)
    if (end < 0) throw new AsciiGridFormatError(line, `a header line (key and value) or the first row of values, within the first ${HEADER_READ_BYTES} bytes`)
    const raw = text.slice(offset, end).trim()
    if (raw !== '') {
      const [key, value, ...rest] = raw.split(/\s+/)
      const name = key!.toLowerCase() as Key
      if (!KEYS.includes(name)) {
        if (values.size === 0) throw new AsciiGridFormatError(line, `a header key (ncols, nrows, xllcorner…) but found "${abbreviate(raw)}"`)
      } else {
        if (value === undefined || rest.length > 0) throw new AsciiGridFormatError(line, `"${key} <number>" but found "${abbreviate(raw)}"`)
        if (!isNumber(value)) throw new AsciiGridFormatError(line, `a number after ${key} but found "${abbreviate(value)}"`)
        values.set(name, { text: value, line })
      }
    }
    offset = end + 1
    line++
  }
  const required = (key: Key, what: string): number => {
    const entry = values.get(key)
    if (!entry) throw new AsciiGridFormatError(line, `${key} in the header before the values (${what})`)
    return parseDouble(entry.text)
  }
  const count = (key: 'ncols' | 'nrows'): number => {
    const value = required(key, key === 'ncols' ? 'the number of columns' : 'the number of rows')
    if (!Number.isSafeInteger(value) || value <= 0) throw new AsciiGridFormatError(values.get(key)!.line, `a positive whole number after ${key} but found ${values.get(key)!.text}`)
    return value
  }
  const ncols = count('ncols')
  const nrows = count('nrows')
  const number = (key: Key): number | null => (values.has(key) ? parseDouble(values.get(key)!.text) : null)
  const dx = number('cellsize') ?? number('dx')
  if (dx === null) throw new AsciiGridFormatError(line, 'cellsize (or dx and dy) in the header before the values (the size of a cell)')
  const dy = values.has('cellsize') ? dx : (number('dy') ?? dx)
  if (!(dx > 0) || !(dy > 0)) throw new AsciiGridFormatError((values.get('cellsize') ?? values.get('dx'))!.line, `a cell size above zero but found ${dx} × ${dy}`)
  const xCorner = number('xllcorner')
  const yCorner = number('yllcorner')
  const xCenter = number('xllcenter')
  const yCenter = number('yllcenter')
  let geoTransform: GeoTransform
  if (xCorner !== null && yCorner !== null) geoTransform = [xCorner, dx, 0, yCorner + nrows * dy, 0, -dy]
  else if (xCenter !== null && yCenter !== null) geoTransform = [xCenter - 0.5 * dx, dx, 0, yCenter - 0.5 * dy + nrows * dy, 0, -dy]
  else geoTransform = [0, dx, 0, 0, 0, -dy]
  const noDataText = values.get('nodata_value')?.text ?? null
  return {
    ncols,
    nrows,
    geoTransform,
    noData: noDataText === null ? null : parseDouble(noDataText),
    noDataText,
    dataStart: offset, // latin1: one character per byte
    dataLine: line
  }
}

/** A number as GDAL's CPLAtofM reads one whole (a comma may be the decimal point), or nan/inf. */
function isNumber(text: string): boolean {
  return /^[+-]?(\d+[.,]?\d*|[.,]\d+)([eE][+-]?\d+)?$/.test(text) || /^[+-]?(nan|inf(inity)?)$/i.test(text)
}

/** A header number as a double: a comma as the decimal point, nan and inf(inity) in any case. */
function parseDouble(text: string): number {
  const lower = text.toLowerCase()
  if (lower.endsWith('nan')) return Number.NaN
  if (lower.includes('inf')) return lower.startsWith('-') ? -Infinity : Infinity
  return Number(text.replace(',', '.'))
}

/** The text, cut to 40 characters for a message. */
export function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
