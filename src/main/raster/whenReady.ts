/**
 * Readers that serve some levels from a decode still under way: a tile of those levels waits for
 * it (decoding the same pixels twice would only delay both), or leaves at once when its request
 * is withdrawn.
 */
import { abortable } from '../pool/errors'
import type { SharedLevel } from './decode/jobs'
import type { SharedReader, TileReader } from './readers'
import type { TileEncoding } from '../../shared/protocol'
import type { DecodedTile, LoadedTile } from './types'
import type { DeferredStart } from './deferredStart'

/** A quick, approximate overview that serves the levels of an exact one until that one is decoded. */
export interface QuickOverview {
  /** Its levels (null when it could not be made). */
  overview: Promise<SharedLevel[] | null>
  makeReader: (levels: SharedLevel[]) => SharedReader
  /** Called once when the exact overview replaces it after it served a tile (its tiles are to be asked again). */
  onReplaced: () => void
}

/**
 * Levels from `first` down come from the overview once it is decoded (a tile asked for before
 * waits for it: decoding the same pixels twice would only delay both); finer levels from `fine`.
 * With a `quick` overview, those levels come from it while the exact one is decoded. If the
 * overview fails, those levels come from `fine` (exact, each tile a reduction of the file's region).
 */
export class OverviewWhenReadyReader implements TileReader {
  private coarse: TileReader | null = null
  private quickReader: TileReader | null = null
  private quickServed = false
  /** The exact overview's reader once it is decoded, or `fine` when it failed. */
  private readonly ready: Promise<TileReader>
  /** The first reader of those levels ready: the quick overview's or `ready`'s. */
  private readonly firstReady: Promise<TileReader>

  constructor(
    private readonly fine: TileReader,
    private readonly first: number,
    overview: Promise<SharedLevel[]>,
    makeReader: (levels: SharedLevel[]) => SharedReader,
    quick?: QuickOverview
  ) {
    // A failed overview leaves those levels to the file itself, exact, as a quick one's would not be.
    const replace = (reader: TileReader): TileReader => {
      this.coarse = reader
      if (this.quickServed) quick?.onReplaced()
      return reader
    }
    this.ready = overview.then(
      (levels) => replace(makeReader(levels)),
      () => replace(fine)
    )
    const quickReady = quick ? quick.overview.then((levels) => (levels && !this.coarse ? (this.quickReader = quick.makeReader(levels)) : null), () => null) : Promise.resolve(null)
    // Whichever is ready first.
    this.firstReady = new Promise((resolve) => {
      void quickReady.then((reader) => reader && resolve(reader))
      void this.ready.then(resolve)
    })
  }

  async read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    if (level < this.first) return this.fine.read(level, col, row, signal)
    if (!this.coarse && !this.quickReader) await abortable(this.firstReady, signal, 'Waiting for the overview')
    const reader = this.coarse ?? this.quickReader ?? this.fine
    if (reader === this.quickReader) this.quickServed = true
    return reader.read(level, col, row, signal)
  }

  /** The file's finer levels may keep their stored tiles; the overview's levels are decoded pixels. */
  async readAs(level: number, col: number, row: number, accept: ReadonlySet<TileEncoding>, signal?: AbortSignal): Promise<LoadedTile> {
    if (level < this.first && this.fine.readAs) return this.fine.readAs(level, col, row, accept, signal)
    return this.read(level, col, row, signal)
  }
}

/**
 * Levels from `first` down come from `coarse`, ready now; finer levels wait for `fine` (the full
 * decode, in the background lane). A failed full decode fails the fine tiles with its error.
 * `start`, when given, is told what the tiles say about when that decode should start: a fine
 * tile is wanted (now), or the overview served one (once the pool is quiet; see `DeferredStart`).
 */
export class FineWhenReadyReader implements TileReader {
  private ready: TileReader | null = null

  constructor(
    private readonly coarse: TileReader,
    private readonly first: number,
    private readonly fine: Promise<TileReader>,
    private readonly start?: Pick<DeferredStart, 'start' | 'served'>
  ) {
    fine.then((reader) => (this.ready = reader), () => {})
  }

  async read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    if (level >= this.first) {
      const tile = await this.coarse.read(level, col, row, signal)
      this.start?.served()
      return tile
    }
    this.start?.start()
    const fine = this.ready ?? (await abortable(this.fine, signal, 'Waiting for the overview'))
    return fine.read(level, col, row, signal)
  }
}

