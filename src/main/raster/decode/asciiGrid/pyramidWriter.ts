/**
 * Writes a single-band Int32 or Float32 raster, given row by row, as a tiled, deflate-compressed
 * BigTIFF with its pyramid (each reduced level a page of its own, NewSubfileType 1, as GDAL's
 * internal overviews), streaming: it holds one row of tiles per level, never the raster. Each
 * reduced pixel is the mean of the valid pixels of its 2×2 block (no-data and NaN left out,
 * integers rounded), as `decode/reduce.ts` reduces. The no-data value is written as GDAL writes
 * it (tag GDAL_NODATA). Tiles are compressed on libuv's threads while rows keep coming.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { promisify } from 'node:util'
import { deflate } from 'node:zlib'
import type { LevelSize } from '../../../../shared/raster'

const deflateAsync = promisify(deflate)

export type GridSampleType = 'int32' | 'float32'

/** Tiles being compressed at once, at most: enough to keep libuv's four threads busy, a few MB of memory. */
const MAX_PENDING_TILES = 32
/** zlib level 1: about three times faster than the default 6 on elevation floats, for a cache some 10 % larger. */
const DEFLATE_LEVEL = 1

interface LevelState {
  width: number
  height: number
  /** tileSize rows of the level, the current row of tiles. */
  band: Int32Array | Float32Array
  rowsFilled: number
  /** Rows of the level written so far (whole rows of tiles). */
  rowsDone: number
  /** The first of two rows waiting to be reduced into the next level. */
  pending: Int32Array | Float32Array | null
  offsets: number[]
  byteCounts: number[]
}

export class PyramidWriter {
  private readonly fd: number
  private readonly levels: LevelState[]
  private readonly integer: boolean
  /** No-data as the samples hold it (a Float32 band holds the float nearest the header's double). */
  private readonly noData: number | null
  private position = 16
  private readonly pending = new Set<Promise<void>>()
  private failure: unknown = null
  private closed = false

  constructor(
    readonly path: string,
    private readonly options: { levels: readonly LevelSize[]; tileSize: number; sampleType: GridSampleType; noData: number | null; noDataText: string | null }
  ) {
    this.integer = options.sampleType === 'int32'
    this.noData = options.noData === null ? null : this.integer ? options.noData : Math.fround(options.noData)
    this.fd = openSync(path, 'w')
    this.levels = options.levels.map((level) => ({
      width: level.width,
      height: level.height,
      band: this.samples(options.tileSize * level.width),
      rowsFilled: 0,
      rowsDone: 0,
      pending: null,
      offsets: new Array<number>(Math.ceil(level.width / options.tileSize) * Math.ceil(level.height / options.tileSize)).fill(0),
      byteCounts: new Array<number>(Math.ceil(level.width / options.tileSize) * Math.ceil(level.height / options.tileSize)).fill(0)
    }))
  }

  /** Adds the next row of level 0 (copied). Call `drain()` now and then: it waits for compression to catch up. */
  pushRow(row: Int32Array | Float32Array): void {
    this.push(0, row)
  }

  /** Resolves once fewer than MAX_PENDING_TILES tiles are being compressed; rejects with a write's failure. */
  async drain(): Promise<void> {
    while (this.pending.size >= MAX_PENDING_TILES) await Promise.race(this.pending)
    if (this.failure) throw this.failure
  }

  /** Writes what remains and the directories; every row of level 0 must have been given. */
  async finish(): Promise<void> {
    const level0 = this.levels[0]!
    if (level0.rowsDone + level0.rowsFilled !== level0.height) throw new Error(`${this.path}: ${level0.rowsDone + level0.rowsFilled} rows given, ${level0.height} expected`)
    await Promise.all(this.pending)
    if (this.failure) throw this.failure
    this.writeDirectories()
    this.close()
  }

  /** Closes the file (idempotent); a partial file is the caller's to remove. */
  close(): void {
    if (this.closed) return
    this.closed = true
    closeSync(this.fd)
  }

  private samples(length: number): Int32Array | Float32Array {
    return this.integer ? new Int32Array(length) : new Float32Array(length)
  }

  private push(index: number, row: Int32Array | Float32Array): void {
    const level = this.levels[index]!
    level.band.set(row, level.rowsFilled * level.width)
    level.rowsFilled++
    const last = level.rowsDone + level.rowsFilled === level.height
    if (level.rowsFilled === this.options.tileSize || last) this.flushTileRow(level)
    const next = this.levels[index + 1]
    if (!next) return
    if (level.pending === null && !last) {
      level.pending = row.slice()
      return
    }
    const reduced = this.samples(next.width)
    if (level.pending === null) this.reduceRows(row, null, level.width, reduced)
    else this.reduceRows(level.pending, row, level.width, reduced)
    level.pending = null
    this.push(index + 1, reduced)
  }

  /** One row of the next level from rows `a` and `b` (null at the bottom edge of an odd height). */
  private reduceRows(a: Int32Array | Float32Array, b: Int32Array | Float32Array | null, width: number, out: Int32Array | Float32Array): void {
    const noData = this.noData
    const fill = noData ?? (this.integer ? 0 : Number.NaN)
    for (let x = 0; x < out.length; x++) {
      const x0 = 2 * x
      const x1 = Math.min(width, x0 + 2)
      let sum = 0
      let count = 0
      for (let c = x0; c < x1; c++) {
        const v = a[c]!
        if (v === v && v !== noData) {
          sum += v
          count++
        }
        if (b) {
          const w = b[c]!
          if (w === w && w !== noData) {
            sum += w
            count++
          }
        }
      }
      out[x] = count === 0 ? fill : this.integer ? Math.round(sum / count) : sum / count
    }
  }

