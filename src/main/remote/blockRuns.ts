/** Which aligned blocks a set of byte ranges needs, and the runs of adjacent blocks (one request each). Pure. */

export interface ByteRange {
  offset: number
  length: number
}

/** First and last block (inclusive) of a run of adjacent blocks. */
export interface BlockRun {
  first: number
  last: number
}

/** The sorted distinct blocks of `blockSize` bytes holding `ranges` (each clamped to `size`). */
export function blocksOf(ranges: readonly ByteRange[], blockSize: number, size: number): number[] {
  const blocks = new Set<number>()
  for (const { offset, length } of ranges) {
    const end = Math.min(offset + length, size)
    if (end <= offset) continue
    const last = Math.floor((end - 1) / blockSize)
    for (let block = Math.floor(offset / blockSize); block <= last; block++) blocks.add(block)
  }
  return [...blocks].sort((a, b) => a - b)
}

/** `blocks` (sorted, distinct) as runs of consecutive indices: one HTTP request per run, never split. */
export function runsOf(blocks: readonly number[]): BlockRun[] {
  const runs: BlockRun[] = []
  for (const block of blocks) {
    const run = runs[runs.length - 1]
    if (run && run.last + 1 === block) run.last = block
    else runs.push({ first: block, last: block })
  }
  return runs
}

/** Bytes [start, end) of `run` in a file of `size` bytes. */
export function bytesOfRun(run: BlockRun, blockSize: number, size: number): { start: number; end: number } {
  return { start: run.first * blockSize, end: Math.min((run.last + 1) * blockSize, size) }
}

/**
 * `runs` (sorted, apart) with the runs separated by at most `maxGapBlocks` blocks joined into one,
 * the blocks between them fetched too, as GDAL merges the ranges of a window: fewer requests for a
 * few more bytes. A gap is crossed only when every block in it `mayFetch` (not cached, not in flight:
 * a block is never fetched twice).
 */
export function mergeRuns(runs: readonly BlockRun[], maxGapBlocks: number, mayFetch: (block: number) => boolean): BlockRun[] {
  const merged: BlockRun[] = []
  for (const run of runs) {
    const last = merged[merged.length - 1]
    if (last && run.first - last.last - 1 <= maxGapBlocks && gapFree(last.last + 1, run.first - 1, mayFetch)) last.last = run.last
    else merged.push({ ...run })
  }
  return merged
}

function gapFree(first: number, last: number, mayFetch: (block: number) => boolean): boolean {
  for (let block = first; block <= last; block++) if (!mayFetch(block)) return false
  return true
}
