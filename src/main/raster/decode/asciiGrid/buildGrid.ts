/**
 * Worker side of caching an ESRI ASCII grid: its values are read once, in one streaming pass of
 * 4 MB chunks (memory: a chunk, and a row of tiles per level), and written as a tiled pyramidal
 * TIFF (`PyramidWriter`) that serves the grid's tiles from then on, exactly. Progress is the share
 * of the file read. A value that is not a number, too few or too many values: an
 * AsciiGridFormatError naming the line and what was expected.
 */
import { closeSync, fstatSync, openSync, readSync, rmSync, renameSync, statSync } from 'node:fs'
import { threadId } from 'node:worker_threads'
import { pyramidLevels } from '../../../../shared/tiles'
import type { AsciiGridBuildJob } from '../jobs'
import { AsciiGridFormatError, type AsciiGridHeader } from './header'
import { readHeader } from './probeGrid'
import { type GridSampleType, PyramidWriter } from './pyramidWriter'
import { floatSyntax, invalidToken, isSpace, parseNumber, tokenText } from './values'

const CHUNK_BYTES = 4 * 1024 * 1024
/** GDAL's AAIGrid refuses tokens of 500 characters; no number is that long. */
const MAX_TOKEN_BYTES = 500
const PROGRESS_INTERVAL_MS = 100

/** An Int32 guess met a decimal value: the grid is read again as Float32. */
class DecimalInIntegerGrid extends Error {}

/** Builds the cache; resolves with the sample type it holds (Float32 when an Int32 guess was wrong) and its size. */
export async function buildAsciiGrid(job: AsciiGridBuildJob, progress: (fraction: number) => void): Promise<{ sampleType: GridSampleType; bytes: number }> {
  const partial = `${job.outPath}.partial-${process.pid}-${threadId}`
  try {
    let sampleType: GridSampleType = job.sampleType
    try {
      await writeGrid(job, partial, sampleType, progress)
    } catch (error) {
      if (!(error instanceof DecimalInIntegerGrid)) throw error
      sampleType = 'float32'
      await writeGrid(job, partial, sampleType, progress)
    }
    renameSync(partial, job.outPath)
    progress(1)
    return { sampleType, bytes: statSync(job.outPath).size }
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
}

async function writeGrid(job: AsciiGridBuildJob, partial: string, sampleType: GridSampleType, progress: (fraction: number) => void): Promise<void> {
  const fd = openSync(job.path, 'r')
  let writer: PyramidWriter | null = null
  try {
    const size = fstatSync(fd).size
    const header = readHeader(fd)
    const { ncols, nrows } = header
    writer = new PyramidWriter(partial, { levels: pyramidLevels(ncols, nrows, job.tileSize), tileSize: job.tileSize, sampleType, noData: header.noData, noDataText: header.noDataText })
    const row = sampleType === 'int32' ? new Int32Array(ncols) : new Float32Array(ncols)
    const integer = sampleType === 'int32'
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES + MAX_TOKEN_BYTES)
    let carry = 0
    let position = header.dataStart
    let line = header.dataLine
    let col = 0
    let rowIndex = 0
    /** The line of the last value read: where a truncated file ends. */
    let valueLine = line
    let reported = Date.now()
    for (;;) {
      const length = readSync(fd, buffer, carry, CHUNK_BYTES, position)
      position += length
      const end = carry + length
      const atEnd = length === 0
      // Scan up to the last white space: a token cut by the chunk's end is finished with the next chunk.
      let limit = end
      if (!atEnd) while (limit > 0 && !isSpace(buffer[limit - 1]!)) limit--
      let i = 0
      while (i < limit) {
        const c = buffer[i]!
        if (c === 10) {
          line++
          i++
          continue
        }
        if (isSpace(c)) {
          i++
          continue
        }
        const start = i
        while (i < limit && !isSpace(buffer[i]!)) i++
        if (rowIndex === nrows) throw new AsciiGridFormatError(line, `no more values after the ${nrows} rows of ${ncols} the header gives, but found "${tokenText(buffer, start, i)}"`)
        valueLine = line
        const value = parseNumber(buffer, start, i, !integer)
        if (invalidToken) throw new AsciiGridFormatError(line, `a number but found "${tokenText(buffer, start, i)}"`)
        if (integer && floatSyntax) throw new DecimalInIntegerGrid()
        row[col++] = value
        if (col === ncols) {
          writer.pushRow(row)
          col = 0
          rowIndex++
        }
      }
      if (atEnd) break
      carry = end - limit
      if (carry > MAX_TOKEN_BYTES) throw new AsciiGridFormatError(line, `values separated by white space, but found ${carry} characters without any`)
      buffer.copy(buffer, 0, limit, end)
      await writer.drain()
      const now = Date.now()
      if (now - reported >= PROGRESS_INTERVAL_MS) {
        reported = now
        progress(Math.min(0.99, (position - header.dataStart) / Math.max(1, size - header.dataStart)))
      }
    }
    if (rowIndex < nrows) throw new AsciiGridFormatError(valueLine, missingValues(header, rowIndex * ncols + col))
    await writer.finish()
  } finally {
    writer?.close()
    closeSync(fd)
  }
}

function missingValues(header: AsciiGridHeader, found: number): string {
  const { ncols, nrows } = header
  return `${ncols * nrows} values (${nrows} rows of ${ncols}, as the header says) but the file ends after ${found}, the last on this line (it is truncated or its header is wrong)`
}