  private flushTileRow(level: LevelState): void {
    const { tileSize } = this.options
    const across = Math.ceil(level.width / tileSize)
    const tileRow = level.rowsDone / tileSize
    for (let col = 0; col < across; col++) {
      const tile = this.samples(tileSize * tileSize)
      const left = col * tileSize
      const right = Math.min(level.width, left + tileSize)
      for (let r = 0; r < level.rowsFilled; r++) tile.set(level.band.subarray(r * level.width + left, r * level.width + right), r * tileSize)
      this.writeTile(level, tileRow * across + col, Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength))
    }
    level.rowsDone += level.rowsFilled
    level.rowsFilled = 0
  }

  private writeTile(level: LevelState, index: number, raw: Buffer): void {
    const job = deflateAsync(raw, { level: DEFLATE_LEVEL }).then(
      (compressed) => {
        if (this.closed) return
        level.offsets[index] = this.position
        level.byteCounts[index] = compressed.length
        writeSync(this.fd, compressed, 0, compressed.length, this.position)
        this.position += compressed.length
      },
      (error: unknown) => {
        this.failure ??= error
      }
    )
    const tracked = job.finally(() => this.pending.delete(tracked))
    this.pending.add(tracked)
  }

  /** The BigTIFF header and one directory per level, finest first, chained. */
  private writeDirectories(): void {
    const { tileSize, sampleType, noDataText } = this.options
    const noDataTag = noDataText === null ? null : Buffer.from(`${gdalNoDataText(noDataText)}\0`, 'latin1')
    let firstDirectory = 0
    let previousNextPointer = -1
    for (let i = 0; i < this.levels.length; i++) {
      const level = this.levels[i]!
      const entries: [tag: number, type: number, values: number[] | Buffer][] = [
        [254, LONG, [i === 0 ? 0 : 1]],
        [256, LONG, [level.width]],
        [257, LONG, [level.height]],
        [258, SHORT, [32]],
        [259, SHORT, [8]], // Adobe deflate
        [262, SHORT, [1]], // min-is-black
        [277, SHORT, [1]],
        [284, SHORT, [1]],
        [322, LONG, [tileSize]],
        [323, LONG, [tileSize]],
        [324, LONG8, level.offsets],
        [325, LONG8, level.byteCounts],
        [339, SHORT, [sampleType === 'float32' ? 3 : 2]]
      ]
      if (noDataTag) entries.push([42113, ASCII, noDataTag])
      // Out-of-line values first, then the directory that points at them.
      const inline: Buffer[] = []
      for (const [tag, type, values] of entries) {
        const bytes = encode(type, values)
        const count = values.length
        const entry = Buffer.alloc(20)
        entry.writeUInt16LE(tag, 0)
        entry.writeUInt16LE(type, 2)
        entry.writeBigUInt64LE(BigInt(count), 4)
        if (bytes.length <= 8) bytes.copy(entry, 12)
        else entry.writeBigUInt64LE(BigInt(this.append(bytes)), 12)
        inline.push(entry)
      }
      const directory = Buffer.concat([bigCount(entries.length), ...inline, Buffer.alloc(8)])
      const at = this.append(directory)
      if (previousNextPointer < 0) firstDirectory = at
      else writeSync(this.fd, bigCount(at), 0, 8, previousNextPointer)
      previousNextPointer = at + directory.length - 8
    }
    const header = Buffer.alloc(16)
    header.write('II', 0, 'latin1')
    header.writeUInt16LE(43, 2)
    header.writeUInt16LE(8, 4)
    header.writeUInt16LE(0, 6)
    header.writeBigUInt64LE(BigInt(firstDirectory), 8)
    writeSync(this.fd, header, 0, 16, 0)
  }

  /** Writes `bytes` at the end of the file, word-aligned as TIFF asks; returns where. */
  private append(bytes: Buffer): number {
    if (this.position % 2 === 1) this.position++
    const at = this.position
    writeSync(this.fd, bytes, 0, bytes.length, at)
    this.position += bytes.length
    return at
  }
}

const SHORT = 3
const LONG = 4
const ASCII = 2
const LONG8 = 16

function encode(type: number, values: number[] | Buffer): Buffer {
  if (Buffer.isBuffer(values)) return values
  const size = type === SHORT ? 2 : type === LONG ? 4 : 8
  const bytes = Buffer.alloc(values.length * size)
  values.forEach((value, i) => {
    if (type === SHORT) bytes.writeUInt16LE(value, i * 2)
    else if (type === LONG) bytes.writeUInt32LE(value, i * 4)
    else bytes.writeBigUInt64LE(BigInt(value), i * 8)
  })
  return bytes
}

function bigCount(value: number): Buffer {
  const bytes = Buffer.alloc(8)
  bytes.writeBigUInt64LE(BigInt(value))
  return bytes
}

/** The header's NODATA_value as GDAL_NODATA holds it (nan and inf as GDAL spells them). */
function gdalNoDataText(text: string): string {
  const lower = text.toLowerCase()
  if (lower.endsWith('nan')) return 'nan'
  if (lower.includes('inf')) return lower.startsWith('-') ? '-inf' : 'inf'
  return text.replace(',', '.')
}
